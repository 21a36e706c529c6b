package serve

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/sim"
	"approvals/ui"
)

// boundHarness is a harness with one key bound to the first approver.
func boundHarness(t *testing.T, o harnessOpts) (*harness, *client, string) {
	t.Helper()
	h := newHarness(t, o)
	me := h.sim.Approvers()[0].UserPrincipalName
	key, line := newKey(t, `approvals-user="`+me+`"`)
	writeKeys(t, h, line)
	c := h.connect(t, key, 80, 24)
	c.waitLoaded("the inbox", "waiting")
	return h, c, me
}

func TestResizeRedraws(t *testing.T) {
	_, c, _ := boundHarness(t, harnessOpts{})
	if strings.Contains(c.scr.Text(), "Requestor") {
		t.Fatal("the detail pane shows at 80 columns")
	}
	c.resize(140, 40)
	// Wide enough for the detail pane beside the list, drawn whole: the
	// title on the top row and the detail's first fields.
	c.waitForWhole("the wide layout", "│", "Stages", "Requestor")
	c.resize(50, 12)
	c.waitFor("the small-screen notice", "too small")
}

// A resize while frames drawn for the old size are still on their way to
// the client (as over any real network) loses nothing: the renderer's
// scrolled frames set the terminal's scrolling region with the old size's
// bottom row, and the inbox resets it before the full repaint. Without
// that, the wide screen's top rows were scrolled away (seen in tmux over
// a 150 ms link, and in this test's emulator under load).
func TestResizeWithOldFramesInFlight(t *testing.T) {
	h := newHarness(t, harnessOpts{tenant: &sim.Options{Seed: 21, Approvals: 60}})
	me := h.sim.Approvers()[0].UserPrincipalName
	key, line := newKey(t, `approvals-user="`+me+`"`)
	writeKeys(t, h, line)
	c := h.connect(t, key, 80, 24)
	c.waitLoaded("the inbox, loaded")

	// Scroll the list on the 80×24 screen while its frames are held on the
	// way: the renderer scrolls the list's rows inside a region and sets
	// the region back as rows 1 to 24.
	c.link.hold()
	scrolled := false
	for range 60 { // one row a frame: a longer jump is repainted, not scrolled
		sent := len(c.raw.String())
		c.typeText("j")
		for deadline := time.Now().Add(5 * time.Second); len(c.raw.String()) == sent; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				c.link.release()
				t.Fatalf("no frame after j; screen:\n%s", c.scr.Text())
			}
		}
		if scrolled = strings.Contains(c.raw.String()[sent:], "\x1b[1;24r"); scrolled {
			break
		}
	}
	if !scrolled {
		c.link.release()
		t.Fatalf("the list never scrolled with a region; screen:\n%s", c.scr.Text())
	}
	// The window grows with those frames still in flight; they arrive
	// after it did, then whatever the server draws for the new size.
	c.resize(140, 40)
	c.link.release()
	c.waitForWhole("the wide layout", "│", "Stages", "Requestor")
}

func TestColourFollowsTheClient(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	me := h.sim.Approvers()[0].UserPrincipalName
	key, line := newKey(t, `approvals-user="`+me+`"`)
	writeKeys(t, h, line)

	truecolor := h.connect(t, key, 100, 30, "COLORTERM=truecolor")
	ansi256 := h.connect(t, key, 100, 30)
	plain := h.connect(t, key, 100, 30, "NO_COLOR=1")
	for _, c := range []*client{truecolor, ansi256, plain} {
		c.waitLoaded("the inbox", "waiting")
	}
	if !strings.Contains(truecolor.raw.String(), "38;2;") {
		t.Error("COLORTERM=truecolor: no 24-bit colour sent")
	}
	if s := ansi256.raw.String(); strings.Contains(s, "38;2;") || !strings.Contains(s, "38;5;") {
		t.Error("TERM=xterm-256color: want 256-colour sequences only")
	}
	if s := plain.raw.String(); strings.Contains(s, "38;2;") || strings.Contains(s, "38;5;") {
		t.Error("NO_COLOR=1: colour was sent")
	}

	// y copies the selected id to this client's clipboard (OSC 52).
	truecolor.typeText("y")
	truecolor.waitFor("the copy notice", "Copied")
	if !strings.Contains(truecolor.raw.String(), "\x1b]52;c;") {
		t.Error("no OSC 52 sequence reached the client")
	}
	if strings.Contains(ansi256.raw.String(), "\x1b]52;") {
		t.Error("another session received the clipboard")
	}
}

