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

// demoTenantOptions are the simulated tenant's flags, the same for
// approvals demo and approvals serve --demo.
type demoTenantOptions struct {
	Seed      int64
	Approvals int           // approvals waiting for the demo identity (0: the simulator's default)
	Activity  time.Duration // other approvers act and requests arrive at this interval; 0: never
	Faults    string        // faults to inject, in sim.ParseFaults syntax
	// NoBetaRoleApprovals retires the simulated beta role approvals: the
	// Entra role requests are listed and marked "decide in the portal".
	NoBetaRoleApprovals bool
}

// addDemoTenantFlags declares the tenant's flags on cmd; prefix starts
// each usage text (serve's say they are for --demo).
func addDemoTenantFlags(cmd *cobra.Command, o *demoTenantOptions, prefix string) {
	f := cmd.Flags()
	f.Int64Var(&o.Seed, "seed", 1, prefix+"seed of the generated tenant")
	f.IntVar(&o.Approvals, "approvals", sim.DefaultApprovals, prefix+"approvals waiting for the demo identity")
	f.DurationVar(&o.Activity, "activity", 0, prefix+"other approvers act and requests arrive at this interval, e.g. 20s")
	f.StringVar(&o.Faults, "faults", "", prefix+"faults to inject into the simulated tenant (same syntax as approvals sim --faults)")
	f.BoolVar(&o.NoBetaRoleApprovals, "no-beta-role-approvals", false, prefix+"retire the simulated beta role approvals: Entra role requests are listed, decided in the portal")
}

// demoOptions are approvals demo's flags.
type demoOptions struct {
	demoTenantOptions
	As   string // the approver to sign in as (UPN, id or display name); default: the demo identity
	Dump string // write the tenant's final state (a tenant file) here on exit
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
	addDemoTenantFlags(cmd, &opts.demoTenantOptions, "")
	f := cmd.Flags()
	f.StringVar(&opts.As, "as", "", "approver to sign in as (UPN, id or name); default: the demo identity")
	f.StringVar(&opts.Dump, "dump", "", "write the simulated tenant's final state to this file on exit")
	return cmd
}

// runDemo serves a simulated tenant on 127.0.0.1, runs one inbox against
// it (signed in as one of its approvers) until the user quits, then
// writes the dump when asked.
func runDemo(ctx context.Context, cfg *config.Config, opts demoOptions, progOpts ...tea.ProgramOption) error {
	tenant, err := startDemoTenant(opts.demoTenantOptions)
	if err != nil {
		return err
	}
	srv := tenant.Server()
	who, err := srv.Approver(opts.As)
	if err != nil {
		tenant.Close()
		return demoApproverError(err, "--as")
	}
	uiOpts, err := demoInbox(cfg, tenant, who, opts.Activity)
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

// startDemoTenant generates the demo tenant (access packages, PIM for
// Groups, Entra roles and Azure resources, each waiting for the demo
// identity) and serves it on 127.0.0.1: Graph at its URL, Azure Resource
// Manager under it. approvals demo and approvals serve --demo both start
// theirs here. Close it when done.
func startDemoTenant(o demoTenantOptions) (*sim.Loopback, error) {
	faults, err := sim.ParseFaults(o.Faults)
	if err != nil {
		return nil, fmt.Errorf("--faults: %w", err)
	}
	srv := sim.New(sim.Options{Seed: o.Seed, Approvals: o.Approvals, Faults: faults, AzureDemo: true,
		RoleApprovals: sim.DefaultRoleApprovals, NoBetaRoleApprovals: o.NoBetaRoleApprovals})
	if len(srv.Approvers()) == 0 {
		srv.Close()
		return nil, demoApproverError(sim.ErrNoApprovers, "")
	}
	tenant, err := sim.StartLoopback(srv, o.Activity)
	if err != nil {
		srv.Close()
		return nil, err
	}
	return tenant, nil
}

// demoInbox builds one inbox acting as who in the demo tenant: its own
// Graph client with both of the simulator's roots (Graph and ARM), polling
// at least as often as the tenant's activity.
func demoInbox(cfg *config.Config, tenant *sim.Loopback, who sim.User, activity time.Duration) (ui.Options, error) {
	return newInbox(inboxSession{
		Config:     cfg,
		SignIn:     fixedSignIn{upn: who.UserPrincipalName},
		Endpoints:  endpoints{GraphURL: tenant.URL, ARMURL: tenant.ARMURL()},
		Identity:   who.DisplayName + " <" + who.UserPrincipalName + "> · demo tenant",
		PollAtMost: activity,
	})
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
