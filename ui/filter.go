package ui

import (
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// onFilterKey edits the filter while it is being typed: the list narrows
// on every keystroke; enter keeps the filter, esc clears it.
func (m *Model) onFilterKey(msg tea.KeyPressMsg) tea.Cmd {
	ib := &m.inbox
	before := ib.filter
	switch msg.String() {
	case "enter":
		m.filtering = false
	case "esc":
		m.filtering = false
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
		return m.askQuit()
	default:
		if msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper|tea.ModHyper) == 0 {
			ib.setFilter(ib.filter + sanitizeLine(msg.Text))
		}
	}
	if ib.filter != before && ib.filter != "" {
		ib.moveTo(0) // the first match in the current order
	}
	m.selectionChanged()
	return nil
}
