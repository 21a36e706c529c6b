package graph_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

// Request budgets (design §7): a cold refresh of N approvals costs the
// listing pages + ceil(N/20) $batch calls, where the naive way costs the
// pages + N; a warm refresh with nothing new costs the listing pages only,
// and one after a new request arrived adds one $batch. (The exact counts
// are asserted by the bench tests, go test -tags bench . at the top; the
// bench command also runs the naive way.)

func BenchmarkRefresh(b *testing.B) {
	for _, n := range []int{50, 500, 5000} {
		e := newSimEnv(b, sim.Options{Seed: 42, Approvals: n})
		upn := e.sim.Approvers()[0].UserPrincipalName
		b.Run(fmt.Sprintf("cold/N=%d", n), func(b *testing.B) {
			for b.Loop() {
				refresh(b, e.client(upn)) // a new client knows nothing
			}
			reportRequests(b, e, func() *graph.Snapshot { return refresh(b, e.client(upn)) })
		})
		b.Run(fmt.Sprintf("warm/N=%d", n), func(b *testing.B) {
			c := e.client(upn)
			refresh(b, c)
			for b.Loop() {
				refresh(b, c)
			}
			reportRequests(b, e, func() *graph.Snapshot { return refresh(b, c) })
		})
		b.Run(fmt.Sprintf("arrival/N=%d", n), func(b *testing.B) {
			c := e.client(upn)
			refresh(b, c)
			for b.Loop() {
				b.StopTimer()
				e.sim.Arrive()
				b.StartTimer()
				refresh(b, c)
			}
			reportRequests(b, e, func() *graph.Snapshot { e.sim.Arrive(); return refresh(b, c) })
		})
	}
}

// reportRequests runs one more refresh, outside the timing, and reports
// what it cost on the wire as seen by both the client and the simulator.
func reportRequests(b *testing.B, e *simEnv, once func() *graph.Snapshot) {
	b.StopTimer()
	e.sim.ResetStats()
	snap := once()
	st := e.sim.Stats()
	pages := st.Op(sim.OpListAccessPackageRequests) + st.Op(sim.OpListGroupRequests)
	if int64(snap.Requests) != st.Requests {
		b.Fatalf("client counted %d requests, simulator %d", snap.Requests, st.Requests)
	}
	b.ReportMetric(float64(snap.Requests), "requests/refresh")
	b.ReportMetric(float64(st.Op(sim.OpBatch)), "batches/refresh")
	b.ReportMetric(float64(pages+int64(len(snap.Approvals))), "naive-requests/refresh")
	b.ReportMetric(float64(len(snap.Approvals)), "approvals")
}

// Bulk decisions at 100 ms per round trip: DecideConcurrency 16 against one
// at a time (design §7 asks for at least 10× faster at N=100).
func BenchmarkDecideMany(b *testing.B) {
	const latency = 100 * time.Millisecond
	for _, n := range []int{1, 20, 100} {
		for _, mode := range []struct {
			name        string
			concurrency int
		}{{"sequential", 1}, {"concurrent", 16}} {
			b.Run(fmt.Sprintf("N=%d/%s", n, mode.name), func(b *testing.B) {
				var perDecision time.Duration
				for b.Loop() {
					b.StopTimer()
					e := newSimEnv(b, sim.Options{Seed: 9, Approvals: n})
					c := e.client(e.sim.Approvers()[0].UserPrincipalName, func(o *graph.Options) { o.DecideConcurrency = mode.concurrency })
					reqs := myDecisions(b, c, n)
					e.sim.AddFault(sim.Fault{Kind: sim.FaultLatency, Delay: latency})
					b.StartTimer()
					start := time.Now()
					results := c.DecideMany(b.Context(), reqs, nil)
					perDecision = time.Since(start) / time.Duration(n)
					for _, r := range results {
						if !r.Outcome.Applied() {
							b.Fatalf("%+v", r)
						}
					}
				}
				b.ReportMetric(perDecision.Seconds()*1000, "ms/decision")
			})
		}
	}
}

