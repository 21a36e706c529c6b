package graph

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Every test of this package runs with released page buffers overwritten,
// so an approval, error or warning that still pointed into a page after
// listAll gave it back would be read as garbage somewhere.
var releasedBodies atomic.Int64

func init() {
	releasedBody = func(b []byte) {
		releasedBodies.Add(1)
		b = b[:cap(b)]
		for i := range b {
			b[i] = '#'
		}
	}
}

// A listing of several pages, each read into a pooled buffer that is
// overwritten once the page is done: what the refresh returns is intact
// (it holds copies, not slices of the pages), and every page was given
// back.
func TestListingPagesAreGivenBackAndNothingPointsIntoThem(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 23, 17)
	fi.pageSize = 5
	long := strings.Repeat("why ", 40000) // a page well over the pool's first buffer size
	fi.em[3]["justification"] = long
	c := testClient(t, fi.fakeGraph)
	before := releasedBodies.Load()
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Errors) > 0 {
		t.Fatal(err, snap.Errors)
	}
	// 5 EM pages, 4 group pages; other tests may release theirs meanwhile.
	if got := releasedBodies.Load() - before; got < 9 {
		t.Fatalf("%d page buffers given back, want at least 9", got)
	}
	check := func(snap *Snapshot) {
		t.Helper()
		if len(snap.Approvals) != 40 {
			t.Fatalf("%d approvals, want 40", len(snap.Approvals))
		}
		for _, a := range snap.Approvals {
			all := fmt.Sprintf("%+v", a)
			if strings.Contains(all, "##") {
				t.Fatalf("approval %s holds bytes of a released page: %.300s", a.Ref, all)
			}
			switch a.Source {
			case SourceAccessPackage:
				if a.Requestor.DisplayName != "Requestor "+a.ID || a.Resource.DisplayName != "Sales" {
					t.Fatalf("%s: %+v", a.ID, a)
				}
				if want := ""; a.ID == "em-003" {
					want = long
					if a.Justification != want {
						t.Fatalf("em-003's justification: %d bytes, want %d", len(a.Justification), len(want))
					}
				}
			case SourceGroup:
				if a.Target.DisplayName != "Principal "+a.ID || a.Resource.DisplayName != "Break glass" {
					t.Fatalf("%s: %+v", a.ID, a)
				}
			}
		}
	}
	check(snap)
	// Warm: every entry is recognized by its fingerprint, from pooled
	// buffers that earlier pages (now overwritten) used.
	again, err := c.Refresh(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	check(again)
	check(snap)
}

// A page cut short fails its try and is read again, as azcore's own body
// download would be: the listing still comes back whole.
func TestListingPageCutShortIsRetried(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 3, 0)
	var calls atomic.Int64
	serve := fi.list(func() []map[string]any { return fi.em })
	fi.handle(emListKey, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Content-Length", "5000")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"value":[{"id":"em-000"`))
			return // the server closes the connection short of 5,000 bytes
		}
		serve(w, r)
	})
	fi.handle(groupListKey, emptyList)
	c := testClient(t, fi.fakeGraph, func(o *Options) { o.RetryDelay = time.Millisecond })
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Errors) > 0 {
		t.Fatal(err, snap.Errors)
	}
	if len(snap.Approvals) != 3 || calls.Load() != 2 {
		t.Fatalf("%d approvals after %d listing calls, want 3 after 2", len(snap.Approvals), calls.Load())
	}
}
