package graph_test

// The world the fault suite runs in: a hand-made tenant with enough
// approvals for a bulk decision of 100, the simulator on loopback, a client
// whose token is a canary (swapped for the simulator identity on the wire,
// so it has no reason to show up anywhere), a wire log of every PATCH, a
// real decision journal, and the client's request log.

import (
	"bytes"
	"fmt"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/journal"
	"approvals/graph/sim"
)

const (
	suiteMe      = "u-suite-me"
	suiteOther   = "u-suite-other"
	suiteAsker   = "u-suite-asker"
	suiteMeUPN   = "me@suite.test"
	suiteCanary  = "CANARY-TOKEN-4d1e7b0f-suite"
	suiteEM      = 80 // access package requests waiting for me
	suiteGroups  = 40 // PIM for Groups requests waiting for me
	suiteWaiting = suiteEM + suiteGroups
)

// suiteTenant has suiteWaiting approvals whose stage in progress lists me
// and one other approver. Every fifth access package request has a second
// stage (someone else's), so approving its first stage moves it on rather
// than ending it. Sources interleave in creation order, so the first n
// listed approvals mix both.
func suiteTenant(now time.Time) *sim.Tenant {
	both := []string{suiteMe, suiteOther}
	pkg := sim.AccessPackage{ID: "ap-suite", CatalogID: "cat-suite", DisplayName: "Suite package",
		CreatedDateTime: now, ModifiedDateTime: now,
		Policy: sim.Policy{Stages: []sim.StagePolicy{{Approvers: both}, {Approvers: []string{suiteOther}}}}}
	t := &sim.Tenant{
		Version:   sim.TenantVersion,
		Approvers: []string{suiteMe, suiteOther},
		Users: []sim.User{
			{ID: suiteMe, DisplayName: "Suite Me", UserPrincipalName: suiteMeUPN},
			{ID: suiteOther, DisplayName: "Other Approver", UserPrincipalName: "other@suite.test"},
			{ID: suiteAsker, DisplayName: "Asker", UserPrincipalName: "asker@suite.test"},
		},
		Catalogs:       []sim.Catalog{{ID: "cat-suite", DisplayName: "Suite", CatalogType: "userManaged", State: "published", CreatedDateTime: now, ModifiedDateTime: now}},
		AccessPackages: []sim.AccessPackage{pkg},
		Groups: []sim.Group{{ID: "grp-suite", DisplayName: "Suite group",
			MemberPolicy: sim.Policy{Stages: []sim.StagePolicy{{Approvers: both}}},
			OwnerPolicy:  sim.Policy{Stages: []sim.StagePolicy{{Approvers: both}}}}},
	}
	open := func(id string, approvers []string) sim.Stage {
		return sim.Stage{ID: id, Approvers: approvers, Status: sim.StatusInProgress, ReviewResult: sim.ResultNotReviewed, StartedDateTime: now.Add(-time.Hour)}
	}
	em, grp := 0, 0
	for i := range suiteWaiting {
		created := now.Add(-3*time.Hour + time.Duration(i)*time.Second)
		if i%3 == 2 && grp < suiteGroups || em == suiteEM {
			id := fmt.Sprintf("grp-%03d", grp)
			grp++
			t.GroupRequests = append(t.GroupRequests, &sim.GroupRequest{ID: id, GroupID: "grp-suite", PrincipalID: suiteAsker,
				CreatedByID: suiteAsker, AccessID: "member", Action: "selfActivate", Status: sim.PIMPendingApproval,
				Justification: "on call", CreatedDateTime: created,
				ScheduleInfo: sim.Schedule{StartDateTime: created, ExpirationType: "afterDuration", Duration: "PT8H"},
				Stages:       []sim.Stage{open(id, both)}})
			continue
		}
		id := fmt.Sprintf("em-%03d", em)
		em++
		stages := []sim.Stage{open(id+"-s1", both)}
		if em%5 == 0 {
			stages = append(stages, sim.Stage{ID: id + "-s2", Approvers: []string{suiteOther}, Status: sim.StatusInitializing, ReviewResult: sim.ResultNotReviewed})
		}
		t.AccessPackageRequests = append(t.AccessPackageRequests, &sim.AccessPackageRequest{ID: id, AccessPackageID: "ap-suite",
			RequestorID: suiteAsker, TargetID: suiteAsker, AssignmentID: "as-" + id, RequestType: "userAdd",
			State: sim.StatePendingApproval, Status: "PendingApproval", Justification: "project work",
			CreatedDateTime: created, Schedule: sim.Schedule{ExpirationType: "noExpiration"}, Stages: stages})
	}
	return t
}

