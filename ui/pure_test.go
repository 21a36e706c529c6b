package ui

import (
	"approvals/ui/words"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/ui/sanitize"
)

func TestComputeLayout(t *testing.T) {
	t.Parallel()
	cases := []struct {
		w, h           int
		form           bool
		small, wide    bool
		listW, detailW int
		bodyH          int
	}{
		{59, 40, false, true, false, 0, 0, 0},
		{80, 13, false, true, false, 0, 0, 0},
		{60, 14, false, false, false, 60, 0, 11},
		{80, 24, false, false, false, 80, 0, 21},
		{109, 30, false, false, false, 109, 0, 27},
		{110, 30, false, false, true, 66, 43, 27},
		{120, 40, true, false, true, 72, 47, 30},
		{200, 50, false, false, true, 120, 79, 47},
	}
	for _, c := range cases {
		formH := 0
		if c.form {
			formH = 7
		}
		l := computeLayout(c.w, c.h, formH)
		if l.tooSmall != c.small || l.wide != c.wide || !c.small && (l.listW != c.listW || l.detailW != c.detailW || l.bodyH != c.bodyH) {
			t.Errorf("%dx%d form=%v: %+v", c.w, c.h, c.form, l)
		}
		if l.wide && l.listW+1+l.detailW != c.w {
			t.Errorf("%dx%d: panes do not fill the width", c.w, c.h)
		}
	}
}

func TestRowColumnsFillTheWidth(t *testing.T) {
	t.Parallel()
	for _, w := range []int{60, 66, 72, 80, 120, 200} {
		c := rowColumns(w)
		sum := c.gutter + c.due + c.kind + c.person + c.resource + c.stage + c.age + 5
		if sum != w || c.resource < c.person {
			t.Errorf("width %d: %+v sums to %d", w, c, sum)
		}
	}
}

