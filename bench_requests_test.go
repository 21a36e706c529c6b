//go:build bench

package main

import (
	"fmt"
	"testing"
)

// Request counts are deterministic, so their budgets are asserted exactly,
// per N, on both sides of the wire (the client's count and the
// simulator's).
func TestBenchRefreshRequestBudgets(t *testing.T) {
	for _, n := range []int{50, 500, 5000} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			if n == 5000 && benchRace {
				t.Skip("5,000 approvals take over 10 s under the race detector; asserted without -race and by approvals bench")
			}
			// The naive baseline sends N+pages requests one at a time: run
			// it where that is quick; its formula is the same at every N.
			naive := n <= 500
			r, err := MeasureRefresh(t.Context(), 42, n, naive)
			if err != nil {
				t.Fatal(err)
			}
			pages := benchPages(r.EM, r.Groups)
			if r.N < n || r.EM+r.Groups != r.N || r.EM == 0 || r.Groups == 0 {
				t.Fatalf("listed %d (%d EM, %d groups), want at least %d in both sources", r.N, r.EM, r.Groups, n)
			}
			check := func(what string, got Cost, pages, batches int) {
				t.Helper()
				if got.Pages != pages || got.Batches != batches || got.Requests != pages+batches {
					t.Errorf("%s: %d requests (%d pages, %d batches), want %d pages + %d batches",
						what, got.Requests, got.Pages, got.Batches, pages, batches)
				}
			}
			check("cold", r.Cold, pages, ceilDiv(r.EM, 20)+ceilDiv(r.Groups, 20))
			check("steady", r.Steady, pages, 0)
			if r.ArrivalN() != r.N+1 {
				t.Fatalf("after one arrival %d are listed, before %d", r.ArrivalN(), r.N)
			}
			// (the arrival may open a new page of its source)
			check("arrival", r.Arrival, benchPages(r.ArrivalEM, r.ArrivalGroups), 1)
			if naive && (r.Naive.Requests != pages+r.N || r.Naive.Pages != pages || r.WantNaive() != r.Naive.Requests) {
				t.Errorf("naive: %d requests (%d pages), want %d pages + %d", r.Naive.Requests, r.Naive.Pages, pages, r.N)
			}
			if r.WantCold() != r.Cold.Requests || r.WantSteady() != r.Steady.Requests || r.WantArrival() != r.Arrival.Requests {
				t.Errorf("the table's formulas disagree: %+v", r)
			}
			t.Logf("N=%d (%d EM + %d groups): cold %d, steady %d, arrival %d requests; naive %d (pages + N: %d)",
				r.N, r.EM, r.Groups, r.Cold.Requests, r.Steady.Requests, r.Arrival.Requests, r.Naive.Requests, r.WantNaive())
		})
	}
}
