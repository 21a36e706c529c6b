package graph

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"approvals/graph/internal/fixtures"
)

// roleListingDoc is the role listing as the docs show it ("Approve or
// deny requests for Microsoft Entra roles in PIM", pim-approval-workflow):
// /work/shared/graph-fixtures has no fixture for this endpoint, so this is
// built from that documented example's schema and values (PascalCase
// "SelfActivate" and null ticket fields included), plus the expanded
// navigation properties the reference page says the function supports.
const roleListingDoc = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(unifiedRoleAssignmentScheduleRequest)",
  "value": [
    {
      "@odata.type": "#microsoft.graph.unifiedRoleAssignmentScheduleRequest",
      "id": "9f2b5ddb-a50e-44a1-a6f4-f616322262ea",
      "status": "PendingApproval",
      "createdDateTime": "2021-07-15T19:57:17.76Z",
      "completedDateTime": "2021-07-15T19:57:17.537Z",
      "approvalId": "9f2b5ddb-a50e-44a1-a6f4-f616322262ea",
      "customData": null,
      "action": "SelfActivate",
      "principalId": "d96ea738-3b95-4ae7-9e19-78a083066d5b",
      "roleDefinitionId": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
      "directoryScopeId": "/",
      "appScopeId": null,
      "isValidationOnly": false,
      "targetScheduleId": "9f2b5ddb-a50e-44a1-a6f4-f616322262ea",
      "justification": "test",
      "createdBy": {"application": null, "device": null, "user": {"displayName": null, "id": "d96ea738-3b95-4ae7-9e19-78a083066d5b"}},
      "scheduleInfo": {"startDateTime": null, "recurrence": null, "expiration": {"type": "afterDuration", "endDateTime": null, "duration": "PT5H30M"}},
      "ticketInfo": {"ticketNumber": null, "ticketSystem": null},
      "principal": {"@odata.type": "#microsoft.graph.user", "id": "d96ea738-3b95-4ae7-9e19-78a083066d5b", "displayName": "Alex Wilber", "userPrincipalName": "alexw@contoso.com"},
      "roleDefinition": {"id": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "displayName": "Directory Readers", "description": "Can read basic directory information."},
      "directoryScope": null
    }
  ]
}`

func TestRoleListingDocDecodes(t *testing.T) {
	t.Parallel()
	var p wirePage
	if err := json.Unmarshal([]byte(roleListingDoc), &p); err != nil || len(p.Value) != 1 {
		t.Fatalf("%v, %d items", err, len(p.Value))
	}
	a, err := decodeRoleItem(p.Value[0])
	if err != nil {
		t.Fatal(err)
	}
	want := Approval{
		Ref:           Ref{Source: SourceRole, ID: "9f2b5ddb-a50e-44a1-a6f4-f616322262ea"},
		RequestID:     "9f2b5ddb-a50e-44a1-a6f4-f616322262ea",
		Kind:          KindRole,
		RequestType:   "SelfActivate",
		RequestState:  "PendingApproval",
		Justification: "test",
		Created:       time.Date(2021, 7, 15, 19, 57, 17, 760000000, time.UTC),
		Schedule:      Schedule{ExpirationType: "afterDuration", Duration: "PT5H30M"},
		Target:        Subject{ID: "d96ea738-3b95-4ae7-9e19-78a083066d5b", DisplayName: "Alex Wilber", PrincipalName: "alexw@contoso.com"},
		Resource: Resource{ID: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", DisplayName: "Directory Readers",
			Description: "Can read basic directory information.", ScopeID: "/", ScopeName: "Directory"},
	}
	want.Requestor = want.Target // createdBy names the principal: a self activation
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("got  %+v\nwant %+v", a, want)
	}
}

// The listing without the expansions (a service that refuses $expand)
// still names the role and principal by id.
func TestRoleListingWithoutExpand(t *testing.T) {
	t.Parallel()
	a, err := decodeRoleItem([]byte(`{"id":"r1","approvalId":null,"action":"adminExtend","principalId":"p1","roleDefinitionId":"rd1","directoryScopeId":"/administrativeUnits/au1","createdBy":{"user":{"id":"admin1"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "r1" || a.Resource.ID != "rd1" || a.Resource.ScopeName != "/administrativeUnits/au1" || a.Target.ID != "p1" || a.Requestor.ID != "admin1" {
		t.Fatalf("%+v", a)
	}
	if !extendOrRenew(a.RequestType) || extendOrRenew("selfActivate") || !extendOrRenew("SelfRenew") {
		t.Fatal("extendOrRenew")
	}
}

// The beta approval with its steps: the docs' example payload
// (beta-approval-get, the same approval resource the role approvals are;
// the role doc's own example has the same shape) decodes into Stages.
func TestRoleBetaApprovalDocDecodes(t *testing.T) {
	t.Parallel()
	for name, body := range map[string][]byte{
		"fixture beta-approval-get": fixtures.Read(t, "beta-approval-get.response.json"),
		"pim-approval-workflow": []byte(`{"@odata.context":"https://graph.microsoft.com/beta/$metadata#roleManagement/directory/roleAssignmentApprovals/$entity",
			"id":"abd306ef-f7b2-4a10-9fd1-493454322489","steps@odata.context":"https://graph.microsoft.com/beta/$metadata#roleManagement/directory/roleAssignmentApprovals('abd306ef-f7b2-4a10-9fd1-493454322489')/steps",
			"steps":[{"id":"d4fa4045-4716-436d-aec5-57b0a713f095","displayName":null,"reviewedDateTime":null,"reviewResult":"NotReviewed","status":"InProgress","assignedToMe":true,"justification":"","reviewedBy":null}]}`),
	} {
		var w wireRoleApproval
		if err := json.Unmarshal(body, &w); err != nil || !w.hasSteps() {
			t.Fatalf("%s: %v, has steps %v", name, err, w.hasSteps())
		}
		var ws []wireStep
		if err := json.Unmarshal(w.Steps, &ws); err != nil {
			t.Fatal(err)
		}
		want := Stage{ID: "d4fa4045-4716-436d-aec5-57b0a713f095", AssignedToMe: true, Status: StageInProgress, Result: NotReviewed}
		if st := fromStages(ws); w.ID != "abd306ef-f7b2-4a10-9fd1-493454322489" || len(st) != 1 || !reflect.DeepEqual(st[0], want) || !st[0].Mine() {
			t.Fatalf("%s: %+v", name, st)
		}
	}
	var p wireStepPage
	if err := json.Unmarshal(fixtures.Read(t, "beta-approval-list-steps.response.json"), &p); err != nil || len(p.Value) != 1 || fromStage(p.Value[0]).ID == "" {
		t.Fatalf("list steps: %v, %+v", err, p)
	}
}

func TestNoteBetaGone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  *Error
		get  bool
		gone bool
	}{
		{&Error{StatusCode: 400, Code: "BadRequest", Message: "Resource not found for the segment 'roleAssignmentApprovals'."}, false, true},
		{&Error{StatusCode: 400, Code: "BadRequest", Message: "anything"}, true, true},
		{&Error{StatusCode: 400, Code: "BadRequest", Message: "Approvers cannot approve their own role activation"}, false, false},
		{&Error{StatusCode: 404, Code: "ResourceNotFound", Message: "No approval with id 'x' was found."}, true, false},
		{&Error{StatusCode: 404, Code: "BadRequest", Message: "Resource not found for the segment 'roleAssignmentApprovals'."}, true, true},
		{&Error{StatusCode: 403, Code: "Forbidden", Message: "segment"}, true, false},
	} {
		c := &Client{}
		if got := c.noteBetaGone(tc.err, tc.get); got != tc.gone || c.roleBetaGone.Load() != tc.gone {
			t.Errorf("%+v get=%v: gone %v, want %v", tc.err, tc.get, got, tc.gone)
		}
	}
}
