package ui

import (
	"approvals/config"
	"approvals/graph"
)

// FromSettings turns merged configuration into inbox options. Backend,
// Identity, SignIn and Now are left for the caller.
func FromSettings(s config.Settings) Options {
	o := Options{
		Keys:                        s.Keys,
		PollInterval:                s.PollInterval,
		UndoWindow:                  s.UndoWindow,
		Bell:                        s.Bell,
		Theme:                       s.Theme,
		RequireApproveJustification: s.RequireApproveJustification,
		Templates: map[graph.Decision][]string{
			graph.Approve: s.Templates.Approve,
			graph.Deny:    s.Templates.Deny,
		},
	}
	// The config's 0 means off (no automatic polling, no undo window);
	// in Options off is negative.
	if o.PollInterval == 0 {
		o.PollInterval = -1
	}
	if o.UndoWindow == 0 {
		o.UndoWindow = -1
	}
	return o
}
