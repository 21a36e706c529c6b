package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// The stack orders overlays by layer, whatever order they opened in, and
// one of a layer replaces the one before it.
func TestOverlayStackOrdersByLayer(t *testing.T) {
	t.Parallel()
	for _, order := range [][]overlay{
		{&helpScreen{}, signInScreen{}, &quitPrompt{reason: "x"}},
		{&quitPrompt{reason: "x"}, signInScreen{}, &helpScreen{}},
		{signInScreen{}, &quitPrompt{reason: "x"}, &helpScreen{}},
	} {
		var s overlays
		for _, o := range order {
			s.open(o)
		}
		s.open(&quitPrompt{reason: "y"})
		if len(s) != 3 || s[0].layer() != layerHelp || s[1].layer() != layerSignIn || !s.frontIs(layerQuit) ||
			s.front().(*quitPrompt).reason != "y" {
			t.Fatalf("stack %v, want help, sign-in, the newer quit question", s)
		}
		s.close(layerSignIn)
		if len(s) != 2 || s.has(layerSignIn) || !s.frontIs(layerQuit) {
			t.Fatalf("after closing the sign-in: %v", s)
		}
	}
}

// Regression: with help open and the sign-in expiring, the help pane
// stayed on screen while keys went to the hidden sign-in (esc cancelled a
// sign-in nobody could see). The sign-in now comes in front of the help:
// shown, with its keys in the help line; once signed in, the help is back.
func TestSignInExpiringWhileHelpIsOpenComesInFront(t *testing.T) {
	t.Parallel()
	m, _ := newSignedInInbox(t)
	press(m, "?")
	if !strings.Contains(screen(m), "Keys") {
		t.Fatalf("help is not open:\n%s", screen(m))
	}
	loadErr(m, errExpired)
	m.Update(deviceCodeShownMsg{attempt: m.signIn.attempt, code: newScriptedSignIn().code})
	s := screen(m)
	if !strings.Contains(s, "ABCD-EFGH") || strings.Contains(s, "new since the last refresh") {
		t.Fatalf("the sign-in is not in front of the help:\n%s", s)
	}
	if !strings.Contains(s, "c copy code") || strings.Contains(s, "close help") {
		t.Fatalf("the help line is not the sign-in's:\n%s", s)
	}
	press(m, "j") // help would scroll; the sign-in ignores it
	if !m.signingIn() || !m.stack.has(layerHelp) {
		t.Fatal("a key meant for nothing closed an overlay")
	}
	m.Update(signedInMsg{attempt: m.signIn.attempt})
	if s := screen(m); m.signingIn() || !strings.Contains(s, "new since the last refresh") {
		t.Fatalf("after signing in, the help should be back:\n%s", s)
	}
	press(m, "esc")
	if len(m.stack) != 0 || !strings.Contains(screen(m), "Ada Lovelace") {
		t.Fatalf("esc closes the help: stack %v", m.stack)
	}
}

// The same case, cancelled: esc cancels the sign-in that is on screen,
// and the failed sign-in says so (it is in front, not the help).
func TestEscCancelsTheVisibleSignInNotTheHelp(t *testing.T) {
	t.Parallel()
	m, _ := newSignedInInbox(t)
	press(m, "?")
	loadErr(m, errExpired)
	cancelled := false
	cancel := m.signIn.cancel
	m.signIn.cancel = func() { cancelled = true; cancel() }
	press(m, "esc")
	if !cancelled || !m.stack.has(layerHelp) {
		t.Fatalf("esc: sign-in cancelled %v, help kept %v", cancelled, m.stack.has(layerHelp))
	}
}

