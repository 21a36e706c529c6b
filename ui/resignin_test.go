package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
)

var errExpired = &graph.Error{StatusCode: 401, Code: "InvalidAuthenticationToken", Message: "Lifetime validation failed, the token is expired."}

// newSignedInInbox is an inbox that signed in once (through a scripted
// sign-in) and loaded the sample data.
func newSignedInInbox(t *testing.T) (*Model, *scriptedSignIn) {
	t.Helper()
	si := newScriptedSignIn()
	m := New(Options{timer: heldTimer, Backend: &fakeBackend{snap: sampleSnapshot()}, Now: newFakeClock().Now, SignIn: si.run, Theme: ThemeDark})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.signIn = signInState{attempt: 1} // signed in at start
	load(m, sampleSnapshot())
	return m, si
}

// A sign-in that expires mid-session (401, or a claims challenge) brings
// the device code back inside the inbox; polling resumes once signed in.
func TestExpiredSignInSignsInAgain(t *testing.T) {
	t.Parallel()
	m, si := newSignedInInbox(t)
	loadErr(m, errExpired)
	if !m.signingIn() {
		t.Fatalf("a 401 did not bring the sign-in back:\n%s", screen(m))
	}
	m.signIn.cancel() // stop the scripted sign-in's goroutine if it started
	ch := stream(m.startSignIn())
	<-si.started
	m.Update(next[deviceCodeShownMsg](t, ch))
	if s := screen(m); !strings.Contains(s, "Your sign-in has expired") || !strings.Contains(s, "ABCD-EFGH") {
		t.Fatalf("sign-in screen:\n%s", s)
	}
	si.finish <- nil
	_, cmd := m.Update(next[signedInMsg](t, ch))
	if m.signingIn() || feed[approvalsLoadedMsg](m, cmd) != 1 || !strings.Contains(screen(m), "Ada Lovelace") {
		t.Fatalf("after signing in again the inbox should poll and show its data:\n%s", screen(m))
	}
}

// A sign-in that changes nothing (Graph still says 401) does not loop:
// the next failure backs off and says why, until a poll succeeds.
func TestSigningInAgainDoesNotLoop(t *testing.T) {
	t.Parallel()
	m, _ := newSignedInInbox(t)
	loadErr(m, errExpired)
	m.signIn.cancel()
	m.Update(signedInMsg{attempt: m.signIn.attempt}) // signed in again
	loadErr(m, errExpired)
	if m.signingIn() || m.failures != 1 || m.pollErr == nil {
		t.Fatalf("second 401: active=%v failures=%d err=%v", m.signingIn(), m.failures, m.pollErr)
	}
	load(m, sampleSnapshot())
	loadErr(m, errExpired)
	if !m.signingIn() {
		t.Fatal("after a good poll, a new 401 should ask for a sign-in again")
	}
	m.signIn.cancel()
}

// Other errors, an open form or queued decisions never take the screen.
func TestSignInAgainWaitsForTheUser(t *testing.T) {
	t.Parallel()
	m, _ := newSignedInInbox(t)
	loadErr(m, errors.New("connection refused"))
	if m.signingIn() {
		t.Fatal("a network error brought the sign-in back")
	}
	press(m, "a")
	loadErr(m, errExpired)
	if m.signingIn() || m.form() == nil {
		t.Fatal("the sign-in took the screen from an open form")
	}
}

// When signing in again fails, esc goes back to the inbox as last read.
func TestFailedSignInAgainEscBackToInbox(t *testing.T) {
	t.Parallel()
	m, _ := newSignedInInbox(t)
	loadErr(m, errExpired)
	m.signIn.cancel()
	m.Update(signedInMsg{attempt: m.signIn.attempt, err: context.Canceled})
	if !strings.Contains(screen(m), "esc for the inbox as last read") {
		t.Fatalf("failed sign-in screen:\n%s", screen(m))
	}
	cmd := press(m, "esc")
	if m.signingIn() || cmd == nil || !strings.Contains(screen(m), "Ada Lovelace") {
		t.Fatalf("esc did not go back to the inbox (with a poll scheduled):\n%s", screen(m))
	}
}
