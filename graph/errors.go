package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Sentinels for errors.Is on an *Error. Match on these (the HTTP status),
// never on Error.Message: Graph says messages "can change at any time".
var (
	ErrBadRequest   = errors.New("bad request")        // 400
	ErrUnauthorized = errors.New("sign-in required")   // 401
	ErrForbidden    = errors.New("forbidden")          // 403
	ErrNotFound     = errors.New("not found")          // 404
	ErrConflict     = errors.New("conflict")           // 409
	ErrThrottled    = errors.New("throttled by Graph") // 429
)

// Error is a Graph error response: the HTTP status plus what the Graph error
// body ({"error":{"code","message","innerError":{...}}}) and headers said.
// It never carries request headers, so it never carries a token.
type Error struct {
	StatusCode      int
	Code            string        // error.code; may be empty
	Message         string        // error.message, or the HTTP status text when the body was not a Graph error
	RequestID       string        // innerError request-id, else the request-id response header
	ClientRequestID string        // innerError client-request-id, else the header
	CorrelationID   string        // Azure Resource Manager: x-ms-correlation-request-id
	Service         string        // "" for Graph, "arm" for Azure Resource Manager
	Date            time.Time     // innerError date, else the Date header; zero when neither parsed
	RetryAfter      time.Duration // Retry-After (fractional seconds honoured); zero when absent
}

// Error is one line: status, code, message and request id.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("graph: ")
	if e.Service == serviceARM {
		b.WriteString("Azure Resource Manager ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.Code != "" {
		b.WriteString(" [" + oneLine(e.Code, 80) + "]")
	}
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		b.WriteString(": " + oneLine(e.Message, 300))
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.Round(time.Millisecond).String() + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" (request-id " + oneLine(e.RequestID, 80) + ")")
	}
	if e.CorrelationID != "" && e.CorrelationID != e.RequestID {
		b.WriteString(" (correlation-id " + oneLine(e.CorrelationID, 80) + ")")
	}
	return b.String()
}

// Is lets errors.Is(err, ErrConflict) and friends test the status.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrThrottled:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// wireError is the Graph error body. encoding/json matches keys
// case-insensitively, so "innerError" also reads "innererror".
type wireError struct {
	Error struct {
		Code       string          `json:"code"`
		Message    string          `json:"message"`
		InnerError *wireInnerError `json:"innerError"`
	} `json:"error"`
}

type wireInnerError struct {
	RequestID       string   `json:"request-id"`
	RequestIDOld    string   `json:"requestId"` // an older docs revision
	ClientRequestID string   `json:"client-request-id"`
	Date            wireTime `json:"date"`
}

// newError builds an *Error from a status, the response headers and body.
// A body that is not a Graph error still gives an *Error with the status.
func newError(status int, header http.Header, body []byte) *Error {
	return newErrorAt(status, header, body, time.Time{})
}

// newErrorAt is newError for a reply that arrived at now (the client's
// clock): a Retry-After date is counted from it.
func newErrorAt(status int, header http.Header, body []byte, now time.Time) *Error {
	e := &Error{StatusCode: status}
	var w wireError
	if json.Unmarshal(body, &w) == nil {
		e.Code = w.Error.Code
		e.Message = w.Error.Message
		if in := w.Error.InnerError; in != nil {
			e.RequestID = firstNonEmpty(in.RequestID, in.RequestIDOld)
			e.ClientRequestID = in.ClientRequestID
			e.Date = in.Date.Time
		}
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if header != nil {
		e.RequestID = firstNonEmpty(e.RequestID, header.Get("request-id"), header.Get("x-ms-request-id"))
		e.ClientRequestID = firstNonEmpty(e.ClientRequestID, header.Get("client-request-id"), header.Get("x-ms-client-request-id"))
		// Azure Resource Manager's id across a call's hops; support asks for it.
		e.CorrelationID = header.Get("x-ms-correlation-request-id")
		if e.Date.IsZero() {
			e.Date, _ = http.ParseTime(header.Get("Date"))
		}
		e.RetryAfter = retryAfter(header, now)
	}
	return e
}

// retryAfter reads Retry-After-Ms, x-ms-retry-after-ms, then Retry-After as
// (possibly fractional) seconds or an HTTP date. Zero when absent or invalid.
func retryAfter(h http.Header, now time.Time) time.Duration {
	for _, k := range []string{"Retry-After-Ms", "x-ms-retry-after-ms"} {
		if ms, err := strconv.ParseFloat(strings.TrimSpace(h.Get(k)), 64); err == nil && ms > 0 && ms < math.MaxInt32 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	return parseRetryAfter(h.Get("Retry-After"), now)
}

// parseRetryAfter parses a Retry-After value: seconds (Graph sends "2.128")
// or an HTTP date. Zero when invalid or in the past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 || math.IsNaN(s) || s > 1e7 {
			return 0
		}
		// Round up to the millisecond: waiting slightly longer is safe,
		// retrying early gets another 429.
		return time.Duration(math.Ceil(s*1000)) * time.Millisecond
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// oneLine removes escape sequences whole (their payload too, so a hostile
// message leaves no debris), collapses whitespace and control characters
// so an error string is always one line, and caps its length.
func oneLine(s string, max int) string {
	s = strings.Join(strings.FieldsFunc(ansi.Strip(c1As7Bit(s)), func(r rune) bool {
		return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == ' ' || r == '\u2028' || r == '\u2029'
	}), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}

// c1As7Bit rewrites C1 controls (U+0080–U+009F) as their 7-bit ESC
// forms, so that ansi.Strip removes the sequences they open too.
func c1As7Bit(s string) string {
	isC1 := func(r rune) bool { return r >= 0x80 && r <= 0x9f }
	if !strings.ContainsFunc(s, isC1) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isC1(r) {
			b.WriteByte(0x1b)
			b.WriteByte(byte(r - 0x40))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// unknownOutcomeError marks a decision that may or may not have been applied.
type unknownOutcomeError struct{ cause error }

func (e *unknownOutcomeError) Error() string {
	return fmt.Sprintf("outcome unknown: the decision may or may not have been applied (%v); re-check the approval before retrying", e.cause)
}

func (e *unknownOutcomeError) Unwrap() error { return e.cause }

func (e *unknownOutcomeError) Is(target error) bool { return target == ErrOutcomeUnknown }
