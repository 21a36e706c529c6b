package graph_test

// End-to-end tests: the client against the simulated tenant (graph/sim)
// served on loopback. The simulator has its own JSON shapes written from
// the docs, so these check that both sides read the contract alike.

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

// simEnv is a simulator on loopback plus clients for its people.
type simEnv struct {
	t   testing.TB
	sim *sim.Server
	srv *httptest.Server
}

func newSimEnv(t testing.TB, opts sim.Options) *simEnv {
	t.Helper()
	s := sim.New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); srv.Close() })
	return &simEnv{t: t, sim: s, srv: srv}
}

// client signs in as user (the simulator's bearer token is the user id or
// principal name).
func (e *simEnv) client(user string, mod ...func(*graph.Options)) *graph.Client {
	e.t.Helper()
	o := graph.Options{
		GraphURL:       e.srv.URL,
		Credential:     graph.StaticToken(user),
		RequestTimeout: 5 * time.Second,
		RetryDelay:     10 * time.Millisecond,
		MaxRetryDelay:  5 * time.Second,
		// These tests measure the Graph v1.0 pair (and Azure, which costs
		// nothing without an ARM URL); the role tests add role.
		Sources: []graph.Source{graph.SourceAccessPackage, graph.SourceGroup, graph.SourceAzure},
	}
	for _, m := range mod {
		m(&o)
	}
	c, err := graph.New(o)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *simEnv) demo() (sim.User, *graph.Client) {
	u := e.sim.Approvers()[0]
	return u, e.client(u.UserPrincipalName)
}

func refresh(t testing.TB, c *graph.Client) *graph.Snapshot {
	t.Helper()
	snap, err := c.Refresh(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Errors) != 0 {
		t.Fatalf("source errors: %v", snap.Errors)
	}
	return snap
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func TestSimRefreshListsBothSourcesColdThenWarm(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t, sim.Options{Seed: 7, Approvals: 45})
	me, c := e.demo()
	snap := refresh(t, c)
	n := len(snap.Approvals)
	if n == 0 || n != e.sim.Waiting(me.ID) {
		t.Fatalf("%d approvals, the simulator says %d wait for %s", n, e.sim.Waiting(me.ID), me.UserPrincipalName)
	}
	kinds := map[graph.Source]int{}
	for _, a := range snap.Approvals {
		kinds[a.Source]++
		if a.Problem != "" || len(a.Stages) == 0 {
			t.Fatalf("%s: problem %q, %d stages", a.Ref, a.Problem, len(a.Stages))
		}
		if _, _, ok := a.MyStage(); !ok {
			t.Fatalf("%s is listed but no stage is mine: %+v", a.Ref, a.Stages)
		}
		if a.Requestor.DisplayName == "" || a.Resource.DisplayName == "" || a.Created.IsZero() || !a.DeadlineEstimated {
			t.Fatalf("%s is missing context: %+v", a.Ref, a)
		}
		if a.Source == graph.SourceAccessPackage && a.Resource.CatalogName == "" {
			t.Fatalf("%s: no catalog (nested $expand)", a.Ref)
		}
	}
	if kinds[graph.SourceAccessPackage] == 0 || kinds[graph.SourceGroup] == 0 {
		t.Fatalf("want both sources, got %v", kinds)
	}
	st := e.sim.Stats()
	pages := int(st.Op(sim.OpListAccessPackageRequests) + st.Op(sim.OpListGroupRequests))
	if pages != 2 || st.Op(sim.OpBatch) != int64(ceilDiv(n, 20)) || snap.Requests != pages+ceilDiv(n, 20) {
		t.Fatalf("cold refresh of %d: %d requests, %d pages, %d batches; stats %+v", n, snap.Requests, pages, st.Op(sim.OpBatch), st)
	}
	if int(st.Requests) != snap.Requests {
		t.Fatalf("the simulator saw %d requests, the client counted %d", st.Requests, snap.Requests)
	}

	e.sim.ResetStats()
	warm := refresh(t, c)
	st = e.sim.Stats()
	if warm.Requests != 2 || st.Requests != 2 || st.Op(sim.OpBatch) != 0 || st.Op(sim.OpGetApproval) != 0 {
		t.Fatalf("warm refresh: %d requests; stats %+v", warm.Requests, st)
	}
	if len(warm.Approvals) != n {
		t.Fatalf("warm refresh lists %d, cold %d", len(warm.Approvals), n)
	}
}

