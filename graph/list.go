package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"net/http"
	"net/url"
)

// listed is one entry of a "waiting for me" listing, with a fingerprint of
// its raw JSON: details are re-read only when it changes. Either the entry
// was decoded (approval), or the cache already holds an approval listed
// with exactly these bytes (entry), stages and all, and nothing needs
// reading or copying.
type listed struct {
	approval *Approval
	entry    *cacheEntry
	print    print
}

// ref is the listed approval's.
func (l *listed) ref() Ref {
	if l.entry != nil {
		return l.entry.approval.Ref
	}
	return l.approval.Ref
}

// listing is how one source's listing ended. Its items reach the refresh
// through the page callback as they are read (see sourceClient.list);
// items, when set, are a last page given at the end.
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

func (c *Client) listEM(ctx context.Context, page func([]listed)) listing {
	sent := false
	counted := func(items []listed) { sent = true; page(items) }
	out := c.listAll(ctx, SourceAccessPackage, c.base+c.emListPath(), decodeEMItem, counted)
	if errors.Is(out.err, ErrBadRequest) && !c.emPlainExpand.Load() && !sent {
		// The nested $expand is not documented as supported; fall back
		// once and remember it for this client's lifetime.
		c.emPlainExpand.Store(true)
		out = c.listAll(ctx, SourceAccessPackage, c.base+c.emListPath(), decodeEMItem, page)
	}
	return out
}

func (c *Client) listGroups(ctx context.Context, page func([]listed)) listing {
	return c.listAll(ctx, SourceGroup, c.base+groupListPath(), decodeGroupItem, page)
}

// listAll follows @odata.nextLink verbatim until it is absent, handing each
// page's new entries to page as soon as the page is read. Each page body is
// decoded once: its items are split without copying, fingerprinted, and
// only those the cache does not already hold are decoded.
//
// Pages are pipelined: one goroutine follows the nextLinks, requesting the
// next page as soon as a page's body is split and its nextLink read, while
// this one decodes the entries and hands them to page (which starts their
// detail batches). Pages still follow one another (a nextLink is known
// only from the page before it), but decoding and detail reads are off the
// path from one page to the next, and so is any wait for this goroutine to
// be scheduled. The follower runs at most readAhead pages ahead; when the
// source fails on a page, the follower is stopped and waited for before
// listAll returns, so no request of this listing outlives it.
func (c *Client) listAll(ctx context.Context, src Source, next string, decode func(json.RawMessage) (Approval, error), page func([]listed)) listing {
	out := listing{source: src}
	seen := map[Ref]bool{}
	skipped := 0
	var firstSkip error
	var prints []print        // of a page's entries
	var entries []*cacheEntry // the cached approval of each, or nil
	pages := followPages(ctx, c, next)
	defer pages.stop()
	for f := range pages.ch {
		if f.err != nil {
			out.err = f.err
			return out
		}
		p := f.p
		if f.n == 1 && p.next == "" && len(p.items) == capSize {
			out.warnings = append(out.warnings, fmt.Sprintf(
				"%s: exactly %d results and no nextLink: the list may be capped by the service", src, capSize))
		}
		items := make([]listed, 0, len(p.items))
		prints = prints[:0]
		for _, raw := range p.items {
			prints = append(prints, fingerprint(raw))
		}
		entries = c.cachedByPrints(src, prints, entries)
		for i, raw := range p.items {
			fp := prints[i]
			if e := entries[i]; e != nil {
				if !seen[e.approval.Ref] {
					seen[e.approval.Ref] = true
					items = append(items, listed{entry: e, print: fp})
				}
				continue
			}
			a, err := decode(raw)
			if syn := (*json.SyntaxError)(nil); errors.As(err, &syn) {
				// Not JSON at all: the page is malformed, not one entry of
				// an unexpected shape. The source fails as for any
				// unreadable body rather than hiding the entry.
				out.err = fmt.Errorf("graph: unreadable response body (page %d, entry %d): %w", f.n, len(items)+1, err)
				p.release()
				return out
			}
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
			items = append(items, listed{approval: &a, print: fp})
		}
		p.release() // nothing kept points into it: decoding copies
		if len(items) > 0 {
			page(items)
		}
	}
	if skipped > 0 {
		out.warnings = append(out.warnings, fmt.Sprintf("%s: skipped %d unreadable entries (%v)", src, skipped, firstSkip))
	}
	return out
}

// readAhead is how many read pages may wait for decoding while the next
// one is requested: a page of 100 decodes in about a millisecond, so the
// follower is rarely held back, and memory stays at a few pages' bodies.
const readAhead = 2

