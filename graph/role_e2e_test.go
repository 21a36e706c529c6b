package graph_test

// PIM for Microsoft Entra roles end to end against the simulator: the
// v1.0 listing with $expand, the beta approvals with steps, decisions,
// conflicts, the documented limits and the beta segment's removal.

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

var roleNow = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

// roleClock is the simulator's clock, moved by hand.
type roleClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *roleClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *roleClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newRoleEnv is a generated tenant with n role activations waiting for the
// demo identity (plus its own and an extension), and nothing else.
func newRoleEnv(t *testing.T, n int, opts ...func(*sim.Options)) (*simEnv, *roleClock) {
	clock := &roleClock{t: roleNow}
	o := sim.Options{Seed: 3, Approvals: -1, RoleApprovals: n, Clock: clock.now}
	for _, f := range opts {
		f(&o)
	}
	return newSimEnv(t, o), clock
}

func roleClient(e *simEnv, user string) *graph.Client {
	return e.client(user, func(o *graph.Options) { o.Sources = []graph.Source{graph.SourceRole} })
}

// special finds the demo identity's own request and the extension.
func special(t *testing.T, e *simEnv) (own, ext *sim.RoleRequest) {
	t.Helper()
	tn := e.sim.Tenant()
	for _, r := range tn.RoleRequests {
		switch {
		case r.PrincipalID == tn.Approvers[0]:
			own = r
		case r.Action == "selfExtend":
			ext = r
		}
	}
	if own == nil || ext == nil {
		t.Fatal("the generated tenant has no own request or no extension")
	}
	return own, ext
}

