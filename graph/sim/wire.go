package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"
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
	buf.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := encodeJSON(&buf, f.k); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := encodeJSON(&buf, f.v); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func encodeJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode appends a newline
	return nil
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
