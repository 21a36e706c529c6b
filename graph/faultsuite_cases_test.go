package graph_test

import (
	"fmt"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

// faultCase is one fault class: what the simulator does wrong while
// decisions go out (decide) and while the inbox polls (poll), and what the
// client must make of it.
type faultCase struct {
	name string // in the table
	how  string // what the simulator does, in one line

	// decide lists the faults installed after the inbox's last poll and
	// before the decisions on reqs go out.
	decide func(reqs []graph.DecisionRequest) []sim.Fault
	// poll lists the faults installed for the polling scenario (and for
	// the refresh that follows the decisions).
	poll []sim.Fault
	// before acts on the tenant between the last poll and the decisions
	// (another approver decides, a requestor cancels). It returns what it
	// did per approval id: actCancelled or actTaken.
	before func(e *suiteEnv, reqs []graph.DecisionRequest) map[string]string
	// client adjusts the client (short deadlines for hangs).
	client func(*graph.Options)
	// noMe skips reading /me before the decisions, so faults on /me hit them.
	noMe bool
	// interrupt cancels the decisions' context after this long (Ctrl-C).
	interrupt time.Duration

	// want is the exact outcome count for n decisions; outcomes not named
	// must not occur.
	want func(n int) map[graph.Outcome]int
	// wantPoll is the first poll's status under the poll faults: "ok",
	// "partial" (some sources, details or pages missing) or "error".
	wantPoll string
}

const (
	actCancelled = "cancelled"
	actTaken     = "taken"
)

// firstQuarter is the share of a bulk decision a burst hits: at least one.
func firstQuarter(n int) int { return (n + 3) / 4 }

// onStages makes one fault per stage of the first c requests, matched by
// path, so exactly those decisions meet it whatever the order they go out.
func onStages(reqs []graph.DecisionRequest, c int, f sim.Fault) []sim.Fault {
	var out []sim.Fault
	for _, r := range reqs[:min(c, len(reqs))] {
		g := f
		g.Op = sim.OpPatchStage
		g.Path = "/stages/" + r.StageID
		out = append(out, g)
	}
	return out
}

func all(o graph.Outcome) func(int) map[graph.Outcome]int {
	return func(n int) map[graph.Outcome]int { return map[graph.Outcome]int{o: n} }
}

// split is c of one outcome and the rest applied (our decisions alternate
// approve and deny, see suiteRequests).
func split(o graph.Outcome, c func(int) int) func(int) map[graph.Outcome]int {
	return func(n int) map[graph.Outcome]int {
		k := c(n)
		return map[graph.Outcome]int{o: k, outcomeApplied: n - k}
	}
}

// outcomeApplied stands for "approved or denied as asked" in want maps.
const outcomeApplied graph.Outcome = "applied"

func faultCases() []faultCase {
	hangClient := func(o *graph.Options) { o.RequestTimeout = 300 * time.Millisecond }
	return []faultCase{
		{
			name: "none (baseline)", how: "no faults",
			want: all(outcomeApplied), wantPoll: "ok",
		},
		{
			name: "latency spikes", how: "+3 ms on every request, +200 ms on 10% of PATCHes and 30% of $batch calls",
			decide: func([]graph.DecisionRequest) []sim.Fault {
				return []sim.Fault{{Kind: sim.FaultLatency, Delay: 3 * time.Millisecond},
					{Kind: sim.FaultLatency, Op: sim.OpPatchStage, Delay: 200 * time.Millisecond, Probability: 0.1}}
			},
			poll: []sim.Fault{{Kind: sim.FaultLatency, Delay: 3 * time.Millisecond},
				{Kind: sim.FaultLatency, Op: sim.OpBatch, Delay: 200 * time.Millisecond, Probability: 0.3}},
			want: all(outcomeApplied), wantPoll: "ok",
		},
		{
			name: "429, Retry-After 0.128 s", how: "every stage's first PATCH, the first 2 listing pages and the first $batch are throttled",
			decide: func(reqs []graph.DecisionRequest) []sim.Fault {
				return onStages(reqs, len(reqs), sim.Fault{Kind: sim.FaultThrottle, Count: 1, RetryAfter: "0.128"})
			},
			poll: []sim.Fault{{Kind: sim.FaultThrottle, Op: sim.OpListAccessPackageRequests, Count: 2, RetryAfter: "0.128"},
				{Kind: sim.FaultThrottle, Op: sim.OpBatch, Count: 1, RetryAfter: "0.128"}},
			want: all(outcomeApplied), wantPoll: "ok",
		},
		{
			name: "429, Retry-After 30 s (cap 1 s)", how: "a quarter of the PATCHes and every PIM listing page are throttled for longer than the client waits",
			decide: func(reqs []graph.DecisionRequest) []sim.Fault {
				return onStages(reqs, firstQuarter(len(reqs)), sim.Fault{Kind: sim.FaultThrottle, RetryAfter: "30"})
			},
			poll: []sim.Fault{{Kind: sim.FaultThrottle, Op: sim.OpListGroupRequests, RetryAfter: "30"}},
			want: split(graph.OutcomeFailed, firstQuarter), wantPoll: "partial",
		},
		{
			name: "503/504 burst", how: "a quarter of the PATCHes get 503 once, another quarter 504 once; listings and $batch get 503/504 bursts",
			decide: func(reqs []graph.DecisionRequest) []sim.Fault {
				c := firstQuarter(len(reqs))
				out := onStages(reqs, c, sim.Fault{Kind: sim.FaultUnavailable, Count: 1})
				if len(reqs) > c {
					out = append(out, onStages(reqs[c:], c, sim.Fault{Kind: sim.FaultUnavailable, Status: 504, Count: 1})...)
				}
				return out
			},
			poll: []sim.Fault{{Kind: sim.FaultUnavailable, Op: sim.OpListAccessPackageRequests, Count: 2},
				{Kind: sim.FaultUnavailable, Status: 504, Op: sim.OpBatch, Count: 1}},
			want: all(outcomeApplied), wantPoll: "ok",
		},
		{
			name: "503 that does not stop", how: "every PATCH and every access package listing page answers 503",
			decide: func([]graph.DecisionRequest) []sim.Fault {
				return []sim.Fault{{Kind: sim.FaultUnavailable, Op: sim.OpPatchStage}}
			},
			poll: []sim.Fault{{Kind: sim.FaultUnavailable, Op: sim.OpListAccessPackageRequests}},
			want: all(graph.OutcomeFailed), wantPoll: "partial",
		},
		{
			name: "hang past the deadline", how: "a quarter of the PATCHes and the first PIM listing page never answer (per-try deadline 300 ms)",
			decide: func(reqs []graph.DecisionRequest) []sim.Fault {
				return onStages(reqs, firstQuarter(len(reqs)), sim.Fault{Kind: sim.FaultHang, Count: 1})
			},
			poll:   []sim.Fault{{Kind: sim.FaultHang, Op: sim.OpListGroupRequests, Count: 1}},
			client: hangClient,
			want:   all(outcomeApplied), wantPoll: "ok",
		},
		{
			name: "reset after the PATCH applied", how: "a quarter of the PATCHes are applied, then the connection drops; so does the first listing page",
			decide: func(reqs []graph.DecisionRequest) []sim.Fault {
				return onStages(reqs, firstQuarter(len(reqs)), sim.Fault{Kind: sim.FaultResetAfter, Count: 1})
			},
			poll: []sim.Fault{{Kind: sim.FaultResetAfter, Op: sim.OpListAccessPackageRequests, Count: 1}},
			want: all(outcomeApplied), wantPoll: "ok",
		},
		{
			name: "reset before the PATCH applied", how: "a quarter of the PATCHes are dropped unread; so is the first $batch",
			decide: func(reqs []graph.DecisionRequest) []sim.Fault {
				return onStages(reqs, firstQuarter(len(reqs)), sim.Fault{Kind: sim.FaultResetBefore, Count: 1})
			},
			poll: []sim.Fault{{Kind: sim.FaultResetBefore, Op: sim.OpBatch, Count: 1}},
			want: all(outcomeApplied), wantPoll: "ok",
		},
		{
			name: "network lost after the PATCH", how: "a quarter of the PATCHes are applied, then the connection drops and every stage read fails; PIM listing pages fail",
			decide: func(reqs []graph.DecisionRequest) []sim.Fault {
				return append(onStages(reqs, firstQuarter(len(reqs)), sim.Fault{Kind: sim.FaultResetAfter, Count: 1}),
					sim.Fault{Kind: sim.FaultResetBefore, Op: sim.OpGetStage})
			},
			poll: []sim.Fault{{Kind: sim.FaultResetBefore, Op: sim.OpListGroupRequests}},
			want: split(graph.OutcomeUnknown, firstQuarter), wantPoll: "partial",
		},
		{
			name: "malformed JSON", how: "the first /me and a quarter of the PATCH replies (applied) are cut-off JSON; so are the first PIM page and $batch",
			decide: func(reqs []graph.DecisionRequest) []sim.Fault {
				return append(onStages(reqs, firstQuarter(len(reqs)), sim.Fault{Kind: sim.FaultMalformed, Count: 1}),
					sim.Fault{Kind: sim.FaultMalformed, Op: sim.OpMe, Count: 1})
			},
			poll: []sim.Fault{{Kind: sim.FaultMalformed, Op: sim.OpListGroupRequests, Count: 1},
				{Kind: sim.FaultMalformed, Op: sim.OpBatch, Count: 1}},
			noMe: true,
			// The decision that asked /me first cannot tell who is signed
			// in, so it sends nothing; the others read /me again.
			want: split(graph.OutcomeFailed, func(int) int { return 1 }), wantPoll: "partial",
		},
		{
			name: "empty page", how: "the first page of each listing is empty, with a nextLink to the rest",
			poll: []sim.Fault{{Kind: sim.FaultEmptyPage, Op: sim.OpListAccessPackageRequests, Count: 1},
				{Kind: sim.FaultEmptyPage, Op: sim.OpListGroupRequests, Count: 1}},
			want: all(outcomeApplied), wantPoll: "ok",
		},
		{
			name: "page cap: 50 items, no nextLink", how: "the access package listing stops at 50 of 80 without a nextLink",
			poll: []sim.Fault{{Kind: sim.FaultPageCap, Op: sim.OpListAccessPackageRequests}},
			want: all(outcomeApplied), wantPoll: "partial",
		},
		{
			name: "inner $batch 429s", how: "25 approval reads inside $batch answer 429 with Retry-After 0.05",
			poll: []sim.Fault{{Kind: sim.FaultBatchThrottle, Op: sim.OpGetApproval, Count: 25, RetryAfter: "0.05"}},
			want: all(outcomeApplied), wantPoll: "ok",
		},
		{
			name: "401 mid-session (token expired)", how: "every request answers 401 InvalidAuthenticationToken",
			decide: func([]graph.DecisionRequest) []sim.Fault {
				return []sim.Fault{{Kind: sim.FaultExpiredToken}}
			},
			poll: []sim.Fault{{Kind: sim.FaultExpiredToken}},
			want: all(graph.OutcomeFailed), wantPoll: "error",
		},
		{
			name: "404: cancelled since the poll", how: "every fourth request is cancelled by its requestor between the poll and the decision",
			before: func(e *suiteEnv, reqs []graph.DecisionRequest) map[string]string {
				acted := map[string]string{}
				for i, r := range reqs {
					if i%4 == 0 {
						must(e.t, e.sim.Cancel(r.Ref.ID))
						acted[r.Ref.ID] = actCancelled
					}
				}
				return acted
			},
			want: split(graph.OutcomeGone, firstQuarter), wantPoll: "ok",
		},
		{
			name: "409: another approver first", how: "the other approver decides every third stage between the poll and the decision",
			before: func(e *suiteEnv, reqs []graph.DecisionRequest) map[string]string {
				acted := map[string]string{}
				for i, r := range reqs {
					if i%3 == 0 {
						d := []string{"Approve", "Deny"}[i/3%2]
						must(e.t, e.sim.DecideAs(suiteOther, r.Ref.ID, r.StageID, d, "covered by the other approver"))
						acted[r.Ref.ID] = actTaken
					}
				}
				return acted
			},
			want: split(graph.OutcomeAlreadyDecided, func(n int) int { return (n + 2) / 3 }), wantPoll: "ok",
		},
		{
			name: "interrupted (Ctrl-C) while PATCHes hang", how: "every PATCH hangs; the caller cancels after 150 ms",
			decide: func([]graph.DecisionRequest) []sim.Fault {
				return []sim.Fault{{Kind: sim.FaultHang, Op: sim.OpPatchStage}}
			},
			interrupt: 150 * time.Millisecond,
			want:      all(graph.OutcomeCancelled), wantPoll: "ok",
		},
	}
}

func must(t interface{ Fatal(...any) }, err error) {
	if err != nil {
		t.Fatal(err)
	}
}

// describe renders a want map for failure messages.
func describeWant(w map[graph.Outcome]int) string { return fmt.Sprint(w) }
