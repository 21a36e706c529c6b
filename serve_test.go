package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"
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

// `approvals serve --demo` as a user starts it: a key bound to a simulated
// approver connects over SSH, approves, and the server stops cleanly.
func TestServeDemoCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	key, _ := gossh.NewSignerFromKey(priv)
	keys := filepath.Join(dir, "authorized_keys")
	line := `approvals-user="adele@contoso.com" ` + string(gossh.MarshalAuthorizedKey(key.PublicKey()))
	if err := os.WriteFile(keys, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncWriter{}
	root := newRootCmd()
	root.SetOut(out)
	root.SetErr(out)
	root.SetArgs([]string{"serve", "--demo", "--authorized-keys", keys, "--listen", "127.0.0.1:0"})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()

	var addr, fingerprint string
	re := regexp.MustCompile(`listening on (\S+)\nhost key (SHA256:\S+) \(ed25519`)
	for deadline := time.Now().Add(10 * time.Second); addr == ""; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			addr, fingerprint = m[1], m[2]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no listening line:\n%s", out.String())
		}
	}
	if !strings.Contains(out.String(), "authorized keys: "+keys+" (1 accepted)") {
		t.Errorf("start-up output:\n%s", out.String())
	}
	fi, err := os.Stat(filepath.Join(dir, "state", "approvals", "ssh_host_ed25519_key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v %v", err, fi)
	}

	conn, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "x", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
			if gossh.FingerprintSHA256(k) != fingerprint {
				t.Errorf("host key %s, printed %s", gossh.FingerprintSHA256(k), fingerprint)
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	scr := &screen{emu: vt.NewEmulator(120, 40)}
	go func() { _, _ = io.Copy(io.Discard, scr.emu) }()
	sess.Stdout = scr
	in, _ := sess.StdinPipe()
	if err := sess.RequestPty("xterm-256color", 40, 120, nil); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	scr.waitFor(t, "adele's inbox", "Adele Vance <adele@contoso.com> · demo tenant")
	io.WriteString(in, "a")
	scr.waitFor(t, "the form", "Approve")
	time.Sleep(500 * time.Millisecond) // the form's grace period (the user's settings: default 400ms)
	io.WriteString(in, "Fine by me\r")
	scr.waitFor(t, "the undo countdown", "press u to undo")

	cancel() // SIGINT: the queued decision still goes out
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "msg=decision") || !strings.Contains(out.String(), "outcome=approved") {
		t.Errorf("no approved decision in the log:\n%s", out.String())
	}
}
