package sim

import (
	"strings"
	"testing"
	"time"
)

const (
	roleRequests  = "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests"
	roleApprovals = "/beta/roleManagement/directory/roleAssignmentApprovals"
	roleListing   = roleRequests + approverFn + "?$filter=status eq 'PendingApproval'&$expand=principal,roleDefinition,directoryScope"
)

// roleTenant is smallTenant with three role requests: one for Megan and
// Adele to decide, Megan's own activation, and an extension.
func roleTenant() *Tenant {
	t := smallTenant()
	megan, adele, raj := t.Approvers[0], t.Approvers[1], t.Users[3].ID
	at := func(h int) time.Time { return testNow.Add(time.Duration(h) * time.Hour) }
	t.Roles = []Role{{ID: "62e90394-69f5-4237-9190-012177145e10", DisplayName: "Global Administrator", IsBuiltIn: true, Approvers: []string{megan, adele}}}
	t.AdministrativeUnits = []AdministrativeUnit{{ID: "au-1", DisplayName: "Lisbon office"}}
	step := func(id string, created time.Time) []Stage {
		return []Stage{{ID: id, Approvers: []string{megan, adele}, Status: StatusInProgress, ReviewResult: ResultNotReviewed, StartedDateTime: created}}
	}
	t.RoleRequests = []*RoleRequest{
		{ID: "role-1", RoleDefinitionID: t.Roles[0].ID, DirectoryScopeID: "/", PrincipalID: raj, CreatedByID: raj, Action: "selfActivate",
			Status: PIMPendingApproval, Justification: "Fix the VPN policy", CreatedDateTime: at(-3), TicketNumber: "INC0001234", TicketSystem: "ServiceNow",
			ScheduleInfo: Schedule{StartDateTime: at(-3), ExpirationType: "afterDuration", Duration: "PT5H30M"}, Stages: step("step-1", at(-3))},
		{ID: "role-own", RoleDefinitionID: t.Roles[0].ID, DirectoryScopeID: "/administrativeUnits/au-1", PrincipalID: megan, CreatedByID: megan,
			Action: "selfActivate", Status: PIMPendingApproval, CreatedDateTime: at(-2), Stages: step("step-own", at(-2))},
		{ID: "role-ext", RoleDefinitionID: t.Roles[0].ID, DirectoryScopeID: "/", PrincipalID: raj, CreatedByID: raj, Action: "selfExtend",
			Status: PIMPendingApproval, CreatedDateTime: at(-1), Stages: step("step-ext", at(-1))},
	}
	return t
}

func TestRoleListingAsDocumented(t *testing.T) {
	e := newEnv(t, Options{Tenant: roleTenant()})
	items, pages := e.listAll(roleListing, "megan@contoso.com")
	if pages != 1 || strings.Join(ids(items), ",") != "role-1,role-own,role-ext" {
		t.Fatalf("%d pages, ids %v", pages, ids(items))
	}
	it := items[0]
	for k, want := range map[string]any{"@odata.type": "#microsoft.graph.unifiedRoleAssignmentScheduleRequest", "status": "PendingApproval",
		"approvalId": "role-1", "action": "selfActivate", "directoryScopeId": "/", "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10"} {
		if it[k] != want {
			t.Errorf("%s = %v, want %v", k, it[k], want)
		}
	}
	if rd, _ := it["roleDefinition"].(map[string]any); rd["displayName"] != "Global Administrator" {
		t.Errorf("roleDefinition = %v", it["roleDefinition"])
	}
	if p, _ := it["principal"].(map[string]any); p["userPrincipalName"] != "raj.patel@contoso.com" {
		t.Errorf("principal = %v", it["principal"])
	}
	if v, ok := it["directoryScope"]; !ok || v != nil {
		t.Errorf("directoryScope of / = %v (present %v), want null", v, ok)
	}
	if au, _ := items[1]["directoryScope"].(map[string]any); au["displayName"] != "Lisbon office" {
		t.Errorf("directoryScope of the AU = %v", items[1]["directoryScope"])
	}
	// Olga approves nothing; Raj is only the principal.
	if items, _ := e.listAll(roleListing, "olga@contoso.com"); len(items) != 0 {
		t.Errorf("olga sees %v", ids(items))
	}
	if items, _ := e.listAll(roleRequests+"/filterByCurrentUser(on='principal')", "raj.patel@contoso.com"); len(items) != 2 {
		t.Errorf("raj as principal sees %v", ids(items))
	}
	if r := e.do("GET", roleRequests+"/filterByCurrentUser(on='createdBy')", "raj.patel@contoso.com", nil); r.status != 200 {
		t.Errorf("on='createdBy': %d", r.status) // documented, not supported: an empty list
	}
	e.do("GET", roleRequests+approverFn+"?$expand=nope", "megan@contoso.com", nil).expect(t, 400, "BadRequest")
	e.do("GET", roleRequests+"/role-1?$expand=roleDefinition", "olga@contoso.com", nil).expect(t, 403, "Forbidden")
	if m := e.getJSON(roleRequests+"/role-1?$expand=roleDefinition", "raj.patel@contoso.com"); m["id"] != "role-1" {
		t.Errorf("get = %v", m)
	}
}

