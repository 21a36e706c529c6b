package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"

	"approvals/graph"
	"approvals/ui"
)

// session is one SSH session's inbox as the server sees it.
type session struct {
	log *slog.Logger

	mu       sync.Mutex
	prog     *tea.Program
	drained  bool // the server asked it to finish before the program existed
	reason   string
	exitCode int
	outcomes map[graph.Outcome]int // decisions this session sent, by outcome

	pending atomic.Int64 // Model.Pending, as of the last Update
}

func (ss *session) setProgram(p *tea.Program) (drain bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.prog = p
	return ss.drained
}

// drain asks the session to send what it has queued and end.
func (ss *session) drain() {
	ss.mu.Lock()
	p := ss.prog
	ss.drained = true
	ss.mu.Unlock()
	if p != nil {
		go p.Send(drainMsg{}) // Send blocks until the program reads it
	}
}

// end asks the session to end with a message.
func (ss *session) end(code int, reason string) {
	ss.mu.Lock()
	p := ss.prog
	ss.mu.Unlock()
	if p != nil {
		go p.Send(endMsg{code: code, reason: reason})
	}
}

func (ss *session) kill() {
	ss.mu.Lock()
	p := ss.prog
	ss.mu.Unlock()
	if p != nil {
		p.Kill()
	}
}

func (ss *session) pendingNow() int { return int(ss.pending.Load()) }

// setReason keeps the first reason given for the session's end.
func (ss *session) setReason(reason string) { ss.setEnd(0, reason) }

func (ss *session) setEnd(code int, reason string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.reason == "" {
		ss.reason, ss.exitCode = reason, code
	}
}

func (ss *session) ending() (int, string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.exitCode, ss.reason
}

func (ss *session) decided(o graph.Outcome) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.outcomes == nil {
		ss.outcomes = map[graph.Outcome]int{}
	}
	ss.outcomes[o]++
}

// sentSummary is "2 decisions sent: 1 approved, 1 denied", or "".
func (ss *session) sentSummary() string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	total := 0
	var parts []string
	for o, n := range ss.outcomes {
		total += n
		parts = append(parts, fmt.Sprintf("%d %s", n, o))
	}
	if total == 0 {
		return ""
	}
	sort.Strings(parts)
	return plural(total, "decision") + " sent this session: " + strings.Join(parts, ", ")
}

// Messages from the server to a session's program.
type (
	drainMsg     struct{}
	idleCheckMsg struct{}
	endMsg       struct {
		code   int
		reason string
	}
)

func (s *Server) inboxMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.runSession(sess)
		next(sess)
	}
}

