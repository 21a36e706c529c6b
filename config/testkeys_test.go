package config

// testKeys are an inbox's actions as the composition root hands them to
// Load (ui.DefaultKeys: config does not import ui). The tests need a full
// list for conflicts with defaults; ui's own test checks its list loads.
func testKeys() []KeyDef {
	return []KeyDef{
		{Action: ActionUp, Scope: ScopeInbox, Keys: []string{"up", "k"}, Help: "up"},
		{Action: ActionDown, Scope: ScopeInbox, Keys: []string{"down", "j"}, Help: "down"},
		{Action: ActionPageUp, Scope: ScopeInbox, Keys: []string{"pgup", "ctrl+b"}, Help: "page up"},
		{Action: ActionPageDown, Scope: ScopeInbox, Keys: []string{"pgdown", "ctrl+f"}, Help: "page down"},
		{Action: ActionTop, Scope: ScopeInbox, Keys: []string{"home", "g"}, Help: "first"},
		{Action: ActionBottom, Scope: ScopeInbox, Keys: []string{"end", "G"}, Help: "last"},
		{Action: ActionOpen, Scope: ScopeInbox, Keys: []string{"enter"}, Help: "details"},
		{Action: ActionBack, Scope: ScopeInbox, Keys: []string{"esc"}, Help: "back"},
		{Action: ActionFilter, Scope: ScopeInbox, Keys: []string{"/"}, Help: "filter"},
		{Action: ActionSort, Scope: ScopeInbox, Keys: []string{"s"}, Help: "sort"},
		{Action: ActionMark, Scope: ScopeInbox, Keys: []string{"space"}, Help: "mark"},
		{Action: ActionMarkAll, Scope: ScopeInbox, Keys: []string{"A"}, Help: "mark all shown"},
		{Action: ActionClearMarks, Scope: ScopeInbox, Keys: []string{"X"}, Help: "clear marks"},
		{Action: ActionApprove, Scope: ScopeInbox, Keys: []string{"a"}, Help: "approve"},
		{Action: ActionDeny, Scope: ScopeInbox, Keys: []string{"d"}, Help: "deny"},
		{Action: ActionUndo, Scope: ScopeInbox, Keys: []string{"u"}, Help: "undo"},
		{Action: ActionRefresh, Scope: ScopeInbox, Keys: []string{"r"}, Help: "refresh"},
		{Action: ActionDetailUp, Scope: ScopeInbox, Keys: []string{"K"}, Help: "scroll detail up"},
		{Action: ActionDetailDown, Scope: ScopeInbox, Keys: []string{"J"}, Help: "scroll detail down"},
		{Action: ActionCopyID, Scope: ScopeInbox, Keys: []string{"y"}, Help: "copy id"},
		{Action: ActionMessages, Scope: ScopeInbox, Keys: []string{"m"}, Help: "messages"},
		{Action: ActionHelp, Scope: ScopeInbox, Keys: []string{"?"}, Help: "help"},
		{Action: ActionQuit, Scope: ScopeInbox, Keys: []string{"q", "ctrl+c"}, Help: "quit"},
		{Action: ActionSubmit, Scope: ScopeForm, Keys: []string{"enter"}, Help: "submit"},
		{Action: ActionCancel, Scope: ScopeForm, Keys: []string{"esc"}, Help: "cancel"},
		{Action: ActionNextTemplate, Scope: ScopeForm, Keys: []string{"tab"}, Help: "next template"},
	}
}
