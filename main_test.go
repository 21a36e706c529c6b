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

// demoSession is `approvals demo` running in a pseudo-terminal, read
// through a terminal emulator.
type demoSession struct {
	t      *testing.T
	tty    *os.File
	cmd    *exec.Cmd
	scr    *ptyScreen
	exited chan error
}

// startDemo runs `approvals demo` with args in a 120×40 pseudo-terminal;
// the session ends with the test.
func startDemo(t *testing.T, args ...string) *demoSession {
	t.Helper()
	cmd := approvalsCmd(t, append([]string{"demo"}, args...)...)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Skipf("cannot open a pseudo-terminal here: %v", err)
	}
	d := &demoSession{t: t, tty: tty, cmd: cmd, scr: &ptyScreen{emu: vt.NewEmulator(120, 40)}, exited: make(chan error, 1)}
	go func() { d.exited <- cmd.Wait() }()
	go func() { _, _ = io.Copy(tty, d.scr.emu) }() // the emulator blocks until its answers are read
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := tty.Read(buf)
			if n > 0 {
				d.scr.mu.Lock()
				_, _ = d.scr.emu.Write(buf[:n])
				d.scr.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = tty.Close()
		if pw, ok := d.scr.emu.InputPipe().(*io.PipeWriter); ok {
			_ = pw.Close()
		}
	})
	return d
}

