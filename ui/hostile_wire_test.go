package ui

// Hostile input over the real wire: a tenant whose every displayed string
// attacks the terminal, served by the simulator, read by the real client,
// drawn by a real Bubble Tea program. The assertions are on the bytes the
// program wrote, and on the screen a terminal emulator made of them.

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"approvals/graph"
	"approvals/graph/sim"
	evil "approvals/graph/sim/hostile"
	"approvals/ui/internal/termtest"
)

// evilErrors answers, once armed, every PATCH with a 400 and every PIM
// listing with a 403 whose Graph error body is hostile.
type evilErrors struct {
	next  http.Handler
	armed atomic.Bool
}

func (e *evilErrors) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if e.armed.Load() {
		status := 0
		switch {
		case r.Method == http.MethodPatch:
			status = http.StatusBadRequest
		case strings.Contains(r.URL.Path, "assignmentScheduleRequests/filterByCurrentUser"):
			status = http.StatusForbidden
		}
		if status != 0 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, evil.ErrorBody())
			return
		}
	}
	e.next.ServeHTTP(w, r)
}

func TestHostileTenantOverTheWireIsSafeOnScreen(t *testing.T) {
	t.Parallel()
	srv := sim.New(sim.Options{Seed: 1, Tenant: evil.Tenant(time.Now().UTC())})
	errs := &evilErrors{next: srv}
	ts := httptest.NewServer(errs)
	t.Cleanup(func() { srv.Close(); ts.Close() })
	client, err := graph.New(graph.Options{GraphURL: ts.URL, Credential: graph.StaticToken(evil.MeUPN), MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Backend: client, Identity: evil.Text("me"), Theme: ThemeDark, PollInterval: time.Hour,
		GracePeriod: -1, Templates: map[graph.Decision][]string{graph.Approve: {evil.Text("template")}}})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40), teatest.WithProgramOptions(
		tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithColorProfile(colorprofile.ANSI256)))
	var raw bytes.Buffer
	out := io.TeeReader(tm.Output(), &raw)
	scr := termtest.New(120, 40, nil, true)
	t.Cleanup(scr.Close)
	wait := func(what string, parts ...string) string {
		t.Helper()
		return scr.WaitFor(t, out, 10*time.Second, what, termtest.Contains(parts...))
	}
	key := func(keys ...string) {
		for _, k := range keys {
			tm.Send(keyOf(k))
		}
	}

	screens := map[string]string{}
	screens["list"] = wait("the hostile inbox", "2 waiting", "Mallory")
	for _, k := range []string{"s", "s", "s"} { // every sort order
		key(k)
	}
	// by beneficiary: Mallory's PIM request, then the package for Other
	screens["PIM detail"] = wait("the PIM request's detail", "Group mail", "Ticket", "ticketlink")
	key("j")
	screens["detail"] = wait("the detail", "Requestor", "Catalog", "Justification")
	for range 200 { // past the requestor's justification and answer, 4096 characters each
		key("J")
	}
	screens["detail scrolled"] = wait("the last stage", "2. stage", "waiting for you")
	key("?")
	screens["help"] = wait("help", "Keys")
	key("esc")

	errs.armed.Store(true)
	key("r")
	screens["source error"] = wait("the hostile listing error", "could not be listed")
	key("g", "a")
	wait("the form", "Approve")
	key("tab") // the hostile template
	screens["form"] = wait("the template", "template")
	key("enter")
	screens["failure"] = wait("the hostile decision error", "Failed")

	key("q")
	screens["quit"] = wait("the quit question", "will be lost") // the failed decision's text
	key("y")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	rest, _ := io.ReadAll(tm.FinalOutput(t))
	raw.Write(rest)

	for _, p := range evil.CheckTerminal(raw.Bytes()) {
		t.Errorf("unsafe output: %s", p)
	}
	for name, s := range screens {
		checkColumns(t, name, s, 120, 40)
	}
	if !strings.Contains(screens["failure"], "Failed — Mallory") || !strings.Contains(screens["failure"], ": messagelink") || !strings.Contains(screens["source error"], "showing the rest: messagelink") {
		t.Errorf("the server's words are not shown at all:\n%s\n%s", screens["source error"], screens["failure"])
	}
	if st, _ := srv.StageState(evil.PIMID, evil.PIMID); st.PatchAttempts != 0 {
		// the wrapper answered, the simulator never saw it
		t.Errorf("the simulator saw a PATCH: %+v", st)
	}
}

// checkColumns: a screen as the emulator shows it fits the terminal, and
// in the two-pane layout every body row has its divider in one column.
func checkColumns(t *testing.T, name, screen string, w, h int) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	if len(lines) > h {
		t.Errorf("%s: %d lines on a %d-line terminal", name, len(lines), h)
	}
	col := -1
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%s: line %d is %d columns wide", name, i, lw)
		}
		j := strings.Index(l, "│")
		switch {
		case j < 0 || i == 0 || name == "help":
		case j == 0: // the form's box: closed on the right edge
			if !strings.HasSuffix(l, "│") || ansi.StringWidth(l) != w {
				t.Errorf("%s: row %d of the form box is not %d columns between its borders:\n%s", name, i, w, screen)
				return
			}
		default: // the panes' divider: one column for every row
			c := ansi.StringWidth(l[:j])
			if col < 0 {
				col = c
			}
			if c != col {
				t.Errorf("%s: row %d has its divider at column %d, not %d:\n%s", name, i, c, col, screen)
				return
			}
		}
	}
}