// suiteVariant is a suite tenant with its sources: the Graph v1.0 pair
// (access packages and groups), or Entra roles and groups (see
// faultsuite_roles_test.go). Its fault cases are the same; fault moves a
// fault written for the v1.0 operations onto the variant's.
type suiteVariant struct {
	// title introduces the variant's tables (empty for the first, v1Suite,
	// whose tables follow the list of faults).
	title    string
	tenant   func(now time.Time) *sim.Tenant
	requests func(n int) []graph.DecisionRequest
	sources  []graph.Source
	fault    func(sim.Fault) []sim.Fault
}

var v1Suite = suiteVariant{
	tenant:   suiteTenant,
	requests: suiteRequests,
	sources:  []graph.Source{graph.SourceAccessPackage, graph.SourceGroup},
	fault:    func(f sim.Fault) []sim.Fault { return []sim.Fault{f} },
}

// suiteEnv is one scenario's world: a fresh simulator and client.
type suiteEnv struct {
	t       *testing.T
	sim     *sim.Server
	client  *graph.Client
	wire    *wireLog
	journal *journal.Journal
	jpath   string
	log     *syncBuffer
}

func newSuiteEnv(t *testing.T, v suiteVariant, opts func(*graph.Options)) *suiteEnv {
	t.Helper()
	tenant := v.tenant(time.Now().UTC())
	if err := tenant.Validate(); err != nil {
		t.Fatalf("suite tenant: %v", err)
	}
	s := sim.New(sim.Options{Seed: 1, Tenant: tenant})
	srv := httptest.NewServer(s)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	t.Cleanup(func() { s.Close(); srv.Close(); transport.CloseIdleConnections() })

	jpath := filepath.Join(t.TempDir(), "state", "journal.jsonl")
	j, err := journal.Open(jpath, journal.Options{User: "Suite Me"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	e := &suiteEnv{t: t, sim: s, journal: j, jpath: jpath, log: &syncBuffer{},
		wire: &wireLog{rt: transport, canary: suiteCanary, identity: suiteMeUPN, patches: map[string]*patchTally{}}}
	o := graph.Options{
		GraphURL:       srv.URL,
		ARMURL:         srv.URL + sim.ARMPrefix, // used by the variants that poll azure
		Credential:     graph.StaticToken(suiteCanary),
		ClientOptions:  azcore.ClientOptions{Transport: e.wire},
		RequestTimeout: 2 * time.Second,
		RetryDelay:     5 * time.Millisecond,
		MaxRetryDelay:  time.Second,
		Journal:        j,
		Logf:           func(format string, args ...any) { e.log.printf(format, args...) },
		Sources:        v.sources,
	}
	if opts != nil {
		opts(&o)
	}
	if e.client, err = graph.New(o); err != nil {
		t.Fatal(err)
	}
	return e
}

// wireLog stands between the client and the simulator. It checks every
// request carries the canary token, forwards it as the simulator identity,
// and counts the PATCHes each stage received and how many were throttled.
type wireLog struct {
	rt               http.RoundTripper
	canary, identity string

	mu      sync.Mutex
	patches map[string]*patchTally // by URL path
}

type patchTally struct{ sent, throttled int }

func (w *wireLog) Do(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") != "Bearer "+w.canary {
		return nil, fmt.Errorf("suite transport: the request does not carry the client's token")
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+w.identity)
	resp, err := w.rt.RoundTrip(r)
	if req.Method == http.MethodPatch {
		w.mu.Lock()
		p := w.patches[req.URL.Path]
		if p == nil {
			p = &patchTally{}
			w.patches[req.URL.Path] = p
		}
		p.sent++
		if err == nil && resp.StatusCode == http.StatusTooManyRequests {
			p.throttled++
		}
		w.mu.Unlock()
	}
	return resp, err
}

// stagePatches is what the wire saw for one stage: PATCHes sent, and of
// those, how many Graph refused with 429 before doing anything.
func (w *wireLog) stagePatches(stageID string) (sent, throttled int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for path, p := range w.patches {
		if strings.HasSuffix(path, "/stages/"+stageID) || strings.HasSuffix(path, "/steps/"+stageID) {
			sent += p.sent
			throttled += p.throttled
		}
	}
	return sent, throttled
}

func (w *wireLog) totals() (sent, throttled int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.patches {
		sent += p.sent
		throttled += p.throttled
	}
	return sent, throttled
}

// syncBuffer collects the client's request log from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) printf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(&b.buf, format+"\n", args...)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
