package cli

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"approvals/graph/sim"
)

// azureWorld is the CLI world's tenant plus the Azure demo requests,
// with the Azure Resource Manager root set (APPROVALS_ARM_URL).
func azureWorld(t *testing.T) *world {
	t.Helper()
	tn := tenant()
	sim.AddAzureDemo(tn, now)
	srv := sim.New(sim.Options{Seed: 1, Tenant: tn, Clock: func() time.Time { return now }})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	t.Cleanup(srv.Close)
	home := t.TempDir()
	return &world{t: t, sim: srv, url: hs.URL, home: home, env: map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "config"), "XDG_STATE_HOME": filepath.Join(home, "state"),
		"XDG_CACHE_HOME": filepath.Join(home, "cache"), "APPROVALS_AUTH": "token", "APPROVALS_TOKEN": canary,
		"APPROVALS_GRAPH_URL": hs.URL, "APPROVALS_ARM_URL": hs.URL + sim.ARMPrefix,
	}}
}

func TestCLIAzureListShowApproveDenyHistory(t *testing.T) {
	w := azureWorld(t)
	const owner = "azure:a2e0c5d1-0000-4000-8000-000000000001"
	const contrib = "azure:a2e0c5d1-0000-4000-8000-000000000002"

	r := w.run("", "list")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Owner · prod-subscription / rg-web") || !strings.Contains(r.stdout, owner) ||
		!strings.Contains(r.stdout, "azure ") || !strings.Contains(r.stdout, "Contributor · prod-subscription") {
		t.Fatalf("list: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var doc struct {
		Approvals []struct {
			ID, Source, Kind string
			Resource         struct {
				DisplayName string `json:"display_name"`
				ScopeName   string `json:"scope_name"`
			}
		}
	}
	if r = w.run("", "list", "--json"); r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &doc) != nil {
		t.Fatalf("list --json: %d %s %s", r.code, r.stdout, r.stderr)
	}
	found := false
	for _, it := range doc.Approvals {
		if it.ID == owner {
			found = true
			if it.Source != "azure" || it.Kind != "azureRole" || it.Resource.DisplayName != "Owner" || it.Resource.ScopeName != "prod-subscription / rg-web" {
				t.Errorf("json item: %+v", it)
			}
		}
	}
	if !found {
		t.Fatalf("no %s in --json: %s", owner, r.stdout)
	}

	r = w.run("", "show", owner)
	for _, want := range []string{"Role", "Owner", "Scope", "prod-subscription / rg-web", "/resourceGroups/rg-web", "For",
		"CHG0042137", "Hotfix deployment", "for 4h", "Deadline"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "estimated") {
		t.Errorf("an Azure deadline is exact:\n%s", r.stdout)
	}

	if r = w.run("", "approve", owner, "-j", "ok for the hotfix"); r.code != ExitOK {
		t.Fatalf("approve: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r = w.run("", "deny", contrib, "-j", "use the runbook"); r.code != ExitOK {
		t.Fatalf("deny: %d %s %s", r.code, r.stdout, r.stderr)
	}
	ss, _ := w.sim.StageState("a2e0c5d1-0000-4000-8000-000000000001", "b7a1d2c3-0000-4000-8000-000000000001")
	if ss.ReviewResult != sim.ResultApproved || ss.PatchesApplied != 1 {
		t.Fatalf("sim: %+v", ss)
	}
	r = w.run("", "history")
	if r.code != ExitOK || !strings.Contains(r.stdout, owner) || !strings.Contains(r.stdout, contrib) {
		t.Fatalf("history: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// the list no longer has them
	if r = w.run("", "list"); strings.Contains(r.stdout, owner) {
		t.Fatalf("still listed:\n%s", r.stdout)
	}
}

func TestCLIAzureRefusedSaysOnceAndListsTheRest(t *testing.T) {
	w := azureWorld(t)
	w.sim.SetARMTokensRefused(true)
	r := w.run("", "list")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Sales Team Access") || strings.Contains(r.stdout, "azure:") {
		t.Fatalf("list: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if n := strings.Count(r.stdout+r.stderr, "user_impersonation"); n != 1 {
		t.Fatalf("the fix is said %d times:\n%s\n%s", n, r.stdout, r.stderr)
	}
}
