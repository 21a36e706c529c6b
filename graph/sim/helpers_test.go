package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Paths used throughout the tests.
const (
	emRequests   = "/v1.0/identityGovernance/entitlementManagement/assignmentRequests"
	emApprovals  = "/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals"
	pimRequests  = "/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests"
	pimApprovals = "/v1.0/identityGovernance/privilegedAccess/group/assignmentApprovals"
	approverFn   = "/filterByCurrentUser(on='approver')"
)

// testNow is the fixed "now" of generated test tenants.
var testNow = time.Date(2025, 3, 10, 9, 30, 0, 0, time.UTC)

// fakeClock is an injectable clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a simulator behind a loopback httptest server.
type env struct {
	t     *testing.T
	sim   *Server
	srv   *httptest.Server
	clock *fakeClock
	demo  User   // the demo identity
	users []User // every approver
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	clock := &fakeClock{t: testNow}
	if opts.Clock == nil {
		opts.Clock = clock.Now
	}
	s := New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); srv.Close() })
	e := &env{t: t, sim: s, srv: srv, clock: clock, users: s.Approvers()}
	if len(e.users) > 0 {
		e.demo = e.users[0]
	}
	return e
}

// response is a raw HTTP response, body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request as user (a UPN or id; "" sends no Authorization).
// path may be absolute (a nextLink) or start with /v1.0.
func (e *env) do(method, path, user string, body any, headers ...string) response {
	e.t.Helper()
	url := strings.ReplaceAll(path, " ", "%20") // as any HTTP client would
	if !strings.HasPrefix(path, "http") {
		url = e.srv.URL + url
	}
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+user)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: raw}
}

// getJSON GETs path as user, expects 200 and decodes the body.
func (e *env) getJSON(path, user string) map[string]any {
	e.t.Helper()
	r := e.do("GET", path, user, nil)
	if r.status != 200 {
		e.t.Fatalf("GET %s as %s: %d %s", path, user, r.status, r.body)
	}
	return r.object(e.t)
}

func (r response) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// errorCode checks the Graph error shape and returns its code.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	m := r.object(t)
	if keys := sortedKeys(m); strings.Join(keys, ",") != "error" {
		t.Fatalf("error body has keys %v, want only error: %s", keys, r.body)
	}
	e, _ := m["error"].(map[string]any)
	if got := strings.Join(sortedKeys(e), ","); got != "code,innerError,message" {
		t.Fatalf("error has keys %s: %s", got, r.body)
	}
	inner, _ := e["innerError"].(map[string]any)
	if got := strings.Join(sortedKeys(inner), ","); got != "client-request-id,date,request-id" {
		t.Fatalf("innerError has keys %s: %s", got, r.body)
	}
	if inner["request-id"] != r.header.Get("request-id") || r.header.Get("request-id") == "" {
		t.Fatalf("innerError request-id %v, header %q", inner["request-id"], r.header.Get("request-id"))
	}
	code, _ := e["code"].(string)
	return code
}

func (r response) expect(t *testing.T, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if got := r.errorCode(t); code != "" && got != code {
		t.Fatalf("error code %q, want %q: %s", got, code, r.body)
	}
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// orderedKeys returns an object's keys in document order.
func orderedKeys(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// values returns the "value" array of a collection.
func values(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	arr, ok := m["value"].([]any)
	if !ok {
		t.Fatalf("no value array in %v", m)
	}
	out := make([]map[string]any, len(arr))
	for i, v := range arr {
		out[i] = v.(map[string]any)
	}
	return out
}

// listAll follows nextLinks verbatim and returns every item.
func (e *env) listAll(path, user string) (items []map[string]any, pages int) {
	e.t.Helper()
	next := path
	for next != "" {
		m := e.getJSON(next, user)
		items = append(items, values(e.t, m)...)
		pages++
		next, _ = m["@odata.nextLink"].(string)
		if pages > 10000 {
			e.t.Fatal("nextLink loop")
		}
	}
	return items, pages
}

// ids lists the "id" of each item.
func ids(items []map[string]any) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i], _ = it["id"].(string)
	}
	return out
}

