package ui

import (
	"approvals/ui/words"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
	"approvals/ui/sanitize"
)

// A batch is one submitted form: the same decision and justification for
// one or more approvals. It waits out the undo window (nothing is sent),
// then goes out as one Cmd per item, and reports every outcome.
type batch struct {
	id            int
	decision      graph.Decision
	justification string
	items         []*item
	stageOf       map[*item]string // the stage each decision is for, as the form showed it
	deadline      time.Time        // end of the undo window
	wasMarked     map[*item]bool   // marks the form took away; undo puts them back
	sentAt        time.Time        // when its decisions went out
	retry         graph.RetryNote  // the newest retry one of its decisions reported (a 429's wait)
	retryAt       time.Time        // when it came; zero: none
	done          int
	results       []graph.DecisionResult
}

// queue starts a batch: into the undo window, or straight out when there is
// no window.
func (m *Model) queue(d graph.Decision, text string, targets []*item, stageOf map[*item]string) tea.Cmd {
	m.batchSeq++
	b := &batch{id: m.batchSeq, decision: d, justification: text, items: targets, stageOf: stageOf, wasMarked: map[*item]bool{}}
	for _, it := range targets {
		it.state, it.decision = stateQueued, d
		if it.marked {
			b.wasMarked[it] = true
			m.inbox.setMark(it, false)
		}
		if text != "" {
			m.drafts[draftKey{it.a.Ref, d}] = text // kept until the decision is applied
		}
		it.touch()
	}
	m.clearNotice()
	if m.opts.UndoWindow <= 0 {
		return m.send(b)
	}
	b.deadline = m.clock().Add(m.opts.UndoWindow)
	m.queued = append(m.queued, b)
	return m.undoTick(b.id, m.opts.UndoWindow)
}

// quitHold is how often a batch whose window ended while the quit question
// was open checks whether it has been answered.
const quitHold = 200 * time.Millisecond

// undoTick wakes the model when the countdown's shown second changes.
func (m *Model) undoTick(id int, left time.Duration) tea.Cmd {
	wait := left % time.Second
	if wait <= 0 {
		wait = time.Second
	}
	return m.after(wait, undoTickedMsg{batch: id})
}

// newestQueued is the batch u would undo, nil when none waits.
func (m *Model) newestQueued() *batch {
	if len(m.queued) == 0 {
		return nil
	}
	return m.queued[len(m.queued)-1]
}

// unqueue takes b out of the undo window.
func (m *Model) unqueue(b *batch) {
	m.queued = slices.DeleteFunc(m.queued, func(q *batch) bool { return q == b })
}

// onUndoTick sends a queued batch when its window is over.
func (m *Model) onUndoTick(msg undoTickedMsg) tea.Cmd {
	i := slices.IndexFunc(m.queued, func(q *batch) bool { return q.id == msg.batch })
	if i < 0 {
		return nil // undone, or already sent
	}
	b := m.queued[i]
	left := b.deadline.Sub(m.clock())
	if left > 0 {
		return m.undoTick(b.id, left)
	}
	if m.stack.has(layerQuit) {
		// The quit question says the queued decisions will not be sent:
		// keep that true until it is answered (y drops them, any other
		// key lets them go out).
		id := b.id
		return m.after(quitHold, undoTickedMsg{batch: id})
	}
	m.unqueue(b)
	return m.send(b)
}

