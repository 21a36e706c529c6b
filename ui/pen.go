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
	// blankSafe: the style shows nothing on a blank (foreground, bold
	// and the like only), so a space may take it or leave it. Joining
	// two runs of the pen across the space between them, and leaving a
	// blank run unstyled, look the same and cost the renderer fewer
	// escape sequences to parse and the terminal fewer to receive.
	blankSafe bool
}

// penProbe is a line with what could make Render differ from plain
// wrapping: spaces at both ends and inside, wide and combining runes.
const penProbe = "  a b  é漢字 ●  "

func newPen(s lipgloss.Style) pen {
	p := pen{style: s, blankSafe: blankSafe(s)}
	on, off, ok := strings.Cut(s.Render("x"), "x")
	if ok && !strings.Contains(off, "x") && s.Render(penProbe) == on+penProbe+off && s.Render("") == on+off {
		p.on, p.off, p.exact = on, off, true
	}
	return p
}

// blankSafe reports whether s draws a blank exactly as no style does: no
// background, reverse video, underline, strikethrough or blinking.
func blankSafe(s lipgloss.Style) bool {
	_, noBg := s.GetBackground().(lipgloss.NoColor)
	return noBg && !s.GetReverse() && !s.GetUnderline() && !s.GetStrikethrough() && !s.GetBlink()
}

// paintCells paints cells separated by single spaces: as one run when
// blanks take the style unseen, else cell by cell with plain spaces.
func (p pen) paintCells(cells ...string) string {
	if p.blankSafe {
		return p.paint(strings.Join(cells, " "))
	}
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = p.paint(c)
	}
	return strings.Join(out, " ")
}

// paintBlank paints text that may be all blanks: left unstyled when the
// style would not show on them.
func (p pen) paintBlank(text string) string {
	if p.blankSafe && strings.Trim(text, " ") == "" {
		return text
	}
	return p.paint(text)
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