func find(t *testing.T, s *graph.Snapshot, id string) graph.Approval {
	t.Helper()
	for _, a := range s.Approvals {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("%s is not listed", id)
	return graph.Approval{}
}

func TestRoleListNormalizes(t *testing.T) {
	t.Parallel()
	e, _ := newRoleEnv(t, 6)
	demo := e.sim.Approvers()[0]
	c := roleClient(e, demo.UserPrincipalName)
	snap := refresh(t, c)
	if len(snap.Approvals) != 8 {
		t.Fatalf("%d approvals, want 6 + own + extension", len(snap.Approvals))
	}
	if st := snap.Sources[2]; st.Source != graph.SourceRole || st.State != graph.StateOK {
		t.Errorf("role source %+v", st)
	}
	tn := e.sim.Tenant()
	users := map[string]sim.User{}
	for _, u := range tn.Users {
		users[u.ID] = u
	}
	roles := map[string]string{}
	for _, r := range tn.Roles {
		roles[r.ID] = r.DisplayName
	}
	for _, r := range tn.RoleRequests {
		a := find(t, snap, r.ID)
		if a.Kind != graph.KindRole || a.Source != graph.SourceRole || a.RequestID != r.ID || a.RequestType != r.Action {
			t.Errorf("%s: %+v", r.ID, a)
		}
		if a.Resource.DisplayName != roles[r.RoleDefinitionID] || a.Resource.ID != r.RoleDefinitionID || a.Resource.ScopeID != r.DirectoryScopeID {
			t.Errorf("%s: resource %+v", r.ID, a.Resource)
		}
		if r.DirectoryScopeID == "/" && a.Resource.ScopeName != "Directory" ||
			r.DirectoryScopeID != "/" && (a.Resource.ScopeName == "" || strings.HasPrefix(a.Resource.ScopeName, "/")) {
			t.Errorf("%s: scope %q for %q", r.ID, a.Resource.ScopeName, r.DirectoryScopeID)
		}
		if a.Target.DisplayName != users[r.PrincipalID].DisplayName || a.Target.PrincipalName != users[r.PrincipalID].UserPrincipalName || a.Requestor != a.Target {
			t.Errorf("%s: target %+v requestor %+v", r.ID, a.Target, a.Requestor)
		}
		if a.TicketNumber != r.TicketNumber || a.Justification != r.Justification || a.Schedule.Duration != r.ScheduleInfo.Duration {
			t.Errorf("%s: ticket %q justification %q duration %q", r.ID, a.TicketNumber, a.Justification, a.Schedule.Duration)
		}
		st, _, mine := a.MyStage()
		if !mine || st.ID != r.Stages[0].ID || len(a.Stages) != 1 {
			t.Errorf("%s: stages %+v", r.ID, a.Stages)
		}
		if !a.Deadline.Equal(r.CreatedDateTime.Add(24*time.Hour)) || a.DeadlineEstimated {
			t.Errorf("%s: deadline %v (estimated %v), want exactly created + 24 h", r.ID, a.Deadline, a.DeadlineEstimated)
		}
		wantPortal := r.Action == "selfExtend"
		if (a.PortalOnly != "") != wantPortal || wantPortal && !strings.Contains(a.PortalOnly, "Privileged Identity Management") {
			t.Errorf("%s (%s): PortalOnly %q", r.ID, r.Action, a.PortalOnly)
		}
	}
}

// Cold: the listing page plus one beta $batch per 20 approvals; warm: the
// listing page only. No $expand fallback, no per-item GETs.
func TestRoleRequestCountsColdAndWarm(t *testing.T) {
	t.Parallel()
	e, _ := newRoleEnv(t, 43) // 45 listed
	demo := e.sim.Approvers()[0]
	c := roleClient(e, demo.UserPrincipalName)
	e.sim.ResetStats()
	cold := refresh(t, c)
	st := e.sim.Stats()
	if len(cold.Approvals) != 45 || cold.Requests != 1+3 || st.Requests != 4 || st.Op(sim.OpListRoleRequests) != 1 ||
		st.Op(sim.OpBatch) != 3 || st.Op(sim.OpGetRoleApproval) != 45 || st.Op(sim.OpGetRoleRequest) != 0 {
		t.Fatalf("cold: %d approvals, %d requests; stats %+v", len(cold.Approvals), cold.Requests, st)
	}
	e.sim.ResetStats()
	warm := refresh(t, c)
	if st := e.sim.Stats(); len(warm.Approvals) != 45 || warm.Requests != 1 || st.Requests != 1 {
		t.Fatalf("warm: %d approvals, %d requests; stats %+v", len(warm.Approvals), warm.Requests, st)
	}
}

func TestRoleShowApproveDeny(t *testing.T) {
	t.Parallel()
	e, _ := newRoleEnv(t, 4)
	demo := e.sim.Approvers()[0]
	c := roleClient(e, demo.UserPrincipalName)
	snap := refresh(t, c)
	var open []graph.Approval
	for _, a := range snap.Approvals {
		if a.PortalOnly == "" {
			open = append(open, a)
		}
	}
	// show: by role:<id> and by bare id, fresh from the service.
	for _, ref := range []graph.Ref{open[0].Ref, {ID: open[0].ID}} {
		got, err := c.Get(t.Context(), ref)
		if err != nil || got.Ref != open[0].Ref || got.Resource != open[0].Resource || got.Target != open[0].Target || len(got.Stages) != 1 {
			t.Fatalf("Get(%v) = %+v, %v", ref, got, err)
		}
	}
	if _, err := roleClient(e, demo.UserPrincipalName).Get(t.Context(), graph.Ref{ID: open[0].ID}); err != nil {
		t.Fatalf("a bare id nobody listed yet: %v", err)
	}
	for i, d := range []graph.Decision{graph.Approve, graph.Deny} {
		a := open[i]
		st, _, _ := a.MyStage()
		res := c.Decide(t.Context(), graph.DecisionRequest{Ref: a.Ref, StageID: st.ID, Decision: d, Justification: "Trusted user"})
		want := map[graph.Decision]graph.Outcome{graph.Approve: graph.OutcomeApproved, graph.Deny: graph.OutcomeDenied}[d]
		if res.Outcome != want || res.Attempts != 1 || res.Err != nil {
			t.Fatalf("%s: %+v", d, res)
		}
		ss, _ := e.sim.StageState(a.ID, st.ID)
		if ss.ReviewedBy != demo.ID || ss.PatchesApplied != 1 || ss.Justification != "Trusted user" ||
			ss.ReviewResult != map[graph.Decision]string{graph.Approve: sim.ResultApproved, graph.Deny: sim.ResultDenied}[d] {
			t.Fatalf("%s: stage %+v", d, ss)
		}
	}
	after := refresh(t, c)
	for _, a := range after.Approvals {
		if a.ID == open[0].ID || a.ID == open[1].ID {
			t.Errorf("%s still listed after the decision", a.Ref)
		}
	}
	stages, err := c.Stages(t.Context(), open[0].Ref)
	if err != nil || len(stages) != 1 || stages[0].Result != graph.Approved || stages[0].ReviewedBy.ID != demo.ID {
		t.Errorf("Stages = %+v, %v", stages, err)
	}
}

func TestRoleConflictOtherApproverFirst(t *testing.T) {
	t.Parallel()
	e, _ := newRoleEnv(t, 2)
	approvers := e.sim.Approvers()
	c := roleClient(e, approvers[0].UserPrincipalName)
	snap := refresh(t, c)
	a := snap.Approvals[0]
	for _, x := range snap.Approvals {
		if x.PortalOnly == "" {
			a = x
			break
		}
	}
	st, _, _ := a.MyStage()
	if err := e.sim.DecideAs(approvers[1].ID, a.ID, st.ID, "Deny", "not today"); err != nil {
		t.Fatal(err)
	}
	res := c.Decide(t.Context(), graph.DecisionRequest{Ref: a.Ref, StageID: st.ID, Decision: graph.Approve, Justification: "ok"})
	if res.Outcome != graph.OutcomeAlreadyDecided || res.DecidedBy.ID != approvers[1].ID || res.DecidedAs != graph.Denied || res.Attempts != 1 {
		t.Fatalf("%+v", res)
	}
	if ss, _ := e.sim.StageState(a.ID, st.ID); ss.PatchesApplied != 0 || ss.PatchAttempts != 1 || ss.ReviewedBy != approvers[1].ID {
		t.Fatalf("stage %+v", ss)
	}
}

// Own activation: refused before sending once the client knows who I am;
// a client that sends anyway gets the service's 400, nothing applied.
func TestRoleOwnRequestRefused(t *testing.T) {
	t.Parallel()
	e, _ := newRoleEnv(t, 2)
	demo := e.sim.Approvers()[0]
	own, _ := special(t, e)
	c := roleClient(e, demo.UserPrincipalName)
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatal(err)
	}
	a := find(t, refresh(t, c), own.ID)
	if !strings.Contains(a.PortalOnly, "your own activation") {
		t.Errorf("PortalOnly = %q", a.PortalOnly)
	}
	req := graph.DecisionRequest{Ref: a.Ref, StageID: own.Stages[0].ID, Decision: graph.Approve, Justification: "me"}
	res := c.Decide(t.Context(), req)
	if res.Outcome != graph.OutcomeFailed || res.Attempts != 0 || !errors.Is(res.Err, graph.ErrPortalOnly) {
		t.Fatalf("listed own request: %+v", res)
	}
	fresh := roleClient(e, demo.UserPrincipalName)
	res = fresh.Decide(t.Context(), req)
	if res.Outcome != graph.OutcomeFailed || res.Attempts != 1 || !errors.Is(res.Err, graph.ErrBadRequest) || !strings.Contains(res.Err.Error(), "own") {
		t.Fatalf("sent anyway: %+v", res)
	}
	if ss, _ := e.sim.StageState(own.ID, own.Stages[0].ID); ss.PatchesApplied != 0 || ss.PatchAttempts != 1 || ss.Status != sim.StatusInProgress {
		t.Fatalf("stage %+v", ss)
	}
}

