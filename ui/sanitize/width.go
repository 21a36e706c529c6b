package sanitize

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Terminals disagree on how wide an emoji sequence is. One that implements
// grapheme clusters (mode 2027) draws "👩🏽‍💻" in 2 columns; most others
// advance once per code point, 6 columns. The layout is computed one way
// and the renderer uses whichever the terminal supports, so a name with
// such a sequence can push a row's columns and the panes' borders out of
// line. Line and Text therefore reduce every emoji sequence whose width
// depends on the terminal to its first code point ("👩"), or to U+FFFD
// when even that is ambiguous. Text the user types is left as typed (see
// Input).
//
// Other scripts whose clusters are counted differently (Indic conjuncts,
// Thai, conjoining Hangul jamo) are kept: changing them would change
// people's names.

// uniformWidth applies that reduction to already cleaned text.
func uniformWidth(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	done := 0 // bytes of s already copied to b
	for i := 0; i < len(s); {
		cluster, _ := ansi.FirstGraphemeCluster(s[i:], ansi.GraphemeWidth)
		if cluster == "" {
			break
		}
		if repl, ok := reduceEmoji(cluster); ok {
			if b.Len() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[done:i])
			b.WriteString(repl)
			done = i + len(cluster)
		}
		i += len(cluster)
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// reduceEmoji returns what an emoji cluster of terminal-dependent width
// becomes, and false for any other cluster.
func reduceEmoji(cluster string) (string, bool) {
	if ansi.StringWidth(cluster) == ansi.StringWidthWc(cluster) || !emojiSequence(cluster) {
		return "", false
	}
	r, _ := utf8.DecodeRuneInString(cluster)
	if base := string(r); ansi.StringWidth(base) == ansi.StringWidthWc(base) {
		return base, true
	}
	return "\uFFFD", true
}

// emojiSequence reports a cluster built with emoji machinery: a zero
// width joiner, a variation selector, a skin tone, a keycap, tag
// characters, or a regional indicator.
func emojiSequence(cluster string) bool {
	for _, r := range cluster {
		switch {
		case r == 0x200d, r == 0xfe0e, r == 0xfe0f, r == 0x20e3,
			r >= 0x1f3fb && r <= 0x1f3ff, // skin tones
			r >= 0xe0020 && r <= 0xe007f, // tags
			r >= 0x1f1e6 && r <= 0x1f1ff: // regional indicators
			return true
		}
	}
	return false
}
