// Package ui is the inbox: the Bubble Tea v2 terminal UI that lists every
// approval waiting for the signed-in approver, shows one in detail (context
// and stage timeline), and sends approve/deny decisions with a typed
// justification, singly or in bulk, behind a grace period and an undo window.
//
// It owns the root model (Model), the list and detail panes, the decision
// form, polling with backoff, the status bar, help, styles and the key map.
// It talks to Graph only through the Backend interface, and only inside
// tea.Cmds. It keeps no package-level mutable state: every program (one per
// SSH session, say) builds its own Model, Styles and key map.
//
// Every string that came from a server passes through ui/sanitize before it
// is drawn.
package ui
