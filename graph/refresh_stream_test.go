package graph

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// gate is a channel closed once; waiting on it fails the test instead of
// hanging when it never closes.
type gate struct {
	once sync.Once
	ch   chan struct{}
}

func newGate() *gate { return &gate{ch: make(chan struct{})} }

func (g *gate) open() { g.once.Do(func() { close(g.ch) }) }

func (g *gate) wait() bool {
	select {
	case <-g.ch:
		return true
	case <-time.After(10 * time.Second): // a deadlock guard, not a measurement
		return false
	}
}

// The details of the first pages are read while later pages are still
// being listed: the last page is answered only after a $batch arrived.
// The request count stays pages + ⌈N/20⌉ per source.
func TestRefreshReadsDetailsAsPagesArrive(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 100, 0)
	fi.pageSize = 20
	batched := newGate()
	list := fi.list(func() []map[string]any { return fi.em })
	fi.handle(emListKey, func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.RawQuery, "skiptoken=80") && !batched.wait() {
			writeJSON(w, 500, graphErr("Stuck", "no $batch before the last page"))
			return
		}
		list(w, r)
	})
	batch := fi.handlers["POST /v1.0/$batch"]
	fi.handle("POST /v1.0/$batch", func(w http.ResponseWriter, r *http.Request) {
		batched.open()
		batch(w, r)
	})
	c := testClient(t, fi.fakeGraph, func(o *Options) { o.MaxRetries = -1 })
	var pages, dones int
	var doneAt, approvals int
	snap, err := c.RefreshEach(t.Context(), func(p Progress) {
		if p.Source != SourceAccessPackage {
			return
		}
		if p.Done {
			approvals = len(p.Approvals)
			dones++
			doneAt = pages
			if len(p.Approvals) != 100 || p.Err != nil {
				t.Errorf("done with %d approvals, %v", len(p.Approvals), p.Err)
			}
			return
		}
		pages++
	})
	if err != nil || len(snap.Errors) != 0 || approvals != 100 || snap.Approvals != nil {
		t.Fatalf("%v %v, %d approvals done, %d in the snapshot (want none: progress had them)", err, snap.Errors, approvals, len(snap.Approvals))
	}
	if pages < 2 || dones != 1 || doneAt != pages {
		t.Fatalf("%d progress reports before done, %d dones", pages, dones)
	}
	if snap.Requests != 5+1+5 || fi.batches() != 5 {
		t.Fatalf("%d requests, %d batches: want 5+1 pages + 5 batches", snap.Requests, fi.batches())
	}
}

// A source that is slow to list holds back none of the others: PIM for
// Groups is answered only once access packages have been reported done.
// While its listing is retried, the progress says so.
func TestRefreshReportsEachSourceWhenDone(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 30, 3)
	emDone := newGate()
	list := fi.list(func() []map[string]any { return fi.groups })
	failed := false
	fi.handle(groupListKey, func(w http.ResponseWriter, r *http.Request) {
		if !emDone.wait() {
			writeJSON(w, 500, graphErr("Stuck", "access packages were held back"))
			return
		}
		fi.mu.Lock()
		first := !failed
		failed = true
		fi.mu.Unlock()
		if first {
			writeJSON(w, 503, graphErr("ServiceUnavailable", "try later"))
			return
		}
		list(w, r)
	})
	c := testClient(t, fi.fakeGraph)
	var order []string
	var retrying string
	done := 0
	_, err := c.RefreshEach(t.Context(), func(p Progress) {
		switch {
		case p.Done && (p.Source == SourceAccessPackage || p.Source == SourceGroup):
			done += len(p.Approvals)
			order = append(order, string(p.Source))
			if p.Source == SourceAccessPackage {
				emDone.open()
			}
		case p.Retrying != "" && p.Source == SourceGroup:
			retrying = p.Retrying
		}
	})
	if err != nil || done != 33 {
		t.Fatalf("%v, %d approvals", err, done)
	}
	if strings.Join(order, " ") != "accessPackage group" {
		t.Fatalf("sources done in order %v", order)
	}
	if !strings.Contains(retrying, "503") || !strings.Contains(retrying, "retrying") {
		t.Fatalf("retry note %q", retrying)
	}
}

// An unchanged listing keeps its version; a new arrival bumps it.
func TestRefreshVersionFollowsChanges(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 5, 0)
	c := testClient(t, fi.fakeGraph)
	version := func() uint64 {
		var v uint64
		if _, err := c.RefreshEach(t.Context(), func(p Progress) {
			if p.Done && p.Source == SourceAccessPackage {
				v = p.Version
			}
		}); err != nil {
			t.Fatal(err)
		}
		return v
	}
	v1 := version()
	if v2 := version(); v2 != v1 {
		t.Fatalf("unchanged listing: version %d then %d", v1, v2)
	}
	fi.mu.Lock()
	fi.em = append(fi.em, emRequest("em-new", t0))
	fi.mu.Unlock()
	if v3 := version(); v3 == v1 {
		t.Fatal("an arrival kept the version")
	}
}

// A cold load keeps batchParallel $batch calls in flight: the fake holds
// every $batch until batchParallel are waiting at once (a client keeping
// fewer in flight never gets there: its batches fail on the deadlock guard,
// with no client timeout to free a slot first). The peak the fake sees
// must not exceed batchParallel either.
func TestRefreshKeepsBatchParallelInFlight(t *testing.T) {
	t.Parallel()
	const n = 3 * batchParallel * batchSize // one page, 3×batchParallel batches
	fi := newFakeInbox(t, n, 0)
	full := newGate()
	var mu sync.Mutex
	inFlight, peak := 0, 0
	batch := fi.handlers["POST /v1.0/$batch"]
	fi.handle("POST /v1.0/$batch", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		if inFlight == batchParallel {
			full.open()
		}
		mu.Unlock()
		reached := full.wait()
		mu.Lock()
		inFlight--
		mu.Unlock()
		if !reached {
			full.open() // one guard's wait is enough to fail
			writeJSON(w, 500, graphErr("Stuck", "fewer than batchParallel $batch calls in flight"))
			return
		}
		batch(w, r)
	})
	c := testClient(t, fi.fakeGraph, func(o *Options) { o.MaxRetries, o.RequestTimeout = -1, time.Minute })
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Approvals) != n {
		t.Fatalf("%v, %d approvals", err, len(snap.Approvals))
	}
	for _, a := range snap.Approvals {
		if a.Problem != "" || len(a.Stages) == 0 {
			t.Fatalf("%s: %q, %d stages", a.ID, a.Problem, len(a.Stages))
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if peak != batchParallel {
		t.Fatalf("peak $batch calls in flight = %d, want %d", peak, batchParallel)
	}
	if fi.batches() != n/batchSize {
		t.Fatalf("%d batches, want %d", fi.batches(), n/batchSize)
	}
}
