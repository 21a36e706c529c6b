package ui

import (
	"fmt"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"approvals/graph"
)

// manyApprovals makes n varied approvals.
func manyApprovals(n int) *graph.Snapshot {
	base := sampleApprovals()
	s := &graph.Snapshot{At: t0}
	for i := range n {
		a := base[i%len(base)]
		a.Ref.ID = fmt.Sprintf("%s-%05d", a.Ref.ID, i)
		a.Requestor.DisplayName = fmt.Sprintf("%s %d", a.Requestor.DisplayName, i)
		a.Created = t0.Add(-time.Duration(i) * time.Minute)
		if !a.Deadline.IsZero() {
			a.Deadline = t0.Add(time.Duration(i%5000) * time.Minute)
		}
		s.Approvals = append(s.Approvals, a)
	}
	return s
}

func loadedModel(b *testing.B, n, w, h int) *Model {
	b.Helper()
	m := New(Options{Now: func() time.Time { return t0 }, Theme: ThemeDark})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Load(manyApprovals(n))
	m.View()
	return m
}

// A full frame with 10,000 approvals loaded (the cursor moves so that the
// frame is not the previous one).
func BenchmarkView10k(b *testing.B) {
	m := loadedModel(b, 10000, 120, 40)
	down := keyOf("j")
	up := keyOf("k")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(down)
		} else {
			m.Update(up)
		}
		_ = m.View()
	}
}

// One cursor move (Update only): must not depend on N.
func BenchmarkCursorMove10k(b *testing.B) { benchCursor(b, 10000) }
func BenchmarkCursorMove100(b *testing.B) { benchCursor(b, 100) }

func benchCursor(b *testing.B, n int) {
	m := loadedModel(b, n, 120, 40)
	down, up := keyOf("j"), keyOf("k")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(down)
		} else {
			m.Update(up)
		}
	}
}

// One filter keystroke over 10,000 approvals (O(N), but cheap).
func BenchmarkFilterKeystroke10k(b *testing.B) {
	m := loadedModel(b, 10000, 120, 40)
	press(m, "/")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			typeText(m, "h")
		} else {
			press(m, "backspace")
		}
		_ = m.View()
	}
}

// Loading a snapshot of 10,000 approvals that are all already known.
func BenchmarkReload10k(b *testing.B) {
	m := loadedModel(b, 10000, 120, 40)
	s := manyApprovals(10000)
	b.ReportAllocs()
	for b.Loop() {
		m.Load(s)
	}
}

// Bytes the renderer writes for one cursor move at 120×40.
func BenchmarkCursorMoveBytes(b *testing.B) {
	r := startCounted(b, manyApprovals(10000))
	for i := 0; b.Loop(); i++ {
		k := "j"
		if i%2 == 1 {
			k = "k"
		}
		before := r.settled()
		r.p.Send(keyOf(k))
		b.ReportMetric(float64(r.settled()-before), "bytes/move")
	}
}

// countingWriter counts what the renderer writes.
type countingWriter struct {
	mu sync.Mutex
	n  int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.n += len(p)
	c.mu.Unlock()
	return len(p), nil
}

func (c *countingWriter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

type countedProgram struct {
	p   *tea.Program
	out *countingWriter
}

// startCounted runs the inbox in a real program at 120×40 with a backend
// that always returns s, polling every 20ms.
func startCounted(tb testing.TB, s *graph.Snapshot) *countedProgram {
	tb.Helper()
	out := &countingWriter{}
	m := New(Options{Backend: &fakeBackend{snap: s}, Now: func() time.Time { return t0 }, Theme: ThemeDark,
		PollInterval: 20 * time.Millisecond})
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(120, 40),
		tea.WithColorProfile(colorprofile.ANSI256), tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithoutSignals())
	done := make(chan struct{})
	go func() { _, _ = p.Run(); close(done) }()
	tb.Cleanup(func() { p.Quit(); <-done })
	r := &countedProgram{p: p, out: out}
	r.settled()
	return r
}

// settled waits until the output has not grown for a while and returns
// the byte count.
func (r *countedProgram) settled() int {
	last, stable := r.out.count(), 0
	for stable < 8 { // 80ms without output: several frames at 60 fps
		time.Sleep(10 * time.Millisecond)
		if n := r.out.count(); n != last {
			last, stable = n, 0
		} else {
			stable++
		}
	}
	return last
}

// An idle inbox whose polls keep returning the same data writes nothing,
// and a cursor move rewrites a few rows, not the screen.
func TestIdleScreenWritesNothing(t *testing.T) {
	r := startCounted(t, manyApprovals(200))
	first := r.settled()
	if first == 0 {
		t.Fatal("nothing was drawn")
	}
	time.Sleep(300 * time.Millisecond) // about 15 identical polls
	if idle := r.settled() - first; idle != 0 {
		t.Fatalf("identical polls wrote %d bytes", idle)
	}
	before := r.settled()
	r.p.Send(keyOf("j"))
	moved := r.settled() - before
	if moved == 0 || moved > 1500 {
		t.Fatalf("a cursor move wrote %d bytes (a full frame is about %d)", moved, first)
	}
	t.Logf("first frame %d bytes, cursor move %d bytes", first, moved)
}