// pageFollower requests a listing's pages one after another in its own
// goroutine and delivers them, in order, on ch.
type pageFollower struct {
	ch      chan fetchedPage
	cancel  context.CancelFunc
	stopped chan struct{} // closed by stop: nobody reads ch any more
	done    chan struct{} // closed when the follower has ended
}

// fetchedPage is page n of a listing (from 1), or why it could not be read.
type fetchedPage struct {
	n   int
	p   rawPage
	err error
}

// followPages starts following next. ch is closed after the last page, or
// right after a failed page, delivered with its error (so a listing cut
// short always ends with an error, also when ctx ends).
func followPages(ctx context.Context, c *Client, next string) *pageFollower {
	ctx, cancel := context.WithCancel(ctx)
	f := &pageFollower{ch: make(chan fetchedPage, readAhead), cancel: cancel, stopped: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		defer close(f.ch)
		for n := 1; next != ""; n++ {
			got := fetchedPage{n: n}
			if n > maxPages {
				got.err = fmt.Errorf("more than %d pages: giving up", maxPages)
			} else if got.p, got.err = c.getPage(ctx, next); got.err == nil {
				next = resolveLink(next, got.p.next)
			} else if n > 1 {
				got.err = fmt.Errorf("page %d: %w", n, got.err)
			}
			select {
			case f.ch <- got:
			case <-f.stopped:
				got.p.release()
				return
			}
			if got.err != nil {
				return
			}
		}
	}()
	return f
}

// stop cancels what is still being requested, waits for the follower to
// end and gives back the bodies of pages read but not taken.
func (f *pageFollower) stop() {
	close(f.stopped)
	f.cancel()
	<-f.done
	for got := range f.ch {
		got.p.release()
	}
}

// getPage GETs one listing page and parses it with parsePage. The page's
// items point into a pooled buffer: the caller releases the page once it
// holds nothing that points into them.
func (c *Client) getPage(ctx context.Context, rawURL string) (rawPage, error) {
	r, err := c.send(withPooledBody(ctx), http.MethodGet, rawURL, nil)
	if err != nil {
		return rawPage{}, err
	}
	if err := r.errorFor(); err != nil {
		return rawPage{}, err // not pooled: only a 2xx body is
	}
	p, err := parsePage(r.body)
	if err != nil {
		n := len(r.body)
		r.release()
		return rawPage{}, fmt.Errorf("graph: unreadable response body (%d bytes): %w", n, err)
	}
	p.body = r
	return p, nil
}

// rawPage is one page of a collection with its items left as JSON: each
// item is a slice of the response body (no copy), split in one pass.
type rawPage struct {
	items [][]byte
	next  string
	body  reply // the reply the items point into
}

// release gives the page's body back to the pool; its items are invalid
// from then on.
func (p *rawPage) release() {
	p.items = nil
	p.body.release()
}

// parsePage reads a collection page in one pass over the body: the top
// level object's members are found by tracking strings and nesting, the
// "value" array is split into its elements, "@odata.nextLink" is read, and
// everything else is skipped. Elements are not checked here: each one is
// either decoded (which checks it) or has exactly the bytes of one decoded
// before (its fingerprint says so). A body that is not an object with a
// "value" is errNotCollection; one cut short or unbalanced is an error.
func parsePage(b []byte) (rawPage, error) {
	var p rawPage
	i := skipSpace(b, 0)
	if i < len(b) && b[i] == 'n' {
		return p, errNotCollection // null
	}
	if i >= len(b) || b[i] != '{' {
		return p, errors.New("not a JSON object")
	}
	present := false
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		i++
	} else {
		for {
			if i >= len(b) || b[i] != '"' {
				return p, errors.New("a member name is not a string")
			}
			end, err := scanValue(b, i)
			if err != nil {
				return p, err
			}
			name := string(b[i+1 : end-1])
			if bytes.IndexByte(b[i:end], '\\') >= 0 {
				if err := json.Unmarshal(b[i:end], &name); err != nil {
					return p, err
				}
			}
			i = skipSpace(b, end)
			if i >= len(b) || b[i] != ':' {
				return p, errors.New("a member without a value")
			}
			i = skipSpace(b, i+1)
			array := name == "value" && i < len(b) && b[i] == '['
			var items [][]byte
			if array {
				items, end, err = splitArray(b, i) // one pass: scanned and split
			} else {
				end, err = scanValue(b, i)
			}
			if err != nil {
				return p, err
			}
			switch name {
			case "value":
				present = true
				if !array && string(b[i:end]) != "null" { // null: no items
					return p, errors.New(`"value" is not an array`)
				}
				p.items = items
			case "@odata.nextLink":
				if err := json.Unmarshal(b[i:end], &p.next); err != nil {
					return p, fmt.Errorf("@odata.nextLink: %w", err)
				}
			}
			i = skipSpace(b, end)
			if i < len(b) && b[i] == ',' {
				i = skipSpace(b, i+1)
				continue
			}
			if i < len(b) && b[i] == '}' {
				i++
				break
			}
			return p, errors.New("an object cut short")
		}
	}
	if skipSpace(b, i) != len(b) {
		return p, errors.New("data after the object")
	}
	if !present {
		return p, errNotCollection
	}
	return p, nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanValue returns the end of the JSON value starting at b[i]: a string,
