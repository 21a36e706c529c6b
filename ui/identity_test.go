package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestWhoAmIReplacesIdentityOnceAnswered(t *testing.T) {
	t.Parallel()
	fb := &fakeBackend{snap: sampleSnapshot()}
	asked := 0
	m := New(Options{timer: heldTimer, Backend: fb, Now: newFakeClock().Now, Theme: ThemeDark, Identity: "megan@contoso.com",
		WhoAmI: func(context.Context) (string, error) { asked++; return "Megan Bowen <megan@contoso.com>", nil }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if !strings.Contains(screen(m), "megan@contoso.com") || strings.Contains(screen(m), "Megan Bowen") {
		t.Fatalf("before WhoAmI answers, the title should show Options.Identity:\n%s", screen(m))
	}
	if n := feed[identityFoundMsg](m, m.Init()); n != 1 || asked != 1 {
		t.Fatalf("WhoAmI asked %d times, %d answers fed; want 1 and 1", asked, n)
	}
	if first := strings.SplitN(screen(m), "\n", 2)[0]; !strings.Contains(first, "Megan Bowen <megan@contoso.com>") {
		t.Fatalf("title bar after WhoAmI: %q", first)
	}
}

func TestWhoAmIErrorKeepsIdentity(t *testing.T) {
	t.Parallel()
	fb := &fakeBackend{snap: sampleSnapshot()}
	m := New(Options{timer: heldTimer, Backend: fb, Now: newFakeClock().Now, Theme: ThemeDark, Identity: "megan@contoso.com",
		WhoAmI: func(context.Context) (string, error) { return "", errors.New("403") }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if n := feed[identityFoundMsg](m, m.Init()); n != 0 {
		t.Fatalf("a failed WhoAmI produced %d identity messages", n)
	}
	if !strings.Contains(screen(m), "megan@contoso.com") {
		t.Fatal("a failed WhoAmI lost the identity shown")
	}
}

func TestWhoAmIWaitsForSignIn(t *testing.T) {
	t.Parallel()
	asked := 0
	m := New(Options{timer: heldTimer, Backend: &fakeBackend{snap: sampleSnapshot()}, Now: newFakeClock().Now, Theme: ThemeDark,
		SignIn: func(ctx context.Context, prompt func(DeviceCode)) error { <-ctx.Done(); return ctx.Err() },
		WhoAmI: func(context.Context) (string, error) { asked++; return "x", nil }})
	cmd := m.Init()
	m.cancel() // the sign-in ends (cancelled), so every Cmd of Init returns
	signedIn := 0
	for _, msg := range collect(cmd) {
		if _, ok := msg.(signedInMsg); ok {
			signedIn++
		}
	}
	if asked != 0 || signedIn != 1 {
		t.Fatalf("WhoAmI asked %d times before the sign-in finished (sign-in replies: %d)", asked, signedIn)
	}
}

func TestNoticesAreShownWhenTheInboxOpens(t *testing.T) {
	t.Parallel()
	fb := &fakeBackend{snap: sampleSnapshot()}
	m := New(Options{timer: heldTimer, Backend: fb, Now: newFakeClock().Now, Theme: ThemeDark,
		Notices: []string{"tokens are kept in memory only: sign in again next run"}})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Init()
	load(m, sampleSnapshot()) // the first poll must not wipe it
	if !strings.Contains(screen(m), "tokens are kept in memory only") {
		t.Fatalf("startup notice not shown:\n%s", screen(m))
	}
}

// Start-up warnings hold error text from outside the program (the token
// cache, the journal): drawn raw, a line break would push the screen out
// of shape and an escape sequence would reach the terminal.
func TestNoticesAreSanitized(t *testing.T) {
	t.Parallel()
	m := New(Options{timer: heldTimer, Backend: &fakeBackend{snap: sampleSnapshot()}, Now: newFakeClock().Now, Theme: ThemeDark,
		Notices: []string{"cache failed:\nsecond line \x1b]0;owned\x07\x1b[2J"}})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Init()
	load(m, sampleSnapshot())
	v := m.View().Content
	if strings.Contains(v, "\x1b]") || strings.Contains(v, "\x1b[2J") || strings.Contains(v, "\a") {
		t.Fatalf("escape sequence reached the screen: %q", v)
	}
	if n := strings.Count(v, "\n") + 1; n != 40 {
		t.Fatalf("screen is %d lines, want 40:\n%s", n, screen(m))
	}
	if !strings.Contains(screen(m), "cache failed: second line") {
		t.Fatalf("notice not shown on one line:\n%s", screen(m))
	}
}
