package sim

import (
	"sync"
	"testing"
	"time"
)

func approve(text string) map[string]string {
	return map[string]string{"reviewResult": "Approve", "justification": text}
}

func deny(text string) map[string]string {
	return map[string]string{"reviewResult": "Deny", "justification": text}
}

func (e *env) stage(path, user string) map[string]any { return e.getJSON(path, user) }

func TestMultiStageApproveAdvancesAndDelivers(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	st := emApprovals + "/req-em-1/stages/"
	// Adele cannot decide stage 2 before it starts.
	e.do("PATCH", st+"st-2", "adele@contoso.com", approve("early")).expect(t, 400, "BadRequest")

	e.clock.Advance(time.Hour)
	if r := e.do("PATCH", st+"st-1", "megan@contoso.com", approve("manager OK")); r.status != 204 {
		t.Fatalf("stage 1: %d %s", r.status, r.body)
	}
	s2 := e.stage(st+"st-2", "adele@contoso.com")
	if s2["status"] != "InProgress" || s2["assignedToMe"] != true {
		t.Fatalf("stage 2 after approving stage 1: %v", s2)
	}
	// The request left megan's list and joined adele's.
	if n := len(values(t, e.getJSON(emRequests+approverFn, "megan@contoso.com"))); n != 0 {
		t.Errorf("megan still lists the request (%d)", n)
	}
	if n := len(values(t, e.getJSON(emRequests+approverFn, "adele@contoso.com"))); n != 1 {
		t.Errorf("adele lists %d", n)
	}
	// Stage 2 requires a justification.
	e.do("PATCH", st+"st-2", "adele@contoso.com", approve("  \t")).expect(t, 400, "BadRequest")
	e.do("PATCH", st+"st-2", "adele@contoso.com", map[string]string{"reviewResult": "Approve"}).expect(t, 400, "BadRequest")
	if r := e.do("PATCH", st+"st-2", "adele@contoso.com", approve("data owner OK")); r.status != 204 {
		t.Fatalf("stage 2: %d %s", r.status, r.body)
	}
	// Stage 3 has both; megan approves last.
	if r := e.do("PATCH", st+"st-3", "megan@contoso.com", approve("")); r.status != 204 {
		t.Fatalf("stage 3: %d %s", r.status, r.body)
	}
	req := e.getJSON(emRequests+"/req-em-1", "megan@contoso.com")
	if req["state"] != "delivered" || req["status"] != "Delivered" || req["completedDateTime"] == nil {
		t.Errorf("request after the last stage: %v", req)
	}
	for _, u := range []string{"megan@contoso.com", "adele@contoso.com"} {
		if n := len(values(t, e.getJSON(emRequests+approverFn, u))); n != 0 {
			t.Errorf("%s still lists a delivered request", u)
		}
	}
	a := e.getJSON(emApprovals+"/req-em-1", "adele@contoso.com")
	want := []string{"Approved", "Approved", "Approved"}
	for i, s := range a["stages"].([]any) {
		m := s.(map[string]any)
		if m["reviewResult"] != want[i] || m["status"] != "Completed" {
			t.Errorf("stage %d: %v", i+1, m)
		}
	}
	// Timeline: stage 1 decided an hour in, with megan's words.
	s1 := a["stages"].([]any)[0].(map[string]any)
	if s1["reviewedDateTime"] != "2025-03-10T10:30:00Z" || s1["justification"] != "manager OK" {
		t.Errorf("stage 1 record: %v", s1)
	}
}

func TestDenyEndsRequest(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	if r := e.do("PATCH", emApprovals+"/req-em-1/stages/st-1", "megan@contoso.com", deny("not needed")); r.status != 204 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	req := e.getJSON(emRequests+"/req-em-1", "megan@contoso.com")
	if req["state"] != "denied" || req["status"] != "Denied" {
		t.Errorf("request after deny: %v", req)
	}
	s2 := e.stage(emApprovals+"/req-em-1/stages/st-2", "adele@contoso.com")
	if s2["status"] != "Initializing" {
		t.Errorf("stage 2 after deny: %v", s2)
	}
	// Later stages of an ended request cannot be decided.
	e.do("PATCH", emApprovals+"/req-em-1/stages/st-2", "adele@contoso.com", approve("late")).expect(t, 409, "Conflict")

	// PIM: approve → Provisioned, deny → Denied.
	if r := e.do("PATCH", pimApprovals+"/req-pim-1/stages/req-pim-1", "adele@contoso.com", approve("ok")); r.status != 204 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	pr := e.getJSON(pimRequests+"/req-pim-1", "adele@contoso.com")
	if pr["status"] != "Provisioned" || pr["targetScheduleId"] == nil {
		t.Errorf("PIM request after approve: %v", pr)
	}
	if n := len(values(t, e.getJSON(pimRequests+approverFn, "megan@contoso.com"))); n != 0 {
		t.Errorf("megan still lists the PIM request")
	}
}

