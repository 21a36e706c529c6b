//go:build bench

package main

import (
	"bytes"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"

	"approvals/ui"
)

// Renderer-inclusive figures: what a user gets is not the model's string
// but the bytes Bubble Tea's renderer writes after parsing that string
// into cells and diffing them against the last frame. benchTerm does what
// the program's renderer does for each frame (draw the view into a cell
// buffer, diff, encode at 256 colours in the alternate screen), so a
// keystroke can be timed and its bytes counted without a terminal.
type benchTerm struct {
	out  bytes.Buffer
	scr  *uv.TerminalRenderer
	cell uv.ScreenBuffer
}

func newBenchTerm(w, h int) *benchTerm {
	t := &benchTerm{}
	t.scr = uv.NewTerminalRenderer(&t.out, []string{"TERM=xterm-256color"})
	t.scr.SetColorProfile(colorprofile.ANSI256)
	t.scr.SetTabStops(-1)
	t.scr.SetScrollOptim(true)
	t.scr.Resize(w, h)
	t.scr.SetFullscreen(true) // the alternate screen, as the inbox asks
	t.scr.SetRelativeCursor(false)
	t.scr.Erase()
	t.cell = uv.NewScreenBuffer(w, h)
	return t
}

// frame renders one view and returns the bytes it wrote.
func (t *benchTerm) frame(v tea.View) int {
	t.out.Reset()
	t.cell.Clear()
	uv.NewStyledString(v.Content).Draw(t.cell, t.cell.Bounds())
	t.scr.Render(t.cell.RenderBuffer)
	if v.Cursor != nil {
		t.scr.MoveTo(v.Cursor.X, v.Cursor.Y)
	}
	_ = t.scr.Flush()
	return t.out.Len()
}

// termInbox is a loaded inbox drawn once through a benchTerm.
func termInbox(m *ui.Model, w, h int) *benchTerm {
	t := newBenchTerm(w, h)
	t.frame(m.View())
	return t
}

// KeystrokeToBytes is one filter keystroke end to end: Update, View, and
// the renderer's parse, diff and encode (then the key is deleted, the
// same again). The most expensive keystroke there is at N approvals.
func KeystrokeToBytes(m *ui.Model, w, h int) func() {
	t := termInbox(m, w, h)
	m.Update(benchKey("/"))
	t.frame(m.View())
	step := benchAlternate(m, benchKey("e"), benchKey("backspace"), false)
	return func() {
		step()
		t.frame(m.View())
	}
}

// CursorToBytes is one cursor move end to end (down, then up).
func CursorToBytes(m *ui.Model, w, h int) func() {
	t := termInbox(m, w, h)
	step := benchAlternate(m, benchKey("j"), benchKey("k"), false)
	return func() {
		step()
		t.frame(m.View())
	}
}

// ScrollMoves is the number of cursor moves ScrollBytes averages over.
const ScrollMoves = 50

// ScrollBytes walks the cursor down ScrollMoves rows of a long list from
// its last visible row, so that every move scrolls the list (and changes
// the detail pane), and returns the mean bytes the renderer wrote per move.
func ScrollBytes(m *ui.Model, w, h int) float64 {
	t := termInbox(m, w, h)
	for range h {
		m.Update(benchKey("j"))
	}
	t.frame(m.View())
	total := 0
	for range ScrollMoves {
		m.Update(benchKey("j"))
		total += t.frame(m.View())
	}
	return float64(total) / ScrollMoves
}