// an object or array (balanced, strings skipped), or a literal.
func scanValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errors.New("a value is missing")
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		var stack []byte
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := scanValue(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				stack = append(stack, b[j])
			case '}', ']':
				open := byte('{')
				if b[j] == ']' {
					open = '['
				}
				if len(stack) == 0 || stack[len(stack)-1] != open {
					return 0, errors.New("unbalanced brackets")
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errors.New("an object or array cut short")
	}
	j := i
	for j < len(b) && (b[j] >= 'a' && b[j] <= 'z' || b[j] >= '0' && b[j] <= '9' || b[j] == '-' || b[j] == '+' || b[j] == '.' || b[j] == 'E') {
		j++
	}
	if j == i {
		return 0, fmt.Errorf("unexpected %q", b[i])
	}
	if lit := string(b[i:j]); lit != "null" && lit != "true" && lit != "false" && (lit[0] < '0' || lit[0] > '9') && lit[0] != '-' {
		return 0, fmt.Errorf("unexpected %q", lit)
	}
	return j, nil
}

// stringEnd returns the index after the JSON string that starts at b[i]
// (its opening quote): the first quote not escaped by an odd run of
// backslashes. Strings, most of a page, are skipped with bytes.IndexByte.
func stringEnd(b []byte, i int) (int, error) {
	for k := i + 1; ; {
		q := bytes.IndexByte(b[k:], '"')
		if q < 0 {
			return 0, errors.New("a string cut short")
		}
		q += k
		escapes := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			escapes++
		}
		if escapes%2 == 0 {
			return q + 1, nil
		}
		k = q + 1
	}
}

// splitArray splits the JSON array that starts at b[i] into its elements
// (slices of b, no copy, without surrounding space) and returns the index
// after its closing bracket. It checks what scanValue checks (strings
// closed, brackets balanced and matching) and that no element is empty;
// the elements themselves are checked when they are decoded.
func splitArray(b []byte, i int) (items [][]byte, end int, err error) {
	var stackBuf [32]byte
	stack := stackBuf[:0] // open brackets inside the current element
	start := -1           // of the current element
	element := func(j int) {
		items = append(items, bytes.TrimRight(b[start:j], " \t\n\r"))
		start = -1
	}
	for j := i + 1; j < len(b); j++ {
		c := b[j]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			if start < 0 {
				start = j
			}
			end, err := stringEnd(b, j)
			if err != nil {
				return nil, 0, err
			}
			j = end - 1
			continue
		case '{', '[':
			stack = append(stack, c)
		case '}', ']':
			if len(stack) == 0 {
				if c != ']' {
					return nil, 0, errors.New("unbalanced brackets")
				}
				if start >= 0 {
					element(j)
				} else if len(items) > 0 {
					return nil, 0, errors.New("an empty element in an array")
				}
				return items, j + 1, nil
			}
			open := byte('{')
			if c == ']' {
				open = '['
			}
			if stack[len(stack)-1] != open {
				return nil, 0, errors.New("unbalanced brackets")
			}
			stack = stack[:len(stack)-1]
		case ',':
			if len(stack) == 0 {
				if start < 0 {
					return nil, 0, errors.New("an empty element in an array")
				}
				element(j)
				continue
			}
		}
		if start < 0 {
			start = j
		}
	}
	return nil, 0, errors.New("an array cut short")
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

// print is a listing entry's fingerprint: two 64-bit hashes with
// independent seeds of its exact bytes. Equal prints stand for equal
// bytes (a collision is around 2^-128 per pair), which is what lets an
// unchanged entry skip decoding altogether.
type print struct{ a, b uint64 }

// The seeds are chosen once per process; prints live in memory only.
var printSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func fingerprint(raw ...[]byte) print {
	var h [2]maphash.Hash
	for i := range h {
		h[i].SetSeed(printSeeds[i])
		for _, r := range raw {
			h[i].Write(r)
			h[i].WriteByte(0)
		}
	}
	return print{h[0].Sum64(), h[1].Sum64()}
}
