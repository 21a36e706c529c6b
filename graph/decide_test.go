package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// fakeStage is one stage on the fake Graph with just enough state for
// Decide: who reviewed it, how, and how many PATCHes were applied.
type fakeStage struct {
	mu       sync.Mutex
	status   string
	result   string
	reviewer map[string]any
	applied  int
	patches  int
	// onPatch decides what a PATCH does: "apply" (204), "apply-reset"
	// (apply, then drop the connection), "reset" (drop without applying),
	// "500", "500-apply", or an HTTP status to answer with.
	onPatch func(n int) string
	getFail bool // GET stage answers 500
	// patchDone is the context of the PATCH being handled: done once its
	// client gave up (timed out or cancelled).
	patchDone context.Context
}

const (
	testApproval = "ap-1"
	testStage    = "st-1"
	otherID      = "22222222-2222-2222-2222-222222222222"
)

var testRef = Ref{Source: SourceAccessPackage, ID: testApproval}

func newStageServer(t *testing.T, st *fakeStage) *fakeGraph {
	f := newFakeGraph(t)
	path := "/v1.0" + pathEMApprovals + "/" + testApproval + "/stages/" + testStage
	f.handle("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.getFail {
			writeJSON(w, 500, graphErr("InternalServerError", "boom"))
			return
		}
		writeJSON(w, 200, stageJSON(testStage, st.status, st.result, st.reviewer))
	})
	f.handle("PATCH "+path, func(w http.ResponseWriter, r *http.Request) {
		var body wireDecision
		_ = json.NewDecoder(r.Body).Decode(&body)
		st.mu.Lock()
		st.patches++
		st.patchDone = r.Context()
		action := "apply"
		if st.onPatch != nil {
			action = st.onPatch(st.patches)
		}
		apply := func(by string) {
			if st.result != "NotReviewed" {
				return
			}
			st.applied++
			st.result = map[string]string{"Approve": "Approved", "Deny": "Denied"}[body.ReviewResult]
			st.status = "Completed"
			st.reviewer = map[string]any{"id": by, "displayName": "Megan Bowen"}
		}
		switch action {
		case "apply":
			if st.result != "NotReviewed" {
				st.mu.Unlock()
				writeJSON(w, 409, graphErr("", "already decided"))
				return
			}
			apply(meID)
			st.mu.Unlock()
			w.WriteHeader(204)
		case "apply-reset", "reset":
			if action == "apply-reset" {
				apply(meID)
			}
			st.mu.Unlock()
			hijackClose(w)
		case "500-apply":
			apply(meID)
			st.mu.Unlock()
			writeJSON(w, 500, graphErr("InternalServerError", "boom"))
		default:
			st.mu.Unlock()
			var status int
			_, _ = fmt.Sscan(action, &status)
			if status == 429 {
				w.Header().Set("Retry-After", "0.05")
			}
			writeJSON(w, status, graphErr("Code"+action, "message for "+action))
		}
	})
	return f
}