func TestSimPagingAcrossThreePages(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t, sim.Options{Seed: 3, Approvals: 40, PageSize: 6})
	me, c := e.demo()
	snap := refresh(t, c)
	st := e.sim.Stats()
	em, grp := st.Op(sim.OpListAccessPackageRequests), st.Op(sim.OpListGroupRequests)
	if em < 3 && grp < 3 {
		t.Fatalf("pages: %d EM, %d group; want one source across at least 3", em, grp)
	}
	if len(snap.Approvals) != e.sim.Waiting(me.ID) {
		t.Fatalf("%d approvals, want %d", len(snap.Approvals), e.sim.Waiting(me.ID))
	}
	seen := map[graph.Ref]bool{}
	for _, a := range snap.Approvals {
		if seen[a.Ref] {
			t.Fatalf("%s listed twice", a.Ref)
		}
		seen[a.Ref] = true
	}
	perSource := map[graph.Source]int{}
	for _, a := range snap.Approvals {
		perSource[a.Source]++
	}
	if snap.Requests != int(em+grp)+ceilDiv(perSource[graph.SourceAccessPackage], 20)+ceilDiv(perSource[graph.SourceGroup], 20) {
		t.Fatalf("%d requests for %d+%d pages and %d approvals", snap.Requests, em, grp, len(snap.Approvals))
	}
}

func TestSimPageCapWarns(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t, sim.Options{Seed: 5, Approvals: 130, Faults: []sim.Fault{{Kind: sim.FaultPageCap, Op: sim.OpListAccessPackageRequests}}})
	_, c := e.demo()
	snap := refresh(t, c)
	if len(snap.Warnings) == 0 || !strings.Contains(strings.Join(snap.Warnings, " "), "capped") {
		t.Fatalf("warnings %v", snap.Warnings)
	}
}

// --- a small hand-made tenant for decisions -------------------------------

const (
	megan  = "u-megan"
	adele  = "u-adele"
	bob    = "u-bob"
	nobody = "u-nobody"
)

// Requests in the small tenant, by id.
const (
	reqSimple   = "r-simple"   // EM, one stage: megan or adele
	reqSimple2  = "r-simple-2" // EM, one stage: megan or adele
	reqTwoStage = "r-two"      // EM, stage 1 megan, stage 2 adele
	reqJustify  = "r-justify"  // EM, one stage: megan, justification required
	reqCancel   = "r-cancel"   // EM, one stage: megan
	reqGroup    = "g-req-1"    // PIM for Groups, megan
)

