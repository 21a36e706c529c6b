package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"approvals/graph"
	"approvals/ui/sanitize"
)

// The on-behalf request is named by its beneficiary everywhere, with the
// requestor beside: the row, the detail title, the form and the outcome.
func TestBeneficiaryIsNamedEverywhere(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40)
	press(m, "j", "j", "j") // ap-2: for Edsger Dijkstra, asked by Grace Hopper
	if selectedID(m) != "ap-2" {
		t.Fatalf("on %q", selectedID(m))
	}
	s := screen(m)
	for _, want := range []string{"↪ Edsger Dijks", "Edsger Dijkstra (asked by Grace Hopper) → HR", "For        Edsger Dijkstra"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	openAndType(m, clk, "a", "ok")
	if s := screen(m); !strings.Contains(s, "Approve: Edsger Dijkstra (asked by Grace Hopper) → HR Analytics") ||
		!strings.Contains(s, "Stage 1 of 2 · Sponsor — approving sends it to stage 2") {
		t.Fatalf("form:\n%s", s)
	}
	m.opts.UndoWindow = -1
	feed[decisionSentMsg](m, press(m, "enter"))
	if len(fb.requests()) != 1 {
		t.Fatal("nothing sent")
	}
	if s := screen(m); !strings.Contains(s, "Approved — Edsger Dijkstra (asked by Grace Hopper) → HR Analytics") {
		t.Fatalf("outcome line:\n%s", s)
	}
}

// A request for the signed-in approver is flagged once the backend says
// who that is.
func TestOwnRequestIsFlagged(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	m.Update(meFoundMsg{id: "u-ada"})
	if s := screen(m); !strings.Contains(s, "(you) Ada Love") || !strings.Contains(s, "Ada Lovelace (you) → SAP") {
		t.Fatalf("own request not flagged:\n%s", s)
	}
}

func TestBulkFormListsEveryTargetAndScrolls(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 80, 20) // the form's list shows two at a time
	press(m, "A", "a")
	clk.Advance(time.Second)
	f := m.form()
	if f == nil || len(f.targets) != 4 || f.listRows != 2 {
		t.Fatalf("form %+v", f)
	}
	seen := map[string]bool{}
	for range len(f.targets) {
		for _, l := range strings.Split(screen(m), "\n") {
			if !strings.HasPrefix(l, "│   ") { // a row of the form's list
				continue
			}
			for _, it := range f.targets {
				if strings.Contains(l, it.title()) {
					seen[it.a.ID] = true
				}
			}
		}
		press(m, "pgdown")
	}
	if len(seen) != len(f.targets) {
		t.Fatalf("scrolling the form showed %v of %d:\n%s", seen, len(f.targets), screen(m))
	}
	if s := screen(m); !strings.Contains(s, "3–4 of 4") {
		t.Fatalf("no position in the list:\n%s", s)
	}
}

// The pane beside a bulk form shows a request of the batch, never the
// unmarked one under the cursor.
func TestPaneBesideBulkFormShowsOnlyTheBatch(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	press(m, "j", "space", "space") // Katherine and Alan marked; the cursor goes on to ap-2
	if selectedID(m) != "ap-2" || m.inbox.selected().marked {
		t.Fatalf("cursor on %q", selectedID(m))
	}
	press(m, "a")
	clk.Advance(time.Second)
	if it := m.paneItem(); it == nil || !it.marked && it.state == stateIdle && !slices.Contains(m.form().targets, it) {
		t.Fatalf("pane shows %v", it)
	}
	if s := screen(m); strings.Contains(s, "New hire in the analytics team") || !strings.Contains(s, "In this decision: 1 of 2") {
		t.Fatalf("the pane shows the unmarked request:\n%s", s)
	}
}

func TestUndoRestoresMarks(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	press(m, "space", "space", "a")
	clk.Advance(time.Second)
	press(m, "enter")
	if m.inbox.marked != 0 {
		t.Fatal("marks kept while queued")
	}
	press(m, "u")
	if m.inbox.marked != 2 || !m.inbox.items[graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-1"}].marked {
		t.Fatalf("undo left %d marked", m.inbox.marked)
	}
}

