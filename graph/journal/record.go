package journal

import (
	"regexp"
	"strings"
	"time"
)

// Version is written in every record ("v"). Readers reject records from a
// newer version rather than misread them.
const Version = 1

// Record types.
const (
	TypeAttempt = "attempt"
	TypeOutcome = "outcome"
)

// Record is one line of the journal. The JSON names are the file format;
// they only ever gain fields.
type Record struct {
	V       int       `json:"v"`
	Time    time.Time `json:"time"`
	Type    string    `json:"type"`           // TypeAttempt or TypeOutcome
	Session string    `json:"session"`        // one per process that opened the journal
	User    string    `json:"user,omitempty"` // who was signed in, when known
	// Key and Remote say where a decision made over approvals serve came
	// from: the SSH key's SHA256 fingerprint and the client's address.
	Key           string `json:"key,omitempty"`
	Remote        string `json:"remote,omitempty"`
	Ref           string `json:"ref"` // "accessPackage:<id>" or "group:<id>"
	Stage         string `json:"stage"`
	Decision      string `json:"decision"` // Approve or Deny
	Justification string `json:"justification"`

	Attempt int `json:"attempt,omitempty"` // attempt records: 1 for the first PATCH, 2 for a resend

	Outcome     string `json:"outcome,omitempty"`  // outcome records: graph.Outcome
	Attempts    int    `json:"attempts,omitempty"` // outcome records: PATCHes actually sent
	DecidedBy   string `json:"decided_by,omitempty"`
	DecidedByID string `json:"decided_by_id,omitempty"`
	DecidedAs   string `json:"decided_as,omitempty"` // Approved / Denied, for already-decided
	RequestID   string `json:"request_id,omitempty"` // Graph request-id
	Error       string `json:"error,omitempty"`
}

// tokenish matches bearer tokens and JWTs. Error text is kept for the
// user, but nothing resembling a credential is ever written down.
var tokenish = regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9._~+/=-]+|eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// errorText makes an error one line without anything token-like.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	s := strings.Join(strings.Fields(err.Error()), " ")
	return tokenish.ReplaceAllString(s, "[redacted]")
}
