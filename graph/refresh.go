package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
)

// cacheEntry is an approval with its details, valid while its listing
// entry keeps the same fingerprint. An entry in the cache is never changed
// (a refresh may be copying it out): it is replaced.
type cacheEntry struct {
	print    print
	approval *Approval // in the list of the refresh that read it, or its own
}

// Progress is one step of a refresh, as RefreshEach reports it.
type Progress struct {
	Source Source
	// Approvals of Source that are ready (listed, stages read), in no
	// particular order. Before Done, a source's approvals come in several
	// Progress values as listing pages arrive; with Done, Approvals is
	// every approval of Source this refresh found.
	Approvals []Approval
	// Done: Source is finished. Status says how it stands; Err is set when
	// it could not be listed (its approvals are missing, not gone).
	Done   bool
	Status SourceStatus
	Err    error
	// Version (with Done) changes whenever Source's approvals differ from
	// those of the previous refresh; the same Version means the same
	// Approvals, so a screen that shows them may skip reloading.
	Version uint64
	// Retrying (before Done): a call of Source failed in a way worth
	// retrying and is being retried; says how ("503, try 2"), so a screen
	// can say why a source is slow.
	Retrying string
}

// Refresh lists everything waiting for my decision in every enabled source and
// returns it with stages. Details are read (batched) only for approvals
// that are new or whose listing entry changed, so a steady-state refresh
// costs only the listing pages. A source that fails is reported in
// Snapshot.Errors while the other's approvals still come back; the error
// is non-nil only when no source could be listed (the Snapshot is still
// returned, for its Errors and Requests).
func (c *Client) Refresh(ctx context.Context) (*Snapshot, error) {
	return c.RefreshEach(ctx, nil)
}