func TestTimeLabels(t *testing.T) {
	t.Parallel()
	now := t0
	cases := []struct{ got, want string }{
		{words.Age(now, now.Add(-30*time.Second)), "now"},
		{words.Age(now, now.Add(-59*time.Minute)), "59m"},
		{words.Age(now, now.Add(-47*time.Hour)), "47h"},
		{words.Age(now, now.Add(-72*time.Hour)), "3d"},
		{words.Age(now, time.Time{}), "—"},
		{words.TimeLeft(now, now.Add(-time.Minute), false), "overdue"},
		{words.TimeLeft(now, now.Add(90*time.Minute), false), "1h"},
		{words.TimeLeft(now, now.Add(20*time.Hour), true), "~20h"},
		{words.TimeLeft(now, time.Time{}, false), "—"},
		{words.Updated(now, now.Add(-59*time.Second)), "updated just now"},
		{words.Updated(now, now.Add(-2*time.Minute)), "updated 2m ago"},
		{words.Updated(now, time.Time{}), "not updated yet"},
		{relative(now, now.Add(2*time.Hour)), "in 2h"},
		{relative(now, now.Add(-3*24*time.Hour)), "3d ago"},
		{isoDuration("PT8H"), "8h"},
		{isoDuration("P1DT2H30M"), "1d 2h 30m"},
		{isoDuration("P3M"), "3mo"},
		{isoDuration("garbage"), "garbage"},
		{isoDuration("PT"), "PT"},
		{words.Countdown(4200 * time.Millisecond), "5s"},
		{words.Countdown(125 * time.Second), "2:05"},
		{words.Countdown(-time.Second), "0s"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: %q, want %q", i, c.got, c.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	cases := []struct {
		failures int
		server   time.Duration
		want     time.Duration
	}{
		{0, 0, 30 * time.Second}, {1, 0, time.Minute}, {3, 0, 4 * time.Minute},
		{10, 0, 10 * time.Minute}, {1, 5 * time.Minute, 5 * time.Minute}, {10, time.Hour, time.Hour},
	}
	for _, c := range cases {
		if got := backoff(30*time.Second, c.failures, c.server); got != c.want {
			t.Errorf("backoff(%d, %v) = %v, want %v", c.failures, c.server, got, c.want)
		}
	}
}

func TestTextField(t *testing.T) {
	t.Parallel()
	f := newTextField(10, 2, 30)
	for _, k := range []string{"h", "e", "l", "l", "o", "space", "w", "o", "r", "l", "d"} {
		f.Update(keyOf(k))
	}
	if f.Value() != "hello world" {
		t.Fatalf("typed %q", f.Value())
	}
	view, x, y := f.View("")
	if view != "hello     \nworld     " || x != 5 || y != 1 { // wrapped at the word
		t.Fatalf("view %q cursor %d,%d", view, x, y)
	}
	f.Update(tea.KeyPressMsg{Code: 'w', Mod: tea.ModCtrl}) // delete word
	if f.Value() != "hello " {
		t.Fatalf("ctrl+w left %q", f.Value())
	}
	f.Update(tea.KeyPressMsg{Code: tea.KeyHome})
	f.Update(tea.PasteMsg{Content: "say\x1b[2J\n\t"})
	if f.Value() != "say  hello " {
		t.Fatalf("paste gave %q", f.Value())
	}
	f.Update(tea.KeyPressMsg{Code: 'k', Mod: tea.ModCtrl}) // delete to end
	if f.Value() != "say  " {
		t.Fatalf("ctrl+k left %q", f.Value())
	}
	f.SetValue(strings.Repeat("x", 50))
	if len(f.Value()) != 30 {
		t.Fatalf("limit not kept: %d", len(f.Value()))
	}
	_, _, y = f.View("")
	if y != 1 {
		t.Fatalf("the cursor row is not kept in view: %d", y)
	}
	f.SetValue("")
	if view, _, _ := f.View("type"); !strings.HasPrefix(view, "type") {
		t.Fatalf("placeholder missing: %q", view)
	}
}

// The editor wraps at word boundaries, never cuts a row with an ellipsis,
// keeps every character, moves by rows and says where it is once the text
// is longer than the rows shown.
func TestTextFieldWrapsWords(t *testing.T) {
	t.Parallel()
	f := newTextField(12, 2, 1000)
	f.SetValue("the quick brown fox jumps over the lazy dog again")
	rows, cy, cx := f.layout()
	want := []string{"the quick ", "brown fox ", "jumps over ", "the lazy dog", "again"}
	if strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Fatalf("rows %q, want %q", rows, want)
	}
	if cy != 4 || cx != 5 {
		t.Fatalf("cursor at %d,%d, want 4,5", cy, cx)
	}
	if got := f.Position(); got != "line 5/5" {
		t.Fatalf("position %q", got)
	}
	f.Update(keyOf("up"))
	if _, cy, cx = f.layout(); cy != 3 || cx != 5 {
		t.Fatalf("up: cursor at %d,%d, want 3,5", cy, cx)
	}
	f.Update(keyOf("x"))
	if !strings.Contains(f.Value(), "the lxazy") {
		t.Fatalf("typed at the wrong place: %q", f.Value())
	}
	for _, r := range rows {
		if strings.Contains(r, "…") || sanitize.Width(r) > 12 {
			t.Fatalf("row %q cut or too wide", r)
		}
	}
	f.SetHeight(5)
	if got := f.Position(); got != "" {
		t.Fatalf("position %q shown when everything fits", got)
	}
}

// Dates, times, ids and ticket numbers are never broken across lines.
func TestWrapKeepsTokensWhole(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text string
		w    int
		want []string
	}{
		{"from 2026-12-04 05:34 until 2027-06-27 05:00", 30, []string{"from 2026-12-04 05:34 until", "2027-06-27 05:00"}},
		{"Ticket INC-2041-7788 for the outage", 13, []string{"Ticket", "INC-2041-7788", "for the", "outage"}},
		{"request 6fc2eedc-0e35-4b57-adf0-442a79a8c8a1 failed", 40, []string{"request", "6fc2eedc-0e35-4b57-adf0-442a79a8c8a1", "failed"}},
		{"aaaaaaaaaa", 4, []string{"aaaa", "aaaa", "aa"}},
		{"", 10, []string{""}},
	}
	for _, c := range cases {
		got := wrap(c.text, c.w)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.text, c.w, got, c.want)
		}
	}
}
