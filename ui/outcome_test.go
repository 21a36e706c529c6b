package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"approvals/graph"
)

func TestEveryOutcomeIsReported(t *testing.T) {
	t.Parallel()
	badRequest := &graph.Error{StatusCode: 400, Code: "BadRequest", Message: "Justification is required", RequestID: "req-42"}
	cases := []struct {
		name    string
		result  graph.DecisionResult
		leaves  bool
		row     string // DUE column while it stays
		summary string
	}{
		{"approved", graph.DecisionResult{Outcome: graph.OutcomeApproved}, true, "", "Approved — Ada Lovelace"},
		{"denied", graph.DecisionResult{Outcome: graph.OutcomeDenied}, true, "", "Denied — Ada Lovelace"},
		{"already decided", graph.DecisionResult{Outcome: graph.OutcomeAlreadyDecided,
			DecidedBy: graph.Identity{ID: "u-grace", DisplayName: "Grace Hopper"}, DecidedAs: graph.Denied}, true, "",
			"Already decided by Grace Hopper (denied) — Ada Lovelace"},
		{"gone", graph.DecisionResult{Outcome: graph.OutcomeGone, Err: &graph.Error{StatusCode: 404}}, true, "", "Gone: cancelled, expired or no longer yours"},
		{"failed", graph.DecisionResult{Outcome: graph.OutcomeFailed, Err: badRequest}, false, "failed",
			"Failed — Ada Lovelace → SAP Finance — read: Justification is required (400, BadRequest, request-id req-42)"},
		{"unknown", graph.DecisionResult{Outcome: graph.OutcomeUnknown, Err: context.DeadlineExceeded}, false, "unknown", "Outcome unknown — Ada Lovelace → SAP Finance — read: timed out"},
		{"cancelled", graph.DecisionResult{Outcome: graph.OutcomeCancelled, Err: context.Canceled}, false, "not sent", "Not sent (cancelled)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, fb, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = -1 })
			fb.decide = func(req graph.DecisionRequest) graph.DecisionResult {
				r := c.result
				r.Request = req
				return r
			}
			openAndType(m, clk, "a", "because")
			cmd := press(m, "enter")
			_, after := m.Update(next[decisionSentMsg](t, stream(cmd)))
			ref := graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-1"}
			it, listed := m.inbox.items[ref]
			if listed == c.leaves {
				t.Fatalf("listed = %v after %s", listed, c.name)
			}
			s := screen(m)
			if !strings.Contains(s, c.summary) {
				t.Errorf("summary %q missing:\n%s", c.summary, s)
			}
			if after == nil || !m.polling {
				t.Error("no targeted refresh after the decision")
			}
			if len(fb.requests()) != 1 {
				t.Errorf("%d requests sent; an outcome must never be retried silently", len(fb.requests()))
			}
			if c.leaves {
				if selectedID(m) != "pim-2" {
					t.Errorf("cursor on %q, want the next request", selectedID(m))
				}
				return
			}
			if stateLabel(it) != c.row || !strings.Contains(s, c.row) {
				t.Errorf("row shows %q, want %q", stateLabel(it), c.row)
			}
			// The justification survives: a retry offers it again.
			clk.Advance(time.Second)
			press(m, "a")
			if m.form() == nil || m.form().input.Value() != "because" {
				t.Fatalf("retry form = %+v", m.form())
			}
		})
	}
}

func TestFailureIsExplainedInTheDetail(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = -1 })
	fb.decide = func(req graph.DecisionRequest) graph.DecisionResult {
		return graph.DecisionResult{Request: req, Outcome: graph.OutcomeFailed, Err: &graph.Error{StatusCode: 403, Message: "Not an approver"}}
	}
	openAndType(m, clk, "d", "no thanks")
	m.Update(next[decisionSentMsg](t, stream(press(m, "enter"))))
	s := screen(m)
	if !strings.Contains(s, "Failed: Not an approver (403)") || !strings.Contains(s, "justification is kept") {
		t.Fatalf("detail does not explain the failure:\n%s", s)
	}
}

