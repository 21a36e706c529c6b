package sim

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
)

// pageCapSize is the reported filterByCurrentUser cap the page-cap fault
// reproduces: 50 items and no nextLink.
const pageCapSize = 50

// page writes one page of a listing over items 0..n-1 (in tenant order),
// keeping those match accepts. The skiptoken is the index to resume at, so
// a page never repeats or skips an item that is still listed, even when
// others leave the list between pages. Callers hold s.mu (through
// holdReply, so the page is encoded and written after it is released).
func (c *call) page(n int, match func(int) bool, build func(int) any, context string) {
	start, err := decodeSkiptoken(c.q.skiptoken, n)
	if err != nil {
		writeError(c, err)
		return
	}
	body := obj{}.with("@odata.context", c.context(context))
	if c.q.count && c.q.skiptoken == "" {
		total := 0
		for i := range n {
			if match(i) {
				total++
			}
		}
		body = body.with("@odata.count", max(total-c.q.skip, 0))
	}
	next := func(from int) int { // index of the next match at or after from, or n
		for ; from < n; from++ {
			if match(from) {
				return from
			}
		}
		return n
	}
	if c.q.skiptoken == "" {
		for skipped := 0; skipped < c.q.skip && start < n; skipped++ {
			start = next(start) + 1
		}
		start = min(start, n)
	}
	if c.emptyPage {
		if next(start) < n {
			body = body.with("value", []any{}).with("@odata.nextLink", c.nextLink(start))
		} else {
			body = body.with("value", []any{})
		}
		c.reply(200, body)
		return
	}
	limit := c.s.pageSize
	if c.q.top >= 0 {
		limit = min(c.q.top, maxTop)
	}
	if c.pageCap {
		limit = min(limit, pageCapSize)
	}
	items := []any{}
	i := start
	for ; i < n && len(items) < limit; i++ {
		if match(i) {
			items = append(items, build(i))
		}
	}
	body = body.with("value", items)
	if !c.pageCap && limit > 0 && next(i) < n {
		body = body.with("@odata.nextLink", c.nextLink(i))
	}
	c.reply(200, body)
}

// skiptokens are opaque to clients; inside they are the index to resume at.
const skiptokenPrefix = "sim1:"

func encodeSkiptoken(i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(skiptokenPrefix + strconv.Itoa(i)))
}

func decodeSkiptoken(tok string, n int) (int, *Error) {
	if tok == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	rest, ok := strings.CutPrefix(string(raw), skiptokenPrefix)
	i, aerr := strconv.Atoi(rest)
	if err != nil || !ok || aerr != nil || i < 0 {
		return 0, badRequest("The $skiptoken '%s' is not valid.", tok)
	}
	return min(i, n), nil
}

// nextLink is the absolute URL of the page starting at index i: this
// request's URL with every query option kept as sent, except $skip and
// $skiptoken, which the new $skiptoken replaces.
func (c *call) nextLink(i int) string {
	var parts []string
	for kv := range strings.SplitSeq(c.r.URL.RawQuery, "&") {
		if kv == "" {
			continue
		}
		k, _, _ := strings.Cut(kv, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			switch strings.ToLower(strings.TrimPrefix(dk, "$")) {
			case "skiptoken", "skip":
				continue
			}
		}
		parts = append(parts, escapeQuery(kv))
	}
	parts = append(parts, "$skiptoken="+encodeSkiptoken(i))
	return c.baseURL() + c.r.URL.EscapedPath() + "?" + strings.Join(parts, "&")
}

// escapeQuery percent-encodes what may not stand in a URL query (spaces,
// quotes, controls, non-ASCII, a stray %), keeping everything else as the
// client wrote it. A $batch item's url is not an HTTP request line, so it
// can carry raw spaces ("$filter=status eq 'x'", as in the docs' example);
// its nextLink must still be a URL a client can request verbatim.
func escapeQuery(s string) string {
	const hex = "0123456789ABCDEF"
	isHex := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		valid := c > ' ' && c < 0x7f && strings.IndexByte("\"#<>\\^`{|}", c) < 0
		if c == '%' {
			valid = i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
		}
		if valid {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
