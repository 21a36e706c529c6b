package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"approvals/graph"
)

// openAndType opens the form with key, waits out the grace period and
// types text.
func openAndType(m *Model, clk *fakeClock, key, text string) {
	press(m, key)
	clk.Advance(time.Second)
	typeText(m, text)
}

func TestFormStatesTheDecisionPlainly(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "d")
	if m.form() == nil {
		t.Fatal("d does not open the form")
	}
	s := screen(m)
	for _, want := range []string{"Deny: Ada Lovelace → SAP Finance — read", "Justification (required)", "enter deny", "esc cancel (nothing is sent)"} {
		if !strings.Contains(s, want) {
			t.Errorf("form lacks %q:\n%s", want, s)
		}
	}
	if m.View().Cursor == nil {
		t.Error("the form does not place the terminal cursor")
	}
}

func TestFormCountForMarkedItems(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "space", "space", "space", "a")
	if s := screen(m); !strings.Contains(s, "Approve 3 requests") || !strings.Contains(s, "Justification (optional)") {
		t.Fatalf("bulk form title missing:\n%s", s)
	}
	if len(m.form().targets) != 3 {
		t.Fatalf("%d targets, want 3", len(m.form().targets))
	}
}

// Marked requests are decided even when the filter hides them; with other
// rows on screen the form must say so.
func TestFormSaysWhenTheFilterHidesMarkedItems(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	press(m, "space", "space") // Ada and Katherine
	press(m, "/")
	typeText(m, "alan")
	press(m, "enter", "a")
	if s := screen(m); !strings.Contains(s, "Approve 2 requests") || !strings.Contains(s, "Covers 2 requests (2 hidden by the filter)") {
		t.Fatalf("the form does not say its targets are hidden:\n%s", s)
	}
	clk.Advance(time.Second)
	press(m, "esc", "esc") // close the form, clear the filter
	press(m, "a")
	if s := screen(m); m.form() == nil || len(m.form().targets) != 2 || strings.Contains(s, "hidden by the filter") {
		t.Fatalf("hidden count shown without a filter:\n%s", s)
	}
}

func TestFormSkipsWhatIsNotMine(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "G", "a") // ap-3's stages could not be read
	if m.form() != nil {
		t.Fatal("a opened a form for a request with no stage waiting for me")
	}
	// Not "not waiting for you": nobody knows, its stages are missing.
	if !strings.Contains(screen(m), "Cannot decide yet: stages could not be read (403 Forbidden); r refreshes.") {
		t.Fatalf("no explanation:\n%s", screen(m))
	}
	press(m, "space", "g", "space", "a")
	if m.form() == nil || len(m.form().targets) != 1 || m.form().skipped != 1 {
		t.Fatalf("form = %+v", m.form())
	}
	if !strings.Contains(screen(m), "1 skipped: not waiting for you") {
		t.Fatalf("the skipped count is not shown:\n%s", screen(m))
	}
}

func TestEscCancelsAndNeverApproves(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "looks fine")
	press(m, "esc")
	if m.form() != nil || len(m.queued) > 0 || len(fb.requests()) != 0 {
		t.Fatal("esc did not cancel cleanly")
	}
	if m.inbox.view[0].state != stateIdle {
		t.Fatal("esc queued a decision")
	}
	if !strings.Contains(screen(m), "Cancelled: nothing was sent.") {
		t.Fatal("cancel is not confirmed")
	}
	press(m, "a") // the text typed is offered again
	if got := m.form().input.Value(); got != "looks fine" {
		t.Fatalf("draft = %q", got)
	}
}

func TestGracePeriodSwallowsKeysInFlight(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = -1 })
	press(m, "a")
	typeText(m, "x")
	press(m, "enter") // typed ahead: must not submit
	if m.form() == nil || m.form().input.Value() != "" {
		t.Fatalf("keys inside the grace period reached the form: %q", m.form().input.Value())
	}
	clk.Advance(399 * time.Millisecond)
	press(m, "enter")
	if m.form() == nil {
		t.Fatal("enter submitted inside the grace period")
	}
	clk.Advance(time.Millisecond)
	typeText(m, "ok")
	press(m, "enter")
	if m.form() != nil || m.inbox.items[graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-1"}].state != stateSending {
		t.Fatal("enter after the grace period does not submit")
	}
	_ = fb
}

