package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Default stage timeouts when a stage does not name one: entitlement
// management denies automatically after 14 days by default, PIM approvers
// have 24 hours.
const (
	DefaultAccessPackageTimeout = "P14D"
	DefaultGroupTimeout         = "PT24H"
	// RoleApprovalWindow is PIM for Microsoft Entra roles' approval
	// window: 24 hours from the request, documented as not configurable.
	RoleApprovalWindow = 24 * time.Hour
)

// parseISODuration reads the ISO 8601 durations Graph uses for timeouts and
// schedules ("P14D", "PT8H", "P1DT12H", "PT1.5S", "P2W"). Years and months
// are refused: they have no fixed length, and no timeout needs them.
func parseISODuration(s string) (time.Duration, error) {
	rest, ok := strings.CutPrefix(strings.ToUpper(strings.TrimSpace(s)), "P")
	if !ok || rest == "" {
		return 0, fmt.Errorf("%q is not an ISO 8601 duration", s)
	}
	var total time.Duration
	inTime := false
	seen := false
	for rest != "" {
		if rest[0] == 'T' {
			if inTime {
				return 0, fmt.Errorf("%q: two T designators", s)
			}
			inTime, rest = true, rest[1:]
			continue
		}
		i := strings.IndexFunc(rest, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i <= 0 {
			return 0, fmt.Errorf("%q is not an ISO 8601 duration", s)
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("%q: %v", s, err)
		}
		unit, err := durationUnit(rest[i], inTime)
		if err != nil {
			return 0, fmt.Errorf("%q: %v", s, err)
		}
		total += time.Duration(n * float64(unit))
		rest, seen = rest[i+1:], true
	}
	if !seen {
		return 0, fmt.Errorf("%q has no amount", s)
	}
	return total, nil
}

func durationUnit(c byte, inTime bool) (time.Duration, error) {
	day := 24 * time.Hour
	switch {
	case !inTime && c == 'W':
		return 7 * day, nil
	case !inTime && c == 'D':
		return day, nil
	case inTime && c == 'H':
		return time.Hour, nil
	case inTime && c == 'M':
		return time.Minute, nil
	case inTime && c == 'S':
		return time.Second, nil
	case !inTime && (c == 'Y' || c == 'M'):
		return 0, fmt.Errorf("years and months are not supported")
	}
	return 0, fmt.Errorf("unexpected designator %q", c)
}
