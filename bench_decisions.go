//go:build bench

package main

import (
	"context"
	"fmt"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

// Bulk decisions (design §7): n decisions against the simulator with a
// fixed round-trip latency, through DecideMany with the client's default
// concurrency, against the baseline of one PATCH at a time.

// benchLatency is the injected round trip of the bulk-decision figures.
const benchLatency = 100 * time.Millisecond

// DecisionCost is one bulk decision run.
type DecisionCost struct {
	N           int
	Concurrency int
	Time        time.Duration // DecideMany, first PATCH to last result
	Requests    int           // HTTP requests the run sent
	Applied     int           // results reported approved
	Reported    int           // results passed to the progress callback
}

// MeasureDecisions approves n approvals with the given concurrency (0 is
// the client's default) while every response is delayed by latency.
func MeasureDecisions(ctx context.Context, n, concurrency int, latency time.Duration) (DecisionCost, error) {
	out := DecisionCost{N: n, Concurrency: concurrency}
	t, err := newBenchTenant(9, n)
	if err != nil {
		return out, err
	}
	defer t.Close()
	c, err := t.Client(func(o *graph.Options) { o.DecideConcurrency = concurrency })
	if err != nil {
		return out, err
	}
	reqs, err := firstDecisions(ctx, c, n)
	if err != nil {
		return out, err
	}
	t.Sim.AddFault(sim.Fault{Kind: sim.FaultLatency, Delay: latency})
	before := c.Requests()
	start := time.Now()
	results := c.DecideMany(ctx, reqs, func(graph.DecisionResult) { out.Reported++ })
	out.Time = time.Since(start)
	out.Requests = int(c.Requests() - before)
	for i, r := range results {
		if r.Request.Ref != reqs[i].Ref {
			return out, fmt.Errorf("result %d is for %s, not %s", i, r.Request.Ref, reqs[i].Ref)
		}
		if r.Outcome.Applied() {
			out.Applied++
		}
	}
	if out.Applied != n || out.Reported != n {
		return out, fmt.Errorf("%d of %d decisions applied, %d reported", out.Applied, n, out.Reported)
	}
	return out, nil
}

// firstDecisions reads the inbox (and /me, as the inbox has by then) and
// approves the first n approvals waiting for the caller.
func firstDecisions(ctx context.Context, c *graph.Client, n int) ([]graph.DecisionRequest, error) {
	snap, err := c.Refresh(ctx)
	if err := checkBenchSnapshot(snap, err); err != nil {
		return nil, err
	}
	if _, err := c.Me(ctx); err != nil {
		return nil, err
	}
	var reqs []graph.DecisionRequest
	for _, a := range snap.Approvals {
		if s, _, ok := a.MyStage(); ok && len(reqs) < n {
			reqs = append(reqs, graph.DecisionRequest{Ref: a.Ref, StageID: s.ID, Decision: graph.Approve, Justification: "bulk (bench)"})
		}
	}
	if len(reqs) < n {
		return nil, fmt.Errorf("only %d approvals wait, want %d", len(reqs), n)
	}
	return reqs, nil
}
