package sim

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func tenantBytes(t testing.TB, tn *Tenant) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTenant(&buf, tn); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := tenantBytes(t, Generate(42, 200, testNow))
	b := tenantBytes(t, Generate(42, 200, testNow))
	if !bytes.Equal(a, b) {
		t.Fatal("same seed, n and now gave different tenants")
	}
	if bytes.Equal(a, tenantBytes(t, Generate(43, 200, testNow))) {
		t.Error("a different seed gave the same tenant")
	}
	if bytes.Equal(a, tenantBytes(t, Generate(42, 200, testNow.Add(time.Hour)))) {
		t.Error("a different now gave the same tenant")
	}
}

// waitingFor counts the pending requests whose stage in progress lists id.
func waitingFor(tn *Tenant, id string) (em, pim int) {
	for _, r := range tn.AccessPackageRequests {
		if i := currentStage(r.Stages); r.State == StatePendingApproval && i >= 0 && slices.Contains(r.Stages[i].Approvers, id) {
			em++
		}
	}
	for _, r := range tn.GroupRequests {
		if i := currentStage(r.Stages); r.Status == PIMPendingApproval && i >= 0 && slices.Contains(r.Stages[i].Approvers, id) {
			pim++
		}
	}
	return em, pim
}

func TestGenerateCountsForTheDemoIdentity(t *testing.T) {
	for _, n := range []int{0, 1, 7, 40, 500} {
		tn := Generate(1, n, testNow)
		if err := tn.Validate(); err != nil {
			t.Fatalf("n=%d: invalid tenant: %v", n, err)
		}
		em, pim := waitingFor(tn, tn.Approvers[0])
		if em+pim != n {
			t.Errorf("n=%d: %d approvals wait for the demo identity", n, em+pim)
		}
		if n == 500 && (em < 250 || em > 350) {
			t.Errorf("n=500: %d EM, %d PIM; want about 60%% EM", em, pim)
		}
		if total := len(tn.AccessPackageRequests) + len(tn.GroupRequests); total != n+n/4 {
			t.Errorf("n=%d: %d requests in all, want n + n/4", n, total)
		}
	}
}

func TestGenerateIsRealistic(t *testing.T) {
	tn := Generate(5, 400, testNow)
	users := map[string]User{}
	for _, u := range tn.Users {
		users[u.ID] = u
	}
	if n := len(tn.Approvers); n < 3 || n > 6 {
		t.Errorf("%d approvers", n)
	}
	if u := users[tn.Approvers[0]]; u.UserPrincipalName != "megan@contoso.com" {
		t.Errorf("demo identity %q", u.UserPrincipalName)
	}
	upn := regexp.MustCompile(`^[a-z]+(\.[a-z]+)?[0-9]*@contoso\.com$`)
	dotted := 0
	for _, u := range tn.Users {
		if !upn.MatchString(u.UserPrincipalName) {
			t.Errorf("UPN %q", u.UserPrincipalName)
		}
		if strings.Contains(u.UserPrincipalName, ".") && strings.Count(u.UserPrincipalName, ".") == 2 {
			dotted++
		}
	}
	if dotted < len(tn.Users)/2 {
		t.Errorf("only %d first.last UPNs", dotted)
	}
	var later, severalApprovers, jusRequired, adminAdd, userUpdate, emptyJust, longJust, owner, adminAssign, tickets, nearDeadline int
	kinds := map[string]int{}
	for _, r := range tn.AccessPackageRequests {
		checkTimes(t, r.CreatedDateTime, r.Stages, DefaultAccessPackageTimeout)
		i := currentStage(r.Stages)
		if i > 0 {
			later++
			for _, s := range r.Stages[:i] {
				if s.ReviewResult != ResultApproved || s.ReviewedBy == "" || s.ReviewedDateTime.IsZero() {
					t.Errorf("%s: earlier stage not approved by someone: %+v", r.ID, s)
				}
				if s.JustificationRequired && s.Justification == "" {
					t.Errorf("%s: required justification missing", r.ID)
				}
			}
		}
		for _, s := range r.Stages {
			if len(s.Approvers) > 1 {
				severalApprovers++
			}
			if s.JustificationRequired {
				jusRequired++
			}
			if slices.Contains(s.Approvers, r.RequestorID) || slices.Contains(s.Approvers, r.TargetID) {
				t.Errorf("%s: requestor or target approves their own request", r.ID)
			}
		}
		switch r.RequestType {
		case "adminAdd":
			adminAdd++
			if r.TargetID == r.RequestorID {
				t.Errorf("%s: adminAdd for oneself", r.ID)
			}
		case "userUpdate":
			userUpdate++
		}
		if r.Justification == "" {
			emptyJust++
		}
		if len(r.Justification) > 200 {
			longJust++
		}
		kinds[r.Schedule.ExpirationType]++
		if d := deadline(&r.Stages[i], DefaultAccessPackageTimeout); d.Sub(testNow) < 4*time.Hour {
			nearDeadline++
		}
	}
	for _, r := range tn.GroupRequests {
		checkTimes(t, r.CreatedDateTime, r.Stages, DefaultGroupTimeout)
		if len(r.Stages) != 1 || r.Stages[0].ID != r.ID {
			t.Errorf("%s: PIM stages %+v", r.ID, r.Stages)
		}
		if r.AccessID == "owner" {
			owner++
		}
		if r.Action == "adminAssign" {
			adminAssign++
		}
		if r.TicketNumber != "" {
			tickets++
		}
		if d := deadline(&r.Stages[0], DefaultGroupTimeout); d.Sub(testNow) < 4*time.Hour {
			nearDeadline++
		}
	}
	for name, n := range map[string]int{"later stages": later, "several approvers": severalApprovers,
		"justification required": jusRequired, "adminAdd": adminAdd, "userUpdate": userUpdate, "empty justification": emptyJust,
		"long justification": longJust, "owner": owner, "adminAssign": adminAssign, "tickets": tickets,
		"near deadline": nearDeadline, "noExpiration": kinds["noExpiration"], "afterDuration": kinds["afterDuration"],
		"afterDateTime": kinds["afterDateTime"]} {
		if n < 3 {
			t.Errorf("too few %s: %d", name, n)
		}
	}
}

// checkTimes: created within ~14 days, stages start in order, the stage in
// progress not yet expired.
func checkTimes(t *testing.T, created time.Time, stages []Stage, def string) {
	t.Helper()
	if age := testNow.Sub(created); age < 0 || age > 14*24*time.Hour {
		t.Errorf("created %v before now", age)
	}
	i := currentStage(stages)
	if i < 0 {
		t.Fatalf("no stage in progress")
	}
	if !deadline(&stages[i], def).After(testNow) {
		t.Errorf("stage in progress already expired")
	}
	if stages[0].StartedDateTime.Before(created) {
		t.Errorf("stage 1 starts before the request")
	}
	for k := 1; k <= i; k++ {
		if stages[k].StartedDateTime.Before(stages[k-1].StartedDateTime) {
			t.Errorf("stage %d starts before stage %d", k+1, k)
		}
	}
}

func BenchmarkGenerate10k(b *testing.B) {
	for b.Loop() {
		Generate(1, 10000, testNow)
	}
}

func BenchmarkNew10k(b *testing.B) {
	for b.Loop() {
		New(Options{Seed: 1, Approvals: 10000, Clock: func() time.Time { return testNow }})
	}
}
