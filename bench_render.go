//go:build bench

package main

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
	"approvals/ui"
)

// Rendering (design §7): a frame with 10,000 approvals loaded renders in
// well under a millisecond, and a keystroke does no O(N) work. Each
// operation below is a closure over a loaded inbox, so the command's
// timing loop and `go test -bench` run exactly the same code.

// benchSnapshot reads the inbox of a generated tenant with n approvals waiting,
// through the real client, as the inbox would get it.
func benchSnapshot(ctx context.Context, seed int64, n int) (*graph.Snapshot, error) {
	t, err := newBenchTenant(seed, n)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	c, err := t.Client()
	if err != nil {
		return nil, err
	}
	snap, err := c.Refresh(ctx)
	if err := checkBenchSnapshot(snap, err); err != nil {
		return nil, err
	}
	return snap, nil
}

// benchInbox is an inbox of w×h with snap loaded and drawn once, on the
// fixed clock and the dark theme (so no terminal query is needed).
func benchInbox(snap *graph.Snapshot, w, h int) *ui.Model {
	m := ui.New(ui.Options{Now: func() time.Time { return benchNow }, Theme: ui.ThemeDark, GracePeriod: -1})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Load(snap)
	m.View()
	return m
}

// benchKey is a key press as the terminal would send it.
func benchKey(k string) tea.KeyPressMsg {
	switch k {
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// benchAlternate returns an op that sends a, then b, then a, ... and draws a
// frame after each when draw is set.
func benchAlternate(m *ui.Model, a, b tea.Msg, draw bool) func() {
	i := 0
	return func() {
		msg := a
		if i%2 == 1 {
			msg = b
		}
		i++
		m.Update(msg)
		if draw {
			_ = m.View()
		}
	}
}

// CursorFrame is one keystroke's work: a cursor move (down, then up) and
// the frame drawn after it.
func CursorFrame(m *ui.Model) func() { return benchAlternate(m, benchKey("j"), benchKey("k"), true) }

// CursorUpdate is a cursor move alone (Update, no frame).
func CursorUpdate(m *ui.Model) func() { return benchAlternate(m, benchKey("j"), benchKey("k"), false) }

// ResizeFrame is a frame in which every visible row and the detail are
// drawn afresh: the terminal narrows by one column, then widens back (the
// same work as a page down onto rows never drawn before, but the same for
// every N).
func ResizeFrame(m *ui.Model, w, h int) func() {
	return benchAlternate(m, tea.WindowSizeMsg{Width: w - 1, Height: h}, tea.WindowSizeMsg{Width: w, Height: h}, true)
}

// FilterKeystroke types one character into the filter (then deletes it)
// and draws the frame: the list narrows over every approval.
func FilterKeystroke(m *ui.Model) func() {
	m.Update(benchKey("/"))
	return benchAlternate(m, benchKey("e"), benchKey("backspace"), true)
}
