package graph

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"approvals/graph/loopback"
)

// Options configures a Client. Only GraphURL and Credential are required.
type Options struct {
	// ClientOptions are azcore's. Transport sends the requests (default: a
	// client-private pool); PerCallPolicies and PerRetryPolicies run after
	// the client's own; Logging, Telemetry and TracingProvider apply as in
	// any azcore client. Retry is not used: the client retries on its own
	// terms (MaxRetries, RetryDelay, MaxRetryDelay, RequestTimeout below),
	// honouring Retry-After and never repeating a PATCH except after a 429.
	azcore.ClientOptions

	GraphURL          string                   // Graph root without version, e.g. "https://graph.microsoft.com" or "http://127.0.0.1:8080"
	Credential        azcore.TokenCredential   // token source (StaticToken for the simulator / --auth token)
	Scopes            []string                 // default: GraphURL + "/.default"
	RequestTimeout    time.Duration            // deadline per HTTP try (default 30s)
	MaxRetries        int                      // default 4; negative means no retries
	MaxRetryDelay     time.Duration            // default 60s; a Retry-After above it surfaces as ErrThrottled
	RetryDelay        time.Duration            // first backoff when the service gives no Retry-After (default 800ms)
	DecideConcurrency int                      // max PATCHes in flight across all Decide calls (default 16)
	StageTimeouts     map[Source]time.Duration // for deadline estimates (default: accessPackage 14 days, group 24h)
	Journal           Journal                  // optional decision journal (Attempt before each PATCH, Outcome once)
	Now               func() time.Time
	Logf              func(format string, args ...any) // optional redacted request log (never tokens); called from many goroutines
	MaxResponseBytes  int64                            // largest response body read (default 64 MiB); a larger one is an error
	// Sources are the sources polled (default: AllSources). A source left
	// out is reported as disabled and never called.
	Sources []Source

	// ARMURL is the Azure Resource Manager root for PIM for Azure
	// resources, e.g. "https://management.azure.com" (Cloud.ARMURL) or a
	// simulator's "http://127.0.0.1:8080/arm". Empty: the Azure source is
	// unavailable.
	ARMURL    string
	ARMScopes []string // default: ARMScopes(ARMURL)
}

// Client talks to Microsoft Graph v1.0 for one signed-in approver. All
// methods are safe for concurrent use.
type Client struct {
	base           string   // Graph root + "/v1.0"
	betaBase       string   // Graph root + "/beta": only the role approvals use it
	origin         *url.URL // scheme and host every request must go to
	pl             runtime.Pipeline
	retry          policy.RetryOptions
	requestTimeout time.Duration
	callTimeout    time.Duration
	stageTimeouts  map[Source]time.Duration
	journal        Journal
	now            func() time.Time
	logf           func(format string, args ...any)
	sem            chan struct{} // Decide concurrency
	arm            *armService   // nil without Options.ARMURL

	requests      atomic.Int64
	emPlainExpand atomic.Bool // the service refused the nested $expand once
	rolePlain     atomic.Bool // the service refused the role listing's $expand once
	roleBetaGone  atomic.Bool // the beta roleAssignmentApprovals segment is gone: decide in the portal
	meMu          sync.Mutex
	me            *wireUser

	sources map[Source]sourceClient // the enabled sources
	enabled []Source                // their keys, in AllSources order

	batchSem chan struct{} // $batch calls in flight, client-wide

	mu         sync.Mutex
	cache      map[Ref]*cacheEntry   // entries are replaced, never changed in place
	prints     map[print]Ref         // the cache by listing fingerprint
	versions   map[Source]uint64     // bumped when a source's approvals change (Progress.Version)
	allCached  map[Source]bool       // the last refresh's approvals of a source are all in the cache
	lists      map[Source][]Approval // each source's approvals as the last refresh reported them (never written; cache entries point into them)
	refreshing int                   // Refresh calls in flight
	epoch      uint64                // bumped by Forget
	forgot     map[Ref]uint64        // epoch of each Forget made while a refresh ran
	portal     map[Ref]string        // approvals last read as not decidable here, and why
}

