package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
	"approvals/graph/sim"
	"approvals/ui"
)

// Options configure a demo.
type Options struct {
	Seed      int64
	Approvals int           // approvals waiting for the demo identity (0: the simulator's default)
	Activity  time.Duration // other approvers act and requests arrive at this interval; 0: never
	Faults    string        // faults to inject, in sim.ParseFaults syntax
	As        string        // the approver to sign in as (UPN, id or display name); default: the first approver
	Dump      string        // write the tenant's final state (a tenant file) here on exit
	UI        ui.Options    // look, keys and timings; Backend and Identity are filled in
}

// Run serves a simulated tenant on 127.0.0.1, runs the inbox against it
// until the user quits, then writes the dump when asked.
func Run(ctx context.Context, opts Options, progOpts ...tea.ProgramOption) error {
	faults, err := sim.ParseFaults(opts.Faults)
	if err != nil {
		return fmt.Errorf("--faults: %w", err)
	}
	srv := sim.New(sim.Options{Seed: opts.Seed, Approvals: opts.Approvals, Faults: faults, AzureDemo: true})
	who, err := pickApprover(srv.Approvers(), opts.As)
	if err != nil {
		return err
	}
	base, stop, err := serve(ctx, srv, opts.Activity)
	if err != nil {
		return err
	}
	client, err := graph.New(graph.Options{GraphURL: base, ARMURL: base + sim.ARMPrefix, Credential: graph.StaticToken(who.UserPrincipalName)})
	if err != nil {
		stop()
		return err
	}
	uiOpts := opts.UI
	if opts.Activity > 0 && uiOpts.PollInterval > opts.Activity {
		uiOpts.PollInterval = opts.Activity // so the activity is seen as it happens
	}
	uiOpts.Backend = client
	uiOpts.Identity = who.DisplayName + " <" + who.UserPrincipalName + "> · demo tenant"
	runErr := ui.Run(ctx, uiOpts, progOpts...)
	stop()
	if opts.Dump != "" {
		if err := sim.WriteTenantFile(opts.Dump, srv.Tenant()); err != nil {
			return errors.Join(runErr, fmt.Errorf("writing %s: %w", opts.Dump, err))
		}
	}
	return runErr
}

// pickApprover finds the approver to sign in as: by UPN, id or display
// name (case-insensitive), or the first one (the demo identity).
func pickApprover(approvers []sim.User, as string) (sim.User, error) {
	if len(approvers) == 0 {
		return sim.User{}, errors.New("the simulated tenant has no approvers (try more --approvals)")
	}
	if as == "" {
		return approvers[0], nil
	}
	var names []string
	for _, u := range approvers {
		if strings.EqualFold(as, u.UserPrincipalName) || strings.EqualFold(as, u.ID) || strings.EqualFold(as, u.DisplayName) {
			return u, nil
		}
		names = append(names, u.UserPrincipalName)
	}
	return sim.User{}, fmt.Errorf("--as %q is not an approver in this tenant; try one of: %s", as, strings.Join(names, ", "))
}

// serve listens on a loopback port and serves srv (and its activity)
// until stop is called.
func serve(ctx context.Context, srv *sim.Server, activity time.Duration) (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("starting the simulated tenant: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	actCtx, stopActivity := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { _ = hs.Serve(ln) })
	if activity > 0 {
		wg.Go(func() { srv.RunActivity(actCtx, activity) })
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			stopActivity()
			srv.Close()
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if hs.Shutdown(shutdownCtx) != nil {
				_ = hs.Close()
			}
			wg.Wait()
		})
	}
	return "http://" + ln.Addr().String(), stop, nil
}
