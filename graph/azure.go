package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// PIM for Azure resources through Azure Resource Manager.
//
// A refresh costs two listings, read in parallel: the role assignment
// approvals waiting for me (their stages come inline), and the role
// assignment schedule requests I approve (who, which role, which scope,
// why: the context an approval does not carry), joined on the approval id.
// An approval listed without its stages is read once, when it is new or
// its listing entry changed, one GET each (a few at a time): ARM's batch
// endpoint is not part of its documented REST API, answers asynchronously
// (202 and a Location to poll) and counts every item against the same
// throttling limits, so it would add requests and code without saving any.

// azureStageTimeout is PIM's approval window: 24 hours, not configurable.
const azureStageTimeout = 24 * time.Hour

// azureDetailParallel bounds the approval GETs in flight during a refresh.
const azureDetailParallel = 4

// azurePortal is where requests the API cannot decide are decided.
const azurePortal = "the Azure portal: Privileged Identity Management › Azure resources › Approve requests"

// azureSource is the Azure source as the client uses it (sourceClient).
type azureSource struct{ c *Client }

// azureSource is the Azure source, or a stand-in saying it is not
// configured when the client has no ARM URL.
func (c *Client) azureSource() sourceClient {
	if c.arm == nil {
		return unavailableSource{src: SourceAzure, why: "no Azure Resource Manager URL configured", unconfigured: true}
	}
	return azureSource{c}
}

// list gives the whole listing at the end: the two collections are joined.
func (s azureSource) list(ctx context.Context, _ func([]listed)) listing { return s.c.listAzure(ctx) }

func (s azureSource) reader() detailReader { return azureDetails{s.c} }

func (s azureSource) get(ctx context.Context, id string) (Approval, error) {
	return s.c.getAzure(ctx, Ref{Source: SourceAzure, ID: id})
}

func (s azureSource) stages(ctx context.Context, ref Ref) ([]Stage, error) {
	d, err := s.c.azureStages(ctx, ref.ID)
	if err != nil {
		return nil, err
	}
	return d.stages, nil
}

func (s azureSource) stage(ctx context.Context, ref Ref, stageID string) (Stage, error) {
	return s.c.azureStage(ctx, ref, stageID)
}

// patch sends the stage update: {"properties":{"reviewResult","justification"}}.
func (s azureSource) patch(ctx context.Context, ref Ref, stageID string, d wireDecision) (reply, error) {
	r, err := s.c.sendOn(ctx, s.c.arm.svc, http.MethodPatch, s.c.azureStageURL(ref.ID, stageID), wireARMDecision{Properties: d})
	var te *transportError
	if errors.As(err, &te) {
		te.err = armAccess(te.err) // no ARM token: say what is needed, not "sign in again"
	}
	return r, err
}

func (s azureSource) portalOnly() string { return "" }

// azureDetails reads the stages of Azure approvals the listing gave
// without them; those it gave with them cost nothing.
type azureDetails struct{ c *Client }

func (d azureDetails) details(ctx context.Context, as []*Approval) map[Ref]detail {
	out := make(map[Ref]detail, len(as))
	var refs []Ref
	problems := map[Ref]string{}
	for _, a := range as {
		problems[a.Ref] = a.Problem
		if a.Stages != nil {
			out[a.Ref] = detail{stages: a.Stages, problem: a.Problem, lasting: true}
			continue
		}
		refs = append(refs, a.Ref)
	}
	for ref, det := range d.c.fetchAzureDetails(ctx, refs) {
		det.problem = firstNonEmpty(det.problem, problems[ref])
		out[ref] = det
	}
	return out
}

// listAzure lists the Azure approvals waiting for me, with their stages
// when the listing carries them.
func (c *Client) listAzure(ctx context.Context) listing {
	out := listing{source: SourceAzure}
	if c.arm == nil {
		out.err = errors.New("no Azure Resource Manager URL configured")
		return out
	}
	c.arm.mu.Lock()
	refused, until := c.arm.noToken, c.arm.noTokenUntil
	c.arm.mu.Unlock()
	if refused != nil && c.now().Before(until) {
		return azureRefused(out, refused)
	}
	out = c.listAzureNow(ctx)
	var ae *AzureAccessError
	if errors.As(out.err, &ae) && ae.NoToken {
		c.arm.mu.Lock()
		c.arm.noToken, c.arm.noTokenUntil = ae, c.now().Add(armNoTokenPause)
		c.arm.mu.Unlock()
	}
	return out
}

// azureRefused is the listing of a source whose ARM access was refused:
// unauthorized, with the fix.
func azureRefused(out listing, ae *AzureAccessError) listing {
	out.err = ae
	out.status = SourceStatus{State: StateUnauthorized,
		Detail: "Azure Resource Manager refused this sign-in (" + ae.Cause + ")", Fix: permissionFix(SourceAzure)}
	return out
}

