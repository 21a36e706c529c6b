package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"approvals/graph/sim"
)

const (
	roleGA   = "62e90394-69f5-4237-9190-012177145e10"
	reqRole  = "70000000-0000-4000-8000-000000000001" // Lee activates Global Administrator
	reqOwn   = "70000000-0000-4000-8000-000000000002" // Megan's own activation
	reqExt   = "70000000-0000-4000-8000-000000000003" // an extension: portal only
	auLisbon = "80000000-0000-4000-8000-000000000001"
)

// roleTenant is the CLI tenant with three PIM for Microsoft Entra roles
// requests waiting for Megan.
func roleTenant() *sim.Tenant {
	tn := tenant()
	tn.Roles = []sim.Role{{ID: roleGA, DisplayName: "Global Administrator", IsBuiltIn: true, Approvers: []string{meID, alexID}}}
	tn.AdministrativeUnits = []sim.AdministrativeUnit{{ID: auLisbon, DisplayName: "Lisbon office"}}
	req := func(id, principal, action, scope string, h int) *sim.RoleRequest {
		created := now.Add(-time.Duration(h) * time.Hour)
		st := stage(id+"-step", "", sim.StatusInProgress, sim.ResultNotReviewed, meID, alexID)
		st.StartedDateTime = created
		return &sim.RoleRequest{ID: id, RoleDefinitionID: roleGA, DirectoryScopeID: scope, PrincipalID: principal, CreatedByID: principal,
			Action: action, Status: sim.PIMPendingApproval, Justification: "Fix the VPN conditional access policy", CreatedDateTime: created,
			TicketNumber: "INC0001234", TicketSystem: "ServiceNow",
			ScheduleInfo: sim.Schedule{StartDateTime: created, ExpirationType: "afterDuration", Duration: "PT5H30M"}, Stages: []sim.Stage{st}}
	}
	tn.RoleRequests = []*sim.RoleRequest{
		req(reqRole, leeID, "selfActivate", "/", 4),
		req(reqOwn, meID, "selfActivate", "/administrativeUnits/"+auLisbon, 3),
		req(reqExt, leeID, "selfExtend", "/", 2),
	}
	return tn
}

// TestCLIRoles: list, show, approve, deny and history of Entra role
// requests; the extension and the approver's own activation are refused
// with the reason, nothing sent.
func TestCLIRoles(t *testing.T) {
	w := newWorldWith(t, roleTenant())
	step := w.goldenStep(t)

	step("01-list", "", "list")
	r := step("02-list-json", "", "list", "--json")
	var doc listDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	roles := 0
	for _, a := range doc.Approvals {
		if a.Source == "role" {
			roles++
			if a.Kind != "role" || !strings.HasPrefix(a.ID, "role:") {
				t.Errorf("role approval JSON: source %q kind %q id %q", a.Source, a.Kind, a.ID)
			}
		}
	}
	if roles != 3 {
		t.Errorf("%d role approvals in the JSON", roles)
	}
	step("03-show", "", "show", "role:"+reqRole)
	step("04-show-bare-own", "", "show", reqOwn)
	r = step("05-approve", "", "approve", "role:"+reqRole, "-j", "Trusted user, change CHG0031177")
	if st, _ := w.sim.StageState(reqRole, reqRole+"-step"); r.code != 0 || st.ReviewResult != sim.ResultApproved || st.ReviewedBy != meID {
		t.Errorf("approve: exit %d, stage %+v", r.code, st)
	}
	// One at a time: the journal's order is then the order of the runs
	// (two decisions of one run may finish in any order).
	for i, id := range []string{reqExt, reqOwn} {
		r = step(fmt.Sprintf("06-deny-refused-%d", i+1), "", "deny", "role:"+id, "-j", "no")
		if r.code != ExitPartial {
			t.Errorf("deny of %s: exit %d", id, r.code)
		}
	}
	for _, id := range []string{reqExt, reqOwn} {
		if st, _ := w.sim.StageState(id, id+"-step"); st.PatchAttempts != 0 || st.Status != sim.StatusInProgress {
			t.Errorf("%s: something was sent: %+v", id, st)
		}
	}
	step("07-history", "", "history")
}
