package graph_test

// End-to-end tests of the Azure source (PIM for Azure resources through
// Azure Resource Manager) against the simulator's ARM surface under /arm.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"approvals/graph"
	"approvals/graph/sim"
)

// azureEnv is a generated tenant with a few Graph approvals and the Azure
// demo requests, and the demo identity's client with ARM configured.
func azureEnv(t *testing.T, opts sim.Options) (*simEnv, sim.User, *graph.Client) {
	t.Helper()
	if opts.Approvals == 0 {
		opts.Approvals = 3
	}
	opts.AzureDemo = true
	e := newSimEnv(t, opts)
	u := e.sim.Approvers()[0]
	return e, u, e.azureClient(u.UserPrincipalName)
}

func (e *simEnv) azureClient(user string, mod ...func(*graph.Options)) *graph.Client {
	return e.client(user, append([]func(*graph.Options){func(o *graph.Options) { o.ARMURL = e.srv.URL + sim.ARMPrefix }}, mod...)...)
}

func azureOnly(as []graph.Approval) []graph.Approval {
	var out []graph.Approval
	for _, a := range as {
		if a.Source == graph.SourceAzure {
			out = append(out, a)
		}
	}
	return out
}

func findAzure(t *testing.T, snap *graph.Snapshot, role string) graph.Approval {
	t.Helper()
	for _, a := range azureOnly(snap.Approvals) {
		if a.Resource.DisplayName == role {
			return a
		}
	}
	t.Fatalf("no Azure approval for role %q in %+v", role, azureOnly(snap.Approvals))
	return graph.Approval{}
}

func TestAzureListShowsRoleScopeAndContext(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	e, _, c := azureEnv(t, sim.Options{Clock: func() time.Time { return now }})
	snap, err := c.Refresh(context.Background())
	if err != nil || len(snap.Errors) > 0 {
		t.Fatalf("refresh: %v %v", err, snap.Errors)
	}
	if got := len(azureOnly(snap.Approvals)); got != 2 {
		t.Fatalf("Azure approvals = %d, want 2", got)
	}
	if want := e.sim.Waiting(e.sim.Approvers()[0].ID); len(snap.Approvals) != want {
		t.Fatalf("listed %d approvals, the simulator says %d wait", len(snap.Approvals), want)
	}
	a := findAzure(t, snap, "Owner")
	if a.Ref.String() != "azure:"+a.ID || a.Kind != graph.KindAzureRole {
		t.Fatalf("ref %v kind %v", a.Ref, a.Kind)
	}
	if a.Resource.ScopeName != "prod-subscription / rg-web" {
		t.Errorf("scope = %q", a.Resource.ScopeName)
	}
	if a.Target.DisplayName == "" || a.Requestor.ID != a.Target.ID {
		t.Errorf("principal %+v requestor %+v", a.Target, a.Requestor)
	}
	if a.Schedule.Duration != "PT4H" || a.TicketNumber != "CHG0042137" || !strings.Contains(a.Justification, "checkout") {
		t.Errorf("schedule %+v ticket %q justification %q", a.Schedule, a.TicketNumber, a.Justification)
	}
	st, _, ok := a.MyStage()
	if !ok || st.ID == "" || a.Problem != "" {
		t.Fatalf("my stage %+v ok=%v problem %q", st, ok, a.Problem)
	}
	if a.DeadlineEstimated || !a.Deadline.Equal(a.Created.Add(24*time.Hour)) {
		t.Errorf("deadline %v (estimated %v), created %v: want created + 24 h, exact", a.Deadline, a.DeadlineEstimated, a.Created)
	}
	if sub := findAzure(t, snap, "Contributor"); sub.Resource.ScopeName != "prod-subscription" {
		t.Errorf("subscription scope = %q", sub.Resource.ScopeName)
	}
}

