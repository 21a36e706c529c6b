package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"approvals/graph/sim"
)

// TestCLIGoldenEdges covers usage errors (exit 2), configuration, sign-in
// and Graph errors (exit 1), login/logout with a token, and --version.
func TestCLIGoldenEdges(t *testing.T) {
	w := newWorld(t)
	step := w.goldenStep(t)
	usage := func(name string, args ...string) {
		t.Helper()
		if r := step(name, "", args...); r.code != ExitUsage {
			t.Errorf("%s: exit %d, want %d", name, r.code, ExitUsage)
		}
	}
	usage("usage-no-ids", "approve", "-j", "x")
	usage("usage-deny-without-justification", "deny", "group:"+reqGroup)
	usage("usage-unknown-flag", "list", "--bogus")
	usage("usage-unknown-command", "frobnicate")
	usage("usage-bad-id", "show", "weird:123")
	usage("usage-two-ids-for-show", "show", "a", "b")
	// Malformed IDs: not <source>:<GUID> or a bare GUID. Nothing is read
	// or sent, even when the other IDs are fine.
	usage("usage-malformed-id-show", "show", "accessPackage:1234")
	usage("usage-malformed-id-approve", "approve", "group:"+reqGroup, "group:"+reqGroup+"x", "-j", "ok")
	usage("usage-malformed-id-deny", "deny", "no-such-approval", "-j", "no")
	// -j text gets what the form's typing gets: escape sequences, controls,
	// bidi and invisible characters are refused, nothing sent.
	usage("usage-justification-escape", "approve", "group:"+reqGroup, "-j", "ok\x1b[2J\x1b]0;pwned\x07")
	if r := w.run("checked\u202e by the boss\n", "approve", "group:"+reqGroup, "-j", "-"); r.code != ExitUsage || !strings.Contains(r.stderr, "U+202E at character 8") {
		t.Errorf("a bidi override read from stdin: exit %d %s", r.code, r.stderr)
	}
	if r := w.run("", "approve", "group:"+reqGroup, "-j", "zero\u200bwidth"); r.code != ExitUsage {
		t.Errorf("a zero width space: exit %d %s", r.code, r.stderr)
	}
	usage("usage-negative-limit", "history", "--limit", "-1")
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.PatchAttempts != 0 {
		t.Error("a usage error sent a decision")
	}

	step("version", "", "--version")
	step("login-token", "", "login")
	step("logout-token", "", "logout")
	step("config-path-missing", "", "config", "path")
	step("config-check-defaults", "", "config", "check")

	cfgDir := filepath.Join(w.home, "config", "approvals")
	os.MkdirAll(cfgDir, 0o700)
	cfgFile := filepath.Join(cfgDir, "config.toml")
	os.WriteFile(cfgFile, []byte("theme = \"dark\"\npoll_interval = \"2m\"\n\n[keys]\napprove = [\"y\", \"ctrl+a\"]\n\n[profiles.lab]\ntheme = \"light\"\n"), 0o600)
	step("config-check-invalid", "", "config", "check")
	if r := w.run("", "list"); r.code != ExitError || !strings.Contains(r.stderr, `keys.approve: "y" is already bound to "copyID"`) {
		t.Errorf("a broken config must stop every command: %+v", r)
	}
	os.WriteFile(cfgFile, []byte("theme = \"dark\"\npoll_interval = \"2m\"\n\n[keys]\napprove = [\"Y\", \"ctrl+a\"]\n\n[profiles.lab]\ntheme = \"light\"\n"), 0o600)
	step("config-check-profile", "", "config", "check", "--profile", "lab", "--cloud", "usgov")
	step("config-path", "", "config", "path")
	os.Remove(cfgFile)

	// Sign-in and permission problems, as Graph reports them.
	w.sim.AddFault(sim.Fault{Kind: sim.FaultExpiredToken, Count: 1})
	step("graph-401", "", "show", "group:"+reqGroup)
	w.sim.ClearFaults()
	// One source throttled for longer than the client waits: the other
	// source is still listed, and the gap is reported.
	w.sim.AddFault(sim.Fault{Kind: sim.FaultThrottle, Op: sim.OpListGroupRequests, RetryAfter: "600"})
	step("list-one-source-failed", "", "list")
	step("list-one-source-failed-json", "", "list", "--json")
	w.sim.ClearFaults()
	delete(w.env, "APPROVALS_TOKEN")
	step("token-missing", "", "list")
	w.env["APPROVALS_TOKEN"] = canary
	step("http-to-remote-refused", "", "list", "--graph-url", "http://graph.example.com")

	step("deny-text", "", "deny", "group:"+reqGroup, "-j", "Use the break-glass process")
	step("approve-json", "", "approve", reqLee, "--json", "-j", "Audit support confirmed")
	step("history-after", "", "history")
}

