package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"approvals/graph"
	"approvals/graph/sim"
	"approvals/ui"
	"approvals/ui/internal/termtest"
)

// The harness runs a Server on 127.0.0.1 with an inbox factory like the
// root's --demo one (a simulated tenant, each key acting as the approver
// it is bound to), and connects real SSH clients (x/crypto/ssh) whose
// screens are read through a terminal emulator.

type harness struct {
	t        *testing.T
	srv      *Server
	sim      *sim.Server
	simURL   string
	addr     string
	hostKey  gossh.PublicKey
	keysPath string
	logs     *logRecorder
	served   chan error
}

type harnessOpts struct {
	keys    string // authorized_keys contents
	mutate  func(*Options)
	factory Factory // nil: the demo-like factory
	// wrap, when set, builds the factory from the demo-like one.
	wrap func(demo Factory) Factory
	ui   func(*ui.Options)
	// tenant is the simulated tenant's options; nil: seed 21, 16
	// approvals (no role or Azure requests).
	tenant *sim.Options
}

func newHarness(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	tenant := sim.Options{Seed: 21, Approvals: 16}
	if o.tenant != nil {
		tenant = *o.tenant
	}
	srv := sim.New(tenant)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); ts.Close() })
	dir := t.TempDir()
	keysPath := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(keysPath, []byte(o.keys), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &logRecorder{}
	kf, err := OpenKeyFile(keysPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	signer, _, _, err := HostKey(filepath.Join(dir, "state"))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, sim: srv, simURL: ts.URL, hostKey: signer.PublicKey(), keysPath: keysPath, logs: logs}
	factory := o.factory
	if factory == nil {
		factory = h.demoFactory(o.ui)
	}
	if o.wrap != nil {
		factory = o.wrap(factory)
	}
	opts := Options{Keys: kf, HostKey: signer, Inbox: factory, Logger: slog.New(logs), IdleTimeout: -1}
	if o.mutate != nil {
		o.mutate(&opts)
	}
	h.srv, err = New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.addr = ln.Addr().String()
	h.served = make(chan error, 1)
	go func() { h.served <- h.srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = h.srv.Close()
		select {
		case <-h.served:
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return after Close")
		}
	})
	return h
}

// demoFactory acts, per session, as the approver the key is bound to.
func (h *harness) demoFactory(tune func(*ui.Options)) Factory {
	return func(_ context.Context, c Conn) (*Inbox, error) {
		who, ok := h.approver(c.User)
		if !ok {
			return nil, fmt.Errorf("%s is not an approver in the demo tenant", c.User)
		}
		client, err := graph.New(graph.Options{GraphURL: h.simURL, Credential: graph.StaticToken(who.UserPrincipalName)})
		if err != nil {
			return nil, err
		}
		opts := ui.Options{Backend: client, Identity: who.UserPrincipalName, Theme: ui.ThemeDark,
			PollInterval: time.Hour, UndoWindow: 300 * time.Millisecond, GracePeriod: -1} // the grace period has its own clocked test
		if tune != nil {
			tune(&opts)
		}
		upn := who.UserPrincipalName
		return &Inbox{UI: opts, Account: func() string { return upn }}, nil
	}
}

func (h *harness) approver(upn string) (sim.User, bool) {
	for _, u := range h.sim.Approvers() {
		if upn == "" || strings.EqualFold(u.UserPrincipalName, upn) {
			return u, true
		}
	}
	return sim.User{}, false
}

// mine lists the approvals waiting for upn, as its client sees them.
func (h *harness) mine(upn string) []graph.Approval {
	h.t.Helper()
	c, err := graph.New(graph.Options{GraphURL: h.simURL, Credential: graph.StaticToken(upn)})
	if err != nil {
		h.t.Fatal(err)
	}
	snap, err := c.Refresh(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	var out []graph.Approval
	for _, a := range snap.Approvals {
		if _, _, ok := a.MyStage(); ok {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		h.t.Fatalf("nothing waits for %s", upn)
	}
	return out
}

// newKey makes a client key and its authorized_keys line.
func newKey(t *testing.T, options string) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
	if options != "" {
		line = options + " " + line
	}
	return s, line + " test\n"
}

func (h *harness) dial(auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", h.addr, &gossh.ClientConfig{
		User: "approver", Auth: auth, HostKeyCallback: gossh.FixedHostKey(h.hostKey), Timeout: 5 * time.Second,
	})
}

// client is one interactive SSH session and its screen.
type client struct {
	t      *testing.T
	conn   *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	scr    *termtest.Screen
	stderr *syncBuffer
	raw    *syncBuffer // every byte the server sent on stdout
	link   *link       // carries stdout to the screen; hold() delays it
	done   chan error  // Wait's result
}

func (h *harness) connect(t *testing.T, key gossh.Signer, w, ht int, env ...string) *client {
	t.Helper()
	conn, err := h.dial(gossh.PublicKeys(key))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if err := sess.Setenv(k, v); err != nil {
			t.Fatalf("setenv %s: %v", k, err)
		}
	}
	if err := sess.RequestPty("xterm-256color", ht, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, conn: conn, sess: sess, stderr: &syncBuffer{}, raw: &syncBuffer{}, done: make(chan error, 1)}
	c.scr = termtest.New(w, ht, nil, false)
	t.Cleanup(c.scr.Close)
	c.link = &link{to: c.scr}
	sess.Stdout = io.MultiWriter(c.link, c.raw)
	sess.Stderr = io.MultiWriter(c.scr, c.stderr)
	if c.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- sess.Wait() }()
	t.Cleanup(func() { conn.Close() })
	return c
}