func TestBulkDenyWithOneAlreadyDecided(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = -1 })
	fb.decide = func(req graph.DecisionRequest) graph.DecisionResult {
		if req.Ref.ID == "pim-2" {
			return graph.DecisionResult{Request: req, Outcome: graph.OutcomeAlreadyDecided,
				DecidedBy: graph.Identity{DisplayName: "Grace Hopper"}, DecidedAs: graph.Approved}
		}
		return graph.DecisionResult{Request: req, Outcome: graph.OutcomeDenied}
	}
	press(m, "space", "space", "space")
	openAndType(m, clk, "d", "not needed")
	if !strings.Contains(screen(m), "Deny 3 requests") {
		t.Fatal("bulk form title missing")
	}
	ch := stream(press(m, "enter"))
	m.Update(next[decisionSentMsg](t, ch))
	if !strings.Contains(screen(m), "Sending 1/3…") {
		t.Fatalf("no progress:\n%s", screen(m))
	}
	m.Update(next[decisionSentMsg](t, ch))
	m.Update(next[decisionSentMsg](t, ch))
	if s := screen(m); !strings.Contains(s, "Done: 2 denied · 1 already decided by Grace Hopper") {
		t.Fatalf("summary missing:\n%s", s)
	}
	if len(fb.requests()) != 3 {
		t.Fatalf("%d sent", len(fb.requests()))
	}
	for _, r := range fb.requests() {
		if r.Decision != graph.Deny || r.Justification != "not needed" {
			t.Errorf("sent %+v", r)
		}
	}
	if got := refs(m); strings.Join(got, ",") != "ap-2,ap-3" {
		t.Fatalf("left %v", got)
	}
}

func TestDecidedItemsStayHiddenFromStaleListings(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = -1 })
	openAndType(m, clk, "a", "")
	m.Update(next[decisionSentMsg](t, stream(press(m, "enter"))))
	load(m, sampleSnapshot()) // Graph still lists it with the same stage
	if _, ok := m.inbox.items[graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-1"}]; ok {
		t.Fatal("a decided stage came back from a stale listing")
	}
	// When a later stage of the same request waits for me, it shows again.
	s := sampleSnapshot()
	s.Approvals[0].Stages[1] = stage("ap-1-s2", "Finance owners", false, graph.StageCompleted, graph.Approved)
	s.Approvals[0].Stages = append(s.Approvals[0].Stages, stage("ap-1-s3", "Security", true, graph.StageInProgress, graph.NotReviewed))
	load(m, s)
	if _, ok := m.inbox.items[graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-1"}]; !ok {
		t.Fatal("a new stage waiting for me is hidden")
	}
}

func TestQueuedItemsSurviveARefreshWithoutThem(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "ok")
	press(m, "enter")
	s := sampleSnapshot()
	s.Approvals = s.Approvals[1:]
	load(m, s)
	if _, ok := m.inbox.items[graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-1"}]; !ok {
		t.Fatal("a queued decision lost its item on refresh")
	}
}

// unavailableRequestID is the request id of the 503 in newFailedApproval.
const unavailableRequestID = "313e28d4-a9e5-4315-8278-b1e05e15c02c"

// newFailedApproval is an 80×24 inbox (no undo window) whose approval of
// the selected request, Ada Lovelace's, Graph answered with a 503.
func newFailedApproval(t *testing.T) (*Model, *fakeBackend, *fakeClock) {
	t.Helper()
	m, fb, clk := newLoaded(t, 80, 24, func(o *Options) { o.UndoWindow = -1 })
	fb.decide = func(req graph.DecisionRequest) graph.DecisionResult {
		return graph.DecisionResult{Request: req, Outcome: graph.OutcomeFailed, Err: &graph.Error{StatusCode: 503,
			Code: "ServiceUnavailable", Message: "The service is temporarily unavailable. Please retry later.",
			RequestID: unavailableRequestID}}
	}
	openAndType(m, clk, "a", "ok")
	m.Update(next[decisionSentMsg](t, stream(press(m, "enter"))))
	return m, fb, clk
}

