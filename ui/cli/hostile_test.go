package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"approvals/graph/sim"
	"approvals/graph/sim/hostile"
)

// hostileErrors answers, once armed, every PATCH with a Graph error whose
// code, message and request id are hostile.
type hostileErrors struct {
	next  http.Handler
	armed atomic.Bool
}

func (h *hostileErrors) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.armed.Load() && r.Method == http.MethodPatch {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, hostile.ErrorBody())
		return
	}
	h.next.ServeHTTP(w, r)
}

// The hostile tenant through every command, text and JSON: what reaches
// the terminal is safe, JSON keeps the values exact, nothing panics.
func TestHostileTenantThroughEveryCommand(t *testing.T) {
	tenant := hostile.Tenant(now)
	srv := sim.New(sim.Options{Seed: 1, Tenant: tenant, Clock: func() time.Time { return now }})
	errs := &hostileErrors{next: srv}
	hs := httptest.NewServer(errs)
	t.Cleanup(func() { srv.Close(); hs.Close() })
	home := t.TempDir()
	w := &world{t: t, sim: srv, url: hs.URL, home: home, identity: hostile.Me, env: map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "config"), "XDG_STATE_HOME": filepath.Join(home, "state"),
		"XDG_CACHE_HOME": filepath.Join(home, "cache"), "APPROVALS_AUTH": "token", "APPROVALS_TOKEN": canary,
		"APPROVALS_GRAPH_URL": hs.URL,
	}}
	em, pim := "accessPackage:"+hostile.EMID, "group:"+hostile.PIMID
	check := func(r runResult) runResult {
		t.Helper()
		out := hostile.CheckText(r.stdout)
		if slices.Contains(r.args, "--json") {
			out = hostile.CheckJSON(r.stdout)
		}
		for _, p := range out {
			t.Errorf("approvals %s: stdout: %s", strings.Join(r.args, " "), p)
		}
		for _, p := range hostile.CheckText(r.stderr) {
			t.Errorf("approvals %s: stderr: %s", strings.Join(r.args, " "), p)
		}
		return r
	}

	for _, args := range [][]string{{"list"}, {"show", em}, {"show", pim}, {"show", hostile.EMID}} {
		if r := check(w.run("", args...)); r.code != ExitOK || !strings.Contains(r.stdout, "Mallory") {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}

	// JSON is as safe to print, and keeps the values exactly as served.
	r := check(w.run("", "show", em, "--json"))
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("show --json is not JSON: %v", err)
	}
	served := asServed(t, tenant.AccessPackageRequests[0].Justification)
	if !strings.Contains(r.stdout, `"justification"`) || !containsValue(doc, served) {
		t.Errorf("show --json does not carry the requestor's justification exactly")
	}
	check(w.run("", "list", "--json"))

	errs.armed.Store(true)
	r = check(w.run("", "approve", em, "-j", "checked"))
	if r.code != ExitPartial || !strings.Contains(r.stdout+r.stderr, "messagelink") {
		t.Errorf("approve against a hostile error: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	check(w.run("", "approve", pim, "--json", "-j", "checked"))
	errs.armed.Store(false)
	if r := check(w.run("", "deny", pim, "-j", "no")); r.code != ExitOK {
		t.Errorf("deny: exit %d %s", r.code, r.stderr)
	}
	check(w.run("", "history"))
	check(w.run("", "history", "--json"))
	check(w.run("", "show", pim)) // decided: the stage shows my decision
}

// asServed is s as it comes back through JSON (invalid UTF-8 becomes
// U+FFFD on the way).
func asServed(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var out string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// containsValue looks for a string value anywhere in a decoded document.
func containsValue(v any, want string) bool {
	switch v := v.(type) {
	case string:
		return v == want
	case map[string]any:
		for _, x := range v {
			if containsValue(x, want) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if containsValue(x, want) {
				return true
			}
		}
	}
	return false
}
