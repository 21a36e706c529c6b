// Package sdkcompat checks that Microsoft's own Graph SDK for Go
// (msgraph-sdk-go, Kiota-generated) works unchanged against the simulated
// tenant in approvals/graph/sim. It is a separate module under testdata/,
// so the project's own `go test ./...` never builds the SDK; run it with
//
//	cd graph/sim/testdata/sdkcompat && go test -v ./...
//
// Every call goes through the SDK's fluent API, its PageIterator and its
// BatchRequestContent: no raw URLs and no hand-made HTTP.
package sdkcompat

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"approvals/graph/sim"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	msgraph "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/identitygovernance"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

const (
	caller   = "megan@contoso.com" // the simulator's demo approver; the bearer token is the UPN
	pageSize = 20
	// emTop is the $top of the entitlement management listing: with 45
	// approvals and pages of 20 there are too few access package requests
	// for three pages, so the listing asks for smaller ones (the nextLink
	// must carry $top along).
	emTop = 10
)

// upnTokenProvider is a Kiota AccessTokenProvider whose "token" is the
// caller's UPN, the simulator's identity scheme. Like Kiota's Azure
// provider, it hands out a token only to allowed hosts.
type upnTokenProvider struct {
	upn   string
	hosts *authentication.AllowedHostsValidator
}

func (p upnTokenProvider) GetAuthorizationToken(_ context.Context, u *url.URL, _ map[string]any) (string, error) {
	if !p.hosts.IsUrlHostValid(u) {
		return "", nil // Kiota convention: no token for a host that is not allowed
	}
	return p.upn, nil
}

func (p upnTokenProvider) GetAllowedHostsValidator() *authentication.AllowedHostsValidator {
	return p.hosts
}

// seen is one request as the simulator received it.
type seen struct {
	method, path, rawQuery, auth, contentType, contentEncoding string
	body                                                       []byte // $batch only, decoded
}

// recorder wraps the simulator to record what the SDK actually sends.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	reqs []seen
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := seen{method: r.Method, path: r.URL.EscapedPath(), rawQuery: r.URL.RawQuery, auth: r.Header.Get("Authorization"),
		contentType: r.Header.Get("Content-Type"), contentEncoding: r.Header.Get("Content-Encoding")}
	if strings.HasSuffix(s.path, "/$batch") { // keep a copy of what the SDK put in the batch
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		s.body = raw
		if strings.EqualFold(s.contentEncoding, "gzip") {
			if zr, err := gzip.NewReader(bytes.NewReader(raw)); err == nil {
				s.body, _ = io.ReadAll(zr)
			}
		}
	}
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, s)
	rec.mu.Unlock()
	rec.next.ServeHTTP(w, r)
}

func (rec *recorder) since(n int) []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.reqs[n:])
}

func (rec *recorder) len() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.reqs)
}

