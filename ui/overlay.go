package ui

import (
	"slices"

	tea "charm.land/bubbletea/v2"
)

// What stands in front of the inbox is one ordered stack of overlays. Keys,
// the body, the status line, the help line and the cursor all ask the same
// stack, so what is shown is always what the keys act on.
//
// To add an overlay: give it a layer below (its place in front of the
// others), write a type with layer, key and hints (plus any of the facets
// bodyDrawer, statusDrawer, cursorPlacer), and open it with m.open.

// layer is an overlay's place in the stack: a later layer is in front of
// an earlier one, whatever the order they opened in (a sign-in that
// expires while help is open comes in front of the help; the quit question
// comes in front of everything).
type layer int

const (
	layerDetail   layer = iota // narrow layout: the detail replaces the list
	layerFilter                // typing a filter on the status line
	layerHelp                  // every key binding
	layerForm                  // the decision form
	layerSignIn                // signing in (again), or why it failed
	layerTooSmall              // the terminal is too small for anything else
	layerQuit                  // "Quit? …": y quits, any other key stays
)

// overlay is one thing in front of the inbox.
type overlay interface {
	layer() layer
	// key handles a key press that reached this overlay (it is in front,
	// or every overlay in front of it passed) and says what to do; nil
	// passes the key to the overlay behind it, then the inbox.
	key(m *Model, msg tea.KeyPressMsg) action
	// hints is the help line while the overlay is in front; nil gives
	// the line of the overlay behind it, then the inbox's.
	hints(m *Model) []hint
}

// bodyDrawer is an overlay that replaces the panes between the title bar
// and the status line (the frontmost one draws).
type bodyDrawer interface {
	body(m *Model, width, height int) []string
}

// screenDrawer is an overlay that replaces the whole screen.
type screenDrawer interface {
	screen(m *Model) string
}

// statusDrawer is an overlay that owns the status line while in front.
type statusDrawer interface {
	status(m *Model) string
}

// cursorPlacer is an overlay that shows the terminal cursor while in front.
type cursorPlacer interface {
	cursor(m *Model) *tea.Cursor
}

// overlays is the stack, back to front.
type overlays []overlay

// open puts o in its layer: in front of every overlay of a lower layer,
// behind every one of a higher layer, replacing one of the same layer.
func (s *overlays) open(o overlay) {
	s.close(o.layer())
	i := len(*s)
	for i > 0 && (*s)[i-1].layer() > o.layer() {
		i--
	}
	*s = slices.Insert(*s, i, o)
}

// close removes the overlay of layer l, if open, and returns it.
func (s *overlays) close(l layer) overlay {
	for i, o := range *s {
		if o.layer() == l {
			*s = slices.Delete(*s, i, i+1)
			return o
		}
	}
	return nil
}

// get is the open overlay of layer l, or nil.
func (s overlays) get(l layer) overlay {
	for _, o := range s {
		if o.layer() == l {
			return o
		}
	}
	return nil
}

// has reports whether an overlay of layer l is open.
func (s overlays) has(l layer) bool { return s.get(l) != nil }

// front is the overlay in front, or nil when the inbox is.
func (s overlays) front() overlay {
	if len(s) == 0 {
		return nil
	}
	return s[len(s)-1]
}

// frontIs reports whether the overlay in front is of layer l.
func (s overlays) frontIs(l layer) bool {
	f := s.front()
	return f != nil && f.layer() == l
}

// bodyLayer is the frontmost overlay that draws the body, or nil.
func (s overlays) bodyOverlay() bodyDrawer {
	for i := len(s) - 1; i >= 0; i-- {
		if b, ok := s[i].(bodyDrawer); ok {
			return b
		}
	}
	return nil
}

// shown reports whether the overlay of layer l is open and not hidden by
// one in front of it that draws the body or the whole screen.
func (s overlays) shown(l layer) bool {
	for i := len(s) - 1; i >= 0; i-- {
		o := s[i]
		if o.layer() == l {
			return true
		}
		if _, ok := o.(bodyDrawer); ok {
			return false
		}
		if _, ok := o.(screenDrawer); ok {
			return false
		}
	}
	return false
}

// open shows o and lays the screen out again (an overlay may take rows).
func (m *Model) open(o overlay) {
	m.stack.open(o)
	m.relayout()
}

// close removes the overlay of layer l and lays the screen out again.
func (m *Model) close(l layer) overlay {
	o := m.stack.close(l)
	m.relayout()
	return o
}

// onKey gives a key press to the overlays, front to back, then the inbox.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if act := m.stack[i].key(m, msg); act != nil {
			return m.do(act)
		}
	}
	return m.onInboxKey(msg)
}

// shortHelp is what the help line offers now: the hints of the overlay in
// front (or the first behind it that has some), else the inbox's.
func (m *Model) shortHelp() []hint {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if hs := m.stack[i].hints(m); hs != nil {
			return hs
		}
	}
	return m.inboxHints()
}