// listAzureNow is listAzure without the refused-token pause.
func (c *Client) listAzureNow(ctx context.Context) listing {
	out := listing{source: SourceAzure}
	var approvals, requests armList
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		approvals = c.armListAll(ctx, c.armURL(pathARMApprovals, armApprovalsVersion, armAsApprover))
	}()
	go func() {
		defer wg.Done()
		requests = c.armListAll(ctx, c.armURL(pathARMRequests, armRequestsVersion, armAsApprover))
	}()
	wg.Wait()
	if approvals.err == nil && errors.Is(requests.err, ErrAzureAccess) {
		approvals.err = requests.err
	}
	if approvals.err != nil {
		out.err = approvals.err
		var ae *AzureAccessError
		if errors.As(out.err, &ae) {
			return azureRefused(out, ae)
		}
		return out
	}
	ctxs, subs := azureContexts(requests.items)
	var problem string
	if requests.err != nil {
		problem = describe("request details", requests.err)
		out.warnings = append(out.warnings, fmt.Sprintf("%s: %s", SourceAzure, problem))
	}
	skipped := 0
	seen := map[string]bool{}
	out.items = []listed{}
	for _, raw := range approvals.items {
		var w wireARMApproval
		if json.Unmarshal(raw, &w) != nil || w.approvalID() == "" {
			skipped++
			continue
		}
		id := w.approvalID()
		if seen[strings.ToLower(id)] {
			continue
		}
		seen[strings.ToLower(id)] = true
		req, known := ctxs[strings.ToLower(id)]
		a := Approval{Ref: Ref{Source: SourceAzure, ID: id}, RequestID: id, Kind: KindAzureRole}
		if known {
			a = fromARMRequest(req.w, subs)
			a.Ref = Ref{Source: SourceAzure, ID: id}
		} else if problem == "" {
			problem = "request details: not in the schedule requests listing"
		}
		if w.hasStages() {
			// Inline stages (as documented): no detail read needed. A
			// non-nil Stages tells the reader so.
			var ws []wireARMStage
			if err := json.Unmarshal(w.Properties.Stages, &ws); err == nil {
				a.Stages = fromARMStages(ws)
			}
		}
		if !azureWaiting(a, known) {
			continue
		}
		if !known {
			a.Problem = problem
		}
		out.items = append(out.items, listed{approval: &a, print: fingerprint(raw, req.raw)})
	}
	if skipped > 0 {
		out.warnings = append(out.warnings, fmt.Sprintf("%s: skipped %d unreadable entries", SourceAzure, skipped))
	}
	return out
}

// azureWaiting keeps what may still be waiting: a request pending
// approval, or (without its request) an approval with a stage in progress
// or whose stages are still to be read. The asApprover listings also
// return requests already decided.
func azureWaiting(a Approval, known bool) bool {
	if known {
		return strings.EqualFold(a.RequestState, "PendingApproval")
	}
	if a.Stages == nil {
		return true
	}
	for _, s := range a.Stages {
		if s.Status == StageInProgress {
			return true
		}
	}
	return false
}

type armRequestCtx struct {
	w   wireARMRequest
	raw json.RawMessage
}

// azureContexts indexes the schedule requests by approval id and collects
// the display names of subscriptions, so that a resource group's scope
// reads "prod-subscription / rg-web".
func azureContexts(items []json.RawMessage) (map[string]armRequestCtx, map[string]string) {
	ctxs := map[string]armRequestCtx{}
	subs := map[string]string{}
	for _, raw := range items {
		var w wireARMRequest
		if json.Unmarshal(raw, &w) != nil {
			continue
		}
		if e := w.Properties.ExpandedProperties; e != nil && e.Scope != nil && strings.EqualFold(e.Scope.Type, "subscription") {
			if sub := subscriptionOf(e.Scope.ID); sub != "" && e.Scope.DisplayName != "" {
				subs[sub] = e.Scope.DisplayName
			}
		}
		if id := w.approvalID(); id != "" {
			ctxs[strings.ToLower(id)] = armRequestCtx{w: w, raw: raw}
		}
	}
	return ctxs, subs
}

// subscriptionOf is the lower-case subscription id of an ARM scope, "" when
// the scope is not in a subscription.
func subscriptionOf(scope string) string {
	segs := strings.Split(strings.Trim(scope, "/"), "/")
	for i := 0; i+1 < len(segs); i++ {
		if strings.EqualFold(segs[i], "subscriptions") {
			return strings.ToLower(segs[i+1])
		}
	}
	return ""
}