// smallTenant is a hand-made tenant: two approvers (megan, adele) and an
// outsider (olga); one three-stage access package request waiting for
// megan then adele then both, and one PIM request for both.
func smallTenant() *Tenant {
	at := func(h int) time.Time { return testNow.Add(time.Duration(h) * time.Hour) }
	const (
		megan = "11111111-1111-4111-8111-111111111111"
		adele = "22222222-2222-4222-8222-222222222222"
		olga  = "33333333-3333-4333-8333-333333333333"
		raj   = "44444444-4444-4444-8444-444444444444"
	)
	return &Tenant{
		Version:   TenantVersion,
		Approvers: []string{megan, adele},
		Users: []User{
			{ID: megan, DisplayName: "Megan Bowen", UserPrincipalName: "megan@contoso.com", Mail: "megan@contoso.com"},
			{ID: adele, DisplayName: "Adele Vance", UserPrincipalName: "adele@contoso.com", Mail: "adele@contoso.com"},
			{ID: olga, DisplayName: "Olga Outsider", UserPrincipalName: "olga@contoso.com"},
			{ID: raj, DisplayName: "Raj Requestor", UserPrincipalName: "raj.patel@contoso.com", Mail: "raj.patel@contoso.com"},
		},
		Catalogs: []Catalog{{ID: "cat-1", DisplayName: "Finance", CatalogType: "userManaged", State: "published",
			CreatedDateTime: at(-1000), ModifiedDateTime: at(-900)}},
		AccessPackages: []AccessPackage{{ID: "ap-1", CatalogID: "cat-1", DisplayName: "SAP Finance — read",
			CreatedDateTime: at(-800), ModifiedDateTime: at(-700),
			Questions: []Question{{ID: "q-1", Kind: "text", Text: "Cost center?", IsSingleLineQuestion: true}},
			Policy:    Policy{Stages: []StagePolicy{{Approvers: []string{megan}}}}}},
		Groups: []Group{{ID: "grp-1", DisplayName: "PIM-Prod-SQL-Admins", Mail: "pim-prod-sql-admins@contoso.com",
			MemberPolicy: Policy{Stages: []StagePolicy{{Approvers: []string{megan, adele}}}},
			OwnerPolicy:  Policy{Stages: []StagePolicy{{Approvers: []string{adele}}}}}},
		AccessPackageRequests: []*AccessPackageRequest{{
			ID: "req-em-1", AccessPackageID: "ap-1", RequestorID: raj, TargetID: raj, AssignmentID: "asg-1",
			RequestType: "userAdd", State: StatePendingApproval, Status: "PendingApproval",
			Justification: "Quarter-end close", CreatedDateTime: at(-5),
			Schedule: Schedule{StartDateTime: at(-5), ExpirationType: "afterDuration", Duration: "P30D"},
			Answers:  []Answer{{QuestionID: "q-1", Value: "CC-4410"}},
			Stages: []Stage{
				{ID: "st-1", DisplayName: "Manager approval", Approvers: []string{megan}, Timeout: "P14D",
					Status: StatusInProgress, ReviewResult: ResultNotReviewed, StartedDateTime: at(-5)},
				{ID: "st-2", Approvers: []string{adele}, JustificationRequired: true, Timeout: "P7D",
					Status: StatusInitializing, ReviewResult: ResultNotReviewed},
				{ID: "st-3", Approvers: []string{megan, adele}, Status: StatusInitializing, ReviewResult: ResultNotReviewed},
			},
		}},
		GroupRequests: []*GroupRequest{{
			ID: "req-pim-1", GroupID: "grp-1", PrincipalID: raj, CreatedByID: raj, AccessID: "member",
			Action: "selfActivate", Status: PIMPendingApproval, Justification: "Incident INC0041872",
			CreatedDateTime: at(-2), ScheduleInfo: Schedule{StartDateTime: at(-2), ExpirationType: "afterDuration", Duration: "PT8H"},
			TicketNumber: "INC0041872", TicketSystem: "ServiceNow",
			Stages: []Stage{{ID: "req-pim-1", Approvers: []string{megan, adele}, Timeout: "PT24H",
				Status: StatusInProgress, ReviewResult: ResultNotReviewed, StartedDateTime: at(-2)}},
		}},
	}
}
