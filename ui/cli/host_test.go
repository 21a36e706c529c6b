package cli

import (
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
)

// wired gives s the Connect and SignOut of the composition root (package
// main, which a test here cannot import): the sign-in the settings name,
// the journal and the Graph client, built the same way, with Graph
// traffic sent to transport and azidentity replaced by hook (either may be
// nil). The root's own tests check its wiring; these check the commands.
func wired(s Setup, transport policy.Transporter, hook func(*auth.Options)) Setup {
	getenv := s.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	now := s.Now
	if now == nil {
		now = time.Now
	}
	if s.Keys == nil {
		s.Keys = ui.DefaultKeys() // as the root hands them over
	}
	authOptions := func(cfg *config.Config, cloud graph.Cloud, warn func(string)) auth.Options {
		return auth.Options{Method: cfg.Auth, Cloud: cloud, Tenant: cfg.Tenant, ClientID: cfg.ClientID,
			AccountsDir: cfg.Dirs.AccountsDir(), CacheDir: auth.IdentityCacheDir(getenv), Warn: warn, Now: now}
	}
	s.Connect = func(cfg *config.Config, o ConnectOptions) (*Session, error) {
		cloud, err := graph.CloudByName(cfg.Cloud)
		if err != nil {
			return nil, err
		}
		ao := authOptions(cfg, cloud, o.Warn)
		if cfg.Auth == config.AuthToken {
			if ao.Token, err = auth.LoadToken(cfg.TokenFile, getenv("APPROVALS_TOKEN"), o.Warn); err != nil {
				return nil, err
			}
		}
		if hook != nil {
			hook(&ao)
		}
		as, err := auth.New(ao)
		if err != nil {
			return nil, err
		}
		sess := &Session{Auth: as}
		gopts := graph.Options{GraphURL: cfg.GraphURL, Credential: as.Credential(), Scopes: as.Scopes(),
			ClientOptions: azcore.ClientOptions{Transport: transport}, Now: now, ARMURL: cfg.ARMURL}
		if gopts.GraphURL == "" {
			gopts.GraphURL = cloud.GraphURL
		}
		for _, n := range cfg.Sources {
			if src, ok := graph.ParseSource(n); ok {
				gopts.Sources = append(gopts.Sources, src)
			}
		}
		if o.Journal {
			if sess.Journal, err = journal.Open(cfg.Dirs.JournalFile(), journal.Options{User: as.Account(), Now: now}); err != nil {
				return nil, err
			}
			gopts.Journal = sess.Journal
		}
		if sess.Client, err = graph.New(gopts); err != nil {
			return nil, err
		}
		return sess, nil
	}
	s.SignOut = func(cfg *config.Config) (SignedOut, error) {
		cloud, err := graph.CloudByName(cfg.Cloud)
		if err != nil {
			return SignedOut{}, err
		}
		ao := authOptions(cfg, cloud, nil)
		ao.NewCache = func(string) (azidentity.Cache, error) { return azidentity.Cache{}, nil }
		if hook != nil {
			hook(&ao)
		}
		as, err := auth.New(ao)
		if err != nil {
			return SignedOut{}, err
		}
		account := as.Account()
		removed, err := as.Logout()
		return SignedOut{Account: account, Removed: removed, Err: err}, nil
	}
	return s
}