func smallTenant(now time.Time) *sim.Tenant {
	users := []sim.User{
		{ID: megan, DisplayName: "Megan Bowen", UserPrincipalName: "megan@contoso.com"},
		{ID: adele, DisplayName: "Adele Vance", UserPrincipalName: "adele@contoso.com"},
		{ID: bob, DisplayName: "Bob Requestor", UserPrincipalName: "bob@contoso.com"},
		{ID: nobody, DisplayName: "No Body", UserPrincipalName: "nobody@contoso.com"},
	}
	both := []string{megan, adele}
	pkg := sim.AccessPackage{ID: "ap-1", CatalogID: "cat-1", DisplayName: "Sales", CreatedDateTime: now, ModifiedDateTime: now,
		Policy: sim.Policy{Stages: []sim.StagePolicy{{Approvers: both}}}}
	stage := func(id string, approvers []string, status string, required bool) sim.Stage {
		s := sim.Stage{ID: id, Approvers: approvers, Status: status, ReviewResult: sim.ResultNotReviewed, JustificationRequired: required}
		if status == sim.StatusInProgress {
			s.StartedDateTime = now.Add(-time.Hour)
		}
		return s
	}
	em := func(id string, stages ...sim.Stage) *sim.AccessPackageRequest {
		return &sim.AccessPackageRequest{ID: id, AccessPackageID: "ap-1", RequestorID: bob, TargetID: bob, AssignmentID: "as-" + id,
			RequestType: "userAdd", State: sim.StatePendingApproval, Status: "PendingApproval", Justification: "need it",
			CreatedDateTime: now.Add(-time.Hour), Schedule: sim.Schedule{ExpirationType: "noExpiration"}, Stages: stages}
	}
	return &sim.Tenant{
		Version:        sim.TenantVersion,
		Approvers:      []string{megan, adele},
		Users:          users,
		Catalogs:       []sim.Catalog{{ID: "cat-1", DisplayName: "General", CatalogType: "userManaged", State: "published", CreatedDateTime: now, ModifiedDateTime: now}},
		AccessPackages: []sim.AccessPackage{pkg},
		Groups: []sim.Group{{ID: "grp-1", DisplayName: "Break glass", Mail: "bg@contoso.com",
			MemberPolicy: sim.Policy{Stages: []sim.StagePolicy{{Approvers: []string{megan}}}},
			OwnerPolicy:  sim.Policy{Stages: []sim.StagePolicy{{Approvers: []string{megan}}}}}},
		AccessPackageRequests: []*sim.AccessPackageRequest{
			em(reqSimple, stage("s-simple", both, sim.StatusInProgress, false)),
			em(reqSimple2, stage("s-simple-2", both, sim.StatusInProgress, false)),
			em(reqTwoStage, stage("s-two-1", []string{megan}, sim.StatusInProgress, false), stage("s-two-2", []string{adele}, sim.StatusInitializing, false)),
			em(reqJustify, stage("s-justify", []string{megan}, sim.StatusInProgress, true)),
			em(reqCancel, stage("s-cancel", []string{megan}, sim.StatusInProgress, false)),
		},
		GroupRequests: []*sim.GroupRequest{{
			ID: reqGroup, GroupID: "grp-1", PrincipalID: bob, CreatedByID: bob, AccessID: "member", Action: "selfActivate",
			Status: sim.PIMPendingApproval, Justification: "incident 42", CreatedDateTime: now.Add(-time.Hour),
			ScheduleInfo: sim.Schedule{StartDateTime: now, ExpirationType: "afterDuration", Duration: "PT8H"}, TicketNumber: "INC42",
			Stages: []sim.Stage{stage(reqGroup, []string{megan}, sim.StatusInProgress, false)},
		}},
	}
}

func newSmallEnv(t *testing.T, faults ...sim.Fault) *simEnv {
	t.Helper()
	tenant := smallTenant(time.Now().UTC())
	if err := tenant.Validate(); err != nil {
		t.Fatalf("test tenant: %v", err)
	}
	return newSimEnv(t, sim.Options{Seed: 1, Tenant: tenant, Faults: faults})
}

func decision(src graph.Source, id, stage string, d graph.Decision, why string) graph.DecisionRequest {
	return graph.DecisionRequest{Ref: graph.Ref{Source: src, ID: id}, StageID: stage, Decision: d, Justification: why}
}

func TestSimSmallTenantNormalizes(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t)
	snap := refresh(t, e.client("megan@contoso.com"))
	byID := map[string]graph.Approval{}
	for _, a := range snap.Approvals {
		byID[a.ID] = a
	}
	if len(byID) != 6 {
		t.Fatalf("megan sees %d approvals: %v", len(byID), snap.Approvals)
	}
	g := byID[reqGroup]
	if g.Source != graph.SourceGroup || g.Kind != graph.KindGroupMember || g.Target.DisplayName != "Bob Requestor" ||
		g.Resource.DisplayName != "Break glass" || g.TicketNumber != "INC42" || g.Schedule.Duration != "PT8H" ||
		len(g.Stages) != 1 || g.Stages[0].ID != reqGroup {
		t.Fatalf("group approval %+v", g)
	}
	two := byID[reqTwoStage]
	if len(two.Stages) != 2 || !two.Stages[0].Mine() || two.Stages[1].Status != graph.StageInitializing {
		t.Fatalf("two-stage approval %+v", two.Stages)
	}
	if em := byID[reqSimple]; em.Resource.CatalogName != "General" || em.Requestor.PrincipalName == "" || em.Justification != "need it" {
		t.Fatalf("EM approval %+v", em)
	}
	adeleSees := refresh(t, e.client(adele))
	if len(adeleSees.Approvals) != 2 {
		t.Fatalf("adele sees %d approvals, want the two shared ones", len(adeleSees.Approvals))
	}
}

