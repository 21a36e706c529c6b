package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"approvals/ui/sanitize"
)

// detailScreen is the narrow layout's detail (enter): it replaces the
// list, and the inbox's keys go on working (esc comes back).
type detailScreen struct{}

func (detailScreen) layer() layer                       { return layerDetail }
func (detailScreen) key(*Model, tea.KeyPressMsg) action { return nil }
func (detailScreen) hints(*Model) []hint                { return nil }

func (detailScreen) body(m *Model, width, height int) []string {
	if m.layout.wide || m.paneItem() == nil {
		return m.panes()
	}
	return m.detailPane(width, height)
}

// tooSmallScreen stands in front while the terminal is too small. Nobody
// can see what a key would do, so none decides anything blind (a form
// typed and submitted, a list moved and approved). Quitting (its question
// is shown) and undoing a queued decision still work.
type tooSmallScreen struct{}

func (tooSmallScreen) layer() layer { return layerTooSmall }

func (tooSmallScreen) key(m *Model, msg tea.KeyPressMsg) action {
	typing := m.stack.has(layerForm) || m.stack.has(layerFilter)
	switch {
	case m.keys.is(msg, ActionQuit) && (!typing || msg.Text == ""):
		return askQuit{}
	case m.keys.is(msg, ActionUndo) && !typing && len(m.queued) > 0:
		return undoNewest{}
	}
	return keyTaken{}
}

func (tooSmallScreen) hints(*Model) []hint { return nil }

// screen says the terminal is too small, and what still matters: the
// quit question, or a queued decision's countdown (u still undoes it).
func (tooSmallScreen) screen(m *Model) string {
	lines := []string{m.styles.Warn.Render(sanitize.Truncate("Terminal too small: need "+strconv.Itoa(minWidth)+"×"+
		strconv.Itoa(minHeight)+", have "+strconv.Itoa(m.width)+"×"+strconv.Itoa(m.height)+".", m.width))}
	switch reason := m.quitReason(); {
	case reason != "":
		for _, l := range []string{"Quit? " + capitalize(reason) + ".", "y quits, any other key stays."} {
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