// A bulk decision reads only the IDs given (request and approval of each,
// 20 GETs per $batch), never the whole inbox.
func TestBulkDecisionReadsOnlyTheGivenIDs(t *testing.T) {
	w := newWorld(t)
	ids := []string{"accessPackage:" + reqSales, "accessPackage:" + reqFin, "accessPackage:" + reqEvil, "accessPackage:" + reqLee, "group:" + reqGroup}
	w.sim.ResetStats()
	r := w.run("", append([]string{"approve", "--json", "-j", "Quarterly review"}, ids...)...)
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	var doc decideDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Applied != 5 || len(doc.Results) != 5 {
		t.Fatalf("%v %+v", err, doc)
	}
	for i, res := range doc.Results {
		if res.ID != ids[i] || res.Outcome != "approved" || res.Attempts != 1 || res.RequestID == "" {
			t.Errorf("result %d: %+v", i, res)
		}
	}
	st := w.sim.Stats()
	if st.Op(sim.OpPatchStage) != 5 || st.Op(sim.OpGetApproval) > 5 {
		t.Errorf("requests: %+v", st.Ops)
	}
	if got := st.Op(sim.OpListAccessPackageRequests) + st.Op(sim.OpListGroupRequests); got != 0 {
		t.Errorf("listing pages %d, want none", got)
	}
	if got := st.Op(sim.OpBatch); got != 1 {
		t.Errorf("%d $batch calls for 5 IDs (10 GETs), want 1", got)
	}
}

