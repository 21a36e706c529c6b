package graph

import (
	"encoding/json"
	"testing"
	"time"

	"approvals/graph/internal/fixtures"
)

func TestStageDecodingTolerance(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	for _, tc := range []struct {
		name string
		json string
		want Stage
	}{
		{"null reviewer", `{"id":"s","reviewedBy":null,"status":"InProgress","reviewResult":"NotReviewed"}`,
			Stage{ID: "s", Status: StageInProgress, Result: NotReviewed}},
		{"zero GUID reviewer", `{"id":"s","reviewedBy":{"id":"00000000-0000-0000-0000-000000000000","displayName":null}}`,
			Stage{ID: "s"}},
		{"reviewer array (beta docs)", `{"id":"s","reviewedBy":[{"id":"u1","displayName":"Ann"}],"reviewResult":"Approved"}`,
			Stage{ID: "s", Result: Approved, ReviewedBy: Identity{ID: "u1", DisplayName: "Ann"}}},
		{"reviewer with extra keys", `{"id":"s","reviewedBy":{"@odata.type":"#microsoft.graph.identity","id":"u1","displayName":"Ann","x":1}}`,
			Stage{ID: "s", ReviewedBy: Identity{ID: "u1", DisplayName: "Ann"}}},
		{"mixed casing", `{"id":"s","status":"inprogress","reviewResult":"DENIED"}`,
			Stage{ID: "s", Status: StageInProgress, Result: Denied}},
		{"unknown enums kept", `{"id":"s","status":"Escalated","reviewResult":"unknownFutureValue"}`,
			Stage{ID: "s", Status: "Escalated", Result: "unknownFutureValue"}},
		{"time without fraction", `{"id":"s","reviewedDateTime":"2026-02-03T04:05:06Z"}`, Stage{ID: "s", ReviewedAt: at}},
		{"time with fraction", `{"id":"s","reviewedDateTime":"2026-02-03T04:05:06.1234567Z"}`, Stage{ID: "s", ReviewedAt: at.Add(123456700)}},
		{"time with offset", `{"id":"s","reviewedDateTime":"2026-02-03T06:05:06+02:00"}`, Stage{ID: "s", ReviewedAt: at}},
		{"time without zone", `{"id":"s","reviewedDateTime":"2026-02-03T04:05:06"}`, Stage{ID: "s", ReviewedAt: at}},
		{"unreadable time", `{"id":"s","reviewedDateTime":"date-time"}`, Stage{ID: "s"}},
		{"missing everything", `{}`, Stage{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w wireStage
			if err := json.Unmarshal([]byte(tc.json), &w); err != nil {
				t.Fatal(err)
			}
			if got := fromStage(w); got != tc.want {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestMalformedJSONIsAnErrorNotAPanic(t *testing.T) {
	t.Parallel()
	for _, b := range []string{``, `{`, `{"value":[{"id":}]}`, `[]`, `{"value":{"id":"x"}}`, "\x00", `{"value":[{"reviewedBy":{"id":5}}]}`} {
		var p wirePage
		err := decodeBody([]byte(b), &p)
		if err == nil && len(p.Value) > 0 {
			_, err = decodeEMItem(p.Value[0])
		}
		var s wireStagePage
		err2 := decodeBody([]byte(b), &s)
		if err == nil && err2 == nil {
			t.Errorf("%q decoded without error", b)
		}
	}
}

func TestPIMRequestorFallsBackToPrincipal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ json, wantRequestor string }{
		{`{"id":"r","principal":{"id":"p","displayName":"Pat"}}`, "Pat"},
		{`{"id":"r","principal":{"id":"p","displayName":"Pat"},"createdBy":{"user":null}}`, "Pat"},
		{`{"id":"r","principal":{"id":"p","displayName":"Pat"},"createdBy":{"user":{"id":"p","displayName":"P"}}}`, "Pat"},
		{`{"id":"r","principal":{"id":"p","displayName":"Pat"},"createdBy":{"user":{"id":"a","displayName":"Admin"}}}`, "Admin"},
	} {
		a, err := decodeGroupItem([]byte(tc.json))
		if err != nil || a.Requestor.DisplayName != tc.wantRequestor || a.Target.DisplayName != "Pat" {
			t.Errorf("%s: requestor %+v, target %+v, %v", tc.json, a.Requestor, a.Target, err)
		}
		if a.ID != "r" || a.Kind != KindGroup {
			t.Errorf("%s: ref %v kind %v (no approvalId: the request id; no accessId: group)", tc.json, a.Ref, a.Kind)
		}
	}
	a, _ := decodeGroupItem([]byte(`{"id":"r","approvalId":"ap","accessId":"Member"}`))
	if a.ID != "ap" || a.RequestID != "r" || a.Kind != KindGroupMember {
		t.Errorf("%+v", a)
	}
}

func TestAnswerValues(t *testing.T) {
	t.Parallel()
	a, err := decodeEMItem([]byte(`{"id":"r","answers":[{"value":42},{"value":null,"displayValue":""},{"value":["a","b"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Answer{{Value: "42"}, {}, {Value: `["a","b"]`}}
	for i, w := range want {
		if a.Answers[i] != w {
			t.Errorf("answer %d = %+v, want %+v", i, a.Answers[i], w)
		}
	}
}

func TestEstimateDeadline(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reviewed := created.Add(3 * time.Hour)
	a := Approval{Created: created, Stages: []Stage{
		{Status: StageCompleted, Result: Approved, ReviewedAt: reviewed},
		{Status: StageInProgress, Result: NotReviewed},
		{Status: StageInitializing},
	}}
	estimateDeadline(&a, 24*time.Hour)
	if !a.DeadlineEstimated || !a.Deadline.Equal(reviewed.Add(24*time.Hour)) {
		t.Fatalf("second stage deadline %v", a.Deadline)
	}
	a.Stages[1].Status = StageCompleted
	estimateDeadline(&a, 24*time.Hour)
	if a.DeadlineEstimated || !a.Deadline.IsZero() {
		t.Fatal("no stage in progress: no deadline")
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"2.128": 2128 * time.Millisecond, "10": 10 * time.Second, "0.0001": time.Millisecond, "": 0, "-1": 0, "soon": 0, "NaN": 0,
		"Thu, 01 Jan 2026 00:00:30 GMT": 30 * time.Second, "Wed, 31 Dec 2025 00:00:30 GMT": 0,
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestOdataEscape(t *testing.T) {
	t.Parallel()
	if got := odataEscape("status eq 'PendingApproval'"); got != "status%20eq%20'PendingApproval'" {
		t.Fatal(got)
	}
	if got := odataEscape("a&b#c+d%"); got != "a%26b%23c%2Bd%25" {
		t.Fatal(got)
	}
}

// The docs' example of a PIM for Groups approval waiting for the caller
// shows its stage "Completed" yet "NotReviewed": while the request is
// PendingApproval, that stage is the one to decide.
func TestPendingGroupStageFromTheDocsExampleIsMine(t *testing.T) {
	t.Parallel()
	var page struct {
		Value []struct {
			ID     string      `json:"id"`
			Stages []wireStage `json:"stages"`
		} `json:"value"`
	}
	if err := json.Unmarshal(fixtures.Read(t, "v1.0-approval-filterbycurrentuser-pimgroups.response.json"), &page); err != nil {
		t.Fatal(err)
	}
	a := Approval{Ref: Ref{Source: SourceGroup, ID: page.Value[0].ID}, RequestState: "PendingApproval",
		Stages: fromStages(page.Value[0].Stages)}
	if _, _, ok := a.MyStage(); ok {
		t.Fatal("setup: the example's stage already reads as mine")
	}
	finishStages(&a, 24*time.Hour)
	st, _, ok := a.MyStage()
	if !ok || st.ID != "46bc634a-0696-43c5-bc99-d568bc3c27f5" {
		t.Fatalf("the pending PIM approval has no stage to decide: %+v", a.Stages)
	}
	// Not for a request that is no longer pending, nor for access packages.
	for _, b := range []Approval{
		{Ref: a.Ref, RequestState: "Granted", Stages: fromStages(page.Value[0].Stages)},
		{Ref: Ref{Source: SourceAccessPackage, ID: "x"}, RequestState: "PendingApproval", Stages: fromStages(page.Value[0].Stages)},
	} {
		finishStages(&b, 24*time.Hour)
		if _, _, ok := b.MyStage(); ok {
			t.Fatalf("%s %s: a completed stage was read as waiting", b.Source, b.RequestState)
		}
	}
}
