package journal

import (
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
