//go:build bench

package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

// Requests per refresh (design §7): a cold refresh costs the listing pages
// plus one $batch per 20 approvals; a steady-state poll with nothing new
// costs the listing pages only; a poll after one arrival adds one $batch.
// The naive way costs the pages plus one GET per approval, every poll.

// pageSize is the simulator's page size here (the client sends no $top).
const pageSize = 100

// batchSize is the most GETs Graph accepts in one $batch.
const batchSize = 20

// Cost is what one refresh cost.
type Cost struct {
	Requests int // HTTP requests (a $batch counts once)
	Pages    int // listing pages among them
	Batches  int // $batch requests among them
	Time     time.Duration
}

// RefreshCost is one tenant's refreshes, measured in one run.
type RefreshCost struct {
	N          int // approvals listed by the cold refresh
	EM, Groups int // of which access packages, PIM for Groups
	Cold       Cost
	Steady     Cost // the next poll, nothing changed
	Arrival    Cost // a poll after one new request arrived
	// ArrivalEM and ArrivalGroups are listed after the arrival.
	ArrivalEM, ArrivalGroups int
	Naive                    Cost // the naive baseline on the same tenant
}

// benchPages is the number of listing pages for em and groups approvals: each
// source costs at least one page.
func benchPages(em, groups int) int {
	return max(1, ceilDiv(em, pageSize)) + max(1, ceilDiv(groups, pageSize))
}

// WantCold is the budget of a cold refresh: pages + ceil(N/20) per source
// (each source's details are read as its pages arrive).
func (r RefreshCost) WantCold() int {
	return benchPages(r.EM, r.Groups) + ceilDiv(r.EM, batchSize) + ceilDiv(r.Groups, batchSize)
}

// WantSteady is the budget of a poll that finds nothing new: the pages.
func (r RefreshCost) WantSteady() int { return benchPages(r.EM, r.Groups) }

// WantArrival is the budget of the poll after one arrival: its pages + 1.
func (r RefreshCost) WantArrival() int { return benchPages(r.ArrivalEM, r.ArrivalGroups) + 1 }

// ArrivalN is how many approvals were listed after the arrival.
func (r RefreshCost) ArrivalN() int { return r.ArrivalEM + r.ArrivalGroups }

// WantNaive is what the naive way costs: pages + N.
func (r RefreshCost) WantNaive() int { return benchPages(r.EM, r.Groups) + r.N }

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// MeasureRefresh serves a tenant with n approvals waiting and measures a
// cold refresh, a steady-state poll, a poll after one arrival, and (when
// withNaive) the naive baseline, counting requests on both sides of the
// wire.
func MeasureRefresh(ctx context.Context, seed int64, n int, withNaive bool) (RefreshCost, error) {
	var out RefreshCost
	t, err := newBenchTenant(seed, n)
	if err != nil {
		return out, err
	}
	defer t.Close()

	if withNaive {
		if out.Naive, err = t.naive(ctx); err != nil {
			return out, err
		}
	}

	c, err := t.Client()
	if err != nil {
		return out, err
	}
	var snap *graph.Snapshot
	if snap, out.Cold, err = t.refresh(ctx, c); err != nil {
		return out, err
	}
	out.N = len(snap.Approvals)
	out.EM, out.Groups = bySource(snap)
	if _, out.Steady, err = t.refresh(ctx, c); err != nil {
		return out, err
	}
	id := t.Sim.Arrive()
	if id == "" {
		return out, fmt.Errorf("the simulator could not add a request")
	}
	if snap, out.Arrival, err = t.refresh(ctx, c); err != nil {
		return out, err
	}
	out.ArrivalEM, out.ArrivalGroups = bySource(snap)
	if !listed(snap, id) {
		return out, fmt.Errorf("the new request %s is not in the refresh after it arrived", id)
	}
	return out, nil
}

// refresh runs one Refresh and counts what it cost on both sides.
func (t *benchTenant) refresh(ctx context.Context, c *graph.Client) (*graph.Snapshot, Cost, error) {
	t.Sim.ResetStats()
	start := time.Now()
	snap, err := c.Refresh(ctx)
	elapsed := time.Since(start)
	if err := checkBenchSnapshot(snap, err); err != nil {
		return nil, Cost{}, err
	}
	st := t.Sim.Stats()
	if int64(snap.Requests) != st.Requests {
		return nil, Cost{}, fmt.Errorf("the client counted %d requests, the simulator %d", snap.Requests, st.Requests)
	}
	return snap, Cost{Requests: snap.Requests, Pages: listingPages(st), Batches: int(st.Op(sim.OpBatch)), Time: elapsed}, nil
}

// naive runs the naive baseline once against the tenant.
func (t *benchTenant) naive(ctx context.Context) (Cost, error) {
	hc := &http.Client{Timeout: time.Minute}
	defer hc.CloseIdleConnections()
	t.Sim.ResetStats()
	start := time.Now()
	_, requests, err := naiveRefresh(ctx, hc, t.URL, t.Demo)
	elapsed := time.Since(start)
	if err != nil {
		return Cost{}, err
	}
	st := t.Sim.Stats()
	if int64(requests) != st.Requests {
		return Cost{}, fmt.Errorf("the naive refresh sent %d requests, the simulator saw %d", requests, st.Requests)
	}
	return Cost{Requests: requests, Pages: listingPages(st), Time: elapsed}, nil
}

func listed(s *graph.Snapshot, id string) bool {
	for _, a := range s.Approvals {
		if a.ID == id || a.RequestID == id {
			return true
		}
	}
	return false
}

// bySource counts the approvals of each source.
func bySource(s *graph.Snapshot) (em, groups int) {
	for _, a := range s.Approvals {
		if a.Source == graph.SourceGroup {
			groups++
		} else {
			em++
		}
	}
	return em, groups
}
