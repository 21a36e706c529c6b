package journal

import (
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// EscapeJSON rewrites, inside encoded JSON, the runes a terminal could act
// on when someone prints it (cat, tail, jq): DEL, C1 controls, line and
// paragraph separators and Unicode format characters such as bidi
// overrides. encoding/json already escapes C0 controls. Those runes can
// only occur inside strings, where the \u escape is equivalent JSON, so
// the values read back exactly. The journal writes every line through it
// (a decided-by name comes from the server and may be hostile), and so
// does the command line's --json output.
func EscapeJSON(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Cf, r) {
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
