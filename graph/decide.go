package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// ErrOutcomeUnknown matches the error of an OutcomeUnknown result: the
// decision may or may not have been applied.
var ErrOutcomeUnknown = errors.New("outcome unknown")

// maxPatches bounds the PATCHes one decision may send: the first, and one
// more only after a re-read showed the first did not land.
const maxPatches = 2

// Decide sends one decision and reports exactly what became of it. It
// never sends a decision twice blindly: after an ambiguous failure
// (timeout, reset, 5xx) it re-reads the stage and retries only when the
// stage is still open and undecided. At most DecideConcurrency decisions
// are in flight across the client; Decide is safe to call from many
// goroutines. The Journal (if any) gets Attempt before each PATCH and
// Outcome once.
func (c *Client) Decide(ctx context.Context, req DecisionRequest) (res DecisionResult) {
	res = DecisionResult{Request: req}
	defer func() {
		if c.journal != nil {
			c.journal.Outcome(res)
		}
	}()
	if err := checkDecision(req); err != nil {
		res.Outcome, res.Err = OutcomeFailed, err
		return res
	}
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		res.Outcome, res.Err = OutcomeCancelled, ctx.Err()
		return res
	}
	defer func() { <-c.sem }()
	return c.decide(ctx, res)
}

// DecideMany runs reqs concurrently through Decide (so within the client's
// DecideConcurrency limit) and returns their results in the order of reqs.
// progress, when not nil, is called once per result as each finishes; it is
// called from worker goroutines, but never by two at once.
func (c *Client) DecideMany(ctx context.Context, reqs []DecisionRequest, progress func(DecisionResult)) []DecisionResult {
	out := make([]DecisionResult, len(reqs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := c.Decide(ctx, req)
			out[i] = res
			if progress != nil {
				mu.Lock()
				defer mu.Unlock()
				progress(res)
			}
		}()
	}
	wg.Wait()
	return out
}

func checkDecision(req DecisionRequest) error {
	switch {
	case req.Decision != Approve && req.Decision != Deny:
		return fmt.Errorf("graph: decision must be %q or %q, not %q; nothing was sent", Approve, Deny, req.Decision)
	case req.Ref.ID == "":
		return errors.New("graph: no approval id; nothing was sent")
	case req.StageID == "":
		return errors.New("graph: no stage id; nothing was sent")
	case JustificationLength(req.Justification) > MaxJustification:
		return fmt.Errorf("graph: the justification is %d characters, more than %d; nothing was sent",
			JustificationLength(req.Justification), MaxJustification)
	}
	return nil
}

// decide is Decide once the semaphore is held.
func (c *Client) decide(ctx context.Context, res DecisionResult) DecisionResult {
	req := res.Request
	me, err := c.meUser(ctx)
	if err != nil {
		return notSent(ctx, res, fmt.Errorf("cannot tell who is signed in, so nothing was sent: %w", err))
	}
	ref, err := c.resolve(ctx, req.Ref)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			res.Outcome, res.Err = OutcomeGone, err
			return res
		}
		return notSent(ctx, res, err)
	}
	sc, err := c.source(ref.Source)
	if err != nil {
		return notSent(ctx, res, fmt.Errorf("%w; nothing was sent", err))
	}
	if why := firstNonEmpty(c.portalOnly(sc, ref), c.ownRoleRequest(ref, me)); why != "" {
		return notSent(ctx, res, &portalOnlyError{why: why})
	}
	for {
		if err := ctx.Err(); err != nil {
			res.Outcome, res.Err = OutcomeCancelled, err
			return res
		}
		if c.journal != nil {
			if err := c.journal.Attempt(req, res.Attempts+1); err != nil {
				res.Outcome, res.Err = OutcomeFailed, fmt.Errorf("journal: %w; nothing was sent", err)
				return res
			}
		}
		r, sendErr := sc.patch(ctx, ref, req.StageID,
			wireDecision{ReviewResult: string(req.Decision), Justification: req.Justification})
		var te *transportError
		if errors.As(sendErr, &te) && !te.delivered {
			if te.refused {
				return notSent(ctx, res, fmt.Errorf("%w; not applied: Graph refused the request before acting on it", sendErr))
			}
			return notSent(ctx, res, fmt.Errorf("%w; nothing was sent", sendErr))
		}
		res.Attempts++
		c.Forget(ref)
		if sendErr == nil {
			res.RequestID = r.requestID()
			if !ambiguous(r.status) {
				return c.settle(ctx, res, ref, r, me)
			}
		}
		cause := sendErr
		if cause == nil {
			cause = r.errorFor()
			res.RequestID = firstNonEmpty(res.RequestID, requestIDOf(cause))
		}
		var again bool
		res, again = c.resolveAmbiguous(ctx, res, ref, me, cause)
		if !again {
			return res
		}
	}
}

// portalOnly says why ref cannot be decided here: the source cannot take
// decisions now, or the approval as last read is portal-only.
func (c *Client) portalOnly(sc sourceClient, ref Ref) string {
	if why := sc.portalOnly(); why != "" {
		return why
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.portal[ref]
}

// notePortalOnly remembers whether an approval just read can be decided
// here, so Decide refuses one that cannot, however it was read.
func (c *Client) notePortalOnly(a Approval) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a.PortalOnly != "" {
		c.portal[a.Ref] = a.PortalOnly
	} else {
		delete(c.portal, a.Ref)
	}
}

