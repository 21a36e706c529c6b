package sim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// JSON batching: POST /v1.0/$batch (or /beta/$batch, whose items are beta) with up to 20 requests that run
// concurrently unless dependsOn orders them. The outer response is 200
// whenever the batch itself is well formed; each item has its own status.

const (
	maxBatchItems = 20
	maxBatchBody  = 4 << 20
)

type batchItem struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`
}

func (c *call) batch() {
	if c.inBatch {
		writeError(c, badRequest("A $batch request cannot contain another $batch."))
		return
	}
	items, err := readBatch(c.r)
	if err != nil {
		writeError(c, err)
		return
	}
	responses := c.runBatch(items)
	writeJSON(c.w, http.StatusOK, obj{}.with("responses", responses))
}

func readBatch(r *http.Request) ([]batchItem, *Error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return nil, newError(http.StatusUnsupportedMediaType, "UnsupportedMediaType", "Content-Type '%s' is not supported for $batch; send application/json.", ct)
		}
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBatchBody+1))
	if err != nil {
		return nil, badRequest("Could not read the request body: %v", err)
	}
	if len(raw) > maxBatchBody {
		return nil, newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The batch request body is too large.")
	}
	var body struct {
		Requests []batchItem `json:"requests"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, badRequest("Invalid batch payload format: %v", err)
	}
	if err := validateBatch(body.Requests); err != nil {
		return nil, err
	}
	return body.Requests, nil
}

// validateBatch enforces the documented limits: 1 to 20 requests, unique
// ids (case-insensitively), a method and a URL each, Content-Type with a
// body, and dependsOn naming other requests without cycles.
func validateBatch(items []batchItem) *Error {
	switch {
	case len(items) == 0:
		return badRequest("Invalid batch payload format: 'requests' must contain at least one request.")
	case len(items) > maxBatchItems:
		return badRequest("The number of batch requests (%d) exceeds the limit of %d.", len(items), maxBatchItems)
	}
	ids := map[string]int{}
	for i, it := range items {
		id := strings.ToLower(strings.TrimSpace(it.ID))
		switch {
		case id == "":
			return badRequest("Invalid batch payload format: request %d has no id.", i+1)
		case it.Method == "":
			return badRequest("Invalid batch payload format: request '%s' has no method.", it.ID)
		case it.URL == "":
			return badRequest("Invalid batch payload format: request '%s' has no url.", it.ID)
		}
		if _, dup := ids[id]; dup {
			return badRequest("Batch request contains duplicate request id '%s'.", it.ID)
		}
		ids[id] = i
		if hasBody(it.Body) && header(it.Headers, "Content-Type") == "" {
			return badRequest("Write request id : %s does not contain Content-Type header or body.", it.ID)
		}
	}
	for _, it := range items {
		for _, d := range it.DependsOn {
			if _, ok := ids[strings.ToLower(d)]; !ok {
				return badRequest("Request '%s' depends on '%s', which is not in the batch.", it.ID, d)
			}
		}
	}
	if hasCycle(items, ids) {
		return badRequest("The dependsOn references of the batch form a cycle.")
	}
	return nil
}

func hasBody(b json.RawMessage) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && !bytes.Equal(t, []byte("null"))
}

