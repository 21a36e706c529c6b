package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/spf13/cobra"

	"approvals/config"
	"approvals/graph"
	"approvals/graph/auth"
	"approvals/graph/journal"
	"approvals/ui/sanitize"
)

// Setup is what the command tree needs from its host (main.go, or a test).
type Setup struct {
	Stdin  io.Reader // default os.Stdin
	Stdout io.Writer // default os.Stdout
	Stderr io.Writer // default os.Stderr
	Getenv func(string) string
	Now    func() time.Time
	Loc    *time.Location // for times shown to people; default time.Local
	// Width is how many columns Stdout's terminal has; 0 when it is not a
	// terminal (tables print at full width). Default: asks the terminal.
	Width func() int

	// Inbox runs the interactive inbox (`approvals` with no subcommand).
	// Nil: the root command prints its help.
	Inbox func(ctx context.Context, s *Session) error

	// Transport and Auth are for tests: route Graph traffic to a local
	// server, replace azidentity.
	Transport policy.Transporter
	Auth      func(*auth.Options)
}

// Session is everything a command works with once settings are loaded:
// the merged config, the sign-in and the Graph client.
type Session struct {
	Config *config.Config
	Cloud  graph.Cloud
	Auth   *auth.Session
	Client *graph.Client
	// Journal is the decision journal when the session decides (approve,
	// deny, the inbox); nil otherwise. The caller closes it.
	Journal *journal.Journal
	// Warnings said once so far (token cache in memory, ...). Warn prints
	// and records them.
	Warnings []string
	warn     func(string)
}

// Warn tells the user something once, on stderr for commands. The inbox
// host may show Warnings instead.
func (s *Session) Warn(msg string) { s.warn(msg) }

// app is one command tree's state.
type app struct {
	Setup
	root *cobra.Command
}

// settingFlags are the global flags that are settings: flag name → TOML key.
var settingFlags = map[string]string{
	"tenant": "tenant", "client-id": "client_id", "cloud": "cloud",
	"graph-url": "graph_url", "arm-url": "arm_url", "auth": "auth", "token-file": "token_file",
	"sources": "sources",
}

// Attach adds the commands and global flags to root, and makes usage
// mistakes UsageErrors (exit code 2).
func Attach(root *cobra.Command, s Setup) {
	if s.Stdin == nil {
		s.Stdin = os.Stdin
	}
	if s.Stdout == nil {
		s.Stdout = os.Stdout
	}
	if s.Stderr == nil {
		s.Stderr = os.Stderr
	}
	if s.Getenv == nil {
		s.Getenv = os.Getenv
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Loc == nil {
		s.Loc = time.Local
	}
	a := &app{Setup: s, root: root}
	root.SetIn(s.Stdin)
	root.SetOut(s.Stdout)
	root.SetErr(s.Stderr)
	root.SilenceUsage = true
	root.SilenceErrors = true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &UsageError{Err: err} })

	pf := root.PersistentFlags()
	pf.String("config", "", "config file (default: the platform config folder's approvals/config.toml; env APPROVALS_CONFIG)")
	pf.String("profile", "", "settings profile from the config file (env APPROVALS_PROFILE)")
	pf.String("tenant", "", "tenant id or domain (default organizations)")
	pf.String("client-id", "", "app registration (public client) id (default Microsoft Graph Command Line Tools)")
	pf.String("cloud", "", "national cloud: global, usgov, usgovdod or china")
	pf.String("graph-url", "", "Graph root to talk to instead of the cloud's, e.g. a simulator (http only to loopback)")
	pf.String("arm-url", "", "Azure Resource Manager root instead of the cloud's, for the azure source (http only to loopback)")
	pf.String("auth", "", "sign-in method: devicecode, browser or token")
	pf.String("token-file", "", "file holding the bearer token for --auth token (default env APPROVALS_TOKEN)")
	pf.String("sources", "", "approval sources to poll, comma-separated: accessPackage, group, role, azure (default all)")

	if root.RunE == nil && root.Run == nil {
		root.Args = rootArgs
		root.RunE = a.runInbox
	}
	root.AddCommand(a.listCmd(), a.showCmd(), a.decideCmd(graph.Approve), a.decideCmd(graph.Deny),
		a.historyCmd(), a.loginCmd(), a.logoutCmd(), a.configCmd())
}

// rootArgs rejects a mistyped subcommand as a usage error.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q", args[0])
	}
	return nil
}

// args wraps a cobra argument check so its errors are usage errors.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return &UsageError{Err: err}
		}
		return nil
	}
}