// undo cancels the newest queued batch: nothing was sent, the text is kept.
// Pressed again, it undoes the one queued before.
func (m *Model) undo() {
	b := m.newestQueued()
	if b == nil {
		m.notice("Nothing to undo.", noticeInfo)
		return
	}
	m.unqueue(b)
	for _, it := range b.items {
		it.state = stateIdle
		it.touch()
		if b.wasMarked[it] && m.inbox.items[it.a.Ref] == it {
			m.inbox.setMark(it, true) // as marked as before the form
		}
	}
	what, _ := m.undoParts(b)
	m.notice("Undone: "+lowerFirst(what)+"; nothing was sent, your justification is kept.", noticeInfo)
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// send fires one Cmd per decision. The client limits how many PATCHes are
// in flight; each Cmd reports back with decisionSentMsg.
func (m *Model) send(b *batch) tea.Cmd {
	first := len(m.sending) == 0
	m.sending[b.id] = b
	b.sentAt = m.clock()
	backend, ctx := m.opts.Backend, m.ctx
	cmds := make([]tea.Cmd, 0, len(b.items)+1)
	if first {
		cmds = append(cmds, m.sendingTick()) // the elapsed time on the status line moves
	}
	for _, it := range b.items {
		it.state = stateSending
		it.touch()
		// The stage the user decided on, even if a refresh during the
		// undo window found a later one: Graph then answers "already
		// decided" for it, and the later stage waits for its own decision.
		req := graph.DecisionRequest{Ref: it.a.Ref, StageID: b.stageOf[it], Decision: b.decision, Justification: b.justification}
		notes := make(chan graph.RetryNote, 1)
		cmds = append(cmds, decideCmd(ctx, backend, b.id, req, notes), awaitRetryNote(b.id, notes))
	}
	return tea.Batch(cmds...)
}

// decideCmd sends one decision and forgets the approval's cached details
// when they are now stale. While it waits, the retries the client reports
// (a 429's Retry-After being waited out) go to notes, newest kept, which
// is closed when the decision is done.
func decideCmd(ctx context.Context, backend Backend, id int, req graph.DecisionRequest, notes chan graph.RetryNote) tea.Cmd {
	return func() tea.Msg {
		defer close(notes)
		res := backend.Decide(graph.WithRetryNotes(ctx, keepNewest(notes)), req)
		if res.Outcome != graph.OutcomeCancelled {
			backend.Forget(req.Ref)
		}
		return decisionSentMsg{batch: id, result: res}
	}
}

// keepNewest puts a note in a one-place channel without blocking the
// decision: a note the inbox has not read yet is replaced by the newer.
// Only the decision's own goroutine sends, and it closes the channel after.
func keepNewest(notes chan graph.RetryNote) func(graph.RetryNote) {
	return func(n graph.RetryNote) {
		for {
			select {
			case notes <- n:
				return
			default:
			}
			select {
			case <-notes:
			default:
			}
		}
	}
}

// awaitRetryNote waits for a decision's next retry note; nil once the
// decision is done.
func awaitRetryNote(id int, notes <-chan graph.RetryNote) tea.Cmd {
	return func() tea.Msg {
		n, ok := <-notes
		if !ok {
			return nil
		}
		return decisionRetryMsg{batch: id, note: n, notes: notes}
	}
}

// onDecisionRetry shows a decision's retry on the status line, and waits
// for its next.
func (m *Model) onDecisionRetry(msg decisionRetryMsg) tea.Cmd {
	if b := m.sending[msg.batch]; b != nil {
		b.retry, b.retryAt = msg.note, m.clock()
	}
	return awaitRetryNote(msg.batch, msg.notes)
}

// leaves reports whether an outcome takes the approval off my list.
func leaves(o graph.Outcome) bool {
	return o.Applied() || o == graph.OutcomeAlreadyDecided || o == graph.OutcomeGone
}

// onDecisionSent records one outcome; when the batch is complete it
// reports, drops what left the list and refreshes.
func (m *Model) onDecisionSent(msg decisionSentMsg) tea.Cmd {
	b := m.sending[msg.batch]
	if b == nil {
		return nil
	}
	res := msg.result
	b.results = append(b.results, res)
	b.done++
	if it := m.inbox.items[res.Request.Ref]; it != nil {
		it.state, it.result = stateDone, &res
		it.touch()
		if leaves(res.Outcome) {
			delete(m.drafts, draftKey{it.a.Ref, graph.Approve})
			delete(m.drafts, draftKey{it.a.Ref, graph.Deny})
			m.decided[it.a.Ref] = res.Request.StageID
		}
	}
	if b.done < len(b.items) {
		return nil
	}
	delete(m.sending, b.id)
	var gone []graph.Ref
	for _, r := range b.results {
		if leaves(r.Outcome) {
			gone = append(gone, r.Request.Ref)
		}
	}
	m.inbox.remove(gone)
	m.summary(b)
	return m.refreshNow()
}

// maxNoticeSubject bounds the request's name in a failure notice, so the
// reason after it still shows.
const maxNoticeSubject = 48

// summary reports a finished batch in one line.
func (m *Model) summary(b *batch) {
	if len(b.results) == 1 {
		r := b.results[0]
		subject := r.Request.Ref.ID
		if len(b.items) == 1 {
			subject = b.items[0].title()
		}
		// Which request (shortened) comes before the reason: a Graph
		// error is long enough to push the name off the status line.
		line := outcomeSentence(r) + " — " + subject
		switch short := sanitize.Truncate(subject, maxNoticeSubject); r.Outcome {
		case graph.OutcomeFailed:
			line = "Failed — " + short + ": " + errText(r.Err)
		case graph.OutcomeUnknown:
			line = "Outcome unknown — " + short + ": " + errText(r.Err)
		}
		m.notice(line, outcomeLevel(r.Outcome))
		return
	}
	counts := map[graph.Outcome]int{}
	var firstFailure string
	var others []string // who decided first, for "already decided by …"
	level := noticeOk
	for _, r := range b.results {
		counts[r.Outcome]++
		if r.Outcome == graph.OutcomeAlreadyDecided {
			if who := sanitize.Line(r.DecidedBy.DisplayName); who != "" && !slices.Contains(others, who) {
				others = append(others, who)
			}
		}
		if !leaves(r.Outcome) {
			level = noticeBad
			if firstFailure == "" && r.Err != nil {
				firstFailure = errText(r.Err)
			}
		}
	}
	var parts []string
	for _, o := range []graph.Outcome{graph.OutcomeApproved, graph.OutcomeDenied, graph.OutcomeAlreadyDecided,
		graph.OutcomeGone, graph.OutcomeFailed, graph.OutcomeUnknown, graph.OutcomeCancelled} {
		n := counts[o]
		switch {
		case n == 0:
		case o == graph.OutcomeAlreadyDecided && len(others) == 1:
			parts = append(parts, strconv.Itoa(n)+" already decided by "+others[0])
		default:
			parts = append(parts, strconv.Itoa(n)+" "+outcomeWord(o))
		}
	}
	line := "Done: " + strings.Join(parts, " · ")
	if firstFailure != "" {
		line += " — " + firstFailure + "; texts kept, see the rows"
	}
	m.notice(line, level)
}

// outcomeWord names an outcome in a count: "2 approved".
func outcomeWord(o graph.Outcome) string {
	switch o {
	case graph.OutcomeAlreadyDecided:
		return "already decided by someone else"
	case graph.OutcomeGone:
		return "gone"
	case graph.OutcomeCancelled:
		return "not sent"
	case graph.OutcomeUnknown:
		return "unknown (check before retrying)"
	}
	return sanitize.Line(string(o))
}

func outcomeLevel(o graph.Outcome) noticeLevel {
	switch {
	case o.Applied():
		return noticeOk
	case o == graph.OutcomeAlreadyDecided || o == graph.OutcomeGone:
		return noticeWarn
	}
	return noticeBad
}

// outcomeSentence says what happened to one decision.
func outcomeSentence(r graph.DecisionResult) string {
	switch r.Outcome {
	case graph.OutcomeApproved:
		return "Approved"
	case graph.OutcomeDenied:
		return "Denied"
	case graph.OutcomeAlreadyDecided:
		s := "Already decided"
		if who := sanitize.Line(r.DecidedBy.DisplayName); who != "" {
			s += " by " + who
		} else if id := sanitize.Line(r.DecidedBy.ID); id != "" {
			s += " by " + id
		}
		if r.DecidedAs != "" {
			s += " (" + strings.ToLower(words.Result(r.DecidedAs)) + ")"
		}
		return s
	case graph.OutcomeGone:
		return "Gone: cancelled, expired or no longer yours"
	case graph.OutcomeCancelled:
		return "Not sent (cancelled)"
	case graph.OutcomeFailed:
		return "Failed: " + errText(r.Err)
	}
	return "Outcome unknown: " + errText(r.Err)
}

// busy reports whether decisions are queued or on their way.
func (m *Model) busy() bool { return len(m.queued) > 0 || len(m.sending) > 0 }

// progress is "Sending 3/20…" across the batches in flight.
func (m *Model) progress() string {
	done, total := 0, 0
	for _, b := range m.sending {
		done += b.done
		total += len(b.items)
	}
	text := "Sending " + strconv.Itoa(done) + "/" + strconv.Itoa(total) + "…"
	var since time.Time
	for _, b := range m.sending {
		if since.IsZero() || b.sentAt.Before(since) {
			since = b.sentAt
		}
	}
	// A decision being retried says why and, while it waits out the
	// service's Retry-After, how long is left ("throttled (429), retrying
	// in 3 s (try 2 of 4)"); one without a wait is said for a moment.
	now := m.clock()
	var retry *batch
	for _, b := range m.sending {
		if !b.retryAt.IsZero() && (retry == nil || b.retryAt.After(retry.retryAt)) {
			retry = b
		}
	}
	if retry != nil {
		n := retry.retry
		if left := retry.retryAt.Add(n.After).Sub(now); left > 0 || now.Sub(retry.retryAt) < slowDecision {
			n.After = max(left, 0)
			return text + " " + sanitize.Line(n.String())
		}
	}
	// A decision that takes long says so: Graph may be slow, or the
	// client may be waiting out a throttle before retrying.
	if d := now.Sub(since); !since.IsZero() && d >= slowDecision {
		text += " waiting for Graph, " + strconv.Itoa(int(d/time.Second)) + " s"
	}
	return text
}

// slowDecision is when the status line starts counting a decision's time.
const slowDecision = 2 * time.Second

// sendingTick redraws the elapsed time while decisions are on their way.
func (m *Model) sendingTick() tea.Cmd {
	return m.after(time.Second, sendingTickedMsg{})
}

// undoLine is the countdown of the newest queued batch (the one u undoes),
// with how many more wait behind it.
func (m *Model) undoLine() string {
	what, when := m.undoParts(m.newestQueued())
	return what + " " + when
}

// undoParts are the countdown's halves: what is queued, and "in 3s — press
// u to undo" (kept whole on a narrow screen).
func (m *Model) undoParts(b *batch) (what, when string) {
	what = strings.ToUpper(decisionWord(b.decision)[:1]) + decisionWord(b.decision)[1:] + " "
	if len(b.items) == 1 {
		what += b.items[0].title()
	} else {
		what += strconv.Itoa(len(b.items)) + " requests"
	}
	when = "in " + words.Countdown(b.deadline.Sub(m.clock())) + " — press " + m.keys.first(ActionUndo) + " to undo"
	if more := len(m.queued) - 1; more > 0 {
		when += " (" + plural(more, "more decision") + " queued)"
	}
	return what, when
}
