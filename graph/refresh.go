package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
)

// cacheEntry is an approval with its details, valid while its listing
// entry keeps the same fingerprint.
type cacheEntry struct {
	print    uint64
	approval Approval
}

// Refresh lists everything waiting for my decision in both sources and
// returns it with stages. Details are read (batched) only for approvals
// that are new or whose listing entry changed, so a steady-state refresh
// costs only the listing pages. A source that fails is reported in
// Snapshot.Errors while the other's approvals still come back; the error
// is non-nil only when no source could be listed (the Snapshot is still
// returned, for its Errors and Requests).
func (c *Client) Refresh(ctx context.Context) (*Snapshot, error) {
	ctx, counter := withCounter(ctx)
	epoch := c.beginRefresh()
	defer c.endRefresh()

	var em, groups listing
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); em = c.listEM(ctx) }()
	go func() { defer wg.Done(); groups = c.listGroups(ctx) }()
	wg.Wait()

	snap := &Snapshot{}
	var ok []listing
	for _, l := range []listing{em, groups} {
		snap.Warnings = append(snap.Warnings, l.warnings...)
		if l.err != nil {
			snap.Errors = append(snap.Errors, SourceError{Source: l.source, Err: l.err})
			continue
		}
		ok = append(ok, l)
	}

	approvals, fresh := c.withDetails(ctx, ok)
	c.remember(ok, approvals, fresh, epoch)

	sortApprovals(approvals)
	snap.Approvals = approvals
	snap.Requests = int(counter.Load())
	snap.At = c.now()
	if len(ok) == 0 {
		errs := make([]error, len(snap.Errors))
		for i, e := range snap.Errors {
			errs[i] = e
		}
		return snap, fmt.Errorf("graph: no approvals could be listed: %w", errors.Join(errs...))
	}
	return snap, nil
}

// freshEntry is an approval read by this refresh that is worth caching:
// its index in the refresh's output and its listing fingerprint.
type freshEntry struct {
	index int
	print uint64
}

// withDetails pairs each listed approval with its stages: from the cache
// when the listing entry is unchanged, else read now. It returns the
// approvals to show and which of them are worth keeping from this read.
// (The output is sized once and the entries to read are pointed to, not
// copied: at 10,000 approvals the copies were most of a cold refresh's
// peak memory.)
func (c *Client) withDetails(ctx context.Context, ls []listing) ([]Approval, []freshEntry) {
	total := 0
	for _, l := range ls {
		total += len(l.items)
	}
	out := make([]Approval, 0, total)
	var need []*listed
	c.mu.Lock()
	for _, l := range ls {
		for i := range l.items {
			it := &l.items[i]
			if e, ok := c.cache[it.approval.Ref]; ok && e.print == it.print {
				out = append(out, e.approval)
				continue
			}
			need = append(need, it)
		}
	}
	c.mu.Unlock()

	refs := make([]Ref, len(need))
	for i, it := range need {
		refs[i] = it.approval.Ref
	}
	details := c.fetchDetails(ctx, refs)
	var fresh []freshEntry
	for _, it := range need {
		d := details[it.approval.Ref]
		if d.gone {
			continue
		}
		out = append(out, it.approval)
		a := &out[len(out)-1]
		a.Stages, a.Problem = d.stages, d.problem
		finishStages(a, c.stageTimeouts[a.Source])
		if d.lasting {
			fresh = append(fresh, freshEntry{index: len(out) - 1, print: it.print})
		}
	}
	return out, fresh
}

// remember stores the fresh entries of approvals and drops those of listed
// sources that are no longer listed. Entries forgotten since the refresh
// began (a decision landed meanwhile) are not brought back.
func (c *Client) remember(ls []listing, approvals []Approval, fresh []freshEntry, epoch uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range ls {
		listedNow := make(map[Ref]bool, len(l.items))
		for _, it := range l.items {
			listedNow[it.approval.Ref] = true
		}
		for ref := range c.cache {
			if ref.Source == l.source && !listedNow[ref] {
				delete(c.cache, ref)
			}
		}
	}
	for _, f := range fresh {
		a := approvals[f.index]
		if c.forgot[a.Ref] > epoch {
			continue
		}
		c.cache[a.Ref] = cacheEntry{print: f.print, approval: a}
	}
}

// beginRefresh returns the current Forget epoch; endRefresh undoes the
// bookkeeping. Forget records refs only while a refresh is running.
func (c *Client) beginRefresh() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refreshing == 0 {
		clear(c.forgot)
	}
	c.refreshing++
	return c.epoch
}

func (c *Client) endRefresh() {
	c.mu.Lock()
	c.refreshing--
	c.mu.Unlock()
}

// sortApprovals orders by creation time, then by Ref, so a list does not
// reshuffle between refreshes.
func sortApprovals(as []Approval) {
	sort.SliceStable(as, func(i, j int) bool {
		a, b := as[i], as[j]
		if !a.Created.Equal(b.Created) {
			return a.Created.Before(b.Created)
		}
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.ID < b.ID
	})
}