func TestSimApproveAndDeny(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t)
	c := e.client("megan@contoso.com")
	refresh(t, c)
	res := c.Decide(t.Context(), decision(graph.SourceAccessPackage, reqSimple, "s-simple", graph.Approve, "ok by me"))
	if res.Outcome != graph.OutcomeApproved || res.Attempts != 1 || res.Err != nil {
		t.Fatalf("%+v", res)
	}
	st, _ := e.sim.StageState(reqSimple, "s-simple")
	if st.ReviewResult != sim.ResultApproved || st.ReviewedBy != megan || st.Justification != "ok by me" || st.PatchesApplied != 1 {
		t.Fatalf("stage %+v", st)
	}
	res = c.Decide(t.Context(), decision(graph.SourceGroup, reqGroup, reqGroup, graph.Deny, "not during the freeze"))
	if res.Outcome != graph.OutcomeDenied || res.Attempts != 1 {
		t.Fatalf("%+v", res)
	}
	st, _ = e.sim.StageState(reqGroup, reqGroup)
	if st.ReviewResult != sim.ResultDenied || st.ReviewedBy != megan {
		t.Fatalf("stage %+v", st)
	}
	snap := refresh(t, c)
	for _, a := range snap.Approvals {
		if a.ID == reqSimple || a.ID == reqGroup {
			t.Fatalf("%s still listed after the decision", a.Ref)
		}
	}
	// A fresh read shows the decision with who and why.
	a, err := c.Get(t.Context(), graph.Ref{Source: graph.SourceAccessPackage, ID: reqSimple})
	if err != nil || a.Stages[0].Result != graph.Approved || a.Stages[0].ReviewedBy.ID != megan || a.Stages[0].Justification != "ok by me" {
		t.Fatalf("%+v, %v", a, err)
	}
}

func TestSimMultiStageAdvances(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t)
	m, a := e.client("megan@contoso.com"), e.client("adele@contoso.com")
	if res := m.Decide(t.Context(), decision(graph.SourceAccessPackage, reqTwoStage, "s-two-1", graph.Approve, "stage one fine")); res.Outcome != graph.OutcomeApproved {
		t.Fatalf("%+v", res)
	}
	st, _ := e.sim.StageState(reqTwoStage, "s-two-2")
	if st.Status != sim.StatusInProgress {
		t.Fatalf("stage 2 %+v", st)
	}
	snap := refresh(t, a)
	var found graph.Approval
	for _, x := range snap.Approvals {
		if x.ID == reqTwoStage {
			found = x
		}
	}
	s, i, ok := found.MyStage()
	if !ok || i != 1 || s.ID != "s-two-2" || found.Stages[0].Result != graph.Approved || found.Stages[0].ReviewedBy.ID != megan {
		t.Fatalf("adele's view %+v", found)
	}
	if !found.Deadline.Equal(found.Stages[0].ReviewedAt.Add(14 * 24 * time.Hour)) {
		t.Fatalf("stage 2 deadline %v, stage 1 reviewed %v", found.Deadline, found.Stages[0].ReviewedAt)
	}
	if res := a.Decide(t.Context(), decision(graph.SourceAccessPackage, reqTwoStage, "s-two-2", graph.Approve, "stage two fine")); res.Outcome != graph.OutcomeApproved {
		t.Fatalf("%+v", res)
	}
	got, err := m.Get(t.Context(), graph.Ref{Source: graph.SourceAccessPackage, ID: reqTwoStage})
	if err != nil || got.RequestState == "pendingApproval" || got.CurrentStage() != 1 || got.Stages[1].Result != graph.Approved {
		t.Fatalf("after both stages: %+v, %v", got, err)
	}
}

