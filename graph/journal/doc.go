// Package journal is the local decision journal: an append-only file of
// JSON lines, one per decision attempt (written and fsync'd before the PATCH
// goes out) and one per outcome, so a crash in between shows up as "attempt
// without outcome" instead of being forgotten. It implements graph.Journal
// and reads the file back for `approvals history`.
//
// The file is 0600 in a 0700 folder. It holds what the user decided and
// typed, never a token; text a terminal could act on (C1 controls, bidi
// overrides) is written as JSON escapes, so printing the file is safe.
package journal
