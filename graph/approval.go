package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
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
	return c.getOthers(ctx, ref.ID, firstErr)
}

// getV1 reads one approval of the Graph v1.0 sources: the request and
// the approval of each source in one $batch; the first found wins.
func (c *Client) getV1(ctx context.Context, id string, sources []Source) (Approval, error) {
	got := c.getV1Many(ctx, []v1Lookup{{id: id, sources: sources}})
	return got[0].a, got[0].err
}

// v1Lookup is an id to read from the Graph v1.0 sources given, and what
// was found.
type v1Lookup struct {
	id      string
	sources []Source
	a       Approval
	err     error
}

// getV1Many reads many approvals of the Graph v1.0 sources: every request
// and approval GET of them all in $batch calls of 20 (two per id and
// source), so the cost follows the number of ids.
func (c *Client) getV1Many(ctx context.Context, ls []v1Lookup) []v1Lookup {
	key := func(i int, what string, r Ref) string { return strconv.Itoa(i) + " " + what + " " + r.String() }
	var gets []batchGet
	for i, l := range ls {
		for _, s := range l.sources {
			r := Ref{Source: s, ID: l.id}
			gets = append(gets,
				batchGet{key: key(i, "request", r), path: c.requestPath(r)},
				batchGet{key: key(i, "approval", r), path: approvalPath(r)})
		}
	}
	res := c.batch(ctx, gets)
	for i := range ls {
		l := &ls[i]
		for _, s := range l.sources {
			r := Ref{Source: s, ID: l.id}
			a, err := c.assemble(ctx, r, res[key(i, "request", r)], res[key(i, "approval", r)])
			if err == nil {
				l.a, l.err = a, nil
				break
			}
			if l.err == nil || !errors.Is(err, ErrNotFound) && errors.Is(l.err, ErrNotFound) {
				l.err = err
			}
		}
	}
	return ls
}

// getManyParallel bounds the single reads of GetMany (sources without
// batching, ids not found in Graph v1.0).
const getManyParallel = 8

// GetMany reads many approvals afresh, each as Get would, and returns them
// (or why not) in the order of refs. Graph v1.0 approvals are read in
// $batch calls of 20 GETs, the others a few at a time: the cost depends on
// the number of refs, never on how many approvals wait in the inbox.
func (c *Client) GetMany(ctx context.Context, refs []Ref) ([]Approval, []error) {
	out := make([]Approval, len(refs))
	errs := make([]error, len(refs))
	var v1 []Source
	for _, s := range []Source{SourceAccessPackage, SourceGroup} {
		if c.sources[s] != nil {
			v1 = append(v1, s)
		}
	}
	var lookups []v1Lookup
	var at []int   // index in refs of each lookup
	var rest []int // refs read one by one
	for i, ref := range refs {
		if ref.Source == "" {
			if src, ok := c.listedSource(ref.ID); ok {
				ref.Source = src
			}
		}
		switch {
		case ref.Source == "" && len(v1) > 0:
			lookups, at = append(lookups, v1Lookup{id: ref.ID, sources: v1}), append(at, i)
		case ref.Source == SourceAccessPackage || ref.Source == SourceGroup:
			if _, err := c.source(ref.Source); err != nil {
				errs[i] = err
				continue
			}
			lookups, at = append(lookups, v1Lookup{id: ref.ID, sources: []Source{ref.Source}}), append(at, i)
		default:
			rest = append(rest, i)
		}
	}
	for j, l := range c.getV1Many(ctx, lookups) {
		i := at[j]
		if l.err == nil {
			c.updateCached(l.a)
			out[i] = l.a
			continue
		}
		errs[i] = l.err
		if refs[i].Source == "" && len(c.enabled) > len(v1) {
			rest = append(rest, i) // a bare id: maybe in another source
		}
	}
	sem := make(chan struct{}, getManyParallel)
	var wg sync.WaitGroup
	for _, i := range rest {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if refs[i].Source == "" && len(v1) > 0 {
				out[i], errs[i] = c.getOthers(ctx, refs[i].ID, errs[i])
				return
			}
			out[i], errs[i] = c.Get(ctx, refs[i])
		}()
	}
	wg.Wait()
	return out, errs
}

// getOthers looks for a bare id in the sources other than Graph v1.0's;
// firstErr is what those said.
func (c *Client) getOthers(ctx context.Context, id string, firstErr error) (Approval, error) {
	for _, s := range c.enabled {
		if s == SourceAccessPackage || s == SourceGroup {
			continue
		}
		a, err := c.sources[s].get(ctx, id)
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

// source is the client of an enabled source.
func (c *Client) source(s Source) (sourceClient, error) {
	if sc := c.sources[s]; sc != nil {
		return sc, nil
	}
	if _, known := ParseSource(string(s)); !known {
		return nil, fmt.Errorf("graph: unknown source %q", s)
	}
	return nil, fmt.Errorf("graph: the %s source is %w", s, ErrSourceDisabled)
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
	if old, ok := c.cache[a.Ref]; ok {
		// Entries and the approvals they point at are never changed in
		// place: a refresh may be reading them, and the last refresh's
		// list (which the next one may hand out again) holds the approval.
		u := *old.approval
		u.Stages, u.Problem, u.PortalOnly = a.Stages, a.Problem, a.PortalOnly
		u.Deadline, u.DeadlineEstimated = a.Deadline, a.DeadlineEstimated
		c.cache[a.Ref] = &cacheEntry{print: old.print, approval: &u}
		c.allCached[a.Ref.Source] = false // what was reported differs from the cache now
		// A refresh in flight read the entry before: it must not put the
		// older one back when it is done (as after a Forget).
		c.epoch++
		if c.refreshing > 0 {
			c.forgot[a.Ref] = c.epoch
		}
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
