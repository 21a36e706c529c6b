package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"approvals/config"
	"approvals/graph"
	"approvals/graph/auth"
	"approvals/graph/journal"
	"approvals/ui"
	"approvals/ui/cli"
)

// The composition root: this package is the only place that knows every
// part. It reads the config, builds the sign-in, the Graph client, the
// journal and (for demo and serve --demo) the simulator, and hands the
// inbox and the command line what they need as values.

// signIn is one session's sign-in: an *auth.Session, or a fixed identity
// (a demo approver, see fixedSignIn). Each inbox has its own.
type signIn interface {
	Credential() azcore.TokenCredential
	Scopes() []string // nil: the client's default for its Graph root
	Account() string  // the signed-in user's principal name, "" before sign-in
	Interactive() bool
	EnsureSignedIn(ctx context.Context, prompt func(auth.DeviceCode)) error
}

var _ signIn = (*auth.Session)(nil)

// endpoints are where a client talks to: empty fields come from the
// config and its cloud.
type endpoints struct {
	GraphURL string
	ARMURL   string
}

// inboxSession is what newInbox builds one inbox from. Config is read-only
// and may be shared by many sessions; everything else belongs to this
// session alone.
type inboxSession struct {
	Config *config.Config // settings: look, keys, timings, cloud, endpoints, sources (read-only)
	SignIn signIn         // this session's sign-in (required)
	// Journal records this session's decisions; nil: they are not
	// journalled. The caller closes it after the inbox has ended.
	Journal *journal.Journal
	// Endpoints override the config's (the demo: the simulator's).
	Endpoints endpoints
	// Identity is the title bar's "signed in as" text. Empty: the
	// sign-in's account, then the name Graph's /me gives once signed in.
	Identity string
	// PollAtMost caps the poll interval (the demo's activity interval, so
	// what others do is seen as it happens); 0: no cap.
	PollAtMost time.Duration
	// Notices are said once the inbox is on screen (what was said before
	// it took the terminal is gone from view).
	Notices []string

	Transport policy.Transporter // tests: where Graph requests go
	Now       func() time.Time   // nil: time.Now
}

// newInbox builds one inbox for one session: its Graph client (from the
// config, the session's sign-in and journal) and the inbox's options. Run
// them with ui.Run(ctx, opts, programOptions...) — per SSH session with
// that session's input, output, size and colour profile. Two calls share
// nothing but the read-only config.
func newInbox(s inboxSession) (ui.Options, error) {
	if s.Config == nil || s.SignIn == nil {
		return ui.Options{}, errors.New("newInbox: a config and a sign-in are required")
	}
	client, err := newClient(clientParts{
		Config: s.Config, SignIn: s.SignIn, Journal: s.Journal, Endpoints: s.Endpoints,
		Transport: s.Transport, Now: s.Now,
	})
	if err != nil {
		return ui.Options{}, err
	}
	opts := ui.FromSettings(s.Config.Settings)
	opts.Backend = client
	opts.Notices = append([]string(nil), s.Notices...)
	if s.Now != nil {
		opts.Now = s.Now
	}
	if s.PollAtMost > 0 && opts.PollInterval > s.PollAtMost {
		opts.PollInterval = s.PollAtMost
	}
	if s.Identity != "" {
		opts.Identity = s.Identity
	} else {
		in := s.SignIn
		opts.Identity = in.Account()
		opts.WhoAmI = func(ctx context.Context) (string, error) {
			me, err := client.Me(ctx)
			if err != nil || me.DisplayName == "" {
				return "", err
			}
			if acct := in.Account(); acct != "" {
				return me.DisplayName + " <" + acct + ">", nil
			}
			return me.DisplayName, nil
		}
	}
	if s.SignIn.Interactive() {
		opts.SignIn = ui.AuthSignIn(s.SignIn.EnsureSignedIn) // the device code is drawn inside the inbox
	}
	return opts, nil
}

// clientParts are what a Graph client is built from.
type clientParts struct {
	Config    *config.Config
	SignIn    signIn
	Journal   *journal.Journal // nil: none
	Endpoints endpoints        // overrides; empty: the config's, else the cloud's
	Transport policy.Transporter
	Now       func() time.Time
}

// newClient builds a Graph client (with the Azure Resource Manager source)
// from the config, a sign-in and a journal.
func newClient(p clientParts) (*graph.Client, error) {
	cfg := p.Config
	cloud, err := graph.CloudByName(cfg.Cloud)
	if err != nil {
		return nil, err
	}
	opts := graph.Options{
		GraphURL:      firstNonEmpty(p.Endpoints.GraphURL, cfg.GraphURL, cloud.GraphURL),
		Credential:    p.SignIn.Credential(),
		Scopes:        p.SignIn.Scopes(),
		ClientOptions: azcore.ClientOptions{Transport: p.Transport},
		Now:           p.Now,
		Sources:       graphSourcesOf(cfg.Sources),
		ARMURL:        firstNonEmpty(p.Endpoints.ARMURL, cfg.ARMURL, cloud.ARMURL),
		// The cloud's ARM audience even when arm_url points elsewhere.
		ARMScopes: graph.ARMScopes(cloud.ARMURL),
	}
	if p.Endpoints.ARMURL == "" && cfg.Auth == config.AuthToken && cfg.ARMURL == "" && cfg.GraphURL != "" {
		// A static token is for one audience: a Graph token (or a
		// simulator's) is no ARM token, so without --arm-url the Azure
		// source would only be refused.
		opts.ARMURL = ""
	}
	if p.Journal != nil { // a nil *journal.Journal is not a nil graph.Journal
		opts.Journal = p.Journal
	}
	return graph.New(opts)
}

