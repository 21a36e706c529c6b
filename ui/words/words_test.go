package words

import (
	"testing"
	"time"

	"approvals/graph"
)

var now = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func TestDurationsAndTimes(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Span(30 * time.Second), "<1m"},
		{Span(45 * time.Minute), "45m"},
		{Span(47 * time.Hour), "47h"},
		{Span(13*24*time.Hour + time.Hour), "13d"},
		{Age(now, time.Time{}), Unknown},
		{Age(now, now.Add(-10*time.Second)), "now"},
		{Age(now, now.Add(-3*time.Hour)), "3h"},
		{TimeLeft(now, time.Time{}, false), Unknown},
		{TimeLeft(now, now.Add(5*time.Hour), false), "5h"},
		{TimeLeft(now, now.Add(13*24*time.Hour), true), "~13d"},
		{TimeLeft(now, now.Add(-time.Hour), false), "overdue"},
		{Relative(now, now.Add(2*time.Hour)), "in 2h"},
		{Relative(now, now.Add(-72*time.Hour)), "3d ago"},
		{Relative(now, now.Add(10*time.Second)), "just now"},
		{Updated(now, time.Time{}), "not updated yet"},
		{Updated(now, now.Add(-2*time.Minute)), "updated 2m ago"},
		{Countdown(4200 * time.Millisecond), "5s"},
		{Countdown(125 * time.Second), "2:05"},
		{Clock(now, time.UTC), "2026-03-02 09:30 UTC"},
		{Clock(now, time.FixedZone("CET", 3600)), "2026-03-02 10:30 CET"},
		{Clock(time.Time{}, time.UTC), Unknown},
		{ISODuration("PT8H"), "8h"},
		{ISODuration("P1DT2H30M"), "1d 2h 30m"},
		{ISODuration("P2M"), "2mo"},
		{ISODuration("PTT8H"), "PTT8H"},
		{ISODuration("8 hours\x1b[2J"), "8 hours"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestKinds(t *testing.T) {
	if Kind(graph.KindGroupOwner) != "owner" || Kind(graph.KindRole) != "role" || Kind("x\x1b[31m") != "x" {
		t.Errorf("Kind: %q %q %q", Kind(graph.KindGroupOwner), Kind(graph.KindRole), Kind("x\x1b[31m"))
	}
	if KindLong(graph.KindAzureRole) != "Azure resource role (PIM)" || KindLong("new") != "Request (new)" {
		t.Error(KindLong(graph.KindAzureRole), KindLong("new"))
	}
}

func onBehalf() graph.Approval {
	return graph.Approval{
		Kind:      graph.KindGroupOwner,
		Requestor: graph.Subject{ID: "u-yusuf", DisplayName: "Yusuf Chen"},
		Target:    graph.Subject{ID: "u-chloe", DisplayName: "Chloé Adeyemi"},
		Resource:  graph.Resource{DisplayName: "PIM-Dev-K8s-Operators"},
		Stages: []graph.Stage{
			{ID: "s1", DisplayName: "Manager", AssignedToMe: true, Status: graph.StageInProgress},
			{ID: "s2", DisplayName: "Security review", Status: graph.StageInitializing},
			{ID: "s3", Status: graph.StageInitializing},
		},
	}
}

func TestWhoGetsAccess(t *testing.T) {
	a := onBehalf()
	if got, want := Title(a), "Chloé Adeyemi (asked by Yusuf Chen) → PIM-Dev-K8s-Operators · owner"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if !IsMe(a, graph.Identity{ID: "U-CHLOE"}) || IsMe(a, graph.Identity{ID: "u-yusuf"}) {
		t.Error("IsMe must look at the beneficiary")
	}
	self := a
	self.Target = graph.Subject{ID: "u-yusuf", DisplayName: "Yusuf C."}
	if OnBehalf(self) || Who(self) != "Yusuf C." {
		t.Errorf("same id, different names: OnBehalf %v, Who %q", OnBehalf(self), Who(self))
	}
	noTarget := a
	noTarget.Target = graph.Subject{}
	if OnBehalf(noTarget) || Who(noTarget) != "Yusuf Chen" {
		t.Errorf("no target: %q", Who(noTarget))
	}
	evil := a
	evil.Target = graph.Subject{ID: "x", DisplayName: "\x1b]0;pwn\x07 \u202e"}
	evil.Resource = graph.Resource{DisplayName: "Ops\x1b[2J", ScopeName: "sub / rg"}
	evil.Kind = graph.KindAzureRole
	if got, want := Title(evil), "x (asked by Yusuf Chen) → Ops · sub / rg"; got != want {
		t.Errorf("hostile Title = %q, want %q", got, want)
	}
	if got := Contact(graph.Subject{DisplayName: "Ada", Email: "ada@contoso.com"}); got != "Ada <ada@contoso.com>" {
		t.Error(got)
	}
}

func TestStages(t *testing.T) {
	a := onBehalf()
	if StageOf(a) != "1 of 3" || StageOf(graph.Approval{}) != Unknown {
		t.Errorf("StageOf %q %q", StageOf(a), StageOf(graph.Approval{}))
	}
	for _, tc := range []struct{ got, want string }{
		{StageHeading(a, 0), "Stage 1 of 3 · Manager"},
		{StageHeading(a, 2), "Final stage (3 of 3)"},
		{StageHeading(graph.Approval{Stages: a.Stages[:1]}, 0), "Only stage · Manager"},
		{Effect(graph.Approve, a, 0), "approving sends it to stage 2 (Security review)"},
		{Effect(graph.Approve, a, 1), "approving sends it to stage 3"},
		{Effect(graph.Approve, a, 2), "approving grants access"},
		{Effect(graph.Deny, a, 0), "denying ends the request"},
		{Decided(graph.Approve, 0, 3), "approved stage 1 of 3 (2 stages remain)"},
		{Decided(graph.Approve, 1, 3), "approved stage 2 of 3 (1 stage remains)"},
		{Decided(graph.Approve, 2, 3), "approved stage 3 of 3 (access granted)"},
		{Decided(graph.Deny, 0, 3), "denied stage 1 of 3 (the request ends)"},
		{Decided(graph.Deny, -1, 0), "denied"},
		{StageName(a, 2), "Stage 3"},
		{StageStatus(graph.StageInitializing), "not started"},
		{StageStatus("Weird\x1b[1m"), "Weird"},
		{Result(graph.NotReviewed), "Not reviewed"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if Complete(graph.Approve, 0, 3) || !Complete(graph.Approve, 2, 3) || !Complete(graph.Deny, 0, 3) {
		t.Error("Complete")
	}
}
