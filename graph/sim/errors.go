package sim

import (
	"fmt"
	"net/http"
)

// Error is a Graph error response: the HTTP status and the body's code and
// message. DecideAs and Cancel return it; handlers write it as
// {"error":{"code","message","innerError":{...}}}.
type Error struct {
	Status  int
	Code    string
	Message string
	// Header holds extra response headers (Retry-After, WWW-Authenticate).
	Header http.Header
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func newError(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *Error {
	return newError(http.StatusBadRequest, "BadRequest", format, args...)
}

func notFound(format string, args ...any) *Error {
	return newError(http.StatusNotFound, "ResourceNotFound", format, args...)
}

func forbidden(format string, args ...any) *Error {
	return newError(http.StatusForbidden, "Forbidden", format, args...)
}

func conflict(format string, args ...any) *Error {
	return newError(http.StatusConflict, "Conflict", format, args...)
}

func segmentNotFound(seg string) *Error {
	return badRequest("Resource not found for the segment '%s'.", seg)
}

// wwwAuthenticate is the challenge Graph sends with a 401.
const wwwAuthenticate = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`

func unauthorized(message string) *Error {
	e := newError(http.StatusUnauthorized, "InvalidAuthenticationToken", "%s", message)
	e.Header = http.Header{"Www-Authenticate": {wwwAuthenticate}}
	return e
}

// caeClaims is the claims request of a continuous access evaluation
// challenge, base64 as Graph sends it: {"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}.
const caeClaims = "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNzAwMDAwMDAwIn19fQ=="

func claimsChallenge() *Error {
	e := newError(http.StatusUnauthorized, "InvalidAuthenticationToken",
		"Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp")
	e.Header = http.Header{"Www-Authenticate": {wwwAuthenticate + `, error="insufficient_claims", claims="` + caeClaims + `"`}}
	return e
}

// errorBody is the documented Graph error shape.
func errorBody(e *Error, c *call) obj {
	inner := obj{}.
		with("date", c.now.UTC().Format("2006-01-02T15:04:05")).
		with("request-id", c.requestID).
		with("client-request-id", c.clientRequestID)
	return obj{}.with("error", obj{}.with("code", e.Code).with("message", e.Message).with("innerError", inner))
}

func writeError(c *call, e *Error) {
	h := c.w.Header()
	for k, vs := range e.Header {
		h[k] = vs
	}
	h.Set("Content-Type", "application/json")
	body, _ := errorBody(e, c).MarshalJSON()
	if c.arm {
		body, _ = armErrorBody(e).MarshalJSON()
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	c.w.WriteHeader(e.Status)
	_, _ = c.w.Write(body)
}
