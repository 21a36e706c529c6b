package ui

import (
	"approvals/ui/words"
	"context"
	"slices"
	"sync"
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
	if sb, ok := backend.(StreamingBackend); ok {
		return streamRefreshCmd(ctx, sb, gen)
	}
	return func() tea.Msg {
		snap, err := backend.Refresh(ctx)
		return approvalsLoadedMsg{gen: gen, snap: snap, err: err}
	}
}

// streamRefreshCmd runs one RefreshEach and delivers it as messages: a
// refreshProgressMsg with whatever progress is waiting (coalesced, so a
// busy screen gets fewer, larger updates), each carrying the Cmd that
// reads the next, and finally the approvalsLoadedMsg. The Cmd owns the
// feed; the model sees only messages.
func streamRefreshCmd(ctx context.Context, backend StreamingBackend, gen int) tea.Cmd {
	return func() tea.Msg {
		f := &progressFeed{gen: gen, wake: make(chan struct{}, 1)}
		go func() {
			snap, err := backend.RefreshEach(ctx, f.put)
			if snap != nil {
				// Its approvals were all in the progress: the message (which
				// the program holds until the next one) need not keep a
				// second copy of the whole inbox alive.
				s := *snap
				s.Approvals = nil
				snap = &s
			}
			f.finish(approvalsLoadedMsg{gen: gen, snap: snap, err: err, streamed: true})
		}()
		return f.next()
	}
}

// progressFeed hands a refresh's progress from its goroutine to the
// program's messages without ever blocking the refresh.
type progressFeed struct {
	gen   int
	mu    sync.Mutex
	queue []graph.Progress
	last  *approvalsLoadedMsg
	wake  chan struct{}
}

func (f *progressFeed) put(p graph.Progress) {
	f.mu.Lock()
	f.queue = append(f.queue, p)
	f.mu.Unlock()
	f.poke()
}

func (f *progressFeed) finish(msg approvalsLoadedMsg) {
	f.mu.Lock()
	f.last = &msg
	f.mu.Unlock()
	f.poke()
}

func (f *progressFeed) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// next waits for progress (or the end) and returns it as a message.
func (f *progressFeed) next() tea.Msg {
	for {
		f.mu.Lock()
		if len(f.queue) > 0 {
			q := f.queue
			f.queue = nil
			f.mu.Unlock()
			return refreshProgressMsg{gen: f.gen, progress: q, more: f.next}
		}
		if f.last != nil {
			f.mu.Unlock()
			return *f.last
		}
		f.mu.Unlock()
		<-f.wake
	}
}

// sourcesShown is what the inbox knows of each source from the refreshes.
type sourcesShown struct {
	loaded  map[graph.Source]bool   // its approvals have been shown (a Done applied)
	version map[graph.Source]uint64 // graph.Progress.Version of what is shown
	note    map[graph.Source]string // being retried now, and why
	partial map[graph.Source]bool   // some pages shown, the rest still coming
	settled bool                    // a whole refresh has been applied
}

