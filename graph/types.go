package graph

import (
	"strings"
	"time"
)

// Source is where an approval lives: which service lists it, reads its
// stages and takes its decision (see source.go).
type Source string

const (
	// SourceAccessPackage is entitlement management (Graph v1.0):
	// /identityGovernance/entitlementManagement/accessPackageAssignmentApprovals.
	SourceAccessPackage Source = "accessPackage"
	// SourceGroup is PIM for Groups (Graph v1.0):
	// /identityGovernance/privilegedAccess/group/assignmentApprovals.
	SourceGroup Source = "group"
	// SourceRole is PIM for Microsoft Entra roles: listed in Graph v1.0
	// (roleAssignmentScheduleRequests), decided in Graph beta
	// (/roleManagement/directory/roleAssignmentApprovals, steps).
	SourceRole Source = "role"
	// SourceAzure is PIM for Azure resources: Azure Resource Manager
	// Microsoft.Authorization/roleAssignmentApprovals.
	SourceAzure Source = "azure"
)

// AllSources are every source, in the order they are polled and reported.
var AllSources = []Source{SourceAccessPackage, SourceGroup, SourceRole, SourceAzure}

// ParseSource reads a source name, case-insensitively.
func ParseSource(s string) (Source, bool) {
	for _, src := range AllSources {
		if strings.EqualFold(s, string(src)) {
			return src, true
		}
	}
	return "", false
}

// Kind is what the approver is asked to grant, in the user's words.
type Kind string

const (
	KindAccessPackage Kind = "accessPackage" // an access package assignment
	KindGroupMember   Kind = "groupMember"   // PIM for Groups, member
	KindGroupOwner    Kind = "groupOwner"    // PIM for Groups, owner
	KindGroup         Kind = "group"         // PIM for Groups, accessId unknown
	KindRole          Kind = "role"          // PIM for Microsoft Entra roles: a directory role
	KindAzureRole     Kind = "azureRole"     // PIM for Azure resources: an Azure RBAC role
)

// Ref names one approval: the collection it lives in and its id.
type Ref struct {
	Source Source
	ID     string
}

// String is the stable textual form used by the CLI and the journal:
// "accessPackage:<id>", "group:<id>", "role:<id>" or "azure:<id>".
func (r Ref) String() string { return string(r.Source) + ":" + r.ID }

// ParseRef accepts "<source>:<id>" or a bare id (Source left empty, meaning
// "look in every source": the client tries what it has listed, then the
// Graph v1.0 collections, then the others).
func ParseRef(s string) Ref {
	if src, id, ok := strings.Cut(s, ":"); ok {
		for _, known := range AllSources {
			if Source(src) == known {
				return Ref{Source: known, ID: id}
			}
		}
	}
	return Ref{ID: s}
}

// StageStatus is read from approvalStage.status. Documented values are
// below; any other string is kept as is and never fails decoding.
type StageStatus string

const (
	StageInProgress   StageStatus = "InProgress"
	StageInitializing StageStatus = "Initializing"
	StageCompleted    StageStatus = "Completed"
	StageExpired      StageStatus = "Expired"
)

// ReviewResult is the *read* vocabulary of approvalStage.reviewResult.
// Unknown strings are kept as is.
type ReviewResult string

const (
	NotReviewed ReviewResult = "NotReviewed"
	Approved    ReviewResult = "Approved"
	Denied      ReviewResult = "Denied"
)

// Decision is the *write* vocabulary sent in PATCH reviewResult. It is a
// distinct type from ReviewResult on purpose: Graph reads back "Approved"
// but only accepts "Approve".
type Decision string

const (
	Approve Decision = "Approve"
	Deny    Decision = "Deny"
)

// Identity is graph.identity: who reviewed a stage.
type Identity struct {
	ID          string
	DisplayName string
}

// Subject is a person (or service principal) involved in a request.
type Subject struct {
	ID            string
	DisplayName   string
	Email         string
	PrincipalName string // user principal name
}

// Resource is what access is requested to: an access package (with its
// catalog), a group, or a role (with the scope it applies to).
type Resource struct {
	ID          string
	DisplayName string
	Description string
	CatalogID   string // access packages only
	CatalogName string // access packages only; empty when not returned
	Email       string // groups only (mail)
	ScopeID     string // roles only: directory scope id ("/" is the whole directory) or Azure scope
	ScopeName   string // roles only: the scope in words ("Directory", "prod-subscription / rg-web")
}

// Answer is a requestor's answer to an access package question.
type Answer struct {
	Question string // answeredQuestion.text when the service returned it
	Value    string // displayValue, else value
}

// Schedule is the requested access window.
type Schedule struct {
	Start          time.Time // zero when not given
	ExpirationType string    // notSpecified, noExpiration, afterDateTime, afterDuration (as sent)
	End            time.Time // afterDateTime
	Duration       string    // ISO 8601 duration as sent, e.g. "PT8H" (afterDuration)
}

// Stage is one approval stage (graph.approvalStage).
type Stage struct {
	ID            string
	DisplayName   string
	AssignedToMe  bool
	Status        StageStatus
	Result        ReviewResult
	ReviewedBy    Identity  // zero when not reviewed (null or the zero GUID)
	ReviewedAt    time.Time // zero when not reviewed
	Justification string    // the approver's justification
}

