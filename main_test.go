package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"

	"approvals/graph/sim"
)

// runAsApprovals, set in a child's environment, makes the test binary run
// main() with its arguments (no test flags): the real program, since this
// package is its main package, without building it again.
const runAsApprovals = "APPROVALS_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runAsApprovals) == "1" {
		os.Args[0] = "approvals"
		main()
		return
	}
	os.Exit(m.Run())
}

// approvalsCmd is the program (the test binary running main) with args,
// in a throwaway HOME (no config, journal or sign-in of the user's).
func approvalsCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	tmp := t.TempDir()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{runAsApprovals + "=1", "TERM=xterm-256color", "HOME=" + tmp,
		"XDG_CONFIG_HOME=" + filepath.Join(tmp, "config"), "XDG_STATE_HOME=" + filepath.Join(tmp, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(tmp, "cache"), "PATH=" + os.Getenv("PATH")}
	return cmd
}

// ptyScreen is a 120×40 terminal emulator fed by a pseudo-terminal; its
// answers to the program's queries go back to the program.
type ptyScreen struct {
	mu  sync.Mutex
	emu *vt.Emulator
}

func (s *ptyScreen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

// TestDemoEndToEnd is the one end-to-end test of the real program in a
// pseudo-terminal: `approvals demo` as a person uses it, read through a
// terminal emulator, approving one request with a justification; then it
// checks the simulated tenant's final state.
func TestDemoEndToEnd(t *testing.T) {
	dump := filepath.Join(t.TempDir(), "tenant.json")
	cmd := approvalsCmd(t, "demo", "--seed", "5", "--approvals", "12", "--dump", dump)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Skipf("cannot open a pseudo-terminal here: %v", err)
	}
	defer tty.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() { _ = cmd.Process.Kill() }()

	scr := &ptyScreen{emu: vt.NewEmulator(120, 40)}
	go func() { _, _ = io.Copy(tty, scr.emu) }() // the emulator blocks until its answers are read
	defer func() {
		if pw, ok := scr.emu.InputPipe().(*io.PipeWriter); ok {
			_ = pw.Close()
		}
	}()
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := tty.Read(buf)
			if n > 0 {
				scr.mu.Lock()
				_, _ = scr.emu.Write(buf[:n])
				scr.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	waitUntil := func(what string, cond func(screen string) bool) string {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			text := scr.text()
			if cond(text) {
				return text
			}
			if time.Now().After(deadline) {
				t.Fatalf("waiting for %s: not on screen:\n%s", what, text)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	wait := func(what string, parts ...string) string {
		t.Helper()
		return waitUntil(what, func(screen string) bool { return containsAll(screen, parts...) })
	}
	send := func(s string) {
		t.Helper()
		if _, err := tty.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}

	// The whole inbox: sources appear as they are read, "loading…" until
	// the last one is in.
	start := waitUntil("the whole inbox", func(screen string) bool {
		return containsAll(screen, "waiting", "sort: urgency", "a approve") && !strings.Contains(screen, "loading")
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
	// An Entra role activation (Graph v1.0 listing, beta decision): found
	// by its requestor's name, which no other request of the demo has (and
	// not the one just approved, which may well be a role: they are urgent).
	roleWho := demoRoleRequestor(t, title)
	send("/")
	time.Sleep(100 * time.Millisecond)
	send("\x15" + roleWho) // ctrl+u clears the last filter first
	send("\r")
	role := wait("the Entra role request", "Microsoft Entra role (PIM)", "Scope      Directory", roleWho+" →")
	roleTitle := selectedTitle(t, role)
	send("a")
	wait("the approve form", "Approve: "+roleTitle)
	time.Sleep(600 * time.Millisecond)
	const whyRole = "Change CHG0031177 approved (e2e role)"
	send(whyRole)
	wait("the justification", whyRole)
	send("\r")
	wait("the outcome", "Approved — "+roleTitle)
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
	var roleApproved []*sim.RoleRequest
	for _, r := range tenant.RoleRequests {
		if st := r.Stages[0]; st.Justification == whyRole && st.ReviewResult == "Approved" && st.ReviewedBy == me {
			roleApproved = append(roleApproved, r)
		}
	}
	if len(roleApproved) != 1 || roleApproved[0].Status != sim.PIMProvisioned {
		t.Fatalf("the role requests recorded %+v", roleApproved)
	}
}

// demoRoleRequestor names the principal of a decidable Entra role
// activation in the demo's tenant (seed 5, 12 approvals) who has no other
// request, so the filter finds exactly that one.
func demoRoleRequestor(t *testing.T, not string) string {
	t.Helper()
	tn := sim.New(sim.Options{Seed: 5, Approvals: 12, AzureDemo: true, RoleApprovals: sim.DefaultRoleApprovals}).Tenant()
	count := map[string]int{}
	for _, r := range tn.AccessPackageRequests {
		count[r.RequestorID]++
		count[r.TargetID]++
	}
	for _, r := range tn.GroupRequests {
		count[r.PrincipalID]++
		count[r.CreatedByID]++
	}
	for _, r := range tn.AzureRequests {
		count[r.PrincipalID]++
	}
	for _, r := range tn.RoleRequests {
		count[r.PrincipalID]++
	}
	for _, r := range tn.RoleRequests {
		if r.Action != "selfActivate" || r.PrincipalID == tn.Approvers[0] || r.DirectoryScopeID != "/" || count[r.PrincipalID] != 1 {
			continue
		}
		for _, u := range tn.Users {
			if u.ID == r.PrincipalID && !strings.HasPrefix(not, u.DisplayName+" →") {
				return u.DisplayName
			}
		}
	}
	t.Fatal("the demo tenant has no role request with a requestor of its own")
	return ""
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
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
	for _, r := range t.RoleRequests {
		out = append(out, r.Stages...)
	}
	for _, r := range t.AzureRequests {
		out = append(out, r.Stages...)
	}
	return out
}
