package bench

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Row is one line of the table: a figure, its baseline from the same run,
// their ratio, the goal and whether it is met.
type Row struct {
	Measure  string
	Case     string
	Ours     string
	Baseline string
	Ratio    string
	Goal     string
	Met      string // "yes", "no", or "—" when there is no goal
}

var tableHead = Row{"Measure", "Case", "Measured", "Baseline (same run)", "Ratio", "Goal", "Met"}

// WriteTable writes rows as one markdown table.
func WriteTable(w io.Writer, rows []Row) error {
	var b strings.Builder
	line := func(r Row) {
		cells := []string{r.Measure, r.Case, r.Ours, r.Baseline, r.Ratio, r.Goal, r.Met}
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	line(tableHead)
	b.WriteString(strings.Repeat("|---", 7) + "|\n")
	for _, r := range rows {
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// dur formats a duration with three significant digits in a fitting unit.
func dur(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return sig(float64(d)/float64(time.Microsecond)) + " µs"
	case d < time.Second:
		return sig(float64(d)/float64(time.Millisecond)) + " ms"
	}
	return sig(d.Seconds()) + " s"
}

// sig prints v with three significant digits (no exponent).
func sig(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// ratio is a/b as "12.3×".
func ratio(a, b float64) string {
	if b == 0 {
		return "—"
	}
	return sig(a/b) + "×"
}

// mb formats bytes as megabytes (10^6).
func mb(b int64) string { return sig(float64(b)/1e6) + " MB" }

// count formats an integer with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
