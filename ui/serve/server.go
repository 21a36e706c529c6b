package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"

	"approvals/ui"
)

// Defaults of Options' zero values.
const (
	DefaultListen          = "127.0.0.1:2222"
	DefaultMaxSessions     = 32
	DefaultIdleTimeout     = 15 * time.Minute
	DefaultShutdownTimeout = 30 * time.Second
	DefaultRateBurst       = 10
	DefaultRateInterval    = 6 * time.Second
	defaultHandshake       = 30 * time.Second
)

// Conn is who a session is: what the root needs to build its inbox.
type Conn struct {
	User        string // the key's approvals-user ("" when the key may sign in as anyone)
	Fingerprint string // the key's SHA256 fingerprint
	RemoteAddr  string
	Session     string // a short random id, in the logs
}

// Inbox is one session's inbox, built by the composition root.
type Inbox struct {
	// UI is the inbox's options: its Backend (a Graph client of this
	// session's own), its SignIn (this session's own sign-in), look and
	// timings.
	UI ui.Options
	// Account is who UI.SignIn signed in as (a UPN), "" before. With no
	// SignIn (the demo), it is who the session acts as from the start.
	// serve ends a session whose Account is not the key's bound user
	// before the inbox makes any Graph call.
	Account func() string
	// Close releases what the session held (its journal, its tokens unless
	// they are remembered). May be nil.
	Close func()
}

// Factory builds one inbox per session; nothing mutable may be shared
// between the inboxes it returns. ctx ends with the session.
type Factory func(ctx context.Context, c Conn) (*Inbox, error)

// Options configure a Server.
type Options struct {
	Keys    *KeyFile     // who may connect, and as whom
	HostKey gossh.Signer // see HostKey
	Inbox   Factory

	MaxSessions     int           // sessions at once; 0: DefaultMaxSessions
	IdleTimeout     time.Duration // no key pressed for this long ends a session with nothing queued; 0: default, <0: never
	ShutdownTimeout time.Duration // how long Shutdown lets queued decisions go out; 0: default
	RateBurst       int           // connections an address may open at once; 0: default
	RateInterval    time.Duration // then one per interval; 0: default, <0: no limit

	Logger *slog.Logger     // nil: slog.Default()
	Now    func() time.Time // injectable clock (idle time, rate limits); default time.Now
	// IdleCheck is how often sessions look at their idle time; 0: a
	// tenth of IdleTimeout, at most a minute.
	IdleCheck time.Duration
}

func (o Options) withDefaults() Options {
	if o.MaxSessions <= 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
	if o.RateBurst <= 0 {
		o.RateBurst = DefaultRateBurst
	}
	if o.RateInterval == 0 {
		o.RateInterval = DefaultRateInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.IdleCheck <= 0 && o.IdleTimeout > 0 {
		o.IdleCheck = min(o.IdleTimeout/10, time.Minute)
	}
	return o
}

// Server serves one inbox per SSH session.
type Server struct {
	opts    Options
	log     *slog.Logger
	ssh     *ssh.Server
	limiter *rateLimiter

	mu       sync.Mutex
	sessions map[*session]struct{}
	draining bool
	wg       sync.WaitGroup // sessions running
}

// Extension names in the connection's permissions: set by the public-key
// callback for the key the client actually authenticated with.
const (
	extUser        = "approvals-user"
	extFingerprint = "approvals-key"
)

// New builds a server. It listens only when Serve is called.
func New(opts Options) (*Server, error) {
	if opts.Keys == nil || opts.HostKey == nil || opts.Inbox == nil {
		return nil, errors.New("serve: Keys, HostKey and Inbox are required")
	}
	opts = opts.withDefaults()
	s := &Server{opts: opts, log: opts.Logger, sessions: map[*session]struct{}{},
		limiter: newRateLimiter(opts.RateBurst, opts.RateInterval, opts.Now)}
	// The host key goes in first, so wish does not make one of its own.
	srv, err := wish.NewServer(
		func(srv *ssh.Server) error { srv.HostSigners = []ssh.Signer{opts.HostKey}; return nil },
		wish.WithVersion("approvals"),
		// Public keys only: no password or keyboard-interactive handler is
		// set, so x/crypto/ssh offers neither method.
		wish.WithPublicKeyAuth(s.publicKey),
		ssh.WrapConn(s.accept),
		wish.WithMiddleware(s.inboxMiddleware, s.recoverMiddleware), // the last runs first
	)
	if err != nil {
		return nil, err
	}
	srv.HandshakeTimeout = defaultHandshake
	srv.ConnectionFailedCallback = func(conn net.Conn, err error) {
		s.log.Info("ssh handshake failed", "remote", conn.RemoteAddr().String(), "err", err.Error())
	}
	s.ssh = srv
	return s, nil
}

// accept rate-limits new connections per address, before the handshake.
func (s *Server) accept(_ ssh.Context, conn net.Conn) net.Conn {
	if !s.limiter.allow(conn.RemoteAddr()) {
		s.log.Warn("connection refused: too many from this address", "remote", conn.RemoteAddr().String())
		return nil
	}
	return conn
}

// publicKey admits the keys of the authorized_keys file and records, for
// the key being tried, its binding in the connection's permissions.
// x/crypto/ssh hands the session the permissions returned for the key the
// client proved it holds, so the session never sees another key's binding.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	b, ok := s.opts.Keys.Lookup(key)
	if !ok {
		s.log.Info("key refused: not in authorized keys", "remote", ctx.RemoteAddr().String(), "key", gossh.FingerprintSHA256(key))
		return false
	}
	perms := ctx.Permissions()
	if perms.Extensions == nil {
		perms.Extensions = map[string]string{}
	}
	perms.Extensions[extUser] = b.User
	perms.Extensions[extFingerprint] = b.Fingerprint
	return true
}