func (d *demoSession) waitUntil(what string, cond func(screen string) bool) string {
	d.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		text := d.scr.text()
		if cond(text) {
			return text
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("waiting for %s: not on screen:\n%s", what, text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (d *demoSession) wait(what string, parts ...string) string {
	d.t.Helper()
	return d.waitUntil(what, func(screen string) bool { return containsAll(screen, parts...) })
}

func (d *demoSession) send(s string) {
	d.t.Helper()
	if _, err := d.tty.Write([]byte(s)); err != nil {
		d.t.Fatal(err)
	}
}

// quit presses q and waits for the program to end cleanly.
func (d *demoSession) quit() {
	d.t.Helper()
	d.send("q")
	select {
	case err := <-d.exited:
		if err != nil {
			d.t.Fatalf("approvals demo exited with %v", err)
		}
	case <-time.After(10 * time.Second):
		d.t.Fatal("approvals demo did not quit on q")
	}
}

// inboxShown waits for the whole inbox: sources appear as they are read,
// "loading…" until the last one is in.
func (d *demoSession) inboxShown() string {
	d.t.Helper()
	return d.waitUntil("the whole inbox", func(screen string) bool {
		return containsAll(screen, "waiting", "sort: urgency", "a approve") && !strings.Contains(screen, "loading")
	})
}

// readTenant reads the simulated tenant's state written by --dump.
func readTenant(t *testing.T, dump string) *sim.Tenant {
	t.Helper()
	data, err := os.ReadFile(dump)
	if err != nil {
		t.Fatalf("no dump: %v", err)
	}
	tenant, err := sim.ReadTenant(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return tenant
}

// TestDemoEndToEnd is the end-to-end test of the real program in a
// pseudo-terminal: `approvals demo` as a person uses it, read through a
// terminal emulator, approving one request with a justification; then it
// checks the simulated tenant's final state.
func TestDemoEndToEnd(t *testing.T) {
	dump := filepath.Join(t.TempDir(), "tenant.json")
	d := startDemo(t, "--seed", "5", "--approvals", "12", "--dump", dump)
	wait, send := d.wait, d.send

	start := d.inboxShown()
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
	role := wait("the Entra role request", "Directory role (PIM)", "Scope      Directory", roleWho+" →")
	roleTitle := selectedTitle(t, role)
	send("a")
	wait("the approve form", "Approve: "+roleTitle)
	time.Sleep(600 * time.Millisecond)
	const whyRole = "Change CHG0031177 approved (e2e role)"
	send(whyRole)
	wait("the justification", whyRole)
	send("\r")
	wait("the outcome", "Approved — "+roleTitle)
	d.quit()
	tenant := readTenant(t, dump)
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

// TestDemoOnBehalfAndBulk: an on-behalf PIM request is named by who gets
// the access, with who asked, in the detail, the form and the outcome; a
// bulk approval of 5 is read off the form's list before it is sent, and
// the tenant ends with exactly those 5 approved.
func TestDemoOnBehalfAndBulk(t *testing.T) {
	dump := filepath.Join(t.TempDir(), "tenant.json")
	d := startDemo(t, "--seed", "5", "--approvals", "30", "--dump", dump)
	d.inboxShown()

	// On behalf: found by what the screen shows ("(asked by", the kind).
	d.send("/")
	time.Sleep(100 * time.Millisecond)
	d.send("asked by group (pim)")
	d.send("\r")
	d.wait("an on-behalf PIM request", "For        ", "(on their behalf)", "Group ")
	d.send("a")
	form := d.wait("the approve form", "Approve: ", "(asked by ")
	title := formTitle(t, form)
	beneficiary, requestor, ok := strings.Cut(strings.TrimSuffix(strings.SplitN(title, " → ", 2)[0], ")"), " (asked by ")
	if !ok || !strings.Contains(form, "Stage 1 of") && !strings.Contains(form, "Only stage") {
		t.Fatalf("form title %q, no stage line:\n%s", title, form)
	}
	time.Sleep(600 * time.Millisecond) // the form ignores keys for its 400ms grace period
	const why = "Asked by their manager (e2e on behalf)"
	d.send(why)
	d.wait("the justification", why)
	d.send("\r")
	d.wait("the outcome", "Approved — "+title)
	d.send("\x1b") // esc: the filter goes
	d.waitUntil("the whole list", func(s string) bool { return !strings.Contains(s, " match ") })

	// Bulk: the first five marked; the form lists all five.
	d.send("g")
	for range 5 {
		d.send(" ")
		time.Sleep(30 * time.Millisecond)
	}
	d.wait("five marked", "5 marked")
	d.send("a")
	form = d.wait("the bulk form", "Approve 5 requests", "Covers 5 requests")
	var listed []string
	inList := false
	for _, l := range strings.Split(form, "\n") {
		l = strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "│"))
		switch {
		case strings.HasPrefix(l, "Covers 5 requests"):
			inList = true
		case inList && strings.Contains(l, " → "):
			listed = append(listed, l)
		case inList:
			inList = false
		}
	}
	if len(listed) != 5 {
		t.Fatalf("the form lists %d requests, want all 5:\n%s", len(listed), form)
	}
	time.Sleep(600 * time.Millisecond)
	const whyBulk = "Quarterly review batch (e2e bulk)"
	d.send(whyBulk)
	d.wait("the justification", whyBulk)
	d.send("\r")
	d.wait("the outcome", "Done: 5 approved")
	d.quit()

	tenant := readTenant(t, dump)
	name := map[string]string{}
	for _, u := range tenant.Users {
		name[u.ID] = u.DisplayName
	}
	var onBehalf []*sim.GroupRequest
	for _, r := range tenant.GroupRequests {
		for _, st := range r.Stages {
			if st.Justification == why && st.ReviewResult == "Approved" {
				onBehalf = append(onBehalf, r)
			}
		}
	}
	if len(onBehalf) != 1 || onBehalf[0].PrincipalID == onBehalf[0].CreatedByID ||
		name[onBehalf[0].PrincipalID] != beneficiary || name[onBehalf[0].CreatedByID] != requestor {
		t.Fatalf("on-behalf approval recorded on %+v; the screen said %q asked by %q", onBehalf, beneficiary, requestor)
	}
	var got []string // beneficiaries of what the tenant approved with whyBulk
	approvedFor := func(stages []sim.Stage, who string) {
		for _, st := range stages {
			if st.Justification == whyBulk && st.ReviewResult == "Approved" {
				got = append(got, name[who])
			}
		}
	}
	for _, r := range tenant.AccessPackageRequests {
		approvedFor(r.Stages, r.TargetID)
	}
	for _, r := range tenant.GroupRequests {
		approvedFor(r.Stages, r.PrincipalID)
	}
	for _, r := range tenant.AzureRequests {
		approvedFor(r.Stages, r.PrincipalID)
	}
	for _, r := range tenant.RoleRequests {
		approvedFor(r.Stages, r.PrincipalID)
	}
	if len(got) != 5 {
		t.Fatalf("the tenant recorded %d bulk approvals (%q), want the 5 listed:\n%s", len(got), got, strings.Join(listed, "\n"))
	}
	for _, who := range got {
		found := false
		for _, l := range listed {
			found = found || strings.HasPrefix(l, who+" ")
		}
		if !found {
			t.Errorf("approved for %q, not in the list read off the form:\n%s", who, strings.Join(listed, "\n"))
		}
	}
}

// formTitle reads the decision form's title line ("Approve: …").
func formTitle(t *testing.T, screen string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if _, rest, ok := strings.Cut(l, "│ Approve: "); ok {
			return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "│"))
		}
	}
	t.Fatalf("no form title:\n%s", screen)
	return ""
}
