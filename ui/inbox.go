package ui

import (
	"approvals/ui/words"
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"approvals/graph"
)

// sortOrder is how the list is ordered; `s` cycles through them.
type sortOrder int

const (
	sortUrgency sortOrder = iota // soonest deadline first
	sortNewest
	sortOldest
	sortPerson // the beneficiary
	sortResource
	sortOrders // count
)

func (s sortOrder) String() string {
	return [...]string{"urgency", "newest", "oldest", "beneficiary", "resource"}[s]
}

// inbox is the list's state: every item, the sorted and filtered index,
// the cursor and the scroll offset. Data, sort and filter changes rebuild
// the index (O(N)); cursor moves never do.
type inbox struct {
	items   map[graph.Ref]*item
	sorted  []*item // every item, in sort order
	view    []*item // sorted items that match the filter
	order   sortOrder
	filter  string  // as typed
	queries []query // the lower-cased words of filter, made ready for matching; all must match
	// Side by side with sorted (index = item.sortPos), so that a search
	// of every item reads them in a row instead of every item's memory:
	sig     []byteSet // each item's byte set (item.sig)
	viewPos []int32   // where each item is in view; stale when filtered out (see position)
	memo    []filterStep
	cursor  int    // index into view
	offset  int    // first row drawn
	height  int    // rows that fit on screen
	marked  int    // items with marked set
	me      string // the signed-in approver's object id, "" while unknown
	// folded holds every item's ref with its id lower-cased, as the
	// filter's terms are; made when a filter first asks (see namesAnID)
	// and dropped whenever the items change.
	folded map[graph.Ref]struct{}
	now    time.Time // the model's coarse clock, for the time columns the filter matches
}

func newInbox() inbox { return inbox{items: map[graph.Ref]*item{}, height: 1} }

// total is how many approvals are loaded.
func (ib *inbox) total() int { return len(ib.sorted) }

// selected is the item under the cursor, or nil when the view is empty.
func (ib *inbox) selected() *item {
	if ib.cursor < 0 || ib.cursor >= len(ib.view) {
		return nil
	}
	return ib.view[ib.cursor]
}

// replace loads a new set of approvals, reusing the items of approvals it
// already knows (their marks, outcomes and caches survive). skip leaves
// approvals out; keep says which missing items must stay anyway (a
// decision on them is in flight). It returns the items that are new; they
// are flagged isNew when flagNew.
func (ib *inbox) replace(approvals []graph.Approval, flagNew bool, skip func(*graph.Approval) bool, keep func(*item) bool) (arrived []*item) {
	next := make(map[graph.Ref]*item, len(approvals))
	for i := range approvals {
		a := &approvals[i]
		if _, dup := next[a.Ref]; dup || skip != nil && skip(a) {
			continue // a misbehaving server listed it twice: show it once
		}
		if it, ok := ib.items[a.Ref]; ok {
			it.set(a, ib.me)
			next[a.Ref] = it
			continue
		}
		it := newItem(a, ib.me)
		if flagNew {
			it.isNew = true
		}
		next[a.Ref] = it
		arrived = append(arrived, it)
	}
	for ref, it := range ib.items {
		if _, ok := next[ref]; !ok && keep != nil && keep(it) {
			next[ref] = it
		}
	}
	ib.items = next
	ib.resort()
	return arrived
}

// setMe records who is signed in, so that requests for the approver
// themself are flagged.
func (ib *inbox) setMe(id string) {
	if id == ib.me {
		return
	}
	ib.me = id
	for _, it := range ib.items {
		it.set(it.a, id)
	}
	ib.resort() // the rows' text (and the filter's) now says "(you)" where it is
}

// remove drops items (decided, gone) and keeps the cursor on the next one.
func (ib *inbox) remove(refs []graph.Ref) {
	if len(refs) == 0 {
		return
	}
	for _, r := range refs {
		delete(ib.items, r)
	}
	ib.resort()
}

// setOrder changes the sort order.
func (ib *inbox) setOrder(o sortOrder) {
	ib.order = o
	ib.resort()
}