func TestCommandsAreRefused(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	key, line := newKey(t, "")
	writeKeys(t, h, line)
	conn, err := h.dial(publicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("approvals list --json")
	if code := exitStatus(t, err); code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	if !strings.Contains(string(out), "interactive inbox only") {
		t.Errorf("output %q", out)
	}
}

func TestIdleEndsOnlyASessionWithNothingQueued(t *testing.T) {
	clock := newFakeClock()
	tune := func(o *ui.Options) {
		o.Now = clock.Now
		o.UndoWindow = 5 * time.Minute
		o.GracePeriod = -1 // the fake clock does not move on its own
	}
	mutate := func(o *Options) {
		o.Now, o.IdleTimeout, o.IdleCheck = clock.Now, time.Minute, 10*time.Millisecond
	}
	h, c, me := boundHarness(t, harnessOpts{ui: tune, mutate: mutate})

	// Idle with nothing queued: ended.
	clock.advance(2 * time.Minute)
	if code := c.exit(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if !strings.Contains(c.stderr.String(), "no key pressed for 1m0s") {
		t.Errorf("stderr %q", c.stderr.String())
	}

	// Idle with a decision in its undo window: kept until it is sent.
	key, line := newKey(t, `approvals-user="`+me+`"`)
	writeKeys(t, h, line)
	c = h.connect(t, key, 120, 40)
	c.waitLoaded("the inbox", "waiting")
	target := h.mine(me)[0]
	st, _, _ := target.MyStage()
	c.only(target.ID)
	c.decide("a", "Approve: ", "idle but decided")
	c.waitFor("the undo countdown", "press u to undo")
	clock.advance(2 * time.Minute)
	h.logs.waitFor(t, "the idle check keeping the session", "idle, kept open", "pending=1")
	if s, _ := h.sim.StageState(target.ID, st.ID); s.ReviewResult != "NotReviewed" {
		t.Fatalf("sent before its undo window ended: %+v", s)
	}
	clock.advance(4 * time.Minute) // the undo window ends; then idle again
	if code := c.exit(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if s, _ := h.sim.StageState(target.ID, st.ID); s.ReviewResult != "Approved" || s.PatchesApplied != 1 {
		t.Fatalf("the queued decision: %+v", s)
	}
	if !strings.Contains(c.stderr.String(), "1 decision sent this session: 1 approved") {
		t.Errorf("stderr %q", c.stderr.String())
	}
}

func TestShutdownSendsQueuedDecisions(t *testing.T) {
	tune := func(o *ui.Options) { o.UndoWindow = 1500 * time.Millisecond }
	h, c, me := boundHarness(t, harnessOpts{ui: tune})
	target := h.mine(me)[0]
	st, _, _ := target.MyStage()
	c.only(target.ID)
	c.decide("d", "Deny: ", "not while we stop")
	c.waitFor("the undo countdown", "press u to undo")

	done := make(chan int, 1)
	go func() { done <- h.srv.Shutdown(context.Background()) }()
	c.waitFor("the stopping notice", "server is stopping")
	if _, err := h.dial(publicKeys(mustKey(t))); err == nil {
		t.Error("a new connection was accepted while stopping")
	}
	select {
	case unsent := <-done:
		if unsent != 0 {
			t.Errorf("Shutdown reports %d unsent", unsent)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Shutdown did not return")
	}
	if s, _ := h.sim.StageState(target.ID, st.ID); s.ReviewResult != "Denied" || s.PatchesApplied != 1 {
		t.Fatalf("the queued decision: %+v", s)
	}
	if code := c.exit(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if !strings.Contains(c.stderr.String(), "everything you decided was sent") {
		t.Errorf("stderr %q", c.stderr.String())
	}
}

func TestShutdownIsBoundedAndReportsUnsent(t *testing.T) {
	clock := newFakeClock() // the undo window never ends on its own
	tune := func(o *ui.Options) { o.Now, o.UndoWindow, o.GracePeriod = clock.Now, time.Minute, -1 }
	mutate := func(o *Options) { o.ShutdownTimeout = 300 * time.Millisecond }
	h, c, me := boundHarness(t, harnessOpts{ui: tune, mutate: mutate})
	c.only(h.mine(me)[0].ID)
	c.decide("a", "Approve: ", "will not make it")
	c.waitFor("the undo countdown", "press u to undo")
	if unsent := h.srv.Shutdown(context.Background()); unsent != 1 {
		t.Errorf("Shutdown reports %d unsent, want 1", unsent)
	}
	c.exit()
	if !strings.Contains(c.stderr.String(), "the server stopped before 1 decision could be sent") {
		t.Errorf("stderr %q", c.stderr.String())
	}
	h.logs.waitFor(t, "the unsent report", "decisions not sent", "unsent=1")
}

// countingBackend counts Graph calls.
type countingBackend struct {
	calls atomic.Int64
}

func (b *countingBackend) Refresh(context.Context) (*graph.Snapshot, error) {
	b.calls.Add(1)
	return &graph.Snapshot{}, nil
}

func (b *countingBackend) Decide(_ context.Context, r graph.DecisionRequest) graph.DecisionResult {
	b.calls.Add(1)
	return graph.DecisionResult{Request: r, Outcome: graph.OutcomeFailed, Err: errors.New("no")}
}

func (b *countingBackend) Forget(graph.Ref) {}

func TestSignInAsAnotherUserEndsTheSession(t *testing.T) {
	backend := &countingBackend{}
	var account atomic.Value
	account.Store("")
	factory := func(_ context.Context, c Conn) (*Inbox, error) {
		return &Inbox{
			UI: ui.Options{Backend: backend, PollInterval: time.Hour, SignIn: func(ctx context.Context, prompt func(ui.DeviceCode)) error {
				prompt(ui.DeviceCode{UserCode: "CODE-123", URL: "https://login.example/device", Expires: time.Now().Add(time.Minute)})
				account.Store("mallory@contoso.com") // whoever typed the code
				return nil
			}},
			Account: func() string { return account.Load().(string) },
		}, nil
	}
	h := newHarness(t, harnessOpts{factory: factory})
	key, line := newKey(t, `approvals-user="megan@contoso.com"`)
	writeKeys(t, h, line)
	c := h.connect(t, key, 80, 24)
	if code := c.exit(); code != 1 {
		t.Errorf("exit status %d", code)
	}
	if got := c.stderr.String(); !strings.Contains(got, "bound to megan@contoso.com, but the sign-in was mallory@contoso.com") {
		t.Errorf("stderr %q", got)
	}
	if n := backend.calls.Load(); n != 0 {
		t.Errorf("%d Graph calls made for the wrong user", n)
	}
}

// The approver's own request is flagged "(you)" over SSH as it is
// locally: the session's guard passes the backend's /me on once it has
// checked who signed in (at once for a bound demo key, after the sign-in
// for a device code).
func TestOwnRequestFlaggedOverSSH(t *testing.T) {
	for _, signIn := range []bool{false, true} {
		t.Run(map[bool]string{false: "no sign-in", true: "after sign-in"}[signIn], func(t *testing.T) {
			h := newHarness(t, harnessOpts{
				// GenerateRoles adds the demo identity's own activation.
				tenant: &sim.Options{Seed: 21, Approvals: 16, RoleApprovals: sim.DefaultRoleApprovals},
				ui: func(o *ui.Options) {
					if signIn {
						o.SignIn = func(context.Context, func(ui.DeviceCode)) error { return nil }
					}
				},
			})
			me := h.sim.Approvers()[0]
			key, line := newKey(t, `approvals-user="`+me.UserPrincipalName+`"`)
			writeKeys(t, h, line)
			c := h.connect(t, key, 160, 50)
			c.waitFor("the approver's own role activation, flagged", "(you) "+me.DisplayName)
		})
	}
}

// The guard asks /me only once the sign-in is checked, and says so when
// the backend cannot answer.
func TestGuardedBackendMe(t *testing.T) {
	me := &meBackend{id: graph.Identity{ID: "u-1", DisplayName: "Megan Bowen"}}
	g := &guardedBackend{inner: me, guard: &identityGuard{bound: "megan@contoso.com", account: func() string { return "megan@contoso.com" }}, ss: &session{}}
	if _, err := g.Me(context.Background()); !errors.Is(err, errNotVerified) || me.calls != 0 {
		t.Errorf("before the check: %v, %d calls", err, me.calls)
	}
	if err := g.guard.check(); err != nil {
		t.Fatal(err)
	}
	if id, err := g.Me(context.Background()); err != nil || id.ID != "u-1" || me.calls != 1 {
		t.Errorf("after the check: %+v %v, %d calls", id, err, me.calls)
	}
	g.inner = &countingBackend{}
	if _, err := g.Me(context.Background()); !errors.Is(err, errNoIdentity) {
		t.Errorf("a backend without /me: %v", err)
	}
}

// meBackend answers /me.
type meBackend struct {
	countingBackend
	id    graph.Identity
	calls int
}

func (b *meBackend) Me(context.Context) (graph.Identity, error) {
	b.calls++
	return b.id, nil
}

// panicBackend panics inside the inbox's first refresh.
type panicBackend struct{ countingBackend }

func (b *panicBackend) Refresh(context.Context) (*graph.Snapshot, error) { panic("boom") }

func TestPanicEndsOnlyThatSession(t *testing.T) {
	h := newHarness(t, harnessOpts{wrap: func(good Factory) Factory {
		return func(ctx context.Context, c Conn) (*Inbox, error) {
			if c.User == "crash@contoso.com" {
				return &Inbox{UI: ui.Options{Backend: &panicBackend{}}, Account: func() string { return c.User }}, nil
			}
			return good(ctx, c)
		}
	}})
	me := h.sim.Approvers()[0].UserPrincipalName
	okKey, okLine := newKey(t, `approvals-user="`+me+`"`)
	badKey, badLine := newKey(t, `approvals-user="crash@contoso.com"`)
	writeKeys(t, h, okLine+badLine)
	ok := h.connect(t, okKey, 80, 24)
	ok.waitLoaded("the inbox", "waiting")
	bad := h.connect(t, badKey, 80, 24)
	if code := bad.exit(); code != 1 {
		t.Errorf("exit status %d", code)
	}
	if !strings.Contains(bad.stderr.String(), "internal error") {
		t.Errorf("stderr %q", bad.stderr.String())
	}
	// The other session still answers.
	ok.typeText("?")
	ok.waitFor("the help", "help")
	h.logs.waitFor(t, "the panic in the log", "session panicked", "panic=boom")
	for deadline := time.Now().Add(5 * time.Second); h.srv.Sessions() != 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions open, want 1", h.srv.Sessions())
		}
	}
}

func TestMaxSessions(t *testing.T) {
	h := newHarness(t, harnessOpts{mutate: func(o *Options) { o.MaxSessions = 1 }})
	me := h.sim.Approvers()[0].UserPrincipalName
	key, line := newKey(t, `approvals-user="`+me+`"`)
	writeKeys(t, h, line)
	first := h.connect(t, key, 80, 24)
	first.waitLoaded("the inbox", "waiting")
	second := h.connect(t, key, 80, 24)
	if code := second.exit(); code != 1 {
		t.Errorf("exit status %d", code)
	}
	if !strings.Contains(second.stderr.String(), "busy") {
		t.Errorf("stderr %q", second.stderr.String())
	}
}

func TestShutdownWaitsForATypedJustification(t *testing.T) {
	h, c, me := boundHarness(t, harnessOpts{})
	c.only(h.mine(me)[0].ID)
	c.typeText("a")
	c.waitFor("the form", "Approve: ")
	c.typeText("half-typed reason")
	c.waitFor("the typed text", "half-typed reason")

	done := make(chan int, 1)
	go func() { done <- h.srv.Shutdown(context.Background()) }()
	c.waitFor("the stopping notice", "send or drop what you are typing")
	c.typeText("\r") // submit: queued, sent after its 300ms undo window
	select {
	case unsent := <-done:
		if unsent != 0 {
			t.Errorf("Shutdown reports %d unsent", unsent)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Shutdown did not return")
	}
	if code := c.exit(); code != 0 || !strings.Contains(c.stderr.String(), "1 decision sent this session: 1 approved") {
		t.Errorf("exit %d, stderr %q", code, c.stderr.String())
	}
}
