package journal

import (
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// EscapeJSON rewrites, inside encoded JSON, the runes a terminal could act
// on when someone prints it (cat, tail, jq): DEL, C1 controls, line and
// paragraph separators, Unicode format characters such as bidi
// overrides and tag characters, and the characters terminals measure
// differently or show as nothing (private use, noncharacters such as
// U+10FFFF, unassigned code points, Hangul fillers). encoding/json already
// escapes C0 controls. Those runes can
// only occur inside strings, where the \u escape is equivalent JSON, so
// the values read back exactly. The journal writes every line through it
// (a decided-by name comes from the server and may be hostile), and so
// does the command line's --json output.
func EscapeJSON(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x7f && escaped(r) {
			if out == nil {
				out = append(make([]byte, 0, len(b)+32), b[:i]...)
			}
			for _, u := range utf16.Encode([]rune{r}) {
				out = fmt.Appendf(out, `\u%04x`, u)
			}
		} else if out != nil {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	if out == nil {
		return b
	}
	return out
}

// escaped reports a rune EscapeJSON writes as a \u escape.
func escaped(r rune) bool {
	switch {
	case r == utf8.RuneError:
		return false
	case r == 0x7f, r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029:
		return true
	case r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0: // Hangul fillers
		return true
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe: // noncharacters
		return true
	case r < 0x300:
		return r == 0xad
	}
	return unicode.In(r, unicode.Cf, unicode.Co) || !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs)
}
