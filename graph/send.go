package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
)

// The azcore pipeline, in order: client-request-id (once per call) → retry
// (Retry-After, TryTimeout) → bearer token (CAE) → fractional Retry-After
// fix → count and log each try → pooled body read (listing pages only) →
// transport.
func (c *Client) newPipeline(o Options, allowHTTP bool) runtime.Pipeline {
	bearer := runtime.NewBearerTokenPolicy(markedCredential{o.Credential}, o.Scopes,
		&policy.BearerTokenOptions{InsecureAllowCredentialWithHTTP: allowHTTP})
	return runtime.NewPipeline("approvals", "v1", runtime.PipelineOptions{
		PerCall:  []policy.Policy{policyFunc(clientRequestID)},
		PerRetry: []policy.Policy{bearer, policyFunc(c.fractionalRetryAfter), policyFunc(c.countAndLog), policyFunc(readPooledBody)},
	}, c.clientOptions(o))
}

// clientOptions are o's azcore options with the client's retry.
func (c *Client) clientOptions(o Options) *policy.ClientOptions {
	co := o.ClientOptions
	co.Retry = c.retry
	return &co
}

type policyFunc func(*policy.Request) (*http.Response, error)

// markedCredential marks the errors of the token source, so a call that
// failed for want of a token can be told from one lost on the network: the
// bearer policy asks for a token before each try and again after a CAE
// challenge (a 401 Graph answered without acting), so such a failure means
// the try it was for never went out.
type markedCredential struct{ cred azcore.TokenCredential }

func (m markedCredential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	t, err := m.cred.GetToken(ctx, o)
	if err != nil {
		return t, &tokenError{err: err}
	}
	return t, nil
}

// tokenError is a failure to get a token; its text is the credential's.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

func (f policyFunc) Do(r *policy.Request) (*http.Response, error) { return f(r) }

// clientRequestID tags every call with a new client-request-id (kept across
// its retries) so a call can be found in Graph's logs.
func clientRequestID(r *policy.Request) (*http.Response, error) {
	if r.Raw().Header.Get("client-request-id") == "" {
		id, err := runtime.NewUUID()
		if err != nil {
			return nil, err
		}
		r.Raw().Header.Set("client-request-id", id)
	}
	return r.Next()
}

// fractionalRetryAfter restates a fractional Retry-After ("2.128", as Graph
// sends) as Retry-After-Ms, which azcore's retry policy reads first; azcore
// itself only parses whole seconds and would fall back to its own backoff.
func (c *Client) fractionalRetryAfter(r *policy.Request) (*http.Response, error) {
	resp, err := r.Next()
	if err != nil || resp == nil {
		return resp, err
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" || resp.Header.Get("Retry-After-Ms") != "" {
		return resp, nil
	}
	if _, err := strconv.Atoi(v); err == nil {
		return resp, nil
	}
	if d := parseRetryAfter(v, c.now()); d > 0 {
		resp.Header.Set("Retry-After-Ms", strconv.FormatInt(d.Milliseconds(), 10))
	}
	return resp, nil
}

// tryCounter counts the tries that reached the transport during one
// operation; counters nest (a Refresh counts the tries of all its calls).
type tryCounter struct {
	n      atomic.Int64
	parent *tryCounter
}

type tryCounterKey struct{}

func withCounter(ctx context.Context) (context.Context, *tryCounter) {
	parent, _ := ctx.Value(tryCounterKey{}).(*tryCounter)
	t := &tryCounter{parent: parent}
	return context.WithValue(ctx, tryCounterKey{}, t), t
}

func (t *tryCounter) add() {
	for ; t != nil; t = t.parent {
		t.n.Add(1)
	}
}

func (t *tryCounter) Load() int64 { return t.n.Load() }

// countAndLog sits next to the transport, so it sees every try, including
// the bearer policy's CAE re-send; it logs no headers, no bodies and no
// query values.
func (c *Client) countAndLog(r *policy.Request) (*http.Response, error) {
	c.requests.Add(1)
	if t, ok := r.Raw().Context().Value(tryCounterKey{}).(*tryCounter); ok {
		t.add()
	}
	start := c.now()
	resp, err := r.Next()
	c.noteRetry(r, resp, err)
	if c.logf != nil {
		took := c.now().Sub(start).Round(time.Millisecond)
		what := redactedPath(r.Raw().URL)
		if err != nil {
			c.logf("graph: %s %s -> error: %v (%s)", r.Raw().Method, what, innerError(err), took)
		} else {
			c.logf("graph: %s %s -> %d request-id=%s (%s)", r.Raw().Method, what, resp.StatusCode,
				oneLine(firstNonEmpty(resp.Header.Get("request-id"), resp.Header.Get("x-ms-request-id")), 80), took)
		}
	}
	return resp, err
}

type retryNoteKey struct{}

// RetryNote says that a try of a call failed in a way the client retries,
// and how it will retry: a throttled decision waiting out its Retry-After,
// a listing page answered 503.
type RetryNote struct {
	Why    string        // "throttled (429)", "503 Service Unavailable", "no answer"
	Status int           // the HTTP status; 0 when no answer came
	After  time.Duration // the wait the service asked for (Retry-After); 0: the client's own backoff
	Try    int           // the try about to be made (2 for the first retry)
	Tries  int           // tries in all
}