func TestDenyRequiresJustification(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	press(m, "d")
	clk.Advance(time.Second)
	press(m, "enter")
	if m.form() == nil || !strings.Contains(screen(m), "A justification is required to deny.") {
		t.Fatalf("empty deny was accepted:\n%s", screen(m))
	}
	typeText(m, "   ")
	press(m, "enter")
	if m.form() == nil {
		t.Fatal("a blank justification was accepted")
	}
	typeText(m, "not my team")
	press(m, "enter")
	if m.form() != nil || len(m.queued) == 0 || m.newestQueued().justification != "not my team" {
		t.Fatalf("deny with a justification was not queued: %+v", m.queued)
	}
}

func TestApproveJustificationOptionalUnlessRequired(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	press(m, "a")
	clk.Advance(time.Second)
	press(m, "enter")
	if len(m.queued) == 0 {
		t.Fatal("approve without justification was refused")
	}

	m, _, clk = newLoaded(t, 120, 40, func(o *Options) { o.RequireApproveJustification = true })
	press(m, "a")
	clk.Advance(time.Second)
	press(m, "enter")
	if len(m.queued) > 0 || !strings.Contains(screen(m), "A justification is required to approve.") {
		t.Fatal("RequireApproveJustification is ignored")
	}
}

func TestTemplatesCycleWithTab(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40, func(o *Options) {
		o.Templates = map[graph.Decision][]string{graph.Deny: {"Not required for the role", "Use the read-only package"}}
	})
	press(m, "d")
	clk.Advance(time.Second)
	press(m, "tab")
	if got := m.form().input.Value(); got != "Not required for the role" {
		t.Fatalf("tab filled %q", got)
	}
	press(m, "tab")
	if got := m.form().input.Value(); got != "Use the read-only package" {
		t.Fatalf("second tab filled %q", got)
	}
	if !strings.Contains(screen(m), "template 2 of 2") {
		t.Fatal("the template position is not shown")
	}
	press(m, "tab")
	if got := m.form().input.Value(); got != "Not required for the role" {
		t.Fatalf("tab does not wrap around: %q", got)
	}
}

func TestUndoWindow(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "approved for Q1")
	press(m, "enter")
	it := m.inbox.view[0]
	if len(m.queued) == 0 || it.state != stateQueued {
		t.Fatal("submit did not queue the decision")
	}
	if s := screen(m); !strings.Contains(s, "Approve Ada Lovelace → SAP Finance — read in 5s — press u to undo") || !strings.Contains(s, "queued") {
		t.Fatalf("countdown missing:\n%s", s)
	}
	clk.Advance(2 * time.Second)
	if cmd := m.onUndoTick(undoTickedMsg{batch: m.newestQueued().id}); cmd == nil || len(m.queued) == 0 {
		t.Fatal("the batch went out before the window ended")
	}
	if !strings.Contains(screen(m), "in 3s") {
		t.Fatal("the countdown does not move")
	}
	press(m, "u")
	if len(m.queued) > 0 || it.state != stateIdle || len(fb.requests()) != 0 {
		t.Fatal("u did not undo")
	}
	if !strings.Contains(screen(m), "Undone: approve Ada Lovelace → SAP Finance — read; nothing was sent") {
		t.Fatal("undo is not confirmed")
	}
	// A stale tick of the undone batch sends nothing.
	clk.Advance(10 * time.Second)
	if cmd := m.onUndoTick(undoTickedMsg{batch: 1}); cmd != nil {
		t.Fatal("a tick of an undone batch did something")
	}
	press(m, "a")
	if got := m.form().input.Value(); got != "approved for Q1" {
		t.Fatalf("the justification was not kept after undo: %q", got)
	}
}

