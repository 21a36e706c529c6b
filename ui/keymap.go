package ui

import "approvals/config"

// The inbox's key actions. Their names are what the [keys] table of the
// config file uses; config knows them only through DefaultKeys.
const (
	ActionUp         config.Action = "up"
	ActionDown       config.Action = "down"
	ActionPageUp     config.Action = "pageUp"
	ActionPageDown   config.Action = "pageDown"
	ActionTop        config.Action = "top"
	ActionBottom     config.Action = "bottom"
	ActionOpen       config.Action = "open"       // show the detail on narrow terminals
	ActionBack       config.Action = "back"       // leave detail / clear filter
	ActionFilter     config.Action = "filter"     // start typing a filter
	ActionSort       config.Action = "sort"       // cycle sort order
	ActionMark       config.Action = "mark"       // toggle mark on the selected row
	ActionMarkAll    config.Action = "markAll"    // mark every shown row
	ActionClearMarks config.Action = "clearMarks" // unmark everything
	ActionApprove    config.Action = "approve"
	ActionDeny       config.Action = "deny"
	ActionUndo       config.Action = "undo" // cancel decisions during the undo window
	ActionRefresh    config.Action = "refresh"
	ActionDetailUp   config.Action = "detailUp"   // scroll the detail pane
	ActionDetailDown config.Action = "detailDown" // scroll the detail pane
	ActionCopyID     config.Action = "copyID"     // copy the approval id (OSC 52)
	ActionHelp       config.Action = "help"
	ActionQuit       config.Action = "quit"

	ActionMessages     config.Action = "messages"     // the log of every message this session
	ActionSubmit       config.Action = "submit"       // send the form
	ActionCancel       config.Action = "cancel"       // close the form; never approves
	ActionNextTemplate config.Action = "nextTemplate" // fill the next justification template
)

// DefaultKeys returns every action of the inbox, in help order, with its
// scope, default keys and help text, and whether it must keep a key. It returns a fresh slice each call:
// callers may modify it. The composition root hands it to config.Load,
// which checks the [keys] table against it.
func DefaultKeys() []config.KeyDef {
	return []config.KeyDef{
		{Action: ActionUp, Scope: config.ScopeInbox, Keys: []string{"up", "k"}, Help: "up"},
		{Action: ActionDown, Scope: config.ScopeInbox, Keys: []string{"down", "j"}, Help: "down"},
		{Action: ActionPageUp, Scope: config.ScopeInbox, Keys: []string{"pgup", "ctrl+b"}, Help: "page up"},
		{Action: ActionPageDown, Scope: config.ScopeInbox, Keys: []string{"pgdown", "ctrl+f"}, Help: "page down"},
		{Action: ActionTop, Scope: config.ScopeInbox, Keys: []string{"home", "g"}, Help: "first"},
		{Action: ActionBottom, Scope: config.ScopeInbox, Keys: []string{"end", "G"}, Help: "last"},
		{Action: ActionOpen, Scope: config.ScopeInbox, Keys: []string{"enter"}, Help: "details"},
		{Action: ActionBack, Scope: config.ScopeInbox, Keys: []string{"esc"}, Help: "back"},
		{Action: ActionFilter, Scope: config.ScopeInbox, Keys: []string{"/"}, Help: "filter"},
		{Action: ActionSort, Scope: config.ScopeInbox, Keys: []string{"s"}, Help: "sort"},
		{Action: ActionMark, Scope: config.ScopeInbox, Keys: []string{"space"}, Help: "mark"},
		{Action: ActionMarkAll, Scope: config.ScopeInbox, Keys: []string{"A"}, Help: "mark all shown"},
		{Action: ActionClearMarks, Scope: config.ScopeInbox, Keys: []string{"X"}, Help: "clear marks"},
		{Action: ActionApprove, Scope: config.ScopeInbox, Keys: []string{"a"}, Help: "approve"},
		{Action: ActionDeny, Scope: config.ScopeInbox, Keys: []string{"d"}, Help: "deny"},
		{Action: ActionUndo, Scope: config.ScopeInbox, Keys: []string{"u"}, Help: "undo"},
		{Action: ActionRefresh, Scope: config.ScopeInbox, Keys: []string{"r"}, Help: "refresh"},
		{Action: ActionDetailUp, Scope: config.ScopeInbox, Keys: []string{"K"}, Help: "scroll detail up"},
		{Action: ActionDetailDown, Scope: config.ScopeInbox, Keys: []string{"J"}, Help: "scroll detail down"},
		{Action: ActionCopyID, Scope: config.ScopeInbox, Keys: []string{"y"}, Help: "copy id"},
		{Action: ActionMessages, Scope: config.ScopeInbox, Keys: []string{"m"}, Help: "messages"},
		{Action: ActionHelp, Scope: config.ScopeInbox, Keys: []string{"?"}, Help: "help"},
		{Action: ActionQuit, Scope: config.ScopeInbox, Keys: []string{"q", "ctrl+c"}, Help: "quit", Required: true},
		{Action: ActionSubmit, Scope: config.ScopeForm, Keys: []string{"enter"}, Help: "submit", Required: true},
		{Action: ActionCancel, Scope: config.ScopeForm, Keys: []string{"esc"}, Help: "cancel", Required: true},
		{Action: ActionNextTemplate, Scope: config.ScopeForm, Keys: []string{"tab"}, Help: "next template"},
	}
}