func hijackClose(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func undecided() *fakeStage { return &fakeStage{status: "InProgress", result: "NotReviewed"} }

func decideOnce(t *testing.T, f *fakeGraph, d Decision, mod ...func(*Options)) DecisionResult {
	t.Helper()
	return testClient(t, f, mod...).Decide(t.Context(), DecisionRequest{Ref: testRef, StageID: testStage, Decision: d, Justification: "looks right"})
}

func TestDecideApplied(t *testing.T) {
	t.Parallel()
	for _, d := range []Decision{Approve, Deny} {
		st := undecided()
		res := decideOnce(t, newStageServer(t, st), d)
		want := map[Decision]Outcome{Approve: OutcomeApproved, Deny: OutcomeDenied}[d]
		if res.Outcome != want || res.Attempts != 1 || res.Err != nil || st.applied != 1 {
			t.Fatalf("%s: %+v, applied %d", d, res, st.applied)
		}
		if st.result != string(readBack(d)) {
			t.Fatalf("stage result %q", st.result)
		}
	}
}

func TestDecideConflictByOther(t *testing.T) {
	t.Parallel()
	st := &fakeStage{status: "Completed", result: "Denied", reviewer: map[string]any{"id": otherID, "displayName": "Adele Vance"}}
	res := decideOnce(t, newStageServer(t, st), Approve)
	if res.Outcome != OutcomeAlreadyDecided || res.DecidedBy != (Identity{ID: otherID, DisplayName: "Adele Vance"}) ||
		res.DecidedAs != Denied || res.Attempts != 1 || st.applied != 0 {
		t.Fatalf("%+v", res)
	}
}

func TestDecideConflictByMeEarlierIsSuccess(t *testing.T) {
	t.Parallel()
	st := &fakeStage{status: "Completed", result: "Approved", reviewer: map[string]any{"id": meID, "displayName": "Megan Bowen"}}
	res := decideOnce(t, newStageServer(t, st), Approve)
	if res.Outcome != OutcomeApproved || res.Err != nil || res.Attempts != 1 {
		t.Fatalf("%+v", res)
	}
}

func TestDecideDefiniteFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status   string
		outcome  Outcome
		sentinel error
	}{
		{"404", OutcomeGone, ErrNotFound},
		{"403", OutcomeFailed, ErrForbidden},
		{"400", OutcomeFailed, ErrBadRequest},
		{"401", OutcomeFailed, ErrUnauthorized},
		{"429", OutcomeFailed, ErrThrottled},
	} {
		t.Run(tc.status, func(t *testing.T) {
			st := undecided()
			st.onPatch = func(int) string { return tc.status }
			res := decideOnce(t, newStageServer(t, st), Approve, func(o *Options) { o.MaxRetries = 1 })
			if res.Outcome != tc.outcome || !errors.Is(res.Err, tc.sentinel) || res.Attempts != 1 {
				t.Fatalf("%+v", res)
			}
			if tc.status == "400" && !strings.Contains(res.Err.Error(), "message for 400") {
				t.Fatalf("400 must carry the service message: %v", res.Err)
			}
			if tc.status == "429" && st.patches != 2 {
				t.Fatalf("a 429 PATCH is safe to retry in the pipeline: %d PATCHes", st.patches)
			}
			if tc.status != "429" && st.patches != 1 {
				t.Fatalf("%d PATCHes for a %s", st.patches, tc.status)
			}
		})
	}
}

// throttledOnce answers a stage server's first PATCH with a 429 and
// applies the next.
func throttledOnce(n int) string {
	if n == 1 {
		return "429"
	}
	return "apply"
}

func TestDecideThrottledThenApplied(t *testing.T) {
	t.Parallel()
	st := undecided()
	st.onPatch = throttledOnce
	res := decideOnce(t, newStageServer(t, st), Approve)
	if res.Outcome != OutcomeApproved || res.Attempts != 1 || st.patches != 2 || st.applied != 1 {
		t.Fatalf("%+v, %d PATCHes", res, st.patches)
	}
}

// A 5xx or a reset is never blindly re-sent: the stage is read first.
func TestDecideResetAfterApplyIsSuccessWithOnePatch(t *testing.T) {
	t.Parallel()
	for _, action := range []string{"apply-reset", "500-apply"} {
		t.Run(action, func(t *testing.T) {
			st := undecided()
			st.onPatch = func(int) string { return action }
			f := newStageServer(t, st)
			res := decideOnce(t, f, Approve)
			if res.Outcome != OutcomeApproved || res.Attempts != 1 || st.patches != 1 || st.applied != 1 {
				t.Fatalf("%+v, %d PATCHes, %d applied", res, st.patches, st.applied)
			}
		})
	}
}