// setFilter changes the filter text. A filter that grew (typing at its
// end) can match only what matched before, so only the current view is
// searched, and that view is remembered: deleting back to a shorter filter
// starts from the view it had. Only a filter edited elsewhere (or a change
// of the items or their order) searches every item.
func (ib *inbox) setFilter(f string) {
	lf, old := strings.ToLower(f), strings.ToLower(ib.filter)
	from, exact := ib.sorted, false
	switch {
	case lf == old:
		if old != "" {
			from = ib.view
		}
	case strings.HasPrefix(lf, old):
		if old != "" {
			from = ib.view
		}
		ib.memo = append(ib.memo, filterStep{filter: old, view: from})
	case strings.HasPrefix(old, lf):
		for len(ib.memo) > 0 && len(ib.memo[len(ib.memo)-1].filter) > len(lf) {
			ib.memo = ib.memo[:len(ib.memo)-1]
		}
		if n := len(ib.memo); n > 0 && strings.HasPrefix(lf, ib.memo[n-1].filter) {
			from = ib.memo[n-1].view
			if ib.memo[n-1].filter == lf {
				ib.memo = ib.memo[:n-1]
				exact = true // the view this very filter had
			}
		}
	default:
		ib.memo = nil
	}
	ib.filter = f
	ib.queries = ib.queries[:0]
	for _, t := range strings.Fields(lf) {
		ib.queries = append(ib.queries, newQuery(t))
	}
	if len(from) != len(ib.sorted) && ib.namesAnID() {
		from, exact = ib.sorted, false // an id matches only whole: its prefixes may not have
	}
	if exact {
		if len(from) == len(ib.sorted) { // every item: the index itself
			for i := range from {
				ib.viewPos[i] = int32(i)
			}
		} else {
			for i, it := range from {
				ib.viewPos[it.sortPos] = int32(i)
			}
		}
		ib.show(from)
		return
	}
	ib.refilterFrom(from)
}

// namesAnID reports whether a term is the id (or "source:id") of a loaded
// approval: such a term matches without its shorter forms having matched.
// Like isID it ignores case: terms are lower-cased, and the source is
// typed as the CLI prints it ("accessPackage:…") or any other way.
func (ib *inbox) namesAnID() bool {
	if ib.folded == nil {
		ib.folded = make(map[graph.Ref]struct{}, len(ib.items))
		for r := range ib.items {
			ib.folded[graph.Ref{Source: r.Source, ID: strings.ToLower(r.ID)}] = struct{}{}
		}
	}
	for _, q := range ib.queries {
		t := q.term
		for _, src := range graph.AllSources {
			if _, ok := ib.folded[graph.Ref{Source: src, ID: t}]; ok {
				return true
			}
		}
		if s, id, ok := strings.Cut(t, ":"); ok {
			if src, known := graph.ParseSource(s); known {
				if _, ok := ib.folded[graph.Ref{Source: src, ID: id}]; ok {
					return true
				}
			}
		}
	}
	return false
}

// filterStep is the view of a shorter form of the filter being typed.
type filterStep struct {
	filter string // lower-cased
	view   []*item
}

// resort rebuilds the sorted index from items, then the view.
func (ib *inbox) resort() {
	ib.memo = nil // views of shorter filters hold the old items and order
	ib.folded = nil
	// A new index, never the old one's array: the view may be that very
	// array (the remembered view of an empty filter), and the selection
	// is found again from it after the new one is built.
	ib.sorted = make([]*item, 0, len(ib.items))
	ib.marked = 0
	for _, it := range ib.items {
		ib.sorted = append(ib.sorted, it)
		if it.marked {
			ib.marked++
		}
	}
	slices.SortFunc(ib.sorted, ib.compare)
	ib.sig = slices.Grow(ib.sig[:0], len(ib.sorted))[:len(ib.sorted)]
	ib.viewPos = slices.Grow(ib.viewPos[:0], len(ib.sorted))[:len(ib.sorted)]
	for i, it := range ib.sorted {
		it.sortPos = i
		ib.sig[i] = it.sig
	}
	ib.refilter()
}

