package graph

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"approvals/graph/internal/fixtures"
)

// The Graph docs' own examples must decode with our wire types, with the
// fields they contain populated. (The docs mark them "truncated": assert
// only what is there.)

func TestFixtureApprovalGet(t *testing.T) {
	t.Parallel()
	var w wireApproval
	if err := json.Unmarshal(fixtures.Read(t, "v1.0-approval-get.response.json"), &w); err != nil {
		t.Fatal(err)
	}
	if w.ID != "abd306ef-f7b2-4a10-9fd1-493454322489" || !w.hasStages() {
		t.Fatalf("id %q, has stages %v", w.ID, w.hasStages())
	}
	var ws []wireStage
	if err := json.Unmarshal(w.Stages, &ws); err != nil {
		t.Fatal(err)
	}
	stages := fromStages(ws)
	want := Stage{ID: "d4fa4045-4716-436d-aec5-57b0a713f095", AssignedToMe: true, Status: StageInProgress, Result: NotReviewed}
	if len(stages) != 1 || !reflect.DeepEqual(stages[0], want) {
		t.Fatalf("stages = %+v, want [%+v]", stages, want)
	}
	if !stages[0].Mine() || stages[0].Decided() {
		t.Fatal("the docs' stage waits for me and is not decided")
	}
}

func TestFixtureListStagesAndGetStage(t *testing.T) {
	t.Parallel()
	var p wireStagePage
	if err := json.Unmarshal(fixtures.Read(t, "v1.0-approval-list-stages.response.json"), &p); err != nil {
		t.Fatal(err)
	}
	var one wireStage
	if err := json.Unmarshal(fixtures.Read(t, "v1.0-approvalstage-get.response.json"), &one); err != nil {
		t.Fatal(err)
	}
	if len(p.Value) != 1 || p.NextLink != "" {
		t.Fatalf("list = %+v", p)
	}
	for _, s := range []Stage{fromStage(p.Value[0]), fromStage(one)} {
		if s.ID != "d4fa4045-4716-436d-aec5-57b0a713f095" || s.Status != StageInProgress ||
			s.Result != NotReviewed || !s.AssignedToMe || s.ReviewedBy != (Identity{}) || !s.ReviewedAt.IsZero() {
			t.Fatalf("stage = %+v", s)
		}
	}
}

func TestFixtureApprovalFilterByCurrentUser(t *testing.T) {
	t.Parallel()
	var em, pim struct {
		Value []wireApproval `json:"value"`
	}
	if err := json.Unmarshal(fixtures.Read(t, "v1.0-approval-filterbycurrentuser-em.response.json"), &em); err != nil {
		t.Fatal(err)
	}
	if len(em.Value) != 1 || em.Value[0].ID != "368f6786-6786-368f-8667-8f3686678f36" || em.Value[0].hasStages() {
		t.Fatalf("EM approvals = %+v (the docs' EM example has no stages)", em.Value)
	}
	if err := json.Unmarshal(fixtures.Read(t, "v1.0-approval-filterbycurrentuser-pimgroups.response.json"), &pim); err != nil {
		t.Fatal(err)
	}
	if len(pim.Value) != 1 || !pim.Value[0].hasStages() {
		t.Fatalf("PIM approvals = %+v", pim.Value)
	}
	var ws []wireStage
	if err := json.Unmarshal(pim.Value[0].Stages, &ws); err != nil {
		t.Fatal(err)
	}
	s := fromStage(ws[0])
	// The docs' oddity: Completed, NotReviewed, assigned to me. Not mine to decide.
	if s.ID != pim.Value[0].ID || s.Status != StageCompleted || s.Result != NotReviewed || !s.AssignedToMe || s.Mine() {
		t.Fatalf("stage = %+v", s)
	}
}