// RefreshEach is Refresh that also reports its progress: every source is
// listed at the same time, the details of each listing page are read as
// soon as the page arrives (up to batchParallel $batch calls in flight for
// the whole client), and progress is called with each page's approvals and
// when each source is done, so a slow or failing source holds back none of
// the others. Calls to progress never overlap; it must not block for long.
//
// With progress, the Snapshot's Approvals are nil: every approval was in
// its source's Done progress, and a caller that keeps them (the inbox)
// has its own copy; a second, sorted copy of the whole inbox on every poll
// is left out. Its Sources, Errors, Warnings and Requests are as Refresh's.
func (c *Client) RefreshEach(ctx context.Context, progress func(Progress)) (*Snapshot, error) {
	ctx, counter := withCounter(ctx)
	epoch := c.beginRefresh()
	defer c.endRefresh()

	var pmu sync.Mutex
	report := func(p Progress) {
		if progress == nil {
			return
		}
		pmu.Lock()
		defer pmu.Unlock()
		progress(p)
	}
	runs := make([]*sourceRun, len(c.enabled))
	var wg sync.WaitGroup
	for i, src := range c.enabled {
		wg.Add(1)
		go func() { defer wg.Done(); runs[i] = c.runSource(ctx, src, epoch, report) }()
	}
	wg.Wait()

	snap := &Snapshot{Sources: c.statuses(runs)}
	var errs []error
	listed := false
	whole := progress == nil // the snapshot carries the approvals
	if whole {
		total := 0
		for _, r := range runs {
			total += len(r.approvals)
		}
		snap.Approvals = make([]Approval, 0, total)
	}
	for _, r := range runs {
		l := r.listing
		snap.Warnings = append(snap.Warnings, l.warnings...)
		if l.err != nil {
			e := SourceError{Source: l.source, Err: l.err}
			snap.Errors = append(snap.Errors, e)
			errs = append(errs, e)
			continue
		}
		if whole {
			snap.Approvals = append(snap.Approvals, r.approvals...)
		}
		switch st := statusOf(l); st.State {
		case StateOK, StatePortalOnly:
			listed = true
		default:
			errs = append(errs, fmt.Errorf("%s: %s", l.source, st.Detail))
		}
	}
	sortApprovals(snap.Approvals)
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

// sourceRun is one source's part of a refresh.
type sourceRun struct {
	listing   listing
	approvals []Approval
}

// sourceList builds a source's approvals for one refresh. While they are
// exactly the last refresh's list, cached entry by cached entry in the
// same order (an unchanged poll), it is a prefix of that list and nothing
// is copied; the first difference copies the prefix and goes on in a list
// of its own. Either way a part handed out is never written again.
type sourceList struct {
	prev   []Approval // the last refresh's list: never written
	shared int        // len while a prefix of prev; -1 once copied
	own    []Approval
	expect int // capacity for a copy
}

func newSourceList(prev []Approval) *sourceList {
	return &sourceList{prev: prev, expect: len(prev)}
}

// addCached appends a cached approval (one the cache points at).
func (l *sourceList) addCached(a *Approval) {
	if l.shared >= 0 {
		if l.shared < len(l.prev) && a == &l.prev[l.shared] {
			l.shared++
			return
		}
		l.unshare()
	}
	l.own = append(l.own, *a)
}

// add appends approvals read afresh.
func (l *sourceList) add(as []Approval) {
	if l.shared >= 0 {
		l.unshare()
	}
	l.own = append(l.own, as...)
}

func (l *sourceList) unshare() {
	l.own = make([]Approval, l.shared, max(l.expect, l.shared+batchSize))
	copy(l.own, l.prev[:l.shared])
	l.shared = -1
}

// same reports whether the list is the last refresh's, whole.
func (l *sourceList) same() bool { return l.shared == len(l.prev) }

// all is the list so far (its capacity ends at its length, so that
// nothing appended to it could write into a list handed out).
func (l *sourceList) all() []Approval {
	if l.shared >= 0 {
		return l.prev[:l.shared:l.shared]
	}
	return l.own[:len(l.own):len(l.own)]
}

// listedRef is what a refresh knows of each approval it listed: its
// listing entry's fingerprint, and whether the cache should keep it with
// that fingerprint (its details were read and are lasting, or came from
// the cache).
type listedRef struct {
	print print
	keep  bool
}

// runSource lists one source, reading the details of each page as it
// arrives (in parallel with the next page), caches what it read and
// reports its progress.
func (c *Client) runSource(ctx context.Context, src Source, epoch uint64, report func(Progress)) *sourceRun {
	sc := c.sources[src]
	c.mu.Lock()
	list := newSourceList(c.lists[src])
	c.mu.Unlock()
	run := &sourceRun{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	listedNow := make(map[Ref]listedRef, list.expect)
	hits := 0
	add := func(as []Approval, keep []bool, prints []print) {
		mu.Lock()
		list.add(as)
		for i := range as {
			if keep[i] {
				listedNow[as[i].Ref] = listedRef{print: prints[i], keep: true}
			}
		}
		mu.Unlock()
		report(Progress{Source: src, Approvals: as})
	}
	var pending []listed // entries to read, less than a batch
	read := func(need []listed) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, keep, prints := c.withDetails(ctx, sc.reader(), need); len(got) > 0 {
				add(got, keep, prints)
			}
		}()
	}
	page := func(items []listed) {
		// The cached approvals go straight to their place in the source's
		// list, and the page's progress is that part of it.
		mu.Lock()
		start := len(list.all())
		need := c.fromCache(items, list)
		all := list.all()
		ready := all[start:]
		for i := range items {
			ref := items[i].ref()
			if _, ok := listedNow[ref]; !ok {
				listedNow[ref] = listedRef{print: items[i].print}
			}
		}
		for i := range ready {
			listedNow[ready[i].Ref] = listedRef{print: listedNow[ready[i].Ref].print, keep: true}
		}
		hits += len(ready)
		mu.Unlock()
		if len(ready) > 0 {
			report(Progress{Source: src, Approvals: ready})
		}
		// Whole batches go now; the rest waits for the next page (or the
		// end), so a cold load costs ⌈N/20⌉ $batch calls per source
		// whatever the page size.
		pending = append(pending, need...)
		if n := len(pending) / batchSize * batchSize; n > 0 {
			read(pending[:n:n])
			pending = append([]listed(nil), pending[n:]...)
		}
	}
	rctx := withRetryNote(ctx, func(note string) { report(Progress{Source: src, Retrying: note}) })
	l := sc.list(rctx, page)
	l.source = src
	if len(l.items) > 0 {
		page(l.items)
		l.items = nil
	}
	if len(pending) > 0 {
		read(pending)
	}
	wg.Wait()
	run.listing = l
	run.approvals = list.all()
	c.keep(src, run.approvals, listedNow, epoch, l.err == nil, list.same())
	var version uint64
	if l.err == nil {
		// A list of the same approvals in another order (a cold load's
		// details arrive in no particular order) is a new version too:
		// the inbox then takes the approvals from the new list, and the
		// old one can go.
		version = c.prune(src, listedNow, hits == len(run.approvals) && list.same(), len(run.approvals))
	}
	report(Progress{Source: src, Done: true, Status: c.statusAfter(l), Err: l.err, Approvals: run.approvals, Version: version})
	return run
}

// keep points the cache at this refresh's approvals of src worth keeping
// (unless a Forget since the refresh began says they may be stale), and,
// when the whole source was listed, keeps the list for the next refresh.
// An entry listed again whose details could not be read this time stays
// as it was, copied out of the old list so as not to hold all of it.
// When the list is the last one (same), every entry already points into
// it and there is nothing to do.
func (c *Client) keep(src Source, as []Approval, listedNow map[Ref]listedRef, epoch uint64, whole, same bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range as {
		if same {
			break
		}
		a := &as[i]
		l := listedNow[a.Ref]
		if c.forgot[a.Ref] > epoch {
			continue
		}
		e, ok := c.cache[a.Ref]
		if !l.keep {
			if ok {
				kept := *e.approval
				c.cache[a.Ref] = &cacheEntry{print: e.print, approval: &kept}
			}
			continue
		}
		if ok && e.approval == a && e.print == l.print {
			continue // the same list as last time
		}
		c.cache[a.Ref] = &cacheEntry{print: l.print, approval: a}
		c.prints[l.print] = a.Ref
	}
	if whole {
		c.lists[src] = as
	}
}

