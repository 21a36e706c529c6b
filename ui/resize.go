package ui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// repaintAfterResize puts the whole screen back after the terminal changed
// size, with the terminal's scrolling region reset first.
//
// Bubble Tea's renderer repaints fully after a resize, but it assumes the
// terminal's scrolling region is the whole screen. It is not always: when
// the renderer scrolls part of the screen it sets a region and then sets it
// back with the old size's numbers (DECSTBM 1;24 for 24 rows), not with
// the size-free default. Bytes of such a frame still on their way when the
// terminal grows (over SSH they always may be: the client resizes its
// window first, and the server hears of it a round trip later) leave a
// region that ends at the old bottom row, and the full repaint then
// scrolls inside it: the top rows are lost until the next full repaint.
// tmux and the x/vt emulator both show it; see TestResizeWithOldFramesInFlight.
//
// Everything written before the resize reached the program comes before
// this Cmd's bytes, so resetting the region (to the whole screen, whatever
// its size) and then asking for a full repaint puts every row back.
func repaintAfterResize() tea.Cmd {
	return tea.Sequence(tea.Raw(ansi.SetTopBottomMargins(0, 0)), tea.ClearScreen)
}
