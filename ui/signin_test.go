package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"approvals/graph/auth/authtest"
	"approvals/ui/words"
	tea "charm.land/bubbletea/v2"
)

// scriptedSignIn shows one device code, then waits for the test to let it
// finish (with err) or for its context to end.
type scriptedSignIn struct {
	code    DeviceCode
	finish  chan error
	started chan struct{}
}

func newScriptedSignIn() *scriptedSignIn {
	return &scriptedSignIn{
		code:    DeviceCode{UserCode: "ABCD-EFGH", URL: "https://microsoft.com/devicelogin", Expires: t0.Add(15 * time.Minute)},
		finish:  make(chan error, 1),
		started: make(chan struct{}, 4),
	}
}

func (s *scriptedSignIn) run(ctx context.Context, prompt func(DeviceCode)) error {
	s.started <- struct{}{}
	prompt(s.code)
	select {
	case err := <-s.finish:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func newSigningIn(t *testing.T) (*Model, *fakeBackend, *fakeClock, *scriptedSignIn, <-chan tea.Msg) {
	t.Helper()
	fb := &fakeBackend{snap: sampleSnapshot()}
	clk := newFakeClock()
	si := newScriptedSignIn()
	m := New(Options{timer: heldTimer, Backend: fb, Now: clk.Now, SignIn: si.run, Theme: ThemeDark})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	ch := stream(m.Init())
	m.Update(next[deviceCodeShownMsg](t, ch))
	return m, fb, clk, si, ch
}

func TestSignInShowsTheCodeInside(t *testing.T) {
	t.Parallel()
	m, fb, clk, si, ch := newSigningIn(t)
	s := screen(m)
	for _, want := range []string{"Sign in to Microsoft Entra ID", "https://microsoft.com/devicelogin", "ABCD-EFGH", "expires in 15:00", "c copy the code"} {
		if !strings.Contains(s, want) {
			t.Errorf("sign-in screen lacks %q:\n%s", want, s)
		}
	}
	clk.Advance(61 * time.Second)
	m.Update(signInTickedMsg{attempt: m.signIn.attempt})
	if !strings.Contains(screen(m), "expires in 13:59") {
		t.Fatalf("countdown does not move:\n%s", screen(m))
	}
	msgs := collect(press(m, "c"))
	if len(msgs) != 1 || !strings.Contains(fmt.Sprintf("%T %v", msgs[0], msgs[0]), "ABCD-EFGH") {
		t.Fatalf("c did not copy the code: %#v", msgs)
	}
	if fb.refreshes != 0 {
		t.Fatal("polled before signing in")
	}
	si.finish <- nil
	_, cmd := m.Update(next[signedInMsg](t, ch))
	if m.signingIn() || !m.polling {
		t.Fatal("signing in does not start polling")
	}
	m.Update(next[approvalsLoadedMsg](t, stream(cmd)))
	if m.inbox.total() != 5 {
		t.Fatal("no data after sign-in")
	}
}

func TestSignInEscCancelsAndRRetries(t *testing.T) {
	t.Parallel()
	m, _, _, si, ch := newSigningIn(t)
	press(m, "esc")
	done := next[signedInMsg](t, ch)
	if !errors.Is(done.err, context.Canceled) {
		t.Fatalf("esc did not cancel the sign-in: %v", done.err)
	}
	m.Update(done)
	if !strings.Contains(screen(m), "Sign-in cancelled.") || !strings.Contains(screen(m), "Press r to sign in again") {
		t.Fatalf("screen:\n%s", screen(m))
	}
	ch2 := stream(press(m, "r"))
	<-si.started
	<-si.started
	m.Update(next[deviceCodeShownMsg](t, ch2))
	if !strings.Contains(screen(m), "ABCD-EFGH") {
		t.Fatal("retry does not show a new code")
	}
	// A reply of the first attempt cannot end the second.
	m.Update(signedInMsg{attempt: 1, err: errBoom})
	if m.signIn.err != nil {
		t.Fatal("a stale sign-in reply was applied")
	}
}

func TestSignInErrorIsOneClearLine(t *testing.T) {
	t.Parallel()
	m, _, _, si, ch := newSigningIn(t)
	si.finish <- errors.New("AADSTS70016: pending\x1b[2J")
	m.Update(next[signedInMsg](t, ch))
	s := screen(m)
	if !strings.Contains(s, "Sign-in failed (AADSTS70016): the device-code sign-in was not completed yet") || strings.Contains(m.View().Content, "\x1b[2J") {
		t.Fatalf("screen:\n%q", s)
	}
}

// A sign-in error longer than the screen is wrapped, not cut: its code,
// Entra ID's ids and the advice's end are all on screen.
func TestSignInErrorWrapsToKeepCodeIDsAndAdvice(t *testing.T) {
	t.Parallel()
	m, _, _, si, ch := newSigningIn(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 30})
	si.finish <- errors.New(`{"error_description": "AADSTS53003: Access has been blocked by Conditional Access policies.\r\nTrace ID: 5e4c1a7e-0c4a-4f5e-9a59-0d6b2c3d4e00\r\nCorrelation ID: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"}`)
	m.Update(next[signedInMsg](t, ch))
	s := strings.Join(strings.Fields(screen(m)), " ")
	for _, want := range []string{"Sign-in failed (AADSTS53003,", "correlation-id 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0,",
		"trace-id 5e4c1a7e-0c4a-4f5e-9a59-0d6b2c3d4e00):", "try --auth browser, or ask your administrator"} {
		if !strings.Contains(s, want) {
			t.Errorf("sign-in screen lacks %q:\n%s", want, screen(m))
		}
	}
	for _, l := range strings.Split(screen(m), "\n") {
		if strings.Contains(l, "…") {
			t.Errorf("a line was cut: %q", l)
		}
	}
}

// A sign-in that failed because its code expired says to sign in again
// here (the screen's r), not to run approvals login, which an SSH session
// of approvals serve cannot run; the command line keeps its words.
func TestSignInErrorAdvisesTheInboxNotTheCommand(t *testing.T) {
	t.Parallel()
	m, _, _, si, ch := newSigningIn(t)
	expired := authtest.EntraError("70020", "The provided value for the input parameter 'device_code' is not valid.")
	si.finish <- expired
	m.Update(next[signedInMsg](t, ch))
	s := strings.Join(strings.Fields(screen(m)), " ")
	if strings.Contains(s, "approvals login") || !strings.Contains(s, "sign in again and enter the code within 15 minutes") ||
		!strings.Contains(s, "Press r to sign in again") {
		t.Fatalf("screen:\n%s", s)
	}
	if cli := words.Explain(expired); !strings.Contains(cli, "run approvals login again") {
		t.Fatalf("the command line lost its advice: %s", cli)
	}
}
