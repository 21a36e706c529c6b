package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeToken is recognisable on purpose: tests assert it never shows up in
// errors or logs.
const fakeToken = "FAKE-TOKEN-eyJ0eXAiOiJKV1QiLCJub3QiOiJyZWFsIn0"

// fakeGraph is a tiny scripted Graph on loopback. Handlers are keyed by
// "METHOD /v1.0/path" (path unescaped, no query). POST /v1.0/$batch is
// served by running each inner GET through the same handlers, unless a
// test replaces it.
type fakeGraph struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	handlers map[string]http.HandlerFunc
	hits     map[string]int
	seen     []*http.Request // outer requests, in arrival order (bodies read into seenBodies)
	bodies   []string
}

func newFakeGraph(t *testing.T) *fakeGraph {
	t.Helper()
	f := &fakeGraph{t: t, handlers: map[string]http.HandlerFunc{}, hits: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	f.handle("POST /v1.0/$batch", f.serveBatch)
	f.handle("GET /v1.0/me", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": meID, "displayName": "Megan Bowen", "userPrincipalName": "megan@contoso.com"})
	})
	return f
}

const meID = "11111111-1111-1111-1111-111111111111"

func (f *fakeGraph) handle(key string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[key] = h
}

func (f *fakeGraph) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[key]
}

func (f *fakeGraph) requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.seen...)
}

func (f *fakeGraph) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.mu.Lock()
	f.seen = append(f.seen, r.Clone(r.Context()))
	f.bodies = append(f.bodies, string(body))
	f.mu.Unlock()
	if got := r.Header.Get("Authorization"); got != "Bearer "+fakeToken {
		writeJSON(w, 401, graphErr("InvalidAuthenticationToken", "Access token is empty."))
		return
	}
	f.dispatch(w, r)
}

func (f *fakeGraph) dispatch(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.Path
	f.mu.Lock()
	h, ok := f.handlers[key]
	if !ok {
		// "METHOD /prefix/*" handles everything under the prefix.
		best := ""
		for k := range f.handlers {
			if p, found := strings.CutSuffix(k, "*"); found && strings.HasPrefix(key, p) && len(p) > len(best) {
				best, h, ok = p, f.handlers[k], true
			}
		}
	}
	f.hits[key]++
	f.mu.Unlock()
	if !ok {
		writeJSON(w, 404, graphErr("ResourceNotFound", "no handler for "+key))
		return
	}
	h(w, r)
}

// serveBatch runs each inner request through dispatch and answers in
// reverse order, so tests prove replies are correlated by id.
func (f *fakeGraph) serveBatch(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Requests []struct {
			ID, Method, URL string
		}
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || len(in.Requests) > 20 {
		writeJSON(w, 400, graphErr("BadRequest", "bad batch"))
		return
	}
	var out []map[string]any
	for i := len(in.Requests) - 1; i >= 0; i-- {
		item := in.Requests[i]
		u, _ := url.Parse("/v1.0" + item.URL)
		inner := httptest.NewRequest(item.Method, u.String(), nil)
		rec := httptest.NewRecorder()
		f.dispatch(rec, inner)
		headers := map[string]string{}
		for k := range rec.Header() {
			headers[k] = rec.Header().Get(k)
		}
		out = append(out, map[string]any{"id": item.ID, "status": rec.Code, "headers": headers, "body": json.RawMessage(orNull(rec.Body.Bytes()))})
	}
	writeJSON(w, 200, map[string]any{"responses": out})
}

func orNull(b []byte) []byte {
	if len(bytes.TrimSpace(b)) == 0 {
		return []byte("null")
	}
	return b
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func graphErr(code, msg string) map[string]any {
	return map[string]any{"error": map[string]any{"code": code, "message": msg,
		"innerError": map[string]any{"request-id": "req-" + code, "date": "2026-01-02T03:04:05"}}}
}

// testClient is a client of f with fast timeouts and the fake token.
func testClient(t *testing.T, f *fakeGraph, mod ...func(*Options)) *Client {
	t.Helper()
	o := Options{
		GraphURL:       f.srv.URL,
		Credential:     StaticToken(fakeToken),
		RequestTimeout: 2 * time.Second,
		RetryDelay:     5 * time.Millisecond,
		MaxRetryDelay:  2 * time.Second,
		// The fake serves the Graph v1.0 pair; role tests ask for role.
		Sources: []Source{SourceAccessPackage, SourceGroup},
	}
	for _, m := range mod {
		m(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// emRequest is a minimal EM listing entry.
func emRequest(id string, created time.Time) map[string]any {
	return map[string]any{
		"id": id, "requestType": "userAdd", "state": "pendingApproval", "status": "Accepted",
		"createdDateTime": created.Format(time.RFC3339),
		"requestor":       map[string]any{"objectId": "u-" + id, "displayName": "Requestor " + id},
		"accessPackage":   map[string]any{"id": "ap-1", "displayName": "Sales"},
	}
}

func stageJSON(id, status, result string, reviewer any) map[string]any {
	return map[string]any{"id": id, "displayName": nil, "status": status, "reviewResult": result,
		"assignedToMe": true, "justification": "", "reviewedBy": reviewer, "reviewedDateTime": nil}
}

func page(items []map[string]any, next string) map[string]any {
	p := map[string]any{"value": items}
	if next != "" {
		p["@odata.nextLink"] = next
	}
	return p
}

func emptyList(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, page(nil, "")) }

const (
	emListKey    = "GET /v1.0" + pathEMRequests + pathFilterApprover
	groupListKey = "GET /v1.0" + pathGroupRequests + pathFilterApprover
)

func mustContainNoToken(t *testing.T, where, s string) {
	t.Helper()
	if strings.Contains(s, fakeToken) || strings.Contains(s, "eyJ0eXAi") {
		t.Fatalf("%s contains the token: %q", where, s)
	}
}
