package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
)

// refs lists the view's refs in order.
func refs(m *Model) []string {
	var out []string
	for _, it := range m.inbox.view {
		out = append(out, it.a.ID)
	}
	return out
}

func selectedID(m *Model) string {
	if it := m.inbox.selected(); it != nil {
		return it.a.ID
	}
	return ""
}

func TestUrgencyIsTheDefaultOrder(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	want := []string{"ap-1", "pim-2", "pim-1", "ap-2", "ap-3"} // soonest deadline first, unknown last
	if got := refs(m); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("order = %v, want %v", got, want)
	}
	if selectedID(m) != "ap-1" {
		t.Fatalf("selected %q, want the most urgent", selectedID(m))
	}
}

func TestNavigation(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	steps := []struct {
		keys []string
		want string
	}{
		{[]string{"j"}, "pim-2"},
		{[]string{"down", "down"}, "ap-2"},
		{[]string{"k"}, "pim-1"},
		{[]string{"G"}, "ap-3"},
		{[]string{"j"}, "ap-3"}, // stays on the last row
		{[]string{"g"}, "ap-1"},
		{[]string{"up"}, "ap-1"}, // stays on the first row
		{[]string{"pgdown"}, "ap-3"},
		{[]string{"pgup"}, "ap-1"},
	}
	for _, s := range steps {
		press(m, s.keys...)
		if got := selectedID(m); got != s.want {
			t.Fatalf("after %v: selected %q, want %q", s.keys, got, s.want)
		}
	}
}

func TestDetailFollowsSelection(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	if !strings.Contains(screen(m), "Quarter-end close") {
		t.Fatal("detail does not show the selected request's justification")
	}
	press(m, "j", "j") // Alan Turing, PIM member
	s := screen(m)
	for _, want := range []string{"Alan Turing → Prod Ops Admins", "Group membership (PIM)", "INC-2041", "for 8h", "waiting for you"} {
		if !strings.Contains(s, want) {
			t.Errorf("detail lacks %q:\n%s", want, s)
		}
	}
}

func TestSortCycles(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	want := []struct {
		order string
		first string
	}{
		{"newest", "pim-1"}, {"oldest", "ap-2"}, {"beneficiary", "ap-1"}, {"resource", "ap-3"}, {"urgency", "ap-1"},
	}
	for _, w := range want {
		press(m, "s")
		if got := m.inbox.order.String(); got != w.order {
			t.Fatalf("order %q, want %q", got, w.order)
		}
		if got := refs(m)[0]; got != w.first {
			t.Errorf("%s: first row %q, want %q", w.order, got, w.first)
		}
		if !strings.Contains(screen(m), "sort: "+w.order) {
			t.Errorf("the title does not show the sort %q", w.order)
		}
	}
}

func TestSortKeepsSelection(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "j", "j", "j") // ap-2
	press(m, "s")
	if selectedID(m) != "ap-2" {
		t.Fatalf("selection moved to %q after a sort change", selectedID(m))
	}
}

func TestNarrowDetail(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 80, 24)
	if strings.Contains(screen(m), "Justification") {
		t.Fatal("narrow layout shows the detail without enter")
	}
	press(m, "enter")
	if !m.stack.has(layerDetail) || !strings.Contains(screen(m), "Justification") {
		t.Fatal("enter does not open the detail")
	}
	before := screen(m)
	press(m, "J")
	if m.detailScroll == 0 || screen(m) == before {
		t.Fatal("J does not scroll the detail")
	}
	press(m, "K")
	if m.detailScroll != 0 {
		t.Fatalf("K does not scroll back: %d", m.detailScroll)
	}
	press(m, "esc")
	if m.stack.has(layerDetail) || !strings.Contains(screen(m), "FOR") {
		t.Fatal("esc does not return to the list")
	}
}

func TestTooSmall(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 50, 10)
	if s := screen(m); !strings.Contains(s, "Terminal too small: need 60×14, have 50×10") {
		t.Fatalf("too-small message missing:\n%s", s)
	}
}

func TestHelpToggles(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "?")
	s := screen(m)
	for _, want := range []string{"Move", "Decide", "mark all shown", "next template"} {
		if !strings.Contains(s, want) {
			t.Errorf("full help lacks %q", want)
		}
	}
	press(m, "x")
	if m.stack.has(layerHelp) {
		t.Fatal("a key does not close the help")
	}
}

func TestHelpScrollsWhenItDoesNotFit(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 80, 24)
	press(m, "?")
	if !strings.Contains(screen(m), "… more below") || strings.Contains(screen(m), "new since the last refresh") {
		t.Fatalf("help at 80x24:\n%s", screen(m))
	}
	press(m, "j", "j", "j", "j", "j", "j", "j", "j", "j", "j")
	if !m.stack.has(layerHelp) || !strings.Contains(screen(m), "new since the last refresh") {
		t.Fatalf("j does not scroll the help:\n%s", screen(m))
	}
}

func TestHelpShowsEffectiveKeys(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40, func(o *Options) {
		o.Keys = rebind(o.Keys, "approve", "y")
	})
	if !strings.Contains(screen(m), "y approve") {
		t.Fatalf("help does not show the rebound key:\n%s", screen(m))
	}
	press(m, "a")
	if m.form() != nil {
		t.Fatal("the old key still approves")
	}
	press(m, "y")
	if m.form() == nil || m.form().decision != graph.Approve {
		t.Fatal("the rebound key does not approve")
	}
}

func TestCopyID(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	cmd := press(m, "y")
	msgs := collect(cmd)
	if len(msgs) != 1 || !strings.Contains(strings.ToLower(typeName(msgs[0])), "clipboard") || !strings.Contains(valueOf(msgs[0]), "accessPackage:ap-1") {
		t.Fatalf("y did not copy the id: %#v", msgs)
	}
}

// With only "terminal too small" on screen, no key may decide anything
// blind; quitting (its question shown) and undo still work.
func TestTooSmallDecidesNothingBlind(t *testing.T) {
	t.Parallel()
	m, fb, clk := newLoaded(t, 120, 40)
	resize := func(w, h int) { m.Update(tea.WindowSizeMsg{Width: w, Height: h}) }
	resize(50, 10)
	clk.Advance(time.Second)
	press(m, "a")
	clk.Advance(time.Second)
	press(m, "enter")
	if m.form() != nil || len(m.queued) > 0 {
		t.Fatal("a key opened a form or queued a decision on a too-small screen")
	}

	resize(120, 40)
	openAndType(m, clk, "a", "typed before the resize")
	resize(50, 10)
	press(m, "enter")
	if m.form() == nil || len(m.queued) > 0 || m.form().input.Value() != "typed before the resize" {
		t.Fatal("enter submitted the form on a too-small screen")
	}
	press(m, "ctrl+c")
	if s := screen(m); m.quitReason() == "" || !strings.Contains(s, "Quit?") || !strings.Contains(s, "y quits") {
		t.Fatalf("the quit question is not shown:\n%s", s)
	}
	press(m, "n")

	resize(120, 40)
	press(m, "enter") // submit at a size that shows it
	resize(50, 10)
	if s := screen(m); !strings.Contains(s, "u to undo") {
		t.Fatalf("the countdown is not shown:\n%s", s)
	}
	press(m, "u")
	if len(m.queued) > 0 || len(fb.requests()) != 0 {
		t.Fatal("u does not undo on a too-small screen")
	}
}