// Default stage timeouts: entitlement management policies default to 14
// days; PIM approvals expire after 24 hours.
var defaultStageTimeouts = map[Source]time.Duration{
	SourceAccessPackage: 14 * 24 * time.Hour,
	SourceGroup:         24 * time.Hour,
	SourceRole:          24 * time.Hour,
	SourceAzure:         24 * time.Hour,
}

// New checks opts and builds a client. Plain http:// is refused unless the
// host is loopback: a bearer token must never cross a network in clear.
func New(opts Options) (*Client, error) {
	origin, base, err := parseGraphURL(opts.GraphURL)
	if err != nil {
		return nil, err
	}
	if opts.Credential == nil {
		return nil, errors.New("graph: no credential")
	}
	o := withDefaults(opts, origin)
	c := &Client{
		base:           base,
		betaBase:       strings.TrimSuffix(base, "/v1.0") + "/beta",
		origin:         origin,
		requestTimeout: o.RequestTimeout,
		stageTimeouts:  o.StageTimeouts,
		journal:        o.Journal,
		now:            o.Now,
		logf:           o.Logf,
		sem:            make(chan struct{}, o.DecideConcurrency),
		cache:          map[Ref]*cacheEntry{},
		prints:         map[print]Ref{},
		versions:       map[Source]uint64{},
		allCached:      map[Source]bool{},
		lists:          map[Source][]Approval{},
		batchSem:       make(chan struct{}, batchParallel),
		forgot:         map[Ref]uint64{},
		portal:         map[Ref]string{},
	}
	c.retry = policy.RetryOptions{
		MaxRetries:    int32(o.MaxRetries),
		TryTimeout:    o.RequestTimeout,
		RetryDelay:    o.RetryDelay,
		MaxRetryDelay: o.MaxRetryDelay,
	}
	tries := time.Duration(max(o.MaxRetries, 0) + 1)
	c.callTimeout = tries*o.RequestTimeout + (tries-1)*o.MaxRetryDelay
	c.pl = c.newPipeline(o, origin.Scheme == "http")
	if opts.ARMURL != "" {
		if c.arm, err = c.newARM(o); err != nil {
			return nil, err
		}
	}
	if err := c.addSources(o.Sources); err != nil {
		return nil, err
	}
	return c, nil
}

// addSources builds the client of every enabled source.
func (c *Client) addSources(enabled []Source) error {
	if enabled == nil {
		enabled = AllSources
	}
	on := map[Source]bool{}
	for _, s := range enabled {
		if p, ok := ParseSource(string(s)); !ok || p != s {
			return fmt.Errorf("graph: unknown source %q (want %s, %s, %s or %s)", s, SourceAccessPackage, SourceGroup, SourceRole, SourceAzure)
		}
		on[s] = true
	}
	c.sources = map[Source]sourceClient{}
	for _, s := range AllSources {
		if !on[s] {
			continue
		}
		c.enabled = append(c.enabled, s)
		switch s {
		case SourceAccessPackage, SourceGroup:
			c.sources[s] = v1Source{c: c, src: s}
		case SourceAzure:
			c.sources[s] = c.azureSource()
		case SourceRole:
			c.sources[s] = roleSource{c}
		default:
			c.sources[s] = unavailableSource{src: s, why: "not available in this version"}
		}
	}
	return nil
}