func TestUndoWindowEndsAndSends(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "approved for Q1")
	press(m, "enter")
	clk.Advance(5 * time.Second)
	_, cmd := m.Update(undoTickedMsg{batch: m.newestQueued().id})
	if len(m.queued) > 0 {
		t.Fatal("the window ended but the batch is still pending")
	}
	if !strings.Contains(screen(m), "Sending 0/1…") {
		t.Fatalf("no progress:\n%s", screen(m))
	}
	sent := next[decisionSentMsg](t, stream(cmd))
	reqs := fb.requests()
	want := graph.DecisionRequest{Ref: graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-1"}, StageID: "ap-1-s2", Decision: graph.Approve, Justification: "approved for Q1"}
	if len(reqs) != 1 || reqs[0] != want {
		t.Fatalf("sent %+v, want %+v", reqs, want)
	}
	_, cmd = m.Update(sent)
	if _, ok := m.inbox.items[want.Ref]; ok {
		t.Fatal("the approved request is still listed")
	}
	if selectedID(m) != "pim-2" {
		t.Fatalf("cursor on %q, want the next request", selectedID(m))
	}
	if !strings.Contains(screen(m), "Approved — Ada Lovelace → SAP Finance — read") {
		t.Fatalf("no outcome shown:\n%s", screen(m))
	}
	if !m.polling || cmd == nil {
		t.Fatal("no refresh after the decision")
	}
	if len(fb.forgotten) != 1 || fb.forgotten[0] != want.Ref {
		t.Fatalf("forgotten = %v", fb.forgotten)
	}
	if len(m.drafts) != 0 {
		t.Fatal("the draft of an applied decision was kept")
	}
}

func TestNoUndoWindowSendsAtOnce(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = -1 })
	openAndType(m, clk, "d", "no")
	cmd := press(m, "enter")
	if len(m.queued) > 0 {
		t.Fatal("a zero window still queued")
	}
	next[decisionSentMsg](t, stream(cmd))
	if len(fb.requests()) != 1 || fb.requests()[0].Decision != graph.Deny {
		t.Fatalf("sent %+v", fb.requests())
	}
}

// Deciding one request after another does not wait for the first undo
// window: each decision waits out its own, u undoes the newest first, and
// a request already queued cannot be decided again.
func TestDecisionsQueueOneAfterAnother(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40)
	first := m.inbox.view[0]
	openAndType(m, clk, "a", "first")
	press(m, "enter")
	press(m, "k") // back onto the queued request
	if m.inbox.selected() != first {
		t.Fatal("setup: the cursor is not on the queued request")
	}
	press(m, "d")
	if m.form() != nil {
		t.Fatal("a form opened on a request already queued")
	}
	press(m, "j")
	second := m.inbox.selected()
	clk.Advance(2 * time.Second)
	openAndType(m, clk, "d", "second")
	press(m, "enter")
	if len(m.queued) != 2 || second.state != stateQueued {
		t.Fatalf("%d batches queued; want 2", len(m.queued))
	}
	if s := screen(m); !strings.Contains(s, "(1 more decision queued)") {
		t.Fatalf("the countdown does not say another decision waits:\n%s", s)
	}
	press(m, "u") // undoes the newest: the deny
	if len(m.queued) != 1 || second.state != stateIdle || first.state != stateQueued {
		t.Fatal("u did not undo the newest decision only")
	}
	// The first one still goes out at the end of its own window.
	clk.Advance(4 * time.Second)
	_, cmd := m.Update(undoTickedMsg{batch: m.newestQueued().id})
	if len(m.queued) != 0 {
		t.Fatal("the first decision's window ended but it is still queued")
	}
	sent := next[decisionSentMsg](t, stream(cmd))
	if sent.result.Request.Ref != first.a.Ref || len(fb.requests()) != 1 || fb.requests()[0].Justification != "first" {
		t.Fatalf("sent %+v", fb.requests())
	}
}

func TestFormNoticesWhenARefreshTakesItsRequest(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40)
	press(m, "space", "space", "k", "k", "d") // ap-1 and pim-2 marked
	clk.Advance(time.Second)
	typeText(m, "no")
	s := sampleSnapshot()
	s.Approvals = s.Approvals[1:] // someone else decided ap-1
	load(m, s)
	if len(m.form().targets) != 1 || !strings.Contains(screen(m), "1 request no longer waiting for you") {
		t.Fatalf("form after the refresh:\n%s", screen(m))
	}
	if !strings.Contains(screen(m), "Deny: Katherine Johnson → Security Readers") {
		t.Fatalf("the title does not follow:\n%s", screen(m))
	}
	s.Approvals = slices.DeleteFunc(s.Approvals, func(a graph.Approval) bool { return a.ID == "pim-2" }) // and pim-2 too
	load(m, s)
	if !strings.Contains(screen(m), "No longer waiting for you") {
		t.Fatalf("form after the second refresh:\n%s", screen(m))
	}
	press(m, "enter")
	if len(m.queued) > 0 || len(fb.requests()) != 0 {
		t.Fatal("a decision was queued for requests that are gone")
	}
}
