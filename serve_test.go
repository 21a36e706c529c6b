package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"approvals/config"
	"approvals/graph"
	"approvals/graph/auth"
	"approvals/graph/journal"
	"approvals/graph/sim"
	"approvals/ui"
	"approvals/ui/serve"
)

// syncWriter is a buffer the command writes while the test reads it.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// screen is a terminal emulator fed by an SSH session.
type screen struct {
	mu  sync.Mutex
	emu *vt.Emulator
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.Write(p)
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

// waitForRow waits until a line of the screen matches re.
func (s *screen) waitForRow(t *testing.T, what string, re *regexp.Regexp) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		got := s.text()
		for _, line := range strings.Split(got, "\n") {
			if re.MatchString(line) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: no line matches %s:\n%s", what, re, got)
		}
	}
}

func (s *screen) waitFor(t *testing.T, what, text string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		s.mu.Lock()
		got := s.emu.String()
		s.mu.Unlock()
		if strings.Contains(got, text) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: not on screen:\n%s", what, got)
		}
	}
}

// serveDemo is `approvals serve --demo` running in the test, as a user
// starts it.
type serveDemo struct {
	addr, fingerprint string
	out               *syncWriter
	done              chan error
	stop              context.CancelFunc // SIGINT
}

// startServeDemo runs approvals serve --demo with an authorized_keys file
// of one key bound to user (none when user is ""), and waits until it
// listens.
func startServeDemo(t *testing.T, user string, args ...string) (*serveDemo, gossh.Signer) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	key, _ := gossh.NewSignerFromKey(priv)
	keys := filepath.Join(dir, "authorized_keys")
	line := string(gossh.MarshalAuthorizedKey(key.PublicKey()))
	if user != "" {
		line = `approvals-user="` + user + `" ` + line
	}
	if err := os.WriteFile(keys, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d := &serveDemo{out: &syncWriter{}, done: make(chan error, 1), stop: cancel}
	root := newRootCmd()
	root.SetOut(d.out)
	root.SetErr(d.out)
	root.SetArgs(append([]string{"serve", "--demo", "--authorized-keys", keys, "--listen", "127.0.0.1:0"}, args...))
	go func() { d.done <- root.ExecuteContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-d.done:
		case <-time.After(20 * time.Second):
			t.Errorf("serve did not stop:\n%s", d.out.String())
		}
	})

	re := regexp.MustCompile(`listening on (\S+)\nhost key (SHA256:\S+) \(ed25519`)
	for deadline := time.Now().Add(10 * time.Second); d.addr == ""; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(d.out.String()); m != nil {
			d.addr, d.fingerprint = m[1], m[2]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no listening line:\n%s", d.out.String())
		}
	}
	if !strings.Contains(d.out.String(), "authorized keys: "+keys+" (1 accepted)") {
		t.Errorf("start-up output:\n%s", d.out.String())
	}
	return d, key
}

