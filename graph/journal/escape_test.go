package journal

import (
	"encoding/json"
	"strings"
	"testing"

	"approvals/graph"
)

// A name from the server is printed safely by cat or tail, and reads back
// exactly.
func TestHostileTextIsEscapedInTheFile(t *testing.T) {
	j, path := openTemp(t)
	name := "Mallory\x1b]0;PWNED\a\u202eevil\u202c\u009b31m\u2066x\u2069\x7f 漢字 😀"
	req := request("h")
	req.Justification = "mine\nsecond line \u200f"
	j.Outcome(graph.DecisionResult{Request: req, Outcome: graph.OutcomeAlreadyDecided, DecidedBy: graph.Identity{ID: "u-evil", DisplayName: name}})
	raw := readFile(t, path)
	for _, r := range raw {
		if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200f {
			t.Fatalf("the file holds %U: %q", r, raw)
		}
	}
	if !strings.Contains(raw, "漢字 😀") {
		t.Fatalf("printable text was escaped too: %s", raw)
	}
	log, err := Read(path)
	if err != nil || len(log.Records) != 1 || log.Records[0].DecidedBy != name || log.Records[0].Justification != req.Justification {
		t.Fatalf("read back %+v, %v", log.Records, err)
	}
}

func TestEscapeJSON(t *testing.T) {
	for in, want := range map[string]string{
		`"plain é 😀"`:          `"plain é 😀"`,
		"\"a\u202eb\"":         `"a\u202eb"`,
		"\"c1\u009bx\"":        `"c1\u009bx"`,
		"\"del\x7f\"":          `"del\u007f"`,
		"\"ls\u2028ps\u2029\"": `"ls\u2028ps\u2029"`,
		"\"tag\U000E0041\"":    `"tag\udb40\udc41"`,
		"\"zwj\u200d\"":        `"zwj\u200d"`,
	} {
		got := string(EscapeJSON([]byte(in)))
		if got != want {
			t.Errorf("EscapeJSON(%q) = %q, want %q", in, got, want)
		}
		var a, b string
		if json.Unmarshal([]byte(in), &a) != nil || json.Unmarshal([]byte(got), &b) != nil || a != b {
			t.Errorf("%q: the escaped JSON must decode to the same value", in)
		}
	}
}