// compare orders two items by the current sort order, with a total order
// (deadline, created, ref) behind it so output is deterministic.
func (ib *inbox) compare(x, y *item) int {
	var c int
	switch ib.order {
	case sortNewest:
		c = y.a.Created.Compare(x.a.Created)
	case sortOldest:
		c = x.a.Created.Compare(y.a.Created)
	case sortPerson:
		c = cmp.Compare(x.sortPerson, y.sortPerson)
	case sortResource:
		c = cmp.Compare(x.sortResource, y.sortResource)
	}
	if c != 0 {
		return c
	}
	if c = compareDeadline(x, y); c != 0 {
		return c
	}
	if c = x.a.Created.Compare(y.a.Created); c != 0 {
		return c
	}
	return cmp.Compare(x.a.Ref.String(), y.a.Ref.String())
}

// compareDeadline puts the soonest deadline first and unknown deadlines last.
func compareDeadline(x, y *item) int {
	xz, yz := x.a.Deadline.IsZero(), y.a.Deadline.IsZero()
	switch {
	case xz && yz:
		return 0
	case xz:
		return 1
	case yz:
		return -1
	}
	return x.a.Deadline.Compare(y.a.Deadline)
}

// refilter rebuilds the view from the sorted index, keeping the selection
// on the same approval, or on the one that followed it when it went away.
// Each item's place in the view is recorded (viewPos), so finding the
// selection again needs no map of every item per keystroke.
func (ib *inbox) refilter() { ib.refilterFrom(ib.sorted) }

// refilterFrom rebuilds the view from the items of from that match (from
// is in sort order: every item, or a view the new filter narrows).
func (ib *inbox) refilterFrom(from []*item) {
	view := make([]*item, 0, len(from))
	if len(from) == len(ib.sorted) {
		// Every item (a view as long as the index is the index): read
		// the byte sets side by side, and an item itself only when they
		// cannot decide.
		for i, it := range ib.sorted {
			if ib.matchesWith(ib.sig[i], it) {
				ib.viewPos[i] = int32(len(view))
				view = append(view, it)
			}
		}
	} else {
		for _, it := range from {
			if ib.matchesWith(it.sig, it) {
				ib.viewPos[it.sortPos] = int32(len(view))
				view = append(view, it)
			}
		}
	}
	ib.show(view)
}

// show makes view (in sort order, each item's viewPos set) the view,
// keeping the selection on the same approval, or on the one that followed
// it when it went away. An item left out keeps a stale viewPos, which
// position sees through.
func (ib *inbox) show(view []*item) {
	prev, prevCursor := ib.view, ib.cursor
	var sel *item
	if prevCursor >= 0 && prevCursor < len(prev) {
		sel = prev[prevCursor]
	}
	ib.view = view
	ib.cursor = 0
	if sel != nil {
		if i, ok := ib.position(sel); ok {
			ib.cursor = i
		} else if i, ok := ib.nearest(prev, prevCursor); ok {
			ib.cursor = i
		}
	}
	ib.clamp()
}

// position is where it is in the view. An item no longer loaded keeps a
// stale viewPos, hence the check.
func (ib *inbox) position(it *item) (int, bool) {
	sp := it.sortPos
	if sp < 0 || sp >= len(ib.viewPos) {
		return 0, false
	}
	p := int(ib.viewPos[sp])
	return p, p >= 0 && p < len(ib.view) && ib.view[p] == it
}

// nearest finds the first item after prev[from] that is still shown, else
// the last one before it.
func (ib *inbox) nearest(prev []*item, from int) (int, bool) {
	for i := from + 1; i < len(prev); i++ {
		if p, ok := ib.position(prev[i]); ok {
			return p, true
		}
	}
	for i := min(from, len(prev)) - 1; i >= 0; i-- {
		if p, ok := ib.position(prev[i]); ok {
			return p, true
		}
	}
	return 0, false
}

// matches reports whether every term is in the item's text or in its
// row's time columns as displayed ("13d", "~2h"). The bytes each text
// holds are checked first (item.sig), so most items a term cannot be in
// are passed over without reading their text, and a one-letter term is
// decided by them alone.
func (ib *inbox) matches(it *item) bool { return ib.matchesWith(it.sig, it) }

// matchesWith is matches with the item's byte set given (read from the
// index's side-by-side copy when every item is searched): the item itself
// is read only when the set cannot decide.
func (ib *inbox) matchesWith(sig byteSet, it *item) bool {
	for i := range ib.queries {
		q := &ib.queries[i]
		t := q.term
		switch {
		case sig.holds(q.sig) && (q.oneByte || strings.Contains(it.search, t)):
		case q.isID(it.a.Ref):
			// an id matches only whole, as pasted from the command line's list
		case !strings.Contains(ib.times(it), t):
			return false
		}
	}
	return true
}