// connect opens an interactive session with key on a cols×rows terminal
// read through an emulator; it returns the screen and the keyboard.
func (d *serveDemo) connect(t *testing.T, key gossh.Signer, cols, rows int) (*screen, io.Writer) {
	t.Helper()
	conn, err := gossh.Dial("tcp", d.addr, &gossh.ClientConfig{
		User: "x", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
			if gossh.FingerprintSHA256(k) != d.fingerprint {
				t.Errorf("host key %s, printed %s", gossh.FingerprintSHA256(k), d.fingerprint)
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	scr := &screen{emu: vt.NewEmulator(cols, rows)}
	go func() { _, _ = io.Copy(io.Discard, scr.emu) }()
	sess.Stdout = scr
	in, _ := sess.StdinPipe()
	if err := sess.RequestPty("xterm-256color", rows, cols, nil); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return scr, in
}

// `approvals serve --demo` as a user starts it: a key bound to a simulated
// approver connects over SSH, approves, and the server stops cleanly.
func TestServeDemoCommand(t *testing.T) {
	t.Setenv("APPROVALS_UNDO_WINDOW", "1s") // the queued decision still waits out a window at shutdown
	d, key := startServeDemo(t, "adele@contoso.com")
	fi, err := os.Stat(filepath.Join(os.Getenv("XDG_STATE_HOME"), "approvals", "ssh_host_ed25519_key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v %v", err, fi)
	}
	scr, in := d.connect(t, key, 120, 40)
	scr.waitFor(t, "adele's inbox", "Adele Vance <adele@contoso.com> · demo tenant")
	scr.waitFor(t, "adele's inbox, loaded", "updated just now") // the title is there before any request is
	io.WriteString(in, "a")
	scr.waitFor(t, "the form", "Approve: ") // "Approve" alone is in the demo's group names
	time.Sleep(500 * time.Millisecond)      // the form's grace period (the user's settings: default 400ms)
	io.WriteString(in, "Fine by me\r")
	scr.waitFor(t, "the undo countdown", "press u to undo")

	d.stop() // SIGINT: the queued decision still goes out
	select {
	case err := <-d.done:
		d.done <- err // for the cleanup
		if err != nil {
			t.Fatalf("serve: %v\n%s", err, d.out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop:\n%s", d.out.String())
	}
	if !strings.Contains(d.out.String(), "msg=decision") || !strings.Contains(d.out.String(), "outcome=approved") {
		t.Errorf("no approved decision in the log:\n%s", d.out.String())
	}
}

// serve --demo serves approvals demo's tenant, all four sources with the
// simulator's ARM root and role routes: the demo identity's session lists
// Entra role and Azure resource requests beside the access packages and
// PIM for Groups, her own flagged "(you)".
func TestServeDemoServesAllFourSources(t *testing.T) {
	d, key := startServeDemo(t, "megan@contoso.com")
	scr, _ := d.connect(t, key, 140, 60)
	scr.waitFor(t, "megan's inbox", "Megan Bowen <megan@contoso.com> · demo tenant")
	for _, kind := range []string{"package", "member", "owner", "role", "azure"} {
		scr.waitForRow(t, kind+" requests", regexp.MustCompile(`^\s*~?\d+[mhd]\s+`+kind+`\s`))
	}
	// Her own activation is flagged, as in approvals demo.
	scr.waitForRow(t, "megan's own role activation, flagged", regexp.MustCompile(`\srole\s+\(you\) Megan`))
	if got := scr.text(); strings.Contains(got, "unavailable") || strings.Contains(got, "in the portal") {
		t.Errorf("a source is not served:\n%s", got)
	}
}

// fakeEntra is a device code sign-in whose user is whoever the test says
// typed the code; its token is that user's UPN, which the simulated
// tenant takes as the caller.
type fakeEntra struct {
	mu       sync.Mutex
	who      string // who signs in at the next Authenticate
	signedIn string
	prompts  int
	prompt   func(context.Context, azidentity.DeviceCodeMessage) error
}

func (f *fakeEntra) newCred(o auth.CredentialOptions) (auth.Interactive, error) {
	f.prompt = o.UserPrompt
	return f, nil
}

func (f *fakeEntra) Authenticate(ctx context.Context, _ *policy.TokenRequestOptions) (azidentity.AuthenticationRecord, error) {
	if err := f.prompt(ctx, azidentity.DeviceCodeMessage{UserCode: "ABCD-1234", VerificationURL: "https://microsoft.com/devicelogin"}); err != nil {
		return azidentity.AuthenticationRecord{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.prompts++
	f.signedIn = f.who
	return azidentity.AuthenticationRecord{Username: f.who}, nil
}

func (f *fakeEntra) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.signedIn == "" {
		return azcore.AccessToken{}, &azidentity.AuthenticationRequiredError{}
	}
	return azcore.AccessToken{Token: f.signedIn, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// The Entra ID factory: each key signs in on its own, a sign-in as the
// wrong user gets no token, decisions are journalled with user, key and
// address, and --remember keeps a key's sign-in for its reconnects only.
func TestEntraFactory(t *testing.T) {
	tenant := sim.New(sim.Options{Seed: 3, Approvals: 8})
	calls := 0
	var callsMu sync.Mutex
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		callsMu.Lock()
		calls++
		callsMu.Unlock()
		tenant.ServeHTTP(w, r)
	}))
	defer ts.Close()
	defer tenant.Close()
	dir := t.TempDir()
	env := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "c"), "XDG_STATE_HOME": filepath.Join(dir, "s"), "APPROVALS_GRAPH_URL": ts.URL, "APPROVALS_ARM_URL": ts.URL + sim.ARMPrefix}
	cfg, err := config.Load(config.LoadOptions{Getenv: func(k string) string { return env[k] }, Keys: ui.DefaultKeys()})
	if err != nil {
		t.Fatal(err)
	}
	megan := tenant.Approvers()[0].UserPrincipalName
	creds := map[string]*fakeEntra{} // by key: each key's own sign-in
	var current string               // the key whose session is being built
	factory, _, err := entraFactory(cfg, serveFlags{remember: time.Hour}, func(o auth.CredentialOptions) (auth.Interactive, error) {
		return creds[current].newCred(o)
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	shown := func(ui.DeviceCode) {}

	// A key bound to megan, signed in by adele: no token, no Graph call.
	creds["SHA256:wrong"] = &fakeEntra{who: "adele@contoso.com"}
	current = "SHA256:wrong"
	ib, err := factory(ctx, serve.Conn{User: megan, Fingerprint: "SHA256:wrong", RemoteAddr: "192.0.2.9:1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ib.UI.SignIn(ctx, shown); err != nil {
		t.Fatal(err)
	}
	if got := ib.Account(); got != "adele@contoso.com" {
		t.Fatalf("Account %q: serve compares it with the key's user", got)
	}
	if _, err := ib.UI.Backend.Refresh(ctx); err == nil || !strings.Contains(err.Error(), "not signed in as "+megan) {
		t.Errorf("a Graph call as the wrong user: %v", err)
	}
	ib.Close()
	if calls != 0 {
		t.Errorf("%d requests reached Graph for the wrong user", calls)
	}

	// A key bound to megan, signed in by megan: decides, journalled.
	creds["SHA256:megan"] = &fakeEntra{who: megan}
	current = "SHA256:megan"
	ib, err = factory(ctx, serve.Conn{User: megan, Fingerprint: "SHA256:megan", RemoteAddr: "192.0.2.7:50022"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ib.UI.SignIn(ctx, shown); err != nil || ib.Account() != megan {
		t.Fatalf("sign-in: %v as %q", err, ib.Account())
	}
	// The session's inbox is newInbox's: the title names the user as /me does.
	name := tenant.Approvers()[0].DisplayName
	if who, err := ib.UI.WhoAmI(ctx); err != nil || who != name+" <"+megan+">" {
		t.Errorf("signed in as %q (%v), want %q", who, err, name+" <"+megan+">")
	}
	snap, err := ib.UI.Backend.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var target graph.Approval
	for _, a := range snap.Approvals {
		if _, _, ok := a.MyStage(); ok {
			target = a
			break
		}
	}
	st, _, _ := target.MyStage()
	res := ib.UI.Backend.Decide(ctx, graph.DecisionRequest{Ref: target.Ref, StageID: st.ID, Decision: graph.Approve, Justification: "fine"})
	if !res.Outcome.Applied() {
		t.Fatalf("decision: %+v", res)
	}
	ib.Close()
	log, err := journal.Read(cfg.Dirs.JournalFile())
	if err != nil || len(log.Records) != 2 {
		t.Fatalf("journal: %v, %d records", err, len(log.Records))
	}
	for _, r := range log.Records {
		if r.User != megan || r.Key != "SHA256:megan" || r.Remote != "192.0.2.7:50022" {
			t.Errorf("journal record %+v", r)
		}
	}

	// --remember: megan's key reconnects without a new device code; the
	// wrong sign-in was not remembered.
	ib, _ = factory(ctx, serve.Conn{User: megan, Fingerprint: "SHA256:megan", RemoteAddr: "192.0.2.7:50023"})
	if err := ib.UI.SignIn(ctx, shown); err != nil || creds["SHA256:megan"].prompts != 1 {
		t.Errorf("reconnect: %v, %d device codes", err, creds["SHA256:megan"].prompts)
	}
	ib.Close()
	creds["SHA256:wrong"] = &fakeEntra{who: megan}
	current = "SHA256:wrong"
	ib, _ = factory(ctx, serve.Conn{User: megan, Fingerprint: "SHA256:wrong", RemoteAddr: "192.0.2.9:2"})
	if err := ib.UI.SignIn(ctx, shown); err != nil || creds["SHA256:wrong"].prompts != 1 {
		t.Errorf("after a wrong sign-in: %v, %d device codes (want a fresh sign-in)", err, creds["SHA256:wrong"].prompts)
	}
	ib.Close()
}
