package graph_test

// The fault suite over PIM for Azure resources: the suite tenant with its
// access package requests turned into Azure role activations (single
// stage, in Azure Resource Manager under /arm), next to the same PIM for
// Groups requests. Every fault case runs as in TestFaultSuite, its faults
// moved onto the ARM operations (the approvals listing, the stage reads
// and stage updates), with the same checks: one outcome per decision
// matching the simulator, no stage decided twice, the journal complete,
// what failed retried, polling recovering.

import (
	"strings"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

var azureSuite = suiteVariant{
	title: "PIM for Azure resources (`TestFaultSuiteAzure`): the same faults moved onto the Azure Resource Manager\n" +
		"operations (the approvals listing, the stage reads and stage updates), with Azure role activations (one\n" +
		"stage) where the tables above have access package requests, next to the same PIM for Groups requests.",
	tenant:   azureSuiteTenant,
	requests: azureMoved.requests,
	sources:  []graph.Source{graph.SourceAzure, graph.SourceGroup},
	fault:    azureMoved.fault,
}

func TestFaultSuiteAzure(t *testing.T) { runFaultSuite(t, azureSuite) }

const suiteSub = "/subscriptions/00000000-0000-4000-8000-0000000000a1"

// azureSuiteTenant is suiteTenant with az-%03d approvals (stage
// az-%03d-stage) where it has em-%03d requests.
func azureSuiteTenant(now time.Time) *sim.Tenant {
	t := suiteTenant(now)
	for _, r := range t.AccessPackageRequests {
		id := "az-" + strings.TrimPrefix(r.ID, "em-")
		st := r.Stages[0]
		st.ID = id + "-stage"
		t.AzureRequests = append(t.AzureRequests, &sim.AzureRequest{ID: id + "-req", ApprovalID: id,
			PrincipalID: suiteAsker, RequestorID: suiteAsker,
			RoleDefinitionID: suiteSub + "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
			RoleName:         "Owner", Scope: suiteSub + "/resourceGroups/rg-suite", ScopeName: "rg-suite", ScopeType: "resourcegroup",
			RequestType: "SelfActivate", Status: sim.ARMPendingApproval, Justification: r.Justification, CreatedOn: r.CreatedDateTime,
			ScheduleInfo: sim.Schedule{StartDateTime: r.CreatedDateTime, ExpirationType: "afterDuration", Duration: "PT8H"},
			Stages:       []sim.Stage{st}})
	}
	t.AccessPackageRequests = nil
	return t
}

var azureMoved = movedSource{
	source: graph.SourceAzure, prefix: "az-", stageSuffix: "-stage", stagePath: "/stages/",
	list: sim.OpListAzureApprovals,
	ops: map[sim.Operation]sim.Operation{
		sim.OpPatchStage:  sim.OpPatchAzureStage,
		sim.OpGetStage:    sim.OpGetAzureStage,
		sim.OpGetApproval: sim.OpGetAzureApproval,
	},
}
