package sim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// approvalRec is one approval found by id: its stages (shared with the
// request, so changes stick) and the request it belongs to.
type approvalRec struct {
	id     string
	stages []Stage
	em     *AccessPackageRequest
	pim    *GroupRequest
	role   *RoleRequest
}

func (a *approvalRec) pending() bool {
	switch {
	case a.em != nil:
		return a.em.State == StatePendingApproval
	case a.role != nil:
		return a.role.Status == PIMPendingApproval
	}
	return a.pim.Status == PIMPendingApproval
}

// findApproval looks an approval up and expires it if its deadline has
// passed. Unknown and cancelled approvals are 404. Callers hold s.mu.
func (s *Server) findApproval(src source, id string, now time.Time) (*approvalRec, *Error) {
	gone := notFound("No approval with id '%s' was found.", id)
	if src == srcAccessPackage {
		r := s.ix.em[lowerKey(id)]
		if r == nil || emCanceled(r) {
			return nil, gone
		}
		settleEM(r, now)
		return &approvalRec{id: r.ID, stages: r.Stages, em: r}, nil
	}
	if src == srcRole {
		r := s.ix.role[lowerKey(id)]
		if r == nil || roleCanceled(r) {
			return nil, gone
		}
		settleRole(r, now)
		return &approvalRec{id: r.ID, stages: r.Stages, role: r}, nil
	}
	r := s.ix.pim[lowerKey(id)]
	if r == nil || pimCanceled(r) {
		return nil, gone
	}
	settlePIM(r, now)
	return &approvalRec{id: r.ID, stages: r.Stages, pim: r}, nil
}

// readableApproval is findApproval plus the approver check every read
// and write of an approval makes: callers who approve none of its stages
// get 403.
func (s *Server) readableApproval(src source, id, userID string, now time.Time) (*approvalRec, *Error) {
	a, err := s.findApproval(src, id, now)
	if err != nil {
		return nil, err
	}
	if !isApproverOfAny(a.stages, userID) {
		return nil, forbidden("The signed-in user is not an approver of approval '%s'.", id)
	}
	return a, nil
}

// decision is a parsed PATCH body.
type decision struct {
	result        string // Approve or Deny
	justification string
}

// decide applies one approver's decision to a stage, following the order
// of checks a service makes: existence (404), permission (403), the
// stage's state (409 once decided or expired, 400 before it started),
// then the content (400 when a required justification is blank).
// Callers hold s.mu.
func (s *Server) decide(src source, approvalID, stageID, userID string, d decision, now time.Time) *Error {
	a, err := s.readableApproval(src, approvalID, userID, now)
	if err != nil {
		return err
	}
	i := findStage(a.stages, stageID)
	if i < 0 {
		return notFound("No stage with id '%s' was found in approval '%s'.", stageID, approvalID)
	}
	st := &a.stages[i]
	if !slices.Contains(st.Approvers, userID) {
		return forbidden("The signed-in user is not an approver of stage '%s'.", stageID)
	}
	switch {
	case st.Status == StatusCompleted:
		return conflict("The approval stage has already been reviewed (%s).", st.ReviewResult)
	case st.Status == StatusExpired:
		return conflict("The approval stage has expired and can no longer be reviewed.")
	case !a.pending():
		return conflict("The request is no longer pending approval.")
	case st.Status != StatusInProgress:
		return badRequest("The approval stage has not started yet; an earlier stage is still in progress.")
	case a.role != nil && userID == a.role.PrincipalID:
		return badRequest("Approvers cannot approve their own role activation; another approver must review it.")
	case a.role != nil && extendOrRenew(a.role.Action):
		return badRequest("Approving %s requests through Microsoft Graph is not supported; use the Microsoft Entra admin center.", a.role.Action)
	case st.JustificationRequired && strings.TrimSpace(d.justification) == "":
		return badRequest("A justification is required to review this approval stage.")
	}
	st.Status, st.ReviewedBy, st.ReviewedDateTime, st.Justification = StatusCompleted, userID, now, d.justification
	if d.result == "Approve" {
		st.ReviewResult = ResultApproved
		if i+1 < len(a.stages) {
			next := &a.stages[i+1]
			next.Status, next.StartedDateTime = StatusInProgress, now
			return nil
		}
		a.complete(true, now)
		return nil
	}
	st.ReviewResult = ResultDenied
	a.complete(false, now)
	return nil
}

// extendOrRenew: the documentation says the API cannot approve extend
// and renew requests of roles.
func extendOrRenew(action string) bool {
	switch strings.ToLower(action) {
	case "selfextend", "selfrenew", "adminextend", "adminrenew":
		return true
	}
	return false
}

