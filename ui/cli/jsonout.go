package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// JSONVersion is the "version" of every JSON document the CLI prints. It
// changes only when a field changes meaning or goes away; new fields may
// appear at any time.
const JSONVersion = 1

// writeJSON prints v indented, followed by a newline. Values stay exact,
// but every control, format (bidi) or line-separator character inside a
// string is written as a \u escape, so printing the JSON to a terminal is
// as safe as the text output.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeUnsafe(buf.Bytes()))
	return err
}

// escapeUnsafe rewrites runes a terminal could act on as JSON escapes.
// encoding/json already escapes C0 controls; this adds DEL, C1 controls
// and Unicode format characters (bidi overrides, zero-width joiners...).
// They can only occur inside strings, where an escape is equivalent.
func escapeUnsafe(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if unsafeRune(r) {
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

func unsafeRune(r rune) bool {
	return r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Cf, r)
}
