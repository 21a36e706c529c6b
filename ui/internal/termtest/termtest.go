// Package termtest reads a program's output the way a person sees it: the
// bytes go through a terminal emulator (charmbracelet/x/vt) and tests look
// at the resulting screen. For tests only.
package termtest

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
)

// Screen is a virtual terminal fed with a program's output.
type Screen struct {
	mu    sync.Mutex
	emu   *vt.Emulator
	raw   int  // bytes written so far
	onlcr bool // translate \n to \r\n, as a tty in cooked mode does
}

// New makes a w×h screen. The terminal's answers to queries (background
// colour, modes, ...) are written to replies, or dropped when it is nil.
// onlcr makes it behave like a tty whose driver turns \n into \r\n, which
// is what Bubble Tea assumes of an output that is not a terminal (teatest);
// a pseudo-terminal does that translation itself.
func New(w, h int, replies io.Writer, onlcr bool) *Screen {
	s := &Screen{emu: vt.NewEmulator(w, h), onlcr: onlcr}
	if replies == nil {
		replies = io.Discard
	}
	go func() { _, _ = io.Copy(replies, s.emu) }() // the emulator blocks until its answers are read
	return s
}

// Write feeds program output to the terminal.
func (s *Screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw += len(p)
	if s.onlcr {
		_, err := s.emu.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n")))
		return len(p), err
	}
	return s.emu.Write(p)
}

// Text is the screen's text, one line per row, trailing blanks trimmed.
func (s *Screen) Text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

// Resize changes the terminal's size, as a window resize does.
func (s *Screen) Resize(w, h int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emu.Resize(w, h)
}

// Bytes is how many bytes the program has written.
func (s *Screen) Bytes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw
}

// Close ends the goroutine that forwards the terminal's answers. It closes
// the answer pipe rather than calling Emulator.Close, which races with a
// pending Read inside vt.
func (s *Screen) Close() {
	if pw, ok := s.emu.InputPipe().(*io.PipeWriter); ok {
		_ = pw.Close()
	}
}

// WaitFor polls the screen until cond holds, pulling output from src when
// it is not nil (a consuming reader such as teatest's Output). It fails the
// test with the last screen after timeout.
func (s *Screen) WaitFor(t testing.TB, src io.Reader, timeout time.Duration, what string, cond func(screen string) bool) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if src != nil {
			b, _ := io.ReadAll(src)
			if len(b) > 0 {
				_, _ = s.Write(b)
			}
		}
		text := s.Text()
		if cond(text) {
			return text
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: not on screen after %s:\n%s", what, timeout, text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Contains is a WaitFor condition: every part is on screen.
func Contains(parts ...string) func(string) bool {
	return func(screen string) bool {
		for _, p := range parts {
			if !strings.Contains(screen, p) {
				return false
			}
		}
		return true
	}
}

// Loaded is a WaitFor condition: the inbox has finished loading (its
// header says when it was updated, and no source is still loading) and
// every part is on screen. Words such as "waiting" or the title are on
// screen while the first source's rows are all there is.
func Loaded(parts ...string) func(string) bool {
	has := Contains(parts...)
	return func(screen string) bool {
		return strings.Contains(screen, "updated ") && !strings.Contains(screen, "not updated yet") &&
			!strings.Contains(screen, "loading…") && has(screen)
	}
}

// FilteredTo is a WaitFor condition: the list header says the filter
// typed is applied and matches one request ("1 of N match “id”", the id
// perhaps cut with "…" to fit the title). "1 of " alone is no proof: the
// STAGE column says "1 of 2".
func FilteredTo(filter string) func(string) bool {
	return func(screen string) bool {
		for _, m := range filteredTo.FindAllStringSubmatch(screen, -1) {
			if m[2] == filter || m[3] == "…" && len(m[2]) >= min(8, len(filter)) && strings.HasPrefix(filter, m[2]) {
				return true
			}
		}
		return false
	}
}

var filteredTo = regexp.MustCompile(`(^|[^0-9])1 of [0-9]+ match “([^”…]*)(”|…)`)
