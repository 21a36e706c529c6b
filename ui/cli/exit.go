package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"approvals/config"
	"approvals/graph"
	"approvals/ui/sanitize"
	"approvals/ui/words"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitUsage   = 2
	ExitPartial = 3 // some decisions were not applied; see the per-item report
)

// UsageError is a command line the program cannot act on.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// PartialError says some decisions were not applied. The per-item report
// has already been printed.
type PartialError struct {
	NotApplied, Total int
}

func (e *PartialError) Error() string {
	return fmt.Sprintf("%d of %d decisions not applied", e.NotApplied, e.Total)
}

// silentError ends a command with an exit code after it has already told
// the user what went wrong.
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// ExitCode maps the error Execute returned to the process exit code.
func ExitCode(err error) int {
	var ue *UsageError
	var pe *PartialError
	var se *silentError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue):
		return ExitUsage
	case errors.As(err, &pe):
		return ExitPartial
	case errors.As(err, &se):
		return se.code
	}
	return ExitError
}

// Report writes the error as "approvals: ..." lines on w (one line per
// problem; most errors are one line, explained by words.Explain) and
// returns the exit code.
func Report(w io.Writer, err error) int {
	code := ExitCode(err)
	var se *silentError
	if err == nil || errors.As(err, &se) {
		return code
	}
	var msg string
	switch {
	case code == ExitUsage:
		msg = err.Error() + " (see approvals --help)"
	case code == ExitPartial:
		msg = err.Error()
	default:
		msg = errorText(err)
	}
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintln(w, "approvals: "+sanitize.Line(line)) // server text may be in it
	}
	return code
}

// errorText is the one-line explanation of an error, keeping multi-line
// config errors (one problem per line) as they are.
func errorText(err error) string {
	var ce config.Errors
	if errors.As(err, &ce) {
		return err.Error()
	}
	return words.Explain(err)
}

// errorOf is an error for JSON output: the explained line plus, for
// Graph errors, the status, code and request id.
func errorOf(err error) errorJSON {
	out := errorJSON{Message: errorText(err)}
	var ge *graph.Error
	if errors.As(err, &ge) {
		out.Status, out.Code, out.RequestID = ge.StatusCode, ge.Code, ge.RequestID
	}
	return out
}

// oneLine collapses whitespace so server text stays on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