// runSession serves one inbox on sess, from refusal checks to the last
// line printed after the inbox ends.
func (s *Server) runSession(sess ssh.Session) {
	ext := sess.Permissions().Extensions
	conn := Conn{User: ext[extUser], Fingerprint: ext[extFingerprint], RemoteAddr: sess.RemoteAddr().String(), Session: newSessionID()}
	log := s.log.With("session", conn.Session, "remote", conn.RemoteAddr, "key", conn.Fingerprint)
	if conn.Fingerprint == "" { // cannot happen: only public keys authenticate
		log.Error("session without an authorized key refused")
		refuse(sess, 1, "not signed in with an authorized key")
		return
	}
	_, windows, isPty := sess.Pty()
	if !isPty || len(sess.Command()) > 0 {
		// Commands (approvals list --json, …) are refused rather than run
		// with a second set of semantics: the server's CLI would act for
		// the server's own sign-in, not this key's.
		log.Info("refused: not an interactive session", "pty", isPty, "command", len(sess.Command()) > 0)
		refuse(sess, 2, "approvals serve runs the interactive inbox only; commands such as 'approvals list --json' are not served over SSH. "+
			"Connect with a terminal and no command (ssh -t), or run the command where approvals is installed.")
		return
	}
	ss := &session{log: log}
	if !s.add(ss) {
		log.Warn("refused: server full or stopping", "max_sessions", s.opts.MaxSessions)
		refuse(sess, 1, "the server is busy or stopping; try again in a minute.")
		return
	}
	defer s.remove(ss)
	log.Info("connected", "bound_user", conn.User)

	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	ib, err := s.opts.Inbox(ctx, conn)
	if err != nil {
		log.Warn("refused: no inbox for this key", "err", err.Error())
		refuse(sess, 1, err.Error())
		return
	}
	if ib.Close != nil {
		defer ib.Close()
	}
	guard := &identityGuard{bound: conn.User, account: ib.Account}
	opts := ib.UI
	if opts.SignIn == nil {
		if err := guard.check(); err != nil {
			log.Warn("refused: wrong user", "err", err.Error())
			refuse(sess, 1, err.Error())
			return
		}
		log.Info("acting as", "user", guard.who())
	} else {
		signIn := opts.SignIn
		opts.SignIn = func(ctx context.Context, prompt func(ui.DeviceCode)) error {
			if err := signIn(ctx, prompt); err != nil {
				return err
			}
			if err := guard.check(); err != nil {
				log.Warn("sign-in refused: wrong user", "user", guard.who())
				ss.end(1, err.Error())
				return err
			}
			log.Info("signed in", "user", guard.who())
			return nil
		}
	}
	opts.Backend = &guardedBackend{inner: opts.Backend, guard: guard, ss: ss}

	inbox := ui.NewBound(ctx, opts)
	defer inbox.Close()
	now := s.opts.Now
	sm := &sessionModel{inbox: inbox, ss: ss, now: now, idle: s.opts.IdleTimeout, lastInput: now()}
	progOpts := append(bubbletea.MakeOptions(sess),
		tea.WithoutSignalHandler(), // SIGINT/SIGTERM are the server's: Shutdown tells each session
	)
	p := tea.NewProgram(sm, progOpts...)
	if ss.setProgram(p) {
		go p.Send(drainMsg{})
	}

	var wg sync.WaitGroup
	defer wg.Wait()
	stop := make(chan struct{})
	defer close(stop)
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				p.Quit() // the client went away
				return
			case <-stop:
				return
			case w, ok := <-windows:
				if !ok {
					windows = nil // closed with the session's requests: wait for the end
					continue
				}
				p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	})
	if s.opts.IdleTimeout > 0 {
		wg.Go(func() {
			t := time.NewTicker(s.opts.IdleCheck)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					p.Send(idleCheckMsg{})
				}
			}
		})
	}

	_, runErr := p.Run()
	p.Kill() // restores the client's terminal if the program did not
	cancel()

	code, reason := ss.ending()
	unsent := ss.pendingNow()
	switch {
	case errors.Is(runErr, tea.ErrProgramPanic):
		log.Error("session ended by an internal error")
		code, reason = 1, internalErrorMsg
	case sess.Context().Err() != nil && reason == "":
		if unsent > 0 {
			log.Warn("client disconnected with decisions not sent", "unsent", unsent)
		}
	}
	if unsent > 0 && reason == "" {
		reason = plural(unsent, "decision") + " left unsent"
	}
	if sum := ss.sentSummary(); sum != "" && reason != "" {
		reason += " (" + sum + ")"
	}
	log.Info("disconnected", "reason", reason, "unsent", unsent)
	if reason != "" {
		fmt.Fprint(sess.Stderr(), "approvals: "+reason+"\r\n")
	}
	_ = sess.Exit(code)
}

// identityGuard holds who a session may act as, and whether its sign-in
// has shown it is that user.
type identityGuard struct {
	bound   string
	account func() string
	ok      atomic.Bool
}

func (g *identityGuard) who() string {
	if g.account == nil {
		return ""
	}
	return g.account()
}

// check compares the signed-in account with the key's bound user.
func (g *identityGuard) check() error {
	who := g.who()
	switch {
	case who == "":
		g.ok.Store(false)
		return errors.New("the sign-in did not say who you are; this session has ended")
	case g.bound != "" && !strings.EqualFold(who, g.bound):
		g.ok.Store(false)
		return fmt.Errorf("this key is bound to %s, but the sign-in was %s; this session has ended and nothing was done as %s",
			g.bound, who, who)
	}
	g.ok.Store(true)
	return nil
}

// errNotVerified is what Graph calls get before the sign-in is checked.
var errNotVerified = errors.New("not signed in as this key's user")

// guardedBackend makes no Graph call until the session's identity has
// been checked, and logs each decision (never its justification).
type guardedBackend struct {
	inner ui.Backend
	guard *identityGuard
	ss    *session
}

// errInternal is what a call that panicked returns; the session then ends.
var errInternal = errors.New("internal error")

// contain turns a panic in a Graph call (a Cmd goroutine) into the end of
// this session, with the panic logged but not dumped on the server's
// terminal.
func (b *guardedBackend) contain(err *error) {
	if r := recover(); r != nil {
		b.ss.log.Error("session panicked in a Graph call", "panic", fmt.Sprint(r))
		b.ss.end(1, internalErrorMsg)
		*err = errInternal
	}
}

const internalErrorMsg = "this session hit an internal error and has ended; other sessions are not affected"

func (b *guardedBackend) Refresh(ctx context.Context) (snap *graph.Snapshot, err error) {
	if !b.guard.ok.Load() {
		return nil, errNotVerified
	}
	defer b.contain(&err)
	return b.inner.Refresh(ctx)
}