// fromARMRequest normalizes a role assignment schedule request: the
// principal receives the role on the scope; the requestor is named by id
// only, so it is the principal when the ids match.
func fromARMRequest(w wireARMRequest, subs map[string]string) Approval {
	p := w.Properties
	a := Approval{
		RequestID:     firstNonEmpty(w.Name, lastSegment(w.ID)),
		Kind:          KindAzureRole,
		RequestType:   p.RequestType,
		RequestState:  p.Status,
		Justification: p.Justification,
		Created:       p.CreatedOn.Time,
		Schedule:      fromSchedule(p.ScheduleInfo),
		Target:        Subject{ID: p.PrincipalID},
		Resource:      Resource{ID: p.RoleDefinitionID, ScopeID: p.Scope},
	}
	if p.TicketInfo != nil {
		a.TicketNumber = p.TicketInfo.TicketNumber
	}
	if e := p.ExpandedProperties; e != nil {
		if e.Principal != nil {
			a.Target = Subject{ID: firstNonEmpty(e.Principal.ID, p.PrincipalID), DisplayName: e.Principal.DisplayName, Email: e.Principal.Email}
		}
		if e.RoleDefinition != nil {
			a.Resource.DisplayName = e.RoleDefinition.DisplayName
		}
		if e.Scope != nil {
			a.Resource.ScopeID = firstNonEmpty(e.Scope.ID, p.Scope)
			a.Resource.ScopeName = armScopeName(e.Scope, subs)
		}
	}
	if a.Resource.ScopeName == "" {
		a.Resource.ScopeName = p.Scope
	}
	a.Requestor = Subject{ID: p.RequestorID}
	if p.RequestorID == "" || strings.EqualFold(p.RequestorID, a.Target.ID) {
		a.Requestor = a.Target
	}
	if azureNotDecidable(p.RequestType) {
		a.PortalOnly = fmt.Sprintf("%s requests cannot be decided through the API: decide it in %s", p.RequestType, azurePortal)
	}
	internShared(&a)
	return a
}

// azureNotDecidable: PIM documents that extend and renew requests cannot
// be approved through the API.
func azureNotDecidable(requestType string) bool {
	t := strings.ToLower(requestType)
	return strings.HasSuffix(t, "extend") || strings.HasSuffix(t, "renew")
}

// armScopeName is a scope's display name, prefixed by its subscription's
// when the scope is inside one whose name is known.
func armScopeName(s *wireARMExpanded, subs map[string]string) string {
	name := firstNonEmpty(s.DisplayName, lastSegment(s.ID))
	if strings.EqualFold(s.Type, "subscription") {
		return name
	}
	if sub := subs[subscriptionOf(s.ID)]; sub != "" {
		return sub + " / " + name
	}
	return name
}

func fromARMStage(w wireARMStage) Stage {
	p := w.Properties
	st := Stage{
		ID:            firstNonEmpty(lastSegment(w.ID), w.Name),
		DisplayName:   intern(p.DisplayName),
		AssignedToMe:  p.AssignedToMe,
		Status:        StageStatus(canonical(p.Status, string(StageInProgress), string(StageInitializing), string(StageCompleted), string(StageExpired))),
		Result:        armResult(p.ReviewResult),
		ReviewedAt:    p.ReviewedAt.Time,
		Justification: p.Justification,
	}
	if r := p.ReviewedBy; r != nil && r.PrincipalID != zeroGUID {
		st.ReviewedBy = Identity{ID: intern(r.PrincipalID), DisplayName: intern(firstNonEmpty(r.PrincipalName, r.UserPrincipalName))}
	}
	return st
}

// armResult maps ARM's reviewResult, which reads back in the write
// vocabulary (Approve, Deny, NotReviewed), to the read one.
func armResult(v string) ReviewResult {
	switch {
	case strings.EqualFold(v, "Approve"), strings.EqualFold(v, "Approved"):
		return Approved
	case strings.EqualFold(v, "Deny"), strings.EqualFold(v, "Denied"):
		return Denied
	case strings.EqualFold(v, "NotReviewed"), v == "":
		return NotReviewed
	}
	return ReviewResult(v)
}

func fromARMStages(ws []wireARMStage) []Stage {
	out := make([]Stage, 0, len(ws))
	for _, w := range ws {
		out = append(out, fromARMStage(w))
	}
	return out
}

// armList is every item of an ARM collection, or why not.
type armList struct {
	items []json.RawMessage
	err   error
}

// armListAll follows nextLink until it is absent.
func (c *Client) armListAll(ctx context.Context, next string) armList {
	var out armList
	for pages := 1; next != ""; pages++ {
		if pages > maxPages {
			out.err = fmt.Errorf("more than %d pages: giving up", maxPages)
			return out
		}
		var page wireARMPage
		if err := c.armGet(ctx, next, &page); err != nil {
			out.err = err
			if pages > 1 && !errors.Is(err, ErrAzureAccess) {
				out.err = fmt.Errorf("page %d: %w", pages, err)
			}
			return out
		}
		out.items = append(out.items, page.Value...)
		next = resolveLink(next, page.NextLink)
	}
	return out
}

