package graph

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// fromAssignmentRequest normalizes an entitlement management request. The
// approval id is the request id (graph-contract.md §1.4).
func fromAssignmentRequest(w wireAssignmentRequest) Approval {
	a := Approval{
		Ref:           Ref{Source: SourceAccessPackage, ID: w.ID},
		RequestID:     w.ID,
		Kind:          KindAccessPackage,
		RequestType:   w.RequestType,
		RequestState:  w.State,
		Justification: w.Justification,
		Created:       w.Created.Time,
		Schedule:      fromSchedule(w.Schedule),
	}
	if w.Requestor != nil {
		a.Requestor = fromSubject(*w.Requestor)
	}
	a.Target = a.Requestor
	if w.Assignment != nil && w.Assignment.Target != nil {
		a.Target = fromSubject(*w.Assignment.Target)
	}
	if p := w.AccessPackage; p != nil {
		a.Resource = Resource{ID: p.ID, DisplayName: p.DisplayName, Description: p.Description}
		if p.Catalog != nil {
			a.Resource.CatalogID = p.Catalog.ID
			a.Resource.CatalogName = p.Catalog.DisplayName
		}
	}
	for _, ans := range w.Answers {
		a.Answers = append(a.Answers, fromAnswer(ans))
	}
	internShared(&a)
	return a
}

// pimPeople fills in what PIM requests (groups and roles) say alike: who
// gets the access (Target: the expanded principal, else principalId as
// set), who asked (createdBy when it names someone else; else the
// beneficiary asked for themselves) and the ticket number.
func pimPeople(a *Approval, principal *wireDirectoryObject, createdBy *wireCreatedBy, ticket *wireTicketInfo) {
	if ticket != nil {
		a.TicketNumber = ticket.TicketNumber
	}
	if p := principal; p != nil {
		a.Target = Subject{
			ID:            firstNonEmpty(p.ID, a.Target.ID),
			DisplayName:   p.DisplayName,
			Email:         p.Mail,
			PrincipalName: p.UserPrincipalName,
		}
	}
	a.Requestor = a.Target
	if createdBy != nil && createdBy.User != nil && createdBy.User.ID != "" &&
		!strings.EqualFold(createdBy.User.ID, a.Target.ID) {
		a.Requestor = Subject{ID: createdBy.User.ID, DisplayName: createdBy.User.DisplayName}
	}
}

// fromGroupRequest normalizes a PIM for Groups request. Its approval is
// named by approvalId when the service gives one, else by the request id.
func fromGroupRequest(w wireGroupRequest) Approval {
	a := Approval{
		Ref:           Ref{Source: SourceGroup, ID: firstNonEmpty(w.ApprovalID, w.ID)},
		RequestID:     w.ID,
		Kind:          groupKind(w.AccessID),
		RequestType:   w.Action,
		RequestState:  w.Status,
		Justification: w.Justification,
		Created:       w.Created.Time,
		Schedule:      fromSchedule(w.ScheduleInfo),
		Resource:      Resource{ID: w.GroupID},
		Target:        Subject{ID: w.PrincipalID},
	}
	pimPeople(&a, w.Principal, w.CreatedBy, w.TicketInfo)
	if g := w.Group; g != nil {
		a.Resource = Resource{
			ID:          firstNonEmpty(g.ID, w.GroupID),
			DisplayName: g.DisplayName,
			Description: g.Description,
			Email:       g.Mail,
		}
	}
	internShared(&a)
	return a
}

func groupKind(accessID string) Kind {
	switch {
	case strings.EqualFold(accessID, "member"):
		return KindGroupMember
	case strings.EqualFold(accessID, "owner"):
		return KindGroupOwner
	}
	return KindGroup
}

func fromSubject(w wireSubject) Subject {
	return Subject{
		ID:            firstNonEmpty(w.ObjectID, w.ID),
		DisplayName:   w.DisplayName,
		Email:         w.Email,
		PrincipalName: w.PrincipalName,
	}
}

func fromSchedule(w *wireSchedule) Schedule {
	if w == nil {
		return Schedule{}
	}
	s := Schedule{Start: w.Start.Time}
	if e := w.Expiration; e != nil {
		s.ExpirationType = e.Type
		s.End = e.End.Time
		s.Duration = e.Duration
	}
	return s
}

// fromAnswer prefers the question's text when the service returned it,
// and the display value over the raw value.
func fromAnswer(w wireAnswer) Answer {
	a := Answer{Value: w.DisplayValue}
	if w.AnsweredQuestion != nil {
		a.Question = w.AnsweredQuestion.Text
	}
	if a.Value == "" {
		a.Value = rawText(w.Value)
	}
	return a
}

// rawText renders a JSON value as text: a string as itself, null as "",
// anything else as compact JSON.
func rawText(b json.RawMessage) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		return s
	}
	var out bytes.Buffer
	if json.Compact(&out, b) == nil {
		return out.String()
	}
	return ""
}

