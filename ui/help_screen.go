package ui

import (
	tea "charm.land/bubbletea/v2"
)

// helpScreen is the full help (`?`), scrolled with the move keys; any
// other key closes it.
type helpScreen struct{ scroll int }

func (*helpScreen) layer() layer { return layerHelp }

func (h *helpScreen) key(m *Model, msg tea.KeyPressMsg) action {
	h.scroll = min(h.scroll, m.helpMaxScroll()) // the screen may have grown since
	switch {
	case m.keys.is(msg, ActionQuit):
		return askQuit{}
	case m.keys.is(msg, ActionDown), m.keys.is(msg, ActionDetailDown):
		h.scroll = min(h.scroll+1, m.helpMaxScroll())
		return keyTaken{}
	case m.keys.is(msg, ActionUp), m.keys.is(msg, ActionDetailUp):
		h.scroll = max(0, h.scroll-1)
		return keyTaken{}
	}
	return closeOverlay{layerHelp}
}

func (*helpScreen) hints(m *Model) []hint {
	return []hint{m.hint(ActionDown, 0), m.hint(ActionUp, 0), {keys: "any other key", desc: "close help"}}
}

// body is the full help, scrolled, exactly height lines.
func (h *helpScreen) body(m *Model, width, height int) []string {
	lines := m.fullHelpLines(width)
	maxScroll := max(0, len(lines)-height)
	scroll := max(0, min(h.scroll, maxScroll))
	out := fitLines(lines[scroll:], height, width)
	if scroll < maxScroll && height > 0 {
		out[height-1] = m.styles.Muted.Render("… more below (↓)")
	}
	return out
}

// helpMaxScroll is how far the full help scrolls on this screen.
func (m *Model) helpMaxScroll() int {
	return max(0, len(m.fullHelpLines(m.width))-m.layout.bodyH)
}
