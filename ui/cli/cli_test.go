package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/journal"
	"approvals/graph/sim"
	"approvals/ui/sanitize"
)

// TestCLIGolden runs the commands in order against one simulated tenant
// (later steps see earlier decisions) and compares each transcript with
// testdata/TestCLIGolden/<step>.golden. Regenerate with -update.
func TestCLIGolden(t *testing.T) {
	w := newWorld(t)
	step := w.goldenStep(t)
	ap := func(id string) string { return "accessPackage:" + id }

	step("01-list", "", "list")
	// On a terminal the list fits: at 100 columns names shrink, at 80
	// columns some go. IDs stay whole.
	for _, cols := range []int{100, 80} {
		w.width = cols
		r := step(fmt.Sprintf("01-list-%d-columns", cols), "", "list")
		for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			if sanitize.Width(l) > cols {
				t.Errorf("%d columns: %d-column line %q", cols, sanitize.Width(l), l)
			}
		}
		for _, id := range []string{reqSales, reqFin, reqEvil, reqLee, reqGroup} {
			if !strings.Contains(r.stdout, ":"+id+"\n") {
				t.Errorf("%d columns: %s is not whole:\n%s", cols, id, r.stdout)
			}
		}
	}
	w.width = 0
	r := step("02-list-json", "", "list", "--json")
	var doc listDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Version != 1 || len(doc.Approvals) != 5 {
		t.Fatalf("list --json: %v, %+v", err, doc)
	}
	step("03-show", "", "show", ap(reqSales))
	step("04-show-hostile-text", "", "show", ap(reqEvil))
	step("05-show-bare-id-json", "", "show", reqEvil, "--json")
	step("06-show-group", "", "show", reqGroup)

	step("07-approve", "", "approve", ap(reqSales), "--justification", "Checked with Adele's manager")
	if st, _ := w.sim.StageState(reqSales, "s2"); st.ReviewResult != sim.ResultApproved || st.ReviewedBy != meID ||
		st.Justification != "Checked with Adele's manager" || st.PatchesApplied != 1 {
		t.Errorf("after approve the stage is %+v", st)
	}

	// Another approver gets to Finance first; Lee withdraws a request.
	if err := w.sim.DecideAs(alexID, reqFin, "f1", "Deny", "Not in this quarter's budget"); err != nil {
		t.Fatal(err)
	}
	if err := w.sim.Cancel(reqLee); err != nil {
		t.Fatal(err)
	}
	r = step("08-approve-partial", "", "approve", reqFin, ap(reqLee), "group:"+reqGroup, "50000000-0000-4000-8000-0000000000ff", "-j", "Quarterly access review")
	if r.code != ExitPartial {
		t.Errorf("partial bulk: exit %d", r.code)
	}
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.ReviewResult != sim.ResultApproved || st.PatchAttempts != 1 {
		t.Errorf("group stage %+v", st)
	}
	if st, _ := w.sim.StageState(reqFin, "f1"); st.ReviewedBy != alexID || st.PatchAttempts != 0 {
		t.Errorf("finance stage %+v: nothing may be sent for an already decided stage", st)
	}

	r = step("09-deny-json-partial", "Requestor unknown.\nName contains control characters.\n", "deny", ap(reqEvil), ap(reqSales), "--json", "--justification", "-")
	var dd decideDoc
	if err := json.Unmarshal([]byte(r.stdout), &dd); err != nil || dd.Applied != 1 || dd.NotApplied != 1 || r.code != ExitPartial {
		t.Errorf("deny --json: %v %+v exit %d", err, dd, r.code)
	}
	if st, _ := w.sim.StageState(reqEvil, "e1"); st.ReviewResult != sim.ResultDenied ||
		st.Justification != "Requestor unknown.\nName contains control characters." {
		t.Errorf("evil stage %+v", st)
	}

	step("10-history", "", "history")
	step("11-history-json", "", "history", "--json")

	// A crash right after an attempt was recorded, then a torn line.
	j, err := journal.Open(filepath.Join(w.home, "state", "approvals", "journal.jsonl"), journal.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Attempt(graph.DecisionRequest{Ref: graph.Ref{Source: graph.SourceAccessPackage, ID: reqLee}, StageID: "l1",
		Decision: graph.Approve, Justification: "Crashed mid-way"}, 1); err != nil {
		t.Fatal(err)
	}
	j.Close()
	f, _ := os.OpenFile(filepath.Join(w.home, "state", "approvals", "journal.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"v":1,"time":"2026-03-02T10:00:00Z","type":"outco`)
	f.Close()
	step("12-history-unresolved", "", "history", "--limit", "2")

	journalText, _ := os.ReadFile(filepath.Join(w.home, "state", "approvals", "journal.jsonl"))
	if strings.Contains(string(journalText), canary) {
		t.Error("the journal contains the token")
	}
}
