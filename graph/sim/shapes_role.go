package sim

import "strings"

// JSON shapes of PIM for Microsoft Entra roles, from the documentation:
// v1.0 unifiedRoleAssignmentScheduleRequest (with principal,
// roleDefinition and directoryScope expandable) and the beta approval
// with its steps (approvalStep).

var (
	typeRoleDefinition = &entityType{name: "microsoft.graph.unifiedRoleDefinition", props: []string{
		"id", "description", "displayName", "isBuiltIn", "isEnabled", "templateId", "version", "rolePermissions", "resourceScopes"}}
	typeDirectoryObject = &entityType{name: "microsoft.graph.directoryObject", props: []string{"id", "displayName", "description"}}
	typeRoleRequest     = &entityType{name: "microsoft.graph.unifiedRoleAssignmentScheduleRequest", props: []string{
		"id", "status", "completedDateTime", "createdDateTime", "approvalId", "customData", "createdBy", "action",
		"isValidationOnly", "justification", "scheduleInfo", "ticketInfo", "principalId", "roleDefinitionId",
		"directoryScopeId", "appScopeId", "targetScheduleId"},
		navs: map[string]*entityType{"principal": typeUser, "roledefinition": typeRoleDefinition,
			"directoryscope": typeDirectoryObject,
			// known navigation properties the simulator always returns as null
			"appscope":       {name: "microsoft.graph.appScope"},
			"activatedusing": {name: "microsoft.graph.unifiedRoleEligibilitySchedule"},
			"targetschedule": {name: "microsoft.graph.unifiedRoleAssignmentSchedule"}}}
	typeStep = &entityType{name: "microsoft.graph.approvalStep", props: []string{
		"id", "displayName", "reviewedDateTime", "reviewResult", "status", "assignedToMe", "justification", "reviewedBy"}}
	typeRoleApproval = &entityType{name: "microsoft.graph.approval", props: []string{"id"},
		navs: map[string]*entityType{"steps": typeStep}}
)

func (c *call) roleRequestJSON(r *RoleRequest, selects []string, expand expandTree) obj {
	ix := c.s.ix
	var createdBy any
	if u := ix.user(r.CreatedByID); u != nil {
		createdBy = obj{}.
			with("application", nil).
			with("device", nil).
			with("user", obj{}.with("displayName", nil).with("id", u.ID)) // the docs' example names no one
	}
	ticket := obj{}.with("ticketNumber", nullIfEmpty(r.TicketNumber)).with("ticketSystem", nullIfEmpty(r.TicketSystem))
	o := obj{}.
		with("@odata.type", "#microsoft.graph.unifiedRoleAssignmentScheduleRequest").
		with("id", r.ID).
		with("status", r.Status).
		with("createdDateTime", graphTime(r.CreatedDateTime)).
		with("completedDateTime", graphTime(r.CompletedDateTime)).
		with("approvalId", r.ID).
		with("customData", nil).
		with("action", r.Action).
		with("principalId", r.PrincipalID).
		with("roleDefinitionId", r.RoleDefinitionID).
		with("directoryScopeId", cmpOr(r.DirectoryScopeID, "/")).
		with("appScopeId", nil).
		with("isValidationOnly", false).
		with("targetScheduleId", nullIfEmpty(r.TargetScheduleID)).
		with("justification", r.Justification).
		with("createdBy", createdBy).
		with("scheduleInfo", scheduleJSON(r.ScheduleInfo)).
		with("ticketInfo", ticket)
	o = applySelect(o, selects)
	if it, ok := expand.has("principal"); ok {
		o = o.with("principal", principalJSON(ix.user(r.PrincipalID), it))
	}
	if it, ok := expand.has("roleDefinition"); ok {
		o = o.with("roleDefinition", roleDefinitionJSON(ix.roles[lowerKey(r.RoleDefinitionID)], it))
	}
	if it, ok := expand.has("directoryScope"); ok {
		o = o.with("directoryScope", c.directoryScopeJSON(r.DirectoryScopeID, it))
	}
	for _, nav := range []string{"appScope", "activatedUsing", "targetSchedule"} {
		if _, ok := expand.has(nav); ok {
			o = o.with(nav, nil)
		}
	}
	return o
}

func roleDefinitionJSON(r *Role, it *expandItem) any {
	if r == nil {
		return nil
	}
	o := obj{}.
		with("id", r.ID).
		with("description", nullIfEmpty(r.Description)).
		with("displayName", r.DisplayName).
		with("isBuiltIn", r.IsBuiltIn).
		with("isEnabled", true).
		with("templateId", r.ID).
		with("version", "1")
	return applySelect(o, it.selects)
}

// directoryScopeJSON is the directory object a scope id names: an
// administrative unit for "/administrativeUnits/{id}"; the whole
// directory ("/") is no object, so null.
func (c *call) directoryScopeJSON(scopeID string, it *expandItem) any {
	id, ok := strings.CutPrefix(scopeID, "/administrativeUnits/")
	if !ok {
		return nil
	}
	au := c.s.ix.aus[lowerKey(id)]
	if au == nil {
		return nil
	}
	o := obj{}.
		with("@odata.type", "#microsoft.graph.administrativeUnit").
		with("id", au.ID).
		with("displayName", au.DisplayName).
		with("description", nullIfEmpty(au.Description))
	return applySelect(o, it.selects)
}

// roleApprovalJSON is the beta approval: its steps inline.
func (c *call) roleApprovalJSON(id string, steps []Stage, stepSelects []string, withSteps bool) obj {
	o := obj{}.with("id", id)
	if withSteps {
		o = o.with("steps@odata.context", c.context(roleApprovalsCollection+"('"+id+"')/steps")).
			with("steps", c.stagesJSON(steps, stepSelects))
	}
	return o
}
