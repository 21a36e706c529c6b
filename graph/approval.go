package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Get reads one approval afresh: its request (who, what, why) and its
// stages. A Ref without a Source is looked for in what was listed, then in
// both Graph v1.0 collections (one $batch), then in the other sources. A
// missing approval is an error matching ErrNotFound; a request or stages
// that could not be read (403, say) leave the approval with Problem set.
func (c *Client) Get(ctx context.Context, ref Ref) (Approval, error) {
	if ref.Source == "" {
		if src, ok := c.listedSource(ref.ID); ok {
			ref.Source = src
		}
	}
	if ref.Source != "" {
		sc, err := c.source(ref.Source)
		if err != nil {
			return Approval{}, err
		}
		a, err := sc.get(ctx, ref.ID)
		if err == nil {
			c.updateCached(a)
			c.notePortalOnly(a)
		}
		return a, err
	}
	var v1 []Source
	for _, s := range []Source{SourceAccessPackage, SourceGroup} {
		if c.sources[s] != nil {
			v1 = append(v1, s)
		}
	}
	firstErr := error(newError(http.StatusNotFound, nil, nil))
	if len(v1) > 0 {
		a, err := c.getV1(ctx, ref.ID, v1)
		if err == nil {
			c.updateCached(a)
			return a, nil
		}
		firstErr = err
	}
	for _, s := range c.enabled {
		if s == SourceAccessPackage || s == SourceGroup {
			continue
		}
		a, err := c.sources[s].get(ctx, ref.ID)
		if err == nil {
			c.updateCached(a)
			c.notePortalOnly(a)
			return a, nil
		}
		if errors.Is(firstErr, ErrNotFound) && !errors.Is(err, ErrNotFound) {
			firstErr = err
		}
	}
	return Approval{}, firstErr
}

// getV1 reads one approval of the Graph v1.0 sources: the request and
// the approval of each source in one $batch; the first found wins.
func (c *Client) getV1(ctx context.Context, id string, sources []Source) (Approval, error) {
	var gets []batchGet
	for _, s := range sources {
		r := Ref{Source: s, ID: id}
		gets = append(gets,
			batchGet{key: "request " + r.String(), path: c.requestPath(r)},
			batchGet{key: "approval " + r.String(), path: approvalPath(r)})
	}
	res := c.batch(ctx, gets)
	var firstErr error
	for _, s := range sources {
		r := Ref{Source: s, ID: id}
		a, err := c.assemble(ctx, r, res["request "+r.String()], res["approval "+r.String()])
		if err == nil {
			return a, nil
		}
		if firstErr == nil || !errors.Is(err, ErrNotFound) && errors.Is(firstErr, ErrNotFound) {
			firstErr = err
		}
	}
	return Approval{}, firstErr
}

// source is the client of an enabled source.
func (c *Client) source(s Source) (sourceClient, error) {
	if sc := c.sources[s]; sc != nil {
		return sc, nil
	}
	if _, known := ParseSource(string(s)); !known {
		return nil, fmt.Errorf("graph: unknown source %q", s)
	}
	return nil, fmt.Errorf("graph: the %s source is not enabled (see the sources setting)", s)
}

// listedSource finds the one source whose cache holds id.
func (c *Client) listedSource(id string) (Source, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var found Source
	n := 0
	for _, s := range c.enabled {
		if _, ok := c.cache[Ref{Source: s, ID: id}]; ok {
			found, n = s, n+1
		}
	}
	return found, n == 1
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
		e.approval.Stages, e.approval.Problem, e.approval.PortalOnly = a.Stages, a.Problem, a.PortalOnly
		e.approval.Deadline, e.approval.DeadlineEstimated = a.Deadline, a.DeadlineEstimated
		c.cache[a.Ref] = e
		c.allCached[a.Ref.Source] = false // what was reported differs from the cache now
	}
}

// Stages reads the stages of one approval.
func (c *Client) Stages(ctx context.Context, ref Ref) ([]Stage, error) {
	ref, err := c.resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	sc, err := c.source(ref.Source)
	if err != nil {
		return nil, err
	}
	return sc.stages(ctx, ref)
}

// stage reads one stage.
func (c *Client) stage(ctx context.Context, ref Ref, stageID string) (Stage, error) {
	sc, err := c.source(ref.Source)
	if err != nil {
		return Stage{}, err
	}
	return sc.stage(ctx, ref, stageID)
}

// resolve fills in the Source of a bare id: from the cache, else by
// reading the approval from every source.
func (c *Client) resolve(ctx context.Context, ref Ref) (Ref, error) {
	if ref.Source != "" {
		return ref, nil
	}
	if src, ok := c.listedSource(ref.ID); ok {
		return Ref{Source: src, ID: ref.ID}, nil
	}
	a, err := c.Get(ctx, ref)
	if err != nil {
		return Ref{}, err
	}
	return a.Ref, nil
}
