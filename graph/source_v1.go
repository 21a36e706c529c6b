package graph

import (
	"context"
	"net/http"
)

// v1Source is entitlement management or PIM for Groups: both Graph v1.0,
// both with the approval resource and its stages.
type v1Source struct {
	c   *Client
	src Source
}

func (s v1Source) list(ctx context.Context, page func([]listed)) listing {
	if s.src == SourceGroup {
		return s.c.listGroups(ctx, page)
	}
	return s.c.listEM(ctx, page)
}

func (s v1Source) reader() detailReader { return v1Details{s.c} }

func (s v1Source) get(ctx context.Context, id string) (Approval, error) {
	return s.c.getV1(ctx, id, []Source{s.src})
}

func (s v1Source) stages(ctx context.Context, ref Ref) ([]Stage, error) {
	var all []wireStage
	next := s.c.base + stagesPath(ref)
	for pages := 0; next != "" && pages < maxPages; pages++ {
		var page wireStagePage
		if err := s.c.getJSON(ctx, next, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Value...)
		next = resolveLink(next, page.NextLink)
	}
	return fromStages(all), nil
}

func (s v1Source) stage(ctx context.Context, ref Ref, stageID string) (Stage, error) {
	var w wireStage
	if err := s.c.getJSON(ctx, s.c.base+stagePath(ref, stageID), &w); err != nil {
		return Stage{}, err
	}
	return fromStage(w), nil
}

func (s v1Source) patch(ctx context.Context, ref Ref, stageID string, d wireDecision) (reply, error) {
	return s.c.send(ctx, http.MethodPatch, s.c.base+stagePath(ref, stageID), d)
}

func (s v1Source) portalOnly() string { return "" }
