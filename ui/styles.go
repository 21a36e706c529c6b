package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Themes accepted in Options.Theme.
const (
	ThemeAuto   = "auto"   // start dark, follow the terminal's background reply
	ThemeDark   = "dark"   // 256-colour palette for dark backgrounds
	ThemeLight  = "light"  // 256-colour palette for light backgrounds
	ThemeANSI16 = "ansi16" // only the 16 ANSI palette indices: the user's own colours
)

// palette is the handful of colours every style derives from. A nil colour
// means "the terminal's default".
type palette struct {
	muted, accent, ok, bad, warn, marked, border color.Color
	selBg, selFg                                 color.Color
	reverseSelection                             bool // selection by reverse video instead of a background
}

func darkPalette() palette {
	return palette{
		muted: lipgloss.Color("#8a8a8a"), accent: lipgloss.Color("#5fafff"),
		ok: lipgloss.Color("#5fd75f"), bad: lipgloss.Color("#ff5f5f"), warn: lipgloss.Color("#ffaf00"),
		marked: lipgloss.Color("#d787ff"), border: lipgloss.Color("#585858"),
		selBg: lipgloss.Color("#005f87"), selFg: lipgloss.Color("#ffffff"),
	}
}

func lightPalette() palette {
	return palette{
		muted: lipgloss.Color("#626262"), accent: lipgloss.Color("#005fd7"),
		ok: lipgloss.Color("#008700"), bad: lipgloss.Color("#d70000"), warn: lipgloss.Color("#af5f00"),
		marked: lipgloss.Color("#8700af"), border: lipgloss.Color("#bcbcbc"),
		selBg: lipgloss.Color("#afd7ff"), selFg: lipgloss.Color("#000000"),
	}
}

// ansi16Palette uses palette indices only, so the user's terminal theme
// decides the actual colours (readable on light and dark alike).
func ansi16Palette() palette {
	return palette{
		muted: lipgloss.BrightBlack, accent: lipgloss.Blue,
		ok: lipgloss.Green, bad: lipgloss.Red, warn: lipgloss.Yellow,
		marked: lipgloss.Magenta, border: lipgloss.BrightBlack,
		reverseSelection: true,
	}
}

// Styles holds every style the inbox draws with. It is built per model
// (never global) from the theme, the terminal's background and NO_COLOR.
type Styles struct {
	Title, Header, HeaderSorted lipgloss.Style
	Selected, Marked, New       lipgloss.Style
	Muted, Accent, Ok, Bad      lipgloss.Style
	Warn, Label, Section        lipgloss.Style
	MyStage, Border, FormBox    lipgloss.Style
	FormTitle, Key              lipgloss.Style
	Help                        help.Styles

	rows rowPens // the row styles as pens (see pen.go)
}

// newStyles builds the styles for a theme. dark matters for "auto" only;
// noColor drops every colour but keeps bold and reverse.
func newStyles(theme string, dark, noColor bool) Styles {
	var p palette
	switch {
	case noColor:
		p = palette{reverseSelection: true}
	case theme == ThemeANSI16:
		p = ansi16Palette()
	case theme == ThemeLight, theme == ThemeAuto && !dark:
		p = lightPalette()
	default:
		p = darkPalette()
	}
	fg := func(c color.Color) lipgloss.Style {
		s := lipgloss.NewStyle()
		if c != nil {
			s = s.Foreground(c)
		}
		return s
	}
	s := Styles{
		Title:        lipgloss.NewStyle().Bold(true),
		Header:       fg(p.muted).Bold(true),
		HeaderSorted: fg(p.accent).Bold(true),
		Marked:       fg(p.marked).Bold(true),
		New:          fg(p.accent).Bold(true),
		Muted:        fg(p.muted),
		Accent:       fg(p.accent),
		Ok:           fg(p.ok).Bold(true),
		Bad:          fg(p.bad).Bold(true),
		Warn:         fg(p.warn).Bold(true),
		Label:        fg(p.muted),
		Section:      fg(p.accent).Bold(true),
		MyStage:      fg(p.accent).Bold(true),
		Border:       fg(p.border),
		FormTitle:    lipgloss.NewStyle().Bold(true),
		Key:          lipgloss.NewStyle().Bold(true),
	}
	if noColor {
		s.Muted = lipgloss.NewStyle()
		s.Label = lipgloss.NewStyle()
		s.Header = lipgloss.NewStyle().Bold(true)
		s.HeaderSorted = lipgloss.NewStyle().Bold(true).Underline(true)
	}
	if p.reverseSelection {
		s.Selected = lipgloss.NewStyle().Reverse(true).Bold(true)
	} else {
		s.Selected = lipgloss.NewStyle().Background(p.selBg).Foreground(p.selFg).Bold(true)
	}
	s.FormBox = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	if p.accent != nil {
		s.FormBox = s.FormBox.BorderForeground(p.accent)
	}
	s.Help = help.Styles{
		ShortKey:       lipgloss.NewStyle().Bold(true),
		ShortDesc:      fg(p.muted),
		ShortSeparator: fg(p.border),
		Ellipsis:       fg(p.border),
		FullKey:        lipgloss.NewStyle().Bold(true),
		FullDesc:       fg(p.muted),
		FullSeparator:  fg(p.border),
	}
	if noColor {
		s.Help.ShortDesc, s.Help.FullDesc = lipgloss.NewStyle(), lipgloss.NewStyle()
	}
	s.rows = newRowPens(s)
	return s
}
