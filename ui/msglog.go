package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
	"approvals/ui/sanitize"
)

// The message log: everything the inbox has said this session — notices
// and outcomes, errors with their Graph code and request id in full,
// refresh failures and retries, arrivals and requests that went away —
// each with its time, newest first, opened with m. The status line says
// one thing at a time and may cut it; the log keeps every word.

// logEntry is one message.
type logEntry struct {
	at    time.Time
	level noticeLevel
	text  string // sanitized, one line, whole
}

// maxLog bounds the log; the oldest messages go first.
const maxLog = 1000

// say records a message in the log, unless it repeats the last one (a
// source failing poll after poll is said once, until something else is).
func (m *Model) say(text string, level noticeLevel) {
	text = sanitize.Line(text)
	if strings.TrimSpace(text) == "" {
		return
	}
	if n := len(m.msgLog); n > 0 && m.msgLog[n-1].text == text {
		return
	}
	m.msgLog = append(m.msgLog, logEntry{at: m.clock(), level: level, text: text})
	if len(m.msgLog) > maxLog {
		m.msgLog = append(m.msgLog[:0], m.msgLog[len(m.msgLog)-maxLog:]...)
	}
}

// announce says what changed in the inbox without anyone here doing it:
// requests that arrived and requests that went away. Each is logged; the
// status line gets a one-line summary.
func (m *Model) announce(arrived, gone []string) {
	for _, t := range arrived {
		m.say("New request: "+t, noticeInfo)
	}
	for _, t := range gone {
		m.say("No longer waiting for you: "+t+" (decided by another approver, cancelled or expired)", noticeInfo)
	}
	var parts []string
	switch len(arrived) {
	case 0:
	case 1:
		parts = append(parts, "New request: "+arrived[0])
	default:
		parts = append(parts, strconv.Itoa(len(arrived))+" new requests")
	}
	switch len(gone) {
	case 0:
	case 1:
		parts = append(parts, "no longer waiting for you: "+gone[0])
	default:
		parts = append(parts, strconv.Itoa(len(gone))+" requests no longer waiting for you")
	}
	if len(parts) == 0 {
		return
	}
	// Shown when the status line has nothing more pressing to say (an
	// outcome, an error, a source's state); the log has it either way.
	m.news = sanitize.Line(capitalize(strings.Join(parts, "; ")) + " (" + m.keys.first(ActionMessages) + ": messages)")
}

// logScreen is the message log, scrolled with the move keys; any other
// key closes it.
type logScreen struct{ scroll int }

func (*logScreen) layer() layer { return layerHelp } // in front of the inbox, like help; one of them at a time

func (l *logScreen) key(m *Model, msg tea.KeyPressMsg) action {
	maxScroll := max(0, len(m.logLines(m.width))-m.layout.bodyH)
	switch {
	case m.keys.is(msg, ActionQuit):
		return askQuit{}
	case m.keys.is(msg, ActionDown), m.keys.is(msg, ActionDetailDown):
		l.scroll = min(l.scroll+1, maxScroll)
		return keyTaken{}
	case m.keys.is(msg, ActionUp), m.keys.is(msg, ActionDetailUp):
		l.scroll = max(0, l.scroll-1)
		return keyTaken{}
	case m.keys.is(msg, ActionPageDown):
		l.scroll = min(l.scroll+max(1, m.layout.bodyH-1), maxScroll)
		return keyTaken{}
	case m.keys.is(msg, ActionPageUp):
		l.scroll = max(0, l.scroll-max(1, m.layout.bodyH-1))
		return keyTaken{}
	}
	return closeOverlay{layerHelp}
}

func (*logScreen) hints(m *Model) []hint {
	return []hint{m.hint(ActionDown, 0), m.hint(ActionUp, 0), {keys: "any other key", desc: "close messages"}}
}

// body is the log, newest first, exactly height lines.
func (l *logScreen) body(m *Model, width, height int) []string {
	lines := m.logLines(width)
	maxScroll := max(0, len(lines)-height)
	scroll := max(0, min(l.scroll, maxScroll))
	out := fitLines(lines[scroll:], height, width)
	if scroll > 0 && height > 1 {
		out[0] = m.styles.Muted.Render("… newer above (" + m.keys.first(ActionUp) + ")")
	}
	if scroll < maxScroll && height > 0 {
		out[height-1] = m.styles.Muted.Render("… older below (" + m.keys.first(ActionDown) + ")")
	}
	return out
}

// logLines draws the log: a heading, then each message with its time,
// wrapped under itself (an error's request id is never split).
func (m *Model) logLines(width int) []string {
	s := m.styles
	lines := []string{s.Section.Render(sanitize.Truncate("Messages this session, newest first ("+strconv.Itoa(len(m.msgLog))+")", width)), ""}
	if len(m.msgLog) == 0 {
		return append(lines, s.Muted.Render("Nothing said yet."))
	}
	style := map[noticeLevel]func(...string) string{noticeInfo: func(v ...string) string { return strings.Join(v, "") },
		noticeOk: s.Ok.Render, noticeWarn: s.Warn.Render, noticeBad: s.Bad.Render}
	const stamp = 9 // "15:04:05 "
	for i := len(m.msgLog) - 1; i >= 0; i-- {
		e := m.msgLog[i]
		at := e.at.Local().Format("15:04:05") + " "
		for j, l := range wrap(e.text, max(1, width-stamp)) {
			if j == 0 {
				lines = append(lines, s.Muted.Render(at)+style[e.level](l))
			} else {
				lines = append(lines, strings.Repeat(" ", stamp)+style[e.level](l))
			}
		}
	}
	return lines
}

// titlesOf names requests for announcements.
func titlesOf(items []*item) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.title())
	}
	return out
}

// sourceSaid logs a source's failure or retry note once per change.
func (m *Model) sourceSaid(src graph.Source, text string, level noticeLevel) {
	m.say(graph.SourceName(src)+": "+text, level)
}
