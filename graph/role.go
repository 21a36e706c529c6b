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
)

// PIM for Microsoft Entra roles: listed in v1.0
// (roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')),
// read and decided in beta (roleAssignmentApprovals/{id} with its steps,
// PATCH steps/{id}). The beta operations are marked for deprecation; when
// the segment is gone the requests are still listed, marked "decide in
// the portal", and no decision is sent.
const (
	pathRoleRequests  = "/roleManagement/directory/roleAssignmentScheduleRequests"
	pathRoleApprovals = "/roleManagement/directory/roleAssignmentApprovals" // beta
	// The docs say this function supports $expand; the names of the
	// role, the principal and the scope come with the listing, so a
	// refresh costs its pages plus the beta approvals of new requests.
	roleExpand = "principal,roleDefinition,directoryScope"
	roleFilter = "status eq 'PendingApproval'"

	// rolePortal is where role requests are decided when the API cannot.
	rolePortal = "the Microsoft Entra admin center: Identity governance › Privileged Identity Management › Approve requests › Microsoft Entra roles"
)

// roleBetaGone is the one line said when the beta approvals are gone.
var roleBetaGone = "Microsoft Graph no longer serves the beta roleAssignmentApprovals API, so Entra role requests are listed but cannot be decided here: decide them in " + rolePortal

func (c *Client) roleListPath() string {
	p := pathRoleRequests + pathFilterApprover + "?$filter=" + odataEscape(roleFilter)
	if !c.rolePlain.Load() {
		p += "&$expand=" + odataEscape(roleExpand)
	}
	return p
}

func (c *Client) roleRequestURL(id string) string {
	p := c.base + pathRoleRequests + "/" + url.PathEscape(id)
	if !c.rolePlain.Load() {
		p += "?$expand=" + odataEscape(roleExpand)
	}
	return p
}

func roleApprovalPath(id string) string { return pathRoleApprovals + "/" + url.PathEscape(id) }
func roleStepsPath(id string) string    { return roleApprovalPath(id) + "/steps" }
func roleStepPath(id, stepID string) string {
	return roleStepsPath(id) + "/" + url.PathEscape(stepID)
}

// roleSource is the sourceClient of PIM for Microsoft Entra roles.
type roleSource struct{ c *Client }

func (s roleSource) list(ctx context.Context, page func([]listed)) listing {
	c := s.c
	sent := false
	counted := func(items []listed) { sent = true; page(items) }
	out := c.listAll(ctx, SourceRole, c.base+c.roleListPath(), decodeRoleItem, counted)
	if errors.Is(out.err, ErrBadRequest) && !c.rolePlain.Load() && !sent {
		// A service that refuses the $expand still lists: without names.
		c.rolePlain.Store(true)
		out = c.listAll(ctx, SourceRole, c.base+c.roleListPath(), decodeRoleItem, page)
	}
	return out
}

// state reports the portal-only state once the beta segment is gone.
func (s roleSource) state() (SourceStatus, bool) {
	if !s.c.roleBetaGone.Load() {
		return SourceStatus{}, false
	}
	return SourceStatus{Source: SourceRole, State: StatePortalOnly,
		Detail: "the beta roleAssignmentApprovals API answers that it does not exist",
		Fix:    "decide Entra role requests in " + rolePortal}, true
}

func (s roleSource) reader() detailReader { return roleDetails{s.c} }

func (s roleSource) portalOnly() string {
	if s.c.roleBetaGone.Load() {
		return roleBetaGone
	}
	return ""
}

func (s roleSource) stages(ctx context.Context, ref Ref) ([]Stage, error) {
	d := s.c.roleSteps(ctx, ref.ID)
	if d.err != nil {
		return nil, d.err
	}
	return d.stages, nil
}

func (s roleSource) stage(ctx context.Context, ref Ref, stageID string) (Stage, error) {
	var w wireStep
	if err := s.c.getJSON(ctx, s.c.betaBase+roleStepPath(ref.ID, stageID), &w); err != nil {
		s.c.noteBetaGone(err, true)
		return Stage{}, err
	}
	return fromStage(w), nil
}

func (s roleSource) patch(ctx context.Context, ref Ref, stageID string, d wireDecision) (reply, error) {
	r, err := s.c.send(ctx, http.MethodPatch, s.c.betaBase+roleStepPath(ref.ID, stageID), d)
	if err == nil {
		s.c.noteBetaGone(r.errorFor(), false)
	}
	return r, err
}

