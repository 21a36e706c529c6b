package ui

import (
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

var sgrRe = regexp.MustCompile("\x1b\\[([0-9;:]*)m")

// sgrCodes lists every SGR parameter in s, colour arguments included as
// part of their code ("38;5;12" stays one entry).
func sgrCodes(s string) []string {
	var out []string
	for _, m := range sgrRe.FindAllStringSubmatch(s, -1) {
		ps := strings.Split(m[1], ";")
		for i := 0; i < len(ps); i++ {
			p := ps[i]
			if (p == "38" || p == "48" || p == "58") && i+1 < len(ps) {
				n := 3
				if ps[i+1] == "2" {
					n = 5
				}
				end := min(len(ps), i+n)
				p = strings.Join(ps[i:end], ";")
				i = end - 1
			}
			out = append(out, p)
		}
	}
	return out
}

func isColour(code string) bool {
	if strings.HasPrefix(code, "38;") || strings.HasPrefix(code, "48;") {
		return true
	}
	n, err := strconv.Atoi(code)
	return err == nil && (n >= 30 && n <= 37 || n >= 40 && n <= 47 || n >= 90 && n <= 97 || n >= 100 && n <= 107)
}

func TestNoColorDropsColourButKeepsSelection(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	m.Update(tea.EnvMsg{"TERM=xterm-256color", "NO_COLOR=yes"}) // any non-empty value counts
	codes := sgrCodes(m.View().Content)
	for _, c := range codes {
		if isColour(c) {
			t.Fatalf("colour %q with NO_COLOR set", c)
		}
	}
	if !contains(codes, "7") || !contains(codes, "1") {
		t.Fatalf("selection lost reverse/bold: %v", codes)
	}
}

func TestANSI16UsesOnlyThePalette(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40, func(o *Options) { o.Theme = ThemeANSI16 })
	press(m, "space", "d")
	codes := sgrCodes(m.View().Content)
	coloured := 0
	for _, c := range codes {
		if strings.HasPrefix(c, "38;") || strings.HasPrefix(c, "48;") {
			t.Fatalf("ansi16 theme used %q", c)
		}
		if isColour(c) {
			coloured++
		}
	}
	if coloured == 0 {
		t.Fatal("ansi16 theme has no colour at all")
	}
}

func TestBackgroundReplyPicksThePalette(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40, func(o *Options) { o.Theme = ThemeAuto })
	dark := m.View().Content
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	light := m.View().Content
	if dark == light || m.dark {
		t.Fatal("a light background reply did not restyle")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.Black})
	if m.View().Content != dark {
		t.Fatal("a dark reply did not restore the dark palette")
	}
	// A fixed theme ignores the reply.
	m, _, _ = newLoaded(t, 120, 40, func(o *Options) { o.Theme = ThemeDark })
	before := m.View().Content
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if m.View().Content != before {
		t.Fatal("a fixed theme followed the terminal")
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