func TestAzureRequestCountsColdAndWarm(t *testing.T) {
	t.Parallel()
	e, _, c := azureEnv(t, sim.Options{PageSize: 1})
	ctx := context.Background()
	e.sim.ResetStats()
	if _, err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	cold := e.sim.Stats()
	// Two approvals and two requests at one per page: 2 pages each (no
	// detail reads: the approvals listing carries the stages).
	if cold.Op(sim.OpListAzureApprovals) != 2 || cold.Op(sim.OpListAzureRequests) != 2 {
		t.Fatalf("cold listings: %v", cold.Ops)
	}
	for _, op := range []sim.Operation{sim.OpGetAzureApproval, sim.OpListAzureStages, sim.OpGetAzureStage} {
		if n := cold.Op(op); n != 0 {
			t.Errorf("cold %s = %d, want 0", op, n)
		}
	}
	e.sim.ResetStats()
	snap, err := c.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	warm := e.sim.Stats()
	azureReqs := warm.Op(sim.OpListAzureApprovals) + warm.Op(sim.OpListAzureRequests)
	if azureReqs != 4 || warm.Op(sim.OpGetAzureApproval) != 0 {
		t.Fatalf("warm Azure requests: %v", warm.Ops)
	}
	t.Logf("Azure source, 2 approvals at page size 1: cold %d requests, warm %d (listing pages only); whole refresh %d", cold.Op(sim.OpListAzureApprovals)+cold.Op(sim.OpListAzureRequests), azureReqs, snap.Requests)
}

func TestAzureShowApproveDeny(t *testing.T) {
	t.Parallel()
	e, u, c := azureEnv(t, sim.Options{})
	ctx := context.Background()
	snap, err := c.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	owner, contrib := findAzure(t, snap, "Owner"), findAzure(t, snap, "Contributor")

	// show: a fresh read by ref, and by bare id.
	for _, ref := range []graph.Ref{owner.Ref, {ID: owner.ID}} {
		got, err := c.Get(ctx, ref)
		if err != nil || got.Source != graph.SourceAzure || got.Resource.ScopeName != "prod-subscription / rg-web" || len(got.Stages) != 1 {
			t.Fatalf("Get(%v) = %+v, %v", ref, got, err)
		}
	}
	// a client that never listed gets the context from the requests listing
	fresh, err := e.azureClient(u.UserPrincipalName).Get(ctx, owner.Ref)
	if err != nil || fresh.Resource.DisplayName != "Owner" || fresh.Target.DisplayName == "" {
		t.Fatalf("fresh Get = %+v, %v", fresh, err)
	}

	st, _, _ := owner.MyStage()
	res := c.Decide(ctx, graph.DecisionRequest{Ref: owner.Ref, StageID: st.ID, Decision: graph.Approve, Justification: "ok for the hotfix"})
	if res.Outcome != graph.OutcomeApproved || res.Attempts != 1 || res.RequestID == "" {
		t.Fatalf("approve: %+v", res)
	}
	ss, _ := e.sim.StageState(owner.ID, st.ID)
	if ss.ReviewResult != sim.ResultApproved || ss.ReviewedBy != u.ID || ss.PatchesApplied != 1 || ss.Justification != "ok for the hotfix" {
		t.Fatalf("sim stage after approve: %+v", ss)
	}
	st2, _, _ := contrib.MyStage()
	res = c.Decide(ctx, graph.DecisionRequest{Ref: contrib.Ref, StageID: st2.ID, Decision: graph.Deny, Justification: "use the runbook"})
	if res.Outcome != graph.OutcomeDenied {
		t.Fatalf("deny: %+v", res)
	}
	// deciding again what we decided: 409, read back as ours
	res = c.Decide(ctx, graph.DecisionRequest{Ref: contrib.Ref, StageID: st2.ID, Decision: graph.Deny, Justification: "use the runbook"})
	if res.Outcome != graph.OutcomeDenied {
		t.Fatalf("deny again: %+v", res)
	}
	snap, err = c.Refresh(ctx)
	if err != nil || len(azureOnly(snap.Approvals)) != 0 {
		t.Fatalf("after deciding both: %d Azure approvals, %v", len(azureOnly(snap.Approvals)), err)
	}
}

