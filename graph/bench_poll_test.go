package graph_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"approvals/graph"
	"approvals/graph/sim"
)

// An unchanged poll at N=10,000 as the inbox makes it: RefreshEach with a
// progress function, after the first load and one settling poll (a cold
// load's details arrive in no particular order, so the first poll after
// it puts each source's list in listing order). Every entry is recognized
// by its fingerprint, no detail is read, and each source's last list is
// handed out again. The pages are replayed as the simulator answered the
// settling poll, so what is measured is the client (and the loopback
// HTTP server), not the simulator building pages. The inbox binary's CPU
// per poll is the bench command's "Unchanged poll" row (go run -tags
// bench . bench).
func BenchmarkUnchangedPoll10k(b *testing.B) {
	s := sim.New(sim.Options{Seed: 11, Approvals: 10000, PageSize: 100})
	rp := &replay{next: s, got: map[string]recorded{}}
	srv := httptest.NewServer(rp)
	b.Cleanup(func() { s.Close(); srv.Close() })
	e := &simEnv{t: b, sim: s, srv: srv}
	c := e.client(s.Approvers()[0].UserPrincipalName)
	var approvals int
	poll := func() *graph.Snapshot {
		approvals = 0
		snap, err := c.RefreshEach(b.Context(), func(p graph.Progress) {
			if p.Done {
				approvals += len(p.Approvals)
			}
		})
		if err != nil || len(snap.Errors) > 0 {
			b.Fatal(err, snap.Errors)
		}
		return snap
	}
	poll()
	rp.recording(true)
	poll()
	rp.recording(false)
	b.ReportAllocs()
	var requests int
	for b.Loop() {
		requests = poll().Requests
	}
	if approvals < 10000 || rp.misses() > 0 {
		b.Fatalf("%d approvals, %d requests not replayed: not an unchanged poll", approvals, rp.misses())
	}
	b.ReportMetric(float64(requests), "requests/poll")
}

// replay passes requests to next, records its answers to GETs while
// recording, and from then on answers those GETs itself.
type replay struct {
	next   http.Handler
	mu     sync.Mutex
	state  int // 0 passing through, 1 recording, 2 replaying
	got    map[string]recorded
	missed int // GETs not recorded, while replaying
}

type recorded struct {
	status int
	header http.Header
	body   []byte
}

func (r *replay) recording(on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state = 2
	if on {
		r.state = 1
	}
}

func (r *replay) misses() int { r.mu.Lock(); defer r.mu.Unlock(); return r.missed }

func (r *replay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	key := req.Method + " " + req.URL.String()
	r.mu.Lock()
	rec, ok := r.got[key]
	state := r.state
	if state == 2 && !ok {
		r.missed++
	}
	r.mu.Unlock()
	if state == 2 && ok {
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body)
		return
	}
	rw := httptest.NewRecorder()
	r.next.ServeHTTP(rw, req)
	if state == 1 && req.Method == http.MethodGet {
		r.mu.Lock()
		r.got[key] = recorded{status: rw.Code, header: rw.Header().Clone(), body: rw.Body.Bytes()}
		r.mu.Unlock()
	}
	for k, v := range rw.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rw.Code)
	_, _ = w.Write(rw.Body.Bytes())
}
