package graph

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Graph's JSON batching allows at most 20 requests per $batch.
const batchSize = 20

// batchParallel is how many $batch calls one client keeps in flight at
// once (320 GETs). Detail reads must keep pace with the listings: while
// two sources list at once, each page of 100 adds 5 batches per source, so
// about 10 batches start every round trip, and a batch takes a little
// more than one. With 8 in flight a cold load of 5,000 (251 batches) needed
// at least 32 round trips of batches alone, more than its 30 pages; traced,
// all 8 were busy for 1.5 s of a 2 s load, and the last page's batches
// waited 1–2 round trips for a slot. Graph's throttling guidance sets no
// concurrency limit for these APIs: its limits are token buckets over
// requests per window, and every batched GET counts, so concurrency does
// not change what a load costs against them, only how soon it is spent (a
// cold load of 5,000 is 5,000 GETs either way). A throttled item is retried
// after its Retry-After (see batch). 16 is also DecideConcurrency's default.
const batchParallel = 16

// batchGet is one GET to run inside a $batch: key is the caller's name for
// it, path is relative to the version root.
type batchGet struct {
	key  string
	path string
}

// batchResult is the reply to one batched GET, or why there was none.
type batchResult struct {
	reply
	err error // the $batch call itself failed, or gave no reply for this item
}

// ok reports a 2xx reply.
func (r batchResult) ok() bool { return r.err == nil && r.status >= 200 && r.status < 300 }

// failure is the error of a non-2xx or missing reply.
func (r batchResult) failure() error {
	if r.err != nil {
		return r.err
	}
	return r.errorFor()
}

type wireBatchRequest struct {
	Requests []wireBatchItem `json:"requests"`
}

type wireBatchItem struct {
	ID     string `json:"id"`
	Method string `json:"method"`
	URL    string `json:"url"`
}

type wireBatchResponse struct {
	Responses []struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"responses"`
}

// batch runs GETs in $batch calls of up to 20, mixing whatever it is given,
// and correlates replies by id (they may come back in any order). Items
// throttled inside the batch (429, or 503/504) are sent again after the
// longest Retry-After, a bounded number of times. Every key gets a result.
func (c *Client) batch(ctx context.Context, gets []batchGet) map[string]batchResult {
	return c.batchAt(ctx, c.base, gets)
}

// batchAt is batch against another version root (base), e.g. beta: a
// $batch's items are relative to the version it is posted to.
func (c *Client) batchAt(ctx context.Context, base string, gets []batchGet) map[string]batchResult {
	results := make(map[string]batchResult, len(gets))
	pending := gets
	for round := 0; len(pending) > 0; round++ {
		got := c.batchRound(ctx, base, pending)
		var again []batchGet
		var wait time.Duration
		for _, g := range pending {
			r := got[g.key]
			results[g.key] = r
			if r.err == nil && retryableStatus(r.status) {
				again = append(again, g)
				wait = max(wait, retryAfter(r.header, c.now()))
			}
		}
		if len(again) == 0 || round >= max(int(c.retry.MaxRetries), 0) {
			break
		}
		if wait == 0 {
			wait = c.retry.RetryDelay << round
		}
		if wait > c.retry.MaxRetryDelay {
			break // the 429s stand, carrying their Retry-After
		}
		select {
		case <-ctx.Done():
			return results
		case <-time.After(wait):
		}
		pending = again
	}
	return results
}

func retryableStatus(s int) bool {
	return s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable || s == http.StatusGatewayTimeout
}

// batchRound sends every item once, in $batch calls of 20; at most
// batchParallel of the client's $batch calls are in flight at a time.
func (c *Client) batchRound(ctx context.Context, base string, gets []batchGet) map[string]batchResult {
	var mu sync.Mutex
	out := make(map[string]batchResult, len(gets))
	sem := c.batchSem
	var wg sync.WaitGroup
	for start := 0; start < len(gets); start += batchSize {
		chunk := gets[start:min(start+batchSize, len(gets))]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res := c.batchOnce(ctx, base, chunk)
			mu.Lock()
			for k, v := range res {
				out[k] = v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// batchOnce is one POST $batch with at most 20 GETs.
func (c *Client) batchOnce(ctx context.Context, base string, chunk []batchGet) map[string]batchResult {
	out := make(map[string]batchResult, len(chunk))
	fail := func(err error) map[string]batchResult {
		for _, g := range chunk {
			out[g.key] = batchResult{err: err}
		}
		return out
	}
	body := wireBatchRequest{Requests: make([]wireBatchItem, len(chunk))}
	byID := make(map[string]string, len(chunk))
	for i, g := range chunk {
		id := strconv.Itoa(i + 1)
		byID[id] = g.key
		body.Requests[i] = wireBatchItem{ID: id, Method: http.MethodGet, URL: g.path}
	}
	r, err := c.send(ctx, http.MethodPost, base+"/$batch", body)
	if err != nil {
		return fail(err)
	}
	if err := r.errorFor(); err != nil {
		return fail(err)
	}
	replies, err := batchReplies(r.body, byID)
	if err != nil {
		return fail(err)
	}
	for k, res := range replies {
		res.reply.at = r.at // the inner replies arrived with the $batch reply
		replies[k] = res
	}
	return replies
}

// batchReplies reads a $batch reply body: each inner reply goes to the key
// byID names for its id. Replies with ids that were not sent are ignored
// rather than trusted; every key without a reply gets an error. The error
// is for a body that is not a $batch reply at all.
func batchReplies(body []byte, byID map[string]string) (map[string]batchResult, error) {
	var w wireBatchResponse
	if err := decodeBody(body, &w); err != nil {
		return nil, err
	}
	out := make(map[string]batchResult, len(byID))
	for _, item := range w.Responses {
		key, ok := byID[item.ID]
		if !ok {
			continue
		}
		out[key] = batchResult{reply: reply{status: item.Status, header: itemHeader(item.Status, item.Headers), body: itemBody(item.Body)}}
	}
	for _, key := range byID {
		if _, ok := out[key]; !ok {
			out[key] = batchResult{err: errors.New("graph: $batch gave no reply for this request")}
		}
	}
	return out, nil
}

// itemHeader is the header of a reply that needs one: a failure (its
// request-id, Retry-After). Replies that succeeded get none, which at
// 10,000 approvals was 10,000 maps held until the refresh ended.
func itemHeader(status int, headers map[string]string) http.Header {
	if status >= 200 && status < 300 {
		return nil
	}
	h := make(http.Header, len(headers))
	for k, v := range headers {
		h.Set(k, v)
	}
	return h
}

// itemBody returns an inner body as JSON bytes. Graph sends JSON bodies
// inline and other content base64-encoded as a string.
func itemBody(b json.RawMessage) []byte {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) == nil {
			if dec, err := base64.StdEncoding.DecodeString(s); err == nil {
				return dec
			}
			return []byte(s)
		}
	}
	return b
}

// describe says in one line why an item failed, for Approval.Problem.
func describe(what string, err error) string {
	return fmt.Sprintf("%s could not be read: %v", what, err)
}
