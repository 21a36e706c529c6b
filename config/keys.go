package config

// Action names a thing the user can do with a key. The names are what the
// [keys] table of the config file uses. Which actions the inbox has, their
// default keys, scopes and help text are the inbox's (ui.DefaultKeys); the
// composition root hands that list to Load (LoadOptions.Keys), which
// checks the [keys] table against it and applies the user's overrides.
type Action string

// Scope says where an action's keys are live. Two actions may share a key
// only when their scopes differ.
type Scope string

const (
	ScopeInbox Scope = "inbox" // the list and detail panes
	ScopeForm  Scope = "form"  // the justification form (a text input has focus)
)

const (
	ActionUp         Action = "up"
	ActionDown       Action = "down"
	ActionPageUp     Action = "pageUp"
	ActionPageDown   Action = "pageDown"
	ActionTop        Action = "top"
	ActionBottom     Action = "bottom"
	ActionOpen       Action = "open"       // show the detail on narrow terminals
	ActionBack       Action = "back"       // leave detail / clear filter
	ActionFilter     Action = "filter"     // start typing a filter
	ActionSort       Action = "sort"       // cycle sort order
	ActionMark       Action = "mark"       // toggle mark on the selected row
	ActionMarkAll    Action = "markAll"    // mark every shown row
	ActionClearMarks Action = "clearMarks" // unmark everything
	ActionApprove    Action = "approve"
	ActionDeny       Action = "deny"
	ActionUndo       Action = "undo" // cancel decisions during the undo window
	ActionRefresh    Action = "refresh"
	ActionDetailUp   Action = "detailUp"   // scroll the detail pane
	ActionDetailDown Action = "detailDown" // scroll the detail pane
	ActionCopyID     Action = "copyID"     // copy the approval id (OSC 52)
	ActionHelp       Action = "help"
	ActionQuit       Action = "quit"

	ActionMessages     Action = "messages"     // the log of every message this session
	ActionSubmit       Action = "submit"       // send the form
	ActionCancel       Action = "cancel"       // close the form; never approves
	ActionNextTemplate Action = "nextTemplate" // fill the next justification template
)

// KeyDef is an action's default keys (Bubble Tea v2 key strings: "space",
// "enter", "esc", "ctrl+c", "A" for shift+a) and the scope it lives in.
type KeyDef struct {
	Action Action
	Scope  Scope
	Keys   []string
	Help   string // short help text, e.g. "approve"
}
