package config

// Action names a thing the user can do with a key. The names are what the
// [keys] table of the config file uses. Which actions there are (and their
// names as constants), their default keys, scopes and help text are the
// inbox's (ui.DefaultKeys); the composition root hands that list to Load
// (LoadOptions.Keys), which checks the [keys] table against it and applies
// the user's overrides. Config knows no action by name.
type Action string

// Scope says where an action's keys are live. Two actions may share a key
// only when their scopes differ.
type Scope string

const (
	ScopeInbox Scope = "inbox" // the list and detail panes
	ScopeForm  Scope = "form"  // the justification form (a text input has focus)
)

// KeyDef is an action's default keys (Bubble Tea v2 key strings: "space",
// "enter", "esc", "ctrl+c", "A" for shift+a) and the scope it lives in.
type KeyDef struct {
	Action Action
	Scope  Scope
	Keys   []string
	Help   string // short help text, e.g. "approve"
	// Required actions must keep at least one key: without it the user
	// would be stuck (quit, or send and cancel the form).
	Required bool
}
