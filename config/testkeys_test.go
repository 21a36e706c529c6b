package config

// testKeys are an inbox's actions as the composition root hands them to
// Load (ui.DefaultKeys: config does not import ui). The tests need a full
// list for conflicts with defaults; ui's own test checks its list loads.
func testKeys() []KeyDef {
	return []KeyDef{
		{Action: "up", Scope: ScopeInbox, Keys: []string{"up", "k"}, Help: "up"},
		{Action: "down", Scope: ScopeInbox, Keys: []string{"down", "j"}, Help: "down"},
		{Action: "pageUp", Scope: ScopeInbox, Keys: []string{"pgup", "ctrl+b"}, Help: "page up"},
		{Action: "pageDown", Scope: ScopeInbox, Keys: []string{"pgdown", "ctrl+f"}, Help: "page down"},
		{Action: "top", Scope: ScopeInbox, Keys: []string{"home", "g"}, Help: "first"},
		{Action: "bottom", Scope: ScopeInbox, Keys: []string{"end", "G"}, Help: "last"},
		{Action: "open", Scope: ScopeInbox, Keys: []string{"enter"}, Help: "details"},
		{Action: "back", Scope: ScopeInbox, Keys: []string{"esc"}, Help: "back"},
		{Action: "filter", Scope: ScopeInbox, Keys: []string{"/"}, Help: "filter"},
		{Action: "sort", Scope: ScopeInbox, Keys: []string{"s"}, Help: "sort"},
		{Action: "mark", Scope: ScopeInbox, Keys: []string{"space"}, Help: "mark"},
		{Action: "markAll", Scope: ScopeInbox, Keys: []string{"A"}, Help: "mark all shown"},
		{Action: "clearMarks", Scope: ScopeInbox, Keys: []string{"X"}, Help: "clear marks"},
		{Action: "approve", Scope: ScopeInbox, Keys: []string{"a"}, Help: "approve"},
		{Action: "deny", Scope: ScopeInbox, Keys: []string{"d"}, Help: "deny"},
		{Action: "undo", Scope: ScopeInbox, Keys: []string{"u"}, Help: "undo"},
		{Action: "refresh", Scope: ScopeInbox, Keys: []string{"r"}, Help: "refresh"},
		{Action: "detailUp", Scope: ScopeInbox, Keys: []string{"K"}, Help: "scroll detail up"},
		{Action: "detailDown", Scope: ScopeInbox, Keys: []string{"J"}, Help: "scroll detail down"},
		{Action: "copyID", Scope: ScopeInbox, Keys: []string{"y"}, Help: "copy id"},
		{Action: "messages", Scope: ScopeInbox, Keys: []string{"m"}, Help: "messages"},
		{Action: "help", Scope: ScopeInbox, Keys: []string{"?"}, Help: "help"},
		{Action: "quit", Scope: ScopeInbox, Keys: []string{"q", "ctrl+c"}, Help: "quit", Required: true},
		{Action: "submit", Scope: ScopeForm, Keys: []string{"enter"}, Help: "submit", Required: true},
		{Action: "cancel", Scope: ScopeForm, Keys: []string{"esc"}, Help: "cancel", Required: true},
		{Action: "nextTemplate", Scope: ScopeForm, Keys: []string{"tab"}, Help: "next template"},
	}
}
