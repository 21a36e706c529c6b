package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"approvals/graph"
	"approvals/ui/sanitize"
)

// errText is an error as one sanitized line. A Graph error reads as its
// message first, then status, code and request id, which support needs.
func errText(err error) string {
	var ge *graph.Error
	switch {
	case err == nil:
		return "no details"
	case errors.As(err, &ge):
		var meta []string
		meta = append(meta, strconv.Itoa(ge.StatusCode))
		if c := sanitize.Line(ge.Code); c != "" {
			meta = append(meta, c)
		}
		if id := sanitize.Line(ge.RequestID); id != "" {
			meta = append(meta, "request-id "+id)
		}
		msg := sanitize.Line(ge.Message)
		if msg == "" {
			msg = "Graph error"
		}
		return msg + " (" + strings.Join(meta, ", ") + ")"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	return sanitize.Line(err.Error())
}

// retryAfter is how long the server asked us to wait, when it did.
func retryAfter(err error) time.Duration {
	var ge *graph.Error
	if errors.As(err, &ge) {
		return ge.RetryAfter
	}
	return 0
}
