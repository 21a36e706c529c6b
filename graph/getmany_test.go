package graph_test

import (
	"testing"

	"approvals/graph"
	"approvals/graph/sim"
)

// readIDs lists the inbox with one client, then reads k of its ids, half
// bare and half with their source, with a fresh client (whose cache knows
// nothing) and returns that client's request count.
func readIDs(t *testing.T, n, k int) int64 {
	t.Helper()
	e := newSimEnv(t, sim.Options{Seed: 11, Approvals: n})
	me, lister := e.demo()
	snap := refresh(t, lister)
	if len(snap.Approvals) < k {
		t.Fatalf("only %d approvals at N=%d", len(snap.Approvals), n)
	}
	refs := make([]graph.Ref, k)
	for i := range refs {
		refs[i] = snap.Approvals[i].Ref
		if i%2 == 1 {
			refs[i].Source = "" // a bare id is looked for in both v1.0 collections
		}
	}
	c := e.client(me.UserPrincipalName)
	got, errs := c.GetMany(t.Context(), refs)
	for i := range refs {
		if errs[i] != nil || got[i].Ref != snap.Approvals[i].Ref || len(got[i].Stages) == 0 {
			t.Fatalf("ref %d (%s): %+v, %v", i, refs[i], got[i].Ref, errs[i])
		}
	}
	return c.Requests()
}

// Reading k approvals by id costs the same at N=100 and N=1,000: it
// depends on k only (⌈GETs/20⌉ $batch calls), not on the inbox.
func TestGetManyCostFollowsTheIDs(t *testing.T) {
	t.Parallel()
	const k = 30
	small, large := readIDs(t, 100, k), readIDs(t, 1000, k)
	if small != large {
		t.Fatalf("%d requests at N=100, %d at N=1,000 for the same %d ids", small, large, k)
	}
	// 15 ids with a source: 2 GETs each; 15 bare ids: 2 GETs in each of
	// the two v1.0 collections.
	if want := int64((15*2 + 15*4 + 19) / 20); small != want {
		t.Fatalf("%d requests for %d ids, want %d $batch calls", small, k, want)
	}
}