// fixedSignIn is a sign-in that is already done: a bearer token the
// simulator reads as the user's principal name.
type fixedSignIn struct{ upn string }

func (f fixedSignIn) Credential() azcore.TokenCredential { return graph.StaticToken(f.upn) }
func (fixedSignIn) Scopes() []string                     { return nil }
func (f fixedSignIn) Account() string                    { return f.upn }
func (fixedSignIn) Interactive() bool                    { return false }
func (fixedSignIn) EnsureSignedIn(context.Context, func(auth.DeviceCode)) error {
	return nil
}

// host is what the assembly reads from the process: the environment and
// the clock; tests route Graph traffic and replace azidentity.
type host struct {
	Getenv    func(string) string // nil: os.Getenv
	Now       func() time.Time    // nil: time.Now
	Transport policy.Transporter  // tests: where Graph requests go
	AuthHook  func(*auth.Options) // tests: replace azidentity
}

func (h host) getenv(k string) string {
	if h.Getenv == nil {
		return os.Getenv(k)
	}
	return h.Getenv(k)
}

func (h host) now() time.Time {
	if h.Now == nil {
		return time.Now()
	}
	return h.Now()
}

// cliSetup is what the command line gets from the root: how to connect,
// sign out and run the inbox.
func (h host) cliSetup() cli.Setup {
	return cli.Setup{Getenv: h.Getenv, Now: h.Now, Keys: ui.DefaultKeys(), Connect: h.connect, SignOut: h.signOut, Inbox: h.runInbox}
}

// connect builds a command's session: the sign-in the config names, the
// journal when asked for, and the Graph client.
func (h host) connect(cfg *config.Config, o cli.ConnectOptions) (*cli.Session, error) {
	cloud, err := graph.CloudByName(cfg.Cloud)
	if err != nil {
		return nil, err
	}
	as, err := h.signIn(cfg, cloud, o.Warn)
	if err != nil {
		return nil, err
	}
	s := &cli.Session{Auth: as}
	if o.Journal {
		if s.Journal, err = journal.Open(cfg.Dirs.JournalFile(), journal.Options{User: as.Account(), Now: h.Now}); err != nil {
			return nil, err
		}
	}
	if s.Client, err = newClient(clientParts{Config: cfg, SignIn: as, Journal: s.Journal, Transport: h.Transport, Now: h.Now}); err != nil {
		if s.Journal != nil {
			s.Journal.Close()
		}
		return nil, err
	}
	return s, nil
}

// signIn builds the sign-in the config names: device code, browser or a
// static token.
func (h host) signIn(cfg *config.Config, cloud graph.Cloud, warn func(string)) (*auth.Session, error) {
	opts := auth.Options{
		Method: cfg.Auth, Cloud: cloud, Tenant: cfg.Tenant, ClientID: cfg.ClientID,
		AccountsDir: cfg.Dirs.AccountsDir(), CacheDir: auth.IdentityCacheDir(h.getenv), Warn: warn, Now: h.Now,
	}
	if cfg.Auth == config.AuthToken {
		tok, err := auth.LoadToken(cfg.TokenFile, h.getenv("APPROVALS_TOKEN"), warn)
		if err != nil {
			return nil, err
		}
		opts.Token = tok
	}
	if h.AuthHook != nil {
		h.AuthHook(&opts)
	}
	return auth.New(opts)
}

// signOut forgets the saved sign-in the config names (logout): the
// account record and the token cache files.
func (h host) signOut(cfg *config.Config) (cli.SignedOut, error) {
	cloud, err := graph.CloudByName(cfg.Cloud)
	if err != nil {
		return cli.SignedOut{}, err
	}
	opts := auth.Options{Method: cfg.Auth, Cloud: cloud, Tenant: cfg.Tenant, ClientID: cfg.ClientID,
		AccountsDir: cfg.Dirs.AccountsDir(), CacheDir: auth.IdentityCacheDir(h.getenv),
		// Logging out needs no working cache, only its file names.
		NewCache: func(string) (azidentity.Cache, error) { return azidentity.Cache{}, nil },
	}
	if h.AuthHook != nil {
		h.AuthHook(&opts)
	}
	as, err := auth.New(opts)
	if err != nil {
		return cli.SignedOut{}, err
	}
	account := as.Account()
	removed, err := as.Logout()
	return cli.SignedOut{Account: account, Removed: removed, Err: err}, nil
}

// runInbox is `approvals` without a subcommand: one inbox against the
// signed-in tenant. The device code, when a sign-in is needed, is shown
// inside the inbox.
func (h host) runInbox(ctx context.Context, s *cli.Session) error {
	opts, err := newInbox(inboxSession{
		Config:    s.Config,
		SignIn:    s.Auth,
		Journal:   s.Journal,
		Notices:   s.Warnings(), // said before the inbox took the screen
		Transport: h.Transport,
		Now:       h.Now,
	})
	if err != nil {
		return err
	}
	return ui.Run(ctx, opts)
}