// link carries the session's output to the screen. While held it keeps
// what arrives, as a slow network does, and delivers it in order on
// release.
type link struct {
	mu   sync.Mutex
	to   io.Writer
	held bool
	buf  bytes.Buffer
}

func (l *link) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held {
		return l.buf.Write(p)
	}
	return l.to.Write(p)
}

func (l *link) hold() {
	l.mu.Lock()
	l.held = true
	l.mu.Unlock()
}

func (l *link) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.held = false
	_, _ = l.to.Write(l.buf.Bytes())
	l.buf.Reset()
}

// resize tells the server the window changed, and changes the screen.
func (c *client) resize(w, ht int) {
	c.t.Helper()
	c.scr.Resize(w, ht)
	if err := c.sess.WindowChange(ht, w); err != nil {
		c.t.Fatal(err)
	}
}

func (c *client) waitFor(what string, parts ...string) string {
	c.t.Helper()
	return c.scr.WaitFor(c.t, nil, 10*time.Second, what, termtest.Contains(parts...))
}

// waitForWhole waits for a screen drawn whole: the title on its top row
// and every part somewhere.
func (c *client) waitForWhole(what string, parts ...string) string {
	c.t.Helper()
	has := termtest.Contains(parts...)
	return c.scr.WaitFor(c.t, nil, 10*time.Second, what+", with the title on the top row", func(screen string) bool {
		return strings.HasPrefix(screen, "approvals · ") && has(screen)
	})
}

func (c *client) typeText(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.in, s); err != nil {
		c.t.Fatalf("typing %q: %v", s, err)
	}
}

// only filters the list down to one approval by its id.
func (c *client) only(id string) {
	c.t.Helper()
	c.typeText("/" + id)
	c.typeText("\r")
	c.scr.WaitFor(c.t, nil, 10*time.Second, "the filter on "+id, termtest.FilteredTo(id))
}

// waitLoaded waits for the inbox to finish loading, with every part on
// screen.
func (c *client) waitLoaded(what string, parts ...string) string {
	c.t.Helper()
	return c.scr.WaitFor(c.t, nil, 10*time.Second, what, termtest.Loaded(parts...))
}

// decide approves or denies the one approval shown, with why.
func (c *client) decide(key, title, why string) {
	c.t.Helper()
	c.typeText(key)
	c.waitFor("the form", title)
	c.typeText(why)
	c.waitFor("the typed justification", why)
	c.typeText("\r")
}

// exit waits for the session to end and returns its exit status.
func (c *client) exit() int {
	c.t.Helper()
	select {
	case err := <-c.done:
		var ee *gossh.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &ee):
			return ee.ExitStatus()
		default:
			c.t.Fatalf("session ended without a status: %v", err)
		}
	case <-time.After(10 * time.Second):
		c.t.Fatalf("session did not end; screen:\n%s", c.scr.Text())
	}
	return -1
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logRecorder is a slog.Handler that keeps every record as one line of
// "msg key=value …" for tests to wait on.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
	attrs []slog.Attr
	share *logRecorder
}

func (l *logRecorder) root() *logRecorder {
	if l.share != nil {
		return l.share
	}
	return l
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	for _, a := range l.attrs {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	root := l.root()
	root.mu.Lock()
	root.lines = append(root.lines, b.String())
	root.mu.Unlock()
	return nil
}

func (l *logRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	return &logRecorder{attrs: append(append([]slog.Attr(nil), l.attrs...), as...), share: l.root()}
}

func (l *logRecorder) WithGroup(string) slog.Handler { return l }

func (l *logRecorder) all() string {
	root := l.root()
	root.mu.Lock()
	defer root.mu.Unlock()
	return strings.Join(root.lines, "\n")
}

// waitFor waits until a log line holds every part.
func (l *logRecorder) waitFor(t *testing.T, what string, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, line := range strings.Split(l.all(), "\n") {
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(line, p)
			}
			if ok {
				return line
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for the log line %s; logs:\n%s", what, l.all())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// writeFile replaces a file's contents in place (and moves its mtime on,
// so a KeyFile notices even within one clock tick).
func writeFile(path, data string) error {
	old, _ := os.Stat(path)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		return err
	}
	if old != nil {
		t := old.ModTime().Add(time.Second)
		if fi, err := os.Stat(path); err == nil && fi.ModTime().After(t) {
			t = fi.ModTime()
		}
		return os.Chtimes(path, t, t)
	}
	return nil
}

func publicKeys(s gossh.Signer) gossh.AuthMethod { return gossh.PublicKeys(s) }

func mustKey(t *testing.T) gossh.Signer {
	s, _ := newKey(t, "")
	return s
}

// exitStatus is a finished session's exit status.
func exitStatus(t *testing.T, err error) int {
	t.Helper()
	var ee *gossh.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitStatus()
	}
	t.Fatalf("no exit status: %v", err)
	return -1
}
