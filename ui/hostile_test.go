package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"approvals/graph"
)

// hostile packs every trick a server could play into one string.
func hostile(tag string) string {
	return tag + "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\" +
		"\u009b31m\a\b\b\u202eevil\u202c\xff\xfe 😀👍🏽 漢字かな 👨‍👩‍👧 e\u0301 "
}

func hostileApproval() graph.Approval {
	long := strings.Repeat("Ω", 100*1024/2) // 100 KB
	subject := graph.Subject{ID: hostile("id"), DisplayName: hostile("Name") + long, Email: hostile("mail"), PrincipalName: hostile("upn")}
	return graph.Approval{
		Ref: graph.Ref{Source: graph.SourceAccessPackage, ID: "evil-1"}, RequestID: hostile("req"),
		Kind: graph.Kind(hostile("kind")), Requestor: subject, Target: graph.Subject{ID: "other", DisplayName: hostile("Target")},
		Resource:    graph.Resource{ID: hostile("res"), DisplayName: hostile("Package") + long, Description: hostile("desc"), CatalogName: hostile("cat")},
		RequestType: hostile("type"), RequestState: hostile("state"), Justification: hostile("why") + "\n" + hostile("line2"),
		Answers:      []graph.Answer{{Question: hostile("q"), Value: hostile("a")}},
		Schedule:     graph.Schedule{Start: t0, ExpirationType: hostile("exp"), Duration: hostile("dur")},
		TicketNumber: hostile("ticket"), Created: t0.Add(-time.Hour),
		Stages: []graph.Stage{
			{ID: "s1", DisplayName: hostile("stage"), Status: graph.StageStatus(hostile("status")), Result: graph.ReviewResult(hostile("result")),
				ReviewedBy: graph.Identity{DisplayName: hostile("reviewer")}, ReviewedAt: t0, Justification: hostile("their why")},
			{ID: "s2", DisplayName: hostile("mine"), AssignedToMe: true, Status: graph.StageInProgress},
		},
		Deadline: t0.Add(2 * time.Hour), Problem: hostile("problem"),
	}
}

var onlySGR = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// assertSafe fails when anything but our own SGR styling, text and line
// breaks reaches the terminal.
func assertSafe(t *testing.T, view string) {
	t.Helper()
	rest := onlySGR.ReplaceAllString(view, "")
	if i := strings.IndexByte(rest, 0x1b); i >= 0 {
		t.Fatalf("an escape sequence got through: %q", rest[max(0, i-10):min(len(rest), i+20)])
	}
	if !utf8.ValidString(view) {
		t.Fatal("invalid UTF-8 reached the terminal")
	}
	for _, r := range rest {
		switch {
		case r == '\n':
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
			t.Fatalf("control character %U got through", r)
		case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
			t.Fatalf("bidi control %U got through", r)
		}
	}
}

func TestHostileApprovalRendersSafely(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{120, 40}, {200, 50}, {80, 24}} {
		w, h := size[0], size[1]
		m, _, clk := newLoaded(t, w, h)
		s := sampleSnapshot()
		s.Approvals = append(s.Approvals, hostileApproval())
		s.Warnings = []string{hostile("warning")}
		s.Errors = []graph.SourceError{{Source: graph.Source(hostile("src")), Err: &graph.Error{StatusCode: 500, Message: hostile("msg"), Code: hostile("code"), RequestID: hostile("rid")}}}
		load(m, s)
		press(m, "s", "s", "s") // by requestor: the hostile one is among the rows
		for i, it := range m.inbox.view {
			if it.a.ID == "evil-1" {
				m.inbox.moveTo(i)
				m.selectionChanged()
			}
		}
		views := map[string]string{"list": m.View().Content}
		press(m, "enter")
		views["detail"] = m.View().Content
		press(m, "J", "J", "J")
		views["scrolled"] = m.View().Content
		press(m, "esc", "d")
		clk.Advance(time.Second)
		views["form"] = m.View().Content
		for name, v := range views {
			assertSafe(t, v)
			lines := strings.Split(v, "\n")
			if len(lines) != h {
				t.Errorf("%dx%d %s: %d lines", w, h, name, len(lines))
			}
			for i, l := range lines {
				if lw := ansi.StringWidth(l); lw > w {
					t.Errorf("%dx%d %s: line %d is %d wide", w, h, name, i, lw)
				}
			}
			if name == "list" && m.layout.wide {
				for i := 1; i <= m.layout.bodyH; i++ {
					if c := ansi.Strip(ansi.Cut(lines[i], m.layout.listW, m.layout.listW+1)); c != "│" {
						t.Errorf("%dx%d: row %d is misaligned: divider is %q", w, h, i, c)
					}
				}
			}
		}
		if !strings.Contains(ansi.Strip(views["list"]), "Target") { // the beneficiary names the row
			t.Error("the hostile row is not shown at all")
		}
	}
}
