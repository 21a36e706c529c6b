package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"approvals/config"
	"approvals/graph"
)

// t0 is the fixed "now" of every test.
var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// fakeClock is an injectable clock that only moves when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fakeBackend is a Backend whose answers the test decides.
type fakeBackend struct {
	mu        sync.Mutex
	snap      *graph.Snapshot
	err       error
	refreshes int
	decide    func(graph.DecisionRequest) graph.DecisionResult
	decided   []graph.DecisionRequest
	forgotten []graph.Ref
}

func (f *fakeBackend) Refresh(ctx context.Context) (*graph.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshes++
	return f.snap, f.err
}

func (f *fakeBackend) Decide(ctx context.Context, req graph.DecisionRequest) graph.DecisionResult {
	f.mu.Lock()
	f.decided = append(f.decided, req)
	fn := f.decide
	f.mu.Unlock()
	if fn != nil {
		return fn(req)
	}
	o := graph.OutcomeApproved
	if req.Decision == graph.Deny {
		o = graph.OutcomeDenied
	}
	return graph.DecisionResult{Request: req, Outcome: o, Attempts: 1}
}

func (f *fakeBackend) Forget(ref graph.Ref) {
	f.mu.Lock()
	f.forgotten = append(f.forgotten, ref)
	f.mu.Unlock()
}

func (f *fakeBackend) requests() []graph.DecisionRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]graph.DecisionRequest(nil), f.decided...)
}

// stage builds a stage.
func stage(id, name string, mine bool, status graph.StageStatus, result graph.ReviewResult) graph.Stage {
	return graph.Stage{ID: id, DisplayName: name, AssignedToMe: mine, Status: status, Result: result}
}

// sampleApprovals is a small, varied inbox: both sources, several stages,
// a problem, a stage that is not mine, estimated deadlines.
func sampleApprovals() []graph.Approval {
	ada := graph.Subject{ID: "u-ada", DisplayName: "Ada Lovelace", Email: "ada@contoso.com", PrincipalName: "ada@contoso.com"}
	grace := graph.Subject{ID: "u-grace", DisplayName: "Grace Hopper", Email: "grace@contoso.com"}
	alan := graph.Subject{ID: "u-alan", DisplayName: "Alan Turing", PrincipalName: "alan@contoso.com"}
	katherine := graph.Subject{ID: "u-kj", DisplayName: "Katherine Johnson", Email: "katherine@contoso.com"}
	edsger := graph.Subject{ID: "u-ed", DisplayName: "Edsger Dijkstra", Email: "edsger@contoso.com"}
	return []graph.Approval{
		{
			Ref: graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-1"}, RequestID: "ap-1", Kind: graph.KindAccessPackage,
			Requestor: ada, Target: ada,
			Resource:    graph.Resource{ID: "pkg-sap", DisplayName: "SAP Finance — read", CatalogName: "Finance", Description: "Read-only access to SAP FI reports"},
			RequestType: "userAdd", RequestState: "pendingApproval",
			Justification: "Quarter-end close: I need to read the FI ledgers to reconcile the intercompany accounts before Friday.",
			Answers:       []graph.Answer{{Question: "Which cost centre?", Value: "CC-4711"}},
			Schedule:      graph.Schedule{Start: t0.Add(-2 * time.Hour), ExpirationType: "afterDuration", Duration: "P30D"},
			Created:       t0.Add(-26 * time.Hour),
			Stages: []graph.Stage{
				stage("ap-1-s1", "Manager", false, graph.StageCompleted, graph.Approved),
				stage("ap-1-s2", "Finance owners", true, graph.StageInProgress, graph.NotReviewed),
			},
			Deadline: t0.Add(5 * time.Hour),
		},
		{
			Ref: graph.Ref{Source: graph.SourceGroup, ID: "pim-1"}, RequestID: "req-pim-1", Kind: graph.KindGroupMember,
			Requestor: alan, Target: alan,
			Resource:    graph.Resource{ID: "g-ops", DisplayName: "Prod Ops Admins", Email: "prod-ops@contoso.com"},
			RequestType: "selfActivate", RequestState: "PendingApproval", TicketNumber: "INC-2041",
			Justification: "Hotfix for the payment gateway outage",
			Schedule:      graph.Schedule{Start: t0, ExpirationType: "afterDuration", Duration: "PT8H"},
			Created:       t0.Add(-40 * time.Minute),
			Stages:        []graph.Stage{stage("pim-1", "", true, graph.StageInProgress, graph.NotReviewed)},
			Deadline:      t0.Add(23 * time.Hour), DeadlineEstimated: true,
		},
		{
			Ref: graph.Ref{Source: graph.SourceGroup, ID: "pim-2"}, RequestID: "req-pim-2", Kind: graph.KindGroupOwner,
			Requestor: katherine, Target: katherine,
			Resource:    graph.Resource{ID: "g-sec", DisplayName: "Security Readers"},
			RequestType: "adminAssign", RequestState: "PendingApproval",
			Created:  t0.Add(-3 * time.Hour),
			Stages:   []graph.Stage{stage("pim-2", "", true, graph.StageInProgress, graph.NotReviewed)},
			Deadline: t0.Add(21 * time.Hour), DeadlineEstimated: true,
		},
		{
			Ref: graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-2"}, RequestID: "ap-2", Kind: graph.KindAccessPackage,
			Requestor: grace, Target: edsger,
			Resource:    graph.Resource{ID: "pkg-hr", DisplayName: "HR Analytics", CatalogName: "People"},
			RequestType: "adminAdd", RequestState: "pendingApproval",
			Justification: "New hire in the analytics team",
			Created:       t0.Add(-5 * 24 * time.Hour),
			Stages: []graph.Stage{
				stage("ap-2-s1", "Sponsor", true, graph.StageInProgress, graph.NotReviewed),
				stage("ap-2-s2", "", false, graph.StageInitializing, graph.NotReviewed),
			},
			Deadline: t0.Add(9 * 24 * time.Hour), DeadlineEstimated: true,
		},
		{
			Ref: graph.Ref{Source: graph.SourceAccessPackage, ID: "ap-3"}, RequestID: "ap-3", Kind: graph.KindAccessPackage,
			Requestor: edsger, Target: edsger,
			Resource:    graph.Resource{ID: "pkg-gh", DisplayName: "GitHub Enterprise", CatalogName: "Engineering"},
			RequestType: "userAdd", RequestState: "pendingApproval",
			Created: t0.Add(-2 * 24 * time.Hour),
			Problem: "stages could not be read (403 Forbidden)",
		},
	}
}

