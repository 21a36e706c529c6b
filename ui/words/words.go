// Package words is the one place that says things to the approver: how
// long ago, how much time is left, what kind of request, which stage ("2
// of 3") and what deciding it does, who gets the access and who asked,
// stage statuses and review results in plain words, times with their zone,
// and what went wrong and what to do about it (Explain: the one place that
// names the command's flags and commands in advice). The inbox (package ui) and the command line (ui/cli) both use it,
// so the same thing reads the same way on either.
//
// Every function that puts server text into its result sanitizes it
// (ui/sanitize.Line): the results are safe to print as they are.
package words

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"approvals/graph"
	"approvals/ui/sanitize"
)

// Unknown stands for a value the server did not give (no deadline, no
// stages, no creation time).
const Unknown = "—"

// Arrow joins who gets access to what: "Chloé Adeyemi → Sales".
const Arrow = " → "

// ---- durations and times ----

// Span is a duration in its largest whole unit: "<1m", "45m", "5h" (up to
// 47h), "13d". Negative durations count as zero.
func Span(d time.Duration) string {
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

// Age is how long ago t was, for an AGE column: "now", "3h", "13d", or
// Unknown.
func Age(now, t time.Time) string {
	if t.IsZero() {
		return Unknown
	}
	d := now.Sub(t)
	if d < time.Minute {
		return "now"
	}
	return Span(d)
}

// TimeLeft is the time left before a deadline, for a DUE column: "5h",
// "~13d" when the deadline is estimated, "overdue", or Unknown.
func TimeLeft(now, deadline time.Time, estimated bool) string {
	if deadline.IsZero() {
		return Unknown
	}
	d := deadline.Sub(now)
	if d <= 0 {
		return "overdue"
	}
	if estimated {
		return "~" + Span(d)
	}
	return Span(d)
}

// Relative is t from now in a sentence: "in 2h", "3d ago", "just now".
func Relative(now, t time.Time) string {
	d := t.Sub(now)
	switch {
	case d > -time.Minute && d < time.Minute:
		return "just now"
	case d >= 0:
		return "in " + Span(d)
	}
	return Span(-d) + " ago"
}

// Updated is the freshness label: "updated just now", "updated 2m ago",
// "not updated yet".
func Updated(now, at time.Time) string {
	if at.IsZero() {
		return "not updated yet"
	}
	d := now.Sub(at)
	if d < time.Minute {
		return "updated just now"
	}
	return "updated " + Span(d) + " ago"
}

// Countdown is a short live countdown: "4s", "2:05".
func Countdown(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	secs := int((d + time.Second - 1) / time.Second)
	if secs < 60 {
		return strconv.Itoa(secs) + "s"
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// Clock is a point in time in loc, with the zone stated so local and UTC
// times are never confused: "2026-03-02 09:30 CET", "2026-03-02 08:30
// UTC". Unknown for the zero time.
func Clock(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return Unknown
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// ISODuration reads an ISO 8601 duration such as "PT8H" or "P1DT2H30M"
// as "8h" or "1d 2h 30m"; anything it cannot read comes back sanitized as
// sent.
func ISODuration(s string) string {
	rest, ok := strings.CutPrefix(strings.ToUpper(s), "P")
	if !ok || rest == "" {
		return sanitize.Line(s)
	}
	var parts []string
	inTime := false
	num := ""
	for _, r := range rest {
		switch {
		case r == 'T' && !inTime:
			inTime = true
		case r >= '0' && r <= '9' || r == '.':
			num += string(r)
		default:
			unit := map[rune]string{'Y': "y", 'W': "w", 'D': "d", 'H': "h", 'S': "s"}[r]
			if r == 'M' {
				unit = map[bool]string{false: "mo", true: "m"}[inTime]
			}
			if num == "" || unit == "" {
				return sanitize.Line(s)
			}
			parts = append(parts, num+unit)
			num = ""
		}
	}
	if num != "" || len(parts) == 0 {
		return sanitize.Line(s)
	}
	return strings.Join(parts, " ")
}

// ---- kinds ----

// Kind is a kind in one short word, for a column: "package", "member",
// "owner", "group", "role", "azure". Unknown kinds are shown as sent.
func Kind(k graph.Kind) string {
	switch k {
	case graph.KindAccessPackage:
		return "package"
	case graph.KindGroupMember:
		return "member"
	case graph.KindGroupOwner:
		return "owner"
	case graph.KindGroup:
		return "group"
	case graph.KindRole:
		return "role"
	case graph.KindAzureRole:
		return "azure"
	case "":
		return "?"
	}
	return sanitize.Line(string(k))
}

// KindLong is a kind in a sentence: "Access package", "Group membership
// (PIM)", "Directory role (PIM)".
func KindLong(k graph.Kind) string {
	switch k {
	case graph.KindAccessPackage:
		return "Access package"
	case graph.KindGroupMember:
		return "Group membership (PIM)"
	case graph.KindGroupOwner:
		return "Group ownership (PIM)"
	case graph.KindGroup:
		return "Group access (PIM)"
	case graph.KindRole:
		return "Directory role (PIM)"
	case graph.KindAzureRole:
		return "Azure resource role (PIM)"
	}
	return "Request (" + sanitize.Line(string(k)) + ")"
}

// ---- people and resources ----

// Person is a subject's display name, falling back to the principal name,
// email and id; "(unknown)" when there is nothing.
func Person(s graph.Subject) string {
	for _, v := range []string{s.DisplayName, s.PrincipalName, s.Email, s.ID} {
		if v := strings.TrimSpace(sanitize.Line(v)); v != "" {
			return v
		}
	}
	return "(unknown)"
}

// Contact is Person with the address when there is one: "Ada Lovelace
// <ada@contoso.com>".
func Contact(s graph.Subject) string {
	name := Person(s)
	if mail := strings.TrimSpace(sanitize.Line(firstNonEmpty(s.Email, s.PrincipalName))); mail != "" && mail != name {
		return name + " <" + mail + ">"
	}
	return name
}

// Beneficiary is who receives the access: the target when the request
// names one, else the requestor.
func Beneficiary(a graph.Approval) graph.Subject {
	if a.Target.ID != "" || a.Target.DisplayName != "" || a.Target.PrincipalName != "" || a.Target.Email != "" {
		return a.Target
	}
	return a.Requestor
}

// OnBehalf reports a request made by someone other than who gets the
// access (an administrator or a manager asking for someone).
func OnBehalf(a graph.Approval) bool {
	b, r := Beneficiary(a), a.Requestor
	if r.ID == "" && r.DisplayName == "" && r.PrincipalName == "" && r.Email == "" {
		return false // no requestor known: nothing to say
	}
	if b.ID != "" && r.ID != "" {
		return !strings.EqualFold(b.ID, r.ID)
	}
	if b.PrincipalName != "" && r.PrincipalName != "" {
		return !strings.EqualFold(b.PrincipalName, r.PrincipalName)
	}
	return Person(b) != Person(r)
}

// IsMe reports whether the beneficiary is the signed-in approver.
func IsMe(a graph.Approval, me graph.Identity) bool {
	return me.ID != "" && strings.EqualFold(Beneficiary(a).ID, me.ID)
}

// Who names the beneficiary, and the requestor when they differ:
// "Chloé Adeyemi (asked by Yusuf Chen)".
func Who(a graph.Approval) string {
	who := Person(Beneficiary(a))
	if OnBehalf(a) {
		who += " (asked by " + Person(a.Requestor) + ")"
	}
	return who
}

// Resource is what access is asked to; a role with its scope reads
// "Owner · prod-subscription / rg-web".
func Resource(a graph.Approval) string {
	name := strings.TrimSpace(sanitize.Line(a.Resource.DisplayName))
	if name == "" {
		name = strings.TrimSpace(sanitize.Line(a.Resource.ID))
	}
	if name == "" {
		name = "(unknown)"
	}
	if sc := strings.TrimSpace(sanitize.Line(a.Resource.ScopeName)); sc != "" {
		name += " · " + sc
	}
	return name
}

// Access is Resource with, for PIM for Groups, whether membership or
// ownership is asked: "PIM-Dev-K8s-Operators · owner".
func Access(a graph.Approval) string {
	switch a.Kind {
	case graph.KindGroupMember, graph.KindGroupOwner:
		return Resource(a) + " · " + Kind(a.Kind)
	}
	return Resource(a)
}

// Title names a request wherever one is named: "Chloé Adeyemi (asked by
// Yusuf Chen) → PIM-Dev-K8s-Operators · owner".
func Title(a graph.Approval) string { return Who(a) + Arrow + Access(a) }

// ---- stages ----

// Stage is "2 of 3" for the 0-based stage i of n.
func Stage(i, n int) string { return strconv.Itoa(i+1) + " of " + strconv.Itoa(n) }

// StageIndex is the stage a list row speaks of: the one waiting for me,
// else the one in progress, else the last; -1 without stages.
func StageIndex(a graph.Approval) int {
	if _, i, ok := a.MyStage(); ok {
		return i
	}
	return a.CurrentStage()
}

// StageOf is Stage for StageIndex, or Unknown without stages.
func StageOf(a graph.Approval) string {
	i := StageIndex(a)
	if i < 0 {
		return Unknown
	}
	return Stage(i, len(a.Stages))
}

// StageName is a stage's display name, or "Stage 2" when it has none.
func StageName(a graph.Approval, i int) string {
	if i >= 0 && i < len(a.Stages) {
		if n := strings.TrimSpace(sanitize.Line(a.Stages[i].DisplayName)); n != "" {
			return n
		}
	}
	return "Stage " + strconv.Itoa(i+1)
}

// StageStatus says a stage's status in plain words: "in progress", "not
// started", "completed", "expired"; unknown values as sent.
func StageStatus(s graph.StageStatus) string {
	switch s {
	case graph.StageInProgress:
		return "in progress"
	case graph.StageInitializing:
		return "not started"
	case graph.StageCompleted:
		return "completed"
	case graph.StageExpired:
		return "expired"
	case "":
		return "status unknown"
	}
	return sanitize.Line(string(s))
}

// Result says a review result: "Approved", "Denied", "Not reviewed";
// unknown values as sent.
func Result(r graph.ReviewResult) string {
	switch r {
	case graph.Approved:
		return "Approved"
	case graph.Denied:
		return "Denied"
	case graph.NotReviewed, "":
		return "Not reviewed"
	}
	return sanitize.Line(string(r))
}

// Effect says what deciding stage i of a does: "approving sends it to
// stage 3 (Security review)", "approving grants access" (the final
// stage), "denying ends the request".
func Effect(d graph.Decision, a graph.Approval, i int) string {
	if d == graph.Deny {
		return "denying ends the request"
	}
	if i+1 < len(a.Stages) {
		next := "approving sends it to stage " + strconv.Itoa(i+2)
		if n := strings.TrimSpace(sanitize.Line(a.Stages[i+1].DisplayName)); n != "" {
			next += " (" + n + ")"
		}
		return next
	}
	return "approving grants access"
}

// StageHeading is the form's line about the stage being decided: "Stage 2
// of 3 · Data owner", or "Final stage · Data owner" / "Only stage" when no
// stage follows.
func StageHeading(a graph.Approval, i int) string {
	n := len(a.Stages)
	var head string
	switch {
	case n <= 1:
		head = "Only stage"
	case i == n-1:
		head = "Final stage (" + Stage(i, n) + ")"
	default:
		head = "Stage " + Stage(i, n)
	}
	if i >= 0 && i < n {
		if name := strings.TrimSpace(sanitize.Line(a.Stages[i].DisplayName)); name != "" {
			head += " · " + name
		}
	}
	return head
}

// Decided is what a decision applied to stage i of n did, for outcome
// lines: "approved stage 1 of 3 (2 stages remain)", "approved stage 3 of
// 3 (access granted)", "denied stage 1 of 3 (the request ends)". Without
// stages (n == 0) it is just "approved" or "denied".
func Decided(d graph.Decision, i, n int) string {
	verb := "approved"
	if d == graph.Deny {
		verb = "denied"
	}
	if n <= 0 || i < 0 {
		return verb
	}
	out := verb + " stage " + Stage(i, n)
	switch left := n - i - 1; {
	case d == graph.Deny:
		out += " (the request ends)"
	case left == 0:
		out += " (access granted)"
	case left == 1:
		out += " (1 stage remains)"
	default:
		out += " (" + strconv.Itoa(left) + " stages remain)"
	}
	return out
}

// Complete reports whether a decision on stage i of n ends the request:
// a denial, or an approval of the last stage.
func Complete(d graph.Decision, i, n int) bool {
	return d == graph.Deny || i >= n-1
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
