// Command approvals is a keyboard-driven terminal inbox for the people who
// approve access in Microsoft Entra ID: entitlement management access
// packages and PIM for Groups, in one list.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"approvals/graph/sim"
	"approvals/ui/cli"
	"approvals/ui/sanitize"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "approvals",
		Short:         "A terminal inbox for Entra ID access approvals",
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// Subcommands: one line each.
	root.AddCommand(newSimCmd())
	cli.Attach(root, host{}.cliSetup()) // list, show, approve, deny, history, login, logout, config; global flags
	root.AddCommand(newDemoCmd())
	root.AddCommand(newServeCmd()) // the inbox over SSH, one per session (ui/serve)
	addBenchCmd(root)              // hidden, only with -tags bench: the README's performance table
	return root
}

// newSimCmd is `approvals sim`: serve the simulated tenant over HTTP (or
// only write its tenant file). The logic lives in sim.Serve.
func newSimCmd() *cobra.Command {
	var (
		opts   sim.ServeOptions
		listen string
		faults string
		logReq bool
	)
	cmd := &cobra.Command{
		Use:   "sim --listen 127.0.0.1:PORT",
		Short: "Serve a simulated Microsoft Graph tenant for curl, SDKs or another approvals",
		Long: "Serve a simulated tenant that speaks the Graph v1.0 approval endpoints.\n" +
			"The bearer token is the caller's user principal name (or id), e.g. megan@contoso.com.\n" +
			"With --dump FILE and no --listen, only write the tenant file.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fs, err := sim.ParseFaults(faults)
			if err != nil {
				return err
			}
			opts.Faults = fs
			if opts.Approvals == 0 { // an explicit 0 means none (0 is "default" in sim.Options)
				opts.Approvals = -1
			}
			// The banner and the log carry a tenant file's names and
			// clients' request paths: both go through the sanitizer.
			if logReq {
				logw := sanitize.Lines(cmd.ErrOrStderr())
				opts.Logf = func(format string, args ...any) { fmt.Fprintf(logw, "sim: "+format+"\n", args...) }
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return sim.Serve(ctx, listen, opts, sanitize.Lines(cmd.OutOrStdout()))
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "", "address to serve on, e.g. 127.0.0.1:8080")
	f.Int64Var(&opts.Seed, "seed", 1, "seed of the generated tenant")
	f.IntVar(&opts.Approvals, "approvals", sim.DefaultApprovals, "approvals waiting for the demo identity")
	f.StringVar(&opts.DataFile, "data", "", "serve this tenant file instead of a generated tenant")
	f.StringVar(&opts.DumpFile, "dump", "", "write the tenant file here (alone: write and exit)")
	f.DurationVar(&opts.Latency, "latency", 0, "latency added to every response, e.g. 100ms")
	f.StringVar(&faults, "faults", "", "faults to inject, e.g. 'throttle:op=patchStage,count=1,retry-after=2.128' (see README)")
	f.DurationVar(&opts.Activity, "activity", 0, "other approvers act and requests arrive at this interval, e.g. 10s")
	f.BoolVar(&opts.AllowRemote, "allow-remote", false, "allow a non-loopback listen address")
	f.IntVar(&opts.RoleApprovals, "role-approvals", sim.DefaultRoleApprovals, "Entra role activations waiting for the demo identity, plus its own and an extension (negative: none)")
	f.BoolVar(&opts.NoBetaRoleApprovals, "no-beta-role-approvals", false, "retire the beta roleAssignmentApprovals (as Microsoft's deprecation would): role requests listed, decided in the portal")
	f.BoolVar(&logReq, "log", false, "log each request to stderr")
	return cmd
}

func main() {
	// The first interrupt cancels the command (decisions not yet sent are
	// not sent); a second one kills the process as usual.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() { <-ctx.Done(); stop() }()
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	os.Exit(cli.Report(os.Stderr, err)) // exit codes: 0 done, 1 error, 2 usage, 3 partial
}