// onProgress shows what a refresh read so far: pages of a source not yet
// shown are added as they come (on later polls a source's list is swapped
// only when it is complete, so nothing flickers away meanwhile), and a
// finished source replaces its own approvals, leaving the others'.
func (m *Model) onProgress(msg refreshProgressMsg) tea.Cmd {
	if msg.gen != m.pollGen {
		return nil // stale: its refresh goes on unread
	}
	ss := &m.sources
	if ss.loaded == nil {
		ss.loaded, ss.version = map[graph.Source]bool{}, map[graph.Source]uint64{}
	}
	if ss.note == nil {
		ss.note, ss.partial = map[graph.Source]string{}, map[graph.Source]bool{}
	}
	var bell bool
	changed := false
	// While the first refresh fills the list, a cursor still on the top
	// row stays there (the most urgent so far), rather than riding along
	// with a row that later rows push down.
	top := !ss.settled && m.inbox.cursor == 0
	for _, p := range msg.progress {
		switch {
		case p.Retrying != "":
			ss.note[p.Source] = p.Retrying
			m.sourceSaid(p.Source, p.Retrying, noticeWarn)
		case !p.Done:
			if !ss.loaded[p.Source] && len(p.Approvals) > 0 {
				m.mergeApprovals(p.Approvals, nil, nil, false)
				ss.partial[p.Source] = true
				m.loaded, changed = true, true
			}
		default:
			delete(ss.note, p.Source)
			delete(ss.partial, p.Source)
			m.setSourceErr(p.Source, p.Err)
			if p.Err != nil {
				continue // its approvals stay as last read
			}
			if ss.loaded[p.Source] && ss.version[p.Source] == p.Version {
				continue // the same as shown
			}
			src := p.Source
			if len(m.mergeApprovals(p.Approvals, nil, &src, ss.loaded[src])) > 0 {
				bell = true
			}
			ss.loaded[src], ss.version[src] = true, p.Version
			changed = true
			if len(p.Approvals) > 0 {
				m.loaded = true // else "Loading…" stays until every source is done
			}
		}
	}
	if changed {
		if top {
			m.inbox.moveTo(0)
		}
		m.checkFormTargets()
		m.selectionChanged()
	}
	if bell && m.opts.Bell {
		return tea.Batch(tea.Raw("\a"), msg.more)
	}
	return msg.more
}

// setSourceErr records (or clears) a source's listing failure as soon as
// it is known, so the header names it before the slowest source is done.
func (m *Model) setSourceErr(src graph.Source, err error) {
	errs := m.sourceErrs[:0:0]
	for _, e := range m.sourceErrs {
		if e.Source != src {
			errs = append(errs, e)
		}
	}
	if err != nil {
		errs = append(errs, graph.SourceError{Source: src, Err: err})
		m.sourceSaid(src, "could not be listed: "+errText(err), noticeBad)
	}
	m.sourceErrs = errs
}

