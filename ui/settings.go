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
	if o.PollInterval == 0 {
		o.PollInterval = -1 // the config's 0 means "no automatic polling"
	}
	return o
}