// Text typed to approve is not offered to deny, and a draft whose request
// is gone is dropped: quitting does not warn about it.
func TestDraftsPerDecisionAndDroppedWhenGone(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "fine by me")
	press(m, "esc", "d")
	clk.Advance(time.Second)
	if v := m.form().input.Value(); v != "" {
		t.Fatalf("deny pre-filled with %q", v)
	}
	press(m, "esc", "a")
	clk.Advance(time.Second)
	if v := m.form().input.Value(); v != "fine by me" {
		t.Fatalf("approve draft %q", v)
	}
	press(m, "esc")
	s := sampleSnapshot()
	s.Approvals = s.Approvals[1:] // ap-1 decided elsewhere
	load(m, s)
	if len(m.drafts) != 0 {
		t.Fatalf("drafts of a gone request kept: %v", m.drafts)
	}
	if !quits(press(m, "q")) {
		t.Fatalf("quit asks about a gone request's draft:\n%s", screen(m))
	}
}

// Stale words go: "template 1 of 2" once the text is edited, "required"
// once a template fills the field, "Cancelled" on the next key.
func TestStaleFormMessagesClear(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40, func(o *Options) {
		o.Templates = map[graph.Decision][]string{graph.Deny: {"Not needed", "Use the read-only package"}}
	})
	press(m, "d")
	clk.Advance(time.Second)
	press(m, "enter")
	if !strings.Contains(screen(m), "A justification is required") {
		t.Fatal("no complaint")
	}
	press(m, "tab")
	if s := screen(m); strings.Contains(s, "A justification is required") || !strings.Contains(s, "template 1 of 2") {
		t.Fatalf("after the template:\n%s", s)
	}
	typeText(m, "!")
	if s := screen(m); strings.Contains(s, "template 1 of 2") {
		t.Fatalf("template label after an edit:\n%s", s)
	}
}

func TestFilterPutsTheCursorOnTheFirstMatch(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "G") // ap-3, Edsger's own
	press(m, "/")
	typeText(m, "edsger")
	if selectedID(m) != "ap-2" {
		t.Fatalf("cursor on %q, want the first match ap-2", selectedID(m))
	}
	if !strings.Contains(screen(m), "1/2") {
		t.Fatalf("no position:\n%s", screen(m))
	}
}

// In the narrow detail, the page keys scroll the detail; once scrolled it
// says there is more above.
func TestNarrowDetailPagesAndSaysMoreAbove(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 80, 24)
	press(m, "enter", "pgdown")
	if m.detailScroll == 0 || selectedID(m) != "ap-1" {
		t.Fatalf("pgdown: scroll %d, on %q", m.detailScroll, selectedID(m))
	}
	if s := screen(m); !strings.Contains(s, "more above") || !strings.Contains(s, "pgdown/J scroll") {
		t.Fatalf("narrow detail:\n%s", s)
	}
}

// The status line may cut the prose of an error, never its status, code
// and request id.
func TestStatusKeepsCodeAndRequestID(t *testing.T) {
	text := "Failed — Edsger Dijkstra (asked by Grace Hopper) → HR Analytics: The service is temporarily unable to handle the request right now, please try again later (503, ServiceUnavailable, request-id 6fc2eedc-0e35-4b57-adf0-442a79a8c8a1) — Graph is busy; retry later"
	for _, w := range []int{120, 160} { // (narrower, the code and id would leave too little: the message log has them)
		got := fitStatus(text, w)
		if sanitize.Width(got) > w || !strings.Contains(got, "(503, ServiceUnavailable, request-id 6fc2eedc-0e35-4b57-adf0-442a79a8c8a1)") {
			t.Errorf("width %d: %q", w, got)
		}
	}
	signIn := "Couldn't refresh (retrying in 30s, r now): sign-in failed (AADSTS53003, correlation-id 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0, trace-id 5e4c1a7e-0c4a-4f5e-9a59-0d6b2c3d4e00): blocked by Conditional Access: your organisation does not allow this sign-in (device code flow is often blocked): try --auth browser, or ask your administrator"
	for _, w := range []int{160, 180} { // (both ids take 117 columns)
		got := fitStatus(signIn, w)
		if sanitize.Width(got) > w || !strings.Contains(got, "(AADSTS53003, correlation-id 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0, trace-id 5e4c1a7e-0c4a-4f5e-9a59-0d6b2c3d4e00)") {
			t.Errorf("width %d: %q", w, got)
		}
	}
	if got := fitStatus("short (404, NotFound)", 80); got != "short (404, NotFound)" {
		t.Errorf("a line that fits changed: %q", got)
	}
}

