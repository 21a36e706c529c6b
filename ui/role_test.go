package ui

import (
	"strings"
	"testing"
	"time"

	"approvals/graph"
)

// roleApprovals are two Entra role requests: one to decide, one extension
// that can only be decided in the portal.
func roleApprovals() []graph.Approval {
	alex := graph.Subject{ID: "u-alex", DisplayName: "Alex Wilber", PrincipalName: "alexw@contoso.com"}
	role := func(id, action, portal string, created time.Time) graph.Approval {
		return graph.Approval{
			Ref: graph.Ref{Source: graph.SourceRole, ID: id}, RequestID: id, Kind: graph.KindRole,
			Requestor: alex, Target: alex, RequestType: action, RequestState: "PendingApproval",
			Resource:      graph.Resource{ID: "62e90394-69f5-4237-9190-012177145e10", DisplayName: "Global Administrator", ScopeID: "/", ScopeName: "Directory"},
			Justification: "Fix the VPN policy", TicketNumber: "INC0001234", Created: created,
			Schedule: graph.Schedule{Start: created, ExpirationType: "afterDuration", Duration: "PT5H30M"},
			Stages:   []graph.Stage{stage(id+"-step", "", true, graph.StageInProgress, graph.NotReviewed)},
			Deadline: created.Add(24 * time.Hour), PortalOnly: portal,
		}
	}
	return []graph.Approval{
		role("role-1", "selfActivate", "", t0.Add(-2*time.Hour)),
		role("role-ext", "selfExtend", "selfExtend requests cannot be decided through Microsoft Graph: decide it in the Microsoft Entra admin center", t0.Add(-time.Hour)),
	}
}

func TestRoleRowsAndDetail(t *testing.T) {
	t.Parallel()
	m, fb, _ := newLoaded(t, 160, 40)
	snap := &graph.Snapshot{Approvals: roleApprovals(), At: t0, Sources: []graph.SourceStatus{
		{Source: graph.SourceRole, State: graph.StatePortalOnly, Detail: "the beta API is gone", Fix: "decide Entra role requests in the portal"}}}
	fb.snap = snap
	load(m, snap)
	out := screen(m)
	for _, want := range []string{"role ", "Global Administrator · Directory", "Directory role (PIM)", "Role", "Scope", "Principal",
		"Alex Wilber <alexw@contoso.com>", "INC0001234", "Fix the VPN policy", "for 5h 30m",
		"Entra roles: listed, but decide in the portal (the beta API is gone); decide Entra role requests in the portal"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "(estimated)") {
		t.Errorf("a role's deadline is exact, not estimated:\n%s", out)
	}
	// The extension: a says why, the form never opens, nothing is sent.
	press(m, "j")
	if !strings.Contains(screen(m), "decide it in the Microsoft Entra admin center") {
		t.Fatalf("the detail does not say where to decide:\n%s", screen(m))
	}
	press(m, "a")
	if m.form() != nil || !strings.Contains(m.note.text, "Cannot be decided here: selfExtend requests cannot be decided") {
		t.Fatalf("form %v, note %q", m.form() != nil, m.note.text)
	}
	if len(fb.requests()) != 0 {
		t.Fatalf("sent: %+v", fb.requests())
	}
}
