package ui

import "context"

// What a host that runs many inboxes (approvals serve: one per SSH
// session) needs beyond Run: an inbox bound to the session's context, how
// many decisions it still holds, and a way to tell its user something.

// NewBound builds an inbox whose Cmds end when ctx ends (or Close is
// called). Run uses it; an SSH server builds one per session.
func NewBound(ctx context.Context, opts Options) *Model {
	m := New(opts)
	m.cancel() // replace the background context New made with ctx
	m.ctx, m.cancel = context.WithCancel(ctx)
	return m
}

// Close cancels everything the inbox started (Graph calls, sign-in).
func (m *Model) Close() { m.cancel() }

// Pending is how many decisions the inbox still holds: queued in their
// undo windows or on their way. Call it from the program's goroutine
// (Update), like every other method.
func (m *Model) Pending() int {
	n := 0
	for _, b := range m.queued {
		n += len(b.items)
	}
	for _, b := range m.sending {
		n += len(b.items) - b.done
	}
	return n
}

// Queued is how many decisions wait in their undo windows (not sent yet).
func (m *Model) Queued() int {
	n := 0
	for _, b := range m.queued {
		n += len(b.items)
	}
	return n
}

// Announce shows text in the status bar as a warning (the host's words,
// e.g. "the server is stopping"), cleaned like every notice.
func (m *Model) Announce(text string) { m.notice(text, noticeWarn) }

// Unsaved says what ending the inbox now would lose (queued or in-flight
// decisions, a typed justification), "" when nothing: what the quit
// question asks about.
func (m *Model) Unsaved() string { return m.quitRisk() }
