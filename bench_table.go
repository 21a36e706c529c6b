//go:build bench

package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// benchRow is one line of the table: a figure, its baseline from the same run,
// their benchRatio, the goal and whether it is benchMet.
type benchRow struct {
	Measure  string
	Case     string
	Ours     string
	Baseline string
	Ratio    string
	Goal     string
	Met      string // "yes", "no", or "—" when there is no goal
}

var benchTableHead = benchRow{"Measure", "Case", "Measured", "Baseline (same run)", "Ratio", "Goal", "Met"}

// writeBenchTable writes rows as one markdown table.
func writeBenchTable(w io.Writer, rows []benchRow) error {
	var b strings.Builder
	line := func(r benchRow) {
		cells := []string{r.Measure, r.Case, r.Ours, r.Baseline, r.Ratio, r.Goal, r.Met}
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	line(benchTableHead)
	b.WriteString(strings.Repeat("|---", 7) + "|\n")
	for _, r := range rows {
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func benchMet(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// benchDur formats a duration with three significant digits in a fitting unit.
func benchDur(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return benchSig(float64(d)/float64(time.Microsecond)) + " µs"
	case d < time.Second:
		return benchSig(float64(d)/float64(time.Millisecond)) + " ms"
	}
	return benchSig(d.Seconds()) + " s"
}

// benchSig prints v with three significant digits (no exponent).
func benchSig(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// benchRatio is a/b as "12.3×".
func benchRatio(a, b float64) string {
	if b == 0 {
		return "—"
	}
	return benchSig(a/b) + "×"
}

// benchMB formats bytes as megabytes (10^6).
func benchMB(b int64) string { return benchSig(float64(b)/1e6) + " MB" }

// benchCount formats an integer with thousands separators.
func benchCount(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + benchCount(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
