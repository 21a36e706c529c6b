package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// timerFunc makes the Cmd that delivers msg once d has passed. The inbox
// uses tea.Tick; tests put in one that hands the timer to them, so they
// decide when it fires instead of waiting for the wall clock.
type timerFunc func(d time.Duration, msg tea.Msg) tea.Cmd

// after delivers msg once d has passed.
func (m *Model) after(d time.Duration, msg tea.Msg) tea.Cmd {
	if m.timer != nil {
		return m.timer(d, msg)
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// clockTick fires on each wall-clock minute.
func (m *Model) clockTick() tea.Cmd {
	if m.timer != nil {
		return m.timer(time.Minute, clockTickedMsg{})
	}
	return tea.Every(time.Minute, func(t time.Time) tea.Msg { return clockTickedMsg{at: t} })
}
