package graph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The payloads below are the documented examples of the Microsoft.Authorization
// REST reference (azure-rest-api-specs examples: GetRoleAssignmentApprovals,
// GetRoleAssignmentApprovalById, GetRoleAssignmentApprovalSteps,
// PatchRoleAssignmentApprovalStepById for 2021-01-01-preview, and
// GetRoleAssignmentScheduleRequestByScope for 2020-10-01). The shared
// fixtures folder has Graph examples only, so they are written out here,
// values as documented.

const docARMApprovals = `{"value":[{"id":"/providers/Microsoft.Authorization/roleAssignmentApprovals/488a6d0e-0a63-4946-86e3-1f5bbc934661",
 "type":"Microsoft.Authorization/roleAssignmentApprovals/stages","name":"488a6d0e-0a63-4946-86e3-1f5bbc934661",
 "properties":{"stages":[{"id":"/providers/Microsoft.Authorization/roleAssignmentApprovals/488a6d0e-0a63-4946-86e3-1f5bbc934661/stages/4135f961-be78-4005-8101-c72a5af307a2",
  "type":"Microsoft.Authorization/roleAssignmentApprovals/stages","name":"fa73e90b-5bf1-45fd-a182-35ce5fc0674d",
  "properties":{"displayName":"Vice President Approval Step","assignedToMe":true,"status":"InProgress","reviewedBy":null,
   "reviewedDateTime":null,"reviewResult":"NotReviewed","justification":""}}]}}]}`

const docARMStages = `{"value":[{"id":"/providers/Microsoft.Authorization/roleAssignmentApprovals/488a6d0e-0a63-4946-86e3-1f5bbc934661/stages/4135f961-be78-4005-8101-c72a5af307a2",
 "type":"Microsoft.Authorization/roleAssignmentApprovals/stages","name":"4135f961-be78-4005-8101-c72a5af307a2",
 "properties":{"displayName":"Vice President Approval Step","assignedToMe":true,"status":"InProgress","reviewedBy":null,
  "reviewedDateTime":null,"reviewResult":"NotReviewed","justification":""}}]}`

const docARMPatchedStage = `{"id":"/providers/Microsoft.Authorization/roleAssignmentApprovals/488a6d0e-0a63-4946-86e3-1f5bbc934661/stages/4135f961-be78-4005-8101-c72a5af307a2",
 "type":"Microsoft.Authorization/roleAssignmentApprovals/stages","name":"4135f961-be78-4005-8101-c72a5af307a2",
 "properties":{"displayName":"Vice President Approval Step","status":"Completed","assignedToMe":true,
  "reviewedBy":{"principalType":"user","principalId":"a6c7aecb-cbfd-4763-87ef-e91b4bd509d9","principalName":"Shubham Gupta","userPrincipalName":"shugup@microsoft.com"},
  "reviewedDateTime":"2018-08-03T21:02:30.667Z","reviewResult":"Approve","justification":"I trust this person"}}`

