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

// Blanks a style shows nothing on may take the style or leave it: the
// renderer gets the same cells, fewer escape sequences. A style that shows
// on blanks (the selection's background, reverse video, an underline)
// keeps every blank it paints.
func TestBlankSafePens(t *testing.T) {
	t.Parallel()
	for _, theme := range []struct {
		name          string
		dark, noColor bool
	}{{ThemeDark, true, false}, {ThemeLight, false, false}, {ThemeANSI16, true, false}, {ThemeDark, true, true}} {
		s := newStyles(theme.name, theme.dark, theme.noColor)
		if s.rows.selected.blankSafe {
			t.Errorf("%s (no colour %v): the selection shows on blanks, yet its pen may drop them", theme.name, theme.noColor)
		}
		if !s.rows.muted.blankSafe || !s.rows.marked.blankSafe {
			t.Errorf("%s: a foreground-only pen is not blank-safe", theme.name)
		}
		if got, want := s.rows.muted.paintCells("1 of 2", " 13d"), s.Muted.Render("1 of 2  13d"); got != want {
			t.Errorf("%s: muted cells joined as %q, want one run %q", theme.name, got, want)
		}
		if got, want := s.rows.selected.paintCells("a", "b"), s.Selected.Render("a")+" "+s.Selected.Render("b"); got != want {
			t.Errorf("%s: selected cells joined as %q, want %q", theme.name, got, want)
		}
		if got := s.rows.marked.paintBlank("   "); got != "   " {
			t.Errorf("%s: a blank gutter painted as %q", theme.name, got)
		}
		if got, want := s.rows.marked.paintBlank("●  "), s.Marked.Render("●  "); got != want {
			t.Errorf("%s: a marked gutter painted as %q, want %q", theme.name, got, want)
		}
	}
	for _, st := range []lipgloss.Style{lipgloss.NewStyle().Underline(true), lipgloss.NewStyle().Reverse(true), lipgloss.NewStyle().Background(lipgloss.Color("#005f87"))} {
		if newPen(st).blankSafe {
			t.Errorf("%q is taken as blank-safe", st.Render("x"))
		}
	}
}

// Blanks that end a line are dropped only where no style is open.
func TestTrimBlankEnd(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"abc   ":                    "abc",
		"\x1b[1mabc\x1b[m   ":       "\x1b[1mabc\x1b[m",
		"\x1b[1mabc\x1b[0m ":        "\x1b[1mabc\x1b[0m",
		"\x1b[44mabc   ":            "\x1b[44mabc   ", // a background still open
		"\x1b[44mabc   \x1b[m":      "\x1b[44mabc   \x1b[m",
		"\x1b]8;;https://x\x07ab  ": "\x1b]8;;https://x\x07ab  ", // a link still open
		"   ":                       "",
		"abc":                       "abc",
	} {
		if got := trimBlankEnd(in); got != want {
			t.Errorf("trimBlankEnd(%q) = %q, want %q", in, got, want)
		}
	}
}
