package ui

// The inbox under Graph faults: the real client against the simulated
// tenant, with the model driven directly (commands run by the test), so
// the test decides when requests hang, fail and recover.

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
	"approvals/graph/sim"
)

type simModel struct {
	m      *Model
	clk    *fakeClock
	srv    *sim.Server
	client *graph.Client
	me     sim.User
}

// newSimModel is an inbox of 120×40 on the real client, against a
// generated tenant on loopback.
func newSimModel(t *testing.T, client func(*graph.Options), ui func(*Options)) *simModel {
	t.Helper()
	srv := sim.New(sim.Options{Seed: 5, Approvals: 12})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); ts.Close() })
	me := srv.Approvers()[0]
	o := graph.Options{GraphURL: ts.URL, Credential: graph.StaticToken(me.UserPrincipalName),
		RequestTimeout: 2 * time.Second, RetryDelay: 5 * time.Millisecond, MaxRetryDelay: time.Second}
	if client != nil {
		client(&o)
	}
	c, err := graph.New(o)
	if err != nil {
		t.Fatal(err)
	}
	clk := newFakeClock()
	opts := Options{Backend: c, Now: clk.Now, Theme: ThemeDark, UndoWindow: -1}
	if ui != nil {
		ui(&opts)
	}
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return &simModel{m: m, clk: clk, srv: srv, client: c, me: me}
}

// poll runs one poll to the end, as the program would.
func (s *simModel) poll(t *testing.T) approvalsLoadedMsg {
	t.Helper()
	cmd := s.m.startPoll(false)
	if cmd == nil {
		t.Fatal("a poll is already in flight")
	}
	msg, ok := finishRefresh(s.m, cmd())
	if !ok {
		t.Fatal("the poll did not end in a refresh reply")
	}
	s.m.Update(msg)
	return msg
}

// finishRefresh runs a refresh to its end as the program would: progress
// messages are applied and the Cmd each returns is run. It returns the
// final reply, not yet applied.
func finishRefresh(m *Model, msg tea.Msg) (approvalsLoadedMsg, bool) {
	for {
		switch v := msg.(type) {
		case approvalsLoadedMsg:
			return v, true
		case refreshProgressMsg:
			_, cmd := m.Update(v)
			msg = nil
			for _, got := range runCmd(cmd) {
				switch got.(type) {
				case refreshProgressMsg, approvalsLoadedMsg:
					msg = got
				}
			}
		default:
			return approvalsLoadedMsg{}, false
		}
	}
}

// runCmd runs a Cmd (each of a tea.Batch) and returns the messages.
func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, runCmd(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// deliver hands a decision's outcome to the inbox and runs the refresh
// that follows it.
func (s *simModel) deliver(t *testing.T, msg decisionSentMsg) {
	t.Helper()
	_, cmd := s.m.Update(msg)
	if cmd == nil {
		t.Fatal("no refresh after a decision")
	}
	loaded, ok := finishRefresh(s.m, cmd())
	if !ok {
		t.Fatal("the command after a decision is not a refresh")
	}
	s.m.Update(loaded)
}

// within fails the test when f does not return in time: Update must never
// wait on the network.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s blocked: Update waited on Graph", what)
	}
}

func TestSimKeysAnswerWhileGraphHangs(t *testing.T) {
	t.Parallel()
	s := newSimModel(t, func(o *graph.Options) { o.RequestTimeout = time.Minute; o.MaxRetries = -1 }, nil)
	s.poll(t)
	m := s.m
	if m.inbox.total() != s.srv.Waiting(s.me.ID) || m.inbox.total() < 3 {
		t.Fatalf("%d approvals loaded, the simulator has %d", m.inbox.total(), s.srv.Waiting(s.me.ID))
	}
	s.srv.AddFault(sim.Fault{Kind: sim.FaultHang}) // from now on Graph never answers

	var refresh, sent <-chan tea.Msg
	within(t, "r", func() { refresh = stream(press(m, "r")) })
	within(t, "the decision form", func() { openAndType(m, s.clk, "a", "while Graph hangs") })
	within(t, "submitting", func() { sent = stream(press(m, "enter")) })
	if !m.polling || len(m.sending) != 1 {
		t.Fatalf("polling %v, %d batches sending: the requests did not go out", m.polling, len(m.sending))
	}

	first := selectedID(m)
	within(t, "moving the cursor", func() { press(m, "j", "j") })
	if selectedID(m) == first {
		t.Error("the cursor did not move while requests hang")
	}
	within(t, "help", func() { press(m, "?") })
	if !m.stack.has(layerHelp) || !strings.Contains(screen(m), "Keys") {
		t.Errorf("help did not open while requests hang:\n%s", screen(m))
	}
	within(t, "closing help", func() { press(m, "esc") })
	within(t, "drawing", func() { _ = m.View() })
	if !strings.Contains(screen(m), "Sending 0/1") {
		t.Errorf("the decision in flight is not shown:\n%s", screen(m))
	}
	select {
	case msg := <-refresh:
		// Sources that need no Graph call (not configured) may report
		// done; nothing listed can have come back.
		p, ok := msg.(refreshProgressMsg)
		for _, pr := range p.progress {
			ok = ok && len(pr.Approvals) == 0 && pr.Source != graph.SourceAccessPackage && pr.Source != graph.SourceGroup
		}
		if !ok {
			t.Fatalf("the refresh answered while Graph hangs: %T %+v", msg, msg)
		}
	case msg := <-sent:
		t.Fatalf("the decision answered while Graph hangs: %T", msg)
	default:
	}
}

