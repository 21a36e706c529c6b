package graph

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// A redirect is never followed: net/http would resend the bearer token to
// the same host on another port (or over plain http). It comes back as an
// error instead, and a redirected PATCH is a failure (not applied).
func TestRedirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the token was sent to %s", r.Host)
		}
		writeJSON(w, 200, map[string]any{"id": meID})
	}))
	t.Cleanup(other.Close)
	graphSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1.0/me" {
			writeJSON(w, 200, map[string]any{"id": meID})
			return
		}
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(graphSrv.Close)
	// No Transport option: the client's own transport is the one under test.
	c, err := New(Options{GraphURL: graphSrv.URL, Credential: StaticToken(fakeToken), MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Stages(t.Context(), testRef)
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("a redirected GET: %v", err)
	}
	mustContainNoToken(t, "the error", err.Error())
	res := c.Decide(t.Context(), DecisionRequest{Ref: testRef, StageID: testStage, Decision: Approve})
	if res.Outcome != OutcomeFailed || res.Attempts != 1 || !errors.As(res.Err, &ge) || ge.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("a redirected PATCH: %+v", res)
	}
	if reached.Load() != 0 {
		t.Fatalf("the redirect target was reached %d times", reached.Load())
	}
}
