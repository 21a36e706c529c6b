package sim

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a simulated tenant.
type Options struct {
	Seed int64
	// Approvals is how many approvals wait for the demo identity when the
	// tenant is generated: 0 means DefaultApprovals, a negative number none.
	Approvals int
	// Tenant is served instead of a generated one. New works on a copy.
	Tenant *Tenant
	// Clock is the simulator's time (default time.Now). Stage deadlines are
	// checked against it whenever a request is read or decided.
	Clock func() time.Time
	// PageSize is the page size of listings without $top (default 100).
	PageSize int
	// Faults are injected from the start; see AddFault.
	Faults []Fault
	// Logf, when set, gets one line per request (never a token).
	Logf func(format string, args ...any)
	// AzureDemo adds PIM for Azure resources requests for the demo
	// identity to a generated tenant (see AddAzureDemo).
	AzureDemo bool
	// ARMTokensRefused starts with Azure Resource Manager refusing every
	// token (see SetARMTokensRefused).
	ARMTokensRefused bool
	// RoleApprovals is how many PIM for Microsoft Entra roles requests wait
	// for the demo identity when the tenant is generated (0: none), plus a
	// few it cannot decide (its own, an extension). They come from their
	// own random stream, so the rest of the tenant is the same either way.
	RoleApprovals int
	// NoBetaRoleApprovals makes the beta roleAssignmentApprovals segment
	// unknown (400), as if Microsoft had retired it; the v1.0 role listing
	// still works. See also SetBetaRoleApprovals.
	NoBetaRoleApprovals bool
}

// Server is a simulated tenant serving Graph v1.0 under /v1.0 (and the
// beta role approvals under /beta). It is an
// http.Handler and safe for concurrent use.
type Server struct {
	clock    func() time.Time
	pageSize int
	logf     func(format string, args ...any)

	mu       sync.Mutex // guards the tenant, its index and the activity RNG
	tenant   *Tenant
	ix       *index
	activity *rand.Rand

	// users are the tenant's people by id and by principal name, fixed
	// once New returns (nothing adds, removes or changes a user), so
	// authenticating a request takes no lock: with s.mu, every request and
	// every $batch item queued behind whichever listing was being written,
	// which a real service does not do.
	users map[string]*User

	faults *faultSet
	count  *counters

	noBetaRoles atomic.Bool

	closeOnce sync.Once
	closed    chan struct{}

	armRefused atomic.Bool // Azure Resource Manager answers 401 to every token
}

