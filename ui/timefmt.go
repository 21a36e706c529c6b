package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Time labels are coarse on purpose: they change at most once a minute, so
// an idle screen stays byte-for-byte identical between polls.

// span is a duration in the largest whole unit: "45m", "5h", "13d".
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	default:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
}

// ageLabel is how long ago t was, for the AGE column.
func ageLabel(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	if d < time.Minute {
		return "now"
	}
	return span(d)
}

// dueLabel is the time left before deadline, for the DUE column.
func dueLabel(now, deadline time.Time, estimated bool) string {
	if deadline.IsZero() {
		return "—"
	}
	d := deadline.Sub(now)
	if d <= 0 {
		return "overdue"
	}
	if estimated {
		return "~" + span(d)
	}
	return span(d)
}

// updatedLabel is the status bar's "updated …" text.
func updatedLabel(now, at time.Time) string {
	if at.IsZero() {
		return "not updated yet"
	}
	d := now.Sub(at)
	if d < time.Minute {
		return "updated just now"
	}
	return "updated " + span(d) + " ago"
}

// relative is "3d ago" or "in 2h".
func relative(now, t time.Time) string {
	d := t.Sub(now)
	if d >= 0 {
		return "in " + span(d)
	}
	return span(-d) + " ago"
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

// countdown is a short "4s" / "2:05" for live countdowns.
func countdown(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	secs := int((d + time.Second - 1) / time.Second)
	if secs < 60 {
		return fmt.Sprintf("%ds", secs)
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}
