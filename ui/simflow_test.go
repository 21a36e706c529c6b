package ui

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"approvals/graph"
	"approvals/graph/sim"
	"approvals/ui/internal/termtest"
)

// End-to-end flows: the inbox drives the real Graph client against the
// simulated tenant over loopback HTTP, and the screen is read through a
// terminal emulator.

type simInbox struct {
	srv    *sim.Server
	client *graph.Client
	me     sim.User
	tm     *teatest.TestModel
	scr    *termtest.Screen
}

func startSimInbox(t *testing.T, seed int64) *simInbox {
	t.Helper()
	srv := sim.New(sim.Options{Seed: seed, Approvals: 16})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); ts.Close() })
	me := srv.Approvers()[0]
	client, err := graph.New(graph.Options{GraphURL: ts.URL, Credential: graph.StaticToken(me.UserPrincipalName)})
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Backend: client, Identity: me.UserPrincipalName, Theme: ThemeDark,
		PollInterval: time.Hour, UndoWindow: 300 * time.Millisecond, GracePeriod: -1}) // the grace period has its own clocked test
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40), teatest.WithProgramOptions(
		tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithColorProfile(colorprofile.ANSI256)))
	scr := termtest.New(120, 40, nil, true) // teatest's output is not a tty: \n means CR LF
	t.Cleanup(scr.Close)
	s := &simInbox{srv: srv, client: client, me: me, tm: tm, scr: scr}
	s.scr.WaitFor(t, s.tm.Output(), 10*time.Second, "the inbox", termtest.Loaded("waiting", "sort: urgency"))
	return s
}

func (s *simInbox) waitFor(t *testing.T, what string, parts ...string) string {
	t.Helper()
	return s.scr.WaitFor(t, s.tm.Output(), 10*time.Second, what, termtest.Contains(parts...))
}

func (s *simInbox) key(k string) { s.tm.Send(keyOf(k)) }

// only filters the list down to one approval by its id.
func (s *simInbox) only(t *testing.T, id string) {
	t.Helper()
	s.tm.Type("/" + id)
	s.key("enter")
	s.scr.WaitFor(t, s.tm.Output(), 10*time.Second, "the filter on "+id, termtest.FilteredTo(id))
}

// openForm presses a decision key and waits for the form.
func (s *simInbox) openForm(t *testing.T, key, title string) {
	t.Helper()
	s.tm.Type(key)
	s.waitFor(t, "the form", title)
}

func (s *simInbox) quit(t *testing.T) {
	t.Helper()
	s.tm.Type("q")
	s.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// myApprovals lists what waits for me, as the client sees it.
func myApprovals(t *testing.T, c *graph.Client) []graph.Approval {
	t.Helper()
	snap, err := c.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []graph.Approval
	for _, a := range snap.Approvals {
		if _, _, ok := a.MyStage(); ok {
			out = append(out, a)
		}
	}
	if len(out) < 3 {
		t.Fatalf("only %d approvals wait for me", len(out))
	}
	return out
}

func TestSimApproveOne(t *testing.T) {
	t.Parallel()
	s := startSimInbox(t, 11)
	target := myApprovals(t, s.client)[0]
	st, _, _ := target.MyStage()
	s.only(t, target.ID)
	s.openForm(t, "a", "Approve: ")
	const why = "Checked with the service owner"
	s.tm.Type(why)
	s.waitFor(t, "the typed justification", why)
	s.key("enter")
	s.waitFor(t, "the undo countdown", "press u to undo")
	s.waitFor(t, "the outcome", "Approved — ")
	state, ok := s.srv.StageState(target.ID, st.ID)
	if !ok || state.ReviewResult != "Approved" || state.Justification != why || state.ReviewedBy != s.me.ID || state.PatchesApplied != 1 {
		t.Fatalf("simulator has %+v", state)
	}
	s.quit(t)
}

func TestSimBulkDenyWithOneTakenMeanwhile(t *testing.T) {
	t.Parallel()
	s := startSimInbox(t, 12)
	mine := myApprovals(t, s.client)
	tenant := s.srv.Tenant()
	taken, other := pickShared(tenant, mine, s.me.ID)
	if taken.ID == "" {
		t.Fatal("no approval in this tenant has a second approver on my stage; pick another seed")
	}
	targets := []graph.Approval{taken}
	for _, a := range mine {
		if a.Ref != taken.Ref && len(targets) < 3 {
			targets = append(targets, a)
		}
	}
	for _, a := range targets {
		s.only(t, a.ID)
		s.key("space")
		s.key("esc") // clear the filter; the mark stays
	}
	s.waitFor(t, "the marks", "3 marked")

	// Someone else decides one of them between marking and submitting.
	takenStage, _, _ := taken.MyStage()
	if err := s.srv.DecideAs(other, taken.ID, takenStage.ID, "Approve", "covered by the on-call approver"); err != nil {
		t.Fatal(err)
	}

	s.openForm(t, "d", "Deny 3 requests")
	const why = "Not needed for this project"
	s.tm.Type(why)
	s.key("enter")
	s.waitFor(t, "the summary", "Done: 2 denied · 1 already decided by ")
	for _, a := range targets {
		st, _, _ := a.MyStage()
		state, _ := s.srv.StageState(a.ID, st.ID)
		if a.Ref == taken.Ref {
			if state.ReviewResult != "Approved" || state.ReviewedBy == s.me.ID || state.PatchesApplied != 0 {
				t.Errorf("the taken stage is %+v", state)
			}
			continue
		}
		if state.ReviewResult != "Denied" || state.Justification != why || state.PatchesApplied != 1 {
			t.Errorf("%s: %+v", a.ID, state)
		}
	}
	s.quit(t)
}

// pickShared finds an approval of mine whose stage in progress has another
// approver, and that approver.
func pickShared(t *sim.Tenant, mine []graph.Approval, me string) (graph.Approval, string) {
	stagesOf := map[string][]sim.Stage{}
	for _, r := range t.AccessPackageRequests {
		stagesOf[r.ID] = r.Stages
	}
	for _, r := range t.GroupRequests {
		stagesOf[r.ID] = r.Stages
	}
	for _, a := range mine {
		st, _, _ := a.MyStage()
		for _, s := range stagesOf[a.ID] {
			if s.ID != st.ID || !slices.Contains(s.Approvers, me) {
				continue
			}
			for _, u := range s.Approvers {
				if u != me {
					return a, u
				}
			}
		}
	}
	return graph.Approval{}, ""
}
