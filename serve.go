package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"approvals/config"
	"approvals/graph"
	"approvals/graph/auth"
	"approvals/graph/journal"
	"approvals/graph/sim"
	"approvals/ui"
	"approvals/ui/cli"
	"approvals/ui/serve"
)

// serveFlags are approvals serve's options.
type serveFlags struct {
	listen, keys, stateDir string
	maxSessions            int
	idle, shutdown         time.Duration
	remember               time.Duration
	rateBurst              int
	rateInterval           time.Duration
	logJSON                bool
	demo                   bool
	tenant                 demoTenantOptions // --demo's simulated tenant, as approvals demo's
}

// newServeCmd is `approvals serve`: the inbox over SSH, one per session.
// The server lives in ui/serve; this wires it: configuration, host key,
// authorized keys, and the per-session inbox factory (Entra ID or the
// simulated tenant).
func newServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the inbox over SSH: each approver connects with their key and signs in as themselves",
		Long: `Serve the inbox over SSH. Each connection gets its own inbox; public keys only,
from an OpenSSH authorized_keys file (re-read when it changes). The option
approvals-user="UPN" before a key binds it to that Entra user:

  approvals-user="megan@contoso.com" ssh-ed25519 AAAA... megan's laptop

A key without it may sign in as anyone. Each session signs in with a device
code shown in the session; tokens stay in this process's memory for that key
only (--remember keeps them for reconnects). With --demo, sessions use a
built-in simulated tenant and each key acts as the approver it is bound to.

Commands over SSH (ssh host approvals list --json) are refused: only the
interactive inbox is served.`,
		Example: "  approvals serve --demo --authorized-keys ~/.ssh/authorized_keys\n  approvals serve --listen 0.0.0.0:2222 --authorized-keys /etc/approvals/authorized_keys",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", serve.DefaultListen, "address to listen on")
	fl.StringVar(&f.keys, "authorized-keys", "", "OpenSSH authorized_keys file of who may connect (default: authorized_keys in the config folder)")
	fl.StringVar(&f.stateDir, "state-dir", "", "folder of the host key (default: the state folder; ssh_host_ed25519_key is made there on first start)")
	fl.IntVar(&f.maxSessions, "max-sessions", serve.DefaultMaxSessions, "sessions at once")
	fl.DurationVar(&f.idle, "idle-timeout", serve.DefaultIdleTimeout, "end a session after this long without a key press (never one holding a queued decision); 0 never")
	fl.DurationVar(&f.shutdown, "shutdown-timeout", serve.DefaultShutdownTimeout, "on SIGINT/SIGTERM, how long to let queued decisions go out")
	fl.DurationVar(&f.remember, "remember", 0, "keep a key's sign-in in memory this long after its session ends, for reconnects (default: dropped at once)")
	fl.IntVar(&f.rateBurst, "rate-burst", serve.DefaultRateBurst, "connections one address may open at once")
	fl.DurationVar(&f.rateInterval, "rate-interval", serve.DefaultRateInterval, "then one connection per address per this interval")
	fl.BoolVar(&f.logJSON, "log-json", false, "log JSON lines instead of key=value text (to stderr)")
	fl.BoolVar(&f.demo, "demo", false, "serve the built-in simulated tenant instead of Entra ID (no sign-in)")
	addDemoTenantFlags(cmd, &f.tenant, "--demo: ")
	return cmd
}