// refreshNow is `r`, and the targeted refresh after decisions.
func (m *Model) refreshNow() tea.Cmd {
	if m.signInFailed() {
		return m.startSignIn()
	}
	if m.signingIn() {
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
	m.setNow(m.clock())
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
		m.say("Couldn't refresh (next try in "+words.Span(m.nextPollIn)+"): "+errText(m.pollErr), noticeBad)
	} else {
		m.failures, m.pollErr, m.signedInAgain = 0, nil, false
		m.nextPollIn = m.opts.PollInterval
		for _, e := range msg.snap.Errors { // a source throttled for longer waits as asked
			m.nextPollIn = max(m.nextPollIn, retryAfter(e.Err))
		}
		cmds = append(cmds, m.applySnapshot(msg.snap, msg.streamed))
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
		cmds = append(cmds, m.after(m.nextPollIn, pollTickedMsg{gen: gen}))
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
	return m.opts.SignIn != nil && !m.signedInAgain && m.form() == nil && !m.busy() && auth.NeedsSignIn(err)
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

// applySnapshot loads a snapshot into the list. A streamed one's
// approvals are already shown (onProgress); only its news is taken.
func (m *Model) applySnapshot(s *graph.Snapshot, streamed bool) tea.Cmd {
	failed := make(map[graph.Source]bool, len(s.Errors))
	for _, e := range s.Errors {
		failed[e.Source] = true
	}
	var arrived []*item
	if !streamed {
		arrived = m.mergeApprovals(s.Approvals, failed, nil, m.loaded)
	}
	m.loaded = true
	m.checkFormTargets()
	m.lastUpdated = m.now
	m.sourceErrs, m.warnings = s.Errors, s.Warnings
	m.noteSourceStates(s.Sources)
	m.sources.note, m.sources.partial = nil, nil
	m.sources.settled = true
	m.selectionChanged()
	if len(arrived) > 0 && m.opts.Bell {
		return tea.Raw("\a")
	}
	return nil
}

// mergeApprovals puts approvals in the list. With only == nil and failed
// != nil they are everything listed (what is missing is gone, except for
// failed sources); with only set, they are everything of that source; with
// both nil they are added and updated, nothing removed (a page).
// Approvals decided here that the listing still shows stay hidden, and
// one whose stages could not be read keeps what was last read. flagNew
// marks arrivals as new. It returns the arrivals.
func (m *Model) mergeApprovals(approvals []graph.Approval, failed map[graph.Source]bool, only *graph.Source, flagNew bool) []*item {
	whole := failed != nil || only != nil
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
	unread := map[graph.Ref]bool{}
	skipOrKeep := func(a *graph.Approval) bool {
		if len(a.Stages) == 0 && a.Problem != "" {
			if it, ok := m.inbox.items[a.Ref]; ok && len(it.a.Stages) > 0 {
				unread[a.Ref] = true // keep it as last read
				it.detach()
				return true
			}
		}
		return skip(a)
	}
	keep := func(it *item) bool {
		return !whole || only != nil && it.a.Source != *only ||
			it.state == stateQueued || it.state == stateSending || failed[it.a.Source] || unread[it.a.Ref]
	}
	before := make([]*item, 0, len(m.inbox.items))
	if flagNew && whole {
		for _, it := range m.inbox.items {
			before = append(before, it)
		}
	}
	arrived := m.inbox.replace(approvals, flagNew, skipOrKeep, keep)
	if flagNew {
		var gone []*item
		for _, it := range before {
			if _, ok := m.inbox.items[it.a.Ref]; !ok {
				gone = append(gone, it)
			}
		}
		m.announce(titlesOf(arrived), titlesOf(gone))
	}
	if whole {
		for ref := range m.decided {
			if !present[ref] && !failed[ref.Source] && (only == nil || ref.Source == *only) {
				delete(m.decided, ref)
			}
		}
	}
	if whole {
		for k := range m.drafts {
			if _, listed := m.inbox.items[k.ref]; !listed {
				delete(m.drafts, k) // decided elsewhere, cancelled or expired: nothing to keep or warn about
			}
		}
	}
	return arrived
}

// Load shows a snapshot as if a poll had just returned it, without a
// Backend: for benchmarks and tools that feed the inbox themselves.
func (m *Model) Load(s *graph.Snapshot) {
	m.setNow(m.clock())
	m.failures, m.pollErr = 0, nil
	m.applySnapshot(s, false)
}

// noteSourceStates keeps, for the status line when it has nothing more
// pressing, the first source that cannot be listed or decided here with
// its fix (a failed listing is said there already, as an error). It is
// one line that stays while the state does, never a message per poll.
func (m *Model) noteSourceStates(states []graph.SourceStatus) {
	m.sourceNote = ""
	for _, st := range states {
		if st.State == graph.StateOK || st.State == graph.StateDisabled ||
			slices.ContainsFunc(m.sourceErrs, func(e graph.SourceError) bool { return e.Source == st.Source }) {
			continue
		}
		m.sourceNote = sourceStateText(st)
		return
	}
}

// sourceStateText is one line: the source, its state, why, and the fix.
func sourceStateText(st graph.SourceStatus) string {
	state := map[graph.SourceState]string{
		graph.StateUnavailable:  "not available",
		graph.StateUnauthorized: "not allowed",
		graph.StatePortalOnly:   "listed, but decide in the portal",
	}[st.State]
	if state == "" {
		state = string(st.State)
	}
	text := graph.SourceName(st.Source) + ": " + state
	if st.Detail != "" {
		text += " (" + st.Detail + ")"
	}
	if fix := words.SourceFix(st); fix != "" {
		text += "; " + fix
	}
	return sanitizeLine(text)
}
