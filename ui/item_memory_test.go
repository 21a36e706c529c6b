package ui

import (
	"testing"

	"approvals/graph"
)

// An item's stage is the one of mine in its own approval (not a copy kept
// beside it), and follows the approval when it changes.
func TestItemStageIsItsApprovalsStageOfMine(t *testing.T) {
	t.Parallel()
	a := graph.Approval{Ref: graph.Ref{Source: graph.SourceAccessPackage, ID: "x"}, Stages: []graph.Stage{
		{ID: "s1", Status: graph.StageCompleted, Result: graph.Approved},
		{ID: "s2", Status: graph.StageInProgress, AssignedToMe: true},
	}}
	it := newItem(&a, "")
	if !it.hasMine || it.stage == nil || it.stage != &it.a.Stages[1] || it.stage.ID != "s2" {
		t.Fatalf("stage %+v, hasMine %v", it.stage, it.hasMine)
	}
	b := a
	b.Stages = []graph.Stage{{ID: "s3", Status: graph.StageInProgress, AssignedToMe: false}}
	if !it.set(&b, "") {
		t.Fatal("a changed approval was not taken")
	}
	if it.hasMine || it.stage != nil || it.decidable() {
		t.Fatalf("not mine any more: stage %+v, hasMine %v, decidable %v", it.stage, it.hasMine, it.decidable())
	}
}

// An item keeps the approval it was given, not a copy; given an equal one
// from a newer list it takes that one (nothing changed, nothing redrawn),
// so the items never keep an older list alive.
func TestItemKeepsTheApprovalOfTheNewestList(t *testing.T) {
	t.Parallel()
	older := sampleApprovals()
	it := newItem(&older[0], "")
	if it.a != &older[0] {
		t.Fatal("the item holds a copy")
	}
	newer := sampleApprovals() // equal, elsewhere
	v := it.version
	if it.set(&newer[0], "") || it.version != v {
		t.Fatal("an equal approval counted as a change")
	}
	if it.a != &newer[0] || it.stage != myStage(&newer[0]) {
		t.Fatal("the item still points into the older list")
	}
	changed := sampleApprovals()
	changed[0].Justification += " (edited)"
	if !it.set(&changed[0], "") || it.version == v || it.a != &changed[0] {
		t.Fatal("a changed approval was not taken")
	}
}
