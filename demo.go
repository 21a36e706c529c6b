package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"approvals/config"
	"approvals/graph/sim"
	"approvals/ui"
	"approvals/ui/cli"
)

// demoOptions are approvals demo's flags.
type demoOptions struct {
	Seed      int64
	Approvals int           // approvals waiting for the demo identity (0: the simulator's default)
	Activity  time.Duration // other approvers act and requests arrive at this interval; 0: never
	Faults    string        // faults to inject, in sim.ParseFaults syntax
	As        string        // the approver to sign in as (UPN, id or display name); default: the demo identity
	Dump      string        // write the tenant's final state (a tenant file) here on exit
	// NoBetaRoleApprovals retires the simulated beta role approvals: the
	// Entra role requests are listed and marked "decide in the portal".
	NoBetaRoleApprovals bool
}

// newDemoCmd is `approvals demo`: the inbox against a simulated tenant
// served in-process on a loopback port.
func newDemoCmd() *cobra.Command {
	var opts demoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "The inbox against a built-in simulated tenant (no sign-in, nothing leaves this machine)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := cli.LoadConfig(cmd, ui.DefaultKeys()) // --config, --profile and APPROVALS_* apply here too
			if err != nil {
				return err
			}
			return runDemo(cmd.Context(), cfg, opts)
		},
	}
	f := cmd.Flags()
	f.Int64Var(&opts.Seed, "seed", 1, "seed of the generated tenant")
	f.IntVar(&opts.Approvals, "approvals", sim.DefaultApprovals, "approvals waiting for the demo identity")
	f.DurationVar(&opts.Activity, "activity", 0, "other approvers act and requests arrive at this interval, e.g. 20s")
	f.StringVar(&opts.Faults, "faults", "", "faults to inject into the simulated tenant (same syntax as approvals sim --faults)")
	f.StringVar(&opts.As, "as", "", "approver to sign in as (UPN, id or name); default: the demo identity")
	f.StringVar(&opts.Dump, "dump", "", "write the simulated tenant's final state to this file on exit")
	f.BoolVar(&opts.NoBetaRoleApprovals, "no-beta-role-approvals", false, "retire the simulated beta role approvals: Entra role requests are listed, decided in the portal")
	return cmd
}

// runDemo serves a simulated tenant on 127.0.0.1, runs one inbox against
// it (signed in as one of its approvers) until the user quits, then
// writes the dump when asked.
func runDemo(ctx context.Context, cfg *config.Config, opts demoOptions, progOpts ...tea.ProgramOption) error {
	faults, err := sim.ParseFaults(opts.Faults)
	if err != nil {
		return fmt.Errorf("--faults: %w", err)
	}
	srv := sim.New(sim.Options{Seed: opts.Seed, Approvals: opts.Approvals, Faults: faults, AzureDemo: true,
		RoleApprovals: sim.DefaultRoleApprovals, NoBetaRoleApprovals: opts.NoBetaRoleApprovals})
	who, err := srv.Approver(opts.As)
	if err != nil {
		return demoApproverError(err, "--as")
	}
	tenant, err := sim.StartLoopback(srv, opts.Activity)
	if err != nil {
		return err
	}
	uiOpts, err := newInbox(inboxSession{
		Config:     cfg,
		SignIn:     fixedSignIn{upn: who.UserPrincipalName},
		Endpoints:  endpoints{GraphURL: tenant.URL, ARMURL: tenant.ARMURL()},
		Identity:   who.DisplayName + " <" + who.UserPrincipalName + "> · demo tenant",
		PollAtMost: opts.Activity,
	})
	if err != nil {
		tenant.Close()
		return err
	}
	runErr := ui.Run(ctx, uiOpts, progOpts...)
	tenant.Close()
	if opts.Dump != "" {
		if err := sim.WriteTenantFile(opts.Dump, srv.Tenant()); err != nil {
			return errors.Join(runErr, fmt.Errorf("writing %s: %w", opts.Dump, err))
		}
	}
	return runErr
}

// demoApproverError words sim.Server.Approver's errors for the flag that
// named the approver.
func demoApproverError(err error, flag string) error {
	var unknown *sim.UnknownApproverError
	switch {
	case errors.Is(err, sim.ErrNoApprovers):
		return errors.New("the simulated tenant has no approvers (try more --approvals)")
	case errors.As(err, &unknown):
		return fmt.Errorf("%s %s", flag, unknown.Error())
	}
	return err
}
