package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
)

// quits reports whether cmd ends the program.
func quits(cmd tea.Cmd) bool {
	for _, msg := range collect(cmd) {
		if _, ok := msg.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

func TestQuitAtOnceWhenNothingIsLost(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	if !quits(press(m, "q")) {
		t.Fatal("q does not quit")
	}
	if m.ctx.Err() == nil {
		t.Fatal("quitting does not cancel work in flight")
	}
}

func TestQuitAsksWithADraft(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "d", "half a reason")
	if cmd := press(m, "q"); m.form().input.Value() != "half a reason"+"q" || cmd != nil {
		t.Fatal("q in the form is not text")
	}
	press(m, "ctrl+c")
	if m.quitReason() == "" || !strings.Contains(screen(m), "Quit? The justification you are typing will be lost. y quits") {
		t.Fatalf("no question:\n%s", screen(m))
	}
	if quits(press(m, "n")) || m.quitReason() != "" || m.form() == nil {
		t.Fatal("n does not keep the form")
	}
	press(m, "ctrl+c")
	if !quits(press(m, "y")) {
		t.Fatal("y does not quit")
	}
}

func TestQuitAsksDuringTheUndoWindow(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "ok")
	press(m, "enter")
	if quits(press(m, "q")) {
		t.Fatal("quit without asking while a decision is queued")
	}
	if !strings.Contains(screen(m), "1 queued decision will not be sent") {
		t.Fatalf("question:\n%s", screen(m))
	}
	press(m, "x") // any other key stays
	if m.quitReason() != "" || len(m.queued) == 0 {
		t.Fatal("staying lost the queued decision")
	}
}

func TestQuitAsksWithAKeptJustification(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "typed")
	clk.Advance(time.Second)
	press(m, "esc", "q")
	if m.quitReason() == "" || !strings.Contains(screen(m), "1 unsent justification will be lost") {
		t.Fatalf("question:\n%s", screen(m))
	}
}

func TestRunEndsWithItsContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	running := &startedBackend{fakeBackend: &fakeBackend{snap: sampleSnapshot()}, started: make(chan struct{})}
	go func() {
		done <- Run(ctx, Options{Backend: running},
			tea.WithInput(nil), tea.WithOutput(&strings.Builder{}), tea.WithWindowSize(80, 24), tea.WithoutSignals())
	}()
	<-running.started // the program runs: its first poll reached the backend
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not end with its context")
	}
}

// startedBackend says when the first refresh reaches it.
type startedBackend struct {
	*fakeBackend
	once    sync.Once
	started chan struct{}
}

func (b *startedBackend) Refresh(ctx context.Context) (*graph.Snapshot, error) {
	b.once.Do(func() { close(b.started) })
	return b.fakeBackend.Refresh(ctx)
}

// The question says the queued decision will not be sent; the undo window
// running out while it is read must not send it behind the user's back.
func TestQuitQuestionHoldsTheQueuedDecision(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "ok")
	press(m, "enter")
	press(m, "q")
	clk.Advance(6 * time.Second) // the window ends while the question is open
	_, cmd := m.Update(undoTickedMsg{batch: m.newestQueued().id})
	if len(m.queued) == 0 || len(m.sending) > 0 {
		t.Fatal("the queued decision went out while the quit question was open")
	}
	if feed[decisionSentMsg](m, cmd) != 0 || len(fb.requests()) != 0 {
		t.Fatalf("sent %+v while asking", fb.requests())
	}
	if !quits(press(m, "y")) || len(fb.requests()) != 0 {
		t.Fatal("y did not quit without sending")
	}
}

func TestStayingLetsTheHeldDecisionGoOut(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "ok")
	press(m, "enter")
	press(m, "q")
	clk.Advance(6 * time.Second)
	_, cmd := m.Update(undoTickedMsg{batch: m.newestQueued().id})
	press(m, "n")
	held := next[undoTickedMsg](t, stream(cmd))
	m.Update(held)
	if s := screen(m); len(m.queued) == 0 || !strings.Contains(s, "in 3s — press u to undo") {
		t.Fatalf("staying left no time to undo:\n%s", s)
	}
	clk.Advance(3 * time.Second)
	_, cmd = m.Update(undoTickedMsg{batch: m.newestQueued().id})
	if len(m.queued) > 0 {
		t.Fatal("the held decision did not go out once the question was answered")
	}
	next[decisionSentMsg](t, stream(cmd))
	if len(fb.requests()) != 1 {
		t.Fatalf("sent %d decisions, want 1", len(fb.requests()))
	}
}

// A kept justification that the user clears and cancels is gone: quitting
// must not warn about it, nor the next form bring it back.
func TestClearedDraftIsForgotten(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	openAndType(m, clk, "a", "typed")
	clk.Advance(time.Second)
	press(m, "esc", "a")
	clk.Advance(time.Second)
	if m.form() == nil || m.form().input.Value() != "typed" {
		t.Fatal("the draft was not kept")
	}
	m.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear
	press(m, "esc")
	if len(m.drafts) != 0 {
		t.Fatalf("cleared draft kept: %v", m.drafts)
	}
	if !quits(press(m, "q")) {
		t.Fatalf("asked before quitting with nothing to lose:\n%s", screen(m))
	}
}
