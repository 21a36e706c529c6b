package sim

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// call is one request being served: an HTTP request or a $batch item.
type call struct {
	s       *Server
	w       http.ResponseWriter // possibly buffered (faults) or recorded ($batch)
	raw     http.ResponseWriter // the connection's writer, for resets
	r       *http.Request
	now     time.Time
	inBatch bool
	arm     bool // Azure Resource Manager, under /arm

	requestID, clientRequestID string

	rt     route
	caller *User
	q      *query

	emptyPage, pageCap bool // listing faults

	// held is a reply built under s.mu by a handler that encodes and
	// writes it once the lock is released (see holdReply).
	holding bool
	held    *heldReply
}

type heldReply struct {
	status int
	v      any
}

// holdReply runs build with s.mu held, then encodes and writes the reply
// build gave to reply, after the lock is released: building reads the
// tenant, encoding and writing need only the copy (the JSON shapes copy
// every value). Graph serves concurrent requests, and the items of a
// $batch, in parallel; holding the tenant lock while encoding a page of
// 100 requests, or while the client read it, made every other request and
// $batch item wait for it. Errors are written at once, under the lock.
func (c *call) holdReply(build func()) {
	func() {
		c.s.mu.Lock()
		defer c.s.mu.Unlock()
		c.holding = true
		defer func() { c.holding = false }()
		build()
	}()
	if h := c.held; h != nil {
		c.held = nil
		writeJSON(c.w, h.status, h.v)
	}
}

// reply writes v as JSON, or keeps it for holdReply to write once the
// lock is released.
func (c *call) reply(status int, v any) {
	if c.holding {
		c.held = &heldReply{status: status, v: v}
		return
	}
	writeJSON(c.w, status, v)
}

func newCall(s *Server, w http.ResponseWriter, r *http.Request, inBatch bool) *call {
	c := &call{s: s, raw: w, r: r, now: s.now(), inBatch: inBatch, requestID: newGUID(nil)}
	c.w = &statusWriter{ResponseWriter: w}
	c.clientRequestID = r.Header.Get("client-request-id")
	if c.clientRequestID == "" {
		c.clientRequestID = c.requestID
	}
	return c
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// bufferWriter holds a response instead of sending it: for faults that
// replace or drop the real response, and for $batch items.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferWriter() *bufferWriter { return &bufferWriter{header: http.Header{}} }

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

// serve runs the whole pipeline: ids, counters, faults, authentication,
// routing, the handler, and the request log.
func (s *Server) serve(c *call) {
	start := time.Now()
	h := c.w.Header()
	if c.arm {
		h.Set("x-ms-request-id", c.requestID)
		h.Set("x-ms-correlation-request-id", c.armCorrelationID())
		h.Set("Cache-Control", "no-cache")
		c.rt = parseARMRoute(c.r)
	} else {
		h.Set("request-id", c.requestID)
		h.Set("client-request-id", c.clientRequestID)
		h.Set("Cache-Control", "no-cache")
		c.rt = parseRoute(c.r)
	}
	if c.rt.src == srcRole && c.rt.collection == roleApprovalsCollection && s.betaRolesGone() {
		// As if Microsoft had retired the beta role approvals.
		c.rt = route{op: OpOther, version: c.rt.version, err: segmentNotFound("roleAssignmentApprovals")}
	}
	op := c.rt.opFor(c.r.Method)
	s.count.request(op, c.inBatch)
	if op == OpPatchStage || op == OpPatchAzureStage || op == OpPatchRoleStep {
		s.count.patch(c.rt.id, c.rt.stageID, false)
	}
	fired := s.faults.fire(c.r.Method, op, c.r.URL.Path, c.inBatch)
	if len(fired) > 0 {
		s.count.faulted()
	}
	defer func() { s.log(c, op, start) }()
	resetAfter, malformed, handled := c.preFaults(fired)
	if handled {
		return
	}
	if !resetAfter && !malformed {
		c.handle()
		return
	}
	out := c.w
	buf := newBufferWriter()
	for k, v := range out.Header() {
		buf.header[k] = v
	}
	c.w = buf
	c.handle()
	c.w = out
	if resetAfter {
		abortConnection(c.raw)
		return
	}
	writeMalformed(out, buf)
}

func (s *Server) log(c *call, op Operation, start time.Time) {
	if s.logf == nil {
		return
	}
	status := 0
	switch w := c.w.(type) {
	case *statusWriter:
		status = w.status
	case *bufferWriter:
		status = w.status
	}
	who := "-"
	if c.caller != nil {
		who = c.caller.DisplayName // never the token itself
	}
	batch := ""
	if c.inBatch {
		batch = " (in $batch)"
	}
	s.logf("%s %s%s → %d %s %s [%s]", c.r.Method, c.r.URL.Path, batch, status, op, time.Since(start).Round(time.Microsecond), who)
}

// preFaults applies the faults that act before the handler. It reports
// whether the response is already decided, and which faults act after.
func (c *call) preFaults(fired []Fault) (resetAfter, malformed, handled bool) {
	var delay time.Duration
	var answer *Error
	hang, resetBefore := false, false
	for _, f := range fired {
		switch f.Kind {
		case FaultLatency:
			delay += f.Delay
		case FaultThrottle, FaultBatchThrottle:
			answer = throttled(f.RetryAfter)
		case FaultUnavailable:
			answer = unavailable(f.Status, f.RetryAfter)
		case FaultExpiredToken:
			answer = unauthorized("Lifetime validation failed, the token is expired.")
		case FaultClaimsChallenge:
			answer = claimsChallenge()
		case FaultHang:
			hang = true
		case FaultResetBefore:
			resetBefore = true
		case FaultResetAfter:
			resetAfter = true
		case FaultMalformed:
			malformed = true
		case FaultEmptyPage:
			c.emptyPage = true
		case FaultPageCap:
			c.pageCap = true
		}
	}
	ctx := c.r.Context()
	if delay > 0 && !sleep(ctx, c.s.closed, delay) {
		c.gaveUp()
		return false, false, true
	}
	switch {
	case resetBefore:
		abortConnection(c.raw)
		return false, false, true
	case hang:
		select {
		case <-ctx.Done():
			c.gaveUp()
		case <-c.s.closed:
			writeError(c, unavailable(http.StatusServiceUnavailable, ""))
		}
		return false, false, true
	case answer != nil:
		writeError(c, answer)
		return false, false, true
	}
	return resetAfter, malformed, false
}

// gaveUp ends a request whose context ended while a fault held it (the
// client left, or the server is shutting down). Returning without a
// response would send an empty 200, so the connection is dropped instead;
// a $batch item gets a 503, as its outer request is ending anyway.
func (c *call) gaveUp() {
	if c.inBatch {
		writeError(c, unavailable(http.StatusServiceUnavailable, ""))
		return
	}
	abortConnection(c.raw)
}

func sleep(ctx context.Context, closed <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-closed:
		return true
	case <-ctx.Done():
		return false
	}
}

