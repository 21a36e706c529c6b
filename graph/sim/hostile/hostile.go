// Package hostile is a simulated tenant whose every displayed string is an
// attack on the terminal, and the checks that what a program printed for it
// is safe. The inbox's and the command line's tests share it, so both face
// the same tenant over the real wire (the simulator) and are held to the
// same rules. For tests only.
package hostile

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"approvals/graph/sim"
)

// Identities and ids in the tenant. Ids stay plain: they travel in URLs,
// and approval ids are GUIDs, as Graph's are (the CLI takes nothing else).
const (
	Me      = "u-hostile-me"
	MeUPN   = "me@hostile.test"
	Evil    = "u-hostile-evil"
	Other   = "u-hostile-other"
	EMID    = "e0000000-0000-4000-8000-00000000bad1" // two stages: the first decided by Evil, the second mine
	PIMID   = "e0000000-0000-4000-8000-00000000bad2" // PIM for Groups, mine
	EMStage = "em-hostile-s2"
)

// Markers are the payloads of the attacks in Text. A terminal-safe output
// contains none of them: each sits inside a sequence that must be dropped
// whole, or is a sequence the program itself never writes.
var Markers = []string{
	"PWNED",              // inside OSC 0 (title), DCS, APC, PM, SOS and C1 OSC strings
	"ZXZpbA==",           // OSC 52 clipboard payload
	"evil.example",       // OSC 8 hyperlink target
	"\x1b]52", "\x1b]8;", // clipboard write, hyperlink
	"\x1b[99;99H",      // a cursor jump outside any screen the tests use
	"\x1b[38;2;1;2;3m", // a true colour no style uses
	"\x1b[6n",          // a cursor position report request (answers land in the input)
	"\x1b[21t",         // a title report request
	"\u009b", "\u009d", // C1 CSI and OSC
	"\u202e", "\u2066", "\u200f", // bidi override, isolate, mark
}

// Text is one value that tries everything a server could: escape and
// control sequences of every kind, C1 controls, bidi overrides and
// isolates, zero-width and BOM, invalid UTF-8, backspaces and carriage
// returns, emoji (with modifiers and ZWJ), CJK and combining marks, and
// the characters terminals measure differently or that hide text: a ZWJ
// between letters, U+10FFFF and other noncharacters, private use, tag
// characters, Hangul fillers, U+180E, a lone variation selector, a zero
// width space.
func Text(tag string) string {
	return tag +
		"\x1b[2J\x1b[99;99H\x1b[38;2;1;2;3m\x1b[6n\x1b[21t" +
		"\x1b]0;PWNED-TITLE\a\x1b]52;c;ZXZpbA==\a\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\" +
		"\x1bPPWNED-DCS\x1b\\\x1b_PWNED-APC\x1b\\\x1b^PWNED-PM\x1b\\\x1bXPWNED-SOS\x1b\\" +
		"\u009b31m\u009dPWNED-C1\u009c\a\b\b\r\t\v\f\x00\x7f" +
		"\u202eevil\u202c\u2066x\u2069\u200f\ufeff\u200b\xff\xfe" +
		" 😀👍🏽 漢字かな 👨‍👩‍👧 e\u0301 " +
		"w\u200dj\U0010FFFF\uFDD0\uE000\U000F0001\U000E0041\U000E007F\u3164\u115F\uFFA0\u180E \uFE0F\u200B\u0D4E "
}

// Long is Text followed by about 100 KB.
func Long(tag string) string { return Text(tag) + strings.Repeat("Ω漢", 100*1024/5) }

