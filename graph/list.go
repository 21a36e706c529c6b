package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
)

// listed is one entry of a "waiting for me" listing, normalized, with a
// fingerprint of its raw JSON: details are re-read only when it changes.
type listed struct {
	approval Approval
	print    uint64
}

// listing is what one source's listing produced.
type listing struct {
	source   Source
	items    []listed
	warnings []string
	err      error
	// status, when its State is set, is the source's own word on how it
	// stands (say, listed but decisions only in the portal); else the
	// state follows from err.
	status SourceStatus
}

// capSize is the reported silent cap of filterByCurrentUser (graph-contract
// §1.3): exactly this many items and no nextLink deserves a warning.
const capSize = 50

// maxPages stops a server whose nextLinks never end.
const maxPages = 10000

func (c *Client) listEM(ctx context.Context) listing {
	out := c.listAll(ctx, SourceAccessPackage, c.base+c.emListPath(), decodeEMItem)
	if errors.Is(out.err, ErrBadRequest) && !c.emPlainExpand.Load() && out.items == nil {
		// The nested $expand is not documented as supported; fall back
		// once and remember it for this client's lifetime.
		c.emPlainExpand.Store(true)
		out = c.listAll(ctx, SourceAccessPackage, c.base+c.emListPath(), decodeEMItem)
	}
	return out
}

func (c *Client) listGroups(ctx context.Context) listing {
	return c.listAll(ctx, SourceGroup, c.base+groupListPath(), decodeGroupItem)
}

// listAll follows @odata.nextLink verbatim until it is absent.
func (c *Client) listAll(ctx context.Context, src Source, next string, decode func(json.RawMessage) (Approval, error)) listing {
	out := listing{source: src}
	seen := map[Ref]bool{}
	skipped := 0
	var firstSkip error
	pages := 0
	for next != "" {
		if pages++; pages > maxPages {
			out.err = fmt.Errorf("more than %d pages: giving up", maxPages)
			return out
		}
		var page wirePage
		if err := c.getJSON(ctx, next, &page); err != nil {
			out.err = err
			if pages > 1 {
				out.err = fmt.Errorf("page %d: %w", pages, err)
			}
			return out
		}
		for _, raw := range page.Value {
			a, err := decode(raw)
			if err != nil || a.ID == "" {
				skipped++
				if firstSkip == nil {
					firstSkip = err
					if err == nil {
						firstSkip = errors.New("no id")
					}
				}
				continue
			}
			if seen[a.Ref] {
				continue // pages may overlap when the list changes under us
			}
			seen[a.Ref] = true
			out.items = append(out.items, listed{approval: a, print: fingerprint(raw)})
		}
		if pages == 1 && page.NextLink == "" && len(page.Value) == capSize {
			out.warnings = append(out.warnings, fmt.Sprintf(
				"%s: exactly %d results and no nextLink: the list may be capped by the service", src, capSize))
		}
		next = resolveLink(next, page.NextLink)
	}
	if skipped > 0 {
		out.warnings = append(out.warnings, fmt.Sprintf("%s: skipped %d unreadable entries (%v)", src, skipped, firstSkip))
	}
	if out.items == nil {
		out.items = []listed{}
	}
	return out
}

func decodeEMItem(raw json.RawMessage) (Approval, error) {
	var w wireAssignmentRequest
	if err := json.Unmarshal(raw, &w); err != nil {
		return Approval{}, err
	}
	return fromAssignmentRequest(w), nil
}

func decodeGroupItem(raw json.RawMessage) (Approval, error) {
	var w wireGroupRequest
	if err := json.Unmarshal(raw, &w); err != nil {
		return Approval{}, err
	}
	return fromGroupRequest(w), nil
}

// resolveLink returns the next link as given (Graph sends absolute URLs);
// a relative one is resolved against the page it came from.
func resolveLink(current, next string) string {
	if next == "" {
		return ""
	}
	n, err := url.Parse(next)
	if err != nil || n.IsAbs() {
		return next // checkOrigin rejects what cannot be parsed
	}
	cur, err := url.Parse(current)
	if err != nil {
		return next
	}
	return cur.ResolveReference(n).String()
}

func fingerprint(raw []byte) uint64 {
	h := fnv.New64a()
	h.Write(raw)
	return h.Sum64()
}
