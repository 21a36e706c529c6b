package sim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFaultLatency(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant(), Faults: []Fault{{Kind: FaultLatency, Delay: 60 * time.Millisecond, Op: OpMe}}})
	start := time.Now()
	e.getJSON("/v1.0/me", "megan@contoso.com")
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("latency fault: answered in %v", d)
	}
	if st := e.sim.Stats(); st.Faulted != 1 {
		t.Errorf("Faulted %d", st.Faulted)
	}
}

func TestFaultThrottle(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	e.sim.AddFault(Fault{Kind: FaultThrottle, Op: OpListAccessPackageRequests, Count: 1, RetryAfter: "2.128"})
	e.sim.AddFault(Fault{Kind: FaultThrottle, Op: OpListAccessPackageRequests, Skip: 1, Count: 1, RetryAfter: "120"})
	r := e.do("GET", emRequests+approverFn, "megan@contoso.com", nil)
	r.expect(t, 429, "TooManyRequests")
	if r.header.Get("Retry-After") != "2.128" {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	r = e.do("GET", emRequests+approverFn, "megan@contoso.com", nil)
	r.expect(t, 429, "TooManyRequests")
	if r.header.Get("Retry-After") != "120" {
		t.Errorf("long Retry-After %q", r.header.Get("Retry-After"))
	}
	if r := e.do("GET", emRequests+approverFn, "megan@contoso.com", nil); r.status != 200 {
		t.Errorf("after the burst: %d", r.status)
	}
	// Other operations were never throttled.
	if r := e.do("GET", pimRequests+approverFn, "megan@contoso.com", nil); r.status != 200 {
		t.Errorf("PIM listing: %d", r.status)
	}
}

func TestFaultUnavailableBursts(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	e.sim.AddFault(Fault{Kind: FaultUnavailable, Method: "GET", Path: "/assignmentApprovals/", Count: 2, RetryAfter: "3"})
	e.sim.AddFault(Fault{Kind: FaultUnavailable, Status: 504, Op: OpMe, Count: 1})
	for range 2 {
		r := e.do("GET", pimApprovals+"/req-pim-1", "megan@contoso.com", nil)
		r.expect(t, 503, "ServiceUnavailable")
		if r.header.Get("Retry-After") != "3" {
			t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
		}
	}
	if r := e.do("GET", pimApprovals+"/req-pim-1", "megan@contoso.com", nil); r.status != 200 {
		t.Errorf("after the burst: %d", r.status)
	}
	r := e.do("GET", "/v1.0/me", "megan@contoso.com", nil)
	r.expect(t, 504, "")
	if r.header.Get("Retry-After") != "" {
		t.Errorf("504 without Retry-After has one: %q", r.header.Get("Retry-After"))
	}
}

func TestFaultHangUntilClientGivesUp(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant(), Faults: []Fault{{Kind: FaultHang, Op: OpGetApproval, Count: 1}}})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+emApprovals+"/req-em-1", nil)
	req.Header.Set("Authorization", "Bearer megan@contoso.com")
	start := time.Now()
	_, err := e.srv.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the client's deadline, got %v", err)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("returned after %v", d)
	}
	if r := e.do("GET", emApprovals+"/req-em-1", "megan@contoso.com", nil); r.status != 200 {
		t.Errorf("next request: %d", r.status)
	}
}