func fromStage(w wireStage) Stage {
	return Stage{
		ID:            w.ID,
		DisplayName:   intern(w.DisplayName),
		AssignedToMe:  w.AssignedToMe,
		Status:        StageStatus(canonical(w.Status, string(StageInProgress), string(StageInitializing), string(StageCompleted), string(StageExpired))),
		Result:        ReviewResult(canonical(w.ReviewResult, string(NotReviewed), string(Approved), string(Denied))),
		ReviewedBy:    Identity{ID: intern(w.ReviewedBy.ID), DisplayName: intern(w.ReviewedBy.DisplayName)},
		ReviewedAt:    w.ReviewedAt.Time,
		Justification: w.Justification,
	}
}

func fromStages(ws []wireStage) []Stage {
	out := make([]Stage, 0, len(ws))
	for _, w := range ws {
		out = append(out, fromStage(w))
	}
	return out
}

// canonical returns the documented spelling of v when it matches one of
// known case-insensitively (the docs mix casing), else v unchanged.
func canonical(v string, known ...string) string {
	for _, k := range known {
		if strings.EqualFold(v, k) {
			return k
		}
	}
	return v
}

// finishStages completes an approval once its stages are attached: the
// stage waiting for me is found even in the PIM docs' quirk, and the
// deadline is estimated.
func finishStages(a *Approval, timeout time.Duration) {
	readPendingGroupStage(a)
	estimateDeadline(a, timeout)
	if (a.Source == SourceAzure || a.Source == SourceRole) && !a.Deadline.IsZero() {
		// PIM's window is documented (24 hours from the request, not
		// configurable): the deadline is exact, not an estimate.
		a.DeadlineEstimated = false
	}
}

// readPendingGroupStage handles the shape the Graph docs' own example of a
// PIM for Groups approval waiting for the caller has (v1.0
// approval-filterbycurrentuser): its one stage reads "Completed" yet
// "NotReviewed" and assigned to the caller. While the request itself is
// still PendingApproval and no stage reads InProgress, such a stage is the
// one waiting for the caller, so it is read as in progress and can be
// decided; if it really is closed, Graph refuses the PATCH and the decision
// fails, nothing applied.
func readPendingGroupStage(a *Approval) {
	if a.Source != SourceGroup || !strings.EqualFold(a.RequestState, "PendingApproval") {
		return
	}
	for _, s := range a.Stages {
		if s.Status == StageInProgress {
			return
		}
	}
	for i := range a.Stages {
		if s := &a.Stages[i]; s.AssignedToMe && s.Result == NotReviewed && s.Status == StageCompleted {
			s.Status = StageInProgress
			return
		}
	}
}

// estimateDeadline sets the deadline of the stage in progress: it started
// when the request was created (first stage) or when the previous stage
// was reviewed, and runs for the source's stage timeout. Graph does not
// expose the policy to approvers, so this is an estimate.
func estimateDeadline(a *Approval, timeout time.Duration) {
	a.Deadline, a.DeadlineEstimated = time.Time{}, false
	i := -1
	for j, s := range a.Stages {
		if s.Status == StageInProgress {
			i = j
			break
		}
	}
	if i < 0 || timeout <= 0 {
		return
	}
	start := a.Created
	if i > 0 && !a.Stages[i-1].ReviewedAt.IsZero() {
		start = a.Stages[i-1].ReviewedAt
	}
	if start.IsZero() {
		return
	}
	a.Deadline, a.DeadlineEstimated = start.Add(timeout), true
}

// fromRoleRequest normalizes a PIM for Microsoft Entra roles request. Its
// approval is named by approvalId (the docs: the request's own id).
func fromRoleRequest(w wireRoleRequest) Approval {
	a := Approval{
		Ref:           Ref{Source: SourceRole, ID: firstNonEmpty(w.ApprovalID, w.ID)},
		RequestID:     w.ID,
		Kind:          KindRole,
		RequestType:   w.Action,
		RequestState:  w.Status,
		Justification: w.Justification,
		Created:       w.Created.Time,
		Schedule:      fromSchedule(w.ScheduleInfo),
		Target:        Subject{ID: w.PrincipalID},
		Resource:      Resource{ID: w.RoleDefinitionID, ScopeID: w.DirectoryScopeID, ScopeName: directoryScopeName(w.DirectoryScopeID, w.DirectoryScope)},
	}
	pimPeople(&a, w.Principal, w.CreatedBy, w.TicketInfo)
	if r := w.RoleDefinition; r != nil {
		a.Resource.ID = firstNonEmpty(r.ID, w.RoleDefinitionID)
		a.Resource.DisplayName = r.DisplayName
		a.Resource.Description = r.Description
	}
	internShared(&a)
	return a
}

// directoryScopeName is a directory scope in words: "/" is the whole
// directory; an expanded scope object gives its name; else the id as is.
func directoryScopeName(id string, scope *wireDirectoryObject) string {
	switch {
	case id == "/" || id == "":
		return "Directory"
	case scope != nil && scope.DisplayName != "":
		return scope.DisplayName
	}
	return id
}
