package bench

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

// simNow is the simulated tenant's fixed clock: the same seed then gives
// the same tenant, the same deadlines and so the same screens.
var simNow = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// Tenant is a simulated tenant served on a loopback port.
type Tenant struct {
	Sim *sim.Server
	srv *http.Server
	url string
	// Demo is the bearer token of the identity most approvals wait for.
	Demo string
}

// NewTenant generates a tenant where n approvals wait for the demo
// identity and serves it on 127.0.0.1. Close it when done.
func NewTenant(seed int64, n int) (*Tenant, error) {
	s := sim.New(sim.Options{Seed: seed, Approvals: n, PageSize: pageSize, Clock: func() time.Time { return simNow }})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("serving the simulated tenant: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &Tenant{Sim: s, srv: srv, url: "http://" + ln.Addr().String(), Demo: s.Approvers()[0].UserPrincipalName}, nil
}

// URL is the Graph root of the tenant.
func (t *Tenant) URL() string { return t.url }

// Close stops serving and drops every connection at once. (Shutdown
// would wait up to 5 s for a connection the client dialled and never
// used.)
func (t *Tenant) Close() {
	t.Sim.Close()
	_ = t.srv.Close()
}

// Client is a new client for the demo identity (it knows nothing yet);
// mod adjusts its options.
func (t *Tenant) Client(mod ...func(*graph.Options)) (*graph.Client, error) {
	o := graph.Options{
		GraphURL:       t.url,
		Credential:     graph.StaticToken(t.Demo),
		RequestTimeout: 30 * time.Second,
		RetryDelay:     10 * time.Millisecond,
		Now:            func() time.Time { return simNow },
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
// simulator's count.
func listingPages(st sim.Stats) int {
	return int(st.Op(sim.OpListAccessPackageRequests) + st.Op(sim.OpListGroupRequests))
}

// checkSnapshot fails when a refresh could not list a source.
func checkSnapshot(s *graph.Snapshot, err error) error {
	if err != nil {
		return err
	}
	if len(s.Errors) > 0 {
		return fmt.Errorf("refresh: %v", s.Errors)
	}
	return nil
}