func TestFaultResetAfterPatchApplies(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant(), Faults: []Fault{{Kind: FaultResetAfter, Op: OpPatchStage, Count: 1}}})
	path := emApprovals + "/req-em-1/stages/st-1"
	req, _ := http.NewRequest("PATCH", e.srv.URL+path, strings.NewReader(`{"reviewResult":"Approve","justification":"ok"}`))
	req.Header.Set("Authorization", "Bearer megan@contoso.com")
	req.Header.Set("Content-Type", "application/json")
	res, err := e.srv.Client().Do(req)
	if err == nil {
		res.Body.Close()
		t.Fatalf("want a connection error, got %d", res.StatusCode)
	}
	st, _ := e.sim.StageState("req-em-1", "st-1")
	if st.Status != StatusCompleted || st.ReviewResult != ResultApproved || st.PatchesApplied != 1 || st.PatchAttempts != 1 {
		t.Fatalf("after reset-after: %+v", st)
	}
	// A careful client re-reads the stage and finds its own decision.
	m := e.getJSON(path, "megan@contoso.com")
	if m["reviewResult"] != "Approved" || m["reviewedBy"].(map[string]any)["displayName"] != "Megan Bowen" {
		t.Errorf("stage: %v", m)
	}
	// A blind retry gets 409 and changes nothing.
	e.do("PATCH", path, "megan@contoso.com", approve("ok")).expect(t, 409, "Conflict")
	if st, _ := e.sim.StageState("req-em-1", "st-1"); st.PatchesApplied != 1 || st.PatchAttempts != 2 {
		t.Errorf("after a retry: %+v", st)
	}
}

func TestFaultResetBeforePatchDoesNotApply(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant(), Faults: []Fault{{Kind: FaultResetBefore, Method: "PATCH", Count: 1}}})
	path := emApprovals + "/req-em-1/stages/st-1"
	req, _ := http.NewRequest("PATCH", e.srv.URL+path, strings.NewReader(`{"reviewResult":"Approve","justification":"ok"}`))
	req.Header.Set("Authorization", "Bearer megan@contoso.com")
	if res, err := e.srv.Client().Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("want a connection error, got %d", res.StatusCode)
	}
	st, _ := e.sim.StageState("req-em-1", "st-1")
	if st.Status != StatusInProgress || st.PatchesApplied != 0 || st.PatchAttempts != 1 {
		t.Fatalf("after reset-before: %+v", st)
	}
	if r := e.do("PATCH", path, "megan@contoso.com", approve("ok")); r.status != 204 {
		t.Fatalf("retry: %d %s", r.status, r.body)
	}
}

func TestFaultMalformedBody(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant(), Faults: []Fault{{Kind: FaultMalformed, Op: OpListAccessPackageRequests, Count: 1}}})
	r := e.do("GET", emRequests+approverFn, "megan@contoso.com", nil)
	if r.status != 200 || json.Valid(r.body) || len(r.body) == 0 {
		t.Errorf("malformed: %d valid=%v %q", r.status, json.Valid(r.body), r.body)
	}
	if r := e.do("GET", emRequests+approverFn, "megan@contoso.com", nil); !json.Valid(r.body) {
		t.Error("second response is malformed too")
	}
}

func TestFaultEmptyPageAndPageCap(t *testing.T) {
	e := newEnv(t, Options{Seed: 4, Approvals: 130})
	demo := e.demo.UserPrincipalName
	want, _ := e.listAll(emRequests+approverFn+"?$top=20", demo)
	if len(want) <= pageCapSize {
		t.Fatalf("need more than %d EM approvals, have %d", pageCapSize, len(want))
	}
	e.sim.AddFault(Fault{Kind: FaultEmptyPage, Op: OpListAccessPackageRequests, Skip: 1, Count: 2})
	m := e.getJSON(emRequests+approverFn+"?$top=20", demo)
	m = e.getJSON(m["@odata.nextLink"].(string), demo)
	if len(values(t, m)) != 0 || m["@odata.nextLink"] == nil {
		t.Fatalf("empty page: %v", m)
	}
	got, _ := e.listAll(emRequests+approverFn+"?$top=20", demo)
	if !slices.Equal(ids(got), ids(want)) {
		t.Errorf("with an empty page in the middle: %d items, want %d", len(got), len(want))
	}

	e.sim.ClearFaults()
	e.sim.AddFault(Fault{Kind: FaultPageCap, Op: OpListAccessPackageRequests})
	m = e.getJSON(emRequests+approverFn+"?$top=999", demo)
	if n := len(values(t, m)); n != pageCapSize || m["@odata.nextLink"] != nil {
		t.Errorf("page cap: %d items, nextLink %v", n, m["@odata.nextLink"])
	}
}