func TestRoleApprovalStepsAndDecisions(t *testing.T) {
	e := newEnv(t, Options{Tenant: roleTenant()})
	a := e.getJSON(roleApprovals+"/role-1", "megan@contoso.com")
	steps, _ := a["steps"].([]any)
	if a["id"] != "role-1" || len(steps) != 1 || !strings.Contains(a["@odata.context"].(string), "/beta/$metadata#roleManagement/directory/roleAssignmentApprovals") {
		t.Fatalf("approval = %v", a)
	}
	st := steps[0].(map[string]any)
	if st["id"] != "step-1" || st["status"] != "InProgress" || st["reviewResult"] != "NotReviewed" || st["assignedToMe"] != true || st["reviewedBy"] != nil {
		t.Fatalf("step = %v", st)
	}
	if _, ok := a["stages"]; ok {
		t.Error("the beta approval has steps, not stages")
	}
	e.do("GET", roleApprovals+"/role-1", "olga@contoso.com", nil).expect(t, 403, "Forbidden")
	e.do("GET", roleApprovals+"/nope", "megan@contoso.com", nil).expect(t, 404, "")
	e.do("PATCH", roleApprovals+"/role-1/steps/step-1", "megan@contoso.com", map[string]string{"reviewResult": "Approved"}).expect(t, 400, "BadRequest")

	// Own activation and an extension are refused, nothing recorded.
	e.do("PATCH", roleApprovals+"/role-own/steps/step-own", "megan@contoso.com", map[string]string{"reviewResult": "Approve", "justification": "me"}).expect(t, 400, "BadRequest")
	e.do("PATCH", roleApprovals+"/role-ext/steps/step-ext", "megan@contoso.com", map[string]string{"reviewResult": "Approve", "justification": "ok"}).expect(t, 400, "BadRequest")
	if s, _ := e.sim.StageState("role-own", "step-own"); s.Status != StatusInProgress || s.PatchesApplied != 0 {
		t.Errorf("own: %+v", s)
	}
	// Adele may decide Megan's own request.
	if r := e.do("PATCH", roleApprovals+"/role-own/steps/step-own", "adele@contoso.com", map[string]string{"reviewResult": "Deny", "justification": "no"}); r.status != 204 {
		t.Fatalf("adele denying megan's own: %d %s", r.status, r.body)
	}

	// First decision wins; the second approver gets 409.
	r := e.do("PATCH", roleApprovals+"/role-1/steps/step-1", "megan@contoso.com", map[string]string{"reviewResult": "Approve", "justification": "Trusted user"})
	if r.status != 204 || len(r.body) != 0 {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}
	e.do("PATCH", roleApprovals+"/role-1/steps/step-1", "adele@contoso.com", map[string]string{"reviewResult": "Deny", "justification": "x"}).expect(t, 409, "Conflict")
	st = e.getJSON(roleApprovals+"/role-1/steps/step-1", "adele@contoso.com")
	if st["reviewResult"] != "Approved" || st["status"] != "Completed" || st["justification"] != "Trusted user" {
		t.Errorf("step after approve = %v", st)
	}
	if by, _ := st["reviewedBy"].(map[string]any); by["displayName"] != "Megan Bowen" {
		t.Errorf("reviewedBy = %v", st["reviewedBy"])
	}
	if items, _ := e.listAll(roleListing, "megan@contoso.com"); strings.Join(ids(items), ",") != "role-ext" {
		t.Errorf("still listed: %v", ids(items))
	}
	if m := e.getJSON(roleRequests+"/role-1", "raj.patel@contoso.com"); m["status"] != "Provisioned" {
		t.Errorf("request status %v", m["status"])
	}
	if steps := values(t, e.getJSON(roleApprovals+"/role-1/steps", "megan@contoso.com")); len(steps) != 1 {
		t.Errorf("steps list = %v", steps)
	}
}

