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

// Refresh lists everything waiting for my decision in every enabled source and
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

	lists := make([]listing, len(c.enabled))
	var wg sync.WaitGroup
	for i, src := range c.enabled {
		wg.Add(1)
		go func() { defer wg.Done(); lists[i] = c.sources[src].list(ctx) }()
	}
	wg.Wait()

	snap := &Snapshot{}
	var ok []listing
	var errs []error
	listed := false
	for _, l := range lists {
		snap.Warnings = append(snap.Warnings, l.warnings...)
		if l.err != nil {
			e := SourceError{Source: l.source, Err: l.err}
			snap.Errors = append(snap.Errors, e)
			errs = append(errs, e)
			continue
		}
		ok = append(ok, l)
		switch st := statusOf(l); st.State {
		case StateOK, StatePortalOnly:
			listed = true
		default:
			errs = append(errs, fmt.Errorf("%s: %s", l.source, st.Detail))
		}
	}

	approvals, fresh := c.withDetails(ctx, ok)
	c.remember(ok, approvals, fresh, epoch)
	snap.Sources = c.statuses(lists) // after details: reading them may change a source's state

	sortApprovals(approvals)
	snap.Approvals = approvals
	snap.Requests = int(counter.Load())
	snap.At = c.now()
	if !listed {
		if len(errs) == 0 {
			errs = append(errs, errors.New("no source is enabled"))
		}
		return snap, fmt.Errorf("graph: no approvals could be listed: %w", errors.Join(errs...))
	}
	return snap, nil
}

// statuses is the state of every source after this refresh's listings,
// in AllSources order; sources not polled are disabled.
func (c *Client) statuses(lists []listing) []SourceStatus {
	out := make([]SourceStatus, 0, len(AllSources))
	for _, src := range AllSources {
		st := SourceStatus{Source: src, State: StateDisabled, Detail: "not polled: the sources setting leaves it out"}
		for _, l := range lists {
			if l.source == src {
				st = statusOf(l)
				if r, ok := c.sources[src].(stateReporter); ok && l.err == nil {
					if own, said := r.state(); said {
						st = own
					}
				}
			}
		}
		out = append(out, st)
	}
	return out
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

	details := c.readDetails(ctx, need)
	var fresh []freshEntry
	for _, it := range need {
		d := details[it.approval.Ref]
		if d.gone {
			continue
		}
		out = append(out, it.approval)
		a := &out[len(out)-1]
		a.Stages, a.Problem = d.stages, d.problem
		if d.fill != nil {
			d.fill(a)
		}
		c.notePortalOnly(*a)
		finishStages(a, c.stageTimeouts[a.Source])
		if d.lasting {
			fresh = append(fresh, freshEntry{index: len(out) - 1, print: it.print})
		}
	}
	return out, fresh
}

// readDetails reads the details of need, source by source, batching
// together the sources that share a reader.
func (c *Client) readDetails(ctx context.Context, need []*listed) map[Ref]detail {
	byReader := map[detailReader][]*Approval{}
	var readers []detailReader
	for _, it := range need {
		r := c.sources[it.approval.Source].reader()
		if _, ok := byReader[r]; !ok {
			readers = append(readers, r)
		}
		byReader[r] = append(byReader[r], &it.approval)
	}
	out := make(map[Ref]detail, len(need))
	if len(readers) == 1 {
		return readers[0].details(ctx, byReader[readers[0]])
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := r.details(ctx, byReader[r])
			mu.Lock()
			defer mu.Unlock()
			for ref, d := range got {
				out[ref] = d
			}
		}()
	}
	wg.Wait()
	return out
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
		for ref := range c.portal {
			if ref.Source == l.source && !listedNow[ref] {
				delete(c.portal, ref)
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
