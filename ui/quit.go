package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/ui/sanitize"
)

// askQuit quits at once when nothing would be lost, and otherwise asks.
func (m *Model) askQuit() tea.Cmd {
	if reason := m.quitRisk(); reason != "" {
		m.open(&quitPrompt{reason: reason})
		return nil
	}
	return m.quit()
}

// quitRisk says what quitting now would lose, or "" when nothing.
func (m *Model) quitRisk() string {
	switch {
	case len(m.queued) > 0:
		n := 0
		for _, b := range m.queued {
			n += len(b.items)
		}
		return plural(n, "queued decision") + " will not be sent"
	case len(m.sending) > 0:
		n := 0
		for _, b := range m.sending {
			n += len(b.items) - b.done
		}
		return plural(n, "decision") + " still on the way may be left unknown"
	case m.form() != nil && strings.TrimSpace(m.form().input.Value()) != "":
		return "the justification you are typing will be lost"
	case len(m.drafts) > 0:
		return plural(len(m.drafts), "unsent justification") + " will be lost"
	}
	return ""
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// quitPrompt is the quit question: what quitting now would lose; y quits,
// any other key stays.
type quitPrompt struct{ reason string }

func (*quitPrompt) layer() layer { return layerQuit }

func (*quitPrompt) key(_ *Model, msg tea.KeyPressMsg) action {
	if msg.String() == "y" || msg.String() == "Y" {
		return quitNow{}
	}
	return stayOpen{}
}

func (*quitPrompt) hints(*Model) []hint {
	return []hint{{keys: "y", desc: "quit"}, {keys: "n", desc: "stay"}}
}

func (q *quitPrompt) status(m *Model) string {
	return m.styles.Bad.Render(sanitize.Truncate("Quit? "+capitalize(q.reason)+". y quits, any other key stays.", m.width))
}

// quitReason is the open quit question's reason, "" when none is open.
func (m *Model) quitReason() string {
	if q, ok := m.stack.get(layerQuit).(*quitPrompt); ok {
		return q.reason
	}
	return ""
}

// holdUndoWindows gives back a moment to undo once the quit question is
// answered "stay": a window that ran out while the question was open was
// held, and must not send the instant the user chose to stay.
func (m *Model) holdUndoWindows() {
	for _, b := range m.queued {
		b.deadline = later(b.deadline, m.clock().Add(undoAfterQuestion))
	}
}

// undoAfterQuestion is the least undo time left once the quit question is
// answered "stay".
const undoAfterQuestion = 3 * time.Second

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