// times is the item's state and time columns as displayed, lower-cased,
// kept until the clock or the item changes.
func (ib *inbox) times(it *item) string {
	k := timesKey{version: it.version, now: ib.now.UnixNano()}
	if it.times == nil {
		it.times = &timesCache{}
	}
	if it.times.key != k || it.times.text == "" {
		it.times.key = k
		it.times.text = strings.ToLower(stateLabel(it) + "\x00" + words.TimeLeft(ib.now, it.a.Deadline, it.a.DeadlineEstimated) + "\x00" + words.Age(ib.now, it.a.Created))
	}
	return it.times.text
}

// query is a filter term made ready for matching many items.
type query struct {
	term    string
	sig     byteSet
	oneByte bool   // a single ASCII byte: sig decides alone
	src, id string // the term cut at its first ':' ("group:pim-1")
	hasSrc  bool
}

func newQuery(t string) query {
	q := query{term: t, sig: bytesOf(t), oneByte: len(t) == 1 && t[0] < utf8.RuneSelf}
	q.src, q.id, q.hasSrc = strings.Cut(t, ":")
	return q
}

// isID reports whether the term is r's id or "source:id", ignoring case:
// strings.EqualFold(t, r.ID) || strings.EqualFold(t, r.String()) without
// building the string (a source holds no ':', so the first ':' of the term
// must be the one between source and id).
func (q *query) isID(r graph.Ref) bool {
	return strings.EqualFold(q.term, r.ID) || q.hasSrc && strings.EqualFold(q.src, string(r.Source)) && strings.EqualFold(q.id, r.ID)
}

// setNow moves the clock the time columns are computed from; a filter is
// applied again, since "13d" may have become "14d".
func (ib *inbox) setNow(now time.Time) {
	ib.now = now
	ib.memo = nil // the shorter filters' views were of the old labels
	if len(ib.queries) > 0 {
		ib.refilter()
	}
}

// move moves the cursor by delta rows, clamped.
func (ib *inbox) move(delta int) {
	ib.cursor += delta
	ib.clamp()
}

// moveTo puts the cursor on row i, clamped.
func (ib *inbox) moveTo(i int) {
	ib.cursor = i
	ib.clamp()
}

// setHeight sets how many rows fit, keeping the cursor visible.
func (ib *inbox) setHeight(h int) {
	ib.height = max(1, h)
	ib.clamp()
}

// clamp keeps cursor inside the view and the scroll offset around it.
func (ib *inbox) clamp() {
	ib.cursor = max(0, min(ib.cursor, len(ib.view)-1))
	if ib.cursor < ib.offset {
		ib.offset = ib.cursor
	}
	if ib.cursor >= ib.offset+ib.height {
		ib.offset = ib.cursor - ib.height + 1
	}
	ib.offset = max(0, min(ib.offset, len(ib.view)-ib.height))
}

// visible is the window of rows to draw.
func (ib *inbox) visible() []*item {
	end := min(len(ib.view), ib.offset+ib.height)
	return ib.view[ib.offset:end]
}

// toggleMark flips the mark of the selected item.
func (ib *inbox) toggleMark() {
	it := ib.selected()
	if it == nil {
		return
	}
	ib.setMark(it, !it.marked)
}

func (ib *inbox) setMark(it *item, on bool) {
	if it.marked == on {
		return
	}
	it.marked = on
	it.touch()
	if on {
		ib.marked++
	} else {
		ib.marked--
	}
}

// markShown marks every item in the view.
func (ib *inbox) markShown() {
	for _, it := range ib.view {
		ib.setMark(it, true)
	}
}

// clearMarks unmarks everything.
func (ib *inbox) clearMarks() {
	for _, it := range ib.sorted {
		ib.setMark(it, false)
	}
}

// markedItems lists the marked items in view order (then hidden ones).
func (ib *inbox) markedItems() []*item {
	var out []*item
	for _, it := range ib.sorted {
		if it.marked {
			out = append(out, it)
		}
	}
	return out
}
