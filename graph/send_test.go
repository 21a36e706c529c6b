package graph

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestErrorDecodingAndIs(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	cases := []struct {
		status   int
		sentinel error
	}{
		{400, ErrBadRequest}, {401, ErrUnauthorized}, {403, ErrForbidden},
		{404, ErrNotFound}, {409, ErrConflict}, {429, ErrThrottled},
	}
	for _, tc := range cases {
		path := fmt.Sprintf("/v1.0/status/%d", tc.status)
		f.handle("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("request-id", "hdr-request-id")
			if tc.status == 429 {
				w.Header().Set("Retry-After", "120") // above the cap: no retry
			}
			writeJSON(w, tc.status, graphErr(fmt.Sprintf("Code%d", tc.status), "line one\nline two\x1b[31m"))
		})
	}
	c := testClient(t, f)
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			err := c.getJSON(t.Context(), c.base+fmt.Sprintf("/status/%d", tc.status), &struct{}{})
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("err = %T %v", err, err)
			}
			if ge.StatusCode != tc.status || ge.Code != fmt.Sprintf("Code%d", tc.status) ||
				ge.RequestID != fmt.Sprintf("req-Code%d", tc.status) || ge.ClientRequestID == "" || ge.Date.IsZero() {
				t.Fatalf("error = %+v", ge)
			}
			for _, other := range cases {
				if errors.Is(err, other.sentinel) != (other.sentinel == tc.sentinel) {
					t.Fatalf("errors.Is(%v, %v) wrong", err, other.sentinel)
				}
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r\x1b") || !strings.Contains(msg, ge.Code) || !strings.Contains(msg, ge.RequestID) {
				t.Fatalf("Error() = %q: want one line with code and request id", msg)
			}
			mustContainNoToken(t, "error", msg)
		})
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	f.handle("GET /v1.0/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "from-header")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("<html><body>Forbidden by proxy</body></html>"))
	})
	err := testClient(t, f).getJSON(t.Context(), f.srv.URL+"/v1.0/html", &struct{}{})
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != 403 || ge.RequestID != "from-header" || !errors.Is(err, ErrForbidden) {
		t.Fatalf("err = %#v", err)
	}
	if strings.Contains(err.Error(), "<html>") {
		t.Fatalf("Error() echoes the body: %q", err)
	}
}

