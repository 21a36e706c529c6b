package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"approvals/graph"
	"approvals/ui/sanitize"
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

// span is a compact duration: 45s, 12m, 3h, 4d.
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func ago(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return span(max(now.Sub(t), 0))
}

// due says when a deadline falls: "in 3h", "~in 13d" when estimated,
// "overdue 2h", or "-" when unknown.
func due(now time.Time, a graph.Approval) string {
	if a.Deadline.IsZero() {
		return "-"
	}
	prefix := ""
	if a.DeadlineEstimated {
		prefix = "~"
	}
	if d := a.Deadline.Sub(now); d >= 0 {
		return prefix + "in " + span(d)
	}
	return prefix + "overdue " + span(now.Sub(a.Deadline))
}

func kindName(k graph.Kind) string {
	switch k {
	case graph.KindAccessPackage:
		return "access package"
	case graph.KindGroupMember:
		return "group member"
	case graph.KindGroupOwner:
		return "group owner"
	case graph.KindGroup:
		return "group"
	case graph.KindAzureRole:
		return "azure"
	}
	return string(k)
}

// stageOf is "2/3" for the current stage, or "-" without stages.
func stageOf(a graph.Approval) string {
	i := a.CurrentStage()
	if _, mine, ok := a.MyStage(); ok {
		i = mine
	}
	if i < 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d", i+1, len(a.Stages))
}

func person(s graph.Subject) string {
	name := s.DisplayName
	if name == "" {
		name = firstNonEmpty(s.PrincipalName, s.Email, s.ID)
	}
	return name
}

// resourceName is what access is asked to; a role with its scope reads
// "Owner · prod-subscription / rg-web".
func resourceName(a graph.Approval) string {
	name := firstNonEmpty(a.Resource.DisplayName, a.Resource.ID, "-")
	if a.Resource.ScopeName != "" {
		name += " · " + a.Resource.ScopeName
	}
	return name
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// clock formats a time for people, in loc.
func clock(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}
