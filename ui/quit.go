package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// askQuit quits at once when nothing would be lost, and otherwise asks.
func (m *Model) askQuit() tea.Cmd {
	if reason := m.quitRisk(); reason != "" {
		m.quitAsk = reason
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
	case m.form != nil && strings.TrimSpace(m.form.input.Value()) != "":
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

// onQuitKey answers the quit question: y quits, anything else stays.
func (m *Model) onQuitKey(msg tea.KeyPressMsg) tea.Cmd {
	m.quitAsk = ""
	if msg.String() == "y" || msg.String() == "Y" {
		return m.quit()
	}
	for _, b := range m.queued {
		// A window that ran out while the question was open was held:
		// give back a moment to undo rather than send the instant the
		// user chose to stay.
		b.deadline = later(b.deadline, m.clock().Add(undoAfterQuestion))
	}
	return nil
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
