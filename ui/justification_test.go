package ui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
)

// A justification is sent whole or not at all: empty or blank where one is
// required, or longer than graph.MaxJustification, the form says why,
// sends nothing and keeps every character typed.
func TestJustificationLimitsInTheForm(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40, func(o *Options) { o.UndoWindow = 0 })

	openAndType(m, clk, "d", "   ")
	if cmd := press(m, "enter"); cmd != nil || m.form() == nil || !strings.Contains(screen(m), "A justification is required to deny.") {
		t.Fatalf("a blank deny was not refused:\n%s", screen(m))
	}
	press(m, "esc")

	near := strings.Repeat("é", graph.MaxJustification-10)
	openAndType(m, clk, "d", "")
	m.Update(tea.PasteMsg{Content: near})
	if s := screen(m); !strings.Contains(s, strconv.Itoa(graph.MaxJustification-10)+"/"+strconv.Itoa(graph.MaxJustification)) {
		t.Fatalf("no counter near the limit:\n%s", s)
	}
	over := near + strings.Repeat("✓", 300) // a paste past the limit is kept whole
	m.Update(tea.PasteMsg{Content: strings.Repeat("✓", 300)})
	if m.form().input.Value() != over {
		t.Fatalf("the field kept %d of %d characters", graph.JustificationLength(m.form().input.Value()), graph.JustificationLength(over))
	}
	n := graph.JustificationLength(over)
	if cmd := press(m, "enter"); cmd != nil {
		t.Fatal("an over-long justification was sent")
	}
	if s := screen(m); m.form() == nil || !strings.Contains(s, "Too long: "+strconv.Itoa(n)+" characters, at most 1000") ||
		!strings.Contains(s, strconv.Itoa(n)+"/1000") {
		t.Fatalf("the refusal is not explained:\n%s", s)
	}
	for _, line := range strings.Split(screen(m), "\n") {
		if w := len([]rune(line)); w > 120 {
			t.Fatalf("the counter broke the layout: a line of %d columns", w)
		}
	}
	press(m, "esc") // closing keeps the text as the draft
	clk.Advance(time.Second)
	press(m, "d")
	if m.form() == nil || m.form().input.Value() != strings.TrimSpace(over) {
		t.Fatal("the over-long text was not kept to be shortened")
	}
	if len(fb.requests()) != 0 {
		t.Fatalf("%d decisions sent", len(fb.requests()))
	}
}
