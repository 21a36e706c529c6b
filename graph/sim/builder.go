package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// builder makes new requests in a tenant: the generator uses it for the
// initial data, the activity loop for arrivals. It only reads people,
// packages and groups; it appends requests.
type builder struct {
	r          *rand.Rand
	t          *Tenant
	requestors []string // users who are not approvers
	admins     []string // service desk people who request on others' behalf
}

func newBuilder(r *rand.Rand, t *Tenant) *builder {
	b := &builder{r: r, t: t}
	for _, u := range t.Users {
		if slices.Contains(t.Approvers, u.ID) {
			continue
		}
		b.requestors = append(b.requestors, u.ID)
		if u.Department == "IT" {
			b.admins = append(b.admins, u.ID)
		}
	}
	if len(b.admins) == 0 {
		b.admins = b.requestors
	}
	return b
}

// addRequest adds one pending request whose current stage lists approver
// (forApprover) or does not list it (!forApprover). It tries the other
// source when the preferred one has no matching policy, and reports false
// when neither has.
func (b *builder) addRequest(now time.Time, approver string, forApprover bool) bool {
	return b.add(now, approver, forApprover, false) != ""
}

// arrive adds a brand-new request (created now, at its first stage) and
// returns its id, or "" when the tenant has nothing to request.
func (b *builder) arrive(now time.Time, approver string) string {
	return b.add(now, approver, true, true)
}

func (b *builder) add(now time.Time, approver string, forApprover, fresh bool) string {
	if len(b.requestors) == 0 {
		return ""
	}
	em := b.r.IntN(100) < 60
	for range 2 {
		var id string
		if em {
			id = b.accessPackageRequest(now, approver, forApprover, fresh)
		} else {
			id = b.groupRequest(now, approver, forApprover, fresh)
		}
		if id != "" {
			return id
		}
		em = !em
	}
	return ""
}

// candidateStages lists the stage indexes of p that can be current: those
// that list approver (or not, for !forApprover) and none of the excluded
// people. A fresh request can only be at its first stage.
func candidateStages(p Policy, approver string, forApprover, fresh bool, exclude ...string) []int {
	var ks []int
	for k, s := range p.Stages {
		if fresh && k > 0 {
			break
		}
		if slices.Contains(s.Approvers, approver) != forApprover {
			continue
		}
		if slices.ContainsFunc(exclude, func(id string) bool { return slices.Contains(s.Approvers, id) }) {
			continue
		}
		ks = append(ks, k)
	}
	return ks
}

func (b *builder) accessPackageRequest(now time.Time, approver string, forApprover, fresh bool) string {
	if len(b.t.AccessPackages) == 0 {
		return ""
	}
	for range 30 {
		p := &b.t.AccessPackages[b.r.IntN(len(b.t.AccessPackages))]
		requestor := pick(b.r, b.requestors)
		target, reqType := requestor, pickWeighted(b.r, []string{"userAdd", "userUpdate", "adminAdd"}, []int{75, 10, 15})
		if reqType == "adminAdd" {
			requestor = pick(b.r, b.admins)
			if requestor == target {
				continue
			}
		}
		ks := candidateStages(p.Policy, approver, forApprover, fresh, requestor, target)
		if len(ks) == 0 {
			continue
		}
		k := pick(b.r, ks)
		timeouts := stageTimeouts(p.Policy, DefaultAccessPackageTimeout)
		created, starts := b.timeline(now, timeouts, k, fresh)
		req := &AccessPackageRequest{
			ID: newGUID(b.r), AccessPackageID: p.ID, RequestorID: requestor, TargetID: target,
			AssignmentID: newGUID(b.r), RequestType: reqType, State: StatePendingApproval, Status: "PendingApproval",
			Justification: b.reason(p.DisplayName), CreatedDateTime: created, Schedule: b.accessPackageSchedule(created),
		}
		for _, q := range p.Questions {
			req.Answers = append(req.Answers, b.answer(q))
		}
		req.Stages = b.stages(p.Policy, k, starts, func(int) string { return newGUID(b.r) }, DefaultAccessPackageTimeout)
		b.t.AccessPackageRequests = append(b.t.AccessPackageRequests, req)
		return req.ID
	}
	return ""
}

