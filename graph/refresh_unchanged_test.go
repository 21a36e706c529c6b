package graph

import (
	"fmt"
	"reflect"
	"sort"
	"testing"
)

// An entry whose bytes change but not their length is read again: the
// fingerprint is of the bytes (two independent 64-bit hashes), not of the
// length. An unchanged refresh then reports exactly the same approvals,
// page by page and when done, with the same version and no detail read.
func TestRefreshNoticesAChangeOfTheSameLength(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 40, 0)
	fi.pageSize = 15
	c := testClient(t, fi.fakeGraph)
	type result struct {
		pages   []Approval // every page's progress, in arrival order
		done    []Approval
		version uint64
	}
	refresh := func() result {
		t.Helper()
		var r result
		snap, err := c.RefreshEach(t.Context(), func(p Progress) {
			if p.Source != SourceAccessPackage {
				return
			}
			if p.Done {
				r.done, r.version = p.Approvals, p.Version
			} else {
				r.pages = append(r.pages, p.Approvals...)
			}
		})
		if err != nil || len(snap.Errors) > 0 || snap.Approvals != nil {
			t.Fatal(err, snap.Errors, len(snap.Approvals))
		}
		return r
	}
	byRef := func(as []Approval) []Approval {
		out := append([]Approval(nil), as...)
		sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
		return out
	}
	first := refresh()
	batches := fi.batches()

	fi.mu.Lock()
	requestor := fi.em[20]["requestor"].(map[string]any)
	old := requestor["displayName"].(string)
	requestor["displayName"] = old[:len(old)-1] + "X" // same length, one byte differs
	fi.mu.Unlock()
	changed := refresh()
	if fi.batches() != batches+1 || fmt.Sprint(fi.batchSeen[len(fi.batchSeen)-1]) != fmt.Sprint([]string{pathEMApprovals + "/em-020"}) {
		t.Fatalf("after a same-length change: %d more batches, last %v; want one reading em-020", fi.batches()-batches, fi.batchSeen[len(fi.batchSeen)-1])
	}
	if changed.version == first.version {
		t.Fatal("a changed entry kept the source's version")
	}
	var got string
	for _, a := range changed.done {
		if a.ID == "em-020" {
			got = a.Requestor.DisplayName
		}
	}
	if want := old[:len(old)-1] + "X"; got != want {
		t.Fatalf("em-020's requestor %q, want %q", got, want)
	}

	// The re-read approval came last; the next poll lists it in its place:
	// the same approvals in a list of their own (a new version, so that
	// the inbox takes them from it), then nothing changes.
	batches = fi.batches()
	settled := refresh()
	if settled.version == changed.version {
		t.Fatal("a list in a new order kept the version: the inbox would keep the old list alive")
	}
	same := refresh()
	if fi.batches() != batches || same.version != settled.version {
		t.Fatalf("unchanged: %d batches, version %d then %d", fi.batches()-batches, settled.version, same.version)
	}
	if len(same.done) != 40 || len(same.pages) != 40 {
		t.Fatalf("unchanged: %d approvals done, %d in pages; want 40", len(same.done), len(same.pages))
	}
	want := byRef(changed.done)
	for what, as := range map[string][]Approval{"pages": same.pages, "done": same.done} {
		if !reflect.DeepEqual(byRef(as), want) {
			t.Fatalf("unchanged refresh: its %s differ from the last refresh's approvals", what)
		}
	}
}

// The cache's entries are replaced, never changed in place: an approval a
// refresh handed out (which may share nothing but strings and stages with
// the cache) stays as it was when a Get updates the cached stages.
func TestUpdateCachedReplacesTheEntry(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 2, 0)
	c := testClient(t, fi.fakeGraph)
	if _, err := c.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	ref := Ref{Source: SourceAccessPackage, ID: "em-001"}
	c.mu.Lock()
	before := c.cache[ref]
	kept := *before.approval
	c.mu.Unlock()
	a := *before.approval
	a.Problem = "stages: 403"
	a.Stages = nil
	c.updateCached(a)
	c.mu.Lock()
	after := c.cache[ref]
	c.mu.Unlock()
	if after == before || after.approval.Problem != "stages: 403" {
		t.Fatalf("the entry was not replaced: %p %p %q", before, after, after.approval.Problem)
	}
	if !reflect.DeepEqual(*before.approval, kept) {
		t.Fatal("the old entry was changed in place")
	}
}

// A poll that finds every entry unchanged, in the same order, hands out
// the list the last refresh reported, page by page and when done, instead
// of copying each approval again (at 10,000 approvals a copy was 6 MB a
// poll); what it hands out has no room to append into.
func TestUnchangedPollHandsOutTheLastList(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 40, 0)
	fi.pageSize = 15
	c := testClient(t, fi.fakeGraph)
	refresh := func() (pages [][]Approval, done []Approval) {
		t.Helper()
		if _, err := c.RefreshEach(t.Context(), func(p Progress) {
			switch {
			case p.Source != SourceAccessPackage:
			case p.Done:
				done = p.Approvals
			default:
				pages = append(pages, p.Approvals)
			}
		}); err != nil {
			t.Fatal(err)
		}
		return pages, done
	}
	refresh() // cold: details arrive in batches, in no particular order
	_, last := refresh()
	pages, warm := refresh()
	if len(warm) != 40 || len(pages) != 3 {
		t.Fatalf("%d approvals in %d pages", len(warm), len(pages))
	}
	if &warm[0] != &last[0] || cap(warm) != len(warm) {
		t.Fatal("an unchanged poll copied the approvals (or handed out room to append)")
	}
	at := 0
	for _, p := range pages {
		if &p[0] != &warm[at] || cap(p) != len(p) {
			t.Fatalf("the page at %d is not that part of the list", at)
		}
		at += len(p)
	}
	// A change in the middle: a list of its own, the old one untouched.
	before := append([]Approval(nil), warm...)
	fi.mu.Lock()
	fi.em[20]["state"] = "pendingApprovalEscalated"
	fi.mu.Unlock()
	_, changed := refresh()
	if len(changed) != 40 || &changed[0] == &warm[0] {
		t.Fatalf("after a change: %d approvals, shared %v", len(changed), &changed[0] == &warm[0])
	}
	if !reflect.DeepEqual(before, warm) {
		t.Fatal("the last list was written to")
	}
}

// Stages a Get read while a refresh was running (updateCached) are not
// undone when the refresh, which listed the entry before, is done.
func TestRefreshKeepsStagesUpdatedWhileItRan(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 12, 0)
	fi.pageSize = 5
	c := testClient(t, fi.fakeGraph)
	for range 2 { // cold, then a list in listing order
		if _, err := c.Refresh(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	ref := Ref{Source: SourceAccessPackage, ID: "em-001"}
	for _, settled := range []bool{false, true} {
		updated := false
		if _, err := c.RefreshEach(t.Context(), func(p Progress) {
			if updated || p.Done || p.Source != SourceAccessPackage {
				return
			}
			c.mu.Lock()
			a := *c.cache[ref].approval
			c.mu.Unlock()
			a.Problem = fmt.Sprintf("read again (%v)", settled)
			c.updateCached(a) // as a Get does, while the listing goes on
			updated = true
		}); err != nil {
			t.Fatal(err)
		}
		c.mu.Lock()
		got := c.cache[ref].approval.Problem
		c.mu.Unlock()
		if want := fmt.Sprintf("read again (%v)", settled); got != want {
			t.Fatalf("after the refresh, the cache holds %q, want %q", got, want)
		}
	}
}