func TestMalformedSuccessBodyIsAnError(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	f.handle(emListKey, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"value": [ {"id": "x"`))
	})
	f.handle(groupListKey, emptyList)
	snap, err := testClient(t, f).Refresh(t.Context())
	if err != nil || len(snap.Errors) != 1 || snap.Errors[0].Source != SourceAccessPackage {
		t.Fatalf("snap = %+v, err = %v", snap, err)
	}
}

func TestRetryAfterFractionalIsHonoured(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	var times []time.Time
	var mu sync.Mutex
	f.handle("GET /v1.0/slow", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		n := len(times)
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "0.35")
			writeJSON(w, 429, graphErr("TooManyRequests", "Please retry again later."))
			return
		}
		writeJSON(w, 200, map[string]any{"ok": true})
	})
	// RetryDelay far from 0.35s, so azcore's own backoff cannot pass for it.
	c := testClient(t, f, func(o *Options) { o.RetryDelay = 3 * time.Second })
	var v struct{ OK bool }
	if err := c.getJSON(t.Context(), c.base+"/slow", &v); err != nil || !v.OK {
		t.Fatalf("err = %v, v = %+v", err, v)
	}
	gap := times[1].Sub(times[0])
	if gap < 350*time.Millisecond || gap > 1500*time.Millisecond {
		t.Fatalf("waited %v between tries, want about 350ms", gap)
	}
	if c.Requests() != 2 {
		t.Fatalf("Requests() = %d, want 2", c.Requests())
	}
}

func TestRetryAfterAboveCapIsThrottled(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	f.handle("GET /v1.0/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "90.5")
		writeJSON(w, 429, graphErr("TooManyRequests", "Please retry again later."))
	})
	c := testClient(t, f, func(o *Options) { o.MaxRetryDelay = time.Second })
	start := time.Now()
	err := c.getJSON(t.Context(), c.base+"/busy", &struct{}{})
	var ge *Error
	if !errors.Is(err, ErrThrottled) || !errors.As(err, &ge) || ge.RetryAfter != 90500*time.Millisecond {
		t.Fatalf("err = %v", err)
	}
	if f.count("GET /v1.0/busy") != 1 || time.Since(start) > time.Second {
		t.Fatalf("tries = %d after %v: a Retry-After above the cap must not be waited", f.count("GET /v1.0/busy"), time.Since(start))
	}
}

func TestClientRequestIDOnEveryCall(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	f.handle("GET /v1.0/x", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{}) })
	c := testClient(t, f)
	for range 5 {
		if err := c.getJSON(t.Context(), c.base+"/x", &struct{}{}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, r := range f.requests() {
		id := r.Header.Get("client-request-id")
		if len(id) != 36 || seen[id] {
			t.Fatalf("client-request-id %q missing, malformed or reused", id)
		}
		seen[id] = true
	}
	if len(seen) != 5 {
		t.Fatalf("%d ids for 5 calls", len(seen))
	}
}

func TestNewRefusesPlainHTTPToNonLoopback(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"http://graph.microsoft.com", "http://10.0.0.1:8080", "http://example.test", "ftp://127.0.0.1", "127.0.0.1:8080", ""} {
		if _, err := New(Options{GraphURL: u, Credential: StaticToken(fakeToken)}); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
	for _, u := range []string{"https://graph.microsoft.com", "http://127.0.0.1:8080", "http://[::1]:9/", "http://localhost:1", "https://graph.microsoft.us/v1.0"} {
		c, err := New(Options{GraphURL: u, Credential: StaticToken(fakeToken)})
		if err != nil {
			t.Errorf("New(%q): %v", u, err)
			continue
		}
		if !strings.HasSuffix(c.base, "/v1.0") || strings.HasSuffix(c.base, "/v1.0/v1.0") {
			t.Errorf("New(%q) base = %q", u, c.base)
		}
	}
	if _, err := New(Options{GraphURL: "https://graph.microsoft.com"}); err == nil {
		t.Error("New without a credential accepted")
	}
}

func TestNextLinkToAnotherHostIsNotFollowed(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	f.handle(emListKey, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, page(nil, "https://evil.example/v1.0/steal?$skiptoken=1"))
	})
	f.handle(groupListKey, emptyList)
	snap, err := testClient(t, f).Refresh(t.Context())
	if err != nil || len(snap.Errors) != 1 || !strings.Contains(snap.Errors[0].Error(), "refusing") {
		t.Fatalf("snap = %+v, err = %v", snap, err)
	}
}

func TestHangingServerIsCutOffPerTry(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var tries atomic.Int32
	f.handle("GET /v1.0/hang", func(w http.ResponseWriter, r *http.Request) {
		if tries.Add(1) == 1 {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		writeJSON(w, 200, map[string]any{})
	})
	c := testClient(t, f, func(o *Options) { o.RequestTimeout = 150 * time.Millisecond })
	start := time.Now()
	if err := c.getJSON(t.Context(), c.base+"/hang", &struct{}{}); err != nil {
		t.Fatalf("a GET whose first try hung must succeed on the retry: %v", err)
	}
	if took := time.Since(start); took > 2*time.Second || tries.Load() != 2 {
		t.Fatalf("took %v with %d tries", took, tries.Load())
	}
}

func TestHangingServerGivesUpWithDeadline(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	f.handle("GET /v1.0/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	c := testClient(t, f, func(o *Options) { o.RequestTimeout = 100 * time.Millisecond; o.MaxRetries = 1 })
	start := time.Now()
	err := c.getJSON(t.Context(), c.base+"/hang", &struct{}{})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
	mustContainNoToken(t, "error", err.Error())
}

func TestLogIsRedacted(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	f.handle("GET /v1.0/x", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "rid-42")
		writeJSON(w, 403, graphErr("Forbidden", "nope"))
	})
	var mu sync.Mutex
	var lines []string
	c := testClient(t, f, func(o *Options) {
		o.Logf = func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, fmt.Sprintf(format, args...))
		}
	})
	err := c.getJSON(t.Context(), c.base+"/x?$filter=secretvalue%20eq%201", &struct{}{})
	if err == nil {
		t.Fatal("want a 403")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 1 {
		t.Fatalf("log = %q", lines)
	}
	l := lines[0]
	if !strings.Contains(l, "GET /v1.0/x?$filter") || !strings.Contains(l, "403") || !strings.Contains(l, "rid-42") {
		t.Fatalf("log line %q lacks method, path, status or request id", l)
	}
	if strings.Contains(l, "secretvalue") || strings.Contains(strings.ToLower(l), "bearer") {
		t.Fatalf("log line %q leaks a query value or auth", l)
	}
	mustContainNoToken(t, "log", l)
	mustContainNoToken(t, "error", err.Error())
	mustContainNoToken(t, "credential", fmt.Sprintf("%v %+v %#v", c, StaticToken(fakeToken), StaticToken(fakeToken)))
}

func TestTransportErrorIsTyped(t *testing.T) {
	t.Parallel()
	// A port nobody listens on: connection refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := New(Options{GraphURL: "http://" + addr, Credential: StaticToken(fakeToken), MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(t.Context())
	var te *transportError
	if !errors.As(err, &te) || te.delivered {
		t.Fatalf("err = %#v: want an undelivered transport error", err)
	}
	mustContainNoToken(t, "error", err.Error())
}
