package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Log is what Read found.
type Log struct {
	Records []Record
	// Torn lists the lines (1-based) cut short by a crash or power loss
	// while being written. They are reported, not fatal: the record they
	// would have held is lost, and Entries shows the attempt before it
	// without an outcome.
	Torn []int
}

// CorruptError lists lines that are not journal records and were not torn
// by a crash: something else wrote to the file, or it was edited. Read
// still returns every good record alongside it.
type CorruptError struct {
	Path  string
	Lines []int
	First string // why the first bad line was rejected
}

func (e *CorruptError) Error() string {
	lines := make([]string, len(e.Lines))
	for i, l := range e.Lines {
		lines[i] = fmt.Sprint(l)
	}
	noun := "line"
	if len(e.Lines) > 1 {
		noun = "lines"
	}
	return fmt.Sprintf("%s: %s %s %s not journal records (%s)", e.Path, noun, strings.Join(lines, ", "),
		map[bool]string{true: "are", false: "is"}[len(e.Lines) > 1], e.First)
}

// Read loads the journal at path. A missing file is an os error
// (errors.Is(err, fs.ErrNotExist)).
func Read(path string) (Log, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Log{}, err
	}
	return parse(path, data)
}

func parse(path string, data []byte) (Log, error) {
	var log Log
	var bad *CorruptError
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		rec, why := decode(line)
		switch {
		case why == "":
			log.Records = append(log.Records, rec)
		case torn(line):
			log.Torn = append(log.Torn, n)
		default:
			if bad == nil {
				bad = &CorruptError{Path: path, First: fmt.Sprintf("line %d: %s", n, why)}
			}
			bad.Lines = append(bad.Lines, n)
		}
	}
	if err := sc.Err(); err != nil {
		return log, fmt.Errorf("%s: %w", path, err)
	}
	if bad != nil {
		return log, bad
	}
	return log, nil
}

func decode(line []byte) (Record, string) {
	var rec Record
	if err := json.Unmarshal(line, &rec); err != nil {
		return Record{}, err.Error()
	}
	switch {
	case rec.V == 0:
		return Record{}, "no version"
	case rec.V > Version:
		return Record{}, fmt.Sprintf("written by a newer approvals (record version %d)", rec.V)
	case rec.Type != TypeAttempt && rec.Type != TypeOutcome:
		return Record{}, fmt.Sprintf("unknown record type %q", rec.Type)
	case rec.Ref == "":
		return Record{}, "no approval"
	}
	return rec, ""
}

// torn reports whether a line is the start of a record that was never
// finished: a JSON object cut off mid-way, or the zero bytes some file
// systems leave after a crash.
func torn(line []byte) bool {
	if len(bytes.Trim(line, "\x00")) == 0 {
		return true
	}
	if line[0] != '{' {
		return false
	}
	var v any
	err := json.NewDecoder(bytes.NewReader(line)).Decode(&v)
	return errors.Is(err, io.ErrUnexpectedEOF)
}
