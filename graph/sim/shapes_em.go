package sim

// JSON shapes of entitlement management objects, written from the v1.0
// resource documentation: accessPackageAssignmentRequest, accessPackage,
// accessPackageCatalog, accessPackageSubject, accessPackageAssignment.
// Property names and enum values are v1.0's (camelCase values, "state",
// "completedDateTime"), not beta's.

var (
	typeSubject = &entityType{name: "microsoft.graph.accessPackageSubject", props: []string{
		"id", "displayName", "email", "principalName", "objectId", "onPremisesSecurityIdentifier", "subjectType", "subjectLifecycle"}}
	typeCatalog = &entityType{name: "microsoft.graph.accessPackageCatalog", props: []string{
		"id", "displayName", "description", "catalogType", "state", "isExternallyVisible", "createdDateTime", "modifiedDateTime"}}
	typeAccessPackage = &entityType{name: "microsoft.graph.accessPackage", props: []string{
		"id", "displayName", "description", "isHidden", "createdDateTime", "modifiedDateTime"},
		navs: map[string]*entityType{"catalog": typeCatalog}}
	typeAssignment = &entityType{name: "microsoft.graph.accessPackageAssignment", props: []string{
		"id", "state", "status", "expiredDateTime", "schedule"},
		navs: map[string]*entityType{"target": typeSubject, "accesspackage": typeAccessPackage}}
	typeAccessPackageRequest = &entityType{name: "microsoft.graph.accessPackageAssignmentRequest", props: []string{
		"id", "requestType", "state", "status", "createdDateTime", "completedDateTime", "schedule", "answers",
		"justification", "customExtensionCalloutInstances"},
		navs: map[string]*entityType{"requestor": typeSubject, "accesspackage": typeAccessPackage, "assignment": typeAssignment}}
)

func (c *call) accessPackageRequestJSON(r *AccessPackageRequest, selects []string, expand expandTree) obj {
	ix := c.s.ix
	o := obj{}.
		with("id", r.ID).
		with("requestType", r.RequestType).
		with("state", r.State).
		with("status", r.Status).
		with("createdDateTime", graphTime(r.CreatedDateTime)).
		with("completedDateTime", graphTime(r.CompletedDateTime)).
		with("schedule", scheduleJSON(r.Schedule)).
		with("answers", answersJSON(r, ix.packages[lowerKey(r.AccessPackageID)])).
		with("justification", r.Justification).
		with("customExtensionCalloutInstances", []any{})
	o = applySelect(o, selects)
	if it, ok := expand.has("requestor"); ok {
		o = o.with("requestor", subjectJSON(ix.user(r.RequestorID), it))
	}
	if it, ok := expand.has("accessPackage"); ok {
		o = o.with("accessPackage", c.accessPackageJSON(ix.packages[lowerKey(r.AccessPackageID)], it))
	}
	if it, ok := expand.has("assignment"); ok {
		o = o.with("assignment", c.assignmentJSON(r, it))
	}
	return o
}

func scheduleJSON(s Schedule) obj {
	exp := obj{}.
		with("type", cmpOr(s.ExpirationType, "notSpecified")).
		with("endDateTime", graphTime(s.EndDateTime)).
		with("duration", nullIfEmpty(s.Duration))
	return obj{}.
		with("startDateTime", graphTime(s.StartDateTime)).
		with("recurrence", nil).
		with("expiration", exp)
}

func answersJSON(r *AccessPackageRequest, p *AccessPackage) []any {
	out := []any{}
	for _, a := range r.Answers {
		o := obj{}.
			with("@odata.type", "#microsoft.graph.accessPackageAnswerString").
			with("value", a.Value).
			with("displayValue", cmpOr(a.DisplayValue, a.Value))
		if q := findQuestion(p, a.QuestionID); q != nil {
			o = o.with("answeredQuestion", questionJSON(q))
		}
		out = append(out, o)
	}
	return out
}

