//go:build bench

package main

import (
	"testing"
	"time"
)

// Byte budgets (design §7). The renderer writes the same bytes for the
// same screens, and the tenant, clock, size, colour profile and TERM are
// fixed, so these are asserted, not timed. (200 approvals rather than the
// table's 1,000 keeps the test quick; only the benchCount in the title differs.)
func TestBenchWireBudgets(t *testing.T) {
	b, err := MeasureWire(t.Context(), WireWidth, 200, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d×%d: %+v", WireWidth, WireHeight, b)
	if b.N != 200 {
		t.Fatalf("%d approvals loaded, want 200", b.N)
	}
	if b.FirstFrame > FirstFrameBudget || b.FirstFrame+b.Loaded > FirstScreenBudget {
		t.Errorf("first frame %d B (budget %d), with the inbox loaded %d B (budget %d)",
			b.FirstFrame, FirstFrameBudget, b.FirstFrame+b.Loaded, FirstScreenBudget)
	}
	if b.Repaint < 4000 {
		t.Errorf("a full repaint wrote only %d B: was the screen drawn at all?", b.Repaint)
	}
	// In the wide layout a cursor move also brings the newly selected
	// approval's detail pane (its text differs): a fraction of a repaint.
	if b.CursorMove > 2*1024 || b.CursorMove*4 > b.Repaint {
		t.Errorf("a cursor move wrote %d B; a full repaint is %d B", b.CursorMove, b.Repaint)
	}
	if b.IdlePolls < 3 || b.IdleBytes != 0 {
		t.Errorf("%d polls with identical data wrote %d B, want 0", b.IdlePolls, b.IdleBytes)
	}
	if b.TypedChar == 0 || b.TypedChar > TypedCharBudget {
		t.Errorf("one typed character wrote %d B (budget %d)", b.TypedChar, TypedCharBudget)
	}
}

// In the list-only layout a cursor move rewrites the two rows it touches.
func TestBenchWireCursorMoveListOnly(t *testing.T) {
	b, err := MeasureWire(t.Context(), NarrowWidth, 200, -1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d×%d: %+v", NarrowWidth, WireHeight, b)
	if b.CursorMove == 0 || b.CursorMove >= CursorMoveBudget {
		t.Errorf("a cursor move wrote %d B, budget < %d", b.CursorMove, CursorMoveBudget)
	}
}

// Walking down a long list scrolls it a row per move: the renderer scrolls
// the terminal instead of redrawing every row, so a move costs the rows it
// restyles and, beside the list, the newly selected request's detail
// (about 1.7–2 KB; README, issue #12). Redrawing the list in place costs
// 3–5 KB a move: a mean above the budget means the rows stopped matching
// from frame to frame (styling or text that differs per frame).
func TestBenchScrollBytes(t *testing.T) {
	snap, err := benchSnapshot(t.Context(), 5, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		w      int
		budget float64
	}{{WireWidth, 2560}, {NarrowWidth, CursorMoveBudget}} {
		mean := ScrollBytes(benchInbox(snap, c.w, WireHeight), c.w, WireHeight)
		t.Logf("%d×%d: %.0f B a move while scrolling", c.w, WireHeight, mean)
		if mean == 0 || mean > c.budget {
			t.Errorf("%d×%d: a move while scrolling wrote %.0f B on average, budget %.0f B", c.w, WireHeight, mean, c.budget)
		}
	}
}
