package ui

import (
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"approvals/ui/sanitize"
)

// filterBar is the filter being typed on the status line: the list
// narrows on every keystroke; enter keeps the filter, esc clears it.
type filterBar struct{}

func (filterBar) layer() layer { return layerFilter }

func (filterBar) key(m *Model, msg tea.KeyPressMsg) action {
	ib := &m.inbox
	before := ib.filter
	switch msg.String() {
	case "enter":
		m.close(layerFilter)
	case "esc":
		m.close(layerFilter)
		ib.setFilter("")
	case "backspace":
		if f := ib.filter; f != "" {
			_, size := utf8.DecodeLastRuneInString(f)
			ib.setFilter(f[:len(f)-size])
		}
	case "ctrl+u":
		ib.setFilter("")
	case "up":
		ib.move(-1)
	case "down":
		ib.move(1)
	case "ctrl+c":
		return askQuit{}
	default:
		if msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper|tea.ModHyper) == 0 {
			ib.setFilter(ib.filter + sanitizeLine(msg.Text))
		}
	}
	if ib.filter != before && ib.filter != "" {
		ib.moveTo(0) // the first match in the current order
	}
	m.selectionChanged()
	return keyTaken{}
}

func (filterBar) hints(*Model) []hint {
	return []hint{{keys: "enter", desc: "keep filter"}, {keys: "esc", desc: "clear"}, {keys: "↑/↓", desc: "move", drop: 1}}
}

func (filterBar) status(m *Model) string { return m.filterPrompt() }

func (filterBar) cursor(m *Model) *tea.Cursor {
	x := sanitize.Width(m.filterPrompt())
	return tea.NewCursor(min(x, m.width-1), m.height-2)
}
