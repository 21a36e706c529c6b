package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"approvals/graph/journal"
)

// JSONVersion is the "version" of every JSON document the CLI prints. It
// changes only when a field changes meaning or goes away; new fields may
// appear at any time.
const JSONVersion = 1

// jsonIndent is one level of indentation in every JSON document.
const jsonIndent = "  "

// writeJSON prints v indented, followed by a newline. Values stay exact,
// but every control, format (bidi) or line-separator character inside a
// string is written as a \u escape, so printing the JSON to a terminal is
// as safe as the text output.
func writeJSON(w io.Writer, v any) error {
	s := newJSONStream(w)
	s.value("", v)
	s.raw("\n")
	return s.close()
}

// jsonStream writes one JSON document piece by piece, so a long document
// (list --json at tens of thousands of approvals) is never held whole: the
// caller writes the punctuation around the pieces, and each piece is
// encoded into one reused buffer, escaped and passed on. The output is
// byte for byte what encoding the whole document with writeJSON's settings
// would give. The first error sticks; close reports it.
type jsonStream struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

func newJSONStream(w io.Writer) *jsonStream {
	s := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	return s
}

// raw writes punctuation or a key as it is (never a server's string).
func (s *jsonStream) raw(text string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(text)
	}
}

// value writes v as it would appear inside the whole document at a depth
// whose lines start with prefix: its first line is not indented (the
// caller has written what precedes it), its later lines start with prefix
// plus one indent per level. Every control, format (bidi) or line
// separator character inside a string becomes a \u escape, by the same
// rule the decision journal writes its lines with (journal.EscapeJSON,
// the one place that decides it).
func (s *jsonStream) value(prefix string, v any) {
	if s.err != nil {
		return
	}
	s.buf.Reset()
	s.enc.SetIndent(prefix, jsonIndent)
	if s.err = s.enc.Encode(v); s.err != nil {
		return
	}
	b := bytes.TrimSuffix(s.buf.Bytes(), []byte("\n")) // Encode ends each value with a newline
	_, s.err = s.w.Write(journal.EscapeJSON(b))
}

// close flushes what is buffered and returns the first error.
func (s *jsonStream) close() error {
	if s.err == nil {
		s.err = s.w.Flush()
	}
	return s.err
}