// The message log keeps an error whole: its code and request id, never
// split across lines, newest first, each with its time.
func TestMessageLogKeepsTheWholeError(t *testing.T) {
	m, _, clk := newFailedApproval(t)
	const rid = unavailableRequestID
	clk.Advance(time.Minute)
	s := sampleSnapshot()
	s.Approvals = append(s.Approvals[1:2], s.Approvals[0]) // pim-1 and ap-1 stay; the rest went
	load(m, s)
	press(m, "m")
	out := screen(m)
	if !strings.Contains(out, rid) || !strings.Contains(out, "ServiceUnavailable") {
		t.Fatalf("the log lacks the whole error:\n%s", out)
	}
	if strings.Index(out, "No longer waiting for you") > strings.Index(out, "Failed — Ada Lovelace") {
		t.Fatalf("not newest first:\n%s", out)
	}
	if !strings.Contains(out, t0.Add(time.Second).Local().Format("15:04:05")+" Failed") {
		t.Fatalf("no time:\n%s", out)
	}
	press(m, "x") // any other key closes it
	if strings.Contains(screen(m), "Messages this session") {
		t.Fatal("the log did not close")
	}
}

// Arrivals and requests that went away are announced, and the
// announcement goes with the next action.
func TestActivityIsAnnounced(t *testing.T) {
	m, _, _ := newLoaded(t, 120, 40)
	s := sampleSnapshot()
	gone := s.Approvals[2] // pim-2, Katherine Johnson
	s.Approvals = append(s.Approvals[:2], s.Approvals[3:]...)
	load(m, s)
	if out := screen(m); !strings.Contains(out, "No longer waiting for you: Katherine Johnson → Security Readers · owner") {
		t.Fatalf("departure not announced:\n%s", out)
	}
	load(m, sampleSnapshot())
	_ = gone
	if out := screen(m); !strings.Contains(out, "New request: Katherine Johnson → Security Readers · owner") {
		t.Fatalf("arrival not announced:\n%s", out)
	}
	press(m, "j")
	if strings.Contains(screen(m), "New request:") {
		t.Fatal("the announcement outlived the next action")
	}
}

// A decision that takes long shows how long it has been waiting.
func TestSlowDecisionShowsElapsedTime(t *testing.T) {
	m, _, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = -1 })
	openAndType(m, clk, "a", "ok")
	press(m, "enter") // its Cmd is not run: the decision stays on its way
	if len(m.sending) != 1 {
		t.Fatalf("%d batches sending", len(m.sending))
	}
	if s := screen(m); strings.Contains(s, "waiting for Graph") {
		t.Fatalf("counting from the start:\n%s", s)
	}
	clk.Advance(12 * time.Second)
	m.Update(sendingTickedMsg{})
	if s := screen(m); !strings.Contains(s, "Sending 0/1… waiting for Graph, 12 s") {
		t.Fatalf("no elapsed time:\n%s", s)
	}
}

// When another approver decides the stage an open form is for, and the
// listing still shows the request (at its next stage), the form names who
// decided and how.
func TestTakenFormNamesWhoDecided(t *testing.T) {
	m, _, clk := newLoaded(t, 120, 40)
	press(m, "j", "j", "j") // ap-2, stage 1 (Sponsor) is mine
	openAndType(m, clk, "a", "ok")
	s := sampleSnapshot()
	st := &s.Approvals[3].Stages[0]
	st.Status, st.Result, st.AssignedToMe = graph.StageCompleted, graph.Denied, false
	st.ReviewedBy = graph.Identity{ID: "u-diego", DisplayName: "Diego Siciliani"}
	load(m, s)
	if out := screen(m); !strings.Contains(out, "Taken: Diego Siciliani denied Edsger Dijkstra (asked by Grace Hopper) → HR Analytics (stage 1)") ||
		!strings.Contains(out, "esc cancel") {
		t.Fatalf("form:\n%s", out)
	}
}