func (a *app) runInbox(cmd *cobra.Command, _ []string) error {
	if a.Inbox == nil {
		return cmd.Help()
	}
	s, err := a.session(cmd, true)
	if err != nil {
		return err
	}
	defer s.Journal.Close()
	// The inbox owns the terminal: warnings raised while it runs (a
	// sign-in that could not be saved, say) are printed once it is gone.
	var held []string
	s.warn = func(msg string) {
		s.Warnings = append(s.Warnings, msg)
		held = append(held, msg)
	}
	err = a.Inbox(ctxOf(cmd), s)
	if jerr := s.Journal.Err(); jerr != nil {
		held = append(held, "the journal could not record every outcome ("+jerr.Error()+"); approvals history may miss some")
	}
	for _, msg := range held {
		fmt.Fprintln(a.Stderr, "approvals: warning: "+sanitize.Line(msg))
	}
	return err
}

// loadConfig merges the config file, env and the flags set on cmd.
func (a *app) loadConfig(cmd *cobra.Command) (*config.Config, error) {
	return loadConfig(cmd, a.Getenv)
}

// LoadConfig loads the settings for any command of a tree built with
// Attach (demo and sim included), honouring --config, --profile, the
// setting flags and APPROVALS_* variables.
func LoadConfig(cmd *cobra.Command) (*config.Config, error) { return loadConfig(cmd, os.Getenv) }

func loadConfig(cmd *cobra.Command, getenv func(string) string) (*config.Config, error) {
	flags := map[string]string{}
	for name, key := range settingFlags {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
			flags[key] = f.Value.String()
		}
	}
	return config.Load(config.LoadOptions{Path: flagValue(cmd, "config"), Profile: flagValue(cmd, "profile"), Getenv: getenv, Flags: flags})
}

// flagValue is a flag's value, "" when the command does not have it.
func flagValue(cmd *cobra.Command, name string) string {
	if f := cmd.Flags().Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// session loads settings and builds the sign-in and the Graph client. With
// decide, it also opens the decision journal and hands it to the client.
func (a *app) session(cmd *cobra.Command, decide bool) (*Session, error) {
	cfg, err := a.loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	s := &Session{Config: cfg}
	s.warn = func(msg string) {
		s.Warnings = append(s.Warnings, msg)
		fmt.Fprintln(a.Stderr, "approvals: warning: "+sanitize.Line(msg))
	}
	if s.Cloud, err = graph.CloudByName(cfg.Cloud); err != nil {
		return nil, err
	}
	// Late-bound: the inbox swaps s.warn while it owns the terminal.
	if s.Auth, err = a.signIn(cfg, s.Cloud, func(msg string) { s.warn(msg) }); err != nil {
		return nil, err
	}
	if decide {
		if s.Journal, err = journal.Open(cfg.Dirs.JournalFile(), journal.Options{User: s.Auth.Account(), Now: a.Now}); err != nil {
			return nil, err
		}
	}
	opts := graph.Options{
		GraphURL:   firstNonEmpty(cfg.GraphURL, s.Cloud.GraphURL),
		Credential: s.Auth.Credential(),
		Scopes:     s.Auth.Scopes(),
		Transport:  a.Transport,
		Now:        a.Now,
		Sources:    graphSources(cfg.Sources),
		ARMURL:     firstNonEmpty(cfg.ARMURL, s.Cloud.ARMURL),
		// The cloud's ARM audience even when --arm-url points elsewhere.
		ARMScopes: graph.ARMScopes(s.Cloud.ARMURL),
	}
	if cfg.Auth == config.AuthToken && cfg.ARMURL == "" && cfg.GraphURL != "" {
		// A static token is for one audience: a Graph token (or a
		// simulator's) is no ARM token, so without --arm-url the
		// Azure source would only be refused.
		opts.ARMURL = ""
	}
	if s.Journal != nil {
		opts.Journal = s.Journal
	}
	if s.Client, err = graph.New(opts); err != nil {
		if s.Journal != nil {
			s.Journal.Close()
		}
		return nil, err
	}
	return s, nil
}

// graphSources maps the sources setting (names checked by config) to the
// client's sources.
func graphSources(names []string) []graph.Source {
	out := make([]graph.Source, 0, len(names))
	for _, n := range names {
		if s, ok := graph.ParseSource(n); ok {
			out = append(out, s)
		}
	}
	return out
}

func (a *app) signIn(cfg *config.Config, cloud graph.Cloud, warn func(string)) (*auth.Session, error) {
	opts := auth.Options{
		Method: cfg.Auth, Cloud: cloud, Tenant: cfg.Tenant, ClientID: cfg.ClientID,
		AccountsDir: cfg.Dirs.AccountsDir(), CacheDir: auth.IdentityCacheDir(a.Getenv), Warn: warn, Now: a.Now,
	}
	if cfg.Auth == config.AuthToken {
		tok, err := auth.LoadToken(a.Getenv, cfg.TokenFile, warn)
		if err != nil {
			return nil, err
		}
		opts.Token = tok
	}
	if a.Auth != nil {
		a.Auth(&opts)
	}
	return auth.New(opts)
}

// context gives commands a context even when Execute was called without
// one.
func ctxOf(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// splitLines is strings.Split without a trailing empty line.
func splitLines(s string) []string {
	return strings.Split(strings.TrimRight(s, "\n"), "\n")
}