type env struct {
	sim     *sim.Server
	rec     *recorder
	url     string
	adapter *msgraph.GraphRequestAdapter
	client  *msgraph.GraphServiceClient
	tenant  *sim.Tenant // as generated, before any decision
	me      sim.User
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s := sim.New(sim.Options{Seed: 1, Approvals: 45, PageSize: pageSize})
	rec := &recorder{next: s}
	ts := httptest.NewServer(rec)
	t.Cleanup(ts.Close)
	t.Cleanup(s.Close) // runs first: releases anything a fault could hold
	u, err := url.Parse(ts.URL)
	if err != nil || u.Hostname() != "127.0.0.1" {
		t.Fatalf("httptest server at %q, want 127.0.0.1 (err %v)", ts.URL, err)
	}

	hosts, err := authentication.NewAllowedHostsValidatorErrorCheck([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	authProvider := authentication.NewBaseBearerTokenAuthenticationProvider(upnTokenProvider{upn: caller, hosts: hosts})
	adapter, err := msgraph.NewGraphRequestAdapter(authProvider)
	if err != nil {
		t.Fatal(err)
	}
	adapter.SetBaseUrl(ts.URL + "/v1.0")
	e := &env{sim: s, rec: rec, url: ts.URL, adapter: adapter, client: msgraph.NewGraphServiceClient(adapter), tenant: s.Tenant()}
	for _, u := range e.tenant.Users {
		if strings.EqualFold(u.UserPrincipalName, caller) {
			e.me = u
		}
	}
	if e.me.ID == "" {
		t.Fatalf("no user %s in the generated tenant", caller)
	}
	return e
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func ptr[T any](v T) *T { return &v }

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// waitingEM is, from the tenant as generated, every access package request
// whose stage in progress lists the caller: what
// filterByCurrentUser(on='approver') must return, in tenant order.
func (e *env) waitingEM() []*sim.AccessPackageRequest {
	var out []*sim.AccessPackageRequest
	for _, r := range e.tenant.AccessPackageRequests {
		if r.State == sim.StatePendingApproval && waitsFor(r.Stages, e.me.ID) {
			out = append(out, r)
		}
	}
	return out
}

func (e *env) waitingPIM() []*sim.GroupRequest {
	var out []*sim.GroupRequest
	for _, r := range e.tenant.GroupRequests {
		if r.Status == sim.PIMPendingApproval && waitsFor(r.Stages, e.me.ID) {
			out = append(out, r)
		}
	}
	return out
}

func waitsFor(stages []sim.Stage, userID string) bool {
	for _, st := range stages {
		if st.Status == sim.StatusInProgress {
			return slices.Contains(st.Approvers, userID)
		}
	}
	return false
}

func (e *env) user(id string) sim.User {
	for _, u := range e.tenant.Users {
		if u.ID == id {
			return u
		}
	}
	return sim.User{}
}

func (e *env) pkg(id string) sim.AccessPackage {
	for _, p := range e.tenant.AccessPackages {
		if p.ID == id {
			return p
		}
	}
	return sim.AccessPackage{}
}

func (e *env) group(id string) sim.Group {
	for _, g := range e.tenant.Groups {
		if g.ID == id {
			return g
		}
	}
	return sim.Group{}
}

// odataError unwraps err as the SDK's ODataError and checks its status,
// code and that the body's innerError carries the response's request-id.
func odataError(t *testing.T, err error, status int, code string) *odataerrors.ODataError {
	t.Helper()
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) {
		t.Fatalf("error %T %v, want *odataerrors.ODataError", err, err)
	}
	if oe.ResponseStatusCode != status {
		t.Errorf("ODataError status %d, want %d", oe.ResponseStatusCode, status)
	}
	main := oe.GetErrorEscaped()
	if main == nil {
		t.Fatalf("ODataError without an error object")
	}
	if got := str(main.GetCode()); got != code {
		t.Errorf("error code %q, want %q", got, code)
	}
	if str(main.GetMessage()) == "" || str(main.GetMessage()) == "<nil>" {
		t.Errorf("error without a message")
	}
	inner := main.GetInnerError()
	if inner == nil || inner.GetRequestId() == nil || *inner.GetRequestId() == "" {
		t.Fatalf("error without innerError.request-id")
	}
	if inner.GetDate() == nil {
		t.Errorf("innerError.date not decoded")
	}
	if h := oe.ResponseHeaders; h == nil || !slices.Contains(h.Get("request-id"), *inner.GetRequestId()) {
		var got []string
		if h != nil {
			got = h.Get("request-id")
		}
		t.Errorf("request-id header %v, body %q: want the same", got, *inner.GetRequestId())
	}
	return oe
}

func TestSDKCompat(t *testing.T) {
	e := newEnv(t)
	on := "approver"
	em := e.client.IdentityGovernance().EntitlementManagement()
	pim := e.client.IdentityGovernance().PrivilegedAccess().Group()

	var emID, stageID string // the approval and stage decided below

	t.Run("EMRequestsPagedWithPageIterator", func(t *testing.T) {
		want := e.waitingEM()
		if len(want) == 0 {
			t.Fatal("no access package request waits for the caller")
		}
		start := e.rec.len()
		cfg := &identitygovernance.EntitlementManagementAssignmentRequestsFilterByCurrentUserWithOnRequestBuilderGetRequestConfiguration{
			QueryParameters: &identitygovernance.EntitlementManagementAssignmentRequestsFilterByCurrentUserWithOnRequestBuilderGetQueryParameters{
				Expand: []string{"requestor", "accessPackage"},
				Top:    ptr(int32(emTop)),
			},
		}
		first, err := em.AssignmentRequests().FilterByCurrentUserWithOn(&on).GetAsFilterByCurrentUserWithOnGetResponse(ctx(t), cfg)
		if err != nil {
			t.Fatalf("first page: %v", err)
		}
		if first.GetOdataNextLink() == nil {
			t.Fatalf("first page has no @odata.nextLink (%d items)", len(first.GetValue()))
		}
		it, err := msgraphcore.NewPageIterator[models.AccessPackageAssignmentRequestable](first, e.adapter,
			identitygovernance.CreateEntitlementManagementAssignmentRequestsFilterByCurrentUserWithOnGetResponseFromDiscriminatorValue)
		if err != nil {
			t.Fatal(err)
		}
		var got []models.AccessPackageAssignmentRequestable
		if err := it.Iterate(ctx(t), func(r models.AccessPackageAssignmentRequestable) bool {
			got = append(got, r)
			return true
		}); err != nil {
			t.Fatalf("Iterate: %v", err)
		}
		pages := 0
		for _, r := range e.rec.since(start) {
			if r.method == http.MethodGet && strings.Contains(r.path, "assignmentRequests/filterByCurrentUser") {
				pages++
				if !strings.Contains(r.rawQuery, "expand=requestor") || !strings.Contains(r.rawQuery, "top=") {
					t.Errorf("page request lost its query options: %s", r.rawQuery)
				}
			}
		}
		wantPages := (len(want) + emTop - 1) / emTop
		if pages < 3 || pages != wantPages {
			t.Errorf("%d pages fetched, want %d (≥3) for %d requests at $top=%d", pages, wantPages, len(want), emTop)
		}
		if len(got) != len(want) {
			t.Fatalf("%d requests through the PageIterator, want %d", len(got), len(want))
		}
		for i, w := range want {
			r := got[i]
			if str(r.GetId()) != w.ID {
				t.Errorf("request %d: id %s, want %s", i, str(r.GetId()), w.ID)
				continue
			}
			if r.GetState() == nil || r.GetState().String() != sim.StatePendingApproval {
				t.Errorf("request %s: state %v, want pendingApproval", w.ID, r.GetState())
			}
			if r.GetRequestType() == nil || r.GetRequestType().String() != w.RequestType {
				t.Errorf("request %s: requestType %v, want %s", w.ID, r.GetRequestType(), w.RequestType)
			}
			if str(r.GetJustification()) != w.Justification {
				t.Errorf("request %s: justification %q, want %q", w.ID, str(r.GetJustification()), w.Justification)
			}
			if r.GetCreatedDateTime() == nil || !r.GetCreatedDateTime().Equal(w.CreatedDateTime.Truncate(time.Millisecond)) {
				t.Errorf("request %s: createdDateTime %v, want %v", w.ID, r.GetCreatedDateTime(), w.CreatedDateTime)
			}
			req := e.user(w.RequestorID)
			if s := r.GetRequestor(); s == nil || str(s.GetDisplayName()) != req.DisplayName || str(s.GetPrincipalName()) != req.UserPrincipalName {
				t.Errorf("request %s: requestor not decoded as %s <%s>", w.ID, req.DisplayName, req.UserPrincipalName)
			} else if s.GetSubjectType() == nil || s.GetSubjectType().String() != "user" {
				t.Errorf("request %s: requestor subjectType %v, want user", w.ID, s.GetSubjectType())
			}
			p := e.pkg(w.AccessPackageID)
			if ap := r.GetAccessPackage(); ap == nil || str(ap.GetId()) != p.ID || str(ap.GetDisplayName()) != p.DisplayName {
				t.Errorf("request %s: accessPackage not decoded as %s %q", w.ID, p.ID, p.DisplayName)
			}
			if s := r.GetSchedule(); s == nil || s.GetExpiration() == nil || s.GetExpiration().GetTypeEscaped() == nil {
				t.Errorf("request %s: schedule.expiration.type not decoded", w.ID)
			}
			if len(r.GetAnswers()) != len(w.Answers) {
				t.Errorf("request %s: %d answers, want %d", w.ID, len(r.GetAnswers()), len(w.Answers))
			}
		}
		t.Logf("%d access package requests in %d pages of ≤%d", len(got), pages, emTop)
		for _, w := range want { // pick one whose stage in progress is the caller's
			for _, st := range w.Stages {
				if st.Status == sim.StatusInProgress && slices.Contains(st.Approvers, e.me.ID) {
					emID, stageID = w.ID, st.ID
				}
			}
			if emID != "" {
				break
			}
		}
	})

	t.Run("PIMRequestsFilteredAndExpanded", func(t *testing.T) {
		want := e.waitingPIM()
		if len(want) == 0 {
			t.Fatal("no PIM request waits for the caller")
		}
		cfg := &identitygovernance.PrivilegedAccessGroupAssignmentScheduleRequestsFilterByCurrentUserWithOnRequestBuilderGetRequestConfiguration{
			QueryParameters: &identitygovernance.PrivilegedAccessGroupAssignmentScheduleRequestsFilterByCurrentUserWithOnRequestBuilderGetQueryParameters{
				Filter: ptr("status eq 'PendingApproval'"),
				Expand: []string{"group", "principal"},
			},
		}
		first, err := pim.AssignmentScheduleRequests().FilterByCurrentUserWithOn(&on).GetAsFilterByCurrentUserWithOnGetResponse(ctx(t), cfg)
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		it, err := msgraphcore.NewPageIterator[models.PrivilegedAccessGroupAssignmentScheduleRequestable](first, e.adapter,
			identitygovernance.CreatePrivilegedAccessGroupAssignmentScheduleRequestsFilterByCurrentUserWithOnGetResponseFromDiscriminatorValue)
		if err != nil {
			t.Fatal(err)
		}
		var got []models.PrivilegedAccessGroupAssignmentScheduleRequestable
		if err := it.Iterate(ctx(t), func(r models.PrivilegedAccessGroupAssignmentScheduleRequestable) bool {
			got = append(got, r)
			return true
		}); err != nil {
			t.Fatalf("Iterate: %v", err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d PIM requests, want %d", len(got), len(want))
		}
		for i, w := range want {
			r := got[i]
			if str(r.GetId()) != w.ID || str(r.GetApprovalId()) != w.ID {
				t.Errorf("PIM request %d: id %s approvalId %s, want %s", i, str(r.GetId()), str(r.GetApprovalId()), w.ID)
				continue
			}
			if str(r.GetStatus()) != sim.PIMPendingApproval {
				t.Errorf("PIM request %s: status %q", w.ID, str(r.GetStatus()))
			}
			if r.GetAccessId() == nil || r.GetAccessId().String() != w.AccessID {
				t.Errorf("PIM request %s: accessId %v, want %s", w.ID, r.GetAccessId(), w.AccessID)
			}
			if r.GetAction() == nil || r.GetAction().String() != w.Action {
				t.Errorf("PIM request %s: action %v, want %s", w.ID, r.GetAction(), w.Action)
			}
			if str(r.GetGroupId()) != w.GroupID || str(r.GetPrincipalId()) != w.PrincipalID {
				t.Errorf("PIM request %s: groupId/principalId %s/%s", w.ID, str(r.GetGroupId()), str(r.GetPrincipalId()))
			}
			g := e.group(w.GroupID)
			if gr := r.GetGroup(); gr == nil || str(gr.GetId()) != g.ID || str(gr.GetDisplayName()) != g.DisplayName {
				t.Errorf("PIM request %s: group not decoded as %q", w.ID, g.DisplayName)
			}
			p := e.user(w.PrincipalID)
			// principal is a directoryObject; the SDK picks models.User from @odata.type.
			if u, ok := r.GetPrincipal().(models.Userable); !ok || str(u.GetId()) != p.ID || str(u.GetDisplayName()) != p.DisplayName ||
				str(u.GetUserPrincipalName()) != p.UserPrincipalName {
				t.Errorf("PIM request %s: principal %T not decoded as user %q", w.ID, r.GetPrincipal(), p.DisplayName)
			}
			if si := r.GetScheduleInfo(); si == nil || si.GetExpiration() == nil {
				t.Errorf("PIM request %s: scheduleInfo not decoded", w.ID)
			}
		}
		t.Logf("%d PIM for Groups requests", len(got))
	})

	t.Run("ApprovalsFilterByCurrentUser", func(t *testing.T) {
		// Not in the recommended call sequence, but both endpoints are served.
		emResp, err := em.AccessPackageAssignmentApprovals().FilterByCurrentUserWithOn(&on).GetAsFilterByCurrentUserWithOnGetResponse(ctx(t), nil)
		if err != nil {
			t.Fatalf("EM approvals: %v", err)
		}
		emIt, err := msgraphcore.NewPageIterator[models.Approvalable](emResp, e.adapter,
			identitygovernance.CreateEntitlementManagementAccessPackageAssignmentApprovalsFilterByCurrentUserWithOnGetResponseFromDiscriminatorValue)
		if err != nil {
			t.Fatal(err)
		}
		var emIDs []string
		if err := emIt.Iterate(ctx(t), func(a models.Approvalable) bool { emIDs = append(emIDs, str(a.GetId())); return true }); err != nil {
			t.Fatalf("Iterate: %v", err)
		}
		var wantEM []string
		for _, r := range e.waitingEM() {
			wantEM = append(wantEM, r.ID)
		}
		if !slices.Equal(emIDs, wantEM) {
			t.Errorf("EM approvals %v, want %v", emIDs, wantEM)
		}
		pimResp, err := pim.AssignmentApprovals().FilterByCurrentUserWithOn(&on).GetAsFilterByCurrentUserWithOnGetResponse(ctx(t), nil)
		if err != nil {
			t.Fatalf("PIM approvals: %v", err)
		}
		wantPIM := e.waitingPIM()
		got := pimResp.GetValue()
		if len(got) != len(wantPIM) || pimResp.GetOdataNextLink() != nil {
			t.Fatalf("%d PIM approvals on one page, want %d", len(got), len(wantPIM))
		}
		for i, w := range wantPIM {
			if str(got[i].GetId()) != w.ID || len(got[i].GetStages()) != 1 || str(got[i].GetStages()[0].GetId()) != w.Stages[0].ID {
				t.Errorf("PIM approval %d: %s with %d stages, want %s with its stage inline", i, str(got[i].GetId()), len(got[i].GetStages()), w.ID)
			}
		}
	})

	if emID == "" {
		t.Fatal("no access package approval to decide")
	}
	want := func() *sim.AccessPackageRequest {
		for _, r := range e.tenant.AccessPackageRequests {
			if r.ID == emID {
				return r
			}
		}
		return nil
	}()

	checkStages := func(t *testing.T, stages []models.ApprovalStageable) {
		t.Helper()
		if len(stages) != len(want.Stages) {
			t.Fatalf("%d stages, want %d", len(stages), len(want.Stages))
		}
		for i, w := range want.Stages {
			st := stages[i]
			if str(st.GetId()) != w.ID || str(st.GetStatus()) != w.Status || str(st.GetReviewResult()) != w.ReviewResult {
				t.Errorf("stage %d: %s %s/%s, want %s %s/%s", i, str(st.GetId()), str(st.GetStatus()), str(st.GetReviewResult()),
					w.ID, w.Status, w.ReviewResult)
			}
			mine := slices.Contains(w.Approvers, e.me.ID)
			if st.GetAssignedToMe() == nil || *st.GetAssignedToMe() != mine {
				t.Errorf("stage %s: assignedToMe %v, want %v", w.ID, st.GetAssignedToMe(), mine)
			}
			if w.ReviewedBy != "" {
				rb := st.GetReviewedBy()
				if rb == nil || str(rb.GetId()) != w.ReviewedBy || str(rb.GetDisplayName()) != e.user(w.ReviewedBy).DisplayName {
					t.Errorf("stage %s: reviewedBy not decoded as %s", w.ID, e.user(w.ReviewedBy).DisplayName)
				}
				if st.GetReviewedDateTime() == nil {
					t.Errorf("stage %s: reviewedDateTime not decoded", w.ID)
				}
			}
		}
	}

	t.Run("GetEMApprovalWithStages", func(t *testing.T) {
		a, err := em.AccessPackageAssignmentApprovals().ByApprovalId(emID).Get(ctx(t), nil)
		if err != nil {
			t.Fatalf("get approval %s: %v", emID, err)
		}
		if str(a.GetId()) != emID {
			t.Errorf("approval id %s, want %s", str(a.GetId()), emID)
		}
		checkStages(t, a.GetStages())
	})

	t.Run("ListEMStages", func(t *testing.T) {
		resp, err := em.AccessPackageAssignmentApprovals().ByApprovalId(emID).Stages().Get(ctx(t), nil)
		if err != nil {
			t.Fatalf("list stages: %v", err)
		}
		checkStages(t, resp.GetValue())
	})

	t.Run("GetPIMApproval", func(t *testing.T) {
		w := e.waitingPIM()[0]
		a, err := pim.AssignmentApprovals().ByApprovalId(w.ID).Get(ctx(t), nil)
		if err != nil {
			t.Fatalf("get PIM approval: %v", err)
		}
		st := a.GetStages()
		if str(a.GetId()) != w.ID || len(st) != 1 || str(st[0].GetId()) != w.Stages[0].ID ||
			str(st[0].GetStatus()) != sim.StatusInProgress || st[0].GetAssignedToMe() == nil || !*st[0].GetAssignedToMe() {
			t.Errorf("PIM approval %s decoded as id %s with %d stages", w.ID, str(a.GetId()), len(st))
		}
	})

	justification := "Approved through msgraph-sdk-go (sdkcompat)"

	t.Run("PatchStageApprove", func(t *testing.T) {
		start := e.rec.len()
		body := models.NewApprovalStage()
		body.SetReviewResult(ptr("Approve"))
		body.SetJustification(ptr(justification))
		got, err := em.AccessPackageAssignmentApprovals().ByApprovalId(emID).Stages().ByApprovalStageId(stageID).Patch(ctx(t), body, nil)
		if err != nil {
			t.Fatalf("PATCH: %v", err)
		}
		if got != nil {
			t.Errorf("PATCH answered 204 yet the SDK returned a model: %+v", got)
		}
		for _, r := range e.rec.since(start) {
			if r.method == http.MethodPatch && !strings.HasPrefix(r.contentType, "application/json") {
				t.Errorf("PATCH sent Content-Type %q", r.contentType)
			}
			// Kiota's CompressionHandler gzips request bodies by default.
			if r.method == http.MethodPatch {
				t.Logf("PATCH sent Content-Encoding %q", r.contentEncoding)
			}
		}
		state, ok := e.sim.StageState(emID, stageID)
		if !ok {
			t.Fatal("stage gone")
		}
		if state.Status != sim.StatusCompleted || state.ReviewResult != sim.ResultApproved ||
			state.ReviewedBy != e.me.ID || state.Justification != justification || state.PatchesApplied != 1 || state.PatchAttempts != 1 {
			t.Errorf("StageState after PATCH %+v, want Completed/Approved by %s with %q", state, e.me.ID, justification)
		}
		// And the SDK reads the decision back.
		st, err := em.AccessPackageAssignmentApprovals().ByApprovalId(emID).Stages().ByApprovalStageId(stageID).Get(ctx(t), nil)
		if err != nil {
			t.Fatalf("GET stage: %v", err)
		}
		if str(st.GetStatus()) != sim.StatusCompleted || str(st.GetReviewResult()) != sim.ResultApproved ||
			str(st.GetJustification()) != justification || st.GetReviewedBy() == nil ||
			str(st.GetReviewedBy().GetDisplayName()) != e.me.DisplayName || st.GetReviewedDateTime() == nil {
			t.Errorf("stage read back: %s/%s %q by %v", str(st.GetStatus()), str(st.GetReviewResult()), str(st.GetJustification()), st.GetReviewedBy())
		}
	})

	t.Run("PatchStageAgainConflict", func(t *testing.T) {
		body := models.NewApprovalStage()
		body.SetReviewResult(ptr("Approve"))
		body.SetJustification(ptr("second time"))
		_, err := em.AccessPackageAssignmentApprovals().ByApprovalId(emID).Stages().ByApprovalStageId(stageID).Patch(ctx(t), body, nil)
		oe := odataError(t, err, http.StatusConflict, "Conflict")
		if msg := str(oe.GetErrorEscaped().GetMessage()); !strings.Contains(msg, "already been reviewed") {
			t.Errorf("409 message %q", msg)
		}
		if oe.Error() != str(oe.GetErrorEscaped().GetMessage()) {
			t.Errorf("ODataError.Error() %q", oe.Error())
		}
		if state, _ := e.sim.StageState(emID, stageID); state.Justification != justification || state.PatchAttempts != 2 || state.PatchesApplied != 1 {
			t.Errorf("StageState after the 409 %+v", state)
		}
	})

	t.Run("Me", func(t *testing.T) {
		me, err := e.client.Me().Get(ctx(t), nil)
		if err != nil {
			t.Fatalf("/me: %v", err)
		}
		if str(me.GetId()) != e.me.ID || str(me.GetDisplayName()) != e.me.DisplayName ||
			str(me.GetUserPrincipalName()) != e.me.UserPrincipalName || str(me.GetMail()) != e.me.Mail {
			t.Errorf("/me decoded as %s %q <%s>", str(me.GetId()), str(me.GetDisplayName()), str(me.GetUserPrincipalName()))
		}
	})

	t.Run("Batch", func(t *testing.T) {
		// The SDK maps failed batch items to errors only through its error
		// registry, which is empty by default.
		_ = msgraphcore.RegisterError(msgraphcore.BatchRequestErrorRegistryKey, abstractions.ErrorMappings{
			"4XX": odataerrors.CreateODataErrorFromDiscriminatorValue,
			"5XX": odataerrors.CreateODataErrorFromDiscriminatorValue,
		})
		c := ctx(t)
		infoMe, err := e.client.Me().ToGetRequestInformation(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		infoApproval, err := em.AccessPackageAssignmentApprovals().ByApprovalId(emID).ToGetRequestInformation(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		infoStages, err := em.AccessPackageAssignmentApprovals().ByApprovalId(emID).Stages().ToGetRequestInformation(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		infoMissing, err := em.AccessPackageAssignmentApprovals().ByApprovalId("00000000-0000-0000-0000-00000000dead").ToGetRequestInformation(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		batch := msgraphcore.NewBatchRequest(e.adapter)
		var ids []string
		for _, info := range []*abstractions.RequestInformation{infoMe, infoApproval, infoStages, infoMissing} {
			item, err := batch.AddBatchRequestStep(*info)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, *item.GetId())
		}
		start := e.rec.len()
		resp, err := batch.Send(c, e.adapter)
		if err != nil {
			t.Fatalf("$batch: %v", err)
		}
		for _, r := range e.rec.since(start) {
			if !strings.HasSuffix(r.path, "/$batch") {
				continue
			}
			var sent struct {
				Requests []struct{ ID, Method, URL string } `json:"requests"`
			}
			if err := json.Unmarshal(r.body, &sent); err != nil || len(sent.Requests) != 4 {
				t.Fatalf("batch body (Content-Encoding %q): %v\n%s", r.contentEncoding, err, r.body)
			}
			for _, it := range sent.Requests {
				if it.Method != http.MethodGet || strings.Contains(it.URL, "://") || !strings.HasPrefix(it.URL, "/") {
					t.Errorf("batch item %s: %s %s, want a GET relative to /v1.0", it.ID, it.Method, it.URL)
				}
			}
			t.Logf("batch sent (Content-Encoding %q): %s", r.contentEncoding, r.body)
		}
		if n := len(resp.GetResponses()); n != 4 {
			t.Fatalf("%d batch responses, want 4", n)
		}
		statuses := resp.GetStatusCodes()
		for i, want := range []int32{200, 200, 200, 404} {
			if statuses[ids[i]] != want {
				t.Errorf("batch item %d (%s): status %d, want %d", i, ids[i], statuses[ids[i]], want)
			}
		}
		me, err := msgraphcore.GetBatchResponseById[models.Userable](resp, ids[0], models.CreateUserFromDiscriminatorValue)
		if err != nil || str(me.GetDisplayName()) != e.me.DisplayName || str(me.GetUserPrincipalName()) != e.me.UserPrincipalName {
			t.Errorf("batch /me: %v, err %v", me, err)
		}
		a, err := msgraphcore.GetBatchResponseById[models.Approvalable](resp, ids[1], models.CreateApprovalFromDiscriminatorValue)
		if err != nil || str(a.GetId()) != emID || len(a.GetStages()) != len(want.Stages) {
			t.Errorf("batch approval: err %v", err)
		} else if st := a.GetStages()[slices.IndexFunc(want.Stages, func(s sim.Stage) bool { return s.ID == stageID })]; str(st.GetReviewResult()) != sim.ResultApproved ||
			str(st.GetJustification()) != justification {
			t.Errorf("batch approval: decided stage reads %s %q", str(st.GetReviewResult()), str(st.GetJustification()))
		}
		stages, err := msgraphcore.GetBatchResponseById[models.ApprovalStageCollectionResponseable](resp, ids[2], models.CreateApprovalStageCollectionResponseFromDiscriminatorValue)
		if err != nil || len(stages.GetValue()) != len(want.Stages) {
			t.Errorf("batch stages: err %v", err)
		}
		_, err = msgraphcore.GetBatchResponseById[models.Approvalable](resp, ids[3], models.CreateApprovalFromDiscriminatorValue)
		var oe *odataerrors.ODataError
		if !errors.As(err, &oe) {
			t.Fatalf("batch 404 item: error %T %v, want *odataerrors.ODataError", err, err)
		}
		if code := str(oe.GetErrorEscaped().GetCode()); code != "ResourceNotFound" {
			t.Errorf("batch 404 item: code %q", code)
		}
		if in := oe.GetErrorEscaped().GetInnerError(); in == nil || str(in.GetRequestId()) == "" {
			t.Errorf("batch 404 item: no innerError.request-id")
		}
	})

	t.Run("UnknownApproval404", func(t *testing.T) {
		_, err := em.AccessPackageAssignmentApprovals().ByApprovalId("00000000-0000-0000-0000-000000000404").Get(ctx(t), nil)
		oe := odataError(t, err, http.StatusNotFound, "ResourceNotFound")
		t.Logf("404: %s (request-id %s)", oe.Error(), str(oe.GetErrorEscaped().GetInnerError().GetRequestId()))
	})

	t.Run("EveryRequestCarriedTheBearerUPN", func(t *testing.T) {
		all := e.rec.since(0)
		for _, r := range all {
			if r.auth != "Bearer "+caller {
				t.Errorf("%s %s sent Authorization %q", r.method, r.path, r.auth)
			}
		}
		var lines []string
		for _, r := range all {
			lines = append(lines, fmt.Sprintf("%s %s", r.method, r.path))
		}
		t.Logf("%d requests:\n%s", len(all), strings.Join(lines, "\n"))
	})
}
