//go:build bench

package main

import (
	"fmt"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

// benchNow is the simulated tenant's fixed clock: the same seed then gives
// the same tenant, the same deadlines and so the same screens.
var benchNow = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// benchTenant is a simulated tenant served on a loopback port.
type benchTenant struct {
	Sim *sim.Server
	*sim.Loopback
	// Demo is the bearer token of the identity most approvals wait for.
	Demo string
}

// newBenchTenant generates a tenant where n approvals wait for the demo
// identity and serves it on 127.0.0.1. Close it when done.
func newBenchTenant(seed int64, n int) (*benchTenant, error) {
	s := sim.New(sim.Options{Seed: seed, Approvals: n, PageSize: pageSize, Clock: func() time.Time { return benchNow }})
	l, err := sim.StartLoopback(s, 0)
	if err != nil {
		return nil, err
	}
	return &benchTenant{Sim: s, Loopback: l, Demo: s.Approvers()[0].UserPrincipalName}, nil
}

// Client is a new client for the demo identity (it knows nothing yet);
// mod adjusts its options.
func (t *benchTenant) Client(mod ...func(*graph.Options)) (*graph.Client, error) {
	o := graph.Options{
		GraphURL:       t.URL,
		Credential:     graph.StaticToken(t.Demo),
		RequestTimeout: 30 * time.Second,
		RetryDelay:     10 * time.Millisecond,
		Now:            func() time.Time { return benchNow },
		// The table measures the Graph v1.0 pair the generated tenant has;
		// each further source adds its own listing pages.
		Sources: []graph.Source{graph.SourceAccessPackage, graph.SourceGroup},
	}
	for _, m := range mod {
		m(&o)
	}
	return graph.New(o)
}

// listingPages is how many listing pages the last requests cost, by the
// simulator's benchCount.
func listingPages(st sim.Stats) int {
	return int(st.Op(sim.OpListAccessPackageRequests) + st.Op(sim.OpListGroupRequests))
}

// checkBenchSnapshot fails when a refresh could not list a source.
func checkBenchSnapshot(s *graph.Snapshot, err error) error {
	if err != nil {
		return err
	}
	if len(s.Errors) > 0 {
		return fmt.Errorf("refresh: %v", s.Errors)
	}
	return nil
}
