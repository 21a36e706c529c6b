package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
	"approvals/graph/auth"
)

// Polling: one Refresh at a time; the next one is scheduled when the
// previous returns, after PollInterval, or after a growing backoff while
// polls fail. Replies carry a generation and stale ones are dropped.

// maxBackoff caps the wait between failing polls.
const maxBackoff = 10 * time.Minute

// startPoll sends a Refresh unless one is in flight, in which case another
// follows as soon as it returns.
func (m *Model) startPoll(manual bool) tea.Cmd {
	if m.polling {
		m.refreshQueued = true
		m.manual = m.manual || manual
		return nil
	}
	m.pollGen++
	m.polling, m.manual = true, manual
	return refreshCmd(m.ctx, m.opts.Backend, m.pollGen)
}

func refreshCmd(ctx context.Context, backend Backend, gen int) tea.Cmd {
	return func() tea.Msg {
		snap, err := backend.Refresh(ctx)
		return approvalsLoadedMsg{gen: gen, snap: snap, err: err}
	}
}

// refreshNow is `r`, and the targeted refresh after decisions.
func (m *Model) refreshNow() tea.Cmd {
	if m.signIn.failed() {
		return m.startSignIn()
	}
	if m.signIn.active {
		return nil
	}
	return m.startPoll(true)
}

// onPollTick starts the poll scheduled after reply msg.gen, unless another
// poll happened since.
func (m *Model) onPollTick(msg pollTickedMsg) tea.Cmd {
	if msg.gen != m.pollGen || m.polling {
		return nil
	}
	return m.startPoll(false)
}

// onLoaded applies a Refresh reply and schedules the next poll.
func (m *Model) onLoaded(msg approvalsLoadedMsg) tea.Cmd {
	if msg.gen != m.pollGen {
		return nil // stale
	}
	m.polling = false
	m.now = m.clock()
	var cmds []tea.Cmd
	if msg.err != nil && m.needsSignInAgain(msg.err) {
		m.signedInAgain = true
		m.pollErr = msg.err
		return m.startSignIn() // polling resumes once signed in
	}
	if msg.err != nil || msg.snap == nil {
		m.failures++
		m.pollErr = msg.err
		if m.pollErr == nil {
			m.pollErr = errNoSnapshot
		}
		m.nextPollIn = backoff(m.opts.PollInterval, m.failures, retryAfter(msg.err))
	} else {
		m.failures, m.pollErr, m.signedInAgain = 0, nil, false
		m.nextPollIn = m.opts.PollInterval
		for _, e := range msg.snap.Errors { // a source throttled for longer waits as asked
			m.nextPollIn = max(m.nextPollIn, retryAfter(e.Err))
		}
		cmds = append(cmds, m.applySnapshot(msg.snap))
	}
	m.manual = m.manual && m.refreshQueued
	switch {
	case m.refreshQueued:
		m.refreshQueued = false
		cmds = append(cmds, m.startPoll(m.manual))
	case m.opts.PollInterval < 0:
		// automatic polling is off: only r refreshes
	default:
		gen := m.pollGen
		cmds = append(cmds, tea.Tick(m.nextPollIn, func(time.Time) tea.Msg { return pollTickedMsg{gen: gen} }))
	}
	return tea.Batch(cmds...)
}

// needsSignInAgain reports whether a failed poll should bring the sign-in
// back: the sign-in expired or was revoked (or Graph asks for more claims),
// the inbox can sign in, it has not already tried since the last good poll
// (a sign-in that changes nothing must not loop), and the user is not in
// the middle of a decision (the form or queued decisions stay on screen;
// the next poll asks again).
func (m *Model) needsSignInAgain(err error) bool {
	return m.opts.SignIn != nil && !m.signedInAgain && m.form == nil && !m.busy() && auth.NeedsSignIn(err)
}

// backoff is the wait before the next poll after failures consecutive
// failed ones: doubling from the interval, capped, and never shorter than
// what the server asked for.
func backoff(interval time.Duration, failures int, serverWait time.Duration) time.Duration {
	d := max(interval, time.Second)
	for i := 0; i < failures && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, max(maxBackoff, interval))
	return max(d, serverWait)
}

// applySnapshot loads a snapshot into the list.
func (m *Model) applySnapshot(s *graph.Snapshot) tea.Cmd {
	present := make(map[graph.Ref]bool, len(m.decided))
	skip := func(a *graph.Approval) bool {
		stageID, ok := m.decided[a.Ref]
		if !ok {
			return false
		}
		present[a.Ref] = true
		if st, _, mine := a.MyStage(); mine && st.ID == stageID {
			return true // decided here; the listing has not caught up yet
		}
		delete(m.decided, a.Ref) // a new stage of it waits for me
		return false
	}
	// A source that could not be listed, or an approval whose stages could
	// not be read this time, keeps what was last read: a passing failure
	// must not make requests (with their marks, drafts and open form)
	// vanish as if decided elsewhere.
	failed := make(map[graph.Source]bool, len(s.Errors))
	for _, e := range s.Errors {
		failed[e.Source] = true
	}
	unread := map[graph.Ref]bool{}
	skipOrKeep := func(a *graph.Approval) bool {
		if len(a.Stages) == 0 && a.Problem != "" {
			if it, ok := m.inbox.items[a.Ref]; ok && len(it.a.Stages) > 0 {
				unread[a.Ref] = true // keep it as last read
				return true
			}
		}
		return skip(a)
	}
	keep := func(it *item) bool {
		return it.state == stateQueued || it.state == stateSending || failed[it.a.Source] || unread[it.a.Ref]
	}
	arrived := m.inbox.replace(s.Approvals, m.loaded, skipOrKeep, keep)
	for ref := range m.decided {
		if !present[ref] && !failed[ref.Source] {
			delete(m.decided, ref)
		}
	}
	m.loaded = true
	m.checkFormTargets()
	m.lastUpdated = m.now
	m.sourceErrs, m.warnings = s.Errors, s.Warnings
	m.selectionChanged()
	if len(arrived) > 0 && m.opts.Bell {
		return tea.Raw("\a")
	}
	return nil
}

// Load shows a snapshot as if a poll had just returned it, without a
// Backend: for benchmarks and tools that feed the inbox themselves.
func (m *Model) Load(s *graph.Snapshot) {
	m.now = m.clock()
	m.failures, m.pollErr = 0, nil
	m.applySnapshot(s)
}
