package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// Handlers for the approval collections: entitlement management
// accessPackageAssignmentApprovals and PIM for Groups assignmentApprovals.

// listApprovals serves approvals/filterByCurrentUser(on='approver'): the
// approvals waiting for the caller. Entitlement management returns ids
// only (stages with $expand=stages); PIM for Groups puts stages inline, as
// the documentation's examples show.
func (c *call) listApprovals() { c.holdReply(c.listApprovalsLocked) }

func (c *call) listApprovalsLocked() {
	s := c.s
	if _, err := c.onValue(approvalOn); err != nil {
		writeError(c, err)
		return
	}
	if err := typeApproval.validate(c.q.selects, c.q.expand); err != nil {
		writeError(c, err)
		return
	}
	if c.q.hasFilter {
		writeError(c, badRequest("Invalid filter clause: filtering is not supported on approvals."))
		return
	}
	it, expanded := c.q.expand.has("stages")
	var stageSelects []string
	if expanded {
		stageSelects = it.selects
	}
	withStages := expanded || c.rt.src == srcGroup
	me, now := c.caller.ID, c.now
	if c.rt.src == srcAccessPackage {
		reqs := s.tenant.AccessPackageRequests
		c.page(len(reqs), func(i int) bool { return s.emWaitsFor(reqs[i], me, now) },
			func(i int) any { return c.approvalJSON(reqs[i].ID, reqs[i].Stages, true, withStages, stageSelects) },
			"Collection(microsoft.graph.approval)")
		return
	}
	reqs := s.tenant.GroupRequests
	c.page(len(reqs), func(i int) bool { return s.pimWaitsFor(reqs[i], me, now) },
		func(i int) any { return c.approvalJSON(reqs[i].ID, reqs[i].Stages, true, withStages, stageSelects) },
		"Collection(microsoft.graph.approval)")
}

func (c *call) listAllApprovals() {
	writeError(c, forbidden("Listing every approval requires an administrator role. Use filterByCurrentUser(on='approver')."))
}

// readable checks the query options against typ and finds the approval the
// caller may read. It writes the Graph error and returns nil when there is
// none. The caller holds s.mu.
func (c *call) readable(typ *entityType) *approvalRec {
	if err := typ.validate(c.q.selects, c.q.expand); err != nil {
		writeError(c, err)
		return nil
	}
	a, err := c.s.readableApproval(c.rt.src, c.rt.id, c.caller.ID, c.now)
	if err != nil {
		writeError(c, err)
		return nil
	}
	return a
}

// getApproval serves GET .../{id}: the approval with its stages inline.
func (c *call) getApproval() { c.holdReply(c.getApprovalLocked) }

func (c *call) getApprovalLocked() {
	a := c.readable(typeApproval)
	if a == nil {
		return
	}
	it, expanded := c.q.expand.has("stages")
	var stageSelects []string
	if expanded {
		stageSelects = it.selects
	}
	withStages := expanded || len(c.q.selects) == 0 || selected(c.q.selects, "stages")
	body := c.approvalJSON(a.id, a.stages, false, withStages, stageSelects)
	c.reply(200, append(obj{}.with("@odata.context", c.context(c.rt.collection+"/$entity")), body...))
}

func selected(selects []string, name string) bool {
	for _, s := range selects {
		if strings.EqualFold(s, name) || s == "*" {
			return true
		}
	}
	return false
}

// listStages serves GET .../{id}/stages.
func (c *call) listStages() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	a := c.readable(typeStage)
	if a == nil {
		return
	}
	ctx := c.context(fmt.Sprintf("%s('%s')/stages", c.rt.collection, a.id))
	writeJSON(c.w, 200, obj{}.with("@odata.context", ctx).with("value", c.stagesJSON(a.stages, c.q.selects)))
}

// stage serves GET and PATCH .../{id}/stages/{stageId}.
func (c *call) stage() {
	if c.r.Method == http.MethodPatch {
		c.patchStage()
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	a := c.readable(typeStage)
	if a == nil {
		return
	}
	i := findStage(a.stages, c.rt.stageID)
	if i < 0 {
		writeError(c, notFound("No stage with id '%s' was found in approval '%s'.", c.rt.stageID, a.id))
		return
	}
	ctx := c.context(fmt.Sprintf("%s('%s')/stages/$entity", c.rt.collection, a.id))
	writeJSON(c.w, 200, append(obj{}.with("@odata.context", ctx), c.stageJSON(&a.stages[i], c.q.selects)...))
}

// maxPatchBody bounds a decision body; real ones are a few hundred bytes.
const maxPatchBody = 1 << 20

// patchStage records a decision: 204 with no body when applied.
func (c *call) patchStage() {
	d, perr := readDecision(c.r)
	if perr != nil {
		writeError(c, perr)
		return
	}
	s := c.s
	s.mu.Lock()
	err := s.decide(c.rt.src, c.rt.id, c.rt.stageID, c.caller.ID, d, c.now)
	if err == nil { // counted under the lock, so StageState never sees a decision without it
		s.count.patch(c.rt.id, c.rt.stageID, true)
	}
	s.mu.Unlock()
	if err != nil {
		writeError(c, err)
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}

// stageReadOnly are approvalStage properties a client may echo back in a
// PATCH (SDKs serialize whole models); they are ignored, as read-only
// properties are.
var stageReadOnly = map[string]bool{"id": true, "@odata.type": true, "assignedtome": true, "displayname": true,
	"reviewedby": true, "revieweddatetime": true, "status": true}

// readDecision parses {"reviewResult":"Approve"|"Deny","justification":"..."}.
// The write vocabulary is exact: "Approved" (the read word) is a 400.
func readDecision(r *http.Request) (decision, *Error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return decision{}, newError(http.StatusUnsupportedMediaType, "UnsupportedMediaType", "Content-Type '%s' is not supported; send application/json.", ct)
		}
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxPatchBody+1))
	if err != nil {
		return decision{}, badRequest("Could not read the request body: %v", err)
	}
	if len(raw) > maxPatchBody {
		return decision{}, newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The request body is too large.")
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(raw, &body); err != nil || body == nil {
		return decision{}, badRequest("Invalid request body: a JSON object with reviewResult and justification is expected.")
	}
	var d decision
	for k, v := range body {
		switch lk := strings.ToLower(k); {
		case lk == "reviewresult":
			if json.Unmarshal(v, &d.result) != nil {
				return decision{}, badRequest("Invalid value for property 'reviewResult': a string is expected.")
			}
		case lk == "justification":
			var j *string
			if json.Unmarshal(v, &j) != nil {
				return decision{}, badRequest("Invalid value for property 'justification': a string is expected.")
			}
			if j != nil {
				d.justification = *j
			}
		case stageReadOnly[lk]:
		default:
			return decision{}, badRequest("Invalid request body: property '%s' does not exist on type 'microsoft.graph.approvalStage'.", k)
		}
	}
	switch d.result {
	case "Approve", "Deny":
		return d, nil
	case "":
		return decision{}, badRequest("The property 'reviewResult' is required: 'Approve' or 'Deny'.")
	}
	return decision{}, badRequest("Invalid value '%s' for property 'reviewResult': use 'Approve' or 'Deny'.", d.result)
}