func throttled(retryAfter string) *Error {
	e := newError(http.StatusTooManyRequests, "TooManyRequests", "Please retry again later.")
	if retryAfter != "" {
		e.Header = http.Header{"Retry-After": {retryAfter}}
	}
	return e
}

func unavailable(status int, retryAfter string) *Error {
	var e *Error
	if status == http.StatusGatewayTimeout {
		e = newError(status, "GatewayTimeout", "The gateway did not receive a response in time.")
	} else {
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
		e = newError(status, "ServiceUnavailable", "The service is temporarily unavailable. Please retry later.")
	}
	if retryAfter != "" {
		e.Header = http.Header{"Retry-After": {retryAfter}}
	}
	return e
}

// abortConnection drops the client's connection without a response: a
// TCP reset when the connection can be hijacked, else the server's own
// abort.
func abortConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // RST, not FIN: "connection reset by peer"
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// writeMalformed answers 200 with half of the real body: invalid JSON.
func writeMalformed(w http.ResponseWriter, buf *bufferWriter) {
	body := buf.body.Bytes()
	if len(body) < 2 {
		body = []byte(`{"value":[{"id":"`)
	} else {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// handle authenticates the caller, then routes.
func (c *call) handle() {
	user, err := c.authenticate()
	if err != nil {
		writeError(c, err)
		return
	}
	c.caller = user
	if c.rt.err != nil {
		writeError(c, c.rt.err)
		return
	}
	if c.arm {
		c.handleARM()
		return
	}
	if !slices.Contains(c.rt.methods, c.r.Method) {
		e := newError(http.StatusMethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
		e.Header = http.Header{"Allow": {strings.Join(c.rt.methods, ", ")}}
		writeError(c, e)
		return
	}
	if err := decodeBody(c.r); err != nil {
		writeError(c, err)
		return
	}
	q, qerr := parseQuery(queryValues(c.r.URL.RawQuery))
	if qerr != nil {
		writeError(c, qerr)
		return
	}
	c.q = q
	c.rt.handle(c)
}

// authenticate resolves "Authorization: Bearer <user id or UPN>". The
// token is never echoed in an error.
func (c *call) authenticate() (*User, *Error) {
	h := strings.TrimSpace(c.r.Header.Get("Authorization"))
	scheme, token, _ := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if h == "" || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, unauthorized("Access token is empty.")
	}
	u := c.s.users[lowerKey(token)] // fixed since New: no lock
	if u == nil {
		return nil, unauthorized("Access token validation failure: the token does not name a user of this tenant.")
	}
	return u, nil
}

// baseURL is scheme://host of the request, for nextLinks and contexts.
func (c *call) baseURL() string {
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.r.Host
}

// context is the @odata.context of a response.
func (c *call) context(fragment string) string {
	v := c.rt.version
	if v == "" {
		v = versionV1
	}
	return c.baseURL() + "/" + v + "/$metadata#" + fragment
}