func TestFixtureAssignmentRequests(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file, id, requestType string
		created               string
	}{
		{"v1.0-accesspackageassignmentrequest-filterbycurrentuser.response.json", "46c1410d-ef96-44c5-ae9c-a577d014fe0e", "adminAdd", "2021-01-19T20:02:23.907Z"},
		{"v1.0-entitlementmanagement-list-assignmentrequests.response.json", "7999249e-249e-7999-9e24-99799e249979", "userAdd", "2019-10-25T22:55:11.623Z"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var p wirePage
			if err := json.Unmarshal(fixtures.Read(t, tc.file), &p); err != nil {
				t.Fatal(err)
			}
			if len(p.Value) != 1 {
				t.Fatalf("%d items", len(p.Value))
			}
			a, err := decodeEMItem(p.Value[0])
			if err != nil {
				t.Fatal(err)
			}
			checkEMFixture(t, a, tc.id, tc.requestType, tc.created)
		})
	}
	t.Run("get", func(t *testing.T) {
		a, err := decodeEMItem(fixtures.Read(t, "v1.0-accesspackageassignmentrequest-get.response.json"))
		if err != nil {
			t.Fatal(err)
		}
		checkEMFixture(t, a, "7999249e-249e-7999-9e24-99799e249979", "adminAdd", "2019-10-25T22:55:11.623Z")
	})
}

func checkEMFixture(t *testing.T, a Approval, id, requestType, created string) {
	t.Helper()
	wantCreated, _ := time.Parse(time.RFC3339Nano, created)
	if a.Ref != (Ref{Source: SourceAccessPackage, ID: id}) || a.RequestID != id || a.Kind != KindAccessPackage ||
		a.RequestType != requestType || a.RequestState != "delivered" || !a.Created.Equal(wantCreated) {
		t.Fatalf("approval = %+v", a)
	}
}

func TestFixturePIMRequestInvalidJSONIsAnError(t *testing.T) {
	t.Parallel()
	raw := fixtures.Read(t, "v1.0-privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser.response.json")
	var p wirePage
	if err := decodeBody(raw, &p); err == nil {
		t.Fatal("the docs' PIM example has a trailing comma: decoding must fail")
	} else if strings.Contains(err.Error(), "PendingApproval") {
		t.Fatalf("the error echoes the body: %v", err)
	}
	// Served as a listing page, it is a per-source error, not a panic.
	f := newFakeGraph(t)
	f.handle(emListKey, emptyList)
	f.handle(groupListKey, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(raw)
	})
	snap, err := testClient(t, f).Refresh(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Errors) != 1 || snap.Errors[0].Source != SourceGroup {
		t.Fatalf("errors = %v", snap.Errors)
	}
}

// With its trailing comma removed, the same example decodes, misspelled
// createdDateTIme and PascalCase enums included.
func TestFixturePIMRequestRepaired(t *testing.T) {
	t.Parallel()
	raw := string(fixtures.Read(t, "v1.0-privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser.response.json"))
	fixed := strings.Replace(raw, `"PT8H",`, `"PT8H"`, 1)
	var p wirePage
	if err := json.Unmarshal([]byte(fixed), &p); err != nil {
		t.Fatal(err)
	}
	a, err := decodeGroupItem(p.Value[0])
	if err != nil {
		t.Fatal(err)
	}
	want := Approval{
		Ref:           Ref{Source: SourceGroup, ID: "12345"},
		RequestID:     "12345",
		Kind:          KindGroupMember,
		Requestor:     Subject{ID: "c277c8cb-6bb7-42e5-a17f-0add9a718151"},
		Target:        Subject{ID: "c277c8cb-6bb7-42e5-a17f-0add9a718151"},
		Resource:      Resource{ID: "d5f0ad2e-6b34-401b-b6da-0c8fc2c5a3fc"},
		RequestType:   "SelfActivate",
		RequestState:  "PendingApproval",
		Justification: "Activate access",
		Schedule:      Schedule{Start: time.Date(2022, 4, 1, 8, 0, 0, 0, time.UTC), ExpirationType: "AfterDuration", Duration: "PT8H"},
		TicketNumber:  "09876",
		Created:       time.Date(2022, 2, 26, 8, 0, 0, 0, time.UTC),
	}
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("got  %+v\nwant %+v", a, want)
	}
}