// myDecisions reads the inbox and approves the first n approvals waiting
// for the caller (with /me already known, as after a first refresh).
func myDecisions(b *testing.B, c *graph.Client, n int) []graph.DecisionRequest {
	snap := refresh(b, c)
	if _, err := c.Me(b.Context()); err != nil {
		b.Fatal(err)
	}
	var reqs []graph.DecisionRequest
	for _, a := range snap.Approvals {
		if s, _, ok := a.MyStage(); ok && len(reqs) < n {
			reqs = append(reqs, graph.DecisionRequest{Ref: a.Ref, StageID: s.ID, Decision: graph.Approve, Justification: "bulk"})
		}
	}
	if len(reqs) < n {
		b.Fatalf("only %d approvals wait", len(reqs))
	}
	return reqs
}

// Approving k ids at two inbox sizes with 50 ms per round trip: reading
// only the given ids (GetMany, 20 GETs per $batch) against reading the
// whole inbox first (Refresh, as approve did for more than 4 ids).
func BenchmarkApproveIDs(b *testing.B) {
	const latency, k = 50 * time.Millisecond, 100
	for _, n := range []int{500, 5000} {
		for _, mode := range []string{"by-id", "whole-inbox"} {
			b.Run(fmt.Sprintf("k=%d/N=%d/%s", k, n, mode), func(b *testing.B) {
				var requests int64
				for b.Loop() {
					b.StopTimer()
					e := newSimEnv(b, sim.Options{Seed: 9, Approvals: n})
					upn := e.sim.Approvers()[0].UserPrincipalName
					reqs := myDecisions(b, e.client(upn), k)
					c := e.client(upn)
					if _, err := c.Me(b.Context()); err != nil {
						b.Fatal(err)
					}
					e.sim.AddFault(sim.Fault{Kind: sim.FaultLatency, Delay: latency})
					before := c.Requests()
					b.StartTimer()
					refs := make([]graph.Ref, len(reqs))
					for i, r := range reqs {
						refs[i] = r.Ref
					}
					if mode == "by-id" {
						if _, errs := c.GetMany(b.Context(), refs); errs[0] != nil {
							b.Fatal(errs[0])
						}
					} else if _, err := c.Refresh(b.Context()); err != nil {
						b.Fatal(err)
					}
					for _, r := range c.DecideMany(b.Context(), reqs, nil) {
						if !r.Outcome.Applied() {
							b.Fatalf("%+v", r)
						}
					}
					requests = c.Requests() - before
				}
				b.ReportMetric(float64(requests), "requests/op")
			})
		}
	}
}

// A cold load of N=5,000 with 50 ms per round trip, detail batches
// overlapping the listing: reported against the floor, pages × round trip.
// ms/load is the median of the iterations (-benchtime 3x: of three), not
// the last one, as timings on a shared machine vary from load to load.
func BenchmarkColdLoad(b *testing.B) {
	const latency, n = 50 * time.Millisecond, 5000
	e := newSimEnv(b, sim.Options{Seed: 42, Approvals: n})
	upn := e.sim.Approvers()[0].UserPrincipalName
	e.sim.AddFault(sim.Fault{Kind: sim.FaultLatency, Delay: latency})
	var took []time.Duration
	var pages int64
	for b.Loop() {
		c := e.client(upn)
		e.sim.ResetStats()
		start := time.Now()
		refresh(b, c)
		took = append(took, time.Since(start))
		st := e.sim.Stats()
		pages = max(st.Op(sim.OpListAccessPackageRequests), st.Op(sim.OpListGroupRequests))
	}
	slices.Sort(took)
	median := took[len(took)/2]
	floor := time.Duration(pages) * latency
	b.ReportMetric(float64(median.Milliseconds()), "ms/load")
	b.ReportMetric(float64(floor.Milliseconds()), "floor-ms")
	b.ReportMetric(median.Seconds()/floor.Seconds(), "x-floor")
}