// complete ends the request after its last approval or a denial. The
// assignment is delivered at once (the service goes through "delivering").
func (a *approvalRec) complete(approved bool, now time.Time) {
	if a.em != nil {
		a.em.CompletedDateTime = now
		if approved {
			a.em.State, a.em.Status = StateDelivered, "Delivered"
		} else {
			a.em.State, a.em.Status = StateDenied, "Denied"
		}
		return
	}
	if a.role != nil {
		a.role.CompletedDateTime = now
		if approved {
			a.role.Status, a.role.TargetScheduleID = PIMProvisioned, newGUID(nil)
		} else {
			a.role.Status = PIMDenied
		}
		return
	}
	a.pim.CompletedDateTime = now
	if approved {
		a.pim.Status, a.pim.TargetScheduleID = PIMProvisioned, newGUID(nil)
	} else {
		a.pim.Status = PIMDenied
	}
}

// DecideAs makes another approver decide a stage, as if they had sent the
// PATCH (decision "Approve" or "Deny"). user is a user id or UPN. The
// error is the *Error the PATCH would have got.
func (s *Server) DecideAs(user, approvalID, stageID, decision, justification string) error {
	if decision != "Approve" && decision != "Deny" {
		return badRequest("Invalid reviewResult '%s': use 'Approve' or 'Deny'.", decision)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.ix.user(user)
	if u == nil {
		return unauthorized("No such user.")
	}
	if r := s.azureByApproval(approvalID); r != nil {
		if err := s.decideAzure(r, stageID, u.ID, decisionOf(decision, justification), s.now()); err != nil {
			return err
		}
		return nil
	}
	src, ok := s.sourceOf(approvalID)
	if !ok {
		return notFound("No approval with id '%s' was found.", approvalID)
	}
	if err := s.decide(src, approvalID, stageID, u.ID, decisionOf(decision, justification), s.now()); err != nil {
		return err
	}
	return nil
}

func decisionOf(result, justification string) decision {
	return decision{result: result, justification: justification}
}

func (s *Server) sourceOf(id string) (source, bool) {
	if s.ix.em[lowerKey(id)] != nil {
		return srcAccessPackage, true
	}
	if s.ix.pim[lowerKey(id)] != nil {
		return srcGroup, true
	}
	if s.ix.role[lowerKey(id)] != nil {
		return srcRole, true
	}
	return 0, false
}

// Cancel withdraws a pending request, as its requestor would: it leaves
// every listing and its approval answers 404 from then on.
func (s *Server) Cancel(requestID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if r := s.azureByApproval(requestID); r != nil {
		if err := cancelAzure(r, now); err != nil {
			return err
		}
		return nil
	}
	src, ok := s.sourceOf(requestID)
	if !ok {
		return notFound("No request with id '%s' was found.", requestID)
	}
	a, err := s.findApproval(src, requestID, now)
	if err != nil {
		return err
	}
	if !a.pending() {
		return &Error{Status: http.StatusBadRequest, Code: "BadRequest",
			Message: fmt.Sprintf("Request '%s' is not pending and cannot be cancelled.", requestID)}
	}
	// The stage in progress ends without a review, like the documented
	// "Completed" + "NotReviewed" example.
	if i := currentStage(a.stages); i >= 0 {
		a.stages[i].Status = StatusCompleted
	}
	switch {
	case a.em != nil:
		a.em.State, a.em.Status, a.em.CompletedDateTime = StateCanceled, "Canceled", now
	case a.role != nil:
		a.role.Status, a.role.CompletedDateTime = PIMCanceled, now
	default:
		a.pim.Status, a.pim.CompletedDateTime = PIMCanceled, now
	}
	return nil
}

// StageState reports a stage's state and PATCH counters.
func (s *Server) StageState(approvalID, stageID string) (StageState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var stages []Stage
	if r := s.ix.em[lowerKey(approvalID)]; r != nil {
		settleEM(r, s.now())
		stages = r.Stages
	} else if r := s.ix.pim[lowerKey(approvalID)]; r != nil {
		settlePIM(r, s.now())
		stages = r.Stages
	} else if r := s.azureByApproval(approvalID); r != nil {
		settleAzure(r, s.now())
		stages = r.Stages
	} else if r := s.ix.role[lowerKey(approvalID)]; r != nil {
		settleRole(r, s.now())
		stages = r.Stages
	}
	i := findStage(stages, stageID)
	if i < 0 {
		return StageState{}, false
	}
	st := stages[i]
	attempts, applied := s.count.patchCounts(approvalID, stageID)
	return StageState{Status: st.Status, ReviewResult: st.ReviewResult, ReviewedBy: st.ReviewedBy,
		Justification: st.Justification, PatchAttempts: attempts, PatchesApplied: applied}, true
}
