package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
)

// Messages the inbox sends itself. Replies to requests carry the generation
// or batch they answer so that stale ones can be dropped.

// approvalsLoadedMsg is the reply to one Refresh. A streamed one's
// approvals were delivered by refreshProgressMsgs already.
type approvalsLoadedMsg struct {
	gen      int
	snap     *graph.Snapshot
	err      error
	streamed bool
}

// refreshProgressMsg is what a streaming refresh read since the last one;
// more reads the next (the Cmd to return to keep the refresh flowing).
type refreshProgressMsg struct {
	gen      int
	progress []graph.Progress
	more     tea.Cmd
}

// pollTickedMsg says it is time for the poll scheduled after reply gen.
type pollTickedMsg struct{ gen int }

// clockTickedMsg advances the model's coarse clock (labels such as ages).
type clockTickedMsg struct{ at time.Time }

// undoTickedMsg re-checks the undo countdown of one batch.
type undoTickedMsg struct{ batch int }

// decisionSentMsg is the final word on one decision of a batch.
type decisionSentMsg struct {
	batch  int
	result graph.DecisionResult
}

// deviceCodeShownMsg carries a device-code prompt from SignIn.
type deviceCodeShownMsg struct {
	attempt int
	code    DeviceCode
}

// signedInMsg says SignIn returned.
type signedInMsg struct {
	attempt int
	err     error
}

// signInTickedMsg redraws the device-code expiry countdown.
type signInTickedMsg struct{ attempt int }

// identityFoundMsg carries the "signed in as" text WhoAmI found.
type identityFoundMsg struct{ text string }

// meFoundMsg carries the signed-in approver's object id.
type meFoundMsg struct{ id string }

// decisionRetryMsg: a decision of a batch is being retried (Graph
// throttled it, say); more notes may follow on notes.
type decisionRetryMsg struct {
	batch int
	note  graph.RetryNote
	notes <-chan graph.RetryNote
}

// sendingTickedMsg redraws the elapsed time of decisions on their way.
type sendingTickedMsg struct{}
