package graph_test

// The fault suite over PIM for Microsoft Entra roles: the suite tenant
// with its access package requests turned into role activations (single
// step, decided in beta), next to the same PIM for Groups requests. Every
// fault case runs as in TestFaultSuite, its faults moved onto the role
// operations (the v1.0 listing, the beta approvals in /beta/$batch, the
// beta step reads and PATCHes), with the same checks: one outcome per
// decision matching the simulator, no stage decided twice, the journal
// complete, what failed retried, polling recovering.

import (
	"strings"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

const suiteRoleID = "62e90394-69f5-4237-9190-012177145e10"

var roleSuite = suiteVariant{
	title: "PIM for Microsoft Entra roles (`TestFaultSuiteRoles`): the same faults moved onto the role operations\n" +
		"(the v1.0 listing, the beta approvals in `/beta/$batch`, the beta step reads and PATCHes), with role\n" +
		"activations (one step, decided in beta) where the tables above have access package requests, next to\n" +
		"the same PIM for Groups requests.",
	tenant:   roleSuiteTenant,
	requests: roleMoved.requests,
	sources:  []graph.Source{graph.SourceRole, graph.SourceGroup},
	fault:    roleMoved.fault,
}

func TestFaultSuiteRoles(t *testing.T) { runFaultSuite(t, roleSuite) }

// roleSuiteTenant is suiteTenant with role-%03d activations (step
// role-%03d-step) where it has em-%03d requests.
func roleSuiteTenant(now time.Time) *sim.Tenant {
	t := suiteTenant(now)
	t.Roles = []sim.Role{{ID: suiteRoleID, DisplayName: "Global Administrator", IsBuiltIn: true, Approvers: []string{suiteMe, suiteOther}}}
	for _, r := range t.AccessPackageRequests {
		id := "role-" + strings.TrimPrefix(r.ID, "em-")
		st := r.Stages[0]
		st.ID = id + "-step"
		t.RoleRequests = append(t.RoleRequests, &sim.RoleRequest{ID: id, RoleDefinitionID: suiteRoleID, DirectoryScopeID: "/",
			PrincipalID: suiteAsker, CreatedByID: suiteAsker, Action: "selfActivate", Status: sim.PIMPendingApproval,
			Justification: r.Justification, CreatedDateTime: r.CreatedDateTime,
			ScheduleInfo: sim.Schedule{StartDateTime: r.CreatedDateTime, ExpirationType: "afterDuration", Duration: "PT8H"},
			Stages:       []sim.Stage{st}})
	}
	t.AccessPackageRequests = nil
	return t
}

var roleMoved = movedSource{
	source: graph.SourceRole, prefix: "role-", stageSuffix: "-step", stagePath: "/steps/",
	list: sim.OpListRoleRequests,
	ops: map[sim.Operation]sim.Operation{
		sim.OpPatchStage:  sim.OpPatchRoleStep,
		sim.OpGetStage:    sim.OpGetRoleStep,
		sim.OpGetApproval: sim.OpGetRoleApproval,
	},
}