// Tenant is a small tenant where every displayed string is hostile: people
// (names, UPNs, mail), the catalog, access package and group (names,
// descriptions, mail), questions and answers, justifications of requestor
// and approver, stage names, ticket numbers. Me approves the second stage
// of EMID (its first was decided by Evil, with a hostile justification)
// and the PIM request PIMID.
func Tenant(now time.Time) *sim.Tenant {
	users := []sim.User{
		{ID: Me, DisplayName: "Megan Hostile", UserPrincipalName: MeUPN},
		{ID: Evil, DisplayName: Long("Mallory"), UserPrincipalName: Text("upn") + "@evil.test", Mail: Text("mail"),
			GivenName: Text("given"), Surname: Text("sur"), JobTitle: Text("job"), Department: Text("dept")},
		{ID: Other, DisplayName: Text("Other"), UserPrincipalName: "other@hostile.test", Mail: Text("othermail")},
	}
	stage := func(id string, approvers []string, status, result string) sim.Stage {
		return sim.Stage{ID: id, DisplayName: Text("stage"), Approvers: approvers, Status: status, ReviewResult: result,
			StartedDateTime: now.Add(-2 * time.Hour)}
	}
	first := stage("em-hostile-s1", []string{Evil}, sim.StatusCompleted, sim.ResultApproved)
	first.ReviewedBy, first.ReviewedDateTime, first.Justification = Evil, now.Add(-time.Hour), Long("theirwhy")
	second := stage(EMStage, []string{Me, Other}, sim.StatusInProgress, sim.ResultNotReviewed)
	second.StartedDateTime = now.Add(-time.Hour)
	policy := sim.Policy{Stages: []sim.StagePolicy{{DisplayName: Text("p1"), Approvers: []string{Evil}}, {DisplayName: Text("p2"), Approvers: []string{Me, Other}}}}
	return &sim.Tenant{
		Version:   sim.TenantVersion,
		Approvers: []string{Me, Other, Evil},
		Users:     users,
		Catalogs: []sim.Catalog{{ID: "cat-hostile", DisplayName: Long("Catalog"), Description: Text("catdesc"),
			CatalogType: "userManaged", State: "published", CreatedDateTime: now, ModifiedDateTime: now}},
		AccessPackages: []sim.AccessPackage{{ID: "ap-hostile", CatalogID: "cat-hostile", DisplayName: Long("Package"),
			Description: Long("pkgdesc"), CreatedDateTime: now, ModifiedDateTime: now, Policy: policy,
			Questions: []sim.Question{
				{ID: "q1", Kind: "text", Text: Text("question"), Sequence: 1},
				{ID: "q2", Kind: "multipleChoice", Text: Text("choose"), Sequence: 2,
					Choices: []sim.Choice{{ActualValue: "a", Text: Text("choice")}}},
			}}},
		Groups: []sim.Group{{ID: "grp-hostile", DisplayName: Long("Group"), Description: Text("grpdesc"), Mail: Text("grpmail"),
			MemberPolicy: sim.Policy{Stages: []sim.StagePolicy{{DisplayName: Text("gp"), Approvers: []string{Me, Other}}}},
			OwnerPolicy:  sim.Policy{Stages: []sim.StagePolicy{{DisplayName: Text("gp"), Approvers: []string{Me, Other}}}}}},
		AccessPackageRequests: []*sim.AccessPackageRequest{{ID: EMID, AccessPackageID: "ap-hostile", RequestorID: Evil, TargetID: Other,
			AssignmentID: "as-hostile", RequestType: Text("type"), State: sim.StatePendingApproval, Status: Text("status"),
			Justification: Long("why") + "\n" + Text("line2"), CreatedDateTime: now.Add(-3 * time.Hour),
			Schedule: sim.Schedule{StartDateTime: now, ExpirationType: Text("exp")},
			Answers:  []sim.Answer{{QuestionID: "q1", Value: Long("answer")}, {QuestionID: "q2", Value: "a", DisplayValue: Text("shown")}},
			Stages:   []sim.Stage{first, second}}},
		GroupRequests: []*sim.GroupRequest{{ID: PIMID, GroupID: "grp-hostile", PrincipalID: Evil, CreatedByID: Other,
			AccessID: "member", Action: Text("action"), Status: sim.PIMPendingApproval, Justification: Long("pimwhy"),
			CreatedDateTime: now.Add(-2 * time.Hour), TicketNumber: Text("ticket"), TicketSystem: Text("system"),
			ScheduleInfo: sim.Schedule{StartDateTime: now, ExpirationType: "afterDuration", Duration: "PT8H"},
			Stages:       []sim.Stage{stage(PIMID, []string{Me, Other}, sim.StatusInProgress, sim.ResultNotReviewed)}}},
	}
}

// ErrorBody is a Graph error whose code, message and request id are
// hostile, for a server that attacks through its error messages.
func ErrorBody() string {
	return `{"error":{"code":` + jsonString(Text("code")) + `,"message":` + jsonString(Long("message")) +
		`,"innerError":{"request-id":` + jsonString(Text("rid")) + `,"date":"2026-01-02T03:04:05"}}}`
}

// jsonString quotes s as a JSON string, escaping every control character
// but passing everything else (invalid UTF-8 included) through as bytes,
// as a careless server would.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// CheckText lists what in s would reach a terminal unsafely, for output
// that must be plain text (the command line's text and JSON): any escape
// or control character other than a line break, C1 controls, bidi and
// invisible format characters, invalid UTF-8, or an attack's marker.
func CheckText(s string) []string {
	var problems []string
	if !utf8.ValidString(s) {
		problems = append(problems, "invalid UTF-8")
	}
	for _, m := range Markers {
		if strings.Contains(s, m) {
			problems = append(problems, fmt.Sprintf("marker %q", m))
		}
	}
	for i, r := range s {
		if why := unsafeRune(r); why != "" {
			problems = append(problems, fmt.Sprintf("%s %U at byte %d: %q", why, r, i, around(s, i)))
			break
		}
	}
	rs := []rune(s)
	for i := range rs {
		if zwjProblem(rs, i) {
			problems = append(problems, fmt.Sprintf("zero width joiner outside an emoji sequence: %q", string(rs[max(0, i-5):min(len(rs), i+5)])))
			break
		}
	}
	return problems
}