// Serve accepts connections on ln until Shutdown or Close.
func (s *Server) Serve(ln net.Listener) error {
	err := s.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Close drops every connection at once (decisions still queued are not
// sent). Shutdown is the graceful way.
func (s *Server) Close() error { return s.ssh.Close() }

// Sessions is how many sessions are open.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Shutdown stops accepting connections, tells every session the server is
// stopping, lets each send the decisions it has queued once their undo
// windows end, and returns when all sessions have ended or the shutdown
// timeout (or ctx) runs out; then the remaining sessions are ended and
// their unsent decisions reported. It returns the number of decisions
// not known to be sent.
func (s *Server) Shutdown(ctx context.Context) (unsent int) {
	s.mu.Lock()
	s.draining = true
	open := make([]*session, 0, len(s.sessions))
	for ss := range s.sessions {
		open = append(open, ss)
	}
	s.mu.Unlock()
	s.log.Info("shutting down", "sessions", len(open))

	// Stop accepting first: the listener closes at once, and this returns
	// only when every connection has ended (or never: hence the goroutine).
	stopped := make(chan struct{})
	go func() {
		_ = s.ssh.Shutdown(context.Background())
		close(stopped)
	}()
	for _, ss := range open {
		ss.drain()
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	ctx, cancel := context.WithTimeout(ctx, s.opts.ShutdownTimeout)
	defer cancel()
	select {
	case <-done:
	case <-ctx.Done():
		s.mu.Lock()
		for ss := range s.sessions {
			if n := ss.pendingNow(); n > 0 {
				unsent += n
				ss.log.Warn("shutdown: decisions not sent", "unsent", n)
				ss.setReason(fmt.Sprintf("the server stopped before %s could be sent; check with approvals history or the portal", plural(n, "decision")))
			} else {
				ss.setReason("the server has stopped")
			}
			ss.kill()
		}
		s.mu.Unlock()
		<-done
	}
	_ = s.ssh.Close()
	<-stopped
	return unsent
}

func (s *Server) add(ss *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draining || len(s.sessions) >= s.opts.MaxSessions {
		return false
	}
	s.sessions[ss] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) remove(ss *session) {
	s.mu.Lock()
	delete(s.sessions, ss)
	s.mu.Unlock()
	s.wg.Done()
}

// recoverMiddleware keeps a panic in one session's handler from ending the
// server: the session ends with a message instead.
func (s *Server) recoverMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("session panicked", "remote", sess.RemoteAddr().String(), "panic", fmt.Sprint(r))
				fmt.Fprint(sess.Stderr(), "\r\napprovals: this session hit an internal error and has ended; other sessions are not affected.\r\n")
				_ = sess.Exit(1)
			}
		}()
		next(sess)
	}
}

func newSessionID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprint(n) + " " + noun + "s"
}

// refuse ends a session before any inbox runs.
func refuse(sess ssh.Session, code int, msg string) {
	fmt.Fprint(sess.Stderr(), "approvals: "+strings.TrimSpace(msg)+"\r\n")
	_ = sess.Exit(code)
}