func TestDuplicateIDsAreDecidedOnce(t *testing.T) {
	w := newWorld(t)
	r := w.run("", "approve", "group:"+reqGroup, reqGroup, "group:"+reqGroup, "-j", "ok")
	if r.code != ExitOK || strings.Count(r.stdout, reqGroup) != 1 {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.PatchAttempts != 1 {
		t.Errorf("PATCHes %d", st.PatchAttempts)
	}
}

func TestRequireApproveJustification(t *testing.T) {
	w := newWorld(t)
	w.env["APPROVALS_REQUIRE_APPROVE_JUSTIFICATION"] = "true"
	if r := w.run("", "approve", "group:"+reqGroup); r.code != ExitUsage || !strings.Contains(r.stderr, "approve needs --justification TEXT") {
		t.Errorf("%+v", r)
	}
	delete(w.env, "APPROVALS_REQUIRE_APPROVE_JUSTIFICATION")
	if r := w.run("", "approve", "group:"+reqGroup); r.code != ExitOK {
		t.Errorf("approve without justification when not required: %+v", r)
	}
}

func TestRootRunsTheInboxWithAWiredSession(t *testing.T) {
	w := newWorld(t)
	w.env["APPROVALS_THEME"] = "light"
	var got *Session
	stderr := new(strings.Builder)
	root := &cobra.Command{Use: "approvals"}
	Attach(root, wired(Setup{
		Stdout: new(strings.Builder), Stderr: stderr,
		Getenv: func(k string) string { return w.env[k] },
		Inbox: func(ctx context.Context, s *Session) error {
			got = s
			s.Warn("raised while the inbox runs")
			if stderr.Len() != 0 {
				t.Errorf("printed over the inbox: %q", stderr.String())
			}
			_, err := s.Client.Refresh(ctx)
			return err
		},
	}, swapToken{identity: meID}, nil))
	root.SetArgs([]string{})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Journal == nil || got.Config.Theme != "light" || got.Auth.Interactive() {
		t.Fatalf("session %+v", got)
	}
	if stderr.String() != "approvals: warning: raised while the inbox runs\n" {
		t.Errorf("held warnings after the inbox: %q", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(w.home, "state", "approvals", "journal.jsonl")); err != nil {
		t.Errorf("the inbox session must have its journal open: %v", err)
	}
}

func TestLoadConfigForOtherCommands(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "other.toml")
	os.WriteFile(path, []byte("theme = \"dark\"\n[profiles.x]\nbell = true\n"), 0o600)
	root := &cobra.Command{Use: "approvals"}
	var got []string
	demo := &cobra.Command{Use: "demo", RunE: func(cmd *cobra.Command, _ []string) error {
		cfg, err := LoadConfig(cmd, nil)
		if err != nil {
			return err
		}
		got = append(got, cfg.File, cfg.Theme, cfg.Cloud, fmt.Sprint(cfg.Bell))
		return nil
	}}
	root.AddCommand(demo)
	Attach(root, Setup{Stdout: new(strings.Builder), Stderr: new(strings.Builder)})
	root.SetArgs([]string{"demo", "--config", path, "--profile", "x", "--cloud", "china"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != path+" dark china true" {
		t.Errorf("got %q", got)
	}
}

// An approval whose stages could not be read is not "not waiting": the
// report says why nothing was sent, as a failure that may be retried.
func TestUnreadableStagesAreAFailureNotNotWaiting(t *testing.T) {
	w := newWorld(t)
	w.sim.AddFault(sim.Fault{Kind: sim.FaultBatchThrottle, Op: sim.OpGetApproval, RetryAfter: "600"})
	w.sim.AddFault(sim.Fault{Kind: sim.FaultBatchThrottle, Op: sim.OpListStages, RetryAfter: "600"})
	r := w.run("", "approve", "group:"+reqGroup, "-j", "ok", "--json")
	var doc decideDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Results) != 1 {
		t.Fatalf("%v\n%s\n%s", err, r.stdout, r.stderr)
	}
	res := doc.Results[0]
	if r.code != ExitPartial || res.Outcome != "failed" || res.Error == nil || !strings.Contains(res.Error.Message, "stages could not be read") {
		t.Fatalf("exit %d, result %+v (error %+v)", r.code, res, res.Error)
	}
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.PatchAttempts != 0 {
		t.Error("a decision was sent without knowing the stage")
	}
}

// A decision Graph throttles says on stderr that it is waiting out the
// Retry-After, then reports its outcome as usual on stdout.
func TestDecisionSaysItWaitsOutAThrottle(t *testing.T) {
	w := newWorld(t)
	w.sim.AddFault(sim.Fault{Kind: sim.FaultThrottle, Method: "PATCH", Count: 1, RetryAfter: "1"})
	r := w.run("", "approve", "accessPackage:"+reqLee, "-j", "Audit support confirmed")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Approved") && !strings.Contains(r.stdout, "approved") {
		t.Fatalf("exit %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if want := "approvals: a decision is waiting: throttled (429), retrying in 1 s (try 2 of "; !strings.Contains(r.stderr, want) {
		t.Fatalf("stderr does not say the decision waits:\n%s", r.stderr)
	}
	if strings.Contains(r.stdout, "waiting") {
		t.Fatalf("the note went to stdout:\n%s", r.stdout)
	}
}