func TestRoleWindowIs24Hours(t *testing.T) {
	e := newEnv(t, Options{Tenant: roleTenant()})
	e.clock.Advance(21*time.Hour - time.Minute) // role-1 was made 3 h before now
	if items, _ := e.listAll(roleListing, "megan@contoso.com"); len(items) != 3 {
		t.Fatalf("before the window ends: %v", ids(items))
	}
	e.clock.Advance(time.Minute)
	if items, _ := e.listAll(roleListing, "megan@contoso.com"); strings.Join(ids(items), ",") != "role-own,role-ext" {
		t.Fatalf("after: %v", ids(items))
	}
	st := e.getJSON(roleApprovals+"/role-1/steps/step-1", "megan@contoso.com")
	if st["status"] != "Expired" {
		t.Errorf("step = %v", st)
	}
	e.do("PATCH", roleApprovals+"/role-1/steps/step-1", "megan@contoso.com", map[string]string{"reviewResult": "Approve", "justification": "late"}).expect(t, 409, "Conflict")
}

func TestRoleBetaRetired(t *testing.T) {
	e := newEnv(t, Options{Tenant: roleTenant(), NoBetaRoleApprovals: true})
	if items, _ := e.listAll(roleListing, "megan@contoso.com"); len(items) != 3 {
		t.Fatalf("the v1.0 listing must still work: %v", ids(items))
	}
	r := e.do("GET", roleApprovals+"/role-1", "megan@contoso.com", nil)
	r.expect(t, 400, "BadRequest")
	if !strings.Contains(string(r.body), "Resource not found for the segment 'roleAssignmentApprovals'") {
		t.Errorf("body %s", r.body)
	}
	e.do("PATCH", roleApprovals+"/role-1/steps/step-1", "megan@contoso.com", map[string]string{"reviewResult": "Approve", "justification": "x"}).expect(t, 400, "BadRequest")
	e.sim.SetBetaRoleApprovals(true)
	e.getJSON(roleApprovals+"/role-1", "megan@contoso.com")
}

func TestRoleBetaBatchAndFaults(t *testing.T) {
	e := newEnv(t, Options{Tenant: roleTenant()})
	f, err := ParseFaults("throttle:op=getRoleApproval,batch=true,count=1,retry-after=1;unavailable:op=patchRoleStep,count=1")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range f {
		e.sim.AddFault(x)
	}
	body := `{"requests":[{"id":"1","method":"GET","url":"/roleManagement/directory/roleAssignmentApprovals/role-1"},{"id":"2","method":"GET","url":"/roleManagement/directory/roleAssignmentApprovals/role-ext"}]}`
	m := e.do("POST", "/beta/$batch", "megan@contoso.com", body).object(t)
	statuses := map[string]float64{}
	for _, it := range m["responses"].([]any) {
		r := it.(map[string]any)
		statuses[r["id"].(string)] = r["status"].(float64)
	}
	if statuses["1"]+statuses["2"] != 429+200 {
		t.Errorf("statuses %v", statuses)
	}
	e.do("PATCH", roleApprovals+"/role-1/steps/step-1", "megan@contoso.com", map[string]string{"reviewResult": "Approve", "justification": "x"}).expect(t, 503, "")
	st, _ := e.sim.StageState("role-1", "step-1")
	if st.PatchAttempts != 1 || st.PatchesApplied != 0 || st.Status != StatusInProgress {
		t.Errorf("after a faulted PATCH: %+v", st)
	}
	if n := e.sim.Stats().Op(OpGetRoleApproval); n != 2 {
		t.Errorf("getRoleApproval count %d", n)
	}
}

func TestGenerateRolesKeepsTheRestOfTheTenant(t *testing.T) {
	a := Generate(7, 12, testNow)
	b := Generate(7, 12, testNow)
	GenerateRoles(b, 7, 5, testNow)
	if len(b.RoleRequests) != 7 || len(a.AccessPackageRequests) != len(b.AccessPackageRequests) ||
		a.AccessPackageRequests[3].ID != b.AccessPackageRequests[3].ID || len(a.GroupRequests) != len(b.GroupRequests) {
		t.Fatalf("roles %d; EM %d vs %d", len(b.RoleRequests), len(a.AccessPackageRequests), len(b.AccessPackageRequests))
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	own, ext := 0, 0
	for _, r := range b.RoleRequests {
		if r.PrincipalID == b.Approvers[0] {
			own++
		}
		if r.Action == "selfExtend" {
			ext++
		}
		if !r.CreatedDateTime.After(testNow.Add(-24 * time.Hour)) {
			t.Errorf("%s is already past its 24 h window", r.ID)
		}
	}
	if own != 1 || ext != 1 {
		t.Errorf("own %d, extensions %d", own, ext)
	}
}
