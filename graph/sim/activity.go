package sim

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Event says what one step of activity did.
type Event struct {
	Kind       string // "decided", "arrived" or "idle"
	ApprovalID string
	StageID    string
	By         string // user id of the approver who decided
	Result     string // Approved or Denied
}

func (e Event) String() string {
	switch e.Kind {
	case "decided":
		return fmt.Sprintf("%s %s stage %s by %s", e.Result, e.ApprovalID, e.StageID, e.By)
	case "arrived":
		return "new request " + e.ApprovalID
	}
	return "nothing to do"
}

// Step makes one thing happen, as other people would: usually another
// approver decides a stage that is waiting for them (approving mostly,
// sometimes denying, with a justification); otherwise a new request
// arrives for the demo identity. Choices come from a RNG seeded by
// Options.Seed, so the same seed and the same calls give the same events.
func (s *Server) Step() Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.activity.IntN(3) > 0 {
		if ev, ok := s.otherApproverDecides(now); ok {
			return ev
		}
	}
	if id := s.arrive(now); id != "" {
		return Event{Kind: "arrived", ApprovalID: id}
	}
	if ev, ok := s.otherApproverDecides(now); ok {
		return ev
	}
	return Event{Kind: "idle"}
}

// Arrive adds a new request waiting for the demo identity (created now,
// at its first stage) and returns its id, or "" when the tenant has no
// access package or group to request.
func (s *Server) Arrive() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.arrive(s.now())
}

func (s *Server) arrive(now time.Time) string {
	approvers := s.ix.approvers()
	if len(approvers) == 0 {
		return ""
	}
	b := newBuilder(s.activity, s.tenant)
	id := b.arrive(now.Truncate(time.Millisecond), approvers[0])
	if id == "" {
		return ""
	}
	// the builder appended to the tenant; index what it added
	if r := s.tenant.AccessPackageRequests; len(r) > 0 && r[len(r)-1].ID == id {
		s.ix.em[lowerKey(id)] = r[len(r)-1]
	}
	if r := s.tenant.GroupRequests; len(r) > 0 && r[len(r)-1].ID == id {
		s.ix.pim[lowerKey(id)] = r[len(r)-1]
	}
	return id
}

// otherApproverDecides picks a pending stage that someone other than the
// demo identity may decide, starting at a random request, and decides it.
func (s *Server) otherApproverDecides(now time.Time) (Event, bool) {
	approvers := s.ix.approvers()
	if len(approvers) == 0 {
		return Event{}, false
	}
	demo := approvers[0]
	type cand struct {
		src source
		id  string
		st  *Stage
	}
	var cands []cand
	for _, r := range s.tenant.AccessPackageRequests {
		settleEM(r, now)
		if i := currentStage(r.Stages); r.State == StatePendingApproval && i >= 0 {
			cands = append(cands, cand{srcAccessPackage, r.ID, &r.Stages[i]})
		}
	}
	for _, r := range s.tenant.GroupRequests {
		settlePIM(r, now)
		if i := currentStage(r.Stages); r.Status == PIMPendingApproval && i >= 0 {
			cands = append(cands, cand{srcGroup, r.ID, &r.Stages[i]})
		}
	}
	if len(cands) == 0 {
		return Event{}, false
	}
	start := s.activity.IntN(len(cands))
	for k := range cands {
		c := cands[(start+k)%len(cands)]
		others := slices.DeleteFunc(slices.Clone(c.st.Approvers), func(a string) bool { return a == demo })
		if len(others) == 0 {
			continue
		}
		by := pick(s.activity, others)
		result, text := "Approve", pick(s.activity, approverReasons)
		if s.activity.IntN(5) == 0 {
			result, text = "Deny", pick(s.activity, denyReasons)
		}
		stageID := c.st.ID
		if err := s.decide(c.src, c.id, stageID, by, decisionOf(result, text), now); err != nil {
			continue
		}
		read := ResultApproved
		if result == "Deny" {
			read = ResultDenied
		}
		return Event{Kind: "decided", ApprovalID: c.id, StageID: stageID, By: by, Result: read}, true
	}
	return Event{}, false
}

// RunActivity calls Step every interval until ctx ends. It logs each
// event through Options.Logf.
func (s *Server) RunActivity(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			ev := s.Step()
			if s.logf != nil {
				s.logf("activity: %s", ev)
			}
		}
	}
}
