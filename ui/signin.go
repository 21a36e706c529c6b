package ui

import (
	"approvals/ui/words"
	"context"
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Sign-in runs Options.SignIn in a Cmd before polling starts. Device-code
// prompts reach the model through a channel owned by this sign-in attempt
// and a wait Cmd that is re-armed after each prompt.

// signInState is the sign-in attempt in progress (or the last one); the
// sign-in screen on the overlay stack shows it.
type signInState struct {
	attempt int
	code    *DeviceCode
	err     error
	cancel  context.CancelFunc
	prompts chan DeviceCode
	done    chan struct{}
	ticking bool
}

// signingIn reports whether the sign-in screen is up (signing in, or
// showing why it failed).
func (m *Model) signingIn() bool { return m.stack.has(layerSignIn) }

// signInFailed reports whether the sign-in screen shows a failed attempt.
func (m *Model) signInFailed() bool { return m.signingIn() && m.signIn.err != nil }

// startSignIn starts (or retries) the sign-in.
func (m *Model) startSignIn() tea.Cmd {
	s := &m.signIn
	s.attempt++
	s.code, s.err = nil, nil
	m.open(signInScreen{})
	ctx, cancel := context.WithCancel(m.ctx)
	s.cancel = cancel
	s.prompts = make(chan DeviceCode, 4)
	s.done = make(chan struct{})
	attempt, signIn, prompts, done := s.attempt, m.opts.SignIn, s.prompts, s.done
	prompt := func(dc DeviceCode) {
		select {
		case prompts <- dc:
		case <-ctx.Done():
		}
	}
	run := func() tea.Msg {
		err := signIn(ctx, prompt)
		close(done)
		return signedInMsg{attempt: attempt, err: err}
	}
	return tea.Batch(run, waitDeviceCode(attempt, prompts, done))
}

// waitDeviceCode delivers the next prompt of a sign-in attempt, or nothing
// once it is over.
func waitDeviceCode(attempt int, prompts <-chan DeviceCode, done <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case dc := <-prompts:
			return deviceCodeShownMsg{attempt: attempt, code: dc}
		case <-done:
			return nil
		}
	}
}

func (m *Model) onDeviceCode(msg deviceCodeShownMsg) tea.Cmd {
	s := &m.signIn
	if msg.attempt != s.attempt || !m.signingIn() {
		return nil
	}
	dc := msg.code
	s.code = &dc
	cmds := []tea.Cmd{waitDeviceCode(s.attempt, s.prompts, s.done)}
	if !s.ticking {
		s.ticking = true
		cmds = append(cmds, m.signInTick(s.attempt))
	}
	return tea.Batch(cmds...)
}

func (m *Model) signInTick(attempt int) tea.Cmd {
	return m.after(time.Second, signInTickedMsg{attempt: attempt})
}

// onSignInTick redraws the expiry countdown once a second while it shows.
func (m *Model) onSignInTick(msg signInTickedMsg) tea.Cmd {
	s := &m.signIn
	if msg.attempt != s.attempt || !m.signingIn() || s.err != nil || s.code == nil {
		s.ticking = false
		return nil
	}
	return m.signInTick(s.attempt)
}

func (m *Model) onSignedIn(msg signedInMsg) tea.Cmd {
	s := &m.signIn
	if msg.attempt != s.attempt {
		return nil
	}
	s.cancel()
	if msg.err != nil {
		s.err = msg.err
		return nil
	}
	*s = signInState{attempt: s.attempt}
	m.close(layerSignIn)
	return tea.Batch(m.startPoll(false), m.findIdentity())
}

// backToInbox leaves a failed sign-in again for the inbox as it was last
// read; polling goes on with its backoff and says what is wrong.
func (m *Model) backToInbox() tea.Cmd {
	m.signIn = signInState{attempt: m.signIn.attempt}
	m.close(layerSignIn)
	m.failures++
	m.nextPollIn = backoff(m.opts.PollInterval, m.failures, 0)
	gen := m.pollGen
	return m.after(m.nextPollIn, pollTickedMsg{gen: gen})
}

// signInScreen is the sign-in: the device code to enter, or why the
// sign-in failed. It takes every key: copy the code, cancel, retry or quit.
type signInScreen struct{}

func (signInScreen) layer() layer { return layerSignIn }

func (signInScreen) key(m *Model, msg tea.KeyPressMsg) action {
	s := &m.signIn
	switch {
	case s.err != nil && m.keys.is(msg, ActionRefresh):
		return retrySignIn{}
	case m.keys.is(msg, ActionQuit):
		return askQuit{}
	case msg.String() == "esc" || m.keys.is(msg, ActionBack):
		if s.err == nil {
			return cancelSignIn{}
		} else if m.loaded {
			return leaveSignIn{}
		}
	case (msg.String() == "c" || m.keys.is(msg, ActionCopyID)) && s.code != nil && s.err == nil:
		return copyToClip{text: s.code.UserCode, note: "Copied the sign-in code to the clipboard."}
	}
	return keyTaken{}
}

func (signInScreen) hints(m *Model) []hint {
	if m.signIn.err != nil {
		return []hint{m.hint(ActionRefresh, 0), m.hint(ActionQuit, 0)}
	}
	return []hint{{keys: "c", desc: "copy code"}, {keys: "esc", desc: "cancel"}, m.hint(ActionQuit, 0)}
}

func (signInScreen) body(m *Model, width, height int) []string {
	return fitLines(centerBlock(m.signInLines(width), width, height), height, width)
}

// signInLines is the sign-in screen's content, line by line, for a screen
// width columns wide: an error is wrapped, so that its code, ids and
// advice are all on screen.
func (m *Model) signInLines(width int) []string {
	s := &m.signIn
	st := m.styles
	if s.err != nil {
		head, style := "Sign-in cancelled.", st.Warn
		if !errors.Is(s.err, context.Canceled) {
			head, style = errText(s.err), st.Bad
			if !strings.HasPrefix(head, "sign-in failed") {
				head = "sign-in failed: " + head
			}
		}
		retry := m.keys.first(ActionRefresh)
		next := "Press " + retry + " to sign in again, or " + m.keys.first(ActionQuit) + " to quit."
		if m.loaded {
			next = "Press " + retry + " to sign in again, esc for the inbox as last read, or " + m.keys.first(ActionQuit) + " to quit."
		}
		var lines []string
		for _, l := range wrap(capitalize(head), max(20, width-4)) {
			lines = append(lines, style.Render(l))
		}
		return append(lines, "", next)
	}
	if s.code == nil {
		return []string{st.Title.Render("Signing in…")}
	}
	dc := s.code
	lines := []string{st.Title.Render("Sign in to Microsoft Entra ID"), ""}
	if m.loaded {
		lines = append(lines, "Your sign-in has expired: sign in again to keep the inbox current.", "")
	}
	lines = append(lines,
		"1. Open   "+st.Accent.Render(sanitizeLine(dc.URL)),
		"2. Enter  "+st.Key.Render(sanitizeLine(dc.UserCode)),
	)
	if !dc.Expires.IsZero() {
		lines = append(lines, "", st.Muted.Render("The code expires in "+words.Countdown(dc.Expires.Sub(m.clock()))+"."))
	}
	return append(lines, "", st.Muted.Render("c copy the code · esc cancel"))
}