// On a terminal of 80 columns a Graph error fills the status line: the
// request it concerns must come first, or the user cannot tell which one
// failed.
func TestFailureNoticeNamesTheRequestFirst(t *testing.T) {
	t.Parallel()
	m, _, _ := newFailedApproval(t)
	lines := strings.Split(screen(m), "\n")
	status := lines[len(lines)-2]
	if !strings.HasPrefix(status, "Failed — Ada Lovelace → SAP Finance — read: The service") {
		t.Fatalf("status line %q does not name the request first", status)
	}
}

// While the rest of a batch is on its way, a request whose decision
// already landed stays on the list (marked approved) until the batch ends.
// It must not be decidable again: a second PATCH would go out for a stage
// this session has just decided.
func TestDecidedItemCannotBeDecidedAgainWhileItsBatchFinishes(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = -1 })
	press(m, "space", "space") // ap-1 and pim-2
	openAndType(m, clk, "a", "ok")
	ch := stream(press(m, "enter"))
	first := next[decisionSentMsg](t, ch)
	m.Update(first)
	it := m.inbox.items[first.result.Request.Ref]
	if it == nil || len(m.sending) != 1 {
		t.Fatal("the batch ended after one of two results")
	}
	pos, _ := m.inbox.position(it)
	m.inbox.moveTo(pos)
	clk.Advance(time.Second)
	press(m, "d")
	if s := screen(m); m.form() == nil && !strings.Contains(s, "Nothing more to decide: Approved.") {
		t.Errorf("no reason given:\n%s", s)
	}
	if m.form() != nil {
		clk.Advance(time.Second)
		typeText(m, "changed my mind")
		cmd := press(m, "enter")
		feed[decisionSentMsg](m, cmd)
	}
	m.Update(next[decisionSentMsg](t, ch))
	if n := len(fb.requests()); n != 2 {
		t.Fatalf("%d decisions sent for 2 requests: %+v", n, fb.requests())
	}
}

// A decision is about the stage the user saw. If, while it waits out the
// undo window, that stage is decided elsewhere and a later stage of the
// same request becomes mine, the queued decision must not land on the
// later stage the user never looked at.
func TestQueuedDecisionKeepsTheStageItWasMadeFor(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "ok for finance")
	press(m, "enter")
	s := sampleSnapshot()
	s.Approvals[0].Stages[1] = stage("ap-1-s2", "Finance owners", false, graph.StageCompleted, graph.Approved)
	s.Approvals[0].Stages = append(s.Approvals[0].Stages, stage("ap-1-s3", "Security", true, graph.StageInProgress, graph.NotReviewed))
	load(m, s)
	clk.Advance(6 * time.Second)
	_, cmd := m.Update(undoTickedMsg{batch: m.newestQueued().id})
	next[decisionSentMsg](t, stream(cmd))
	reqs := fb.requests()
	if len(reqs) != 1 || reqs[0].StageID != "ap-1-s2" {
		t.Fatalf("sent %+v, want the decision on stage ap-1-s2", reqs)
	}
}

// The same while the form is open: a request whose stage moved on is
// taken out of the form (its text kept), not decided on the new stage.
func TestFormDropsARequestWhoseStageMovedOn(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = -1 })
	openAndType(m, clk, "a", "ok for finance")
	s := sampleSnapshot()
	s.Approvals[0].Stages[1] = stage("ap-1-s2", "Finance owners", false, graph.StageCompleted, graph.Approved)
	s.Approvals[0].Stages = append(s.Approvals[0].Stages, stage("ap-1-s3", "Security", true, graph.StageInProgress, graph.NotReviewed))
	load(m, s)
	if m.form() == nil || len(m.form().targets) != 0 {
		t.Fatalf("form targets %+v after the stage moved on", m.form())
	}
	feed[decisionSentMsg](m, press(m, "enter"))
	if reqs := fb.requests(); len(reqs) != 0 {
		t.Fatalf("sent %+v for a stage the form was not opened for", reqs)
	}
	if m.drafts[draftKey{graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-1"}, graph.Approve}] != "ok for finance" {
		t.Fatal("the typed text was lost")
	}
}