// parseGraphURL validates the Graph root and returns its origin and the
// v1.0 base URL. A trailing "/v1.0" is accepted and dropped.
func parseGraphURL(raw string) (*url.URL, string, error) {
	if raw == "" {
		return nil, "", errors.New("graph: no Graph URL")
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, "", fmt.Errorf("graph: bad Graph URL: %w", err)
	}
	if u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, "", fmt.Errorf("graph: bad Graph URL %q: want scheme://host[:port] with no query", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback.Host(u.Hostname()) {
			return nil, "", fmt.Errorf("graph: refusing plain http:// to %s: tokens may only be sent in clear to a loopback address", u.Host)
		}
	default:
		return nil, "", fmt.Errorf("graph: bad Graph URL %q: scheme must be https", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/v1.0")
	origin := &url.URL{Scheme: u.Scheme, Host: u.Host}
	return origin, u.Scheme + "://" + u.Host + u.Path + "/v1.0", nil
}

func withDefaults(o Options, origin *url.URL) Options {
	if len(o.Scopes) == 0 {
		o.Scopes = []string{origin.String() + "/.default"}
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 30 * time.Second
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 4
	}
	if o.MaxRetries < 0 {
		o.MaxRetries = -1
	}
	if o.MaxRetryDelay <= 0 {
		o.MaxRetryDelay = 60 * time.Second
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = 800 * time.Millisecond
	}
	if o.DecideConcurrency <= 0 {
		o.DecideConcurrency = 16
	}
	timeouts := make(map[Source]time.Duration, len(defaultStageTimeouts))
	for s, d := range defaultStageTimeouts {
		timeouts[s] = d
	}
	for s, d := range o.StageTimeouts {
		timeouts[s] = d
	}
	o.StageTimeouts = timeouts
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Transport == nil {
		o.Transport = newTransport()
	}
	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = defaultMaxResponse
	}
	o.Transport = limitedTransport{next: o.Transport, max: o.MaxResponseBytes}
	return o
}

// defaultMaxResponse bounds one response body. A page of 999 expanded
// requests is a few MB; anything near this is a broken or hostile server,
// and reading it whole would exhaust memory.
const defaultMaxResponse = 64 << 20

// limitedTransport cuts every response body off at max bytes: reading past
// it fails, so the call fails instead of the process running out of memory.
type limitedTransport struct {
	next policy.Transporter
	max  int64
}

func (t limitedTransport) Do(req *http.Request) (*http.Response, error) {
	resp, err := t.next.Do(req)
	if err == nil && resp != nil && resp.Body != nil {
		resp.Body = &limitedBody{ReadCloser: resp.Body, left: t.max, max: t.max}
	}
	return resp, err
}

// ErrResponseTooLarge is the error of a response body over MaxResponseBytes.
var ErrResponseTooLarge = errors.New("graph: response body too large")

// tooLargeError is ErrResponseTooLarge for one limit. It is not retried:
// the same server would send the same body again.
type tooLargeError struct{ max int64 }

func (e tooLargeError) Error() string {
	return fmt.Sprintf("%v: over %d bytes", ErrResponseTooLarge, e.max)
}
func (e tooLargeError) Is(target error) bool { return target == ErrResponseTooLarge }
func (tooLargeError) NonRetriable()          {} // azcore's retry policy skips it

type limitedBody struct {
	io.ReadCloser
	left, max int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more than allowed tells "exactly max" from "too large".
		var one [1]byte
		if n, _ := b.ReadCloser.Read(one[:]); n > 0 {
			return 0, tooLargeError{max: b.max}
		}
		return b.ReadCloser.Read(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

// newTransport is a client-private HTTP transport (no shared global pool)
// that keeps enough idle connections for DecideConcurrency PATCHes. It
// follows no redirects: net/http would resend the bearer token to the same
// host on another port or over plain http, past checkOrigin. Graph does
// not redirect these calls; a 3xx comes back as an error.
func newTransport() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 64
	t.ForceAttemptHTTP2 = true
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: t, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// String names the client by its Graph root. It keeps the innards (the
// pipeline caches the token) out of any %v, %s or %#v.
func (c *Client) String() string { return "graph.Client(" + c.base + ")" }

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Requests is the number of HTTP requests sent so far; every try counts,
// and a $batch counts once.
func (c *Client) Requests() int64 { return c.requests.Load() }

// Forget drops what the client remembers about an approval, so the next
// Refresh reads it again. A Ref without a Source forgets the id in all.
func (c *Client) Forget(ref Ref) {
	refs := []Ref{ref}
	if ref.Source == "" {
		refs = refs[:0]
		for _, s := range AllSources {
			refs = append(refs, Ref{Source: s, ID: ref.ID})
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for _, r := range refs {
		delete(c.cache, r)
		if c.refreshing > 0 {
			// A refresh in flight may hold details read before this
			// Forget; it must not put them back.
			c.forgot[r] = c.epoch
		}
	}
}
