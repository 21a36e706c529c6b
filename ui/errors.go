package ui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"approvals/graph"
	"approvals/graph/auth"
	"approvals/ui/sanitize"
	"approvals/ui/words"
)

// errText is an error as one sanitized line. A Graph error reads message
// first, then status, code and request id (what support asks for), then
// what to do about it (words.Hint). Other errors are words.Explain's line.
// Both are worded for the inbox (words.InInbox): signing in again is done
// here, not with approvals login.
func errText(err error) string {
	if err == nil {
		return "no details"
	}
	a := auth.Advise(err)
	ge := a.Graph
	if ge == nil {
		return words.InInbox(words.Explain(err))
	}
	meta := []string{strconv.Itoa(ge.StatusCode)}
	if c := strings.TrimSpace(ge.Code); c != "" {
		meta = append(meta, c)
	}
	if id := strings.TrimSpace(ge.RequestID); id != "" {
		meta = append(meta, "request-id "+id)
	}
	msg := strings.TrimSpace(ge.Message)
	if msg == "" {
		msg = "Graph error"
	}
	text := msg + " (" + strings.Join(meta, ", ") + ")"
	if hint := words.Hint(a); hint != "" {
		text += " — " + words.InInbox(hint)
	}
	return sanitize.Line(text)
}

// retryAfter is how long the server asked us to wait, when it did.
func retryAfter(err error) time.Duration {
	var ge *graph.Error
	if errors.As(err, &ge) {
		return ge.RetryAfter
	}
	return 0
}