const docARMScheduleRequests = `{"value":[{"properties":{"targetRoleAssignmentScheduleId":"b1477448-2cc6-4ceb-93b4-54a202a89413",
 "targetRoleAssignmentScheduleInstanceId":null,"scope":"/subscriptions/dfa2a084-766f-4003-8ae1-c4aeb893a99f",
 "roleDefinitionId":"/subscriptions/dfa2a084-766f-4003-8ae1-c4aeb893a99f/providers/Microsoft.Authorization/roleDefinitions/c8d4ff99-41c3-41a8-9f60-21dfdad59608",
 "principalId":"a3bb8764-cb92-4276-9d2a-ca1e895e55ea","principalType":"User","requestType":"SelfActivate","status":"Provisioned",
 "approvalId":null,"scheduleInfo":{"startDateTime":"2020-09-09T21:35:27.91Z","expiration":{"type":"AfterDuration","endDateTime":null,"duration":"PT8H"}},
 "ticketInfo":{"ticketNumber":null,"ticketSystem":null},"justification":null,"requestorId":"a3bb8764-cb92-4276-9d2a-ca1e895e55ea",
 "createdOn":"2020-09-09T21:35:27.91Z",
 "condition":"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:ContainerName] StringEqualsIgnoreCase 'foo_storage_container'",
 "conditionVersion":"1.0",
 "expandedProperties":{"scope":{"id":"/subscriptions/dfa2a084-766f-4003-8ae1-c4aeb893a99f","displayName":"Pay-As-You-Go","type":"subscription"},
  "roleDefinition":{"id":"/subscriptions/dfa2a084-766f-4003-8ae1-c4aeb893a99f/providers/Microsoft.Authorization/roleDefinitions/c8d4ff99-41c3-41a8-9f60-21dfdad59608","displayName":"Contributor","type":"BuiltInRole"},
  "principal":{"id":"a3bb8764-cb92-4276-9d2a-ca1e895e55ea","displayName":"User Account","email":"user@my-tenant.com","type":"User"}}},
 "name":"fea7a502-9a96-4806-a26f-eee560e52045",
 "id":"/subscriptions/dfa2a084-766f-4003-8ae1-c4aeb893a99f/providers/Microsoft.Authorization/RoleAssignmentScheduleRequests/fea7a502-9a96-4806-a26f-eee560e52045",
 "type":"Microsoft.Authorization/RoleAssignmentScheduleRequests"}]}`

func TestDocARMApprovalDecodes(t *testing.T) {
	t.Parallel()
	var page wireARMPage
	if err := json.Unmarshal([]byte(docARMApprovals), &page); err != nil || len(page.Value) != 1 || page.NextLink != "" {
		t.Fatalf("page: %v %+v", err, page)
	}
	var a wireARMApproval
	if err := json.Unmarshal(page.Value[0], &a); err != nil || !a.hasStages() || a.approvalID() != "488a6d0e-0a63-4946-86e3-1f5bbc934661" {
		t.Fatalf("approval: %v %+v", err, a)
	}
	var ws []wireARMStage
	if err := json.Unmarshal(a.Properties.Stages, &ws); err != nil || len(ws) != 1 {
		t.Fatal(err)
	}
	st := fromARMStage(ws[0])
	// The stage is addressed by its id's last segment; the example's name differs.
	if st.ID != "4135f961-be78-4005-8101-c72a5af307a2" || !st.Mine() || st.Decided() || st.DisplayName != "Vice President Approval Step" || !st.ReviewedBy.isZero() {
		t.Fatalf("stage: %+v", st)
	}
}

func (i Identity) isZero() bool { return i == Identity{} }

func TestDocARMStagesAndPatchedStageDecode(t *testing.T) {
	t.Parallel()
	var page wireARMPage
	if err := json.Unmarshal([]byte(docARMStages), &page); err != nil || len(page.Value) != 1 {
		t.Fatal(err)
	}
	var w wireARMStage
	if err := json.Unmarshal(page.Value[0], &w); err != nil || fromARMStage(w).Status != StageInProgress {
		t.Fatalf("%v %+v", err, w)
	}
	if err := json.Unmarshal([]byte(docARMPatchedStage), &w); err != nil {
		t.Fatal(err)
	}
	st := fromARMStage(w)
	// ARM reads back the write vocabulary ("Approve"): normalized to Approved.
	if st.Result != Approved || st.Status != StageCompleted || st.ReviewedBy.ID != "a6c7aecb-cbfd-4763-87ef-e91b4bd509d9" ||
		st.ReviewedBy.DisplayName != "Shubham Gupta" || !st.ReviewedAt.Equal(time.Date(2018, 8, 3, 21, 2, 30, 667e6, time.UTC)) {
		t.Fatalf("%+v", st)
	}
}

