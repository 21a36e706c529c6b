package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// pen is a style reduced to the escape sequences it puts around one line
// of text. List rows are drawn cell by cell, and lipgloss's Render (which
// measures, wraps, pads and checks borders on every call) was most of the
// time of a frame whose rows are all new (a page down, a resize, the
// minute tick).
type pen struct {
	on, off string
	style   lipgloss.Style
	exact   bool // on + text + off is what style.Render gives for one line
}

// penProbe is a line with what could make Render differ from plain
// wrapping: spaces at both ends and inside, wide and combining runes.
const penProbe = "  a b  é漢字 ●  "

func newPen(s lipgloss.Style) pen {
	p := pen{style: s}
	on, off, ok := strings.Cut(s.Render("x"), "x")
	if ok && !strings.Contains(off, "x") && s.Render(penProbe) == on+penProbe+off && s.Render("") == on+off {
		p.on, p.off, p.exact = on, off, true
	}
	return p
}

// paint renders a single line of text (no newline, no tab) as the style
// would.
func (p pen) paint(text string) string {
	if !p.exact {
		return p.style.Render(text)
	}
	return p.on + text + p.off
}

// rowPens are the pens of a list row.
type rowPens struct {
	plain, selected, marked, fresh, muted, ok, bad, warn pen
}

func newRowPens(s Styles) rowPens {
	return rowPens{
		plain: newPen(lipgloss.NewStyle()), selected: newPen(s.Selected), marked: newPen(s.Marked), fresh: newPen(s.New),
		muted: newPen(s.Muted), ok: newPen(s.Ok), bad: newPen(s.Bad), warn: newPen(s.Warn),
	}
}
