package sim

import (
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// FaultKind names a misbehaviour the simulator can inject.
type FaultKind string

const (
	// FaultLatency delays the response by Delay (faults add up, so a fixed
	// latency plus a rare large one makes spikes).
	FaultLatency FaultKind = "latency"
	// FaultThrottle answers 429 TooManyRequests, with a Retry-After header
	// when RetryAfter is set (fractional values such as "2.128" are sent
	// as is).
	FaultThrottle FaultKind = "throttle"
	// FaultUnavailable answers Status (503 by default, or 504), with
	// Retry-After when RetryAfter is set.
	FaultUnavailable FaultKind = "unavailable"
	// FaultHang never answers: the request waits until its context ends
	// (the client gives up) or the server is closed.
	FaultHang FaultKind = "hang"
	// FaultResetBefore drops the connection without running the request.
	FaultResetBefore FaultKind = "reset-before"
	// FaultResetAfter runs the request (a PATCH is applied) and then drops
	// the connection without a response.
	FaultResetAfter FaultKind = "reset-after"
	// FaultMalformed runs the request and answers 200 with a truncated,
	// invalid JSON body.
	FaultMalformed FaultKind = "malformed"
	// FaultEmptyPage answers a listing with an empty page whose nextLink
	// continues where the page would have started.
	FaultEmptyPage FaultKind = "empty-page"
	// FaultPageCap returns at most 50 items of a listing and no nextLink,
	// like the reported filterByCurrentUser cap.
	FaultPageCap FaultKind = "page-cap"
	// FaultBatchThrottle answers matching $batch items with status 429 and
	// Retry-After in the item's headers (the outer response stays 200).
	FaultBatchThrottle FaultKind = "batch-throttle"
	// FaultExpiredToken answers 401 InvalidAuthenticationToken, "Lifetime
	// validation failed, the token is expired.", as when a token expires
	// mid-session.
	FaultExpiredToken FaultKind = "expired-token"
	// FaultClaimsChallenge answers 401 with a continuous access evaluation
	// challenge (WWW-Authenticate: ... error="insufficient_claims",
	// claims="..."), which azcore's bearer token policy answers by getting
	// a new token and retrying once.
	FaultClaimsChallenge FaultKind = "claims-challenge"
)

// Fault is one injected misbehaviour and the requests it applies to.
// Empty matchers match everything. Of the matching requests, the first
// Skip pass untouched, then Count are faulted (0: all of them), each with
// Probability (0: always), drawn from a RNG seeded by Options.Seed.
type Fault struct {
	Kind   FaultKind
	Method string    // e.g. "PATCH"
	Op     Operation // e.g. OpPatchStage
	Path   string    // case-insensitive substring of the decoded path, e.g. "/stages/"
	// InBatch makes the fault apply to requests inside a $batch instead of
	// HTTP requests (always true for FaultBatchThrottle). Resets and
	// malformed bodies never apply inside a batch.
	InBatch     bool
	Skip        int
	Count       int
	Probability float64
	Delay       time.Duration // FaultLatency
	RetryAfter  string        // FaultThrottle, FaultUnavailable, FaultBatchThrottle: Retry-After value, "" for none
	Status      int           // FaultUnavailable: 503 (default) or 504
}

type faultState struct {
	Fault
	matched, fired int
}

// faultSet decides which faults fire for a request. It is safe for
// concurrent use.
type faultSet struct {
	mu     sync.Mutex
	rng    *rand.Rand
	faults []*faultState
}

func newFaultSet(seed int64, faults []Fault) *faultSet {
	fs := &faultSet{rng: rand.New(rand.NewPCG(uint64(seed), 0xfa017))}
	for _, f := range faults {
		fs.add(f)
	}
	return fs
}

func (fs *faultSet) add(f Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f.Kind == FaultBatchThrottle {
		f.InBatch = true
	}
	fs.faults = append(fs.faults, &faultState{Fault: f})
}

func (fs *faultSet) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.faults = nil
}

// fire returns the faults that apply to one request, in the order they
// were added, and counts them as used.
func (fs *faultSet) fire(method string, op Operation, path string, inBatch bool) []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var out []Fault
	for _, f := range fs.faults {
		if !f.matches(method, op, path, inBatch) {
			continue
		}
		f.matched++
		if f.matched <= f.Skip || (f.Count > 0 && f.fired >= f.Count) {
			continue
		}
		if f.Probability > 0 && fs.rng.Float64() >= f.Probability {
			continue
		}
		f.fired++
		out = append(out, f.Fault)
	}
	return out
}

func (f *faultState) matches(method string, op Operation, path string, inBatch bool) bool {
	if f.InBatch != inBatch {
		return false
	}
	if inBatch && (f.Kind == FaultResetBefore || f.Kind == FaultResetAfter || f.Kind == FaultMalformed) {
		return false
	}
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	if f.Op != "" && f.Op != op {
		return false
	}
	return f.Path == "" || strings.Contains(strings.ToLower(path), strings.ToLower(f.Path))
}