func TestSimTwoApproversRace(t *testing.T) {
	t.Parallel()
	for round := range 5 {
		e := newSmallEnv(t)
		m, a := e.client("megan@contoso.com"), e.client(adele)
		var wg sync.WaitGroup
		var rm, ra graph.DecisionResult
		wg.Add(2)
		go func() {
			defer wg.Done()
			rm = m.Decide(t.Context(), decision(graph.SourceAccessPackage, reqSimple, "s-simple", graph.Approve, "megan"))
		}()
		go func() {
			defer wg.Done()
			ra = a.Decide(t.Context(), decision(graph.SourceAccessPackage, reqSimple, "s-simple", graph.Deny, "adele"))
		}()
		wg.Wait()
		win, lose, winner := rm, ra, megan
		if ra.Outcome.Applied() {
			win, lose, winner = ra, rm, adele
		}
		if !win.Outcome.Applied() || lose.Outcome != graph.OutcomeAlreadyDecided || lose.DecidedBy.ID != winner {
			t.Fatalf("round %d: megan %+v, adele %+v", round, rm, ra)
		}
		if lose.DecidedBy.DisplayName == "" || lose.DecidedAs != map[string]graph.ReviewResult{megan: graph.Approved, adele: graph.Denied}[winner] {
			t.Fatalf("round %d: loser told %+v", round, lose)
		}
		st, _ := e.sim.StageState(reqSimple, "s-simple")
		if st.PatchesApplied != 1 || st.ReviewedBy != winner {
			t.Fatalf("round %d: stage %+v", round, st)
		}
	}
}

func TestSimGoneAfterCancel(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t)
	c := e.client("megan@contoso.com")
	refresh(t, c)
	if err := e.sim.Cancel(reqCancel); err != nil {
		t.Fatal(err)
	}
	res := c.Decide(t.Context(), decision(graph.SourceAccessPackage, reqCancel, "s-cancel", graph.Approve, "late"))
	if res.Outcome != graph.OutcomeGone || !errors.Is(res.Err, graph.ErrNotFound) || res.Attempts != 1 {
		t.Fatalf("%+v", res)
	}
	for _, a := range refresh(t, c).Approvals {
		if a.ID == reqCancel {
			t.Fatal("a cancelled request is still listed")
		}
	}
}

func TestSimForbiddenForNonApprover(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t)
	c := e.client("nobody@contoso.com")
	if snap := refresh(t, c); len(snap.Approvals) != 0 {
		t.Fatalf("a non-approver sees %d approvals", len(snap.Approvals))
	}
	res := c.Decide(t.Context(), decision(graph.SourceAccessPackage, reqSimple, "s-simple", graph.Approve, "sneaky"))
	if res.Outcome != graph.OutcomeFailed || !errors.Is(res.Err, graph.ErrForbidden) {
		t.Fatalf("%+v", res)
	}
	if st, _ := e.sim.StageState(reqSimple, "s-simple"); st.ReviewResult != sim.ResultNotReviewed {
		t.Fatalf("stage %+v", st)
	}
}

func TestSimUnknownTokenIsUnauthorized(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t)
	c := e.client("who@nowhere.test")
	_, err := c.Refresh(t.Context())
	if !errors.Is(err, graph.ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "who@nowhere.test") {
		t.Fatalf("the token shows in the error: %v", err)
	}
}

func TestSimJustificationRequired(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t)
	c := e.client("megan@contoso.com")
	res := c.Decide(t.Context(), decision(graph.SourceAccessPackage, reqJustify, "s-justify", graph.Approve, ""))
	var ge *graph.Error
	if res.Outcome != graph.OutcomeFailed || !errors.Is(res.Err, graph.ErrBadRequest) || !errors.As(res.Err, &ge) || ge.Message == "" {
		t.Fatalf("%+v", res)
	}
	res = c.Decide(t.Context(), decision(graph.SourceAccessPackage, reqJustify, "s-justify", graph.Approve, "reviewed the ticket"))
	if res.Outcome != graph.OutcomeApproved {
		t.Fatalf("%+v", res)
	}
}

func TestSimThrottledPatchHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t, sim.Fault{Kind: sim.FaultThrottle, Op: sim.OpPatchStage, Count: 1, RetryAfter: "0.3"})
	c := e.client("megan@contoso.com")
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := c.Decide(t.Context(), decision(graph.SourceAccessPackage, reqSimple, "s-simple", graph.Approve, "ok"))
	took := time.Since(start)
	st, _ := e.sim.StageState(reqSimple, "s-simple")
	if res.Outcome != graph.OutcomeApproved || st.PatchAttempts != 2 || st.PatchesApplied != 1 {
		t.Fatalf("%+v; stage %+v", res, st)
	}
	if took < 300*time.Millisecond || took > 3*time.Second {
		t.Fatalf("took %v, want about the 0.3s Retry-After", took)
	}
}

func TestSimResetAfterApplyIsSuccessWithoutSecondPatch(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t, sim.Fault{Kind: sim.FaultResetAfter, Op: sim.OpPatchStage, Count: 1})
	c := e.client("megan@contoso.com")
	res := c.Decide(t.Context(), decision(graph.SourceAccessPackage, reqSimple, "s-simple", graph.Approve, "ok"))
	st, _ := e.sim.StageState(reqSimple, "s-simple")
	if res.Outcome != graph.OutcomeApproved || res.Attempts != 1 || st.PatchesApplied != 1 || st.PatchAttempts != 1 {
		t.Fatalf("%+v; stage %+v", res, st)
	}
}

func TestSimResetBeforeApplyRetriesOnce(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t, sim.Fault{Kind: sim.FaultResetBefore, Op: sim.OpPatchStage, Count: 1})
	c := e.client("megan@contoso.com")
	res := c.Decide(t.Context(), decision(graph.SourceAccessPackage, reqSimple, "s-simple", graph.Deny, "no"))
	st, _ := e.sim.StageState(reqSimple, "s-simple")
	if res.Outcome != graph.OutcomeDenied || res.Attempts != 2 || st.PatchesApplied != 1 || st.PatchAttempts != 2 {
		t.Fatalf("%+v; stage %+v", res, st)
	}
}

func TestSimUnavailableBurstsAndBatchThrottling(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t, sim.Options{Seed: 11, Approvals: 30, Faults: []sim.Fault{
		{Kind: sim.FaultUnavailable, Op: sim.OpListGroupRequests, Count: 2, RetryAfter: "0.05"},
		{Kind: sim.FaultBatchThrottle, Op: sim.OpGetApproval, InBatch: true, Count: 5, RetryAfter: "0.1"},
	}})
	me, c := e.demo()
	snap := refresh(t, c)
	if len(snap.Approvals) != e.sim.Waiting(me.ID) {
		t.Fatalf("%d approvals, want %d", len(snap.Approvals), e.sim.Waiting(me.ID))
	}
	for _, a := range snap.Approvals {
		if a.Problem != "" || len(a.Stages) == 0 {
			t.Fatalf("%s: %q", a.Ref, a.Problem)
		}
	}
	if e.sim.Stats().Faulted < 7 {
		t.Fatalf("faults did not fire: %+v", e.sim.Stats())
	}
}

func TestSimDecideManyReportsEveryOutcome(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t)
	c := e.client("megan@contoso.com")
	if err := e.sim.DecideAs(adele, reqSimple2, "s-simple-2", "Deny", "adele was first"); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.Cancel(reqCancel); err != nil {
		t.Fatal(err)
	}
	reqs := []graph.DecisionRequest{
		decision(graph.SourceAccessPackage, reqSimple, "s-simple", graph.Approve, "bulk"),
		decision(graph.SourceAccessPackage, reqSimple2, "s-simple-2", graph.Approve, "bulk"),
		decision(graph.SourceAccessPackage, reqCancel, "s-cancel", graph.Approve, "bulk"),
		decision(graph.SourceAccessPackage, reqJustify, "s-justify", graph.Approve, "bulk"),
		decision(graph.SourceGroup, reqGroup, reqGroup, graph.Approve, "bulk"),
	}
	var mu sync.Mutex
	progressed := 0
	results := c.DecideMany(t.Context(), reqs, func(graph.DecisionResult) { mu.Lock(); progressed++; mu.Unlock() })
	want := []graph.Outcome{graph.OutcomeApproved, graph.OutcomeAlreadyDecided, graph.OutcomeGone, graph.OutcomeApproved, graph.OutcomeApproved}
	for i, r := range results {
		if r.Outcome != want[i] || r.Request != reqs[i] {
			t.Fatalf("result %d: %+v, want %s", i, r, want[i])
		}
	}
	if results[1].DecidedBy.ID != adele || results[1].DecidedAs != graph.Denied || progressed != len(reqs) {
		t.Fatalf("%+v, %d progress calls", results[1], progressed)
	}
}