// RefreshEach streams the refresh when the inner backend can.
func (b *guardedBackend) RefreshEach(ctx context.Context, progress func(graph.Progress)) (snap *graph.Snapshot, err error) {
	if !b.guard.ok.Load() {
		return nil, errNotVerified
	}
	defer b.contain(&err)
	if sb, ok := b.inner.(ui.StreamingBackend); ok {
		return sb.RefreshEach(ctx, progress)
	}
	return b.inner.Refresh(ctx)
}

func (b *guardedBackend) Decide(ctx context.Context, req graph.DecisionRequest) (res graph.DecisionResult) {
	if !b.guard.ok.Load() {
		return graph.DecisionResult{Request: req, Outcome: graph.OutcomeCancelled, Err: errNotVerified}
	}
	var err error
	defer func() {
		if err != nil {
			res = graph.DecisionResult{Request: req, Outcome: graph.OutcomeUnknown, Err: err}
		}
	}()
	defer b.contain(&err)
	res = b.inner.Decide(ctx, req)
	b.ss.decided(res.Outcome)
	b.ss.log.Info("decision", "user", b.guard.who(), "ref", req.Ref.String(), "stage", req.StageID,
		"decision", string(req.Decision), "outcome", string(res.Outcome), "request_id", res.RequestID)
	return res
}

func (b *guardedBackend) Forget(ref graph.Ref) { b.inner.Forget(ref) }

// errNoIdentity is Me's error when the inner backend cannot say who is
// signed in.
var errNoIdentity = errors.New("the backend cannot say who is signed in")

// Me passes the signed-in user's identity on (/me), so the inbox flags
// the approver's own requests over SSH as it does locally.
func (b *guardedBackend) Me(ctx context.Context) (id graph.Identity, err error) {
	if !b.guard.ok.Load() {
		return graph.Identity{}, errNotVerified
	}
	ib, ok := b.inner.(ui.IdentityBackend)
	if !ok {
		return graph.Identity{}, errNoIdentity
	}
	defer b.contain(&err)
	return ib.Me(ctx)
}

// sessionModel is the inbox plus what the server asks of it: to finish
// when the server stops, and to end after idle time with nothing queued.
type sessionModel struct {
	inbox     *ui.Model
	ss        *session
	now       func() time.Time
	idle      time.Duration
	lastInput time.Time
	draining  bool
	keptIdle  bool // logged that idle time was not enforced (decisions queued)
}

func (m *sessionModel) Init() tea.Cmd  { return m.inbox.Init() }
func (m *sessionModel) View() tea.View { return m.inbox.View() }

func (m *sessionModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case drainMsg:
		m.draining = true
		if n := m.inbox.Pending(); n > 0 {
			m.ss.log.Info("shutdown: waiting for decisions", "pending", n)
			m.inbox.Announce("The server is stopping: " + plural(n, "decision") +
				" will go out when the undo window ends (u still undoes), then this session closes.")
			return m, nil
		}
		if risk := m.inbox.Unsaved(); risk != "" {
			m.ss.log.Info("shutdown: waiting for a justification being typed")
			m.inbox.Announce("The server is stopping: send or drop what you are typing now, or " + risk + " when it stops.")
			return m, nil
		}
		m.ss.setReason("the server is stopping; nothing was waiting to be sent")
		return m, tea.Quit
	case idleCheckMsg:
		return m, m.onIdleCheck()
	case endMsg:
		m.ss.setEnd(msg.code, msg.reason)
		return m, tea.Quit
	case tea.KeyPressMsg, tea.PasteMsg:
		m.lastInput, m.keptIdle = m.now(), false
	}
	_, cmd := m.inbox.Update(msg)
	n := m.inbox.Pending()
	m.ss.pending.Store(int64(n))
	if m.draining && n == 0 && m.inbox.Unsaved() == "" {
		m.ss.setReason("the server is stopping; everything you decided was sent")
		return m, tea.Quit
	}
	return m, cmd
}

// onIdleCheck ends a session nobody has typed in for the idle timeout,
// unless it holds decisions or a typed justification: those are never
// dropped for idleness.
func (m *sessionModel) onIdleCheck() tea.Cmd {
	if m.idle <= 0 || m.now().Sub(m.lastInput) < m.idle {
		return nil
	}
	if n, risk := m.inbox.Pending(), m.inbox.Unsaved(); n > 0 || risk != "" {
		if !m.keptIdle {
			m.keptIdle = true
			m.ss.log.Info("idle, kept open: decisions pending or a justification typed", "pending", n)
		}
		return nil
	}
	m.ss.log.Info("idle timeout")
	m.ss.setReason(fmt.Sprintf("no key pressed for %s, so this session has ended (nothing was waiting to be sent)", m.idle))
	return tea.Quit
}

var (
	_ ui.StreamingBackend = (*guardedBackend)(nil)
	_ ui.IdentityBackend  = (*guardedBackend)(nil)
)
