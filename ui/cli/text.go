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
// column's maximum width (0: no limit, for the last column).
type table struct {
	headers []string
	max     []int
	rows    [][]string
}

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
	line := func(cells []string) {
		var b strings.Builder
		for i, c := range cells {
			if i == len(cells)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", widths[i]-sanitize.Width(c)+2))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(t.headers)
	for _, r := range t.rows {
		line(r)
	}
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
