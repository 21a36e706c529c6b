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
