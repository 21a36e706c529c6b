package main

import (
	"context"
	"errors"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"approvals/config"
	"approvals/graph"
	"approvals/graph/auth"
	"approvals/graph/journal"
	"approvals/ui"
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
		GraphURL:   firstNonEmpty(p.Endpoints.GraphURL, cfg.GraphURL, cloud.GraphURL),
		Credential: p.SignIn.Credential(),
		Scopes:     p.SignIn.Scopes(),
		Transport:  p.Transport,
		Now:        p.Now,
		Sources:    graphSourcesOf(cfg.Sources),
		ARMURL:     firstNonEmpty(p.Endpoints.ARMURL, cfg.ARMURL, cloud.ARMURL),
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
