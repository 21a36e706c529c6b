package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// obj is a JSON object whose keys keep the order they were added in, so
// responses read like the documentation's examples and $select can drop
// keys without reflection.
type obj []field

type field struct {
	k string
	v any
}

func (o obj) with(k string, v any) obj { return append(o, field{k, v}) }

func (o obj) get(k string) (any, bool) {
	for _, f := range o {
		if f.k == k {
			return f.v, true
		}
	}
	return nil, false
}

// MarshalJSON writes the fields in order. HTML is not escaped, as Graph
// does not escape it either.
func (o obj) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	if err := o.writeTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (o obj) writeTo(buf *bytes.Buffer) error {
	buf.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeString(buf, f.k)
		buf.WriteByte(':')
		if err := encodeJSON(buf, f.v); err != nil {
			return err
		}
	}
	buf.WriteByte('}')
	return nil
}

// encodeJSON writes v. The types responses are built from are written
// directly (listing 10,000 approvals is mostly this function); anything
// else goes through encoding/json.
func encodeJSON(buf *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case string:
		writeString(buf, x)
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	case int:
		buf.WriteString(strconv.Itoa(x))
	case obj:
		return x.writeTo(buf)
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := encodeJSON(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case json.RawMessage:
		buf.Write(x)
	default:
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode appends a newline
	}
	return nil
}

// writeString writes s as a JSON string the way encoding/json does with
// HTML escaping off: quotes, backslashes, control characters, U+2028/9
// and invalid UTF-8 (as U+FFFD) are escaped.
func writeString(buf *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				buf.WriteByte('\\')
				buf.WriteByte(c)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			case '\t':
				buf.WriteString(`\t`)
			case '\b':
				buf.WriteString(`\b`)
			case '\f':
				buf.WriteString(`\f`)
			default:
				buf.WriteString(`\u00`)
				buf.WriteByte(hex[c>>4])
				buf.WriteByte(hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf.WriteString(s[start:i])
			buf.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf.WriteString(s[start:i])
			buf.WriteString(`\u202`)
			buf.WriteByte(hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}

// graphTime formats a time the way Graph does: UTC, "Z", at most
// millisecond precision. A zero time is JSON null.
func graphTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.999Z")
}

// nullIfEmpty turns "" into JSON null, for optional strings Graph sends as
// null when unset.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// jsonContentType is what Graph sends with JSON bodies.
const jsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := encodeJSON(&buf, v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("OData-Version", "4.0")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// equalFold compares OData names, which Graph matches case-insensitively.
func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