func TestSimPollingBacksOffAndRecovers(t *testing.T) {
	t.Parallel()
	s := newSimModel(t, func(o *graph.Options) { o.MaxRetries = -1 }, func(o *Options) { o.PollInterval = 30 * time.Second })
	s.poll(t)
	m := s.m
	n := m.inbox.total()
	for _, op := range []sim.Operation{sim.OpListAccessPackageRequests, sim.OpListGroupRequests, sim.OpListRoleRequests} {
		s.srv.AddFault(sim.Fault{Kind: sim.FaultUnavailable, Op: op})
	}
	var waits []time.Duration
	for range 4 {
		if msg := s.poll(t); msg.err == nil {
			t.Fatalf("a poll succeeded while every listing answers 503: %+v", msg.snap)
		}
		waits = append(waits, m.nextPollIn)
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits between failing polls %v, want %v", waits, want)
		}
	}
	if m.inbox.total() != n {
		t.Fatalf("failing polls dropped the list: %d of %d left", m.inbox.total(), n)
	}
	if sc := screen(m); !strings.Contains(sc, "Couldn't refresh (retrying in 8m") || !strings.Contains(sc, "503") {
		t.Fatalf("the failure is not explained:\n%s", sc)
	}

	// Graph says how long to wait: the inbox waits at least that long,
	// also when only one source is throttled and the other is shown.
	s.srv.ClearFaults()
	for _, op := range []sim.Operation{sim.OpListAccessPackageRequests, sim.OpListGroupRequests, sim.OpListRoleRequests} {
		s.srv.AddFault(sim.Fault{Kind: sim.FaultThrottle, Op: op, RetryAfter: "900"})
	}
	s.poll(t)
	if m.nextPollIn != 15*time.Minute {
		t.Fatalf("after a 429 with Retry-After 900: next poll in %v", m.nextPollIn)
	}
	s.srv.ClearFaults()
	s.srv.AddFault(sim.Fault{Kind: sim.FaultThrottle, Op: sim.OpListGroupRequests, RetryAfter: "600"})
	if msg := s.poll(t); msg.err != nil || len(msg.snap.Errors) != 1 {
		t.Fatalf("want one source throttled: %v", msg.err)
	}
	if m.nextPollIn != 10*time.Minute || m.failures != 0 {
		t.Fatalf("one source throttled for 10m: next poll in %v, failures %d", m.nextPollIn, m.failures)
	}

	s.srv.ClearFaults()
	if msg := s.poll(t); msg.err != nil || len(msg.snap.Errors) != 0 {
		t.Fatalf("the poll after recovery: %v %+v", msg.err, msg.snap.Errors)
	}
	if m.nextPollIn != 30*time.Second || m.pollErr != nil || m.failures != 0 {
		t.Fatalf("recovery did not reset the schedule: next %v, err %v, failures %d", m.nextPollIn, m.pollErr, m.failures)
	}
	if m.inbox.total() != s.srv.Waiting(s.me.ID) || strings.Contains(screen(m), "Couldn't refresh") {
		t.Fatalf("after recovery %d shown, %d waiting:\n%s", m.inbox.total(), s.srv.Waiting(s.me.ID), screen(m))
	}
}

// selectedStage is the stage of mine on the selected approval.
func selectedStage(t *testing.T, m *Model) (graph.Approval, graph.Stage) {
	t.Helper()
	it := m.inbox.selected()
	if it == nil || !it.hasMine {
		t.Fatal("nothing decidable is selected")
	}
	return *it.a, *it.stage
}

