//go:build bench

package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// benchServe is what one SSH session of `approvals serve --demo` costs.
type benchServe struct {
	Sessions       int   // idle sessions opened for the memory figure
	RSSOne         int64 // the server with one session open, inbox loaded
	RSSMany        int64 // … with Sessions more, all loaded and idle
	MovePayload    int   // bytes of terminal output per cursor move (mean), 120×40
	MoveWire       int   // bytes on the TCP connection per cursor move (SSH framing, MAC, padding)
	MovePayloadNar int   // payload per cursor move at 100×40 (list only)
	MoveWireNar    int
	Moves          int
}

// PerSession is the memory each idle session adds.
func (s benchServe) PerSession() int64 { return (s.RSSMany - s.RSSOne) / int64(max(s.Sessions, 1)) }

// MeasureServe runs `bin serve --demo` on 127.0.0.1, opens sessions with an
// x/crypto/ssh client from this process (so the clients' memory is not
// counted), and reads the server's memory and the bytes a cursor move
// costs over SSH.
func MeasureServe(ctx context.Context, bin string, sessions, moves int) (benchServe, error) {
	out := benchServe{Sessions: sessions, Moves: moves}
	dir, err := os.MkdirTemp("", "approvals-bench-serve-")
	if err != nil {
		return out, err
	}
	defer os.RemoveAll(dir)
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return out, err
	}
	key, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return out, err
	}
	keys := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(keys, gossh.MarshalAuthorizedKey(key.PublicKey()), 0o600); err != nil {
		return out, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--demo", "--authorized-keys", keys, "--listen", "127.0.0.1:0",
		"--rate-burst", fmt.Sprint(sessions+10), "--max-sessions", fmt.Sprint(sessions+10), "--idle-timeout", "0")
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return out, err
	}
	if err := cmd.Start(); err != nil {
		return out, err
	}
	defer func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }()
	addr, err := listeningOn(stdout)
	if err != nil {
		return out, err
	}

	first, err := dialSession(ctx, addr, key, 120, 40)
	if err != nil {
		return out, err
	}
	defer first.close()
	if err := first.loaded(ctx); err != nil {
		return out, err
	}
	// A cursor move at 120×40 (list and detail pane), then at 100×40 (list
	// only), like the local wire rows.
	if out.MovePayload, out.MoveWire, err = first.moves(ctx, moves); err != nil {
		return out, err
	}
	if err := first.resize(ctx, 100, 40); err != nil {
		return out, err
	}
	if out.MovePayloadNar, out.MoveWireNar, err = first.moves(ctx, moves); err != nil {
		return out, err
	}
	time.Sleep(500 * time.Millisecond) // let the collector catch up before the baseline
	if out.RSSOne, _, err = procMemory(cmd.Process.Pid); err != nil {
		return out, err
	}
	var more []*sshSession
	defer func() {
		for _, s := range more {
			s.close()
		}
	}()
	for range sessions {
		s, err := dialSession(ctx, addr, key, 120, 40)
		if err != nil {
			return out, err
		}
		more = append(more, s)
		if err := s.loaded(ctx); err != nil {
			return out, err
		}
	}
	time.Sleep(500 * time.Millisecond)
	out.RSSMany, _, err = procMemory(cmd.Process.Pid)
	return out, err
}

// listeningOn reads the server's start-up lines for its address.
func listeningOn(r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if a, ok := strings.CutPrefix(sc.Text(), "approvals serve: listening on "); ok {
			go func() { _, _ = io.Copy(io.Discard, r) }()
			return strings.TrimSpace(a), nil
		}
	}
	return "", errors.New("approvals serve printed no listening line")
}

// sshSession is one client session, counting what it receives.
type sshSession struct {
	client *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	wire   *countingConn
	out    *matchWriter
}

func dialSession(ctx context.Context, addr string, key gossh.Signer, w, h int) (*sshSession, error) {
	raw, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	wire := &countingConn{Conn: raw}
	conn, chans, reqs, err := gossh.NewClientConn(wire, addr, &gossh.ClientConfig{
		User: "bench", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), // a server this run just started on loopback
	})
	if err != nil {
		raw.Close()
		return nil, err
	}
	client := gossh.NewClient(conn, chans, reqs)
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, err
	}
	s := &sshSession{client: client, sess: sess, wire: wire, out: &matchWriter{}}
	sess.Stdout = s.out
	sess.Stderr = io.Discard
	if s.in, err = sess.StdinPipe(); err == nil {
		if err = sess.RequestPty("xterm-256color", h, w, nil); err == nil {
			err = sess.Shell()
		}
	}
	if err != nil {
		client.Close()
		return nil, err
	}
	return s, nil
}

func (s *sshSession) close() { s.client.Close() }

// loaded waits for the inbox's title ("N waiting") and for the output to
// settle.
func (s *sshSession) loaded(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for !s.out.contains(" waiting") {
		if time.Now().After(deadline) {
			return errors.New("the inbox did not load over SSH")
		}
		if err := benchSleep(ctx, 10*time.Millisecond); err != nil {
			return err
		}
	}
	s.out.settled(ctx, 300*time.Millisecond)
	return nil
}

func (s *sshSession) resize(ctx context.Context, w, h int) error {
	if err := s.sess.WindowChange(h, w); err != nil {
		return err
	}
	s.out.grew(ctx, s.out.n(), 2*time.Second)
	s.out.settled(ctx, 300*time.Millisecond)
	return nil
}

// moves presses j n times, each after the output settled, and returns
// the mean payload and wire bytes per move.
func (s *sshSession) moves(ctx context.Context, n int) (payload, wire int, err error) {
	for range n {
		p0, w0 := s.out.n(), s.wire.read()
		if _, err := io.WriteString(s.in, "j"); err != nil {
			return 0, 0, err
		}
		if !s.out.grew(ctx, p0, 2*time.Second) {
			return 0, 0, errors.New("a cursor move drew nothing")
		}
		s.out.settled(ctx, 150*time.Millisecond)
		payload += s.out.n() - p0
		wire += int(s.wire.read() - w0)
	}
	return payload / n, wire / n, nil
}

// countingConn counts the bytes read from the TCP connection.
type countingConn struct {
	net.Conn
	mu sync.Mutex
	r  int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.r += int64(n)
	c.mu.Unlock()
	return n, err
}

func (c *countingConn) read() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.r
}

// matchWriter keeps the output's byte benchCount and its text so far.
type matchWriter struct {
	countingWriter
	mu  sync.Mutex
	buf strings.Builder
}

func (m *matchWriter) Write(p []byte) (int, error) {
	m.mu.Lock()
	if m.buf.Len() < 1<<20 {
		m.buf.Write(p)
	}
	m.mu.Unlock()
	return m.countingWriter.Write(p)
}

func (m *matchWriter) contains(s string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return strings.Contains(m.buf.String(), s)
}

func (m *matchWriter) n() int {
	n, _ := m.state()
	return n
}
