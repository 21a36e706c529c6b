package serve

import (
	"strings"
	"sync"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func TestBoundKeyDecidesAsItsUser(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	me := h.sim.Approvers()[0]
	key, line := newKey(t, `approvals-user="`+me.UserPrincipalName+`"`)
	writeKeys(t, h, line)

	target := h.mine(me.UserPrincipalName)[0]
	st, _, _ := target.MyStage()
	c := h.connect(t, key, 120, 40)
	c.waitLoaded("the inbox", "waiting", me.UserPrincipalName)
	c.only(target.ID)
	const why = "Checked with the service owner"
	c.decide("a", "Approve: ", why)
	c.waitFor("the outcome", "Approved — ")
	state, ok := h.sim.StageState(target.ID, st.ID)
	if !ok || state.ReviewResult != "Approved" || state.ReviewedBy != me.ID || state.Justification != why || state.PatchesApplied != 1 {
		t.Fatalf("simulator has %+v, want approved by %s", state, me.ID)
	}
	line2 := h.logs.waitFor(t, "the decision", "decision", "user="+me.UserPrincipalName, "outcome=approved")
	if strings.Contains(h.logs.all(), why) {
		t.Errorf("the justification reached the log: %s", line2)
	}
	c.typeText("q")
	if code := c.exit(); code != 0 {
		t.Errorf("exit status %d after q", code)
	}
}

func TestTwoSessionsDecideIndependently(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	users := h.sim.Approvers()
	if len(users) < 2 {
		t.Fatal("the tenant has fewer than two approvers")
	}
	a, b := users[0], users[1]
	keyA, lineA := newKey(t, `approvals-user="`+a.UserPrincipalName+`"`)
	keyB, lineB := newKey(t, `approvals-user="`+b.UserPrincipalName+`"`)
	writeKeys(t, h, lineA+lineB)
	// Each approves something only they can decide.
	pick := func(me, other string) (string, string) {
		theirs := map[string]bool{}
		for _, x := range h.mine(other) {
			theirs[x.ID] = true
		}
		for _, x := range h.mine(me) {
			if !theirs[x.ID] {
				st, _, _ := x.MyStage()
				return x.ID, st.ID
			}
		}
		t.Fatalf("nothing waits for %s alone", me)
		return "", ""
	}
	idA, stA := pick(a.UserPrincipalName, b.UserPrincipalName)
	idB, stB := pick(b.UserPrincipalName, a.UserPrincipalName)

	ca := h.connect(t, keyA, 120, 40)
	cb := h.connect(t, keyB, 100, 30)
	var wg sync.WaitGroup
	for _, run := range []struct {
		c       *client
		id, who string
		key     string
		title   string
		outcome string
	}{
		{ca, idA, a.UserPrincipalName, "a", "Approve: ", "Approved — "},
		{cb, idB, b.UserPrincipalName, "d", "Deny: ", "Denied — "},
	} {
		wg.Go(func() {
			run.c.waitLoaded("the inbox", "waiting", run.who)
			run.c.only(run.id)
			run.c.decide(run.key, run.title, "decided by "+run.who)
			run.c.waitFor("the outcome", run.outcome)
		})
	}
	wg.Wait()
	if s, _ := h.sim.StageState(idA, stA); s.ReviewResult != "Approved" || s.ReviewedBy != a.ID {
		t.Errorf("%s's approval: %+v", a.UserPrincipalName, s)
	}
	if s, _ := h.sim.StageState(idB, stB); s.ReviewResult != "Denied" || s.ReviewedBy != b.ID {
		t.Errorf("%s's denial: %+v", b.UserPrincipalName, s)
	}
	// Neither decided the other's.
	if s, _ := h.sim.StageState(idA, stA); s.Justification != "decided by "+a.UserPrincipalName {
		t.Errorf("stage %s justification %q", idA, s.Justification)
	}
}

func TestRefusedKeysAndMethods(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	_, known := newKey(t, "")
	strangerBound, strangerLine := newKey(t, `approvals-user="nobody@contoso.com"`)
	writeKeys(t, h, known+strangerLine)

	unknown, _ := newKey(t, "")
	if _, err := h.dial(gossh.PublicKeys(unknown)); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("an unknown key: %v", err)
	}
	if _, err := h.dial(gossh.Password("hunter2")); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("a password: %v", err)
	}
	if _, err := h.dial(gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
		return []string{"hunter2"}, nil
	})); err == nil {
		t.Error("keyboard-interactive was accepted")
	}
	// A key bound to someone the tenant does not have gets a message and
	// no inbox.
	c := h.connect(t, strangerBound, 80, 24)
	if code := c.exit(); code != 1 {
		t.Errorf("exit status %d for a key bound to an unknown user", code)
	}
	if !strings.Contains(c.stderr.String(), "nobody@contoso.com is not an approver") {
		t.Errorf("stderr: %q", c.stderr.String())
	}
}

func writeKeys(t *testing.T, h *harness, lines string) {
	t.Helper()
	if err := writeFile(h.keysPath, lines); err != nil {
		t.Fatal(err)
	}
}
