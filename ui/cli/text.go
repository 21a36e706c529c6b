package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"approvals/graph"
	"approvals/ui/sanitize"
	"approvals/ui/words"
)

// table prints aligned columns. Cells are sanitized and cut to their
// column's maximum width (0: no limit).
//
// With a width (the terminal's; 0 when the output is not a terminal) a
// table wider than that is fitted by its steps, in order, until it fits:
// a step either cuts the shrinkable columns down towards a width (widest
// first) or leaves a column out. Columns that are not shrinkable (the
// ID) are never cut, even when that leaves the table too wide.
type table struct {
	headers []string
	max     []int
	rows    [][]string
	width   int
	shrink  []int     // the columns that may be cut
	steps   []fitStep // how to fit
}

// fitStep is one step of fitting a table: drop >= 0 leaves that column
// out; otherwise the shrinkable columns are cut down to at most floor.
type fitStep struct{ drop, floor int }

func shrinkTo(n int) fitStep   { return fitStep{drop: -1, floor: n} }
func dropColumn(c int) fitStep { return fitStep{drop: c} }

func (t *table) add(cells ...string) {
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = sanitize.Line(c)
		if i < len(t.max) && t.max[i] > 0 {
			row[i] = sanitize.Truncate(row[i], t.max[i])
		}
	}
	t.rows = append(t.rows, row)
}

func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.headers))
	for i, h := range t.headers {
		widths[i] = sanitize.Width(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], sanitize.Width(c))
		}
	}
	shown := t.fit(widths)
	line := func(cells []string) {
		var b strings.Builder
		first := true
		for i, c := range cells {
			if !shown[i] {
				continue
			}
			if !first {
				b.WriteString("  ")
			}
			first = false
			c = sanitize.Truncate(c, widths[i])
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", widths[i]-sanitize.Width(c)))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(t.headers)
	for _, r := range t.rows {
		line(r)
	}
}

// fit narrows widths (in place) to t.width and says which columns are shown.
func (t *table) fit(widths []int) []bool {
	shown := make([]bool, len(widths))
	for i := range shown {
		shown[i] = true
	}
	total := func() int {
		n, cols := 0, 0
		for i, w := range widths {
			if shown[i] {
				n += w
				cols++
			}
		}
		return n + 2*max(cols-1, 0)
	}
	// shrink cuts the widest shrinkable column by one until the table
	// fits or every one is at floor.
	shrink := func(floor int) {
		for total() > t.width {
			widest := -1
			for _, i := range t.shrink {
				if shown[i] && widths[i] > floor && (widest < 0 || widths[i] > widths[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				return
			}
			widths[widest]--
		}
	}
	for _, st := range t.steps {
		if t.width <= 0 || total() <= t.width {
			break
		}
		if st.drop >= 0 {
			shown[st.drop] = false
		} else {
			shrink(st.floor)
		}
	}
	return shown
}

// The words for times, kinds, people and stages come from ui/words, as
// in the inbox.

// ago is how long ago t was, in a sentence: "30h ago", "just now".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return words.Unknown
	}
	return words.Relative(now, t)
}

// due says when a deadline falls, in a sentence: "in 3h", "overdue by
// 2h", or words.Unknown.
func due(now time.Time, a graph.Approval) string {
	if a.Deadline.IsZero() {
		return words.Unknown
	}
	if d := a.Deadline.Sub(now); d <= 0 {
		return "overdue by " + words.Span(-d)
	}
	return "in " + words.TimeLeft(now, a.Deadline, false)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// clock formats a time for people, in loc, with its zone.
func clock(t time.Time, loc *time.Location) string { return words.Clock(t, loc) }
