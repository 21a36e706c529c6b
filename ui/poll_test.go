package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
)

func TestInitStartsPolling(t *testing.T) {
	t.Parallel()
	fb := &fakeBackend{snap: sampleSnapshot()}
	m := New(Options{timer: heldTimer, Backend: fb, Now: newFakeClock().Now})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if !strings.Contains(screen(m), "Loading…") {
		t.Fatalf("no loading state:\n%s", screen(m))
	}
	loaded := next[approvalsLoadedMsg](t, stream(m.Init()))
	m.Update(loaded)
	if fb.refreshes != 1 || m.inbox.total() != 5 {
		t.Fatalf("refreshes=%d total=%d", fb.refreshes, m.inbox.total())
	}
	if got := m.View().WindowTitle; got != "approvals (5)" {
		t.Fatalf("window title %q", got)
	}
}

func TestStalePollRepliesAreDropped(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	old := m.pollGen
	m.startPoll(false)
	empty := &graph.Snapshot{}
	m.Update(approvalsLoadedMsg{gen: old, snap: empty})
	if m.inbox.total() != 5 || !m.polling {
		t.Fatal("a stale reply replaced the data")
	}
	m.Update(approvalsLoadedMsg{gen: m.pollGen, snap: empty})
	if m.inbox.total() != 0 {
		t.Fatal("the current reply was not applied")
	}
}

func TestStalePollTickIsDropped(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	tickGen := m.pollGen
	press(m, "r") // a manual refresh overtakes the scheduled poll
	gen := m.pollGen
	m.Update(approvalsLoadedMsg{gen: gen, snap: sampleSnapshot()})
	if cmd := m.onPollTick(pollTickedMsg{gen: tickGen}); cmd != nil || m.polling {
		t.Fatal("an old tick started another poll")
	}
	if cmd := m.onPollTick(pollTickedMsg{gen: gen}); cmd == nil || !m.polling {
		t.Fatal("the current tick did not poll")
	}
}

func TestRefreshWhilePollingQueuesOne(t *testing.T) {
	t.Parallel()
	m, fb, _ := newLoaded(t, 120, 40)
	m.startPoll(false)
	gen := m.pollGen
	if cmd := press(m, "r"); cmd != nil || m.pollGen != gen {
		t.Fatal("r started an overlapping refresh")
	}
	if !strings.Contains(screen(m), "refreshing…") {
		t.Fatal("a manual refresh is not shown")
	}
	_, cmd := m.Update(approvalsLoadedMsg{gen: gen, snap: sampleSnapshot()})
	if m.pollGen != gen+1 || !m.polling {
		t.Fatal("the queued refresh did not start when the first returned")
	}
	next[approvalsLoadedMsg](t, stream(cmd))
	if fb.refreshes != 1 {
		t.Fatalf("refreshes = %d", fb.refreshes)
	}
}

func TestSelectionStaysOnTheSameApprovalAcrossRefresh(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "j", "j", "j") // ap-2
	s := sampleSnapshot()
	urgent := s.Approvals[1]
	urgent.Ref = graph.Ref{Source: graph.SourceGroup, ID: "pim-9"}
	urgent.Deadline = t0.Add(time.Hour)
	urgent.Requestor.DisplayName = "Margaret Hamilton"
	s.Approvals = append(s.Approvals, urgent)
	load(m, s)
	if selectedID(m) != "ap-2" {
		t.Fatalf("selection moved to %q", selectedID(m))
	}
	if refs(m)[0] != "pim-9" || !m.inbox.view[0].isNew {
		t.Fatal("the new arrival is not first and flagged")
	}
	if !strings.Contains(screen(m), "•") || !strings.Contains(screen(m), "6 waiting") {
		t.Fatalf("arrival not marked:\n%s", screen(m))
	}
	press(m, "g")
	if m.inbox.view[0].isNew {
		t.Fatal("an arrival stays new after being selected")
	}
}

func TestSelectionMovesToTheNextWhenItsApprovalGoes(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "j") // pim-2
	s := sampleSnapshot()
	s.Approvals = append(s.Approvals[:2], s.Approvals[3:]...) // drop pim-2
	load(m, s)
	if selectedID(m) != "pim-1" {
		t.Fatalf("selected %q, want the one that followed", selectedID(m))
	}
}

