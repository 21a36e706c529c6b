package ui

import (
	"testing"

	"charm.land/lipgloss/v2"
)

// A pen draws exactly what its style would, and every row pen of every
// theme takes the fast path.
func TestPensMatchTheirStyles(t *testing.T) {
	t.Parallel()
	texts := []string{"", "x", " ", "  padded  ", "Ada Lovelace", "SAP Finance — read", "漢字 wide", "e\u0301 combining", "●• ", "~15m    "}
	for _, theme := range []struct {
		name          string
		dark, noColor bool
	}{{ThemeDark, true, false}, {ThemeLight, false, false}, {ThemeANSI16, true, false}, {ThemeAuto, false, false}, {ThemeDark, true, true}} {
		s := newStyles(theme.name, theme.dark, theme.noColor)
		styles := map[string]lipgloss.Style{"plain": lipgloss.NewStyle(), "selected": s.Selected, "marked": s.Marked,
			"fresh": s.New, "muted": s.Muted, "ok": s.Ok, "bad": s.Bad, "warn": s.Warn}
		pens := map[string]pen{"plain": s.rows.plain, "selected": s.rows.selected, "marked": s.rows.marked,
			"fresh": s.rows.fresh, "muted": s.rows.muted, "ok": s.rows.ok, "bad": s.rows.bad, "warn": s.rows.warn}
		for name, p := range pens {
			if !p.exact {
				t.Errorf("%s (dark %v, no colour %v): %s pen falls back to Render", theme.name, theme.dark, theme.noColor, name)
			}
			for _, text := range texts {
				if got, want := p.paint(text), styles[name].Render(text); got != want {
					t.Errorf("%s %s pen paints %q as %q, Render gives %q", theme.name, name, text, got, want)
				}
			}
		}
	}
}

// A style the pen cannot reproduce (a fixed width) is drawn by lipgloss.
func TestPenFallsBackForPadding(t *testing.T) {
	t.Parallel()
	st := lipgloss.NewStyle().Bold(true).Width(12)
	p := newPen(st)
	if p.exact {
		t.Fatal("a fixed-width style was reduced to a pen")
	}
	if got, want := p.paint("ab"), st.Render("ab"); got != want {
		t.Fatalf("paint %q, Render %q", got, want)
	}
}
