package ui

import (
	"strings"
	"time"

	"approvals/ui/words"
)

// Time labels are coarse on purpose: they change at most once a minute, so
// an idle screen stays byte-for-byte identical between polls.

// relative is "3d ago" or "in 2h".
func relative(now, t time.Time) string {
	d := t.Sub(now)
	if d >= 0 {
		return "in " + words.Span(d)
	}
	return words.Span(-d) + " ago"
}

// clock formats a point in time in the location of now.
func clock(now, t time.Time) string {
	return t.In(now.Location()).Format("2006-01-02 15:04")
}

// isoDuration renders an ISO 8601 duration such as "PT8H" or "P1DT2H30M"
// as "8h" or "1d 2h 30m"; anything it cannot read comes back as is.
func isoDuration(s string) string {
	rest, ok := strings.CutPrefix(strings.ToUpper(s), "P")
	if !ok || rest == "" {
		return s
	}
	var parts []string
	inTime := false
	num := ""
	for _, r := range rest {
		switch {
		case r == 'T':
			inTime = true
		case r >= '0' && r <= '9' || r == '.':
			num += string(r)
		default:
			if num == "" {
				return s
			}
			unit := map[rune]string{'Y': "y", 'W': "w", 'D': "d", 'H': "h", 'S': "s"}[r]
			if r == 'M' {
				unit = map[bool]string{false: "mo", true: "m"}[inTime]
			}
			if unit == "" {
				return s
			}
			parts = append(parts, num+unit)
			num = ""
		}
	}
	if num != "" || len(parts) == 0 {
		return s
	}
	return strings.Join(parts, " ")
}
