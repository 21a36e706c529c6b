package sanitize

import (
	"io"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// TestWidthAgreesWithTheTerminal prints every code point, sanitized,
// between two letters on a terminal emulator (charmbracelet/x/vt, the one
// the screen tests use) and checks the cursor moved exactly as far as
// Width says. It also checks that counting code points (what tmux and
// xterm do) gives the same, except for the spacing marks width.go
// explains.
func TestWidthAgreesWithTheTerminal(t *testing.T) {
	emu := vt.NewEmulator(100, 3)
	go func() { _, _ = io.Copy(io.Discard, emu) }()
	t.Cleanup(func() {
		if pw, ok := emu.InputPipe().(*io.PipeWriter); ok {
			_ = pw.Close()
		}
	})
	advance := func(s string) int {
		_, _ = emu.Write([]byte("\x1b[H\x1b[2K" + s))
		return emu.CursorPosition().X
	}
	ranges := [][2]rune{{0x20, 0x33ff}, {0xa000, 0xabff}, {0xd7b0, 0xd7ff}, {0xe000, 0xffff}, {0x10000, 0x1ffff},
		{0xe0000, 0xe01ff}, {0xf0000, 0xf00ff}, {0x10ff00, 0x10ffff}}
	checked := 0
	for _, rg := range ranges {
		for r := rg[0]; r <= rg[1]; r++ {
			if r >= 0xd800 && r <= 0xdfff {
				continue
			}
			out := Line("a" + string(r) + "b")
			checked++
			if got, want := advance(out), Width(out); got != want {
				t.Errorf("%U: the emulator moved %d columns for %q, Width says %d", r, got, out, want)
			}
			if wc := ansi.StringWidthWc(out); wc != Width(out) && !spacingMark(r) {
				t.Errorf("%U: %q is %d columns counting code points, %d counting clusters", r, out, wc, Width(out))
			}
		}
	}
	if checked < 90000 {
		t.Fatalf("only %d code points checked", checked)
	}
}

// spacingMark: a vowel sign that takes a column of its own when code
// points are counted but none in a cluster (Mc, and the few letters with
// the same grapheme property).
func spacingMark(r rune) bool {
	switch r {
	case 0x0e33, 0x0eb3, 0xff9e, 0xff9f: // Thai and Lao SARA AM, halfwidth katakana sound marks
		return true
	}
	return unicode.Is(unicode.Mc, r)
}