func TestDocARMScheduleRequestDecodes(t *testing.T) {
	t.Parallel()
	var page wireARMPage
	if err := json.Unmarshal([]byte(docARMScheduleRequests), &page); err != nil {
		t.Fatal(err)
	}
	ctxs, subs := azureContexts(page.Value)
	// approvalId is null in the example (the request was not approved): no
	// approval to join, but the subscription's name is learnt.
	if len(ctxs) != 0 || subs["dfa2a084-766f-4003-8ae1-c4aeb893a99f"] != "Pay-As-You-Go" {
		t.Fatalf("ctxs %v subs %v", ctxs, subs)
	}
	var w wireARMRequest
	if err := json.Unmarshal(page.Value[0], &w); err != nil {
		t.Fatal(err)
	}
	a := fromARMRequest(w, subs)
	if a.Resource.DisplayName != "Contributor" || a.Resource.ScopeName != "Pay-As-You-Go" || a.Target.DisplayName != "User Account" ||
		a.Target.Email != "user@my-tenant.com" || a.Requestor != a.Target || a.Schedule.Duration != "PT8H" ||
		a.RequestType != "SelfActivate" || a.RequestState != "Provisioned" || a.Problem != "" {
		t.Fatalf("%+v", a)
	}
	// A resource group scope inside it reads "subscription / group".
	rg := &wireARMExpanded{ID: "/subscriptions/DFA2A084-766f-4003-8ae1-c4aeb893a99f/resourceGroups/rg-web", DisplayName: "rg-web", Type: "resourcegroup"}
	if got := armScopeName(rg, subs); got != "Pay-As-You-Go / rg-web" {
		t.Fatalf("rg scope: %q", got)
	}
	if lastSegment("/providers/Microsoft.Authorization/roleAssignmentApprovals/abc") != "abc" || lastSegment("abc") != "abc" {
		t.Fatal("lastSegment")
	}
}

func TestARMErrorsKeepIDsAndAreThrottled(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	calls := 0
	f.handle("GET /arm/providers/Microsoft.Authorization/roleAssignmentApprovals", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.URL.Query().Get("api-version") != armApprovalsVersion || r.URL.Query().Get("$filter") != "asApprover()" || r.Header.Get("x-ms-client-request-id") == "" {
			t.Errorf("query %q, x-ms-client-request-id %q", r.URL.RawQuery, r.Header.Get("x-ms-client-request-id"))
		}
		if calls == 1 {
			w.Header().Set("Retry-After", "0.02")
			writeJSON(w, 429, map[string]any{"error": map[string]any{"code": "TooManyRequests", "message": "slow down"}})
			return
		}
		w.Header().Set("x-ms-request-id", "req-1")
		w.Header().Set("x-ms-correlation-request-id", "corr-1")
		writeJSON(w, 403, map[string]any{"error": map[string]any{"code": "AuthorizationFailed", "message": "no"}})
	})
	f.handle("GET /arm/providers/Microsoft.Authorization/roleAssignmentScheduleRequests", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"value": []any{}})
	})
	c := testClient(t, f, func(o *Options) { o.ARMURL = f.srv.URL + "/arm" })
	l := c.listAzure(context.Background())
	var ge *Error
	if calls != 2 || !errors.As(l.err, &ge) || ge.StatusCode != 403 || ge.Code != "AuthorizationFailed" || ge.RequestID != "req-1" || ge.CorrelationID != "corr-1" {
		t.Fatalf("calls %d err %v", calls, l.err)
	}
	if msg := ge.Error(); !strings.Contains(msg, "Azure Resource Manager 403") || !strings.Contains(msg, "correlation-id corr-1") || strings.Contains(msg, fakeToken) {
		t.Fatalf("message: %s", msg)
	}
}

func TestARMURLRules(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	for _, bad := range []string{"http://example.com", "ftp://x", "https://x/?q=1"} {
		if _, err := New(Options{GraphURL: f.srv.URL, Credential: StaticToken("t"), ARMURL: bad}); err == nil {
			t.Errorf("ARMURL %q accepted", bad)
		}
	}
	c := testClient(t, f, func(o *Options) { o.ARMURL = f.srv.URL + "/arm" })
	// a nextLink to another host is never followed with the token
	err := c.armGet(context.Background(), "http://127.0.0.2:1/arm/x", new(wireARMPage))
	if err == nil || !strings.Contains(err.Error(), "Azure Resource Manager root") {
		t.Fatalf("err = %v", err)
	}
}
