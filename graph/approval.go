package graph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// Get reads one approval afresh: its request (who, what, why) and its
// stages, in a single $batch. A Ref without a Source is looked up in both
// collections. A missing approval is an error matching ErrNotFound; a
// request or stages that could not be read (403, say) leave the approval
// with Problem set.
func (c *Client) Get(ctx context.Context, ref Ref) (Approval, error) {
	sources := []Source{ref.Source}
	if ref.Source == "" {
		sources = []Source{SourceAccessPackage, SourceGroup}
	}
	var gets []batchGet
	for _, s := range sources {
		r := Ref{Source: s, ID: ref.ID}
		gets = append(gets,
			batchGet{key: "request " + r.String(), path: c.requestPath(r)},
			batchGet{key: "approval " + r.String(), path: approvalPath(r)})
	}
	res := c.batch(ctx, gets)
	var firstErr error
	for _, s := range sources {
		r := Ref{Source: s, ID: ref.ID}
		a, err := c.assemble(ctx, r, res["request "+r.String()], res["approval "+r.String()])
		if err == nil {
			c.updateCached(a)
			return a, nil
		}
		if firstErr == nil || !errors.Is(err, ErrNotFound) && errors.Is(firstErr, ErrNotFound) {
			firstErr = err
		}
	}
	return Approval{}, firstErr
}

// requestPath is the request behind an approval. For PIM the approval id
// may differ from the request id; the cache knows the request id of
// anything listed, and the docs say the two are equal otherwise.
func (c *Client) requestPath(r Ref) string {
	id := r.ID
	c.mu.Lock()
	if e, ok := c.cache[r]; ok && e.approval.RequestID != "" {
		id = e.approval.RequestID
	}
	c.mu.Unlock()
	if r.Source == SourceGroup {
		return groupRequestPath(id)
	}
	return c.emRequestPath(id)
}

// assemble builds an Approval from the request and approval replies.
func (c *Client) assemble(ctx context.Context, r Ref, req, apr batchResult) (Approval, error) {
	if r.Source == SourceAccessPackage && req.err == nil && req.status == http.StatusBadRequest && !c.emPlainExpand.Load() {
		// The service refused the nested $expand: ask again without it.
		c.emPlainExpand.Store(true)
		rep, err := c.send(ctx, http.MethodGet, c.base+c.requestPath(r), nil)
		req = batchResult{reply: rep, err: err}
	}
	if !apr.ok() {
		err := apr.failure()
		if !req.ok() || errors.Is(err, ErrNotFound) {
			return Approval{}, err
		}
	}
	a := Approval{Ref: r, RequestID: r.ID, Kind: KindAccessPackage}
	if r.Source == SourceGroup {
		a.Kind = KindGroup
	}
	if req.ok() {
		decoded, err := decodeRequest(r.Source, req.body)
		if err != nil {
			a.Problem = describe("request details", err)
		} else {
			decoded.Ref = r
			a = decoded
		}
	} else {
		a.Problem = describe("request details", req.failure())
	}
	if apr.ok() {
		d := c.stagesFrom(ctx, r, apr.body)
		if d.gone {
			return Approval{}, newError(http.StatusNotFound, nil, nil)
		}
		a.Stages = d.stages
		if d.problem != "" {
			a.Problem = d.problem
		}
	} else {
		a.Problem = describe("stages", apr.failure())
	}
	finishStages(&a, c.stageTimeouts[a.Source])
	return a, nil
}

func decodeRequest(s Source, body []byte) (Approval, error) {
	if s == SourceGroup {
		return decodeGroupItem(body)
	}
	return decodeEMItem(body)
}

// stagesFrom reads the stages inline in an approval body, or from
// .../stages when the body has none.
func (c *Client) stagesFrom(ctx context.Context, r Ref, body []byte) detail {
	var w wireApproval
	if err := json.Unmarshal(body, &w); err != nil {
		return detail{problem: describe("stages", err)}
	}
	if !w.hasStages() {
		return c.fetchStageLists(ctx, []Ref{r})[r]
	}
	var ws []wireStage
	if err := json.Unmarshal(w.Stages, &ws); err != nil {
		return detail{problem: describe("stages", err)}
	}
	return detail{stages: fromStages(ws), lasting: true}
}

// updateCached refreshes the stages of a cached approval after a Get, so
// the next Refresh does not bring back older ones.
func (c *Client) updateCached(a Approval) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.cache[a.Ref]; ok {
		e.approval.Stages, e.approval.Problem = a.Stages, a.Problem
		e.approval.Deadline, e.approval.DeadlineEstimated = a.Deadline, a.DeadlineEstimated
		c.cache[a.Ref] = e
	}
}

// Stages reads the stages of one approval (GET .../stages).
func (c *Client) Stages(ctx context.Context, ref Ref) ([]Stage, error) {
	ref, err := c.resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	var all []wireStage
	next := c.base + stagesPath(ref)
	for pages := 0; next != "" && pages < maxPages; pages++ {
		var page wireStagePage
		if err := c.getJSON(ctx, next, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Value...)
		next = resolveLink(next, page.NextLink)
	}
	return fromStages(all), nil
}

// stage reads one stage (GET .../stages/{id}).
func (c *Client) stage(ctx context.Context, ref Ref, stageID string) (Stage, error) {
	var w wireStage
	if err := c.getJSON(ctx, c.base+stagePath(ref, stageID), &w); err != nil {
		return Stage{}, err
	}
	return fromStage(w), nil
}

// resolve fills in the Source of a bare id: from the cache, else by
// reading the approval from both collections.
func (c *Client) resolve(ctx context.Context, ref Ref) (Ref, error) {
	if ref.Source != "" {
		return ref, nil
	}
	c.mu.Lock()
	_, inEM := c.cache[Ref{Source: SourceAccessPackage, ID: ref.ID}]
	_, inGroups := c.cache[Ref{Source: SourceGroup, ID: ref.ID}]
	c.mu.Unlock()
	switch {
	case inEM && !inGroups:
		return Ref{Source: SourceAccessPackage, ID: ref.ID}, nil
	case inGroups && !inEM:
		return Ref{Source: SourceGroup, ID: ref.ID}, nil
	}
	a, err := c.Get(ctx, ref)
	if err != nil {
		return Ref{}, err
	}
	return a.Ref, nil
}