// get reads the v1.0 request and the beta approval at the same time.
func (s roleSource) get(ctx context.Context, id string) (Approval, error) {
	c := s.c
	ref := Ref{Source: SourceRole, ID: id}
	var (
		req    wireRoleRequest
		reqErr error
		steps  roleStepsResult
		wg     sync.WaitGroup
	)
	wg.Go(func() { reqErr = c.getJSON(ctx, c.roleRequestURL(c.requestIDOf(ref)), &req) })
	wg.Go(func() { steps = c.roleSteps(ctx, id) })
	wg.Wait()
	if errors.Is(reqErr, ErrBadRequest) && !c.rolePlain.Load() {
		c.rolePlain.Store(true)
		reqErr = c.getJSON(ctx, c.roleRequestURL(c.requestIDOf(ref)), &req)
	}
	if reqErr != nil && (errors.Is(reqErr, ErrNotFound) || steps.err != nil) {
		return Approval{}, reqErr
	}
	a := Approval{Ref: ref, RequestID: id, Kind: KindRole}
	if reqErr == nil {
		a = fromRoleRequest(req)
		a.Ref = ref
	} else {
		a.Problem = describe("request details", reqErr)
	}
	switch {
	case steps.gone:
		return Approval{}, newError(http.StatusNotFound, nil, nil)
	case steps.err != nil && !c.roleBetaGone.Load():
		a.Problem = describe("steps", steps.err)
	default:
		a.Stages = steps.stages
	}
	// A read of one approval may learn who I am (once per client), so
	// that my own activation says so; a refresh never sends /me.
	_, _ = c.meUser(ctx)
	c.finishRole(&a)
	finishStages(&a, c.stageTimeouts[SourceRole])
	return a, nil
}

// requestIDOf is the request behind an approval: the cache knows it for
// anything listed; the docs say the two ids are equal otherwise.
func (c *Client) requestIDOf(ref Ref) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.cache[ref]; ok && e.approval.RequestID != "" {
		return e.approval.RequestID
	}
	return ref.ID
}

// roleStepsResult is what reading one role approval's steps gave.
type roleStepsResult struct {
	stages []Stage
	gone   bool // 404: this approval is gone
	err    error
}

// roleSteps reads GET beta .../roleAssignmentApprovals/{id} (steps inline),
// or .../steps when the approval came without them.
func (c *Client) roleSteps(ctx context.Context, id string) roleStepsResult {
	r, err := c.send(ctx, http.MethodGet, c.betaBase+roleApprovalPath(id), nil)
	if err == nil {
		err = r.errorFor()
	}
	if err != nil {
		if c.noteBetaGone(err, true) {
			return roleStepsResult{err: err}
		}
		return roleStepsResult{gone: errors.Is(err, ErrNotFound), err: err}
	}
	var w wireRoleApproval
	if err := decodeBody(r.body, &w); err != nil {
		return roleStepsResult{err: err}
	}
	if w.hasSteps() {
		var ws []wireStep
		if err := json.Unmarshal(w.Steps, &ws); err != nil {
			return roleStepsResult{err: err}
		}
		return roleStepsResult{stages: fromStages(ws)}
	}
	var all []wireStep
	next := c.betaBase + roleStepsPath(id)
	for pages := 0; next != "" && pages < maxPages; pages++ {
		var page wireStepPage
		if err := c.getJSON(ctx, next, &page); err != nil {
			return roleStepsResult{err: err}
		}
		all = append(all, page.Value...)
		next = resolveLink(next, page.NextLink)
	}
	return roleStepsResult{stages: fromStages(all)}
}

// noteBetaGone recognises the beta segment's removal. Graph answers an
// unknown segment with 400 "Resource not found for the segment '...'". A
// GET by id with no query has nothing else to be bad about, so any 400 to
// one counts; for a PATCH (which may be refused for its content) and for
// a 404 (one approval alone can be gone) only the segment message does.
// It reports whether err said so; from then on no decision is sent.
func (c *Client) noteBetaGone(err error, get bool) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	segment := strings.Contains(strings.ToLower(e.Message), "segment")
	if e.StatusCode == http.StatusBadRequest && (get || segment) || e.StatusCode == http.StatusNotFound && segment {
		if !c.roleBetaGone.Swap(true) {
			c.dropCached(SourceRole) // read again (no request) to be marked "decide in the portal"
		}
		return true
	}
	return false
}