// notSent is the result of a decision that failed before any PATCH.
func notSent(ctx context.Context, res DecisionResult, err error) DecisionResult {
	res.Outcome, res.Err = OutcomeFailed, err
	if ctx.Err() != nil {
		res.Outcome, res.Err = OutcomeCancelled, ctx.Err()
	}
	return res
}

// ambiguous statuses may or may not mean the PATCH was applied.
func ambiguous(status int) bool {
	return status == http.StatusRequestTimeout || status >= 500
}

// settle turns a definite PATCH reply into an outcome.
func (c *Client) settle(ctx context.Context, res DecisionResult, ref Ref, r reply, me wireUser) DecisionResult {
	err := r.errorFor()
	if ref.Source == SourceAzure {
		err = armAccess(err) // an ARM 401 is no reason to sign in to Graph again
	}
	res.RequestID = firstNonEmpty(res.RequestID, requestIDOf(err))
	switch {
	case err == nil:
		res.Outcome = applied(res.Request.Decision)
	case r.status == http.StatusConflict:
		// Someone decided first, or an earlier attempt of ours landed.
		st, rerr := c.readStage(ctx, ref, res.Request.StageID)
		if rerr == nil && st.Decided() {
			// This PATCH was refused, so only an earlier, ambiguous one
			// of ours could have decided the stage.
			return c.byReviewer(res, st, me, res.Attempts > 1)
		}
		res.Outcome, res.Err = OutcomeAlreadyDecided, err
	case r.status == http.StatusNotFound:
		res.Outcome, res.Err = OutcomeGone, err
	default: // 400, 401, 403, 429 (after the pipeline's retries), other 4xx: not applied
		res.Outcome, res.Err = OutcomeFailed, err
	}
	return res
}

// resolveAmbiguous re-reads the stage after a PATCH whose fate is unknown.
// It reports whether to send the PATCH again.
func (c *Client) resolveAmbiguous(ctx context.Context, res DecisionResult, ref Ref, me wireUser, cause error) (DecisionResult, bool) {
	st, err := c.readStage(ctx, ref, res.Request.StageID)
	switch {
	case err != nil:
		res.Outcome, res.Err = OutcomeUnknown, &unknownOutcomeError{cause: fmt.Errorf("%w; re-reading the stage failed too: %v", cause, err)}
	case st.Decided():
		res = c.byReviewer(res, st, me, true)
	case st.Status != StageInProgress:
		res.Outcome, res.Err = OutcomeGone, fmt.Errorf("graph: the stage is %s and no longer takes decisions (after: %w)", st.Status, cause)
	case res.Attempts < maxPatches:
		return res, true // still open and undecided: the PATCH did not land
	default:
		// Still open and undecided after the last try: neither PATCH
		// landed. That is a failure, safe to retry (should one land late,
		// the retry's 409 reads back as ours); unknown is kept for when
		// the stage cannot be read at all.
		res.Outcome, res.Err = OutcomeFailed, fmt.Errorf("not applied: the stage is still undecided after %d tries (last: %w); safe to retry", res.Attempts, cause)
	}
	return res, false
}

// byReviewer reports a decided stage: ours when I reviewed it with the
// decision I asked for, else already decided by whoever did. maybeOurs
// says a PATCH of ours whose fate was unknown may have done it; only then
// do our own words stand in for a reviewer the service did not name (the
// same template justification is common among approvers).
func (c *Client) byReviewer(res DecisionResult, st Stage, me wireUser, maybeOurs bool) DecisionResult {
	want := readBack(res.Request.Decision)
	mine := isMe(st.ReviewedBy, me) ||
		// No reviewer named: our own words are the next best evidence.
		maybeOurs && st.ReviewedBy.ID == "" && st.Justification == res.Request.Justification
	if mine && st.Result == want {
		res.Outcome, res.Err = applied(res.Request.Decision), nil
		return res
	}
	res.Outcome, res.Err = OutcomeAlreadyDecided, nil
	res.DecidedBy, res.DecidedAs = st.ReviewedBy, st.Result
	return res
}

// verifyContext is for reads that find out what a PATCH did: they run even
// when the caller's context has just been cancelled, for a bounded time,
// because an unknown outcome is worse than a late answer.
func (c *Client) verifyContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), c.requestTimeout)
}

// readStage reads the stage to learn what a PATCH did.
func (c *Client) readStage(ctx context.Context, ref Ref, stageID string) (Stage, error) {
	vctx, cancel := c.verifyContext(ctx)
	defer cancel()
	return c.stage(vctx, ref, stageID)
}

func applied(d Decision) Outcome {
	if d == Deny {
		return OutcomeDenied
	}
	return OutcomeApproved
}

// readBack maps the write vocabulary to the read one.
func readBack(d Decision) ReviewResult {
	if d == Deny {
		return Denied
	}
	return Approved
}

func requestIDOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.RequestID
	}
	return ""
}
