package ui

import (
	"strings"
	"testing"

	"approvals/ui/sanitize"
)

// The printable-ASCII fast path of cell and cellRight gives exactly what
// measuring by grapheme gives.
func TestCellFastPathMatchesSanitize(t *testing.T) {
	t.Parallel()
	slow := func(s string, w int, right bool) string {
		s = sanitize.Truncate(s, w)
		pad := strings.Repeat(" ", max(0, w-sanitize.Width(s)))
		if right {
			return pad + s
		}
		return s + pad
	}
	texts := []string{"", "a", "Ada Lovelace", "  spaced  ", "~15m", "1 of 3", "x~!@#$%^&*()_+{}|:<>?", "café", "漢字", "tab\there"}
	for _, s := range texts {
		for w := 0; w <= 16; w++ {
			if got, want := cell(s, w), slow(s, w, false); got != want {
				t.Errorf("cell(%q, %d) = %q, want %q", s, w, got, want)
			}
			if got, want := cellRight(s, w), slow(s, w, true); got != want {
				t.Errorf("cellRight(%q, %d) = %q, want %q", s, w, got, want)
			}
		}
	}
}
