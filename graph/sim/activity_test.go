package sim

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestStepIsDeterministic(t *testing.T) {
	run := func() []Event {
		e := newEnv(t, Options{Seed: 12, Approvals: 30})
		var evs []Event
		for range 25 {
			evs = append(evs, e.sim.Step())
		}
		return evs
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different activity:\n%v\n%v", a, b)
	}
	kinds := map[string]int{}
	for _, ev := range a {
		kinds[ev.Kind]++
	}
	if kinds["decided"] == 0 || kinds["arrived"] == 0 {
		t.Errorf("activity kinds %v", kinds)
	}
}

func TestActivityShowsUpForTheDemoIdentity(t *testing.T) {
	e := newEnv(t, Options{Seed: 13, Approvals: 30})
	demo := e.demo.UserPrincipalName
	before := e.sim.Waiting(e.demo.ID)
	id := e.sim.Arrive()
	if id == "" {
		t.Fatal("nothing arrived")
	}
	listed := func() []string {
		em, _ := e.listAll(emRequests+approverFn, demo)
		pim, _ := e.listAll(pimRequests+approverFn, demo)
		return append(ids(em), ids(pim)...)
	}
	if !slices.Contains(listed(), id) || e.sim.Waiting(e.demo.ID) != before+1 {
		t.Fatalf("the new request %s is not listed", id)
	}
	// The new request was created now and is at its first stage.
	for _, r := range e.sim.Tenant().AccessPackageRequests {
		if r.ID == id && (!r.CreatedDateTime.Equal(testNow) || currentStage(r.Stages) != 0) {
			t.Errorf("arrival %+v", r)
		}
	}
	// Other approvers decide stages the demo identity shares: its PATCH
	// then gets 409 and the decision shows who it was.
	var decided Event
	for range 200 {
		if ev := e.sim.Step(); ev.Kind == "decided" {
			st, _ := e.sim.StageState(ev.ApprovalID, ev.StageID)
			if st.ReviewedBy != ev.By || st.Status != StatusCompleted {
				t.Fatalf("event %v, stage %+v", ev, st)
			}
			if ev.By == e.demo.ID {
				t.Fatal("activity decided as the demo identity")
			}
			src, _ := e.sim.sourceOf(ev.ApprovalID)
			base := emApprovals
			if src == srcGroup {
				base = pimApprovals
			}
			r := e.do("GET", base+"/"+ev.ApprovalID+"/stages/"+ev.StageID, demo, nil)
			if r.status == 200 {
				decided = ev
				e.do("PATCH", base+"/"+ev.ApprovalID+"/stages/"+ev.StageID, demo, approve("me too")).expect(t, 409, "Conflict")
				break
			}
		}
	}
	if decided.Kind == "" {
		t.Fatal("no shared stage was decided by someone else in 200 steps")
	}
}

func TestRunActivityStopsWithContext(t *testing.T) {
	e := newEnv(t, Options{Seed: 14, Approvals: 10})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.sim.RunActivity(ctx, time.Millisecond); close(done) }()
	untouched := func() bool {
		return e.sim.Waiting(e.demo.ID) == 10 && len(e.sim.Tenant().AccessPackageRequests)+len(e.sim.Tenant().GroupRequests) == 12
	}
	for deadline := time.Now().Add(10 * time.Second); untouched(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) { // a guard against a hang, not a measurement
			t.Fatal("RunActivity changed nothing in 10s")
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second): // likewise a hang guard
		t.Fatal("RunActivity did not stop")
	}
}

func TestStepOnAnEmptyTenant(t *testing.T) {
	e := newEnv(t, Options{Tenant: &Tenant{Version: TenantVersion}})
	if ev := e.sim.Step(); ev.Kind != "idle" {
		t.Errorf("empty tenant: %v", ev)
	}
	if id := e.sim.Arrive(); id != "" {
		t.Errorf("arrival in an empty tenant: %s", id)
	}
	if n := len(e.sim.Approvers()); n != 0 {
		t.Errorf("%d approvers", n)
	}
	// A hand-made tenant naming an unknown approver does not crash Approvers.
	tn := smallTenant()
	tn.Approvers = append([]string{"ghost"}, tn.Approvers...)
	if got := New(Options{Tenant: tn}).Approvers(); len(got) != 2 || got[0].UserPrincipalName != "megan@contoso.com" {
		t.Errorf("approvers %v", got)
	}
}
