package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"approvals/graph"
	"approvals/graph/sim"
)

// A justification that cannot be sent as given is a usage error (exit 2)
// found before anything is sent: blank where one is required, or longer
// than graph.MaxJustification (1000 characters), typed or piped.
func TestJustificationBoundsAreUsageErrors(t *testing.T) {
	w := newWorld(t)
	tooLong := strings.Repeat("é", graph.MaxJustification+1)
	for name, c := range map[string]struct {
		stdin string
		args  []string
		want  string
	}{
		"blank deny":     {"", []string{"deny", "group:" + reqGroup, "-j", " \t "}, "deny needs --justification TEXT"},
		"blank on stdin": {"  \n\n", []string{"deny", "group:" + reqGroup, "-j", "-"}, "deny needs --justification TEXT"},
		"too long":       {"", []string{"approve", "group:" + reqGroup, "-j", tooLong}, "the justification is 1001 characters; at most 1000 are sent"},
		"too long piped": {tooLong + "\n", []string{"deny", "group:" + reqGroup, "-j", "-", "--json"}, "the justification is 1001 characters"},
	} {
		r := w.run(c.stdin, c.args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", name, r.code, r.stdout, r.stderr, c.want)
		}
	}
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.PatchAttempts != 0 {
		t.Fatalf("a refused justification was sent: %+v", st)
	}
	if _, err := os.Stat(filepath.Join(w.home, "state", "approvals", "journal.jsonl")); err == nil {
		b, _ := os.ReadFile(filepath.Join(w.home, "state", "approvals", "journal.jsonl"))
		if len(b) > 0 {
			t.Fatalf("a refused decision was journaled:\n%s", b)
		}
	}
	exactly := strings.Repeat("é", graph.MaxJustification)
	if r := w.run("", "approve", "group:"+reqGroup, "-j", exactly); r.code != ExitOK {
		t.Fatalf("exactly %d characters: exit %d %s", graph.MaxJustification, r.code, r.stderr)
	}
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.Justification != exactly {
		t.Fatal("the justification was not sent exactly")
	}
}

// A decision Graph refuses for now is reported, exits 3, and its
// justification stays in the journal; the retry goes through.
func TestFailedDecisionKeepsItsJustificationInTheJournal(t *testing.T) {
	w := newWorld(t)
	const why = "Checked INC-1042 — ok ✓"
	w.sim.AddFault(sim.Fault{Kind: sim.FaultThrottle, Op: sim.OpPatchStage, RetryAfter: "600"})
	r := w.run("", "approve", "group:"+reqGroup, "--json", "-j", why)
	var doc decideDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != ExitPartial || len(doc.Results) != 1 || doc.Results[0].Outcome != "failed" {
		t.Fatalf("exit %d: %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.ReviewResult != sim.ResultNotReviewed {
		t.Fatalf("reported failed, yet the stage is %+v", st)
	}
	h := w.run("", "history", "--json")
	var hist struct {
		Entries []struct {
			Outcome, Justification string
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(h.stdout), &hist); err != nil || len(hist.Entries) != 1 ||
		hist.Entries[0].Outcome != "failed" || hist.Entries[0].Justification != why {
		t.Fatalf("history: %v\n%s", err, h.stdout)
	}
	w.sim.ClearFaults()
	if r := w.run("", "approve", "group:"+reqGroup, "-j", why); r.code != ExitOK {
		t.Fatalf("retry: exit %d %s", r.code, r.stderr)
	}
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.ReviewedBy != meID || st.Justification != why || st.PatchesApplied != 1 {
		t.Fatalf("after the retry: %+v", st)
	}
}

// The journal holds justifications: a state folder other users can read
// is refused, with the fix, before anything is sent.
func TestOpenStateFolderIsRefused(t *testing.T) {
	w := newWorld(t)
	dir := filepath.Join(w.home, "state", "approvals")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := w.run("", "approve", "group:"+reqGroup, "-j", "ok")
	if r.code != ExitError || !strings.Contains(r.stderr, "is open to other users (mode 0755); run: chmod 700 ") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.PatchAttempts != 0 {
		t.Fatalf("a decision went out without a journal: %+v", st)
	}
	if _, err := os.Stat(filepath.Join(dir, "journal.jsonl")); err == nil {
		t.Fatal("the journal was written into an open folder")
	}
}

// An outcome the journal could not record while the inbox ran (disk full,
// say) is not silent: the inbox owns the terminal, so it is said after.
func TestInboxSaysWhenTheJournalMissedAnOutcome(t *testing.T) {
	w := newWorld(t)
	stderr := new(strings.Builder)
	root := &cobra.Command{Use: "approvals"}
	Attach(root, wired(Setup{
		Stdout: new(strings.Builder), Stderr: stderr,
		Getenv: func(k string) string { return w.env[k] },
		Inbox: func(ctx context.Context, s *Session) error {
			s.Journal.Close() // as if the disk went away
			s.Journal.Outcome(graph.DecisionResult{Request: graph.DecisionRequest{Ref: graph.Ref{Source: graph.SourceGroup, ID: reqGroup}},
				Outcome: graph.OutcomeApproved})
			return nil
		},
	}, swapToken{identity: meID}, nil))
	root.SetArgs([]string{})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "approvals: warning: the journal could not record every outcome") {
		t.Fatalf("stderr %q", stderr.String())
	}
}

// Running the same decision again (a script retrying after an unknown
// outcome, say) finds it already in place: applied, nothing sent, exit 0.
// The other decision on that stage is refused as already decided by you.
func TestDecidingAgainIsIdempotent(t *testing.T) {
	w := newWorld(t)
	if r := w.run("", "approve", "group:"+reqGroup, "-j", "Deploy approved"); r.code != ExitOK {
		t.Fatalf("first approve: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := w.run("", "approve", "group:"+reqGroup, "--json", "-j", "Deploy approved")
	if r.code != ExitOK || !strings.Contains(r.stdout, `"outcome": "approved"`) || !strings.Contains(r.stdout, `"attempts": 0`) {
		t.Fatalf("approving again: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.PatchAttempts != 1 {
		t.Fatalf("%d PATCHes reached the stage; the second run must send none", st.PatchAttempts)
	}
	r = w.run("", "approve", "group:"+reqGroup, "-j", "Deploy approved")
	if !strings.Contains(r.stdout, "you had already decided it so; nothing sent") {
		t.Fatalf("text output does not say so:\n%s", r.stdout)
	}
	if r := w.run("", "deny", "group:"+reqGroup, "-j", "changed my mind"); r.code != ExitPartial || !strings.Contains(r.stdout, "approved by Megan Bowen (you)") {
		t.Fatalf("deny after approve: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