func TestRoleExtendNotDecidable(t *testing.T) {
	t.Parallel()
	e, _ := newRoleEnv(t, 1)
	demo := e.sim.Approvers()[0]
	_, ext := special(t, e)
	c := roleClient(e, demo.UserPrincipalName)
	a := find(t, refresh(t, c), ext.ID)
	res := c.Decide(t.Context(), graph.DecisionRequest{Ref: a.Ref, StageID: ext.Stages[0].ID, Decision: graph.Approve, Justification: "ok"})
	if res.Outcome != graph.OutcomeFailed || res.Attempts != 0 || !errors.Is(res.Err, graph.ErrPortalOnly) ||
		!strings.Contains(res.Err.Error(), "selfExtend") || !strings.Contains(res.Err.Error(), "Approve requests") {
		t.Fatalf("%+v", res)
	}
	if ss, _ := e.sim.StageState(ext.ID, ext.Stages[0].ID); ss.PatchAttempts != 0 {
		t.Fatalf("a PATCH went out: %+v", ss)
	}
}

func TestRoleExpiresAfter24Hours(t *testing.T) {
	t.Parallel()
	e, clock := newRoleEnv(t, 5)
	demo := e.sim.Approvers()[0]
	c := roleClient(e, demo.UserPrincipalName)
	snap := refresh(t, c)
	a := snap.Approvals[0] // the oldest
	st, _, _ := a.MyStage()
	clock.add(a.Deadline.Sub(roleNow))
	res := c.Decide(t.Context(), graph.DecisionRequest{Ref: a.Ref, StageID: st.ID, Decision: graph.Approve, Justification: "late"})
	if res.Outcome == graph.OutcomeApproved || res.Attempts != 1 {
		t.Fatalf("past the window: %+v", res)
	}
	for _, x := range refresh(t, c).Approvals {
		if x.ID == a.ID {
			t.Fatal("an expired request is still listed")
		}
	}
}