// azureApprovalURL, azureStagesURL and azureStageURL address one approval.
func (c *Client) azureApprovalURL(id string) string {
	return c.armURL(pathARMApprovals+"/"+url.PathEscape(id), armApprovalsVersion, "")
}

func (c *Client) azureStagesURL(id string) string {
	return c.armURL(pathARMApprovals+"/"+url.PathEscape(id)+"/stages", armApprovalsVersion, "")
}

func (c *Client) azureStageURL(id, stageID string) string {
	return c.armURL(pathARMApprovals+"/"+url.PathEscape(id)+"/stages/"+url.PathEscape(stageID), armApprovalsVersion, "")
}

// fetchAzureDetails reads the stages of approvals listed without them.
func (c *Client) fetchAzureDetails(ctx context.Context, refs []Ref) map[Ref]detail {
	out := make(map[Ref]detail, len(refs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, azureDetailParallel)
	for _, ref := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			d, _ := c.azureStages(ctx, ref.ID)
			mu.Lock()
			out[ref] = d
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// azureStages reads one approval's stages: inline in the approval, or from
// .../stages when the approval comes without them.
func (c *Client) azureStages(ctx context.Context, id string) (detail, error) {
	var w wireARMApproval
	if err := c.armGet(ctx, c.azureApprovalURL(id), &w); err != nil {
		return failedARMDetail(err), err
	}
	if w.hasStages() {
		var ws []wireARMStage
		if err := json.Unmarshal(w.Properties.Stages, &ws); err != nil {
			return detail{problem: describe("stages", err)}, err
		}
		return detail{stages: fromARMStages(ws), lasting: true}, nil
	}
	var all []wireARMStage
	next := c.azureStagesURL(id)
	for pages := 0; next != "" && pages < maxPages; pages++ {
		var page wireARMPage
		if err := c.armGet(ctx, next, &page); err != nil {
			return failedARMDetail(err), err
		}
		for _, raw := range page.Value {
			var s wireARMStage
			if json.Unmarshal(raw, &s) == nil {
				all = append(all, s)
			}
		}
		next = resolveLink(next, page.NextLink)
	}
	return detail{stages: fromARMStages(all), lasting: true}, nil
}

func failedARMDetail(err error) detail {
	var ge *Error
	if errors.As(err, &ge) {
		switch ge.StatusCode {
		case http.StatusNotFound:
			return detail{gone: true}
		case http.StatusForbidden:
			return detail{problem: describe("stages", err), lasting: true}
		}
	}
	return detail{problem: describe("stages", err)}
}

// getAzure reads one Azure approval afresh: its stages, and its request's
// context from the cache (anything listed) or else from the schedule
// requests listing.
func (c *Client) getAzure(ctx context.Context, ref Ref) (Approval, error) {
	if c.arm == nil {
		return Approval{}, errors.New("graph: no Azure Resource Manager URL configured")
	}
	d, err := c.azureStages(ctx, ref.ID)
	if errors.Is(err, ErrAzureAccess) {
		return Approval{}, err
	}
	if d.gone {
		return Approval{}, &Error{StatusCode: http.StatusNotFound, Message: "approval not found", Service: serviceARM}
	}
	c.mu.Lock()
	e, cached := c.cache[ref]
	c.mu.Unlock()
	var a Approval
	if cached {
		a = *e.approval
	} else {
		reqs := c.armListAll(ctx, c.armURL(pathARMRequests, armRequestsVersion, armAsApprover))
		ctxs, subs := azureContexts(reqs.items)
		a = Approval{RequestID: ref.ID, Kind: KindAzureRole}
		if r, ok := ctxs[strings.ToLower(ref.ID)]; ok {
			a = fromARMRequest(r.w, subs)
		} else if reqs.err != nil {
			a.Problem = describe("request details", reqs.err)
		} else {
			a.Problem = "request details: not in the schedule requests listing"
		}
		if reqs.err != nil && errors.Is(reqs.err, ErrAzureAccess) {
			return Approval{}, reqs.err
		}
	}
	a.Ref = ref
	a.Stages = d.stages
	if d.problem != "" {
		a.Problem = d.problem
	}
	finishStages(&a, azureStageTimeout)
	return a, nil
}

// azureStage reads one stage (GET .../stages/{id}).
func (c *Client) azureStage(ctx context.Context, ref Ref, stageID string) (Stage, error) {
	var w wireARMStage
	if err := c.armGet(ctx, c.azureStageURL(ref.ID, stageID), &w); err != nil {
		return Stage{}, err
	}
	return fromARMStage(w), nil
}
