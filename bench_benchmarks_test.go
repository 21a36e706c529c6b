//go:build bench

package main

import (
	"fmt"
	"testing"
	"time"

	"approvals/graph"
	"approvals/ui"
)

// Go benchmarks for rendering and bytes on the wire: the same operations
// and sessions the `approvals bench` table times, on the same generated
// tenants. (Requests per refresh and bulk decisions have theirs in graph:
// BenchmarkRefresh, BenchmarkDecideMany.)

var renderSizes = [][2]int{{120, 40}, {200, 50}}

// snapshots reads the generated inboxes once per benchmark binary run.
func snapshots(b *testing.B, ns ...int) map[int]*graph.Snapshot {
	b.Helper()
	out := map[int]*graph.Snapshot{}
	for _, n := range ns {
		s, err := benchSnapshot(b.Context(), 5, n)
		if err != nil {
			b.Fatal(err)
		}
		out[n] = s
	}
	return out
}

func benchOp(b *testing.B, snaps map[int]*graph.Snapshot, sizes [][2]int, op func(m *ui.Model, w, h int) func()) {
	for _, sz := range sizes {
		for _, n := range []int{100, 1000, 10000} {
			b.Run(fmt.Sprintf("%dx%d/N=%d", sz[0], sz[1], n), func(b *testing.B) {
				f := op(benchInbox(snaps[n], sz[0], sz[1]), sz[0], sz[1])
				b.ReportAllocs()
				for b.Loop() {
					f()
				}
			})
		}
	}
}

// A frame after a cursor move: Update, then View with two rows redrawn.
func BenchmarkFrame(b *testing.B) {
	benchOp(b, snapshots(b, 100, 1000, 10000), renderSizes, benchSized(CursorFrame))
}

// A frame in which every visible row and the detail are drawn afresh.
func BenchmarkFrameRedraw(b *testing.B) {
	benchOp(b, snapshots(b, 100, 1000, 10000), renderSizes, ResizeFrame)
}

// A cursor move alone: must not depend on N.
func BenchmarkCursorMove(b *testing.B) {
	benchOp(b, snapshots(b, 100, 1000, 10000), renderSizes[:1], benchSized(CursorUpdate))
}

// One filter keystroke and its frame (the list narrows over all N).
func BenchmarkFilterKeystroke(b *testing.B) {
	benchOp(b, snapshots(b, 100, 1000, 10000), renderSizes[:1], benchSized(FilterKeystroke))
}

// Bytes each step of a session writes at 120×40 (one session per run; the
// figures are per step, not per iteration).
func BenchmarkWireBytes(b *testing.B) {
	for b.Loop() {
		w, err := MeasureWire(b.Context(), WireWidth, 1000, 20*time.Millisecond)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w.FirstFrame), "first-frame-B")
		b.ReportMetric(float64(w.FirstFrame+w.Loaded), "first-screen-B")
		b.ReportMetric(float64(w.Repaint), "repaint-B")
		b.ReportMetric(float64(w.CursorMove), "cursor-move-B")
		b.ReportMetric(float64(w.IdleBytes), "identical-polls-B")
		b.ReportMetric(float64(w.TypedChar), "typed-char-B")
	}
}

// A keystroke end to end, including Bubble Tea's renderer (parse, diff,
// encode): the filter keystroke, the costliest one.
func BenchmarkKeystrokeToBytes(b *testing.B) {
	benchOp(b, snapshots(b, 100, 1000, 10000), renderSizes[:1], KeystrokeToBytes)
}

// A cursor move end to end, including the renderer.
func BenchmarkCursorToBytes(b *testing.B) {
	benchOp(b, snapshots(b, 100, 1000, 10000), renderSizes[:1], CursorToBytes)
}

// Bytes per cursor move while the list scrolls: the mean of ScrollMoves
// moves at 120×40 (one walk per iteration).
func BenchmarkScrollBytes(b *testing.B) {
	snap := snapshots(b, 1000)[1000]
	var mean float64
	for b.Loop() {
		b.StopTimer()
		m := benchInbox(snap, 120, 40)
		b.StartTimer()
		mean = ScrollBytes(m, 120, 40)
	}
	b.ReportMetric(mean, "B/move")
}