func TestFirstDecisionWins(t *testing.T) {
	for range 20 { // a race should never produce two 204s
		e := newEnv(t, Options{Tenant: smallTenant()})
		path := pimApprovals + "/req-pim-1/stages/req-pim-1"
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i, u := range []string{"megan@contoso.com", "adele@contoso.com"} {
			wg.Go(func() {
				body := approve("me first")
				if i == 1 {
					body = deny("no, me")
				}
				statuses[i] = e.do("PATCH", path, u, body).status
			})
		}
		wg.Wait()
		if !(statuses[0] == 204 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 204) {
			t.Fatalf("statuses %v, want one 204 and one 409", statuses)
		}
		st, ok := e.sim.StageState("req-pim-1", "req-pim-1")
		if !ok || st.PatchAttempts != 2 || st.PatchesApplied != 1 || st.Status != StatusCompleted {
			t.Fatalf("stage state %+v", st)
		}
		winner := map[bool]string{true: "Approved", false: "Denied"}[statuses[0] == 204]
		if st.ReviewResult != winner {
			t.Fatalf("result %s, want the winner's %s", st.ReviewResult, winner)
		}
	}
}

func TestDecisionErrors(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	st1 := emApprovals + "/req-em-1/stages/st-1"
	e.do("PATCH", st1, "olga@contoso.com", approve("x")).expect(t, 403, "Forbidden")
	e.do("GET", emApprovals+"/req-em-1", "olga@contoso.com", nil).expect(t, 403, "Forbidden")
	e.do("GET", emApprovals+"/req-em-1/stages", "olga@contoso.com", nil).expect(t, 403, "Forbidden")
	e.do("PATCH", st1, "adele@contoso.com", approve("x")).expect(t, 403, "Forbidden") // approver of the approval, not this stage
	e.do("PATCH", st1, "nobody@contoso.com", approve("x")).expect(t, 401, "InvalidAuthenticationToken")
	e.do("PATCH", emApprovals+"/nope/stages/st-1", "megan@contoso.com", approve("x")).expect(t, 404, "")
	e.do("PATCH", emApprovals+"/req-em-1/stages/nope", "megan@contoso.com", approve("x")).expect(t, 404, "")
	for _, body := range []any{
		map[string]string{"reviewResult": "Approved", "justification": "read word"},
		map[string]string{"reviewResult": "approve", "justification": "lower case"},
		map[string]string{"reviewResult": "Deny ", "justification": "space"},
		map[string]any{"reviewResult": true},
		map[string]string{"justification": "no result"},
		map[string]string{"reviewResult": "Approve", "comment": "unknown property"},
		"not json",
		"[]",
	} {
		e.do("PATCH", st1, "megan@contoso.com", body).expect(t, 400, "BadRequest")
	}
	e.do("PATCH", st1, "megan@contoso.com", approve("x"), "Content-Type", "text/plain").expect(t, 415, "")
	// None of the rejected PATCHes changed the stage; all were counted.
	st, _ := e.sim.StageState("req-em-1", "st-1")
	if st.Status != StatusInProgress || st.PatchesApplied != 0 || st.PatchAttempts != 12 {
		t.Errorf("after rejected PATCHes: %+v", st)
	}
	// Read-only properties an SDK echoes are ignored; justification may be null.
	body := map[string]any{"@odata.type": "#microsoft.graph.approvalStage", "reviewResult": "Approve", "justification": nil, "status": "Completed"}
	if r := e.do("PATCH", st1, "megan@contoso.com", body); r.status != 204 {
		t.Fatalf("SDK-shaped body: %d %s", r.status, r.body)
	}
	// Deciding again: 409, even for the same approver (charset in the
	// Content-Type is fine).
	e.do("PATCH", st1, "megan@contoso.com", approve("twice"), "Content-Type", "application/json; charset=utf-8").expect(t, 409, "Conflict")
	e.do("PATCH", st1, "megan@contoso.com", approve("twice")).expect(t, 409, "Conflict")
}

