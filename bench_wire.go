//go:build bench

package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"approvals/graph"
	"approvals/ui"
)

// Bytes on the wire (design §7): the inbox runs in a real Bubble Tea
// program whose output is counted, at a fixed 120×40, colour profile and
// TERM, against a simulated tenant. The renderer diffs cells, so what is
// counted is what an SSH session would carry.

// WireWidth × WireHeight is the terminal of the byte figures (and of the
// binary's runs). NarrowWidth lays the inbox out as a list alone.
const (
	WireWidth, WireHeight = 120, 40
	NarrowWidth           = 100
)

// WireBytes is what each step of a session wrote.
type WireBytes struct {
	Width      int
	N          int // approvals loaded
	FirstFrame int // start-up sequences and the first frame ("Loading…")
	Loaded     int // the inbox drawn when the first refresh returned
	CursorMove int // one row down
	IdlePolls  int // polls that returned identical data
	IdleBytes  int // what those polls wrote (budget: 0)
	FormOpen   int // the approve form opening
	TypedChar  int // one character typed into the justification
	// Repaint is the same inbox screen drawn in full (after a clear
	// screen): what every change would cost without the cell diff.
	Repaint int
}

// wireQuiet is how long the output must stay unchanged for a step to benchCount
// as drawn: several frames at the renderer's 60 fps.
const wireQuiet = 100 * time.Millisecond

// MeasureWire runs the inbox in a width × WireHeight terminal against a
// tenant with n approvals waiting and counts the bytes of each step. Polls
// run every pollEvery; with pollEvery < 0 only the first one runs (and the
// idle step is skipped).
func MeasureWire(ctx context.Context, width, n int, pollEvery time.Duration) (WireBytes, error) {
	out := WireBytes{Width: width}
	t, err := newBenchTenant(3, n)
	if err != nil {
		return out, err
	}
	defer t.Close()
	c, err := t.Client()
	if err != nil {
		return out, err
	}
	be := &gatedBackend{Backend: c, release: make(chan struct{})}
	opts := ui.Options{Backend: be, Now: func() time.Time { return benchNow }, Theme: ui.ThemeDark,
		PollInterval: pollEvery, GracePeriod: -1, Identity: "Megan Bowen <megan@contoso.com>"}
	w := &countingWriter{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := tea.NewProgram(ui.New(opts), tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(w),
		tea.WithWindowSize(width, WireHeight), tea.WithColorProfile(colorprofile.ANSI256),
		tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithoutSignals())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	defer func() {
		p.Quit()
		<-done
	}()

	step := func(what string, act func() error) (int, error) {
		before := w.settled(ctx, wireQuiet)
		if err := act(); err != nil {
			return 0, fmt.Errorf("%s: %w", what, err)
		}
		if !w.grew(ctx, before, 5*time.Second) {
			return 0, fmt.Errorf("%s: nothing was drawn", what)
		}
		return w.settled(ctx, wireQuiet) - before, nil
	}
	key := func(k string) func() error { return func() error { p.Send(benchKey(k)); return nil } }

	if !w.grew(ctx, 0, 5*time.Second) {
		return out, errors.New("the first frame was never drawn")
	}
	out.FirstFrame = w.settled(ctx, wireQuiet)
	if out.Loaded, err = step("the first refresh", func() error { close(be.release); return nil }); err != nil {
		return out, err
	}
	out.N = be.lastCount()
	if out.Repaint, err = step("a full repaint", func() error { p.Send(tea.ClearScreen()); return nil }); err != nil {
		return out, err
	}
	if out.CursorMove, err = step("a cursor move", key("j")); err != nil {
		return out, err
	}
	if pollEvery > 0 {
		before, polls := w.settled(ctx, wireQuiet), be.count()
		if err := be.waitPolls(ctx, polls+3, 10*time.Second); err != nil {
			return out, err
		}
		out.IdleBytes = w.settled(ctx, wireQuiet) - before
		out.IdlePolls = be.count() - polls
	}
	if out.FormOpen, err = step("opening the approve form", key("a")); err != nil {
		return out, err
	}
	if out.TypedChar, err = step("typing a character", key("x")); err != nil {
		return out, err
	}
	return out, ctx.Err()
}

// gatedBackend holds the first Refresh until release is closed (so the
// first frame is always the empty one) and counts refreshes.
type gatedBackend struct {
	ui.Backend
	release chan struct{}

	mu        sync.Mutex
	refreshes int
	listed    int
}

func (g *gatedBackend) Refresh(ctx context.Context) (*graph.Snapshot, error) {
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s, err := g.Backend.Refresh(ctx)
	g.mu.Lock()
	g.refreshes++
	if s != nil {
		g.listed = len(s.Approvals)
	}
	g.mu.Unlock()
	return s, err
}

func (g *gatedBackend) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.refreshes
}

func (g *gatedBackend) lastCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.listed
}

// waitPolls waits until n refreshes have returned.
func (g *gatedBackend) waitPolls(ctx context.Context, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for g.count() < n {
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d polls returned in %s", g.count(), n, timeout)
		}
		if err := benchSleep(ctx, 5*time.Millisecond); err != nil {
			return err
		}
	}
	return nil
}

// countingWriter counts what the renderer writes and when it last did.
type countingWriter struct {
	mu   sync.Mutex
	n    int
	last time.Time
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.n += len(p)
	c.last = time.Now()
	c.mu.Unlock()
	return len(p), nil
}

func (c *countingWriter) state() (int, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n, c.last
}

// grew waits until more than before bytes were written.
func (c *countingWriter) grew(ctx context.Context, before int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if n, _ := c.state(); n > before {
			return true
		}
		if time.Now().After(deadline) || benchSleep(ctx, 2*time.Millisecond) != nil {
			return false
		}
	}
}

// settled waits until nothing has been written for quiet and returns the
// byte benchCount.
func (c *countingWriter) settled(ctx context.Context, quiet time.Duration) int {
	since := time.Now()
	for {
		n, last := c.state()
		if last.After(since) {
			since = last
		}
		if time.Since(since) >= quiet || benchSleep(ctx, 5*time.Millisecond) != nil {
			return n
		}
	}
}

func benchSleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