// Regression: with the quit question in front of the form, the terminal
// cursor stayed in the form and a paste went into its text behind the
// question. Only the overlay in front takes typing.
func TestQuitQuestionInFrontOfTheFormTakesTheCursorAndPaste(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	press(m, "a")
	clk.Advance(m.opts.GracePeriod + 1)
	typeText(m, "ticket 42")
	if m.View().Cursor == nil {
		t.Fatal("no cursor in the open form")
	}
	press(m, "ctrl+c")
	if !m.stack.frontIs(layerQuit) {
		t.Fatalf("no quit question: %v", m.stack)
	}
	if c := m.View().Cursor; c != nil {
		t.Fatalf("the cursor stays in the form behind the quit question: %+v", c)
	}
	m.Update(tea.PasteMsg{Content: "pasted"})
	if got := m.form().input.Value(); got != "ticket 42" {
		t.Fatalf("a paste behind the quit question changed the form: %q", got)
	}
	press(m, "n")
	if !m.stack.frontIs(layerForm) || m.View().Cursor == nil || m.form().input.Value() != "ticket 42" {
		t.Fatal("staying did not give the form back as it was")
	}
}

// The filter's prompt and cursor go with it when the quit question is
// asked from it; "stay" brings them back.
func TestQuitQuestionInFrontOfTheFilter(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "/")
	typeText(m, "hop")
	m.Update(keyOf("ctrl+c"))
	m.Update(keyOf("ctrl+c")) // nothing to lose: the first one quits
	if m.stack.has(layerQuit) {
		t.Fatal("a quit question with nothing to lose")
	}
	m, _, _ = newLoaded(t, 120, 40)
	m.drafts[draftKey{}] = "kept"
	press(m, "/")
	typeText(m, "hop")
	press(m, "ctrl+c")
	v := m.View()
	if s := ansi.Strip(v.Content); !strings.Contains(s, "Quit?") || strings.Contains(s, "Filter: hop") || v.Cursor != nil {
		t.Fatalf("the quit question is not in front of the filter:\n%s", s)
	}
	press(m, "n")
	if v := m.View(); !strings.Contains(ansi.Strip(v.Content), "Filter: hop") || v.Cursor == nil {
		t.Fatal("staying did not bring the filter back")
	}
}

// View changes nothing: a detail or help scrolled past its end (the screen
// grew taller since) is drawn clamped, and the model keeps its state.
func TestViewChangesNothing(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 20)
	m.detailScroll = 1000
	before := screen(m)
	if m.detailScroll != 1000 {
		t.Fatalf("View moved the detail's scroll to %d", m.detailScroll)
	}
	if !strings.Contains(before, "more above") || screen(m) != before {
		t.Fatalf("the detail is not drawn scrolled to its end:\n%s", before)
	}
	press(m, "K")
	if m.detailScroll >= 1000 || m.detailScroll < 0 {
		t.Fatalf("K scrolled from past the end to %d", m.detailScroll)
	}
	press(m, "?")
	h := m.stack.get(layerHelp).(*helpScreen)
	h.scroll = 1000
	screen(m)
	if h.scroll != 1000 {
		t.Fatalf("View moved the help's scroll to %d", h.scroll)
	}
}

// The terminal getting too small puts its screen in front of whatever is
// open, and behind the quit question; growing back restores the form.
func TestTooSmallStandsInFrontUntilTheTerminalGrows(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	press(m, "a")
	clk.Advance(m.opts.GracePeriod + 1)
	typeText(m, "why")
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 10})
	if !m.stack.frontIs(layerTooSmall) || m.View().Cursor != nil || !strings.Contains(screen(m), "Terminal too small") {
		t.Fatalf("too small: stack %v", m.stack)
	}
	press(m, "x")
	if m.form().input.Value() != "why" {
		t.Fatal("a key typed blind reached the form")
	}
	press(m, "ctrl+c")
	if !m.stack.frontIs(layerQuit) || !strings.Contains(screen(m), "y quits") {
		t.Fatalf("the quit question is not shown on the too-small screen:\n%s", screen(m))
	}
	press(m, "n")
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if !m.stack.frontIs(layerForm) || m.View().Cursor == nil {
		t.Fatalf("growing back: stack %v", m.stack)
	}
}
