package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"approvals/graph/loopback"
)

// ServeOptions configure Serve (the `approvals sim` command).
type ServeOptions struct {
	Options
	// DataFile is a tenant file to serve instead of a generated tenant.
	DataFile string
	// DumpFile, when set, receives the tenant (as a tenant file) before
	// serving; with no listen address Serve only writes it.
	DumpFile string
	// Latency is added to every response (a latency fault on all requests).
	Latency time.Duration
	// Activity, when positive, makes other approvers decide and new
	// requests arrive at this interval.
	Activity time.Duration
	// AllowRemote permits a listen address that is not loopback.
	AllowRemote bool
	// Ready, when set, is called with the base URL once the server listens.
	Ready func(baseURL string)
}

// Serve serves a simulated tenant on addr until ctx ends, printing the
// base URL, the identities to use and a curl example to out. It refuses
// a non-loopback address unless AllowRemote. With an empty addr it only
// writes DumpFile.
func Serve(ctx context.Context, addr string, opts ServeOptions, out io.Writer) error {
	if err := loadTenant(&opts); err != nil {
		return err
	}
	if opts.DumpFile != "" {
		if err := WriteTenantFile(opts.DumpFile, opts.Tenant); err != nil {
			return fmt.Errorf("writing the tenant file: %w", err)
		}
		fmt.Fprintf(out, "Wrote the tenant to %s (%d access package and %d PIM for Groups requests).\n",
			opts.DumpFile, len(opts.Tenant.AccessPackageRequests), len(opts.Tenant.GroupRequests))
		if addr == "" {
			return nil
		}
	}
	if addr == "" {
		return errors.New("no listen address: use --listen 127.0.0.1:PORT (or --dump FILE alone to write a tenant file)")
	}
	if !opts.AllowRemote && !loopback.Addr(addr) {
		return fmt.Errorf("refusing to listen on %s: not a loopback address (use 127.0.0.1 or ::1, or --allow-remote to expose the simulator)", addr)
	}
	if opts.Latency > 0 {
		opts.Faults = append([]Fault{{Kind: FaultLatency, Delay: opts.Latency}}, opts.Faults...)
	}
	srv := New(opts.Options)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	printBanner(out, srv, base, opts)
	return run(ctx, srv, ln, base, opts)
}

func loadTenant(opts *ServeOptions) error {
	if opts.DataFile != "" {
		t, err := ReadTenantFile(opts.DataFile)
		if err != nil {
			return err
		}
		opts.Tenant = t
	}
	if opts.Tenant == nil {
		clock := opts.Clock
		if clock == nil {
			clock = time.Now
		}
		n := opts.Approvals
		if n == 0 {
			n = DefaultApprovals
		}
		opts.Tenant = Generate(opts.Seed, max(n, 0), clock())
		AddAzureDemo(opts.Tenant, clock())
		if n > 0 && opts.RoleApprovals >= 0 { // 0: the default; negative: none
			GenerateRoles(opts.Tenant, opts.Seed, cmpOr2(opts.RoleApprovals, DefaultRoleApprovals), clock())
		}
	}
	return nil
}

func run(ctx context.Context, srv *Server, ln net.Listener, base string, opts ServeOptions) error {
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	var wg sync.WaitGroup
	actCtx, stopActivity := context.WithCancel(ctx)
	defer func() { stopActivity(); wg.Wait() }()
	if opts.Activity > 0 {
		wg.Go(func() { srv.RunActivity(actCtx, opts.Activity) })
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if opts.Ready != nil {
		opts.Ready(base)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	srv.Close() // release hung requests
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		_ = hs.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func printBanner(out io.Writer, srv *Server, base string, opts ServeOptions) {
	fmt.Fprintf(out, "Simulated Microsoft Graph tenant (v1.0) at %s\n\n", base)
	fmt.Fprintf(out, "Identities (the bearer token is the user's UPN or id):\n")
	approvers := srv.Approvers()
	for i, u := range approvers {
		note := ""
		if i == 0 {
			note = "  (demo identity)"
		}
		fmt.Fprintf(out, "  %-28s %-20s %4d waiting%s\n", u.UserPrincipalName, u.DisplayName, srv.Waiting(u.ID), note)
	}
	if len(approvers) == 0 {
		fmt.Fprintf(out, "  (none: the tenant has no approvers)\n")
		return
	}
	who := approvers[0].UserPrincipalName
	fmt.Fprintf(out, "\nTry:\n")
	fmt.Fprintf(out, "  curl -s -H 'Authorization: Bearer %s' \\\n    \"%s/v1.0/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='approver')?\\$expand=requestor,accessPackage&\\$top=5\"\n", who, base)
	fmt.Fprintf(out, "  curl -s -H 'Authorization: Bearer %s' \\\n    \"%s/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/filterByCurrentUser(on='approver')?\\$expand=group,principal\"\n", who, base)
	fmt.Fprintf(out, "  curl -s -X PATCH -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\\n    -d '{\"reviewResult\":\"Approve\",\"justification\":\"OK\"}' \\\n    \"%s/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/{id}/stages/{stageId}\"\n", who, base)
	fmt.Fprintf(out, "  curl -s -H 'Authorization: Bearer %s' \\\n    \"%s/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')?\\$filter=status%%20eq%%20'PendingApproval'&\\$expand=principal,roleDefinition,directoryScope\"\n", who, base)
	fmt.Fprintf(out, "  curl -s -H 'Authorization: Bearer %s' \\\n    \"%s/beta/roleManagement/directory/roleAssignmentApprovals/{id}\"\n", who, base)
	fmt.Fprintf(out, "  curl -s -H 'Authorization: Bearer %s' \\\n    \"%s%s/providers/Microsoft.Authorization/roleAssignmentApprovals?api-version=%s&\\$filter=asApprover()\"\n", who, base, ARMPrefix, ARMApprovalsVersion)
	fmt.Fprintf(out, "\nOr point approvals at it: APPROVALS_TOKEN=%s approvals --graph-url %s --arm-url %s%s --auth token\n", who, base, base, ARMPrefix)
	if len(opts.Faults) > 0 {
		var fs []string
		for _, f := range opts.Faults {
			fs = append(fs, f.String())
		}
		fmt.Fprintf(out, "Faults: %s\n", strings.Join(fs, "; "))
	}
	if opts.Activity > 0 {
		fmt.Fprintf(out, "Activity: other approvers act every %s\n", opts.Activity)
	}
	if opts.NoBetaRoleApprovals {
		fmt.Fprintf(out, "The beta roleAssignmentApprovals are retired (--no-beta-role-approvals): role requests are listed, decided in the portal.\n")
	}
	fmt.Fprintf(out, "Ctrl-C stops.\n")
}

// cmpOr2 is the first non-zero of a and b.
func cmpOr2(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}
