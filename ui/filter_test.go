package ui

import (
	tea "charm.land/bubbletea/v2"
	"strings"
	"testing"
	"time"

	"approvals/ui/words"
)

func TestFilterNarrowsByVisibleText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		typed string
		want  []string
	}{
		{"sap", []string{"ap-1"}},
		{"SAP", []string{"ap-1"}},                // case-insensitive
		{"owner", []string{"ap-1", "pim-2"}},     // the TYPE column, and ap-1's stage "Finance owners"
		{"5d", []string{"ap-2"}},                 // the AGE column as shown
		{"~9d", []string{"ap-2"}},                // the DUE column as shown
		{"quarter-end", []string{"ap-1"}},        // the justification
		{"cc-4711", []string{"ap-1"}},            // an answer
		{"sponsor", []string{"ap-2"}},            // a stage name
		{"pim-", []string(nil)},                  // ids are not visible: no partial match
		{"group:pim-1", []string{"pim-1"}},       // a whole id, as pasted from the command line
		{"accessPackage:ap-1", []string{"ap-1"}}, // the CLI's ID column, typed key by key
		{"GROUP:PIM-1", []string{"pim-1"}},       // ids ignore case
		{"grace", []string{"ap-2"}},              // requestor
		{"edsger", []string{"ap-2", "ap-3"}},     // target too
		{"finance", []string{"ap-1"}},            // catalog
		{"ops inc-2041", []string{"pim-1"}},      // every word must match
		{"nothing-like-this", []string(nil)},     // no match
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

// An id with capitals, typed key by key in any case, finds its request:
// its shorter forms matched nothing, so the filter must widen again.
func TestFilterFindsMixedCaseIDTyped(t *testing.T) {
	t.Parallel()
	for _, typed := range []string{"Ap-X7", "ap-x7", "accessPackage:AP-x7", "accesspackage:ap-x7"} {
		fb := &fakeBackend{}
		m := New(Options{timer: heldTimer, Backend: fb, Now: newFakeClock().Now, Theme: ThemeDark})
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		snap := sampleSnapshot()
		snap.Approvals[0].ID = "AP-X7"
		load(m, snap)
		press(m, "/")
		typeText(m, typed)
		if got := refs(m); strings.Join(got, ",") != "AP-X7" {
			t.Errorf("filter %q typed: %v, want [AP-X7]", typed, got)
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
		fresh.items, fresh.order = m.inbox.items, m.inbox.order
		fresh.resort()
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

// The filter's shortcuts (the bytes each item holds, a one-letter term
// decided by them, ids compared without building "source:id", the time
// columns kept per item) must match exactly what searching the text gives.
func TestFilterShortcutsMatchThePlainSearch(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	ib := &m.inbox
	plain := func(it *item, terms []string) bool {
		for _, t := range terms {
			if strings.Contains(it.search, t) || strings.EqualFold(t, it.a.ID) || strings.EqualFold(t, it.a.Ref.String()) {
				continue
			}
			times := strings.ToLower(stateLabel(it) + "\x00" + words.TimeLeft(ib.now, it.a.Deadline, it.a.DeadlineEstimated) + "\x00" + words.Age(ib.now, it.a.Created))
			if !strings.Contains(times, t) {
				return false
			}
		}
		return true
	}
	var filters []string
	for c := byte(0x20); c < 0x7f; c++ {
		filters = append(filters, strings.ToLower(string(c)))
	}
	filters = append(filters, "é", "ö", "—", "→", "~", "5d", "~9d", "d ~", "pim-1", "GROUP:PIM-1", "group:pim-", ":pim-1",
		"ap-1", "AP-1", "x:ap-1", "contoso.com", "ops inc-2041", "q", "zq", "")
	check := func(when string) {
		t.Helper()
		for _, f := range filters {
			ib.setFilter(f)
			matched := 0
			for _, it := range ib.sorted {
				got, want := ib.matches(it), plain(it, strings.Fields(strings.ToLower(f)))
				if got != want {
					t.Errorf("%s: filter %q on %s: matches %v, the plain search %v", when, f, it.a.Ref, got, want)
				}
				if want {
					matched++
				}
			}
			if len(ib.view) != matched {
				t.Errorf("%s: filter %q shows %d rows, %d match", when, f, len(ib.view), matched)
			}
		}
	}
	check("loaded")
	if ib.setFilter("5d"); len(ib.view) != 1 {
		t.Fatalf("the AGE column as shown (5d) matches %d rows", len(ib.view))
	}
	clk.Advance(48 * time.Hour) // the time columns change; what was kept for them must not be used
	m.Update(clockTickedMsg{})
	check("two days later")
	if ib.setFilter("5d"); len(ib.view) != 0 {
		t.Fatalf("after two days, 5d still matches %d rows", len(ib.view))
	}
}

// Deleting the filter back to empty shows the remembered view of every
// item; a later change of order must still keep the cursor on the same
// request (the remembered view is not the sorted index being rebuilt).
func TestSelectionSurvivesResortAfterClearingTheFilter(t *testing.T) {
	t.Parallel()
	for _, order := range []string{"s", "s s", "s s s"} {
		m, _, _ := newLoaded(t, 120, 40)
		press(m, "/")
		typeText(m, "a")
		press(m, "backspace", "enter", "j", "j", "j")
		want := selectedID(m)
		press(m, strings.Fields(order)...)
		if got := selectedID(m); got != want {
			t.Errorf("after %q the cursor is on %s, was on %s", order, got, want)
		}
	}
}

// Who is signed in changes what a row says ("(you)"), so what the filter
// finds changes with it.
func TestFilterFollowsTheSignedInApprover(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	ib := &m.inbox
	ib.setFilter("(you)")
	if len(ib.view) != 0 {
		t.Fatalf("before anyone is known, (you) matches %d rows", len(ib.view))
	}
	var me string
	for _, it := range ib.sorted {
		if b := words.Beneficiary(*it.a); b.ID != "" {
			me = b.ID
			break
		}
	}
	if me == "" {
		t.Fatal("no beneficiary with an id in the sample")
	}
	ib.setMe(me)
	if len(ib.view) == 0 {
		t.Fatalf("signed in as the beneficiary %s, (you) matches nothing", me)
	}
	for _, it := range ib.view {
		if !it.self {
			t.Errorf("(you) matches %s, not the approver's own request", it.a.Ref)
		}
	}
}