func (b *builder) groupRequest(now time.Time, approver string, forApprover, fresh bool) string {
	if len(b.t.Groups) == 0 {
		return ""
	}
	for range 30 {
		g := &b.t.Groups[b.r.IntN(len(b.t.Groups))]
		accessID, policy := "member", g.MemberPolicy
		if b.r.IntN(4) == 0 {
			accessID, policy = "owner", g.OwnerPolicy
		}
		principal := pick(b.r, b.requestors)
		if b.r.IntN(10) == 0 && len(b.t.Approvers) > 1 { // approvers need elevation too
			principal = pick(b.r, b.t.Approvers[1:])
		}
		createdBy, action := principal, "selfActivate"
		if b.r.IntN(10) < 3 {
			createdBy, action = pick(b.r, b.admins), "adminAssign"
			if createdBy == principal {
				continue
			}
		}
		ks := candidateStages(policy, approver, forApprover, true, principal, createdBy)
		if len(ks) == 0 {
			continue
		}
		created, starts := b.timeline(now, stageTimeouts(policy, DefaultGroupTimeout)[:1], 0, fresh)
		req := &GroupRequest{
			ID: newGUID(b.r), GroupID: g.ID, PrincipalID: principal, CreatedByID: createdBy, AccessID: accessID,
			Action: action, Status: PIMPendingApproval, Justification: b.reason(g.DisplayName),
			CreatedDateTime: created, ScheduleInfo: b.groupSchedule(created, action),
		}
		if b.r.IntN(100) < 45 {
			req.TicketNumber, req.TicketSystem = b.ticket()
		}
		id := req.ID
		req.Stages = b.stages(Policy{Stages: policy.Stages[:1]}, 0, starts, func(int) string { return id }, DefaultGroupTimeout)
		b.t.GroupRequests = append(b.t.GroupRequests, req)
		return req.ID
	}
	return ""
}

