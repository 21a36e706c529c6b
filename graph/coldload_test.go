package graph_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
)

// A cold load against the simulator overlaps detail reads with the listing
// and costs exactly the listing pages plus ⌈N/20⌉ $batch calls per source.
//
// The overlap is shown by the simulator's request log, without timing: the
// last listing page of each source is held back until the log shows a
// detail read of that source done inside a $batch, so in the log a $batch
// item of the source always comes before the source's last page. A client
// that read details only after the last page would never send that $batch;
// the page is then let go after a deadlock guard (a liveness bound, not a
// measurement) and the order in the log fails the test.
func TestColdLoadOverlapsDetailsWithListing(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var events []string // the simulator's request log, plus "release <source>"
	detailRead := map[string]chan struct{}{"em": make(chan struct{}), "group": make(chan struct{})}
	sourceOf := func(path string) string {
		switch {
		case strings.Contains(path, "/entitlementManagement/"):
			return "em"
		case strings.Contains(path, "/privilegedAccess/group/"):
			return "group"
		}
		return ""
	}
	logf := func(format string, args ...any) {
		line := fmt.Sprintf(format, args...)
		mu.Lock()
		defer mu.Unlock()
		events = append(events, line)
		if src := sourceOf(line); src != "" && strings.Contains(line, "(in $batch)") && strings.Contains(line, string(sim.OpGetApproval)) {
			select {
			case <-detailRead[src]:
			default:
				close(detailRead[src])
			}
		}
	}
	s := sim.New(sim.Options{Seed: 7, Approvals: 300, PageSize: 25, Logf: logf})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		src := sourceOf(r.URL.Path)
		if src == "" || !strings.Contains(r.URL.Path, "filterByCurrentUser") {
			s.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if rec.Code == http.StatusOK && !bytes.Contains(rec.Body.Bytes(), []byte(`"@odata.nextLink"`)) {
			select { // the source's last page
			case <-detailRead[src]:
			case <-time.After(10 * time.Second): // deadlock guard only
			}
			mu.Lock()
			events = append(events, "release "+src)
			mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(func() { s.Close(); srv.Close() })
	e := &simEnv{t: t, sim: s, srv: srv}
	// No request timeout before the guard's: a held page must not be retried.
	c := e.client(s.Approvers()[0].UserPrincipalName, func(o *graph.Options) { o.RequestTimeout = time.Minute })

	snap := refresh(t, c)

	mu.Lock()
	defer mu.Unlock()
	for _, src := range []string{"em", "group"} {
		firstDetail, released := -1, -1
		for i, l := range events {
			if firstDetail < 0 && sourceOf(l) == src && strings.Contains(l, "(in $batch)") {
				firstDetail = i
			}
			if l == "release "+src {
				released = i
			}
		}
		if released < 0 || firstDetail < 0 || firstDetail > released {
			t.Errorf("%s: first detail read at log line %d, last page let go at %d: details waited for the listing", src, firstDetail, released)
		}
	}

	perSource := map[graph.Source]int{}
	for _, a := range snap.Approvals {
		if a.Problem != "" || len(a.Stages) == 0 {
			t.Fatalf("%s: %q, %d stages", a.ID, a.Problem, len(a.Stages))
		}
		perSource[a.Source]++
	}
	st := s.Stats()
	pagesEM, pagesGroup := st.Op(sim.OpListAccessPackageRequests), st.Op(sim.OpListGroupRequests)
	wantBatches := int64(0)
	for _, n := range perSource {
		wantBatches += int64((n + 19) / 20)
	}
	if perSource[graph.SourceAccessPackage] <= 25 || perSource[graph.SourceGroup] <= 25 || pagesEM < 2 || pagesGroup < 2 {
		t.Fatalf("want several pages per source: %v approvals, %d and %d pages", perSource, pagesEM, pagesGroup)
	}
	if got := st.Op(sim.OpBatch); got != wantBatches {
		t.Errorf("%d $batch calls, want ⌈N/20⌉ per source = %d (%v)", got, wantBatches, perSource)
	}
	if st.Requests != pagesEM+pagesGroup+wantBatches || int64(snap.Requests) != st.Requests {
		t.Errorf("client counted %d requests, simulator %d: want %d pages + %d pages + %d batches",
			snap.Requests, st.Requests, pagesEM, pagesGroup, wantBatches)
	}
	if st.Op(sim.OpGetApproval) != int64(len(snap.Approvals)) {
		t.Errorf("%d approvals read for %d approvals", st.Op(sim.OpGetApproval), len(snap.Approvals))
	}
}
