package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// sourceClient is one source as the client uses it: it lists what waits
// for me, reads an approval's stages and decides one stage, all in the
// normalized types (Approval, Stage, *Error). Its wire vocabulary (v1.0
// stages, beta steps, ARM properties) stays behind it.
//
// Refresh, Get, Stages and Decide call these and treat every source
// alike: the cache, fingerprints, the journal, the re-read-before-retry
// rules and the outcome mapping are the client's, not the source's.
type sourceClient interface {
	// list reads every page of what waits for me, handing each page's
	// entries to page as soon as it is read (the refresh reads their
	// details meanwhile); entries it cannot stream it may return in
	// listing.items instead. An entry is given once, one way or the other.
	list(ctx context.Context, page func([]listed)) listing
	// reader reads details (stages, and whatever the listing lacks) of
	// listed approvals. Sources that return the same reader have their
	// details read together (one $batch serves both).
	reader() detailReader
	// get reads one approval afresh: its request and its stages. A
	// missing approval is an error matching ErrNotFound.
	get(ctx context.Context, id string) (Approval, error)
	// stages reads the stages of one approval.
	stages(ctx context.Context, ref Ref) ([]Stage, error)
	// stage reads one stage, to learn what a decision did.
	stage(ctx context.Context, ref Ref, stageID string) (Stage, error)
	// patch sends one decision to one stage: the reply, or the error of a
	// call that got none (*transportError says whether it was delivered).
	patch(ctx context.Context, ref Ref, stageID string, d wireDecision) (reply, error)
	// portalOnly says why decisions of this source cannot be sent at all
	// right now ("" when they can): checked before the journal's Attempt.
	portalOnly() string
}

// stateReporter is a source that knows its own state beyond its
// listing (say, listed but decided in the portal); Refresh asks it after
// reading details.
type stateReporter interface {
	state() (SourceStatus, bool)
}

// detailReader reads details of listed approvals. Every approval given
// gets an entry in the result.
type detailReader interface {
	details(ctx context.Context, as []*Approval) map[Ref]detail
}

// SourceState is how one source stands after a refresh.
type SourceState string

const (
	// StateOK: listed; its approvals are in the snapshot.
	StateOK SourceState = "ok"
	// StateUnavailable: it could not be listed this time (network, 5xx,
	// throttling, not configured); the others are shown.
	StateUnavailable SourceState = "unavailable"
	// StateUnauthorized: the service refused the caller (401/403, a
	// missing permission or consent); Fix says what is needed.
	StateUnauthorized SourceState = "unauthorized"
	// StatePortalOnly: its approvals are listed but cannot be decided
	// here (the decision API is gone); Fix names the portal location.
	StatePortalOnly SourceState = "decide-in-portal"
	// StateDisabled: not polled (not among Options.Sources).
	StateDisabled SourceState = "disabled"
)

// SourceStatus is one source's state with a one-line reason and fix.
type SourceStatus struct {
	Source Source
	State  SourceState
	Detail string // what happened, keeping any error code and request id; empty when ok
	Fix    string // what would fix it in the service's terms (a permission, a portal page), when known
	// Unconfigured: the client was not given what the source needs (the
	// Azure source: Options.ARMURL), so it was not even tried.
	Unconfigured bool
}

// SourceName is a source in the user's words ("PIM for Groups").
func SourceName(s Source) string {
	switch s {
	case SourceAccessPackage:
		return "Access packages"
	case SourceGroup:
		return "PIM for Groups"
	case SourceRole:
		return "Entra roles"
	case SourceAzure:
		return "Azure resources"
	}
	return string(s)
}

// statusOf derives a source's state from its listing: what the source
// said itself, else ok, unauthorized (401/403) or unavailable.
func statusOf(l listing) SourceStatus {
	if l.status.State != "" {
		st := l.status
		st.Source = l.source
		return st
	}
	switch {
	case l.err == nil:
		return SourceStatus{Source: l.source, State: StateOK}
	case errors.Is(l.err, ErrUnauthorized) || errors.Is(l.err, ErrForbidden):
		return SourceStatus{Source: l.source, State: StateUnauthorized, Detail: l.err.Error(), Fix: permissionFix(l.source)}
	}
	return SourceStatus{Source: l.source, State: StateUnavailable, Detail: l.err.Error()}
}

// permissionFix is what a refused listing of each source needs.
func permissionFix(s Source) string {
	switch s {
	case SourceAccessPackage:
		return "needs the delegated permission EntitlementManagement.Read.All (ReadWrite.All to decide) and an approver role"
	case SourceGroup:
		return "needs the delegated permission PrivilegedAssignmentSchedule.Read.AzureADGroup (ReadWrite to decide)"
	case SourceRole:
		return "needs the delegated permission RoleAssignmentSchedule.Read.Directory (ReadWrite.Directory to decide)"
	case SourceAzure:
		return "needs an app registration allowed Azure Service Management user_impersonation (see the README)"
	}
	return ""
}

// ErrSourceDisabled matches the error of a read or decision for a source
// the client does not poll (not among Options.Sources).
var ErrSourceDisabled = errors.New("not enabled")

// ErrPortalOnly matches the error of a decision refused before sending
// because the approval can only be decided in the portal.
var ErrPortalOnly = errors.New("decide in the portal")

// portalOnlyError says why and where; nothing was sent.
type portalOnlyError struct{ why string }

func (e *portalOnlyError) Error() string {
	return fmt.Sprintf("graph: cannot be decided here, nothing was sent: %s", e.why)
}
func (e *portalOnlyError) Is(target error) bool { return target == ErrPortalOnly }

// unavailableSource stands in for a source this client cannot reach at
// all (not configured): it lists nothing and says so, every refresh, in
// its status only (never as an error that would block the others).
type unavailableSource struct {
	src          Source
	why          string
	unconfigured bool // for want of an option (SourceStatus.Unconfigured)
}

func (u unavailableSource) list(context.Context, func([]listed)) listing {
	return listing{source: u.src, status: SourceStatus{State: StateUnavailable, Detail: u.why, Unconfigured: u.unconfigured}}
}
func (u unavailableSource) reader() detailReader { return noDetails{} }
func (u unavailableSource) get(context.Context, string) (Approval, error) {
	return Approval{}, newError(http.StatusNotFound, nil, nil)
}
func (u unavailableSource) stages(context.Context, Ref) ([]Stage, error) {
	return nil, newError(http.StatusNotFound, nil, nil)
}
func (u unavailableSource) stage(context.Context, Ref, string) (Stage, error) {
	return Stage{}, newError(http.StatusNotFound, nil, nil)
}
func (u unavailableSource) patch(context.Context, Ref, string, wireDecision) (reply, error) {
	return reply{}, &transportError{method: http.MethodPatch, err: errors.New(u.why)}
}
func (u unavailableSource) portalOnly() string { return u.why }

type noDetails struct{}

func (noDetails) details(_ context.Context, as []*Approval) map[Ref]detail {
	out := make(map[Ref]detail, len(as))
	for _, a := range as {
		out[a.Ref] = detail{lasting: true}
	}
	return out
}