func TestSimFailedDecisionKeepsItsTextForRetry(t *testing.T) {
	t.Parallel()
	s := newSimModel(t, nil, nil)
	s.poll(t)
	m := s.m
	a, st := selectedStage(t, m)
	// Graph throttles the PATCH for longer than the client waits.
	s.srv.AddFault(sim.Fault{Kind: sim.FaultThrottle, Op: sim.OpPatchStage, RetryAfter: "30"})
	const why = "Ticket INC-7 checked — ok ✓"
	openAndType(m, s.clk, "d", why)
	res := next[decisionSentMsg](t, stream(press(m, "enter")))
	s.deliver(t, res)
	if res.result.Outcome != graph.OutcomeFailed || !strings.Contains(screen(m), "Failed") {
		t.Fatalf("outcome %s (%v):\n%s", res.result.Outcome, res.result.Err, screen(m))
	}
	if got, _ := s.srv.StageState(a.ID, st.ID); got.ReviewResult != sim.ResultNotReviewed {
		t.Fatalf("failed, yet the stage is %+v", got)
	}
	if selectedID(m) != a.ID {
		t.Fatalf("the failed request is no longer selected (%q)", selectedID(m))
	}
	s.clk.Advance(time.Second)
	press(m, "d")
	if m.form() == nil || m.form().input.Value() != why {
		t.Fatalf("the retry form does not hold the text typed: %+v", m.form())
	}
	s.srv.ClearFaults()
	s.clk.Advance(time.Second)
	res = next[decisionSentMsg](t, stream(press(m, "enter")))
	s.deliver(t, res)
	got, _ := s.srv.StageState(a.ID, st.ID)
	if res.result.Outcome != graph.OutcomeDenied || got.ReviewResult != sim.ResultDenied || got.Justification != why || got.PatchesApplied != 1 {
		t.Fatalf("retry: %s (%v); stage %+v", res.result.Outcome, res.result.Err, got)
	}
}

// A source that cannot be listed for a while, or stages that cannot be
// read, must not take requests away: not the list rows, not the marks, not
// the form being typed in.
func TestSimPassingFailureKeepsRequestsMarksAndForm(t *testing.T) {
	t.Parallel()
	s := newSimModel(t, func(o *graph.Options) { o.MaxRetries = -1 }, nil)
	s.poll(t)
	m := s.m
	group, other := sharedGroupItem(s)
	if group == nil {
		t.Fatal("no PIM for Groups approval of mine has a second approver; pick another seed")
	}
	for i, it := range m.inbox.view {
		if it == group {
			m.inbox.moveTo(i)
			m.selectionChanged()
		}
	}
	press(m, "space", "k") // mark it
	total := m.inbox.total()
	openAndType(m, s.clk, "a", "typed before the outage")

	s.srv.AddFault(sim.Fault{Kind: sim.FaultUnavailable, Op: sim.OpListGroupRequests})
	if msg := s.poll(t); msg.err != nil || len(msg.snap.Errors) != 1 {
		t.Fatalf("want one source failing: %v %+v", msg.err, msg.snap)
	}
	if m.inbox.total() != total || m.inbox.items[group.a.Ref] != group || !group.marked {
		t.Fatalf("the PIM requests went away with their listing: %d of %d left, marked %v", m.inbox.total(), total, group.marked)
	}
	if m.form() == nil || len(m.form().targets) != 1 || m.form().problem != "" {
		t.Fatalf("the open form lost its request: %+v", m.form())
	}
	s.srv.ClearFaults()

	// Stages that cannot be read this time (a broken $batch reply) keep
	// what was read before. A new listing entry makes the client read it.
	s.client.Forget(group.a.Ref)
	s.srv.AddFault(sim.Fault{Kind: sim.FaultMalformed, Op: sim.OpBatch})
	s.poll(t)
	if !group.hasMine || len(m.form().targets) != 1 || m.form().problem != "" {
		t.Fatalf("unreadable stages took the request from the form: hasMine %v, form %+v", group.hasMine, m.form())
	}
	s.srv.ClearFaults()

	// Really decided elsewhere: the form says so, and the text is kept
	// should the request come back.
	if err := s.srv.DecideAs(other, group.a.ID, group.stage.ID, "Approve", "mine"); err != nil {
		t.Fatal(err)
	}
	s.poll(t)
	// (The form keeps the text; a draft of a request no longer listed is
	// dropped, so that quitting does not warn about it.)
	if m.form() == nil || !strings.Contains(m.form().problem, "No longer waiting for you") || m.form().input.Value() != "typed before the outage" {
		t.Fatalf("form %+v", m.form())
	}
}

// sharedGroupItem is a PIM for Groups request waiting for me whose stage
// has another approver, and that approver.
func sharedGroupItem(s *simModel) (*item, string) {
	tenant := s.srv.Tenant()
	for _, it := range s.m.inbox.view {
		if it.a.Source != graph.SourceGroup || !it.hasMine {
			continue
		}
		for _, r := range tenant.GroupRequests {
			if r.ID != it.a.RequestID {
				continue
			}
			for _, st := range r.Stages {
				for _, u := range st.Approvers {
					if st.ID == it.stage.ID && u != s.me.ID {
						return it, u
					}
				}
			}
		}
	}
	return nil, ""
}