func TestSimStagesAndMe(t *testing.T) {
	t.Parallel()
	e := newSmallEnv(t)
	c := e.client("megan@contoso.com")
	me, err := c.Me(t.Context())
	if err != nil || me.ID != megan || me.DisplayName != "Megan Bowen" {
		t.Fatalf("%+v, %v", me, err)
	}
	stages, err := c.Stages(t.Context(), graph.Ref{Source: graph.SourceAccessPackage, ID: reqTwoStage})
	if err != nil || len(stages) != 2 || stages[1].ID != "s-two-2" {
		t.Fatalf("%+v, %v", stages, err)
	}
	_, err = c.Get(t.Context(), graph.Ref{Source: graph.SourceAccessPackage, ID: "no-such"})
	if !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if res := c.Decide(ctx, decision(graph.SourceAccessPackage, reqSimple, "s-simple", graph.Approve, "x")); res.Outcome != graph.OutcomeCancelled {
		t.Fatalf("%+v", res)
	}
}

func TestSimMalformedAndExpiredToken(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t, sim.Options{Seed: 13, Approvals: 10, Faults: []sim.Fault{
		{Kind: sim.FaultMalformed, Op: sim.OpListGroupRequests, Count: 1},
	}})
	me, c := e.demo()
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Errors) != 1 || snap.Errors[0].Source != graph.SourceGroup {
		t.Fatalf("%v, %+v", err, snap)
	}
	if len(snap.Approvals) == 0 {
		t.Fatal("the other source's approvals must still come back")
	}
	e.sim.AddFault(sim.Fault{Kind: sim.FaultExpiredToken})
	_, err = c.Refresh(t.Context())
	if !errors.Is(err, graph.ErrUnauthorized) || strings.Contains(err.Error(), me.UserPrincipalName) {
		t.Fatalf("err = %v", err)
	}
}

// Refresh, Get, Decide and Forget from many goroutines at once (run with
// -race): every decision lands exactly once and the inbox ends empty.
func TestSimConcurrentUse(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t, sim.Options{Seed: 21, Approvals: 30})
	me, c := e.demo()
	snap := refresh(t, c)
	var reqs []graph.DecisionRequest
	for _, a := range snap.Approvals {
		s, _, _ := a.MyStage()
		reqs = append(reqs, graph.DecisionRequest{Ref: a.Ref, StageID: s.ID, Decision: graph.Deny, Justification: "cleanup"})
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := c.Refresh(t.Context()); err != nil {
					t.Error(err)
					return
				}
				_, _ = c.Get(t.Context(), reqs[0].Ref)
			}
		}()
	}
	results := c.DecideMany(t.Context(), reqs, nil)
	close(done)
	wg.Wait()
	for _, r := range results {
		st, _ := e.sim.StageState(r.Request.Ref.ID, r.Request.StageID)
		if r.Outcome != graph.OutcomeDenied || st.PatchesApplied != 1 || st.ReviewedBy != me.ID {
			t.Fatalf("%+v; stage %+v", r, st)
		}
	}
	if left := refresh(t, c); len(left.Approvals) != e.sim.Waiting(me.ID) {
		t.Fatalf("%d approvals left, the simulator says %d", len(left.Approvals), e.sim.Waiting(me.ID))
	}
}