// String is "throttled (429), retrying in 3 s (try 2 of 4)", or without
// the wait when the service gave none.
func (n RetryNote) String() string {
	s := n.Why + ", retrying"
	if n.After > 0 {
		s += " in " + strconv.FormatInt(int64((n.After+time.Second-1)/time.Second), 10) + " s"
	}
	return s + fmt.Sprintf(" (try %d of %d)", n.Try, n.Tries)
}

// WithRetryNotes asks the client to call note whenever a try of a call
// made with ctx failed and will be retried (Decide's throttled PATCH
// waiting out its Retry-After, a stage re-read answered 503). note is
// called on the calling goroutine, between tries; it must not block.
func WithRetryNotes(ctx context.Context, note func(RetryNote)) context.Context {
	return context.WithValue(ctx, retryNoteKey{}, note)
}

// RetryNotes is the note function WithRetryNotes put in ctx, or nil: a
// Backend other than *Client (a wrapper, a test's fake) reports its
// retries through it.
func RetryNotes(ctx context.Context) func(RetryNote) {
	note, _ := ctx.Value(retryNoteKey{}).(func(RetryNote))
	return note
}

// withRetryNote is WithRetryNotes with the note as text ("503 Service
// Unavailable, retrying (try 2 of 5)").
func withRetryNote(ctx context.Context, note func(string)) context.Context {
	return WithRetryNotes(ctx, func(n RetryNote) { note(n.String()) })
}

// noteRetry tells the call's note function (WithRetryNotes) about a try
// that failed in a way the retry policy retries, unless it was the last:
// as the policy decides it (a PATCH only after a 429; no retry when the
// Retry-After is beyond MaxRetryDelay).
func (c *Client) noteRetry(r *policy.Request, resp *http.Response, err error) {
	ctx := r.Raw().Context()
	note := RetryNotes(ctx)
	if note == nil || ctx.Err() != nil {
		return
	}
	try := int64(1)
	if t, ok := ctx.Value(tryCounterKey{}).(*tryCounter); ok {
		try = t.Load()
	}
	tries := int64(max(c.retry.MaxRetries, 0)) + 1
	if try >= tries {
		return
	}
	n := RetryNote{Try: int(try + 1), Tries: int(tries)}
	switch {
	case err != nil:
		n.Why = "no answer"
		if errors.As(err, new(*tokenError)) {
			return // not retried: the sign-in is the problem
		}
	case resp.StatusCode == http.StatusTooManyRequests:
		n.Why = "throttled (429)"
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusInternalServerError ||
		resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusServiceUnavailable ||
		resp.StatusCode == http.StatusGatewayTimeout:
		n.Why = strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode)
	default:
		return
	}
	if resp != nil {
		n.Status = resp.StatusCode
		n.After = retryAfter(resp.Header, c.now())
		if n.After > c.retry.MaxRetryDelay {
			return // not retried: the wait is beyond what the client waits
		}
	}
	if r.Raw().Method == http.MethodPatch && !retriesPatch(resp, err) {
		return // a decision is re-sent only after a 429 (patchRetry)
	}
	note(n)
}

// redactedPath is the URL path with query values removed: the keys say
// what was asked, the values (filters, skip tokens) stay out of logs.
func redactedPath(u *url.URL) string {
	p := u.EscapedPath()
	if u.RawQuery == "" {
		return p
	}
	var keys []string
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return p + "?" + strings.Join(keys, "&")
}

// innerError drops the *url.Error wrapper, whose text repeats the full URL.
func innerError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// transportError is a failure with no HTTP response: DNS, refused, reset,
// timeout. For a PATCH it means "outcome unknown".
type transportError struct {
	method, path string
	err          error
	// delivered is false when the request surely was not acted on: no
	// try got to the transport (no token, say), the last try could not
	// even connect, or no token could be had for it (for a PATCH, which
	// is retried only after a 429, every earlier try was refused too).
	delivered bool
	// refused says that some try did reach Graph, which refused it
	// before acting (401 challenge, 429), and the next had no token.
	refused bool
}

func (e *transportError) Error() string {
	return fmt.Sprintf("graph: %s %s: %v", e.method, e.path, e.err)
}
func (e *transportError) Unwrap() error { return e.err }

// reply is a finished HTTP exchange: status, headers and the whole body.
type reply struct {
	status  int
	header  http.Header
	body    []byte
	pooled  bool      // body is a bodyPool buffer: release gives it back
	sentID  string    // the client-request-id we sent
	service string    // "" for Graph, serviceARM for Azure Resource Manager
	at      time.Time // when it arrived, by the client's clock (for a Retry-After date)
}

// requestID is the service's id of this exchange: Graph's request-id,
// else Azure Resource Manager's x-ms-request-id.
func (r reply) requestID() string {
	return firstNonEmpty(r.header.Get("request-id"), r.header.Get("x-ms-request-id"))
}