func runServe(cmd *cobra.Command, f serveFlags) error {
	cfg, err := cli.LoadConfig(cmd, ui.DefaultKeys())
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	var logger *slog.Logger
	if f.logJSON {
		logger = slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
	} else {
		logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
	}
	if f.keys == "" {
		f.keys = filepath.Join(cfg.Dirs.Config, "authorized_keys")
	}
	if f.stateDir == "" {
		f.stateDir = cfg.Dirs.State
	}
	keys, err := serve.OpenKeyFile(f.keys, func(errs []serve.LineError) {
		for _, e := range errs {
			logger.Warn("authorized keys: line skipped", "file", f.keys, "line", e.Line, "err", e.Err.Error())
		}
	})
	if err != nil {
		return fmt.Errorf("%w (give --authorized-keys FILE: an OpenSSH authorized_keys file)", err)
	}
	signer, hostKeyPath, created, err := serve.HostKey(f.stateDir)
	if err != nil {
		return err
	}

	ctx := cmd.Context()
	var factory serve.Factory
	var cleanup func()
	var demoUsers []sim.User
	if f.demo {
		factory, demoUsers, cleanup, err = demoFactory(cfg, f.tenant)
	} else {
		factory, cleanup, err = entraFactory(cfg, f, nil)
	}
	if err != nil {
		return err
	}
	defer cleanup()

	srv, err := serve.New(serve.Options{
		Keys: keys, HostKey: signer, Inbox: factory, Logger: logger,
		MaxSessions: f.maxSessions, IdleTimeout: orNever(f.idle), ShutdownTimeout: f.shutdown,
		RateBurst: f.rateBurst, RateInterval: f.rateInterval,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", f.listen, err)
	}
	state := "kept from an earlier start"
	if created {
		state = "made now"
	}
	fmt.Fprintf(out, "approvals serve: listening on %s\n", ln.Addr())
	fmt.Fprintf(out, "host key %s (ed25519, %s, %s)\n", gossh.FingerprintSHA256(signer.PublicKey()), hostKeyPath, state)
	fmt.Fprintf(out, "authorized keys: %s (%d accepted)\n", keys.Path(), keys.Len())
	if f.demo {
		names := make([]string, 0, len(demoUsers))
		for _, u := range demoUsers {
			names = append(names, u.UserPrincipalName)
		}
		fmt.Fprintf(out, "demo tenant: bind keys to one of: %s (a key without approvals-user acts as %s)\n", strings.Join(names, ", "), names[0])
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintf(out, "approvals serve: stopping; sessions send what they have queued (up to %s)\n", f.shutdown)
	unsent := srv.Shutdown(context.Background())
	<-served
	if unsent > 0 {
		return fmt.Errorf("stopped with %d decisions not sent (see the log for their sessions)", unsent)
	}
	return nil
}

func orNever(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// demoFactory serves the demo tenant (approvals demo's, see
// startDemoTenant) on loopback, shared by every session (it is the
// tenant's state, like the real one); each session gets its own inbox
// from demoInbox, acting as the approver its key is bound to.
func demoFactory(cfg *config.Config, o demoTenantOptions) (serve.Factory, []sim.User, func(), error) {
	tenant, err := startDemoTenant(o)
	if err != nil {
		return nil, nil, nil, err
	}
	srv := tenant.Server()
	factory := func(_ context.Context, c serve.Conn) (*serve.Inbox, error) {
		who, err := srv.Approver(c.User) // "" (a key bound to nobody): the demo identity
		if err != nil {
			return nil, fmt.Errorf("this key is bound to %s, who is not an approver in the demo tenant", c.User)
		}
		opts, err := demoInbox(cfg, tenant, who, o.Activity)
		if err != nil {
			return nil, err
		}
		upn := who.UserPrincipalName
		return &serve.Inbox{UI: opts, Account: func() string { return upn }}, nil
	}
	return factory, srv.Approvers(), tenant.Close, nil
}

// entraFactory signs each session in to Entra ID as its own user, with a
// device code shown in the session. A key's sign-in (and its tokens) is
// kept in memory only, shared by that key's open sessions, and dropped
// when the last ends unless --remember keeps it. Each session opens the
// decision journal recording its user, key and address, and gets its
// inbox from newInbox, as the local inbox does.
//
// newCred replaces azidentity in tests (nil: the real device code flow).
func entraFactory(cfg *config.Config, f serveFlags, newCred func(auth.CredentialOptions) (auth.Interactive, error)) (serve.Factory, func(), error) {
	if cfg.Auth != "" && cfg.Auth != config.AuthDeviceCode {
		return nil, nil, fmt.Errorf("approvals serve signs every session in with a device code; the auth setting %q is not used for it (unset it or use devicecode)", cfg.Auth)
	}
	cloud, err := graph.CloudByName(cfg.Cloud)
	if err != nil {
		return nil, nil, err
	}
	signIns := serve.NewKeeper[*auth.Session](f.remember, nil)
	factory := func(_ context.Context, c serve.Conn) (*serve.Inbox, error) {
		as, err := signIns.Acquire(c.Fingerprint, func() (*auth.Session, error) {
			return auth.New(auth.Options{
				Method: config.AuthDeviceCode, Cloud: cloud, Tenant: cfg.Tenant, ClientID: cfg.ClientID,
				// No AccountsDir and an in-memory cache: nothing of this
				// sign-in touches the server's disk.
				NewCache:      func(string) (azidentity.Cache, error) { return azidentity.Cache{}, nil },
				NewCredential: newCred,
			})
		})
		if err != nil {
			return nil, err
		}
		j, err := journal.Open(cfg.Dirs.JournalFile(), journal.Options{User: c.User, Key: c.Fingerprint, Remote: c.RemoteAddr})
		if err != nil {
			signIns.Release(c.Fingerprint)
			return nil, err
		}
		opts, err := newInbox(inboxSession{
			Config:  cfg,
			SignIn:  keySignIn{Session: as, user: c.User, journal: j, forget: func() { signIns.Forget(c.Fingerprint) }},
			Journal: j,
		})
		if err != nil {
			j.Close()
			signIns.Release(c.Fingerprint)
			return nil, err
		}
		return &serve.Inbox{UI: opts, Account: as.Account, Close: func() {
			j.Close()
			signIns.Release(c.Fingerprint)
		}}, nil
	}
	return factory, func() {}, nil
}

// keySignIn is one SSH session's sign-in: its key's *auth.Session (kept
// for that key's sessions), bound to the key's approvals-user. Its tokens
// go only to Graph calls made while the sign-in is that user, and a
// sign-in as anyone else is never remembered.
type keySignIn struct {
	*auth.Session
	user    string           // the key's approvals-user; "": anyone
	journal *journal.Journal // records who signed in
	forget  func()           // drops the key's kept sign-in
}

func (k keySignIn) Credential() azcore.TokenCredential {
	return boundCredential{inner: k.Session.Credential(), account: k.Account, user: k.user}
}

func (k keySignIn) EnsureSignedIn(ctx context.Context, prompt func(auth.DeviceCode)) error {
	if err := k.Session.EnsureSignedIn(ctx, prompt); err != nil {
		return err
	}
	who := k.Account()
	if k.user != "" && !strings.EqualFold(who, k.user) {
		k.forget() // never remember a sign-in as someone else
		return nil // serve ends the session: Account is not the key's user
	}
	k.journal.SetUser(who)
	return nil
}

// boundCredential hands out a token only while the sign-in is the key's
// bound user: even a Graph call racing a sign-in as someone else cannot
// act as them.
type boundCredential struct {
	inner   azcore.TokenCredential
	account func() string
	user    string
}

func (b boundCredential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if b.user != "" && !strings.EqualFold(b.account(), b.user) {
		return azcore.AccessToken{}, fmt.Errorf("this session is not signed in as %s", b.user)
	}
	return b.inner.GetToken(ctx, o)
}

// graphSourcesOf maps the sources setting (names checked by config).
func graphSourcesOf(names []string) []graph.Source {
	out := make([]graph.Source, 0, len(names))
	for _, n := range names {
		if src, ok := graph.ParseSource(n); ok {
			out = append(out, src)
		}
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
