package hostile

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"approvals/graph/sim"
	"approvals/ui/sanitize"
)

func TestTenantIsValid(t *testing.T) {
	if err := Tenant(time.Now()).Validate(); err != nil {
		t.Fatal(err)
	}
}

// The checks must catch the attacks (or they prove nothing) and pass what
// the sanitizer makes of them.
func TestChecksCatchTheAttacksAndPassSanitizedText(t *testing.T) {
	raw := Text("x")
	if len(CheckText(raw)) == 0 || len(CheckTerminal([]byte(raw))) == 0 {
		t.Fatal("the raw attack passes the checks")
	}
	for _, attack := range []string{"\x1b]52;c;aGk=\a", "\x1b[6n", "\u202e", "a\bb", "\x1bPq\x1b\\", "\u009b1m", "\x1b]8;;x\x1b\\"} {
		if len(CheckTerminal([]byte("ok "+attack))) == 0 {
			t.Errorf("CheckTerminal passes %q", attack)
		}
		if len(CheckText("ok "+attack)) == 0 {
			t.Errorf("CheckText passes %q", attack)
		}
	}
	clean := sanitize.Text(Long("x"))
	if p := CheckText(clean); p != nil {
		t.Fatalf("sanitized text fails: %v", p)
	}
	// What a renderer writes around it passes.
	frame := "\x1b[?1049h\x1b[H\x1b[2J\x1b]2;approvals (2)\a\x1b[38;5;12m" + sanitize.Line(Text("y")) + "\x1b[m\r\n\x1b[3;4H\x1b[K\x1b[?25l"
	if p := CheckTerminal([]byte(frame)); p != nil {
		t.Fatalf("a renderer's frame fails: %v", p)
	}
	if p := CheckTerminal([]byte("\x1b]2;" + Text("t") + "\a")); p == nil || !strings.Contains(strings.Join(p, " "), "title") && !strings.Contains(strings.Join(p, " "), "marker") {
		t.Fatalf("a hostile window title passes: %v", p)
	}
}

// The tenant travels as a tenant file too (approvals sim --data FILE), so
// it can be served to any client by hand.
func TestTenantFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hostile.json")
	if err := sim.WriteTenantFile(path, Tenant(time.Now().UTC())); err != nil {
		t.Fatal(err)
	}
	back, err := sim.ReadTenantFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.AccessPackageRequests[0].Stages[0].Justification; !strings.Contains(got, "PWNED-TITLE") || !strings.Contains(got, "\x1b") {
		t.Fatalf("the attacks did not survive the file: %q", got[:80])
	}
}