func TestAzureConflictOtherApproverFirst(t *testing.T) {
	t.Parallel()
	e, _, c := azureEnv(t, sim.Options{})
	ctx := context.Background()
	snap, _ := c.Refresh(ctx)
	owner := findAzure(t, snap, "Owner")
	st, _, _ := owner.MyStage()
	// a second approver on the stage decides first
	other := e.sim.Approvers()[1]
	if err := addAzureApprover(e.sim, owner.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.DecideAs(other.ID, owner.ID, st.ID, "Deny", "not during the freeze"); err != nil {
		t.Fatal(err)
	}
	res := c.Decide(ctx, graph.DecisionRequest{Ref: owner.Ref, StageID: st.ID, Decision: graph.Approve, Justification: "ok"})
	if res.Outcome != graph.OutcomeAlreadyDecided || res.DecidedAs != graph.Denied || res.DecidedBy.ID != other.ID || res.Attempts != 1 {
		t.Fatalf("decide after another approver: %+v", res)
	}
}

// addAzureApprover is a test seam: the demo requests have one approver.
func addAzureApprover(s *sim.Server, approvalID, userID string) error {
	return s.AddAzureApprover(approvalID, userID)
}

func TestAzureOwnRequestRefused(t *testing.T) {
	t.Parallel()
	e, _, _ := azureEnv(t, sim.Options{})
	ctx := context.Background()
	// The Owner request's principal is also made an approver of it: PIM
	// still refuses to let them approve their own activation.
	snap, _ := e.azureClient(e.sim.Approvers()[0].UserPrincipalName).Refresh(ctx)
	owner := findAzure(t, snap, "Owner")
	if err := addAzureApprover(e.sim, owner.ID, owner.Target.ID); err != nil {
		t.Fatal(err)
	}
	self := e.azureClient(owner.Target.ID)
	snap, err := self.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mine := findAzure(t, snap, "Owner")
	st, _, ok := mine.MyStage()
	if !ok {
		t.Fatalf("own request not listed as assigned: %+v", mine)
	}
	res := self.Decide(ctx, graph.DecisionRequest{Ref: mine.Ref, StageID: st.ID, Decision: graph.Approve, Justification: "me"})
	var ge *graph.Error
	if res.Outcome != graph.OutcomeFailed || !errors.As(res.Err, &ge) || ge.StatusCode != 403 || ge.Code != "SelfApprovalNotAllowed" || ge.RequestID == "" {
		t.Fatalf("own approval: %+v", res)
	}
	if ss, _ := e.sim.StageState(mine.ID, st.ID); ss.PatchesApplied != 0 || ss.ReviewResult != sim.ResultNotReviewed {
		t.Fatalf("sim stage: %+v", ss)
	}
}

func TestAzureTokenRefusedKeepsGraphWorking(t *testing.T) {
	t.Parallel()
	e, _, c := azureEnv(t, sim.Options{ARMTokensRefused: true})
	snap, err := c.Refresh(context.Background())
	if err != nil {
		t.Fatalf("refresh failed as a whole: %v", err)
	}
	if len(snap.Approvals) != 3 || len(azureOnly(snap.Approvals)) != 0 {
		t.Fatalf("want the 3 Graph approvals only, got %d", len(snap.Approvals))
	}
	if len(snap.Errors) != 1 || snap.Errors[0].Source != graph.SourceAzure {
		t.Fatalf("errors: %v", snap.Errors)
	}
	err = snap.Errors[0]
	msg := err.Error()
	if !errors.Is(err, graph.ErrAzureAccess) || errors.Is(err, graph.ErrUnauthorized) ||
		!strings.Contains(msg, "user_impersonation") || !strings.Contains(msg, "InvalidAuthenticationTokenAudience") || strings.Contains(msg, "\n") {
		t.Fatalf("Azure error: %v", msg)
	}
	var az graph.SourceStatus
	for _, st := range snap.Sources {
		if st.Source == graph.SourceAzure {
			az = st
		}
	}
	if az.State != graph.StateUnauthorized || !strings.Contains(az.Fix, "user_impersonation") || !strings.Contains(az.Detail, "InvalidAuthenticationTokenAudience") {
		t.Fatalf("Azure source status: %+v", az)
	}
	// once ARM accepts the token again, the Azure source is back
	e.sim.SetARMTokensRefused(false)
	snap, err = c.Refresh(context.Background())
	if err != nil || len(snap.Errors) != 0 || len(azureOnly(snap.Approvals)) != 2 {
		t.Fatalf("after: %v %v %d", err, snap.Errors, len(azureOnly(snap.Approvals)))
	}
}

// refusingCredential gets Graph tokens but is refused any other audience,
// as the first-party Graph Command Line Tools app may be for ARM.
type refusingCredential struct {
	token string
	asked *atomic.Int64 // ARM tokens asked for
}

func (r refusingCredential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	for _, s := range o.Scopes {
		if strings.Contains(s, "/arm") || strings.Contains(s, "management") {
			r.asked.Add(1)
			return azcore.AccessToken{}, errors.New("AADSTS65002: Consent between first party application and first party resource must be configured via preauthorization")
		}
	}
	return graph.StaticToken(r.token).GetToken(ctx, o)
}

func TestAzureTokenNotIssuedSaysWhatIsNeeded(t *testing.T) {
	t.Parallel()
	e, u, _ := azureEnv(t, sim.Options{})
	now := time.Now()
	asked := new(atomic.Int64)
	c := e.azureClient(u.UserPrincipalName, func(o *graph.Options) {
		o.Credential = refusingCredential{token: u.UserPrincipalName, asked: asked}
		o.Now = func() time.Time { return now }
	})
	snap, err := c.Refresh(context.Background())
	if err != nil || len(snap.Approvals) != 3 || len(snap.Errors) != 1 {
		t.Fatalf("refresh: %v, %d approvals, errors %v", err, len(snap.Approvals), snap.Errors)
	}
	msg := snap.Errors[0].Error()
	if !errors.Is(snap.Errors[0], graph.ErrAzureAccess) || !strings.Contains(msg, "AADSTS65002") || !strings.Contains(msg, "own app registration") {
		t.Fatalf("error: %s", msg)
	}
	// The next polls neither ask for the token again nor call ARM, and
	// say the same; after the pause they try again.
	before := asked.Load()
	e.sim.ResetStats()
	for range 3 {
		snap, _ = c.Refresh(context.Background())
		if len(snap.Errors) != 1 || !errors.Is(snap.Errors[0], graph.ErrAzureAccess) {
			t.Fatalf("errors: %v", snap.Errors)
		}
	}
	if asked.Load() != before || e.sim.Stats().Op(sim.OpListAzureApprovals)+e.sim.Stats().Op(sim.OpListAzureRequests) != 0 {
		t.Fatalf("asked %d more tokens, ARM stats %v", asked.Load()-before, e.sim.Stats().Ops)
	}
	now = now.Add(11 * time.Minute)
	if c.Refresh(context.Background()); asked.Load() == before {
		t.Fatal("never asked again after the pause")
	}
	// a decision for an Azure approval is not sent, and says why
	res := c.Decide(context.Background(), graph.DecisionRequest{Ref: graph.Ref{Source: graph.SourceAzure, ID: "x"}, StageID: "y", Decision: graph.Approve})
	if res.Outcome != graph.OutcomeFailed || res.Attempts != 0 || !errors.Is(res.Err, graph.ErrAzureAccess) {
		t.Fatalf("decide: %+v", res)
	}
}

func TestAzureAPIVersionChecked(t *testing.T) {
	t.Parallel()
	e, u, _ := azureEnv(t, sim.Options{})
	for _, q := range []string{"", "?api-version=2019-01-01"} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+sim.ARMPrefix+"/providers/Microsoft.Authorization/roleAssignmentApprovals"+q, nil)
		req.Header.Set("Authorization", "Bearer "+u.UserPrincipalName)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || resp.Header.Get("x-ms-request-id") == "" || resp.Header.Get("x-ms-correlation-request-id") == "" {
			t.Fatalf("%q: %d %v", q, resp.StatusCode, resp.Header)
		}
		want := "MissingApiVersionParameter"
		if q != "" {
			want = "InvalidApiVersionParameter"
		}
		if !strings.Contains(string(body), `"code":"`+want+`"`) || strings.Contains(string(body), "innerError") {
			t.Fatalf("%q: %s", q, body)
		}
	}
}