// CheckTerminal lists what in a TUI's raw output is unsafe: the checks of
// CheckText on the text between escape sequences, and escape sequences
// other than those a renderer writes (SGR, cursor movement, erasing,
// modes, the window title, and the queries Bubble Tea makes).
func CheckTerminal(raw []byte) []string {
	var problems []string
	if !utf8.Valid(raw) {
		problems = append(problems, "invalid UTF-8")
	}
	for _, m := range Markers {
		if strings.Contains(string(raw), m) {
			problems = append(problems, fmt.Sprintf("marker %q", m))
		}
	}
	var state byte
	for b := raw; len(b) > 0; {
		seq, _, n, next := ansi.DecodeSequence(b, state, nil)
		state = next
		if why := unsafeSequence(seq); why != "" {
			problems = append(problems, fmt.Sprintf("%s: %q", why, seq))
			if len(problems) > 10 {
				break
			}
		}
		b = b[n:]
	}
	return problems
}

// unsafeSequence says why one decoded token is not something a renderer
// writes, or "".
func unsafeSequence(seq []byte) string {
	if len(seq) == 0 {
		return ""
	}
	c := seq[0]
	switch {
	case c == 0x1b && len(seq) >= 2:
		return unsafeEscape(seq)
	case c == '\r' || c == '\n':
		return ""
	case c < 0x20 || c == 0x7f:
		return "control character"
	}
	rs := []rune(string(seq)) // one grapheme cluster
	for i, r := range rs {
		if why := unsafeRune(r); why != "" {
			return why
		}
		if zwjProblem(rs, i) {
			return "zero width joiner outside an emoji sequence"
		}
	}
	return ""
}

func unsafeEscape(seq []byte) string {
	switch seq[1] {
	case '[':
		final := seq[len(seq)-1]
		// SGR, cursor moves, erase, insert/delete, scroll, modes, repeat,
		// and the queries and keyboard modes Bubble Tea itself sends.
		if strings.IndexByte("mABCDEFGHJKLMPSTXZ@dfrhlbnpqcu", final) < 0 {
			return "CSI sequence a renderer does not write"
		}
		return ""
	case ']':
		body := string(seq[2:])
		num, _, _ := strings.Cut(body, ";")
		switch num {
		case "0", "2": // the window title: must itself be clean
			title := strings.TrimRight(strings.TrimPrefix(body, num+";"), "\a\x1b\\")
			if CheckText(title) != nil {
				return "window title with unsafe text"
			}
			return ""
		case "10", "11", "12": // colour queries
			return ""
		}
		return "OSC " + num
	case 'P', '_', '^', 'X':
		return "DCS/APC/PM/SOS string"
	case '7', '8', '=', '>', 'M', 'D', 'E', 'c', '\\':
		return ""
	}
	return "escape sequence a renderer does not write"
}

// unsafeRune reports C0/C1 controls but the line break, and bidi or
// invisible format characters.
func unsafeRune(r rune) string {
	switch {
	case r == '\n':
		return ""
	case r < 0x20 || r == 0x7f:
		return "control character"
	case r >= 0x80 && r <= 0x9f:
		return "C1 control"
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c,
		r == 0xfeff, r == 0x00ad, r >= 0x2060 && r <= 0x2064, r >= 0xfff9 && r <= 0xfffb:
		return "bidi or invisible format character"
	case r == utf8.RuneError:
		return "" // what invalid input becomes: harmless
	case r == 0x200d: // judged with its neighbours (see zwjProblem)
		return ""
	case unicode.Is(unicode.Cf, r) && r != 0x200c:
		return "invisible format character" // tags, U+180E, zero width space, ...
	case unicode.Is(unicode.Co, r), r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
		return "private-use or noncharacter (terminals disagree on its width)"
	case r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0:
		return "Hangul filler"
	}
	return ""
}

// zwjProblem reports a zero width joiner that is not between two
// pictographs (an emoji sequence), at rune index i of rs.
func zwjProblem(rs []rune, i int) bool {
	pict := func(r rune) bool {
		return r >= 0x2000 && unicode.Is(unicode.So, r) || r == 0xfe0f || r >= 0x1f3fb && r <= 0x1f3ff
	}
	return rs[i] == 0x200d && (i == 0 || i == len(rs)-1 || !pict(rs[i-1]) || !pict(rs[i+1]))
}

func around(s string, i int) string {
	return s[max(0, i-20):min(len(s), i+20)]
}

// CheckJSON is CheckText for JSON output, which keeps server values
// exactly: an attack's payload may be there as data, but nothing a
// terminal acts on (escape and control characters are written as \u
// escapes). It also checks that s is JSON.
func CheckJSON(s string) []string {
	var problems []string
	if !json.Valid([]byte(s)) {
		problems = append(problems, "not valid JSON")
	}
	if !utf8.ValidString(s) {
		problems = append(problems, "invalid UTF-8")
	}
	for i, r := range s {
		if why := unsafeRune(r); why != "" {
			problems = append(problems, fmt.Sprintf("%s %U at byte %d: %q", why, r, i, around(s, i)))
			break
		}
	}
	rs := []rune(s)
	for i := range rs {
		if zwjProblem(rs, i) {
			problems = append(problems, fmt.Sprintf("zero width joiner outside an emoji sequence: %q", string(rs[max(0, i-5):min(len(rs), i+5)])))
			break
		}
	}
	return problems
}