func header(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func hasCycle(items []batchItem, ids map[string]int) bool {
	state := make([]int, len(items)) // 0 unseen, 1 visiting, 2 done
	var visit func(i int) bool
	visit = func(i int) bool {
		if state[i] == 1 {
			return true
		}
		if state[i] == 2 {
			return false
		}
		state[i] = 1
		for _, d := range items[i].DependsOn {
			if visit(ids[strings.ToLower(d)]) {
				return true
			}
		}
		state[i] = 2
		return false
	}
	for i := range items {
		if visit(i) {
			return true
		}
	}
	return false
}

// runBatch runs every item in its own goroutine; an item waits for the
// items it depends on and fails with 424 if one of them failed. Responses
// are listed in the order items finish.
func (c *call) runBatch(items []batchItem) []any {
	index := map[string]int{}
	for i, it := range items {
		index[strings.ToLower(it.ID)] = i
	}
	done := make([]chan struct{}, len(items))
	status := make([]int, len(items))
	for i := range done {
		done[i] = make(chan struct{})
	}
	var mu sync.Mutex
	var responses []any
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Go(func() {
			defer close(done[i])
			failed := false
			for _, d := range it.DependsOn {
				j := index[strings.ToLower(d)]
				<-done[j]
				failed = failed || status[j] < 200 || status[j] > 299
			}
			var resp obj
			if failed {
				resp, status[i] = c.failedDependency(it), http.StatusFailedDependency
			} else {
				resp, status[i] = c.runItem(it)
			}
			mu.Lock()
			responses = append(responses, resp)
			mu.Unlock()
		})
	}
	wg.Wait()
	return responses
}

func (c *call) failedDependency(it batchItem) obj {
	e := newError(http.StatusFailedDependency, "FailedDependency", "The request depends on a request that failed.")
	return obj{}.with("id", it.ID).with("status", e.Status).
		with("headers", obj{}.with("Content-Type", "application/json")).
		with("body", errorBody(e, c))
}

// runItem serves one item through the same pipeline as an HTTP request,
// with the outer request's identity, host and scheme.
func (c *call) runItem(it batchItem) (obj, int) {
	c.s.count.batchItemStarted()
	defer c.s.count.batchItemDone()
	buf := newBufferWriter()
	inner, err := c.innerRequest(it)
	if err != nil {
		ic := &call{s: c.s, w: buf, now: c.now, requestID: newGUID(nil), clientRequestID: c.clientRequestID}
		writeError(ic, err)
	} else {
		c.s.serve(newCall(c.s, buf, inner, true))
	}
	resp := obj{}.with("id", it.ID).with("status", buf.status).with("headers", itemHeaders(buf.header))
	if body := buf.body.Bytes(); len(body) > 0 {
		if json.Valid(body) {
			resp = resp.with("body", json.RawMessage(body))
		} else {
			resp = resp.with("body", base64.StdEncoding.EncodeToString(body))
		}
	}
	return resp, buf.status
}

func (c *call) innerRequest(it batchItem) (*http.Request, *Error) {
	if strings.Contains(it.URL, "://") {
		return nil, badRequest("The url of a batch request must be relative to the version root, e.g. /me.")
	}
	var body io.Reader = http.NoBody
	if hasBody(it.Body) {
		b := []byte(it.Body)
		var s string
		if json.Unmarshal(it.Body, &s) == nil { // a string body is base64
			dec, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, badRequest("The body of batch request '%s' is neither a JSON object nor base64.", it.ID)
			}
			b = dec
		}
		body = bytes.NewReader(b)
	}
	inner, err := http.NewRequestWithContext(c.r.Context(), strings.ToUpper(it.Method), "/"+c.rt.version+"/"+strings.TrimPrefix(it.URL, "/"), body)
	if err != nil {
		return nil, badRequest("The url of batch request '%s' is not valid: %v", it.ID, err)
	}
	for k, v := range it.Headers {
		inner.Header.Set(k, v)
	}
	inner.Header.Set("Authorization", c.r.Header.Get("Authorization"))
	if inner.Header.Get("client-request-id") == "" {
		inner.Header.Set("client-request-id", c.clientRequestID)
	}
	inner.Host, inner.TLS, inner.RemoteAddr = c.r.Host, c.r.TLS, c.r.RemoteAddr
	return inner, nil
}

// itemHeaders lists an item's response headers, sorted for stable output.
func itemHeaders(h http.Header) obj {
	keys := make([]string, 0, len(h))
	for k := range h {
		if k != "Request-Id" && k != "Client-Request-Id" { // the outer response carries those
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	o := obj{}
	for _, k := range keys {
		o = o.with(k, strings.Join(h[k], ", "))
	}
	return o
}
