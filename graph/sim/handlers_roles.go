package sim

import (
	"fmt"
	"net/http"
	"time"
)

// Handlers for PIM for Microsoft Entra roles: the v1.0 request collection
// and the beta approvals with their steps.

// roleRequestOn: the documentation lists principal, createdBy, approver
// and unknownFutureValue, and says only principal and approver work.
var roleRequestOn = map[string]bool{"approver": true, "principal": true, "createdby": false, "unknownfuturevalue": false}

func (c *call) listRoleRequests() {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	reqs := s.tenant.RoleRequests
	me, now := c.caller.ID, c.now
	c.listWith(requestListing{
		on:  roleRequestOn,
		typ: typeRoleRequest,
		fields: map[string]filterField{
			"status":           {str: func(i int) string { return reqs[i].Status }},
			"principalid":      {str: func(i int) string { return reqs[i].PrincipalID }},
			"roledefinitionid": {str: func(i int) string { return reqs[i].RoleDefinitionID }},
			"directoryscopeid": {str: func(i int) string { return cmpOr(reqs[i].DirectoryScopeID, "/") }},
			"action":           {str: func(i int) string { return reqs[i].Action }},
			"id":               {str: func(i int) string { return reqs[i].ID }},
			"createddatetime":  {time: func(i int) time.Time { return reqs[i].CreatedDateTime }},
		},
		n: len(reqs),
		mine: func(i int, on string) bool {
			r := reqs[i]
			settleRole(r, now)
			switch on {
			case "approver":
				return s.roleWaitsFor(r, me, now)
			case "principal":
				return r.PrincipalID == me
			}
			return false
		},
		build:   func(i int) any { return c.roleRequestJSON(reqs[i], c.q.selects, c.q.expand) },
		context: "Collection(microsoft.graph.unifiedRoleAssignmentScheduleRequest)",
	})
}

// getRoleRequest reads one request: its principal, its creator and its
// approvers may; others get 403.
func (c *call) getRoleRequest() {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.ix.role[lowerKey(c.rt.id)]
	if r == nil {
		writeError(c, notFound("No request with id '%s' was found.", c.rt.id))
		return
	}
	settleRole(r, c.now)
	me := c.caller.ID
	if me != r.PrincipalID && me != r.CreatedByID && !isApproverOfAny(r.Stages, me) {
		writeError(c, forbidden("The signed-in user may not read request '%s'.", r.ID))
		return
	}
	if err := typeRoleRequest.validate(c.q.selects, c.q.expand); err != nil {
		writeError(c, err)
		return
	}
	body := c.roleRequestJSON(r, c.q.selects, c.q.expand)
	writeJSON(c.w, 200, append(obj{}.with("@odata.context", c.context(c.rt.collection+"/$entity")), body...))
}

// getRoleApproval serves beta GET roleAssignmentApprovals/{id}: the
// approval with its steps inline, as the documentation shows.
func (c *call) getRoleApproval() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	a := c.readable(typeRoleApproval)
	if a == nil {
		return
	}
	it, expanded := c.q.expand.has("steps")
	var stepSelects []string
	if expanded {
		stepSelects = it.selects
	}
	withSteps := expanded || len(c.q.selects) == 0 || selected(c.q.selects, "steps")
	body := c.roleApprovalJSON(a.id, a.stages, stepSelects, withSteps)
	writeJSON(c.w, 200, append(obj{}.with("@odata.context", c.context(c.rt.collection+"/$entity")), body...))
}

// listRoleSteps serves beta GET .../{id}/steps.
func (c *call) listRoleSteps() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	a := c.readable(typeStep)
	if a == nil {
		return
	}
	ctx := c.context(fmt.Sprintf("%s('%s')/steps", c.rt.collection, a.id))
	writeJSON(c.w, 200, obj{}.with("@odata.context", ctx).with("value", c.stagesJSON(a.stages, c.q.selects)))
}

// roleStep serves beta GET and PATCH .../{id}/steps/{stepId}.
func (c *call) roleStep() {
	if c.r.Method == http.MethodPatch {
		c.patchStage() // the same decision rules; decide knows a role's own ones
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	a := c.readable(typeStep)
	if a == nil {
		return
	}
	i := findStage(a.stages, c.rt.stageID)
	if i < 0 {
		writeError(c, notFound("No step with id '%s' was found in approval '%s'.", c.rt.stageID, a.id))
		return
	}
	ctx := c.context(fmt.Sprintf("%s('%s')/steps/$entity", c.rt.collection, a.id))
	writeJSON(c.w, 200, append(obj{}.with("@odata.context", ctx), c.stageJSON(&a.stages[i], c.q.selects)...))
}
