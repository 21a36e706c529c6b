package sim

import "strings"

// JSON shapes of PIM for Groups objects, from the v1.0 documentation:
// privilegedAccessGroupAssignmentScheduleRequest, group and user.

var (
	typeGroup = &entityType{name: "microsoft.graph.group", props: []string{
		"id", "displayName", "description", "mail", "mailEnabled", "mailNickname", "securityEnabled"}}
	typeUser = &entityType{name: "microsoft.graph.user", props: []string{
		"id", "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
		"preferredLanguage", "surname", "userPrincipalName", "department"}}
	typeGroupRequest = &entityType{name: "microsoft.graph.privilegedAccessGroupAssignmentScheduleRequest", props: []string{
		"id", "status", "completedDateTime", "createdDateTime", "approvalId", "customData", "createdBy", "action",
		"isValidationOnly", "justification", "scheduleInfo", "ticketInfo", "accessId", "principalId", "groupId", "targetScheduleId"},
		navs: map[string]*entityType{"group": typeGroup, "principal": typeUser,
			// known navigation properties the simulator always returns as null
			"targetschedule": {name: "microsoft.graph.privilegedAccessGroupAssignmentSchedule"},
			"activatedusing": {name: "microsoft.graph.privilegedAccessGroupEligibilitySchedule"}}}
)

func (c *call) groupRequestJSON(r *GroupRequest, selects []string, expand expandTree) obj {
	ix := c.s.ix
	var createdBy any
	if u := ix.user(r.CreatedByID); u != nil {
		createdBy = obj{}.
			with("application", nil).
			with("device", nil).
			with("user", obj{}.with("id", u.ID).with("displayName", u.DisplayName))
	}
	ticket := obj{}.with("ticketNumber", nullIfEmpty(r.TicketNumber)).with("ticketSystem", nullIfEmpty(r.TicketSystem))
	o := obj{}.
		with("@odata.type", "#microsoft.graph.privilegedAccessGroupAssignmentScheduleRequest").
		with("id", r.ID).
		with("status", r.Status).
		with("completedDateTime", graphTime(r.CompletedDateTime)).
		with("createdDateTime", graphTime(r.CreatedDateTime)).
		with("approvalId", r.ID).
		with("customData", nil).
		with("createdBy", createdBy).
		with("action", r.Action).
		with("isValidationOnly", false).
		with("justification", r.Justification).
		with("scheduleInfo", scheduleJSON(r.ScheduleInfo)).
		with("ticketInfo", ticket).
		with("accessId", r.AccessID).
		with("principalId", r.PrincipalID).
		with("groupId", r.GroupID).
		with("targetScheduleId", nullIfEmpty(r.TargetScheduleID))
	o = applySelect(o, selects)
	if it, ok := expand.has("group"); ok {
		o = o.with("group", groupJSON(ix.groups[lowerKey(r.GroupID)], it))
	}
	if it, ok := expand.has("principal"); ok {
		o = o.with("principal", principalJSON(ix.user(r.PrincipalID), it))
	}
	if _, ok := expand.has("targetSchedule"); ok {
		o = o.with("targetSchedule", nil)
	}
	if _, ok := expand.has("activatedUsing"); ok {
		o = o.with("activatedUsing", nil)
	}
	return o
}

func groupJSON(g *Group, it *expandItem) any {
	if g == nil {
		return nil
	}
	nick, _, _ := strings.Cut(g.Mail, "@")
	o := obj{}.
		with("id", g.ID).
		with("displayName", g.DisplayName).
		with("description", nullIfEmpty(g.Description)).
		with("mail", nullIfEmpty(g.Mail)).
		with("mailEnabled", g.Mail != "").
		with("mailNickname", nick).
		with("securityEnabled", true)
	return applySelect(o, it.selects)
}

// principalJSON is a directoryObject navigation, so it carries @odata.type.
func principalJSON(u *User, it *expandItem) any {
	if u == nil {
		return nil
	}
	o := obj{}.
		with("@odata.type", "#microsoft.graph.user").
		with("id", u.ID).
		with("displayName", u.DisplayName).
		with("userPrincipalName", u.UserPrincipalName).
		with("mail", nullIfEmpty(u.Mail))
	return applySelect(o, it.selects)
}

// userJSON is GET /me: the default user properties.
func userJSON(u *User) obj {
	return obj{}.
		with("businessPhones", []any{}).
		with("displayName", u.DisplayName).
		with("givenName", nullIfEmpty(u.GivenName)).
		with("jobTitle", nullIfEmpty(u.JobTitle)).
		with("mail", nullIfEmpty(u.Mail)).
		with("mobilePhone", nil).
		with("officeLocation", nil).
		with("preferredLanguage", nil).
		with("surname", nullIfEmpty(u.Surname)).
		with("userPrincipalName", u.UserPrincipalName).
		with("id", u.ID)
}