func TestBellOnArrivals(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40, func(o *Options) { o.Bell = true })
	s := sampleSnapshot()
	load(m, s)
	a := s.Approvals[0]
	a.Ref.ID = "ap-new"
	s.Approvals = append(s.Approvals, a)
	m.startPoll(false)
	_, cmd := m.Update(approvalsLoadedMsg{gen: m.pollGen, snap: s})
	found := false
	for _, msg := range collect(cmd) {
		if r, ok := msg.(tea.RawMsg); ok && r.Msg == "\a" {
			found = true
		}
	}
	if !found {
		t.Fatal("no bell on a new arrival")
	}
}

func TestBackoffOnErrors(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40, func(o *Options) { o.PollInterval = 30 * time.Second })
	if m.nextPollIn != 30*time.Second {
		t.Fatalf("interval %v", m.nextPollIn)
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute}
	for i, w := range want {
		loadErr(m, errBoom)
		if m.nextPollIn != w {
			t.Fatalf("failure %d: next poll in %v, want %v", i+1, m.nextPollIn, w)
		}
	}
	if m.inbox.total() != 5 {
		t.Fatal("a failed poll dropped the data")
	}
	if s := screen(m); !strings.Contains(s, "Couldn't refresh (retrying in 10m, r now): boom") {
		t.Fatalf("error not shown:\n%s", s)
	}
	load(m, sampleSnapshot())
	if m.nextPollIn != 30*time.Second || m.pollErr != nil {
		t.Fatal("success does not reset the backoff")
	}
}

func TestThrottlingWaitsAsAsked(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	loadErr(m, &graph.Error{StatusCode: 429, Code: "TooManyRequests", Message: "Slow down", RequestID: "r-1", RetryAfter: 7 * time.Minute})
	if m.nextPollIn != 7*time.Minute {
		t.Fatalf("next poll in %v, want the server's 7m", m.nextPollIn)
	}
	if s := screen(m); !strings.Contains(s, "Slow down (429, TooManyRequests, request-id r-1) — Graph is throttling") {
		t.Fatalf("Graph details not shown:\n%s", s)
	}
}

func TestSnapshotErrorsAndWarningsShown(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	s := sampleSnapshot()
	s.Errors = []graph.SourceError{{Source: graph.SourceGroup, Err: &graph.Error{StatusCode: 403, Message: "Forbidden"}}}
	load(m, s)
	if !strings.Contains(screen(m), "PIM for Groups could not be listed; showing the rest: Forbidden (403) — missing permission") {
		t.Fatalf("source error not shown:\n%s", screen(m))
	}
	s.Errors = nil
	s.Warnings = []string{"50 results and no nextLink: the list may be capped"}
	load(m, s)
	if !strings.Contains(screen(m), "⚠ 50 results and no nextLink") {
		t.Fatal("warning not shown")
	}
}

func TestUpdatedLabelIsCoarse(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	if !strings.Contains(screen(m), "updated just now") {
		t.Fatal("fresh data is not 'just now'")
	}
	clk.Advance(50 * time.Second)
	m.Update(clockTickedMsg{})
	if !strings.Contains(screen(m), "updated just now") {
		t.Fatal("the label moved within the minute")
	}
	clk.Advance(3 * time.Minute)
	m.Update(clockTickedMsg{})
	if !strings.Contains(screen(m), "updated 3m ago") {
		t.Fatalf("label:\n%s", screen(m))
	}
}

func TestIdenticalPollGivesIdenticalView(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	before := m.View()
	clk.Advance(20 * time.Second)
	load(m, sampleSnapshot())
	after := m.View()
	if before.Content != after.Content || before.WindowTitle != after.WindowTitle {
		t.Fatal("an identical poll changed the view")
	}
}

func TestNegativePollIntervalPollsOnlyOnRequest(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40, func(o *Options) { o.PollInterval = -1 })
	m.startPoll(false)
	if _, cmd := m.Update(approvalsLoadedMsg{gen: m.pollGen, snap: sampleSnapshot()}); cmd != nil {
		for _, msg := range collect(cmd) {
			t.Fatalf("a poll was scheduled: %T", msg)
		}
	}
	if press(m, "r") == nil {
		t.Fatal("r does not refresh")
	}
}
