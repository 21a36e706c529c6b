package ui

import (
	"strings"
	"testing"
	"time"
)

func TestFilterNarrowsByVisibleText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		typed string
		want  []string
	}{
		{"sap", []string{"ap-1"}},
		{"SAP", []string{"ap-1"}},            // case-insensitive
		{"owner", []string{"ap-1", "pim-2"}}, // the TYPE column, and ap-1's stage "Finance owners"
		{"5d", []string{"ap-2"}},             // the AGE column as shown
		{"~9d", []string{"ap-2"}},            // the DUE column as shown
		{"quarter-end", []string{"ap-1"}},    // the justification
		{"cc-4711", []string{"ap-1"}},        // an answer
		{"sponsor", []string{"ap-2"}},        // a stage name
		{"pim-", []string(nil)},              // ids are not visible: no partial match
		{"group:pim-1", []string{"pim-1"}},   // a whole id, as pasted from the command line
		{"grace", []string{"ap-2"}},          // requestor
		{"edsger", []string{"ap-2", "ap-3"}}, // target too
		{"finance", []string{"ap-1"}},        // catalog
		{"ops inc-2041", []string{"pim-1"}},  // every word must match
		{"nothing-like-this", []string(nil)}, // no match
		{"contoso.com", []string{"ap-1", "pim-2", "pim-1", "ap-2", "ap-3"}},
	}
	for _, c := range cases {
		m, _, _ := newLoaded(t, 120, 40)
		press(m, "/")
		typeText(m, c.typed)
		if got := refs(m); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("filter %q: %v, want %v", c.typed, got, c.want)
		}
	}
}

func TestFilterHeaderEnterAndEsc(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	press(m, "/")
	if !m.stack.has(layerFilter) {
		t.Fatal("/ does not start the filter")
	}
	typeText(m, "pim")
	press(m, "backspace", "backspace", "backspace")
	typeText(m, "hopper")
	if s := screen(m); !strings.Contains(s, "Filter: hopper") {
		t.Fatalf("the filter being typed is not shown:\n%s", s)
	}
	press(m, "enter")
	if m.stack.has(layerFilter) || m.inbox.filter != "hopper" {
		t.Fatal("enter does not keep the filter")
	}
	if s := screen(m); !strings.Contains(s, "1 of 5 match “hopper”") {
		t.Fatalf("the list header does not show n of N:\n%s", s)
	}
	press(m, "a") // keys work again
	if m.form() == nil {
		t.Fatal("a does not open the form on the filtered list")
	}
	clk.Advance(time.Second)
	press(m, "esc") // closes the form, keeps the filter
	if m.form() != nil || m.inbox.filter != "hopper" {
		t.Fatal("esc in the form leaked to the filter")
	}
	press(m, "esc")
	if m.inbox.filter != "" || len(m.inbox.view) != 5 {
		t.Fatalf("esc does not clear the filter: %q, %d shown", m.inbox.filter, len(m.inbox.view))
	}
}

func TestFilterEscWhileTypingClears(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "/")
	typeText(m, "zzz")
	if !strings.Contains(screen(m), "No request matches “zzz”") {
		t.Fatalf("no-match text missing:\n%s", screen(m))
	}
	press(m, "esc")
	if m.stack.has(layerFilter) || m.inbox.filter != "" || len(m.inbox.view) != 5 {
		t.Fatal("esc while typing does not clear the filter")
	}
}

func TestMarking(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "space")
	if !m.inbox.view[0].marked || selectedID(m) != "pim-2" {
		t.Fatal("space does not mark and move down")
	}
	press(m, "space")
	if m.inbox.marked != 2 || !strings.Contains(screen(m), "2 marked") {
		t.Fatalf("marked = %d; title:\n%s", m.inbox.marked, screen(m))
	}
	press(m, "k", "space") // unmark pim-2
	if m.inbox.marked != 1 || m.inbox.view[1].marked {
		t.Fatal("space does not unmark")
	}
	press(m, "X")
	if m.inbox.marked != 0 {
		t.Fatal("X does not clear marks")
	}
	// A marks every shown row, not the hidden ones.
	press(m, "/")
	typeText(m, "package")
	press(m, "enter", "A")
	if m.inbox.marked != 3 {
		t.Fatalf("A marked %d, want the 3 shown", m.inbox.marked)
	}
	for _, it := range m.inbox.items {
		if it.marked != (it.kind == "package") {
			t.Errorf("%s marked=%v", it.a.ID, it.marked)
		}
	}
}

func TestMarksSurviveRefresh(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "j", "space")
	load(m, sampleSnapshot())
	if m.inbox.marked != 1 || !m.inbox.items[m.inbox.view[1].a.Ref].marked {
		t.Fatal("a refresh lost the marks")
	}
}

// Typing at the end of the filter searches only the previous matches; the
// result must be what a fresh search over every item gives.
func TestFilterGrowingMatchesAFreshSearch(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	for _, f := range []string{"a", "ad", "ada", "ada ", "ada l", "ada lo", "ada l", "ad", "adx", "ad", "", "g", "gr", "gra", "grace h", "gr", "Gra"} {
		m.inbox.setFilter(f)
		grown := append([]*item(nil), m.inbox.view...)
		fresh := newInbox()
		fresh.items, fresh.sorted = m.inbox.items, m.inbox.sorted
		fresh.setFilter(f)
		if len(grown) != len(fresh.view) {
			t.Fatalf("%q: %d rows after typing, %d searched afresh", f, len(grown), len(fresh.view))
		}
		for i := range grown {
			if grown[i] != fresh.view[i] {
				t.Fatalf("%q: row %d differs", f, i)
			}
		}
		if f == "ada lo" && len(grown) != 1 {
			t.Fatalf("%q matched %d rows", f, len(grown))
		}
	}
}