func TestFaultExpiredToken(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant(), Faults: []Fault{{Kind: FaultExpiredToken, Skip: 2, Count: 1}}})
	for range 2 {
		if r := e.do("GET", "/v1.0/me", "megan@contoso.com", nil); r.status != 200 {
			t.Fatalf("before expiry: %d", r.status)
		}
	}
	r := e.do("GET", "/v1.0/me", "megan@contoso.com", nil)
	r.expect(t, 401, "InvalidAuthenticationToken")
	if !strings.Contains(string(r.body), "Lifetime validation failed, the token is expired.") || r.header.Get("WWW-Authenticate") == "" {
		t.Errorf("expired token: %v %s", r.header, r.body)
	}
}

func TestFaultClaimsChallenge(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant(), Faults: []Fault{{Kind: FaultClaimsChallenge, Op: OpPatchStage, Count: 1}}})
	r := e.do("PATCH", emApprovals+"/req-em-1/stages/st-1", "megan@contoso.com", approve("ok"))
	r.expect(t, 401, "InvalidAuthenticationToken")
	h := r.header.Get("WWW-Authenticate")
	_, claims, ok := strings.Cut(h, `claims="`)
	claims, _, _ = strings.Cut(claims, `"`)
	raw, err := base64.StdEncoding.DecodeString(claims)
	if !ok || !strings.Contains(h, `error="insufficient_claims"`) || err != nil || !json.Valid(raw) {
		t.Fatalf("challenge %q (claims %q: %v)", h, raw, err)
	}
	if st, _ := e.sim.StageState("req-em-1", "st-1"); st.Status != StatusInProgress {
		t.Error("a challenged PATCH was applied")
	}
	if r := e.do("PATCH", emApprovals+"/req-em-1/stages/st-1", "megan@contoso.com", approve("ok")); r.status != 204 {
		t.Errorf("after the challenge: %d", r.status)
	}
}

func TestFaultProbabilityIsSeeded(t *testing.T) {
	run := func() []int {
		e := newEnv(t, Options{Seed: 99, Tenant: smallTenant(), Faults: []Fault{{Kind: FaultThrottle, Probability: 0.5}}})
		var out []int
		for range 30 {
			out = append(out, e.do("GET", "/v1.0/me", "megan@contoso.com", nil).status)
		}
		return out
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	if !slices.Contains(a, 429) || !slices.Contains(a, 200) {
		t.Errorf("p=0.5 over 30 requests: %v", a)
	}
}

func TestParseFaults(t *testing.T) {
	spec := "throttle:op=listAccessPackageRequests,count=2,retry-after=2.128; reset-after:op=patchStage,count=1;" +
		"latency:delay=250ms,p=0.05;unavailable:status=504,skip=1;batch-throttle:op=getApproval,retry-after=120;" +
		"page-cap;empty-page:path=/assignmentRequests/;expired-token:method=GET,count=1;hang:op=getStage;latency:delay=10ms,batch=true;claims-challenge:op=patchStage"
	fs, err := ParseFaults(spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 11 {
		t.Fatalf("%d faults", len(fs))
	}
	want := Fault{Kind: FaultThrottle, Op: OpListAccessPackageRequests, Count: 2, RetryAfter: "2.128"}
	if fs[0] != want {
		t.Errorf("fault 0: %+v", fs[0])
	}
	if fs[2].Delay != 250*time.Millisecond || fs[2].Probability != 0.05 || fs[3].Status != 504 || fs[3].Skip != 1 || !fs[9].InBatch {
		t.Errorf("parsed %+v", fs)
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.String())
	}
	again, err := ParseFaults(strings.Join(parts, ";"))
	if err != nil || !slices.Equal(again, fs) {
		t.Errorf("String does not round-trip: %v %v", err, parts)
	}
	for _, bad := range []string{"explode", "latency", "latency:delay=fast", "throttle:op=nope", "throttle:count=-1",
		"unavailable:status=500", "throttle:p=2", "throttle:retry-after=soon", "throttle:count", "hang:colour=red", "throttle:delay=1s"} {
		if _, err := ParseFaults(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if fs, err := ParseFaults(""); err != nil || len(fs) != 0 {
		t.Errorf("empty spec: %v %v", fs, err)
	}
}