// errorFor returns the *Error for a non-2xx reply, nil otherwise.
func (r reply) errorFor() error {
	if r.status >= 200 && r.status < 300 {
		return nil
	}
	e := newErrorAt(r.status, r.header, r.body, r.at)
	e.ClientRequestID = firstNonEmpty(e.ClientRequestID, r.sentID)
	e.Service = r.service
	return e
}

// release gives a pooled body back for the next call to read into. The
// caller must hold nothing that points into r.body any more (decoding
// copies what it keeps). It does nothing for a body that is not pooled.
func (r *reply) release() {
	if r.pooled {
		putBodyBuf(r.body)
	}
	r.body, r.pooled = nil, false
}

// send makes one call through the pipeline with a deadline on the whole
// call. body, when not nil, is sent as JSON. A PATCH is retried only on
// 429 (never applied); anything else is left to the caller, who must find
// out whether it landed.
func (c *Client) send(ctx context.Context, method, rawURL string, body any) (reply, error) {
	return c.sendOn(ctx, service{pl: c.pl, origin: c.origin}, method, rawURL, body)
}

// service is one API the client talks to through its own pipeline (its
// own token audience): Graph, or Azure Resource Manager (name "arm").
type service struct {
	name   string // "" for Graph
	pl     runtime.Pipeline
	origin *url.URL
}

// sendOn is send through svc's pipeline, to svc's origin only.
func (c *Client) sendOn(ctx context.Context, svc service, method, rawURL string, body any) (reply, error) {
	if err := checkOrigin(svc, rawURL); err != nil {
		return reply{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.callTimeout)
	defer cancel()
	ctx, tries := withCounter(ctx)
	if method == http.MethodPatch {
		ctx = policy.WithRetryOptions(ctx, c.patchRetry())
	}
	req, err := runtime.NewRequest(ctx, method, rawURL)
	if err != nil {
		return reply{}, fmt.Errorf("graph: %s: %w", method, err)
	}
	req.Raw().Header.Set("Accept", "application/json")
	pr := pooledReadOf(ctx)
	if pr != nil {
		runtime.SkipBodyDownload(req) // readPooledBody reads a 2xx body instead
	}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		if err := req.SetBody(streaming.NopCloser(bytes.NewReader(b)), "application/json"); err != nil {
			return reply{}, err
		}
	}
	resp, err := svc.pl.Do(req)
	var payload []byte
	pooled := false
	if err == nil {
		if payload, pooled = pr.take(resp); pooled {
			_ = resp.Body.Close() // ends the try's context
		} else {
			payload, err = runtime.Payload(resp)
		}
	}
	if err != nil {
		noToken := errors.As(err, new(*tokenError))
		return reply{}, &transportError{
			method:    method,
			path:      redactedPath(req.Raw().URL),
			err:       innerError(err),
			delivered: tries.Load() > 0 && !dialFailed(err) && !noToken,
			refused:   tries.Load() > 0 && noToken,
		}
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: payload, pooled: pooled, sentID: req.Raw().Header.Get("client-request-id"), service: svc.name, at: c.now()}, nil
}

// dialFailed reports a failure to connect at all (refused, no route, DNS):
// nothing was sent.
func dialFailed(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// patchRetry allows the pipeline to retry a PATCH only after a 429
// (retriesPatch).
func (c *Client) patchRetry() policy.RetryOptions {
	o := c.retry
	o.ShouldRetry = retriesPatch
	return o
}

// retriesPatch is whether a PATCH is re-sent: only after a 429, which Graph
// rejects before doing anything. 5xx, timeouts and resets are ambiguous
// and handled by Decide.
func retriesPatch(resp *http.Response, err error) bool {
	return err == nil && resp != nil && resp.StatusCode == http.StatusTooManyRequests
}

// checkOrigin refuses to send the token anywhere but the Graph root, even
// when a server's @odata.nextLink points elsewhere.
func (c *Client) checkOrigin(rawURL string) error {
	return checkOrigin(service{origin: c.origin}, rawURL)
}

func checkOrigin(svc service, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("graph: bad URL: %w", err)
	}
	if !strings.EqualFold(u.Scheme, svc.origin.Scheme) || !strings.EqualFold(u.Host, svc.origin.Host) {
		root := "the Graph root"
		if svc.name == serviceARM {
			root = "the Azure Resource Manager root"
		}
		return fmt.Errorf("graph: refusing to follow a link to %s://%s: not %s %s", u.Scheme, u.Host, root, svc.origin)
	}
	return nil
}

// getJSON GETs rawURL and decodes a 2xx body into v; other statuses come
// back as *Error.
func (c *Client) getJSON(ctx context.Context, rawURL string, v any) error {
	r, err := c.send(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	if err := r.errorFor(); err != nil {
		return err
	}
	return decodeBody(r.body, v)
}

// decodeBody is json.Unmarshal with an error that says what was wrong
// without echoing the body.
func decodeBody(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("graph: unreadable response body (%d bytes): %w", len(b), err)
	}
	return nil
}