// The beta segment gone: the requests are still listed, marked "decide in
// the portal" once, clearly, the source says so, nothing is sent, and no
// refresh tries the beta API again.
func TestRoleBetaRemoved(t *testing.T) {
	t.Parallel()
	e, _ := newRoleEnv(t, 3, func(o *sim.Options) { o.NoBetaRoleApprovals = true })
	demo := e.sim.Approvers()[0]
	c := roleClient(e, demo.UserPrincipalName)
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Errors) != 0 || len(snap.Approvals) != 5 {
		t.Fatalf("%v: %d approvals, errors %v", err, len(snap.Approvals), snap.Errors)
	}
	st := snap.Sources[2]
	if st.State != graph.StatePortalOnly || !strings.Contains(st.Fix, "Approve requests") {
		t.Errorf("role source %+v", st)
	}
	for _, a := range snap.Approvals {
		if !strings.Contains(a.PortalOnly, "no longer serves the beta") || a.Resource.DisplayName == "" || a.Problem != "" {
			t.Errorf("%s: PortalOnly %q, problem %q, resource %+v", a.Ref, a.PortalOnly, a.Problem, a.Resource)
		}
	}
	tn := e.sim.Tenant()
	r := tn.RoleRequests[0]
	res := c.Decide(t.Context(), graph.DecisionRequest{Ref: graph.Ref{Source: graph.SourceRole, ID: r.ID}, StageID: r.Stages[0].ID, Decision: graph.Approve, Justification: "x"})
	if res.Outcome != graph.OutcomeFailed || res.Attempts != 0 || !errors.Is(res.Err, graph.ErrPortalOnly) {
		t.Fatalf("decide: %+v", res)
	}
	e.sim.ResetStats()
	again := refresh(t, c)
	if s := e.sim.Stats(); again.Requests != 1 || s.Op(sim.OpBatch) != 0 || again.Sources[2].State != graph.StatePortalOnly || len(again.Approvals) != 5 {
		t.Fatalf("second refresh: %d requests, stats %+v, source %+v", again.Requests, s, again.Sources[2])
	}
	// A new client finds out on its own, from a fresh Get too.
	got, err := roleClient(e, demo.UserPrincipalName).Get(t.Context(), graph.Ref{Source: graph.SourceRole, ID: r.ID})
	if err != nil || got.PortalOnly == "" || got.Resource.DisplayName == "" {
		t.Fatalf("Get with the beta gone: %+v, %v", got, err)
	}
}

// The role source next to the others: a refused role listing (no
// permission) is that source's state; the others still list.
func TestRoleRefusedKeepsOthersWorking(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t, sim.Options{Seed: 1, Approvals: 5})
	demo := e.sim.Approvers()[0]
	e.sim.AddFault(sim.Fault{Kind: sim.FaultExpiredToken, Op: sim.OpListRoleRequests})
	c := e.client(demo.UserPrincipalName, func(o *graph.Options) { o.Sources = nil })
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Approvals) != 5 || len(snap.Errors) != 1 || snap.Errors[0].Source != graph.SourceRole {
		t.Fatalf("%v: %d approvals, errors %v", err, len(snap.Approvals), snap.Errors)
	}
	if st := snap.Sources[2]; st.State != graph.StateUnauthorized || !strings.Contains(st.Fix, "RoleAssignmentSchedule") {
		t.Errorf("role source %+v", st)
	}
}

// The beta segment goes away after the approvals were read: the first
// refusal (here a decision's) marks every role request "decide in the
// portal" at the next refresh, without asking beta again.
func TestRoleBetaRemovedLater(t *testing.T) {
	t.Parallel()
	e, _ := newRoleEnv(t, 3)
	demo := e.sim.Approvers()[0]
	c := roleClient(e, demo.UserPrincipalName)
	first := refresh(t, c)
	a := first.Approvals[0]
	for _, x := range first.Approvals {
		if x.PortalOnly == "" {
			a = x
			break
		}
	}
	st, _, _ := a.MyStage()
	e.sim.SetBetaRoleApprovals(false)
	res := c.Decide(t.Context(), graph.DecisionRequest{Ref: a.Ref, StageID: st.ID, Decision: graph.Approve, Justification: "x"})
	if res.Outcome != graph.OutcomeFailed || res.Attempts != 1 || !errors.Is(res.Err, graph.ErrBadRequest) {
		t.Fatalf("decide: %+v", res)
	}
	e.sim.ResetStats()
	snap := refresh(t, c)
	if s := e.sim.Stats(); snap.Requests != 1 || s.Op(sim.OpBatch) != 0 || snap.Sources[2].State != graph.StatePortalOnly {
		t.Fatalf("%d requests, stats %+v, source %+v", snap.Requests, s, snap.Sources[2])
	}
	for _, x := range snap.Approvals {
		if !strings.Contains(x.PortalOnly, "no longer serves the beta") || len(x.Stages) != 0 && x.Stages[0].ID == "" {
			t.Errorf("%s: PortalOnly %q", x.Ref, x.PortalOnly)
		}
	}
}