func TestAzureExpiresAfter24Hours(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	clock := func() time.Time { return now }
	e, _, c := azureEnv(t, sim.Options{Clock: clock})
	snap, _ := c.Refresh(context.Background())
	owner := findAzure(t, snap, "Owner")
	st, _, _ := owner.MyStage()
	now = now.Add(24 * time.Hour)
	snap, err := c.Refresh(context.Background())
	if err != nil || len(azureOnly(snap.Approvals)) != 0 {
		t.Fatalf("after 24 h: %d Azure approvals, %v", len(azureOnly(snap.Approvals)), err)
	}
	res := c.Decide(context.Background(), graph.DecisionRequest{Ref: owner.Ref, StageID: st.ID, Decision: graph.Approve})
	if res.Outcome != graph.OutcomeAlreadyDecided && res.Outcome != graph.OutcomeGone {
		t.Fatalf("decide an expired stage: %+v", res)
	}
	if ss, _ := e.sim.StageState(owner.ID, st.ID); ss.Status != sim.StatusExpired || ss.PatchesApplied != 0 {
		t.Fatalf("sim: %+v", ss)
	}
}

func TestAzureExtendNotDecidable(t *testing.T) {
	t.Parallel()
	e, _, c := azureEnv(t, sim.Options{})
	snap, _ := c.Refresh(context.Background())
	owner := findAzure(t, snap, "Owner")
	if err := e.sim.SetAzureRequestType(owner.ID, "SelfExtend"); err != nil {
		t.Fatal(err)
	}
	snap, _ = c.Refresh(context.Background())
	owner = findAzure(t, snap, "Owner")
	if !strings.Contains(owner.PortalOnly, "Azure portal") || !strings.Contains(owner.PortalOnly, "SelfExtend") {
		t.Fatalf("portal only = %q", owner.PortalOnly)
	}
	st, _, _ := owner.MyStage()
	// Known from the listing: refused before sending.
	res := c.Decide(context.Background(), graph.DecisionRequest{Ref: owner.Ref, StageID: st.ID, Decision: graph.Approve})
	if res.Outcome != graph.OutcomeFailed || res.Attempts != 0 || !errors.Is(res.Err, graph.ErrPortalOnly) {
		t.Fatalf("decide extend: %+v", res)
	}
	// A client that never listed it sends the decision; ARM refuses it.
	fresh := e.azureClient(e.sim.Approvers()[0].UserPrincipalName)
	res = fresh.Decide(context.Background(), graph.DecisionRequest{Ref: owner.Ref, StageID: st.ID, Decision: graph.Approve})
	var ge *graph.Error
	if res.Outcome != graph.OutcomeFailed || !errors.As(res.Err, &ge) || ge.Code != "RequestTypeNotSupported" {
		t.Fatalf("decide extend, fresh client: %+v", res)
	}
	if ss, _ := e.sim.StageState(owner.ID, st.ID); ss.PatchAttempts != 1 || ss.PatchesApplied != 0 {
		t.Fatalf("sim: %+v", ss)
	}
}
