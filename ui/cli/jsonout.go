package cli

import (
	"bytes"
	"encoding/json"
	"io"

	"approvals/graph/journal"
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
	_, err := w.Write(journal.EscapeJSON(buf.Bytes())) // terminal-safe, as the journal is
	return err
}