func sampleSnapshot() *graph.Snapshot {
	return &graph.Snapshot{Approvals: sampleApprovals(), At: t0}
}

// newLoaded builds a model of size w×h with the sample inbox loaded.
func newLoaded(t *testing.T, w, h int, mutate ...func(*Options)) (*Model, *fakeBackend, *fakeClock) {
	t.Helper()
	fb := &fakeBackend{snap: sampleSnapshot()}
	clk := newFakeClock()
	opts := Options{timer: heldTimer, Backend: fb, Now: clk.Now, Identity: "megan@contoso.com", UndoWindow: 5 * time.Second, Theme: ThemeDark}
	for _, f := range mutate {
		f(&opts)
	}
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	load(m, sampleSnapshot())
	return m, fb, clk
}

// load feeds a snapshot as the reply to a poll the model started.
func load(m *Model, s *graph.Snapshot) {
	m.startPoll(false)
	m.Update(approvalsLoadedMsg{gen: m.pollGen, snap: s})
}

// loadErr feeds a failed poll reply.
func loadErr(m *Model, err error) {
	m.startPoll(false)
	m.Update(approvalsLoadedMsg{gen: m.pollGen, err: err})
}

// key builds a key press as a terminal would send it.
func keyOf(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(s)
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

// press sends keys and returns the last command.
func press(m *Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(keyOf(k))
	}
	return cmd
}

// typeText types s one rune at a time.
func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// stream runs cmd (and nested batches) in the background and delivers
// every message it produces on the returned channel.
func stream(cmd tea.Cmd) <-chan tea.Msg {
	out := make(chan tea.Msg, 1024)
	if cmd == nil {
		return out
	}
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		msg := c()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				if c != nil {
					go run(c)
				}
			}
			return
		}
		if msg != nil {
			out <- msg
		}
	}
	go run(cmd)
	return out
}

// timerSetMsg is what a timer Cmd returns in tests: the timer was set
// (for d); the test decides whether it fires, by feeding msg back.
type timerSetMsg struct {
	d   time.Duration
	msg tea.Msg
}

// heldTimer is the tests' timerFunc: a timer never waits for the clock.
func heldTimer(d time.Duration, msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return timerSetMsg{d: d, msg: msg} }
}

// collect runs cmd to completion, every Cmd of a batch included, and
// returns every message produced (timers as timerSetMsg: they do not
// fire). Nothing is left running, so "nothing was sent" is a fact, not a
// guess about a time window. Cmds that wait for something the test has
// not done yet fail the test after a generous time rather than hang.
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	var (
		mu   sync.Mutex
		msgs []tea.Msg
		wg   sync.WaitGroup
	)
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		defer wg.Done()
		msg := c()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				if c != nil {
					wg.Add(1)
					go run(c)
				}
			}
			return
		}
		if msg != nil {
			mu.Lock()
			msgs = append(msgs, msg)
			mu.Unlock()
		}
	}
	wg.Add(1)
	go run(cmd)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		panic("collect: a Cmd is still waiting after 20s (a real timer, or a sign-in the test did not finish)")
	}
	mu.Lock()
	defer mu.Unlock()
	return msgs
}

// next waits for the first message of kind T on ch; a timer set for one
// fires at once.
func next[T tea.Msg](t *testing.T, ch <-chan tea.Msg) T {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case msg := <-ch:
			if ts, ok := msg.(timerSetMsg); ok {
				msg = ts.msg // the test fires the timer now
			}
			if v, ok := msg.(T); ok {
				return v
			}
		case <-timeout:
			var zero T
			t.Fatalf("no %T arrived", zero)
			return zero
		}
	}
}

// feed sends every message of kind T produced by cmd back into the model.
func feed[T tea.Msg](m *Model, cmd tea.Cmd) int {
	n := 0
	for _, msg := range collect(cmd) {
		if msg, ok := msg.(T); ok {
			_, next := m.Update(msg)
			n++
			_ = next
		}
	}
	return n
}

// screen is the View as plain text.
func screen(m *Model) string { return ansi.Strip(m.View().Content) }

var errBoom = errors.New("boom")

// rebind replaces an action's keys in defs.
func rebind(defs []config.KeyDef, action config.Action, keys ...string) []config.KeyDef {
	if defs == nil {
		defs = DefaultKeys()
	}
	out := make([]config.KeyDef, 0, len(defs))
	for _, d := range defs {
		if d.Action == action {
			d.Keys = keys
		}
		if d.Action == ActionCopyID && slices.Contains(keys, "y") {
			d.Keys = nil // free the key
		}
		out = append(out, d)
	}
	return out
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }
func valueOf(v any) string  { return fmt.Sprintf("%v", v) }
