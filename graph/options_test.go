package graph

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

type headerPolicy struct{ n *atomic.Int32 }

func (p headerPolicy) Do(r *policy.Request) (*http.Response, error) {
	p.n.Add(1)
	r.Raw().Header.Set("X-Added-By-Caller", "yes")
	return r.Next()
}

// Callers add azcore policies through the embedded ClientOptions; they run
// on every request, after the client's own.
func TestOptionsAcceptAzcorePolicies(t *testing.T) {
	t.Parallel()
	var seen atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Added-By-Caller") == "yes" {
			seen.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"u1","displayName":"Megan Bowen"}`))
	}))
	defer srv.Close()
	var n atomic.Int32
	c, err := New(Options{GraphURL: srv.URL, Credential: StaticToken("t"),
		ClientOptions: azcore.ClientOptions{PerCallPolicies: []policy.Policy{headerPolicy{&n}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Me(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 1 || seen.Load() != 1 {
		t.Fatalf("the caller's policy ran %d times; the server saw its header %d times", n.Load(), seen.Load())
	}
}

// A Retry-After date is counted from the client's clock, not the
// machine's.
func TestRetryAfterDateUsesTheInjectedClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c, err := New(Options{GraphURL: srv.URL, Credential: StaticToken("t"), Now: func() time.Time { return now },
		MaxRetryDelay: time.Second, RetryDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(t.Context())
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != http.StatusTooManyRequests || ge.RetryAfter != 90*time.Second {
		t.Fatalf("got %v (Retry-After %v), want a 429 saying 1m30s", err, func() time.Duration {
			if ge != nil {
				return ge.RetryAfter
			}
			return 0
		}())
	}
}