func findQuestion(p *AccessPackage, id string) *Question {
	if p == nil {
		return nil
	}
	for i := range p.Questions {
		if p.Questions[i].ID == id {
			return &p.Questions[i]
		}
	}
	return nil
}

func questionJSON(q *Question) obj {
	typ := "#microsoft.graph.accessPackageTextInputQuestion"
	if q.Kind == "multipleChoice" {
		typ = "#microsoft.graph.accessPackageMultipleChoiceQuestion"
	}
	o := obj{}.
		with("@odata.type", typ).
		with("id", q.ID).
		with("sequence", q.Sequence).
		with("isRequired", q.IsRequired).
		with("isAnswerEditable", q.IsAnswerEditable).
		with("text", q.Text).
		with("localizations", []any{})
	if q.Kind == "multipleChoice" {
		choices := []any{}
		for _, ch := range q.Choices {
			choices = append(choices, obj{}.with("actualValue", ch.ActualValue).with("text", ch.Text).with("localizations", []any{}))
		}
		return o.with("isMultipleSelectionAllowed", q.IsMultipleSelectionAllowed).with("choices", choices)
	}
	return o.with("isSingleLineQuestion", q.IsSingleLineQuestion).with("regexPattern", nullIfEmpty(q.RegexPattern))
}

func subjectJSON(u *User, it *expandItem) any {
	if u == nil {
		return nil
	}
	o := obj{}.
		with("id", u.ID).
		with("displayName", u.DisplayName).
		with("email", nullIfEmpty(u.Mail)).
		with("principalName", u.UserPrincipalName).
		with("objectId", u.ID).
		with("onPremisesSecurityIdentifier", nil).
		with("subjectType", "user").
		with("subjectLifecycle", "governed")
	return applySelect(o, it.selects)
}

func (c *call) accessPackageJSON(p *AccessPackage, it *expandItem) any {
	if p == nil {
		return nil
	}
	o := obj{}.
		with("id", p.ID).
		with("displayName", p.DisplayName).
		with("description", p.Description).
		with("isHidden", p.IsHidden).
		with("createdDateTime", graphTime(p.CreatedDateTime)).
		with("modifiedDateTime", graphTime(p.ModifiedDateTime))
	o = applySelect(o, it.selects)
	if sub, ok := it.expand.has("catalog"); ok {
		o = o.with("catalog", catalogJSON(c.s.ix.catalogs[lowerKey(p.CatalogID)], sub))
	}
	return o
}

func catalogJSON(cat *Catalog, it *expandItem) any {
	if cat == nil {
		return nil
	}
	o := obj{}.
		with("id", cat.ID).
		with("displayName", cat.DisplayName).
		with("description", cat.Description).
		with("catalogType", cat.CatalogType).
		with("state", cat.State).
		with("isExternallyVisible", cat.IsExternallyVisible).
		with("createdDateTime", graphTime(cat.CreatedDateTime)).
		with("modifiedDateTime", graphTime(cat.ModifiedDateTime))
	return applySelect(o, it.selects)
}

// assignmentJSON is the assignment a request creates. While the request
// is pending it is "delivering"; denied or cancelled ones never deliver.
func (c *call) assignmentJSON(r *AccessPackageRequest, it *expandItem) any {
	state, status := "delivering", r.Status
	switch r.State {
	case StateDelivered:
		state, status = "delivered", "Delivered"
	case StateDenied, StateCanceled:
		state = "deliveryFailed"
	}
	o := obj{}.
		with("id", r.AssignmentID).
		with("state", state).
		with("status", status).
		with("expiredDateTime", nil).
		with("schedule", scheduleJSON(r.Schedule))
	o = applySelect(o, it.selects)
	if sub, ok := it.expand.has("target"); ok {
		o = o.with("target", subjectJSON(c.s.ix.user(r.TargetID), sub))
	}
	if sub, ok := it.expand.has("accessPackage"); ok {
		o = o.with("accessPackage", c.accessPackageJSON(c.s.ix.packages[lowerKey(r.AccessPackageID)], sub))
	}
	return o
}
