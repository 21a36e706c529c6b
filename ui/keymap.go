package ui

import "approvals/config"

// DefaultKeys returns every action of the inbox, in help order, with its
// scope, default keys and help text. It returns a fresh slice each call:
// callers may modify it. The composition root hands it to config.Load,
// which checks the [keys] table against it.
func DefaultKeys() []config.KeyDef {
	return []config.KeyDef{
		{Action: config.ActionUp, Scope: config.ScopeInbox, Keys: []string{"up", "k"}, Help: "up"},
		{Action: config.ActionDown, Scope: config.ScopeInbox, Keys: []string{"down", "j"}, Help: "down"},
		{Action: config.ActionPageUp, Scope: config.ScopeInbox, Keys: []string{"pgup", "ctrl+b"}, Help: "page up"},
		{Action: config.ActionPageDown, Scope: config.ScopeInbox, Keys: []string{"pgdown", "ctrl+f"}, Help: "page down"},
		{Action: config.ActionTop, Scope: config.ScopeInbox, Keys: []string{"home", "g"}, Help: "first"},
		{Action: config.ActionBottom, Scope: config.ScopeInbox, Keys: []string{"end", "G"}, Help: "last"},
		{Action: config.ActionOpen, Scope: config.ScopeInbox, Keys: []string{"enter"}, Help: "details"},
		{Action: config.ActionBack, Scope: config.ScopeInbox, Keys: []string{"esc"}, Help: "back"},
		{Action: config.ActionFilter, Scope: config.ScopeInbox, Keys: []string{"/"}, Help: "filter"},
		{Action: config.ActionSort, Scope: config.ScopeInbox, Keys: []string{"s"}, Help: "sort"},
		{Action: config.ActionMark, Scope: config.ScopeInbox, Keys: []string{"space"}, Help: "mark"},
		{Action: config.ActionMarkAll, Scope: config.ScopeInbox, Keys: []string{"A"}, Help: "mark all shown"},
		{Action: config.ActionClearMarks, Scope: config.ScopeInbox, Keys: []string{"X"}, Help: "clear marks"},
		{Action: config.ActionApprove, Scope: config.ScopeInbox, Keys: []string{"a"}, Help: "approve"},
		{Action: config.ActionDeny, Scope: config.ScopeInbox, Keys: []string{"d"}, Help: "deny"},
		{Action: config.ActionUndo, Scope: config.ScopeInbox, Keys: []string{"u"}, Help: "undo"},
		{Action: config.ActionRefresh, Scope: config.ScopeInbox, Keys: []string{"r"}, Help: "refresh"},
		{Action: config.ActionDetailUp, Scope: config.ScopeInbox, Keys: []string{"K"}, Help: "scroll detail up"},
		{Action: config.ActionDetailDown, Scope: config.ScopeInbox, Keys: []string{"J"}, Help: "scroll detail down"},
		{Action: config.ActionCopyID, Scope: config.ScopeInbox, Keys: []string{"y"}, Help: "copy id"},
		{Action: config.ActionMessages, Scope: config.ScopeInbox, Keys: []string{"m"}, Help: "messages"},
		{Action: config.ActionHelp, Scope: config.ScopeInbox, Keys: []string{"?"}, Help: "help"},
		{Action: config.ActionQuit, Scope: config.ScopeInbox, Keys: []string{"q", "ctrl+c"}, Help: "quit"},
		{Action: config.ActionSubmit, Scope: config.ScopeForm, Keys: []string{"enter"}, Help: "submit"},
		{Action: config.ActionCancel, Scope: config.ScopeForm, Keys: []string{"esc"}, Help: "cancel"},
		{Action: config.ActionNextTemplate, Scope: config.ScopeForm, Keys: []string{"tab"}, Help: "next template"},
	}
}