func TestDecideAmbiguousThenOtherDecided(t *testing.T) {
	t.Parallel()
	st := undecided()
	st.onPatch = func(int) string {
		// Someone else's decision lands while ours is lost.
		st.result, st.status = "Denied", "Completed"
		st.reviewer = map[string]any{"id": otherID, "displayName": "Adele Vance"}
		return "reset"
	}
	res := decideOnce(t, newStageServer(t, st), Approve)
	if res.Outcome != OutcomeAlreadyDecided || res.DecidedBy.DisplayName != "Adele Vance" || res.DecidedAs != Denied || st.patches != 1 {
		t.Fatalf("%+v, %d PATCHes", res, st.patches)
	}
}

func TestDecideAmbiguousUndecidedRetriesOnce(t *testing.T) {
	t.Parallel()
	for _, first := range []string{"reset", "500"} {
		t.Run(first, func(t *testing.T) {
			st := undecided()
			st.onPatch = func(n int) string {
				if n == 1 {
					return first
				}
				return "apply"
			}
			res := decideOnce(t, newStageServer(t, st), Deny)
			if res.Outcome != OutcomeDenied || res.Attempts != 2 || st.patches != 2 || st.applied != 1 {
				t.Fatalf("%+v, %d PATCHes", res, st.patches)
			}
		})
	}
}

// Two ambiguous failures, but the stage reads back open and undecided:
// nothing landed, so it is a failure (safe to retry), not "unknown", and
// no third PATCH goes out.
func TestDecideAmbiguousTwiceStillUndecidedIsFailed(t *testing.T) {
	t.Parallel()
	st := undecided()
	st.onPatch = func(int) string { return "500" }
	res := decideOnce(t, newStageServer(t, st), Approve)
	if res.Outcome != OutcomeFailed || res.Attempts != 2 || st.patches != 2 || errors.Is(res.Err, ErrOutcomeUnknown) {
		t.Fatalf("%+v, %d PATCHes", res, st.patches)
	}
	var ge *Error
	if msg := res.Err.Error(); !errors.As(res.Err, &ge) || ge.StatusCode != 500 || !strings.Contains(msg, "still undecided") || !strings.Contains(msg, "safe to retry") {
		t.Fatalf("error %q must keep the Graph error and say the stage is still undecided", msg)
	}
}

func TestDecideCannotTellIsUnknown(t *testing.T) {
	t.Parallel()
	st := undecided()
	st.getFail = true
	st.onPatch = func(int) string { return "reset" }
	res := decideOnce(t, newStageServer(t, st), Approve, func(o *Options) { o.MaxRetries = 1 })
	if res.Outcome != OutcomeUnknown || res.Attempts != 1 || st.patches != 1 || !errors.Is(res.Err, ErrOutcomeUnknown) {
		t.Fatalf("%+v, %d PATCHes", res, st.patches)
	}
	if msg := res.Err.Error(); !strings.Contains(msg, "unknown") || !strings.Contains(msg, "re-check") {
		t.Fatalf("error %q must say the outcome is unknown and to re-check", msg)
	}
}

func TestDecideTimeoutIsAmbiguous(t *testing.T) {
	t.Parallel()
	st := undecided()
	st.onPatch = func(n int) string {
		if n == 1 {
			st.mu.Unlock()
			<-st.patchDone.Done() // the client timed out: apply only now
			st.mu.Lock()
		}
		return "apply"
	}
	res := decideOnce(t, newStageServer(t, st), Approve, func(o *Options) { o.RequestTimeout = 100 * time.Millisecond })
	// The first PATCH timed out client-side but was applied after; the
	// re-read finds it, so no second PATCH goes out... or, if the re-read
	// came first, the retry gets a 409 that reads back as ours.
	if !res.Outcome.Applied() || st.applied != 1 {
		t.Fatalf("%+v, %d PATCHes, %d applied", res, st.patches, st.applied)
	}
}

type recordingJournal struct {
	mu       sync.Mutex
	attempts []int
	outcomes []DecisionResult
	fail     error
}

