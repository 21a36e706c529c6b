package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/journal"
)

// approvals serve writes one journal for all its sessions; history --user
// shows one approver's decisions, with the key and address they came from.
func TestHistoryFiltersByUser(t *testing.T) {
	w := newWorld(t)
	path := filepath.Join(w.home, "state", "approvals", "journal.jsonl")
	for i, who := range []string{"megan@contoso.com", "adele@contoso.com", "Megan@Contoso.com"} {
		j, err := journal.Open(path, journal.Options{User: who, Key: "SHA256:key" + who[:1], Remote: "192.0.2.1:4000", Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		req := graph.DecisionRequest{Ref: graph.Ref{Source: graph.SourceAccessPackage, ID: "req-" + string(rune('a'+i))}, StageID: "s", Decision: graph.Approve, Justification: "ok"}
		if err := j.Attempt(req, 1); err != nil {
			t.Fatal(err)
		}
		j.Outcome(graph.DecisionResult{Request: req, Outcome: graph.OutcomeApproved, Attempts: 1})
		j.Close()
	}
	r := w.run("", "history", "--user", "megan@contoso.com", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc historyDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range doc.Entries {
		ids = append(ids, e.ID)
		if e.Key != "SHA256:keym" && e.Key != "SHA256:keyM" || e.Remote != "192.0.2.1:4000" {
			t.Errorf("entry %+v", e)
		}
	}
	if strings.Join(ids, ",") != "accessPackage:req-a,accessPackage:req-c" {
		t.Errorf("entries %v, want megan's two", ids)
	}
	if r := w.run("", "history", "--user", "nobody@contoso.com"); r.code != 0 || !strings.Contains(r.stdout, "No decisions recorded for nobody@contoso.com.") {
		t.Errorf("another user: exit %d %q", r.code, r.stdout)
	}
}
