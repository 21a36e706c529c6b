package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"approvals/ui/sanitize"
)

// View draws the whole screen. It is deterministic: the same state gives
// the same string, so an idle screen costs no bytes.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = m.windowTitle()
	if c, ok := m.stack.front().(cursorPlacer); ok && m.width > 0 && m.height > 0 {
		v.Cursor = c.cursor(m) // only the overlay in front takes typing
	}
	return v
}

// windowTitle is "approvals (7)": how many wait for me.
func (m *Model) windowTitle() string {
	if !m.loaded {
		return "approvals"
	}
	return "approvals (" + strconv.Itoa(m.inbox.total()) + ")"
}

// render is the screen as text.
func (m *Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	for i := len(m.stack) - 1; i >= 0; i-- {
		if s, ok := m.stack[i].(screenDrawer); ok {
			return s.screen(m)
		}
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.titleBar())
	lines = append(lines, m.body()...)
	if m.stack.shown(layerForm) {
		lines = append(lines, strings.Split(m.formView(m.width), "\n")...)
	}
	status := m.statusLine()
	if s, ok := m.stack.front().(statusDrawer); ok {
		status = s.status(m)
	}
	lines = append(lines, status, m.helpLineCached())
	for i, l := range lines {
		lines[i] = trimBlankEnd(l)
	}
	return strings.Join(lines, "\n")
}

// trimBlankEnd drops the blanks a line ends with when they are drawn in
// no style: the renderer clears its cells before drawing each frame, so
// they are on screen all the same, and it no longer parses and compares
// them (the detail pane, the last on each line, pads every line to its
// width; a third of a screen's cells were such blanks).
func trimBlankEnd(s string) string {
	t := strings.TrimRight(s, " ")
	if len(t) == len(s) {
		return s
	}
	if i := strings.LastIndexByte(t, '\x1b'); i >= 0 && !strings.HasPrefix(t[i:], "\x1b[m") && !strings.HasPrefix(t[i:], "\x1b[0m") {
		return s // the blanks may be styled (a background, an underline)
	}
	return t
}

// body is the panes, or what the frontmost overlay that has a body
// draws instead: bodyH lines.
func (m *Model) body() []string {
	if b := m.stack.bodyOverlay(); b != nil {
		return b.body(m, m.width, m.layout.bodyH)
	}
	return m.panes()
}

// panes is the list, beside the detail when the screen is wide.
func (m *Model) panes() []string {
	l := m.layout
	if !l.wide {
		return m.listPane(m.width, l.bodyH)
	}
	left := m.listPane(l.listW, l.bodyH)
	right := m.detailPane(l.detailW, l.bodyH)
	div := m.styles.Border.Render("│")
	out := make([]string, l.bodyH)
	for i := range out {
		out[i] = left[i] + div + right[i]
	}
	return out
}

// listPane is the column header and the visible rows, height lines of
// exactly width columns.
func (m *Model) listPane(width, height int) []string {
	out := make([]string, 0, height)
	out = append(out, m.listHeader(width))
	ib := &m.inbox
	sel := ib.selected()
	for _, it := range ib.visible() {
		out = append(out, m.row(it, width, it == sel))
	}
	if len(ib.view) == 0 {
		out = append(out, padStyled(m.styles.Muted.Render(sanitize.Truncate("  "+m.emptyText(), width)), width))
	}
	blank := strings.Repeat(" ", width)
	for len(out) < height {
		out = append(out, blank)
	}
	return out[:height]
}

// emptyText explains an empty list.
func (m *Model) emptyText() string {
	switch {
	case !m.loaded && m.pollErr != nil:
		return "Could not load the inbox (see below)."
	case !m.loaded:
		if notes := m.sourceNotes(); len(notes) > 0 {
			return "Loading… " + ansi.Strip(strings.Join(notes, " · "))
		}
		return "Loading…"
	case m.inbox.total() > 0:
		return "No request matches “" + sanitize.Line(m.inbox.filter) + "”. esc clears the filter."
	}
	return "Nothing is waiting for your decision."
}

// detailPane is the selected approval's detail, scrolled.
func (m *Model) detailPane(width, height int) []string {
	lines := m.detailContent(width)
	maxScroll := max(0, len(lines)-height)
	scroll := min(m.detailScroll, maxScroll) // scrolled in Update, never here: View changes nothing
	out := make([]string, height)
	for i := range out {
		j := i + scroll
		if j < len(lines) {
			out[i] = " " + lines[j]
		} else {
			out[i] = strings.Repeat(" ", width)
		}
	}
	more := func(text string) string {
		return " " + padStyled(m.styles.Muted.Render(sanitize.Truncate(text, width-1)), width-1)
	}
	if scroll > 0 && height > 1 {
		out[0] = more("… more above (" + m.keys.first(ActionDetailUp) + ")")
	}
	if scroll < maxScroll && height > 0 {
		out[height-1] = more("… more below (" + m.keys.first(ActionDetailDown) + ")")
	}
	return out
}

// detailContent is the detail pane's lines, unscrolled, for a pane of width.
func (m *Model) detailContent(width int) []string {
	it := m.paneItem()
	var lines []string
	if it != nil {
		lines = m.detailLines(it, width-1) // one column of margin from the divider
	}
	if f := m.form(); f != nil && len(f.targets) > 1 && it != nil {
		// Which request of the batch this is: the pane never shows one
		// the decision does not cover.
		head := "In this decision: " + strconv.Itoa(f.listTop+1) + " of " + strconv.Itoa(len(f.targets)) + " (pgup/pgdown)"
		lines = append([]string{padStyled(m.styles.Marked.Render(sanitize.Truncate(head, width-1)), width-1)}, lines...)
	}
	return lines
}

// scrollDetail scrolls the detail pane by delta lines, within what it holds.
func (m *Model) scrollDetail(delta int) {
	l := m.layout
	width := m.width
	if l.wide {
		width = l.detailW
	}
	maxScroll := max(0, len(m.detailContent(width))-l.bodyH)
	m.detailScroll = max(0, min(m.detailScroll, maxScroll)+delta)
	m.detailScroll = min(m.detailScroll, maxScroll)
}

// paneItem is the request the detail pane shows: the form's while a form
// is open, else the one under the cursor.
func (m *Model) paneItem() *item {
	if it := m.formFocus(); it != nil {
		return it
	}
	return m.inbox.selected()
}

// fitLines pads or cuts lines to exactly height lines.
func fitLines(lines []string, height, width int) []string {
	out := make([]string, height)
	for i := range out {
		if i < len(lines) {
			out[i] = lines[i]
		}
	}
	return out
}

// centerBlock centres lines in a width × height area.
func centerBlock(lines []string, width, height int) []string {
	w := 0
	for _, l := range lines {
		w = max(w, lipgloss.Width(l))
	}
	left := strings.Repeat(" ", max(0, (width-w)/2))
	top := max(0, (height-len(lines))/2)
	out := make([]string, top, top+len(lines))
	for _, l := range lines {
		out = append(out, ansi.Truncate(left+l, width, "…"))
	}
	return out
}