func stageTimeouts(p Policy, def string) []time.Duration {
	out := make([]time.Duration, len(p.Stages))
	for i, s := range p.Stages {
		d, err := parseISODuration(cmpOr(s.Timeout, def))
		if err != nil || d <= 0 {
			d, _ = parseISODuration(def)
		}
		out[i] = d
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// timeline picks when the request was created and when each stage up to
// the current one (k) started. The current stage is never past its
// deadline; about one in ten is close to it, so urgency shows. Nothing is
// older than about 13.5 days.
func (b *builder) timeline(now time.Time, timeouts []time.Duration, k int, fresh bool) (time.Time, []time.Time) {
	starts := make([]time.Time, k+1)
	if fresh {
		for i := range starts {
			starts[i] = now
		}
		return now, starts
	}
	const day = 24 * time.Hour
	timeout := timeouts[k]
	var age time.Duration
	if b.r.IntN(10) == 0 { // close to its deadline
		age = timeout - 15*time.Minute - time.Duration(b.r.Int64N(int64(3*time.Hour)))
	} else {
		u := b.r.Float64() // squared: most requests are recent
		age = 2*time.Minute + time.Duration(u*u*float64(min(timeout, 13*day)-20*time.Minute))
	}
	age = max(min(age, timeout-10*time.Minute), time.Minute)
	starts[k] = now.Add(-age).Truncate(time.Millisecond)
	budget := 13*day + 12*time.Hour - age // how far back earlier stages may go
	for i := k - 1; i >= 0; i-- {
		d := 20*time.Minute + time.Duration(b.r.Int64N(int64(36*time.Hour)))
		d = min(d, timeouts[i]-10*time.Minute, budget/time.Duration(i+1))
		d = max(d, time.Minute)
		budget -= d
		starts[i] = starts[i+1].Add(-d - time.Duration(b.r.Int64N(int64(time.Second)))).Truncate(time.Millisecond)
	}
	return starts[0], starts
}

// stages copies the policy into a request's stages: those before k
// approved by someone (not the requestor), k in progress, the rest
// waiting to start.
func (b *builder) stages(p Policy, k int, starts []time.Time, id func(int) string, def string) []Stage {
	out := make([]Stage, len(p.Stages))
	for i, sp := range p.Stages {
		s := Stage{ID: id(i), DisplayName: sp.DisplayName, Approvers: slices.Clone(sp.Approvers),
			JustificationRequired: sp.JustificationRequired, Timeout: cmpOr(sp.Timeout, def),
			Status: StatusInitializing, ReviewResult: ResultNotReviewed}
		switch {
		case i < k:
			s.Status, s.ReviewResult, s.StartedDateTime = StatusCompleted, ResultApproved, starts[i]
			s.ReviewedBy = b.reviewer(sp.Approvers)
			s.ReviewedDateTime = starts[i+1]
			if sp.JustificationRequired || b.r.IntN(10) < 7 {
				s.Justification = pick(b.r, approverReasons)
			}
		case i == k:
			s.Status, s.StartedDateTime = StatusInProgress, starts[i]
		}
		out[i] = s
	}
	return out
}

// reviewer prefers someone other than the demo identity, so earlier stages
// show other people's decisions.
func (b *builder) reviewer(approvers []string) string {
	var others []string
	for _, a := range approvers {
		if len(b.t.Approvers) == 0 || a != b.t.Approvers[0] {
			others = append(others, a)
		}
	}
	if len(others) > 0 {
		return pick(b.r, others)
	}
	return pick(b.r, approvers)
}

func (b *builder) reason(resource string) string {
	n := b.r.IntN(1000)
	switch {
	case n < 5:
		return pick(b.r, hostileStrings)
	case n < 85:
		return ""
	case n < 600:
		return pick(b.r, shortReasons)
	case n < 620:
		return pick(b.r, shortReasons) + "\n\n" + pick(b.r, longReasonParts[3:])
	}
	parts := slices.Clone(longReasonParts)
	b.r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	var sb strings.Builder
	for i, p := range parts[:2+b.r.IntN(3)] {
		if i > 0 {
			sb.WriteByte(' ')
		}
		if strings.Contains(p, "%s") {
			p = fmt.Sprintf(p, resource)
		}
		sb.WriteString(p)
	}
	return sb.String()
}

func (b *builder) answer(q Question) Answer {
	if q.Kind == "multipleChoice" && len(q.Choices) > 0 {
		c := pick(b.r, q.Choices)
		return Answer{QuestionID: q.ID, Value: c.ActualValue, DisplayValue: c.Text}
	}
	for _, qs := range []questionSeed{costCenterQ, projectQ, managerQ} {
		if qs.text == q.Text {
			v := pick(b.r, qs.answers)
			return Answer{QuestionID: q.ID, Value: v, DisplayValue: v}
		}
	}
	v := pick(b.r, shortReasons)
	return Answer{QuestionID: q.ID, Value: v, DisplayValue: v}
}

func (b *builder) accessPackageSchedule(created time.Time) Schedule {
	start := created
	if b.r.IntN(10) == 0 {
		start = created.Add(time.Duration(1+b.r.IntN(7)) * 24 * time.Hour).Truncate(time.Hour)
	}
	switch n := b.r.IntN(10); {
	case n < 4:
		return Schedule{StartDateTime: start, ExpirationType: "noExpiration"}
	case n < 7:
		return Schedule{StartDateTime: start, ExpirationType: "afterDuration", Duration: pick(b.r, []string{"P30D", "P90D", "P180D", "P365D"})}
	default:
		end := start.Add(time.Duration(7+b.r.IntN(180)) * 24 * time.Hour).Truncate(time.Hour)
		return Schedule{StartDateTime: start, ExpirationType: "afterDateTime", EndDateTime: end}
	}
}

func (b *builder) groupSchedule(created time.Time, action string) Schedule {
	if action == "selfActivate" {
		return Schedule{StartDateTime: created, ExpirationType: "afterDuration", Duration: pick(b.r, []string{"PT1H", "PT2H", "PT4H", "PT8H"})}
	}
	start := created.Add(time.Duration(b.r.IntN(3)) * 24 * time.Hour)
	switch b.r.IntN(10) {
	case 0, 1:
		return Schedule{StartDateTime: start, ExpirationType: "noExpiration"}
	case 2, 3, 4:
		return Schedule{StartDateTime: start, ExpirationType: "afterDuration", Duration: pick(b.r, []string{"P30D", "P90D"})}
	}
	return Schedule{StartDateTime: start, ExpirationType: "afterDateTime",
		EndDateTime: start.Add(time.Duration(30+b.r.IntN(335)) * 24 * time.Hour).Truncate(time.Hour)}
}

func (b *builder) ticket() (number, system string) {
	if b.r.IntN(5) == 0 {
		return fmt.Sprintf("OPS-%d", 1000+b.r.IntN(9000)), "Jira"
	}
	return fmt.Sprintf("%s%07d", pick(b.r, ticketPrefixes), 10000+b.r.IntN(90000)), "ServiceNow"
}
