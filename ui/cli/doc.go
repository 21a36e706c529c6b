// Package cli is the scriptable command line: the cobra command tree
// (list, show, approve, deny, history, login, logout, config) and the
// global flags, the text and JSON output of each command, and the exit
// codes. The composition root (package main) attaches it to the root
// command and supplies what it does not build itself: Setup.Connect (the
// sign-in, Graph client and journal), Setup.SignOut and the inbox.
//
// Text output passes every server string through ui/sanitize; JSON output
// is versioned ({"version":1, ...}), uses snake_case names, keeps values
// exact but escapes every control and bidi character, and never carries a
// token. Exit codes: 0 done, 1 error, 2 usage, 3 partial (some decisions
// not applied).
package cli
