package ui

import (
	"context"
	"testing"

	"approvals/graph"
)

// streamingFake reports its snapshot's approvals as one source's progress
// and returns the snapshot, as graph.Client.RefreshEach does.
type streamingFake struct {
	fakeBackend
	snap *graph.Snapshot
}

func (s *streamingFake) RefreshEach(_ context.Context, progress func(graph.Progress)) (*graph.Snapshot, error) {
	progress(graph.Progress{Source: graph.SourceAccessPackage, Done: true, Approvals: s.snap.Approvals, Version: 1})
	return s.snap, nil
}

// A streamed refresh's last message carries the snapshot's errors, warnings
// and states but not a second copy of the approvals the progress already
// brought (the program holds a message until the next one arrives), and
// the backend's snapshot is left as it was.
func TestStreamedSnapshotMessageHoldsNoApprovals(t *testing.T) {
	t.Parallel()
	snap := &graph.Snapshot{Approvals: bySource(sampleApprovals(), graph.SourceAccessPackage),
		Warnings: []string{"a warning"}}
	n := len(snap.Approvals)
	if n == 0 {
		t.Fatal("no sample approvals")
	}
	be := &streamingFake{snap: snap}
	msg := streamRefreshCmd(t.Context(), be, 3)()
	for {
		p, ok := msg.(refreshProgressMsg)
		if !ok {
			break
		}
		if len(p.progress) != 1 || len(p.progress[0].Approvals) != n {
			t.Fatalf("progress %+v", p.progress)
		}
		msg = p.more()
	}
	loaded, ok := msg.(approvalsLoadedMsg)
	if !ok || !loaded.streamed || loaded.snap == nil {
		t.Fatalf("last message %#v", msg)
	}
	if loaded.snap.Approvals != nil || len(loaded.snap.Warnings) != 1 {
		t.Fatalf("the loaded message holds %d approvals, %v", len(loaded.snap.Approvals), loaded.snap.Warnings)
	}
	if len(snap.Approvals) != n {
		t.Fatal("the backend's snapshot was changed")
	}
}
