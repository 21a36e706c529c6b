package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
)

// bySource splits the sample approvals by source.
func bySource(as []graph.Approval, src graph.Source) []graph.Approval {
	var out []graph.Approval
	for _, a := range as {
		if a.Source == src {
			out = append(out, a)
		}
	}
	return out
}

// A streamed refresh shows each source as soon as it is read: access
// packages while PIM for Groups is being retried (and the header says so),
// then the header names the source that could not be listed.
func TestStreamShowsEachSourceAsItArrives(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	m := New(Options{timer: heldTimer, Backend: &fakeBackend{}, Now: clk.Now, Theme: ThemeDark})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.startPoll(false)
	gen := m.pollGen
	em := bySource(sampleApprovals(), graph.SourceAccessPackage)
	more := func() tea.Msg { return nil }
	progress := func(ps ...graph.Progress) {
		t.Helper()
		if _, cmd := m.Update(refreshProgressMsg{gen: gen, progress: ps, more: more}); cmd == nil {
			t.Fatal("a progress message must hand back the Cmd that reads the next")
		}
	}

	progress(graph.Progress{Source: graph.SourceGroup, Retrying: "503 Service Unavailable, retrying (try 2 of 5)"})
	if got := screen(m); !strings.Contains(got, "Loading…") || !strings.Contains(got, "PIM for Groups retrying: 503") {
		t.Fatalf("while the only source is retried:\n%s", got)
	}

	progress(graph.Progress{Source: graph.SourceAccessPackage, Approvals: em[:1]})
	if m.inbox.total() != 1 || !strings.Contains(screen(m), "1 waiting") || !strings.Contains(screen(m), "Access packages loading…") {
		t.Fatalf("the first page is not shown as it arrives (%d rows):\n%s", m.inbox.total(), screen(m))
	}
	progress(graph.Progress{Source: graph.SourceAccessPackage, Done: true, Approvals: em, Version: 1,
		Status: graph.SourceStatus{Source: graph.SourceAccessPackage, State: graph.StateOK}})
	got := screen(m)
	if m.inbox.total() != len(em) || strings.Contains(got, "Access packages loading") || !strings.Contains(got, "PIM for Groups retrying") {
		t.Fatalf("access packages done, groups retried: %d rows\n%s", m.inbox.total(), got)
	}
	if sel := m.inbox.selected(); sel == nil || sel != m.inbox.view[0] {
		t.Fatal("the cursor left the top row while the list filled")
	}

	failure := errors.New("503 Service Unavailable")
	progress(graph.Progress{Source: graph.SourceGroup, Done: true, Err: failure,
		Status: graph.SourceStatus{Source: graph.SourceGroup, State: graph.StateUnavailable}})
	snap := &graph.Snapshot{Approvals: em, Errors: []graph.SourceError{{Source: graph.SourceGroup, Err: failure}}, At: t0}
	m.Update(approvalsLoadedMsg{gen: gen, snap: snap, streamed: true})
	got = screen(m)
	if !strings.Contains(got, "3 waiting · sort: urgency · PIM for Groups unavailable") || strings.Contains(got, "retrying:") {
		t.Fatalf("the header does not name the missing source:\n%s", got)
	}
	if m.inbox.total() != len(em) {
		t.Fatalf("%d rows after the end of the refresh", m.inbox.total())
	}
}

// On later polls a source's list changes only when it is complete, and a
// source reported with the same version is not reloaded.
func TestStreamPollsSwapWholeSources(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	all := sampleApprovals()
	em, groups := bySource(all, graph.SourceAccessPackage), bySource(all, graph.SourceGroup)
	more := func() tea.Msg { return nil }
	poll := func(ps ...graph.Progress) {
		m.startPoll(false)
		m.Update(refreshProgressMsg{gen: m.pollGen, progress: ps, more: more})
		m.Update(approvalsLoadedMsg{gen: m.pollGen, snap: &graph.Snapshot{At: clk.Now()}, streamed: true})
	}
	done := func(src graph.Source, as []graph.Approval, v uint64) graph.Progress {
		return graph.Progress{Source: src, Done: true, Approvals: as, Version: v}
	}
	poll(done(graph.SourceAccessPackage, em, 1), done(graph.SourceGroup, groups, 1))
	if m.inbox.total() != len(all) {
		t.Fatalf("%d rows", m.inbox.total())
	}
	// A page of a source already shown changes nothing until it is done.
	poll(graph.Progress{Source: graph.SourceGroup, Approvals: groups[:1]}, done(graph.SourceAccessPackage, em, 1))
	if m.inbox.total() != len(all) {
		t.Fatalf("a partial page removed rows: %d", m.inbox.total())
	}
	// The same version is not reloaded, even if the slice differs.
	poll(done(graph.SourceGroup, groups[:1], 1))
	if m.inbox.total() != len(all) {
		t.Fatalf("an unchanged source was reloaded: %d rows", m.inbox.total())
	}
	clk.Advance(time.Second)
	poll(done(graph.SourceGroup, groups[:1], 2))
	if m.inbox.total() != len(em)+1 {
		t.Fatalf("a changed source was not reloaded: %d rows", m.inbox.total())
	}
}