// Mine reports whether this stage waits for the caller's decision.
func (s Stage) Mine() bool { return s.AssignedToMe && s.Status == StageInProgress }

// Decided reports whether someone has recorded a result on the stage.
func (s Stage) Decided() bool { return s.Result != "" && s.Result != NotReviewed }

// Approval is one request waiting for (or involving) the caller, normalized
// across entitlement management and PIM for Groups.
type Approval struct {
	Ref
	RequestID     string // the request object's id (EM: same as ID)
	Kind          Kind
	Requestor     Subject // who asked
	Target        Subject // who receives the access (often the requestor)
	Resource      Resource
	RequestType   string // EM requestType (userAdd, ...) or PIM action (selfActivate, ...), as sent
	RequestState  string // EM state / PIM status, as sent
	Justification string // the requestor's justification
	Answers       []Answer
	Schedule      Schedule
	TicketNumber  string // PIM ticketInfo.ticketNumber
	Created       time.Time
	Stages        []Stage

	// Deadline is when the current stage expires, when known or estimated
	// (see DeadlineEstimated). Zero when unknown.
	Deadline          time.Time
	DeadlineEstimated bool

	// Problem says, in one line, why some details are missing (for example
	// the approval's stages could not be read: 403). Empty when complete.
	Problem string

	// PortalOnly, when set, says why this approval cannot be decided here
	// and where to decide it instead (an extend or renew request of a role,
	// or a source whose decision API is gone). Decide refuses it, nothing
	// sent.
	PortalOnly string
}

// MyStage returns the stage waiting for the caller's decision, its 0-based
// index, and whether there is one.
func (a Approval) MyStage() (Stage, int, bool) {
	for i, s := range a.Stages {
		if s.Mine() {
			return s, i, true
		}
	}
	return Stage{}, -1, false
}

// CurrentStage returns the index of the stage in progress (mine or not), or
// of the last stage when none is in progress; -1 when there are no stages.
func (a Approval) CurrentStage() int {
	for i, s := range a.Stages {
		if s.Status == StageInProgress {
			return i
		}
	}
	return len(a.Stages) - 1
}

// Outcome is what happened to one decision, from the approver's point of view.
type Outcome string

const (
	OutcomeApproved       Outcome = "approved"        // our Approve was applied
	OutcomeDenied         Outcome = "denied"          // our Deny was applied
	OutcomeAlreadyDecided Outcome = "already-decided" // someone else decided the stage first (DecidedBy, DecidedAs)
	OutcomeGone           Outcome = "gone"            // 404: cancelled, expired or no longer visible
	OutcomeFailed         Outcome = "failed"          // not applied; Err says why; safe to retry
	OutcomeUnknown        Outcome = "unknown"         // may or may not have been applied; re-read before retrying
	OutcomeCancelled      Outcome = "cancelled"       // never sent (context cancelled before the PATCH)
)

// Applied reports whether the decision we sent is now recorded as ours.
func (o Outcome) Applied() bool { return o == OutcomeApproved || o == OutcomeDenied }

// DecisionRequest asks for one stage to be decided.
type DecisionRequest struct {
	Ref           Ref
	StageID       string
	Decision      Decision
	Justification string
}

// DecisionResult is the final word on one DecisionRequest. Every request
// given to Decide/DecideMany gets exactly one result.
type DecisionResult struct {
	Request   DecisionRequest
	Outcome   Outcome
	DecidedBy Identity     // for OutcomeAlreadyDecided: who decided first
	DecidedAs ReviewResult // for OutcomeAlreadyDecided: what they decided
	Err       error        // for OutcomeFailed / OutcomeUnknown / OutcomeGone: the cause
	RequestID string       // Graph request-id of the last response, when there was one
	Attempts  int          // PATCHes actually sent (0, 1 or 2)
}

// Snapshot is the result of one refresh: everything waiting for me.
type Snapshot struct {
	Approvals []Approval     // stable order: by Created, then Ref (nil from RefreshEach with progress: see there)
	Sources   []SourceStatus // every source, in AllSources order, with its state
	Errors    []SourceError  // sources whose listing failed (their approvals are missing)
	Warnings  []string       // e.g. "50 results and no nextLink: the list may be capped"
	Requests  int            // HTTP requests this refresh sent (a $batch counts once)
	At        time.Time      // when the refresh finished
}

// SourceError says one source could not be listed.
type SourceError struct {
	Source Source
	Err    error
}

func (e SourceError) Error() string { return string(e.Source) + ": " + e.Err.Error() }
func (e SourceError) Unwrap() error { return e.Err }

// Journal records decisions around the PATCH itself. The client calls
// Attempt right before each PATCH is sent (a non-nil error stops that PATCH
// from being sent and fails the decision), and Outcome exactly once per
// DecisionRequest when its result is final. A crash between the two is
// visible as an attempt without an outcome.
type Journal interface {
	Attempt(req DecisionRequest, attempt int) error
	Outcome(res DecisionResult)
}