// New builds a simulated tenant: opts.Tenant when given (copied), else a
// generated one.
func New(opts Options) *Server {
	s := &Server{
		clock:    opts.Clock,
		pageSize: opts.PageSize,
		logf:     opts.Logf,
		faults:   newFaultSet(opts.Seed, opts.Faults),
		count:    newCounters(),
		activity: rand.New(rand.NewPCG(uint64(opts.Seed), 0xac71)),
		closed:   make(chan struct{}),
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.pageSize <= 0 {
		s.pageSize = 100
	}
	if opts.Tenant != nil {
		s.tenant = opts.Tenant.Clone()
	} else {
		n := opts.Approvals
		if n == 0 {
			n = DefaultApprovals
		}
		s.tenant = Generate(opts.Seed, max(n, 0), s.clock())
		if opts.AzureDemo {
			AddAzureDemo(s.tenant, s.clock())
		}
		if opts.RoleApprovals > 0 {
			GenerateRoles(s.tenant, opts.Seed, opts.RoleApprovals, s.clock())
		}
	}
	s.armRefused.Store(opts.ARMTokensRefused)
	s.noBetaRoles.Store(opts.NoBetaRoleApprovals)
	s.tenant.AzureRequests = slices.DeleteFunc(s.tenant.AzureRequests, func(r *AzureRequest) bool { return r == nil })
	s.tenant.AccessPackageRequests = slices.DeleteFunc(s.tenant.AccessPackageRequests, func(r *AccessPackageRequest) bool { return r == nil })
	s.tenant.GroupRequests = slices.DeleteFunc(s.tenant.GroupRequests, func(r *GroupRequest) bool { return r == nil })
	s.tenant.RoleRequests = slices.DeleteFunc(s.tenant.RoleRequests, func(r *RoleRequest) bool { return r == nil })
	fillStageStarts(s.tenant)
	s.ix = buildIndex(s.tenant)
	s.users = s.ix.users
	return s
}

// fillStageStarts gives a stage in progress without a start time (easy to
// leave out of a hand-made tenant) the time its request reached it, so it
// does not expire the moment it is read.
func fillStageStarts(t *Tenant) {
	fill := func(created time.Time, stages []Stage) {
		for i := range stages {
			st := &stages[i]
			if st.Status != StatusInProgress || !st.StartedDateTime.IsZero() {
				continue
			}
			st.StartedDateTime = created
			if i > 0 && !stages[i-1].ReviewedDateTime.IsZero() {
				st.StartedDateTime = stages[i-1].ReviewedDateTime
			}
		}
	}
	for _, r := range t.AccessPackageRequests {
		fill(r.CreatedDateTime, r.Stages)
	}
	for _, r := range t.GroupRequests {
		fill(r.CreatedDateTime, r.Stages)
	}
	for _, r := range t.AzureRequests {
		fill(r.CreatedOn, r.Stages)
	}
	for _, r := range t.RoleRequests {
		fill(r.CreatedDateTime, r.Stages)
	}
}

// Close releases requests held by a hang fault. The Server keeps serving;
// call it before closing an httptest.Server that may hold hung requests.
func (s *Server) Close() { s.closeOnce.Do(func() { close(s.closed) }) }

func (s *Server) now() time.Time { return s.clock().UTC() }

// SetBetaRoleApprovals serves (true) or retires (false) the beta
// roleAssignmentApprovals segment from now on.
func (s *Server) SetBetaRoleApprovals(on bool) { s.noBetaRoles.Store(!on) }

func (s *Server) betaRolesGone() bool { return s.noBetaRoles.Load() }

// AddFault injects a fault from now on.
func (s *Server) AddFault(f Fault) { s.faults.add(f) }

// ClearFaults removes every fault.
func (s *Server) ClearFaults() { s.faults.clear() }

// Stats returns the request counters.
func (s *Server) Stats() Stats { return s.count.snapshot() }

// ResetStats sets every counter back to zero (stage PATCH counts excepted).
func (s *Server) ResetStats() { s.count.reset() }

// Approvers returns the identities that approve in this tenant; the first
// is the demo identity, which most approvals wait for.
func (s *Server) Approvers() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []User
	for _, id := range s.ix.approvers() {
		if u := s.ix.user(id); u != nil { // a hand-made tenant may name unknown users
			out = append(out, *u)
		}
	}
	return out
}

// Tenant returns a copy of the tenant as it is now (decisions, arrivals
// and expiries included), e.g. to write a tenant file.
func (s *Server) Tenant() *Tenant {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleAll(s.now())
	return s.tenant.Clone()
}

// Waiting reports how many approvals currently wait for the user (id or
// UPN): the requests whose stage in progress lists them.
func (s *Server) Waiting(user string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.ix.user(user)
	if u == nil {
		return 0
	}
	now := s.now()
	n := 0
	for _, r := range s.tenant.AccessPackageRequests {
		if s.emWaitsFor(r, u.ID, now) {
			n++
		}
	}
	for _, r := range s.tenant.GroupRequests {
		if s.pimWaitsFor(r, u.ID, now) {
			n++
		}
	}
	for _, r := range s.tenant.AzureRequests {
		if s.azureWaitsFor(r, u.ID, now) {
			n++
		}
	}
	for _, r := range s.tenant.RoleRequests {
		if s.roleWaitsFor(r, u.ID, now) {
			n++
		}
	}
	return n
}

// ServeHTTP serves one Graph request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := newCall(s, w, r, false)
	if p := r.URL.Path; len(p) >= len(ARMPrefix) && equalFold(p[:len(ARMPrefix)], ARMPrefix) && (len(p) == len(ARMPrefix) || p[len(ARMPrefix)] == '/') {
		c.arm = true
	}
	s.serve(c)
}
