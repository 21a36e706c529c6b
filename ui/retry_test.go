package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"approvals/graph"
)

// throttledBackend reports one throttle retry from its Decide, as
// *graph.Client does while it waits out a 429's Retry-After, then waits
// for the test before answering.
type throttledBackend struct {
	fakeBackend
	note    graph.RetryNote
	release chan struct{}
}

func (b *throttledBackend) Decide(ctx context.Context, req graph.DecisionRequest) graph.DecisionResult {
	if note := graph.RetryNotes(ctx); note != nil {
		note(b.note)
	}
	<-b.release
	return b.fakeBackend.Decide(ctx, req)
}

// A decision Graph throttled says so on the status line, counting down
// the Retry-After it is waiting out, then counts its time again.
func TestThrottledDecisionSaysWhenItRetries(t *testing.T) {
	t.Parallel()
	tb := &throttledBackend{
		note:    graph.RetryNote{Why: "throttled (429)", Status: 429, After: 3 * time.Second, Try: 2, Tries: 4},
		release: make(chan struct{}),
	}
	tb.snap = sampleSnapshot()
	m, _, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = -1; o.Backend = tb })
	openAndType(m, clk, "a", "ok")
	msgs := stream(press(m, "enter"))

	retry := next[decisionRetryMsg](t, msgs)
	again := m.onDecisionRetry(retry) // waits for the next note: nil once the decision is done
	if s := screen(m); !strings.Contains(s, "Sending 0/1… throttled (429), retrying in 3 s (try 2 of 4)") {
		t.Fatalf("no retry on the status line:\n%s", s)
	}
	clk.Advance(time.Second)
	m.Update(sendingTickedMsg{})
	if s := screen(m); !strings.Contains(s, "Sending 0/1… throttled (429), retrying in 2 s (try 2 of 4)") {
		t.Fatalf("the wait does not count down:\n%s", s)
	}
	clk.Advance(3 * time.Second) // the retry went out; Graph takes its time
	m.Update(sendingTickedMsg{})
	if s := screen(m); !strings.Contains(s, "Sending 0/1… waiting for Graph, 4 s") {
		t.Fatalf("after the wait:\n%s", s)
	}

	close(tb.release)
	m.Update(next[decisionSentMsg](t, msgs))
	if s := screen(m); !strings.Contains(s, "Approved") || strings.Contains(s, "retrying") {
		t.Fatalf("after the decision:\n%s", s)
	}
	if msg := again(); msg != nil {
		t.Fatalf("a note after the decision was done: %#v", msg)
	}
}

// keepNewest never blocks the decision: a note the inbox has not read is
// replaced by the newer one.
func TestRetryNotesKeepTheNewest(t *testing.T) {
	t.Parallel()
	notes := make(chan graph.RetryNote, 1)
	note := keepNewest(notes)
	for try := 2; try <= 4; try++ {
		note(graph.RetryNote{Why: "throttled (429)", Try: try, Tries: 4})
	}
	close(notes)
	msg := awaitRetryNote(7, notes)()
	if r, ok := msg.(decisionRetryMsg); !ok || r.batch != 7 || r.note.Try != 4 {
		t.Fatalf("%#v", msg)
	}
	if msg := awaitRetryNote(7, notes)(); msg != nil {
		t.Fatalf("after the close: %#v", msg)
	}
}