func (j *recordingJournal) Attempt(_ DecisionRequest, n int) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.attempts = append(j.attempts, n)
	return j.fail
}

func (j *recordingJournal) Outcome(r DecisionResult) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.outcomes = append(j.outcomes, r)
}

func TestDecideJournal(t *testing.T) {
	t.Parallel()
	st := undecided()
	st.onPatch = func(n int) string {
		if n == 1 {
			return "500"
		}
		return "apply"
	}
	j := &recordingJournal{}
	res := decideOnce(t, newStageServer(t, st), Approve, func(o *Options) { o.Journal = j })
	if len(j.attempts) != 2 || j.attempts[0] != 1 || j.attempts[1] != 2 || len(j.outcomes) != 1 || j.outcomes[0].Outcome != res.Outcome {
		t.Fatalf("attempts %v, outcomes %+v", j.attempts, j.outcomes)
	}

	st = undecided()
	j = &recordingJournal{fail: errors.New("disk full")}
	res = decideOnce(t, newStageServer(t, st), Approve, func(o *Options) { o.Journal = j })
	if res.Outcome != OutcomeFailed || res.Attempts != 0 || st.patches != 0 || len(j.outcomes) != 1 || !strings.Contains(res.Err.Error(), "disk full") {
		t.Fatalf("%+v, %d PATCHes", res, st.patches)
	}
}

func TestDecideCancelledBeforeSending(t *testing.T) {
	t.Parallel()
	st := undecided()
	f := newStageServer(t, st)
	c := testClient(t, f)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res := c.Decide(ctx, DecisionRequest{Ref: testRef, StageID: testStage, Decision: Approve})
	if res.Outcome != OutcomeCancelled || res.Attempts != 0 || st.patches != 0 {
		t.Fatalf("%+v", res)
	}
}

func TestDecideRejectsBadRequests(t *testing.T) {
	t.Parallel()
	st := undecided()
	c := testClient(t, newStageServer(t, st))
	for _, req := range []DecisionRequest{
		{Ref: testRef, StageID: testStage, Decision: "Approved"},
		{Ref: testRef, Decision: Approve},
		{StageID: testStage, Decision: Deny},
		{Ref: testRef, StageID: testStage, Decision: Deny, Justification: strings.Repeat("審", MaxJustification+1)},
	} {
		if res := c.Decide(t.Context(), req); res.Outcome != OutcomeFailed || res.Attempts != 0 || !strings.Contains(res.Err.Error(), "nothing was sent") {
			t.Fatalf("%+v", res)
		}
	}
	// At the limit exactly (counted in characters, not bytes) it goes out.
	at := DecisionRequest{Ref: testRef, StageID: testStage, Decision: Deny, Justification: strings.Repeat("審", MaxJustification)}
	if res := c.Decide(t.Context(), at); res.Outcome != OutcomeDenied {
		t.Fatalf("a justification of exactly %d characters: %+v", MaxJustification, res)
	}
	if st.patches != 1 {
		t.Fatalf("%d PATCHes, want only the one within the limit", st.patches)
	}
}

func TestDecideNeedsMe(t *testing.T) {
	t.Parallel()
	st := undecided()
	f := newStageServer(t, st)
	f.handle("GET /v1.0/me", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 403, graphErr("Forbidden", "no User.Read")) })
	res := decideOnce(t, f, Approve)
	if res.Outcome != OutcomeFailed || !errors.Is(res.Err, ErrForbidden) || st.patches != 0 {
		t.Fatalf("%+v", res)
	}
}

