package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"approvals/config"
	"approvals/graph"
	"approvals/graph/auth"
	"approvals/graph/journal"
	"approvals/ui/sanitize"
)

// Setup is what the command tree needs from its host: the composition root
// in package main, or a test. The command line does not assemble the
// program; it asks Connect for a Session.
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

	// Keys are the inbox's actions with their default keys (ui.DefaultKeys):
	// the settings' [keys] table is checked against them.
	Keys []config.KeyDef

	// Connect builds what a command works with from the loaded settings:
	// the sign-in and the Graph client and, with Journal set, the decision
	// journal (handed to the client). Commands that talk to Graph need it.
	Connect func(cfg *config.Config, o ConnectOptions) (*Session, error)
	// SignOut forgets the saved sign-in the settings name (logout).
	SignOut func(cfg *config.Config) (SignedOut, error)

	// Inbox runs the interactive inbox (`approvals` with no subcommand).
	// Nil: the root command prints its help.
	Inbox func(ctx context.Context, s *Session) error
}

// ConnectOptions say what a command needs of its Session.
type ConnectOptions struct {
	// Journal opens the decision journal (approve, deny, the inbox).
	Journal bool
	// Warn receives one-line warnings meant for the user (the token cache
	// is in memory only, say), from any goroutine.
	Warn func(string)
}

// SignedOut is what logout did.
type SignedOut struct {
	Account string   // who was signed in, "" when unknown
	Removed []string // the files removed
	Err     error    // some files could not be removed
}

// Session is everything a command works with once settings are loaded:
// the merged config, the sign-in and the Graph client. Setup.Connect
// builds it.
type Session struct {
	Config *config.Config
	Auth   *auth.Session
	Client *graph.Client
	// Journal is the decision journal when the session decides (approve,
	// deny, the inbox); nil otherwise. The caller closes it.
	Journal *journal.Journal

	warnings *warnings // set by the command tree
}

// Warn tells the user something once: on stderr for commands; the inbox
// holds it until it has left the screen. Safe from any goroutine.
func (s *Session) Warn(msg string) { s.warnings.say(msg) }

// Warnings are the warnings said so far (the inbox shows those said before
// it took the screen).
func (s *Session) Warnings() []string { return s.warnings.said() }

// warnings is a session's warning sink. Sign-in and the journal warn from
// Cmd goroutines while the inbox runs, hence the lock.
type warnings struct {
	mu   sync.Mutex
	all  []string
	held []string // said while the inbox owns the terminal
	hold bool
	out  io.Writer
}

func (w *warnings) say(msg string) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all = append(w.all, msg)
	if w.hold {
		w.held = append(w.held, msg)
		return
	}
	fmt.Fprintln(w.out, "approvals: warning: "+sanitize.Line(msg))
}

func (w *warnings) said() []string {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.all...)
}

// holdOn holds what is said from now on, and prints it when release is
// called.
func (w *warnings) holdOn() (release func(extra ...string)) {
	w.mu.Lock()
	w.hold = true
	w.mu.Unlock()
	return func(extra ...string) {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.hold = false
		for _, msg := range append(w.held, extra...) {
			fmt.Fprintln(w.out, "approvals: warning: "+sanitize.Line(msg))
		}
		w.held = nil
	}
}

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
	release := s.warnings.holdOn()
	err = a.Inbox(ctxOf(cmd), s)
	var extra []string
	if jerr := s.Journal.Err(); jerr != nil {
		extra = append(extra, "the journal could not record every outcome ("+jerr.Error()+"); approvals history may miss some")
	}
	release(extra...)
	return err
}

// loadConfig merges the config file, env and the flags set on cmd.
func (a *app) loadConfig(cmd *cobra.Command) (*config.Config, error) {
	return loadConfig(cmd, a.Getenv, a.Keys)
}

// LoadConfig loads the settings for any command of a tree built with
// Attach (demo and sim included), honouring --config, --profile, the
// setting flags and APPROVALS_* variables; keys are the inbox's actions
// (config.LoadOptions.Keys).
func LoadConfig(cmd *cobra.Command, keys []config.KeyDef) (*config.Config, error) {
	return loadConfig(cmd, os.Getenv, keys)
}

func loadConfig(cmd *cobra.Command, getenv func(string) string, keys []config.KeyDef) (*config.Config, error) {
	flags := map[string]string{}
	for name, key := range settingFlags {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
			flags[key] = f.Value.String()
		}
	}
	return config.Load(config.LoadOptions{Path: flagValue(cmd, "config"), Profile: flagValue(cmd, "profile"), Getenv: getenv, Flags: flags, Keys: keys})
}

// flagValue is a flag's value, "" when the command does not have it.
func flagValue(cmd *cobra.Command, name string) string {
	if f := cmd.Flags().Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// session loads settings and asks the host for the sign-in and the Graph
// client. With decide, the session also has the decision journal.
func (a *app) session(cmd *cobra.Command, decide bool) (*Session, error) {
	cfg, err := a.loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	if a.Connect == nil {
		return nil, errors.New("this command needs a connection to Microsoft Graph, which this build does not provide")
	}
	w := &warnings{out: a.Stderr}
	s, err := a.Connect(cfg, ConnectOptions{Journal: decide, Warn: w.say})
	if err != nil {
		return nil, err
	}
	s.Config = cfg
	s.warnings = w
	return s, nil
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