func TestCancelledIs404(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	if err := e.sim.Cancel("req-em-1"); err != nil {
		t.Fatal(err)
	}
	e.do("GET", emApprovals+"/req-em-1", "megan@contoso.com", nil).expect(t, 404, "")
	e.do("GET", emApprovals+"/req-em-1/stages", "megan@contoso.com", nil).expect(t, 404, "")
	e.do("PATCH", emApprovals+"/req-em-1/stages/st-1", "megan@contoso.com", approve("x")).expect(t, 404, "")
	if n := len(values(t, e.getJSON(emRequests+approverFn, "megan@contoso.com"))); n != 0 {
		t.Errorf("a cancelled request is still listed")
	}
	if req := e.getJSON(emRequests+"/req-em-1", "megan@contoso.com"); req["state"] != "canceled" {
		t.Errorf("request state %v", req["state"])
	}
	if err := e.sim.Cancel("req-pim-1"); err != nil {
		t.Fatal(err)
	}
	e.do("GET", pimApprovals+"/req-pim-1", "megan@contoso.com", nil).expect(t, 404, "")
	if err := e.sim.Cancel("req-pim-1"); err == nil {
		t.Error("cancelling twice should fail")
	}
	if err := e.sim.Cancel("nope"); err == nil {
		t.Error("cancelling an unknown id should fail")
	}
}

func TestExpiryFollowsTheClock(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	// PIM stage started 2h ago with a 24h timeout.
	e.clock.Advance(21*time.Hour + 59*time.Minute)
	if n := len(values(t, e.getJSON(pimRequests+approverFn, "megan@contoso.com"))); n != 1 {
		t.Fatalf("before the deadline: %d", n)
	}
	e.clock.Advance(time.Minute)
	if n := len(values(t, e.getJSON(pimRequests+approverFn, "megan@contoso.com"))); n != 0 {
		t.Errorf("after the deadline the PIM request is still listed")
	}
	st := e.stage(pimApprovals+"/req-pim-1/stages/req-pim-1", "megan@contoso.com")
	if st["status"] != "Expired" || st["reviewResult"] != "NotReviewed" {
		t.Errorf("expired PIM stage: %v", st)
	}
	if pr := e.getJSON(pimRequests+"/req-pim-1", "megan@contoso.com"); pr["status"] != "Canceled" {
		t.Errorf("expired PIM request status %v", pr["status"])
	}
	e.do("PATCH", pimApprovals+"/req-pim-1/stages/req-pim-1", "megan@contoso.com", approve("late")).expect(t, 409, "Conflict")

	// EM stage 1 started 5h before testNow with P14D.
	e.clock.Advance(14*24*time.Hour - 24*time.Hour)
	if n := len(values(t, e.getJSON(emRequests+approverFn, "megan@contoso.com"))); n != 0 {
		t.Errorf("EM request still listed after P14D")
	}
	req := e.getJSON(emRequests+"/req-em-1", "megan@contoso.com")
	if req["state"] != "denied" || req["status"] != "Expired" || req["completedDateTime"] != "2025-03-24T04:30:00Z" {
		t.Errorf("expired EM request: %v", req)
	}
	e.do("PATCH", emApprovals+"/req-em-1/stages/st-1", "megan@contoso.com", approve("late")).expect(t, 409, "Conflict")
	if st, _ := e.sim.StageState("req-em-1", "st-1"); st.Status != StatusExpired {
		t.Errorf("StageState %+v", st)
	}
}

func TestDecideAs(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	if err := e.sim.DecideAs("adele@contoso.com", "req-pim-1", "req-pim-1", "Deny", "not during the freeze"); err != nil {
		t.Fatal(err)
	}
	r := e.do("PATCH", pimApprovals+"/req-pim-1/stages/req-pim-1", "megan@contoso.com", approve("too late"))
	r.expect(t, 409, "Conflict")
	st := e.stage(pimApprovals+"/req-pim-1/stages/req-pim-1", "megan@contoso.com")
	by := st["reviewedBy"].(map[string]any)
	if by["displayName"] != "Adele Vance" || st["reviewResult"] != "Denied" || st["justification"] != "not during the freeze" {
		t.Errorf("stage after DecideAs: %v", st)
	}
	state, _ := e.sim.StageState("req-pim-1", "req-pim-1")
	if state.PatchesApplied != 0 || state.PatchAttempts != 1 {
		t.Errorf("DecideAs is not a PATCH: %+v", state)
	}
	for _, err := range []error{
		e.sim.DecideAs("olga@contoso.com", "req-em-1", "st-1", "Approve", ""),
		e.sim.DecideAs("megan@contoso.com", "req-em-1", "st-1", "Approved", ""),
		e.sim.DecideAs("ghost@contoso.com", "req-em-1", "st-1", "Approve", ""),
		e.sim.DecideAs("megan@contoso.com", "nope", "st-1", "Approve", ""),
	} {
		if _, ok := err.(*Error); !ok {
			t.Errorf("want an *Error, got %v", err)
		}
	}
}
