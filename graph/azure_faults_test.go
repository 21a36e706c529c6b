package graph_test

import (
	"context"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

// The fault classes of the simulator, aimed at the Azure Resource Manager
// operations: a decision is never lost (it lands, or the result says it
// did not and the stage is still open) and never applied twice; a listing
// fault costs only the Azure source (or nothing, once retried), never the
// Graph sources.

func TestAzureDecisionFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault sim.Fault
		short bool // a short per-try timeout (hang)
		want  []graph.Outcome
	}{
		{"reset-after: applied, reply lost", sim.Fault{Kind: sim.FaultResetAfter, Count: 1}, false, []graph.Outcome{graph.OutcomeApproved}},
		{"reset-before: not applied, sent again", sim.Fault{Kind: sim.FaultResetBefore, Count: 1}, false, []graph.Outcome{graph.OutcomeApproved}},
		{"503 once", sim.Fault{Kind: sim.FaultUnavailable, Count: 1}, false, []graph.Outcome{graph.OutcomeApproved}},
		{"503 always", sim.Fault{Kind: sim.FaultUnavailable}, false, []graph.Outcome{graph.OutcomeFailed}},
		{"504 once", sim.Fault{Kind: sim.FaultUnavailable, Status: 504, Count: 1}, false, []graph.Outcome{graph.OutcomeApproved}},
		{"429 twice", sim.Fault{Kind: sim.FaultThrottle, Count: 2, RetryAfter: "0.01"}, false, []graph.Outcome{graph.OutcomeApproved}},
		{"malformed reply", sim.Fault{Kind: sim.FaultMalformed, Count: 1}, false, []graph.Outcome{graph.OutcomeApproved}},
		{"hang once", sim.Fault{Kind: sim.FaultHang, Count: 1}, true, []graph.Outcome{graph.OutcomeApproved}},
		{"latency", sim.Fault{Kind: sim.FaultLatency, Delay: 20 * time.Millisecond}, false, []graph.Outcome{graph.OutcomeApproved}},
		{"expired token", sim.Fault{Kind: sim.FaultExpiredToken, Count: 1}, false, []graph.Outcome{graph.OutcomeFailed}},
		{"claims challenge", sim.Fault{Kind: sim.FaultClaimsChallenge, Count: 1}, false, []graph.Outcome{graph.OutcomeApproved, graph.OutcomeFailed}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, u, _ := azureEnv(t, sim.Options{})
			var mod []func(*graph.Options)
			if tc.short {
				mod = append(mod, func(o *graph.Options) {
					o.RequestTimeout = 300 * time.Millisecond
					o.MaxRetryDelay = 50 * time.Millisecond
				})
			}
			c := e.azureClient(u.UserPrincipalName, mod...)
			ctx := context.Background()
			snap, err := c.Refresh(ctx)
			if err != nil {
				t.Fatal(err)
			}
			owner := findAzure(t, snap, "Owner")
			st, _, _ := owner.MyStage()
			f := tc.fault
			f.Op = sim.OpPatchAzureStage
			e.sim.AddFault(f)
			res := c.Decide(ctx, graph.DecisionRequest{Ref: owner.Ref, StageID: st.ID, Decision: graph.Approve, Justification: "ok"})
			e.sim.ClearFaults()
			ok := false
			for _, w := range tc.want {
				ok = ok || res.Outcome == w
			}
			if !ok {
				t.Fatalf("outcome %s (%v), want one of %v", res.Outcome, res.Err, tc.want)
			}
			ss, _ := e.sim.StageState(owner.ID, st.ID)
			if ss.PatchesApplied > 1 || res.Attempts > 2 {
				t.Fatalf("applied %d times, %d PATCHes", ss.PatchesApplied, res.Attempts)
			}
			if applied := ss.ReviewResult == sim.ResultApproved; applied != res.Outcome.Applied() {
				t.Fatalf("outcome %s but the stage reads %s (%+v)", res.Outcome, ss.ReviewResult, ss)
			}
		})
	}
}

func TestAzureListingFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		fault    sim.Fault
		azureOK  bool // the Azure source is listed in full
		azureErr bool // the Azure source is reported failed
	}{
		{"429 once", sim.Fault{Kind: sim.FaultThrottle, Count: 1, RetryAfter: "0.01"}, true, false},
		{"503 once", sim.Fault{Kind: sim.FaultUnavailable, Count: 1}, true, false},
		{"503 always", sim.Fault{Kind: sim.FaultUnavailable}, false, true},
		{"empty page", sim.Fault{Kind: sim.FaultEmptyPage, Count: 1}, true, false},
		{"page cap", sim.Fault{Kind: sim.FaultPageCap}, true, false},
		{"malformed", sim.Fault{Kind: sim.FaultMalformed}, false, true},
		{"reset before", sim.Fault{Kind: sim.FaultResetBefore, Count: 1}, true, false},
	} {
		for _, op := range []sim.Operation{sim.OpListAzureApprovals, sim.OpListAzureRequests} {
			t.Run(tc.name+"/"+string(op), func(t *testing.T) {
				e, _, c := azureEnv(t, sim.Options{})
				f := tc.fault
				f.Op = op
				e.sim.AddFault(f)
				snap, err := c.Refresh(context.Background())
				if err != nil {
					t.Fatalf("refresh: %v", err)
				}
				graphListed := len(snap.Approvals) - len(azureOnly(snap.Approvals))
				if graphListed != 3 {
					t.Fatalf("Graph approvals %d, want 3", graphListed)
				}
				failed := len(snap.Errors) == 1 && snap.Errors[0].Source == graph.SourceAzure
				switch {
				case tc.azureErr && op == sim.OpListAzureApprovals && !failed:
					t.Fatalf("want the Azure source failed, got %v", snap.Errors)
				case tc.azureOK && (len(azureOnly(snap.Approvals)) != 2 || len(snap.Errors) != 0):
					t.Fatalf("want both Azure approvals, got %d (%v)", len(azureOnly(snap.Approvals)), snap.Errors)
				}
				if op == sim.OpListAzureRequests && tc.azureErr {
					// The context could not be read: the approvals are still
					// listed, each saying what is missing.
					for _, a := range azureOnly(snap.Approvals) {
						if a.Problem == "" {
							t.Errorf("%v: no problem said", a.Ref)
						}
					}
					if len(azureOnly(snap.Approvals)) != 2 {
						t.Fatalf("Azure approvals %d", len(azureOnly(snap.Approvals)))
					}
				}
				// Once the fault is gone, everything is back.
				e.sim.ClearFaults()
				snap, err = c.Refresh(context.Background())
				if err != nil || len(snap.Errors) != 0 || len(azureOnly(snap.Approvals)) != 2 {
					t.Fatalf("after: %v %v %d", err, snap.Errors, len(azureOnly(snap.Approvals)))
				}
				for _, a := range azureOnly(snap.Approvals) {
					if a.Problem != "" || a.Resource.DisplayName == "" {
						t.Fatalf("after: %+v", a)
					}
				}
			})
		}
	}
}