func TestFixtureErrors(t *testing.T) {
	t.Parallel()
	e := newError(400, nil, fixtures.Read(t, "graph-error-example.response.json"))
	if e.Code != "invalidRange" || e.Message != "Uploaded fragment overlaps with existing data." || e.RequestID != "request-id" {
		t.Fatalf("error = %+v", e)
	}
	h := http.Header{"Retry-After": {"2.128"}}
	th := newError(429, h, fixtures.Read(t, "graph-throttling-429.response.json"))
	if th.Code != "TooManyRequests" || th.Message != "Please retry again later." ||
		th.RequestID != "94fb3b52-452a-4535-a601-69e0a90e3aa2" || th.RetryAfter != 2128*time.Millisecond ||
		!th.Date.Equal(time.Date(2020, 8, 18, 12, 51, 51, 0, time.UTC)) {
		t.Fatalf("throttling error = %+v", th)
	}
}

func TestFixtureBatch(t *testing.T) {
	t.Parallel()
	var req wireBatchRequest
	if err := json.Unmarshal(fixtures.Read(t, "graph-batch.request.json"), &req); err != nil {
		t.Fatal(err)
	}
	if len(req.Requests) != 5 || req.Requests[0] != (wireBatchItem{ID: "1", Method: "GET", URL: "/me/memberOf"}) {
		t.Fatalf("requests = %+v", req.Requests)
	}
	var resp wireBatchResponse
	if err := json.Unmarshal(fixtures.Read(t, "graph-batch.response.json"), &resp); err != nil {
		t.Fatal(err)
	}
	statuses := map[string]int{}
	for _, r := range resp.Responses {
		statuses[r.ID] = r.Status
	}
	if !reflect.DeepEqual(statuses, map[string]int{"1": 200, "2": 403, "3": 403, "4": 405, "5": 200}) {
		t.Fatalf("statuses = %v", statuses)
	}
	two := resp.Responses[1]
	if two.Headers["Content-Type"] != "application/json" {
		t.Fatalf("headers = %v", two.Headers)
	}
	e := newError(two.Status, nil, itemBody(two.Body))
	if e.Code != "" || !strings.Contains(e.Message, "required permissions") || e.RequestID != "93b6f17e-c05d-4f45-ad2a-6665c708d8a0" ||
		e.ClientRequestID != "e70c5c1b-8b47-68c0-3171-3d22f5e0bd54" || e.Date.IsZero() {
		t.Fatalf("inner error = %+v", e)
	}
	var first wirePage
	if err := json.Unmarshal(itemBody(resp.Responses[0].Body), &first); err != nil || len(first.Value) != 1 || first.NextLink == "" {
		t.Fatalf("inner page = %+v, %v", first, err)
	}
}

// What Decide sends has the same keys and value types as the docs' PATCH.
func TestFixturePatchBodyMatchesDecide(t *testing.T) {
	t.Parallel()
	var want map[string]any
	if err := json.Unmarshal(fixtures.Read(t, "v1.0-approvalstage-update.request.json"), &want); err != nil {
		t.Fatal(err)
	}
	f := newFakeGraph(t)
	var sent map[string]any
	var contentType string
	f.handle("PATCH /v1.0"+pathEMApprovals+"/abd306ef-f7b2-4a10-9fd1-493454322489/stages/d4fa4045-4716-436d-aec5-57b0a713f095",
		func(w http.ResponseWriter, r *http.Request) {
			contentType = r.Header.Get("Content-Type")
			_ = json.NewDecoder(r.Body).Decode(&sent)
			w.WriteHeader(http.StatusNoContent)
		})
	res := testClient(t, f).Decide(t.Context(), DecisionRequest{
		Ref:     Ref{Source: SourceAccessPackage, ID: "abd306ef-f7b2-4a10-9fd1-493454322489"},
		StageID: "d4fa4045-4716-436d-aec5-57b0a713f095", Decision: Approve, Justification: "OK",
	})
	if res.Outcome != OutcomeApproved || res.Attempts != 1 {
		t.Fatalf("result = %+v", res)
	}
	if !reflect.DeepEqual(sent, want) {
		t.Fatalf("sent %v, the docs send %v", sent, want)
	}
	if !strings.HasPrefix(contentType, "application/json") {
		t.Fatalf("Content-Type = %q", contentType)
	}
}
