// Package sanitize makes untrusted text (everything a server sends) safe to
// draw on a terminal: no escape sequences, control characters or bidi
// overrides get through, wide and combining characters keep their columns,
// and overlong text is cut with an ellipsis. Every string from Graph passes
// through here before the TUI or the CLI prints it.
package sanitize

import (
	"io"
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

// InputText is Input that keeps line breaks, for multi-line text the user
// gives (a justification read from standard input).
func InputText(s string) string { return clean(s, true) }

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
	var prev rune   // the last rune written (0 at the start)
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
		case r < 0x300 && r != 0xad: // Latin: nothing to check
			i += size
			n += put(&b, r, &atStart)
		case r == 0x200d: // ZWJ: only between two pictographs (an emoji sequence)
			i += size
			if next, _ := utf8.DecodeRuneInString(s[i:]); !joinsEmoji(prev) || !pictograph(next) {
				continue
			}
			n += put(&b, r, &atStart)
		case dropped(r) || invisible(r):
			i += size
			continue
		case variationSelector(r) && (atStart || !base(prev)):
			i += size // a lone variation selector: nothing to select
			continue
		case atStart && (unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r)):
			i += size
			continue
		case placeholder(r):
			i += size
			r = '\uFFFD'
			n += put(&b, r, &atStart)
		default:
			i += size
			n += put(&b, r, &atStart)
		}
		if r != '\n' {
			prev = r
		} else {
			prev = 0
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

// Width truth. Terminals (tmux, xterm and the like, and the x/vt
// emulator the tests read screens with) and the layout must agree on the
// width of every character printed, and nothing may hide text. So:
//   - invisible: every format character (Cf: zero-width space, tag
//     characters U+E0000–E007F, U+180E, bidi controls, ...) but the zero
//     width non-joiner that Persian and Indic names need, and the Hangul
//     fillers (blank "letters") are removed;
//   - a zero width joiner outside an emoji sequence and a variation
//     selector with no base before it are removed;
//   - placeholder: private-use characters, noncharacters (U+FDD0–FDEF,
//     U+xFFFE/xFFFF, so U+10FFFF), unassigned code points, whose width
//     each terminal guesses, and the few Prepend letters become U+FFFD,
//     one column everywhere.
//
// What remains is measured alike by the layout and by terminals that
// cluster graphemes (the x/vt emulator; checked rune by rune in
// width_test.go), and by terminals that count code points (tmux, xterm)
// except for one thing no choice of characters can fix: the spacing
// vowel signs of Indic and some South-East Asian scripts (Unicode Mc,
// e.g. the ि in हिन्दी) take a column of their own in tmux and none in a
// clustering terminal. They are kept, since removing them would change
// people's names; such a name can push a border out by a column or two
// in tmux.

// invisible reports a character that is removed: format characters
// other than ZWNJ, and the Hangul fillers.
func invisible(r rune) bool {
	switch r {
	case 0x200c: // ZWNJ: part of how Persian and Indic names are written
		return false
	case 0x115f, 0x1160, 0x3164, 0xffa0: // Hangul choseong, jungseong, and (halfwidth) fillers
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// placeholder reports a character shown as U+FFFD.
func placeholder(r rune) bool {
	switch {
	case prepend(r):
		return true
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe: // noncharacters
		return true
	case unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
		return true
	}
	return !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs, unicode.Cf) // unassigned
}

// prepend reports the letters that join the character *after* them into
// one cluster (Unicode's Prepend: Malayalam dot reph, Chakma, Zanabazar
// and other rare scripts' signs). The x/vt emulator counts one more
// column for them than the layout does; the format ones (Arabic number
// signs) are already removed as invisible.
func prepend(r rune) bool {
	switch {
	case r == 0x0d4e, r == 0x111c2, r == 0x111c3, r == 0x1193f, r == 0x11941, r == 0x11a3a,
		r >= 0x11a84 && r <= 0x11a89, r == 0x11d46, r == 0x11f02:
		return true
	}
	return false
}

func variationSelector(r rune) bool {
	return r >= 0xfe00 && r <= 0xfe0f || r >= 0xe0100 && r <= 0xe01ef || r >= 0x180b && r <= 0x180d || r == 0x180f
}

// base reports a character a variation selector may follow.
func base(r rune) bool {
	return r > ' ' && !unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Z) && !variationSelector(r) && r != 0x200d
}

// pictograph approximates Extended_Pictographic: symbols (So) from the
// General Punctuation block on, and the regional indicators.
func pictograph(r rune) bool {
	return r >= 0x2000 && unicode.Is(unicode.So, r) || r >= 0x1f1e6 && r <= 0x1f1ff
}

// joinsEmoji reports what may stand before a ZWJ in an emoji sequence: a
// pictograph, its emoji presentation selector or a skin tone.
func joinsEmoji(r rune) bool {
	return pictograph(r) || r == 0xfe0f || r >= 0x1f3fb && r <= 0x1f3ff
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

// Lines returns a writer that passes everything written to w through Line,
// line by line: for printing text that may carry a tenant's or a
// client's words (the simulator's banner and request log). Each Write is
// taken as whole lines, as fmt.Fprintf writes them.
func Lines(w io.Writer) io.Writer { return lineWriter{w} }

type lineWriter struct{ w io.Writer }

func (lw lineWriter) Write(p []byte) (int, error) {
	lines := strings.Split(string(p), "\n")
	for i, l := range lines {
		lines[i] = Line(l)
	}
	if _, err := io.WriteString(lw.w, strings.Join(lines, "\n")); err != nil {
		return 0, err
	}
	return len(p), nil
}
