// Package sanitize makes untrusted text (everything a server sends) safe to
// draw on a terminal: no escape sequences, control characters or bidi
// overrides get through, wide and combining characters keep their columns,
// and overlong text is cut with an ellipsis. Every string from Graph passes
// through here before the TUI or the CLI prints it.
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Ellipsis ends text that was cut.
const Ellipsis = "…"

// MaxRunes bounds how much of one value is kept before any layout happens,
// so a 100 KB display name costs the same as a short one downstream.
const MaxRunes = 4096

// Line returns s as a single printable line: escape sequences are removed
// whole, line breaks and tabs become spaces, other controls and bidi
// formatting characters are dropped, invalid UTF-8 becomes U+FFFD, and
// leading combining marks (which would fuse with the previous column) are
// dropped. Emoji sequences whose width depends on the terminal are reduced
// to their first code point (see width.go). Values longer than MaxRunes
// are cut with an ellipsis.
func Line(s string) string { return uniformWidth(clean(s, false)) }

// Text is Line that keeps line breaks ("\r\n" and "\r" become "\n"), for
// multi-line values such as justifications.
func Text(s string) string { return uniformWidth(clean(s, true)) }

// Input is Line for text the user types: as safe, but emoji sequences are
// kept as typed, since it is the user's own words that will be sent.
func Input(s string) string { return clean(s, false) }

// Truncate cuts an already sanitized string to at most width terminal
// columns, ending it with an ellipsis when something was cut. Wide
// characters are never split.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, Ellipsis)
}

// Width is the number of terminal columns s occupies.
func Width(s string) int { return ansi.StringWidth(s) }

// Fit sanitizes s as a Line and truncates it to width columns.
func Fit(s string, width int) string { return Truncate(Line(s), width) }

func clean(s string, multiline bool) string {
	if isPlain(s) {
		if utf8.RuneCountInString(s) <= MaxRunes {
			return s
		}
	}
	var b strings.Builder
	b.Grow(min(len(s), MaxRunes*4))
	n := 0          // runes written
	atStart := true // at the start of the value or of a line: drop combining marks
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			i++
			n += put(&b, '\uFFFD', &atStart)
			if n >= MaxRunes {
				return cut(&b, s[i:])
			}
			continue
		}
		switch {
		case r == 0x1b: // ESC: drop the whole sequence
			i = skipEscape(s, i+size)
			continue
		case r >= 0x80 && r <= 0x9f: // C1 controls, some of which open sequences
			i = skipC1(s, r, i+size)
			continue
		case r == '\r' || r == '\n' || r == 0x0b || r == 0x0c || r == 0x85 || r == 0x2028 || r == 0x2029:
			if r == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++ // \r\n is one break
			}
			i += size
			if multiline {
				b.WriteByte('\n')
				n++
				atStart = true
			} else {
				n += put(&b, ' ', &atStart)
			}
		case r == '\t':
			i += size
			n += put(&b, ' ', &atStart)
		case r < 0x20 || r == 0x7f: // other C0 controls, DEL
			i += size
			continue
		case dropped(r):
			i += size
			continue
		case atStart && (unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r)):
			i += size
			continue
		default:
			i += size
			n += put(&b, r, &atStart)
		}
		if n >= MaxRunes && i < len(s) {
			return cut(&b, s[i:])
		}
	}
	return b.String()
}

func put(b *strings.Builder, r rune, atStart *bool) int {
	b.WriteRune(r)
	*atStart = false
	return 1
}

// cut ends an overlong value, unless all that is left would be dropped anyway.
func cut(b *strings.Builder, rest string) string {
	if strings.TrimSpace(ansi.Strip(rest)) == "" {
		return b.String()
	}
	out := []rune(b.String())
	return string(out[:len(out)-1]) + Ellipsis
}

// isPlain reports whether s is printable ASCII only: the common case, which
// needs no copy.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// dropped lists format characters that reorder or hide text: bidi
// embeddings, overrides, isolates and marks, soft hyphen, BOM, word joiner
// and invisible operators, interlinear annotations.
func dropped(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, // LRE RLE PDF LRO RLO
		r >= 0x2066 && r <= 0x2069,                // LRI RLI FSI PDI
		r == 0x200e || r == 0x200f || r == 0x061c, // LRM RLM ALM
		r == 0x00ad, r == 0xfeff,
		r >= 0x2060 && r <= 0x2064,
		r >= 0xfff9 && r <= 0xfffb:
		return true
	}
	return false
}

// skipEscape returns the index after the escape sequence whose ESC ended
// just before i. Unterminated sequences swallow the rest of the string:
// better to lose text than to let a sequence through.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[': // CSI: parameters and intermediates, then a final byte 0x40–0x7e
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: until BEL or ST
		return skipString(s, i+1)
	default:
		// Two- or three-byte escapes (ESC 7, ESC ( B, ...): intermediates 0x20–0x2f, then one final byte.
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		return i
	}
}

func skipC1(s string, r rune, i int) int {
	switch r {
	case 0x9b: // CSI
		return skipCSI(s, i)
	case 0x9d, 0x90, 0x98, 0x9e, 0x9f: // OSC, DCS, SOS, PM, APC
		return skipString(s, i)
	}
	return i
}

func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c > 0x7e { // not part of a CSI: stop here, drop nothing more
			return i - 1
		}
	}
	return i
}

// skipString skips a control string up to and including its terminator:
// BEL, ESC \ or the C1 ST (U+009C).
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + 1
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}