// fromCache adds to list the approvals of a page that the cache holds
// with the same fingerprint and returns the entries whose details must be
// read.
func (c *Client) fromCache(items []listed, list *sourceList) []listed {
	var need []listed
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range items {
		it := &items[i]
		if it.entry != nil {
			list.addCached(it.entry.approval)
			continue
		}
		if e, ok := c.cache[it.approval.Ref]; ok && e.print == it.print {
			list.addCached(e.approval)
			continue
		}
		need = append(need, *it)
	}
	return need
}

// cachedByPrints sets out[i] to the cached approval of src whose listing
// entry had exactly the fingerprint prints[i], or nil.
func (c *Client) cachedByPrints(src Source, prints []print, out []*cacheEntry) []*cacheEntry {
	out = out[:0]
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, fp := range prints {
		var hit *cacheEntry
		if ref, ok := c.prints[fp]; ok && ref.Source == src {
			if e, ok := c.cache[ref]; ok && e.print == fp {
				hit = e
			}
		}
		out = append(out, hit)
	}
	return out
}

// statuses is the state of every source after this refresh's listings,
// in AllSources order; sources not polled are disabled.
func (c *Client) statuses(runs []*sourceRun) []SourceStatus {
	out := make([]SourceStatus, 0, len(AllSources))
	for _, src := range AllSources {
		st := SourceStatus{Source: src, State: StateDisabled, Detail: "not polled: not among the client's sources"}
		for _, r := range runs {
			if r.listing.source == src {
				st = c.statusAfter(r.listing)
			}
		}
		out = append(out, st)
	}
	return out
}

// statusAfter is a source's state once its listing and details are read:
// what the source says of itself (reading details may change it), else
// what its listing says.
func (c *Client) statusAfter(l listing) SourceStatus {
	st := statusOf(l)
	if r, ok := c.sources[l.source].(stateReporter); ok && l.err == nil {
		if own, said := r.state(); said {
			st = own
		}
	}
	return st
}

// withDetails reads the details of entries the cache could not serve and
// returns the approvals to show, whether each is worth keeping in the
// cache and its listing entry's fingerprint.
func (c *Client) withDetails(ctx context.Context, r detailReader, need []listed) (out []Approval, keep []bool, prints []print) {
	as := make([]*Approval, len(need))
	for i := range need {
		as[i] = need[i].approval
	}
	details := r.details(ctx, as)
	out = make([]Approval, 0, len(need))
	for i := range need {
		it := &need[i]
		d := details[it.approval.Ref]
		if d.gone {
			continue
		}
		out = append(out, *it.approval)
		a := &out[len(out)-1]
		a.Stages, a.Problem = d.stages, d.problem
		if d.fill != nil {
			d.fill(a)
		}
		c.notePortalOnly(*a)
		finishStages(a, c.stageTimeouts[a.Source])
		keep = append(keep, d.lasting)
		prints = append(prints, it.print)
	}
	return out, keep, prints
}

// prune drops the cache entries of src that this refresh did not list and
// returns src's version. The version stays only when this refresh reports
// exactly what the last one did: every entry served by the cache (allHits),
// nothing cached dropped, and the last refresh's approvals were all cached
// (one whose stages could not be read is reported but not cached).
func (c *Client) prune(src Source, listedNow map[Ref]listedRef, allHits bool, reported int) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	dropped := false
	cached := 0
	for ref, e := range c.cache {
		if ref.Source != src {
			continue
		}
		if _, listed := listedNow[ref]; !listed {
			delete(c.cache, ref)
			delete(c.prints, e.print)
			dropped = true
			continue
		}
		cached++
	}
	for ref := range c.portal {
		if _, listed := listedNow[ref]; ref.Source == src && !listed {
			delete(c.portal, ref)
		}
	}
	for fp, ref := range c.prints {
		if ref.Source != src {
			continue
		}
		if e, ok := c.cache[ref]; !ok || e.print != fp {
			delete(c.prints, fp)
		}
	}
	if dropped || !allHits || !c.allCached[src] {
		c.versions[src]++
	}
	c.allCached[src] = cached == reported && reported == len(listedNow)
	return c.versions[src]
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
		a, b := &as[i], &as[j] // not copies: an Approval is large and this runs N log N times
		if !a.Created.Equal(b.Created) {
			return a.Created.Before(b.Created)
		}
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.ID < b.ID
	})
}
