package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"approvals/config"
	"approvals/ui/sanitize"
)

// View draws the whole screen. It is deterministic: the same state gives
// the same string, so an idle screen costs no bytes.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = m.windowTitle()
	if m.form != nil && !m.layout.tooSmall && m.quitAsk == "" {
		v.Cursor = m.formCursor(1 + m.layout.bodyH)
	} else if m.filtering && !m.layout.tooSmall {
		x := sanitize.Width(m.filterPrompt())
		v.Cursor = tea.NewCursor(min(x, m.width-1), m.height-2)
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
	l := m.layout
	if l.tooSmall {
		return m.tooSmallView()
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.titleBar())
	lines = append(lines, m.body()...)
	if m.form != nil {
		lines = append(lines, strings.Split(m.formView(m.width), "\n")...)
	}
	lines = append(lines, m.statusLine(), m.helpLineCached())
	return strings.Join(lines, "\n")
}

// tooSmallView says the terminal is too small, and what still matters: the
// quit question, or a queued decision's countdown (u still undoes it).
func (m *Model) tooSmallView() string {
	lines := []string{m.styles.Warn.Render(sanitize.Truncate("Terminal too small: need "+strconv.Itoa(minWidth)+"×"+
		strconv.Itoa(minHeight)+", have "+strconv.Itoa(m.width)+"×"+strconv.Itoa(m.height)+".", m.width))}
	switch {
	case m.quitAsk != "":
		for _, l := range []string{"Quit? " + capitalize(m.quitAsk) + ".", "y quits, any other key stays."} {
			lines = append(lines, m.styles.Bad.Render(sanitize.Truncate(l, m.width)))
		}
	case len(m.queued) > 0:
		what, when := m.undoParts(m.newestQueued())
		for _, l := range []string{what, when} {
			lines = append(lines, m.styles.Warn.Render(sanitize.Truncate(l, m.width)))
		}
	}
	return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, strings.Join(lines, "\n"))
}

// body is the panes: bodyH lines.
func (m *Model) body() []string {
	l := m.layout
	switch {
	case m.showHelp:
		return m.helpPane(m.width, l.bodyH)
	case m.signIn.active:
		return fitLines(centerBlock(m.signInLines(), m.width, l.bodyH), l.bodyH, m.width)
	case !l.wide && m.showDetail && m.paneItem() != nil:
		return m.detailPane(m.width, l.bodyH)
	case !l.wide:
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
	it := m.paneItem()
	var lines []string
	if it != nil {
		lines = m.detailLines(it, width-1) // one column of margin from the divider
	}
	if f := m.form; f != nil && len(f.targets) > 1 && it != nil {
		// Which request of the batch this is: the pane never shows one
		// the decision does not cover.
		head := "In this decision: " + strconv.Itoa(f.listTop+1) + " of " + strconv.Itoa(len(f.targets)) + " (pgup/pgdown)"
		lines = append([]string{padStyled(m.styles.Marked.Render(sanitize.Truncate(head, width-1)), width-1)}, lines...)
	}
	maxScroll := max(0, len(lines)-height)
	m.detailScroll = min(m.detailScroll, maxScroll)
	out := make([]string, height)
	for i := range out {
		j := i + m.detailScroll
		if j < len(lines) {
			out[i] = " " + lines[j]
		} else {
			out[i] = strings.Repeat(" ", width)
		}
	}
	more := func(text string) string {
		return " " + padStyled(m.styles.Muted.Render(sanitize.Truncate(text, width-1)), width-1)
	}
	if m.detailScroll > 0 && height > 1 {
		out[0] = more("… more above (" + m.keys.first(config.ActionDetailUp) + ")")
	}
	if m.detailScroll < maxScroll && height > 0 {
		out[height-1] = more("… more below (" + m.keys.first(config.ActionDetailDown) + ")")
	}
	return out
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