// dropCached forgets every cached approval of src, so the next refresh
// builds them again.
func (c *Client) dropCached(src Source) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ref := range c.cache {
		if ref.Source == src {
			delete(c.cache, ref)
		}
	}
}

// roleDetails reads the beta approvals of listed role requests: one
// /beta/$batch per 20.
type roleDetails struct{ c *Client }

func (d roleDetails) details(ctx context.Context, as []*Approval) map[Ref]detail {
	c := d.c
	out := make(map[Ref]detail, len(as))
	fill := c.finishRole
	if c.roleBetaGone.Load() {
		for _, a := range as {
			out[a.Ref] = detail{lasting: true, fill: fill}
		}
		return out
	}
	gets := make([]batchGet, len(as))
	for i, a := range as {
		gets[i] = batchGet{key: a.Ref.String(), path: roleApprovalPath(a.ID)}
	}
	res := c.batchAt(ctx, c.betaBase, gets)
	for _, a := range as {
		r := res[a.Ref.String()]
		if !r.ok() {
			if r.err == nil && c.noteBetaGone(r.failure(), true) {
				out[a.Ref] = detail{lasting: true, fill: fill}
				continue
			}
			dt := failedDetail("steps", r)
			dt.fill = fill
			out[a.Ref] = dt
			continue
		}
		var w wireRoleApproval
		if err := json.Unmarshal(r.body, &w); err != nil {
			out[a.Ref] = detail{problem: describe("steps", err), fill: fill}
			continue
		}
		if !w.hasSteps() {
			st := c.roleSteps(ctx, a.ID)
			switch {
			case st.gone:
				out[a.Ref] = detail{gone: true}
			case st.err != nil:
				out[a.Ref] = detail{problem: describe("steps", st.err), fill: fill}
			default:
				out[a.Ref] = detail{stages: st.stages, lasting: true, fill: fill}
			}
			continue
		}
		var ws []wireStep
		if err := json.Unmarshal(w.Steps, &ws); err != nil {
			out[a.Ref] = detail{problem: describe("steps", err), fill: fill}
			continue
		}
		out[a.Ref] = detail{stages: fromStages(ws), lasting: true, fill: fill}
	}
	// The batch may have shown the segment gone after some items were
	// read: every role request is then decided in the portal.
	if c.roleBetaGone.Load() {
		for ref, dt := range out {
			dt.fill = fill
			out[ref] = dt
		}
	}
	return out
}

// finishRole says why a role approval cannot be decided here, when it
// cannot: the beta API is gone, it extends or renews a role (the API
// cannot decide those), or it is the approver's own activation (PIM does
// not let an approver decide their own request).
func (c *Client) finishRole(a *Approval) {
	switch {
	case c.roleBetaGone.Load():
		a.PortalOnly = roleBetaGone
	case extendOrRenew(a.RequestType):
		a.PortalOnly = fmt.Sprintf("%s requests cannot be decided through Microsoft Graph: decide it in %s", a.RequestType, rolePortal)
	default:
		// Only when who I am is known already: a refresh sends no /me.
		// Decide checks again once it knows (ownRoleRequest).
		if me, ok := c.cachedMe(); ok && strings.EqualFold(me.ID, a.Target.ID) {
			a.PortalOnly = ownActivation
		}
	}
}

const ownActivation = "this is your own activation: PIM does not let an approver decide their own request; another approver must"

// ownRoleRequest says why a role approval that was listed for me
// (beneficiary me) cannot be decided by me, or "".
func (c *Client) ownRoleRequest(ref Ref, me wireUser) string {
	if ref.Source != SourceRole {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.cache[ref]; ok && me.ID != "" && strings.EqualFold(e.approval.Target.ID, me.ID) {
		return ownActivation
	}
	return ""
}

// extendOrRenew: the docs say approving extend and renew requests is not
// supported by the Microsoft Graph API.
func extendOrRenew(action string) bool {
	a := strings.ToLower(action)
	return strings.HasSuffix(a, "extend") || strings.HasSuffix(a, "renew")
}

func decodeRoleItem(raw json.RawMessage) (Approval, error) {
	var w wireRoleRequest
	if err := json.Unmarshal(raw, &w); err != nil {
		return Approval{}, err
	}
	return fromRoleRequest(w), nil
}
