package graph

import (
	"context"
	"encoding/json"
	"net/http"
)

// detail is what reading one approval (its stages) produced.
type detail struct {
	stages  []Stage
	gone    bool   // 404: cancelled, expired or no longer visible
	problem string // why stages are missing; empty when they were read
	lasting bool   // worth caching: stages read, or a refusal (403) that retrying will not fix
	// fill, when set, completes the listed approval with what the listing
	// lacked (names, PortalOnly); it runs before the approval is cached.
	fill func(*Approval)
}

// v1Details reads the stages of Graph v1.0 approvals (entitlement
// management and PIM for Groups share the approval resource, so one
// $batch serves both).
type v1Details struct{ c *Client }

func (d v1Details) details(ctx context.Context, as []*Approval) map[Ref]detail {
	refs := make([]Ref, len(as))
	for i, a := range as {
		refs[i] = a.Ref
	}
	return d.c.fetchDetails(ctx, refs)
}

type wireStagePage struct {
	Value    []wireStage `json:"value"`
	NextLink string      `json:"@odata.nextLink"`
}

func (p *wireStagePage) UnmarshalJSON(b []byte) error {
	return decodeCollection(b, &p.Value, &p.NextLink)
}

// fetchDetails reads the stages of refs: one batched GET per approval, and
// for approvals returned without a stages property, a second batched round
// of GET .../stages.
func (c *Client) fetchDetails(ctx context.Context, refs []Ref) map[Ref]detail {
	out := make(map[Ref]detail, len(refs))
	if len(refs) == 0 {
		return out
	}
	gets := make([]batchGet, len(refs))
	for i, ref := range refs {
		gets[i] = batchGet{key: ref.String(), path: approvalPath(ref)}
	}
	res := c.batch(ctx, gets)
	var noStages []Ref
	for _, ref := range refs {
		r := res[ref.String()]
		if !r.ok() {
			out[ref] = failedDetail("stages", r)
			continue
		}
		var w wireApproval
		if err := json.Unmarshal(r.body, &w); err != nil {
			out[ref] = detail{problem: describe("stages", err)}
			continue
		}
		if !w.hasStages() {
			noStages = append(noStages, ref)
			continue
		}
		var ws []wireStage
		if err := json.Unmarshal(w.Stages, &ws); err != nil {
			out[ref] = detail{problem: describe("stages", err)}
			continue
		}
		out[ref] = detail{stages: fromStages(ws), lasting: true}
	}
	for ref, d := range c.fetchStageLists(ctx, noStages) {
		out[ref] = d
	}
	return out
}

// fetchStageLists reads GET .../stages for refs, batched.
func (c *Client) fetchStageLists(ctx context.Context, refs []Ref) map[Ref]detail {
	out := make(map[Ref]detail, len(refs))
	if len(refs) == 0 {
		return out
	}
	gets := make([]batchGet, len(refs))
	for i, ref := range refs {
		gets[i] = batchGet{key: ref.String(), path: stagesPath(ref)}
	}
	res := c.batch(ctx, gets)
	for _, ref := range refs {
		r := res[ref.String()]
		if !r.ok() {
			out[ref] = failedDetail("stages", r)
			continue
		}
		var page wireStagePage
		if err := decodeBody(r.body, &page); err != nil {
			out[ref] = detail{problem: describe("stages", err)}
			continue
		}
		stages := page.Value
		// A stage list long enough to page is unheard of; follow it anyway.
		for pages := 0; page.NextLink != "" && pages < maxPages; pages++ {
			next := page.NextLink
			page = wireStagePage{}
			if err := c.getJSON(ctx, next, &page); err != nil {
				out[ref] = detail{problem: describe("stages", err)}
				break
			}
			stages = append(stages, page.Value...)
		}
		if _, failed := out[ref]; !failed {
			out[ref] = detail{stages: fromStages(stages), lasting: true}
		}
	}
	return out
}

// failedDetail turns a failed read into a detail: 404 means the approval
// is gone; anything else keeps it, with the reason, and without stages.
func failedDetail(what string, r batchResult) detail {
	if r.err == nil && r.status == http.StatusNotFound {
		return detail{gone: true}
	}
	return detail{
		problem: describe(what, r.failure()),
		lasting: r.err == nil && r.status == http.StatusForbidden,
	}
}