func TestDecideManyKeepsOrderAndLimitsConcurrency(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	var inFlight, peak atomic.Int32
	second := make(chan struct{}) // closed when two PATCHes are in flight at once
	var secondOnce sync.Once
	for i := range 12 {
		id := string(rune('a' + i))
		f.handle("PATCH /v1.0"+pathEMApprovals+"/"+id+"/stages/s", func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			if n >= 2 {
				secondOnce.Do(func() { close(second) })
			}
			select { // the first waits for a second to be sent alongside it
			case <-second:
			case <-r.Context().Done():
			}
			inFlight.Add(-1)
			if id == "c" {
				writeJSON(w, 404, graphErr("NotFound", "gone"))
				return
			}
			w.WriteHeader(204)
		})
	}
	c := testClient(t, f, func(o *Options) { o.DecideConcurrency = 3 })
	var reqs []DecisionRequest
	for i := range 12 {
		reqs = append(reqs, DecisionRequest{Ref: Ref{Source: SourceAccessPackage, ID: string(rune('a' + i))}, StageID: "s", Decision: Approve})
	}
	var calls atomic.Int32
	var concurrent atomic.Int32
	results := c.DecideMany(t.Context(), reqs, func(DecisionResult) {
		if concurrent.Add(1) > 1 {
			t.Error("progress called concurrently")
		}
		calls.Add(1)
		concurrent.Add(-1)
	})
	if calls.Load() != 12 || len(results) != 12 {
		t.Fatalf("%d progress calls, %d results", calls.Load(), len(results))
	}
	for i, r := range results {
		if r.Request != reqs[i] {
			t.Fatalf("result %d is for %+v", i, r.Request)
		}
		want := OutcomeApproved
		if r.Request.Ref.ID == "c" {
			want = OutcomeGone
		}
		if r.Outcome != want {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	if p := peak.Load(); p > 3 || p < 2 {
		t.Fatalf("peak PATCHes in flight = %d, want at most 3 (and some concurrency)", p)
	}
}

// Cancelling while the PATCH is in flight makes it ambiguous; the client
// still finds out (with a fresh, bounded read) instead of guessing.
func TestDecideCancelledMidPatchStillFindsOut(t *testing.T) {
	t.Parallel()
	st := undecided()
	st.onPatch = func(int) string {
		st.result, st.status = "Approved", "Completed"
		st.applied++
		st.reviewer = map[string]any{"id": meID, "displayName": "Megan Bowen"}
		st.mu.Unlock()
		<-st.patchDone.Done() // applied; the caller gives up before hearing so
		st.mu.Lock()
		return "204"
	}
	c := testClient(t, newStageServer(t, st))
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	res := c.Decide(ctx, DecisionRequest{Ref: testRef, StageID: testStage, Decision: Approve})
	if res.Outcome != OutcomeApproved || res.Attempts != 1 || st.applied != 1 {
		t.Fatalf("%+v", res)
	}
}

// flakyCredential hands out short-lived tokens and fails after ok calls.
type flakyCredential struct {
	mu sync.Mutex
	ok int
}

func (f *flakyCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ok == 0 {
		return azcore.AccessToken{}, errors.New("AADSTS70043: the refresh token has expired")
	}
	f.ok--
	// Already expired, so the bearer policy must ask again next time.
	return azcore.AccessToken{Token: fakeToken, ExpiresOn: time.Now().Add(-time.Second)}, nil
}

// A PATCH that never left the machine (no token, nothing listening) is a
// plain failure, not an unknown outcome, and counts no attempt.
func TestDecideNotSentIsFailedNotUnknown(t *testing.T) {
	t.Parallel()
	t.Run("no token", func(t *testing.T) {
		st := undecided()
		res := decideOnce(t, newStageServer(t, st), Approve, func(o *Options) { o.Credential = &flakyCredential{ok: 1} })
		if res.Outcome != OutcomeFailed || res.Attempts != 0 || st.patches != 0 || !strings.Contains(res.Err.Error(), "AADSTS70043") {
			t.Fatalf("%+v", res)
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		st := undecided()
		f := newStageServer(t, st)
		c := testClient(t, f, func(o *Options) {
			o.MaxRetries = -1
			// No idle connection to reuse: a write on a dead kept-alive
			// connection is genuinely ambiguous; a refused dial is not.
			o.Transport = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		})
		if _, err := c.Me(t.Context()); err != nil {
			t.Fatal(err)
		}
		f.srv.Close()
		res := c.Decide(t.Context(), DecisionRequest{Ref: testRef, StageID: testStage, Decision: Approve})
		if res.Outcome != OutcomeFailed || res.Attempts != 0 || !strings.Contains(res.Err.Error(), "nothing was sent") {
			t.Fatalf("%+v", res)
		}
	})
}

// caeRefusingCredential hands out the fake token, but cannot satisfy a CAE
// claims challenge without the user (azidentity's
// AuthenticationRequiredError with DisableAutomaticAuthentication).
type caeRefusingCredential struct{}

var errInteractionRequired = errors.New("interaction required: sign in again")

func (caeRefusingCredential) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if o.Claims != "" {
		return azcore.AccessToken{}, errInteractionRequired
	}
	return azcore.AccessToken{Token: fakeToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// A PATCH answered with a CAE challenge (401 insufficient_claims) was not
// acted on; when no token with the claims can be had without the user, the
// decision failed (safe to retry after signing in), it is not "unknown".
func TestDecideCAEChallengeNeedingSignInIsFailedNotUnknown(t *testing.T) {
	t.Parallel()
	st := undecided()
	f := newStageServer(t, st)
	challenge := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", `+
			`claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNzAwMDAwMDAwIn19fQ=="`)
		writeJSON(w, 401, graphErr("InvalidAuthenticationToken", "Continuous access evaluation resulted in challenge"))
	}
	path := "/v1.0" + pathEMApprovals + "/" + testApproval + "/stages/" + testStage
	f.handle("PATCH "+path, challenge)
	f.handle("GET "+path, challenge)
	res := decideOnce(t, f, Approve, func(o *Options) { o.Credential = caeRefusingCredential{} })
	if res.Outcome != OutcomeFailed || !errors.Is(res.Err, errInteractionRequired) || errors.Is(res.Err, ErrOutcomeUnknown) ||
		!strings.Contains(res.Err.Error(), "not applied") {
		t.Fatalf("%+v", res)
	}
	if n := f.count("PATCH " + path); n != 1 {
		t.Fatalf("PATCHes = %d, want 1", n)
	}
	if n := f.count("GET " + path); n != 0 {
		t.Fatalf("the stage was re-read %d times; a refused PATCH needs no re-read", n)
	}
	mustContainNoToken(t, "error", res.Err.Error())
}

// A PATCH refused with 409 was not applied: a stage decided with the same
// words (a shared template) and no reviewer named is someone else's
// decision, not ours. After an ambiguous PATCH, the same read is ours.
func TestDecideConflictUnnamedReviewerSameWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		onPatch func(st *fakeStage) func(int) string
		want    Outcome
	}{
		{"refused", func(st *fakeStage) func(int) string {
			st.result, st.status = "Approved", "Completed" // someone else, before us
			return nil
		}, OutcomeAlreadyDecided},
		{"ambiguous", func(st *fakeStage) func(int) string {
			return func(int) string {
				st.result, st.status = "Approved", "Completed" // ours, reply lost
				st.applied++
				return "reset"
			}
		}, OutcomeApproved},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := undecided()
			st.onPatch = tc.onPatch(st)
			f := newStageServer(t, st)
			f.handle("GET /v1.0"+pathEMApprovals+"/"+testApproval+"/stages/"+testStage, func(w http.ResponseWriter, r *http.Request) {
				st.mu.Lock()
				defer st.mu.Unlock()
				s := stageJSON(testStage, st.status, st.result, nil) // reviewedBy: null
				s["justification"] = "looks right"
				writeJSON(w, 200, s)
			})
			res := decideOnce(t, f, Approve)
			if res.Outcome != tc.want || st.patches != 1 {
				t.Fatalf("%+v, %d PATCHes", res, st.patches)
			}
		})
	}
}
