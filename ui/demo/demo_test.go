package demo

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"approvals/graph/sim"
	"approvals/ui/internal/termtest"
)

func TestPickApprover(t *testing.T) {
	users := []sim.User{
		{ID: "u1", DisplayName: "Megan Bowen", UserPrincipalName: "megan@contoso.com"},
		{ID: "u2", DisplayName: "Alex Wilber", UserPrincipalName: "alex@contoso.com"},
	}
	for as, want := range map[string]string{"": "u1", "ALEX@contoso.com": "u2", "u2": "u2", "megan bowen": "u1"} {
		got, err := pickApprover(users, as)
		if err != nil || got.ID != want {
			t.Errorf("--as %q: %v %v, want %s", as, got.ID, err, want)
		}
	}
	if _, err := pickApprover(users, "nobody"); err == nil || !strings.Contains(err.Error(), "megan@contoso.com, alex@contoso.com") {
		t.Errorf("unknown --as: %v", err)
	}
	if _, err := pickApprover(nil, ""); err == nil {
		t.Error("no approvers: no error")
	}
}

// repoRoot walks up to go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// TestDemoBinary uses the built binary as a person would: in a 120×40
// pseudo-terminal, read through a terminal emulator, approving one request
// with a justification; then it checks the simulated tenant's final state.
func TestDemoBinary(t *testing.T) {
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "approvals")
	build := exec.Command("go", "build", "-buildvcs=false", "-o", bin, ".")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dump := filepath.Join(tmp, "tenant.json")
	cmd := exec.Command(bin, "demo", "--seed", "5", "--approvals", "12", "--dump", dump)
	cmd.Env = []string{"TERM=xterm-256color", "HOME=" + tmp, "XDG_CONFIG_HOME=" + filepath.Join(tmp, "config"),
		"XDG_STATE_HOME=" + filepath.Join(tmp, "state"), "XDG_CACHE_HOME=" + filepath.Join(tmp, "cache"), "PATH=" + os.Getenv("PATH")}
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Skipf("cannot open a pseudo-terminal here: %v", err)
	}
	defer tty.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() { _ = cmd.Process.Kill() }()

	scr := termtest.New(120, 40, tty, false) // the emulator answers the program's queries; the pty maps newlines
	defer scr.Close()
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := tty.Read(buf)
			if n > 0 {
				_, _ = scr.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	wait := func(what string, parts ...string) string {
		return scr.WaitFor(t, nil, 15*time.Second, what, termtest.Contains(parts...))
	}
	send := func(s string) {
		if _, err := tty.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}

	// The whole inbox: sources appear as they are read, "loading…" until
	// the last one is in.
	start := scr.WaitFor(t, nil, 15*time.Second, "the whole inbox", func(screen string) bool {
		return termtest.Contains("waiting", "sort: urgency", "a approve")(screen) && !strings.Contains(screen, "loading")
	})
	title := selectedTitle(t, start)
	send("a")
	wait("the approve form", "Approve: "+title)
	time.Sleep(600 * time.Millisecond) // the form ignores keys for its 400ms grace period
	const why = "Verified with the team lead (e2e)"
	send(why)
	wait("the justification", why)
	send("\r")
	wait("the undo countdown", "press u to undo")
	wait("the outcome", "Approved — "+title)

	// An Azure resource role request (Azure Resource Manager): found with
	// the filter, approved the same way.
	send("/")
	time.Sleep(100 * time.Millisecond)
	send("rg-web")
	send("\r")
	azure := wait("the Azure request", "Azure resource role (PIM)", "Scope      prod-subscription / rg-web", "Role       Owner")
	azureTitle := selectedTitle(t, azure) // the title's first line: it wraps in the detail pane
	if !strings.Contains(azureTitle, "→ Owner") {
		t.Fatalf("selected %q, want the Azure request:\n%s", azureTitle, azure)
	}
	send("a")
	wait("the approve form", "Approve: "+azureTitle)
	time.Sleep(600 * time.Millisecond)
	const whyAzure = "Hotfix window agreed (e2e azure)"
	send(whyAzure)
	wait("the justification", whyAzure)
	send("\r")
	wait("the outcome", "Approved — "+azureTitle)
	send("q")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("approvals demo exited with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("approvals demo did not quit on q")
	}

	data, err := os.ReadFile(dump)
	if err != nil {
		t.Fatalf("no dump: %v", err)
	}
	tenant, err := sim.ReadTenant(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	me := tenant.Approvers[0]
	var approved []sim.Stage
	for _, st := range allStages(tenant) {
		if st.Justification == why {
			approved = append(approved, st)
		}
	}
	if len(approved) != 1 || approved[0].ReviewResult != "Approved" || approved[0].ReviewedBy != me || approved[0].Status != "Completed" {
		t.Fatalf("the tenant recorded %+v (demo identity %s)", approved, me)
	}
	var azureApproved []*sim.AzureRequest
	for _, r := range tenant.AzureRequests {
		for _, st := range r.Stages {
			if st.Justification == whyAzure && st.ReviewResult == "Approved" && st.ReviewedBy == me {
				azureApproved = append(azureApproved, r)
			}
		}
	}
	if len(azureApproved) != 1 || azureApproved[0].RoleName != "Owner" || azureApproved[0].Status != sim.ARMProvisioned {
		t.Fatalf("the Azure requests recorded %+v", azureApproved)
	}
}

// selectedTitle reads "Requestor → Resource" of the selected request from
// the top of the detail pane.
func selectedTitle(t *testing.T, screen string) string {
	t.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) < 2 {
		t.Fatalf("screen:\n%s", screen)
	}
	_, right, ok := strings.Cut(lines[1], "│")
	if !ok || !strings.Contains(right, "→") {
		t.Fatalf("no detail title on the second row:\n%s", screen)
	}
	return strings.TrimSpace(right)
}

func allStages(t *sim.Tenant) []sim.Stage {
	var out []sim.Stage
	for _, r := range t.AccessPackageRequests {
		out = append(out, r.Stages...)
	}
	for _, r := range t.GroupRequests {
		out = append(out, r.Stages...)
	}
	return out
}
