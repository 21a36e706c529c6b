package cli

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/spf13/cobra"

	"approvals/graph/sim"
)

// canary is the token the CLI is given. The transport swaps it for the
// simulator identity on the way out, so it never has a reason to appear in
// any output: every run is checked for it.
const canary = "tok-CANARY-5e1f0c7a9b"

var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// Fixed ids so golden files stay readable and stable.
const (
	meID     = "10000000-0000-4000-8000-000000000001"
	alexID   = "10000000-0000-4000-8000-000000000002"
	adeleID  = "10000000-0000-4000-8000-000000000003"
	leeID    = "10000000-0000-4000-8000-000000000004"
	evilID   = "10000000-0000-4000-8000-000000000005"
	catID    = "20000000-0000-4000-8000-000000000001"
	salesID  = "30000000-0000-4000-8000-000000000001"
	finID    = "30000000-0000-4000-8000-000000000002"
	groupID  = "40000000-0000-4000-8000-000000000001"
	reqSales = "50000000-0000-4000-8000-000000000001" // 3 stages, mine is the 2nd
	reqFin   = "50000000-0000-4000-8000-000000000002" // me or Alex
	reqEvil  = "50000000-0000-4000-8000-000000000003" // hostile strings
	reqLee   = "50000000-0000-4000-8000-000000000004"
	reqGroup = "60000000-0000-4000-8000-000000000001" // PIM for Groups: Lee Gu asks for Adele Vance
)

func stage(id, name string, status, result string, approvers ...string) sim.Stage {
	return sim.Stage{ID: id, DisplayName: name, Approvers: approvers, Status: status, ReviewResult: result}
}

// tenant is a small hand-made tenant with every shape the CLI prints.
func tenant() *sim.Tenant {
	users := []sim.User{
		{ID: meID, DisplayName: "Megan Bowen", UserPrincipalName: "megan@contoso.com", Mail: "megan@contoso.com"},
		{ID: alexID, DisplayName: "Alex Wilber", UserPrincipalName: "alex@contoso.com", Mail: "alex@contoso.com"},
		{ID: adeleID, DisplayName: "Adele Vance", UserPrincipalName: "adele@contoso.com", Mail: "adele@contoso.com"},
		{ID: leeID, DisplayName: "Lee Gu", UserPrincipalName: "lee@contoso.com", Mail: "lee@contoso.com"},
		{ID: evilID, DisplayName: "Mallory\x1b[2J\x1b]0;pwned\x07 \u202eevil\u202c", UserPrincipalName: "mallory@contoso.com"},
	}
	created := func(h int) time.Time { return now.Add(-time.Duration(h) * time.Hour) }
	threeStages := sim.Policy{Stages: []sim.StagePolicy{{DisplayName: "Manager", Approvers: []string{alexID}},
		{DisplayName: "Security", Approvers: []string{meID}}, {DisplayName: "Data owner", Approvers: []string{alexID}}}}
	oneStage := sim.Policy{Stages: []sim.StagePolicy{{DisplayName: "Owners", Approvers: []string{meID, alexID}}}}
	sales := stage("s2", "Security", sim.StatusInProgress, sim.ResultNotReviewed, meID)
	sales.StartedDateTime = created(20)
	mgr := stage("s1", "Manager", sim.StatusCompleted, sim.ResultApproved, alexID)
	mgr.ReviewedBy, mgr.ReviewedDateTime, mgr.Justification = alexID, created(20), "Adele's manager: needed for the\nQ2 pipeline review."
	mgr.StartedDateTime = created(30)
	open := func(id, name string, approvers ...string) sim.Stage {
		s := stage(id, name, sim.StatusInProgress, sim.ResultNotReviewed, approvers...)
		s.StartedDateTime = created(5)
		return s
	}
	return &sim.Tenant{
		Version:   sim.TenantVersion,
		Approvers: []string{meID, alexID},
		Users:     users,
		Catalogs:  []sim.Catalog{{ID: catID, DisplayName: "Sales", CatalogType: "userManaged", State: "published", CreatedDateTime: created(1000), ModifiedDateTime: created(1000)}},
		AccessPackages: []sim.AccessPackage{
			{ID: salesID, CatalogID: catID, DisplayName: "Sales Team Access", Description: "CRM and pipeline reports",
				CreatedDateTime: created(900), ModifiedDateTime: created(900), Policy: threeStages,
				Questions: []sim.Question{{ID: "q1", Kind: "text", Text: "Which region?", Sequence: 1, IsRequired: true}}},
			{ID: finID, CatalogID: catID, DisplayName: "Finance Reports", CreatedDateTime: created(900), ModifiedDateTime: created(900), Policy: oneStage},
		},
		Groups: []sim.Group{{ID: groupID, DisplayName: "SG-Prod-Admins", Mail: "sg-prod-admins@contoso.com", MemberPolicy: oneStage, OwnerPolicy: oneStage}},
		AccessPackageRequests: []*sim.AccessPackageRequest{
			{ID: reqSales, AccessPackageID: salesID, RequestorID: adeleID, TargetID: adeleID, RequestType: "userAdd",
				State: sim.StatePendingApproval, Status: "PendingApproval", Justification: "Joining the EMEA sales team.",
				CreatedDateTime: created(30), Schedule: sim.Schedule{StartDateTime: created(30), ExpirationType: "afterDuration", Duration: "P90D"},
				Answers: []sim.Answer{{QuestionID: "q1", Value: "EMEA"}}, Stages: []sim.Stage{mgr, sales,
					stage("s3", "Data owner", sim.StatusInitializing, sim.ResultNotReviewed, alexID)}},
			{ID: reqFin, AccessPackageID: finID, RequestorID: leeID, TargetID: leeID, RequestType: "userAdd",
				State: sim.StatePendingApproval, Status: "PendingApproval", Justification: "Month-end close.",
				CreatedDateTime: created(5), Schedule: sim.Schedule{ExpirationType: "noExpiration"},
				Stages: []sim.Stage{open("f1", "Owners", meID, alexID)}},
			{ID: reqEvil, AccessPackageID: finID, RequestorID: evilID, TargetID: evilID, RequestType: "userAdd",
				State: sim.StatePendingApproval, Status: "PendingApproval", Justification: "please\x1b[31m approve\u202e now\r\nline two",
				CreatedDateTime: created(3), Schedule: sim.Schedule{ExpirationType: "noExpiration"},
				Stages: []sim.Stage{open("e1", "Owners", meID, alexID)}},
			{ID: reqLee, AccessPackageID: finID, RequestorID: leeID, TargetID: leeID, RequestType: "userAdd",
				State: sim.StatePendingApproval, Status: "PendingApproval", Justification: "Audit support.",
				CreatedDateTime: created(2), Schedule: sim.Schedule{ExpirationType: "noExpiration"},
				Stages: []sim.Stage{open("l1", "Owners", meID, alexID)}},
		},
		GroupRequests: []*sim.GroupRequest{
			{ID: reqGroup, GroupID: groupID, PrincipalID: adeleID, CreatedByID: leeID, AccessID: "member", Action: "adminAssign",
				Status: sim.PIMPendingApproval, Justification: "Deploy hotfix 4.2.1", TicketNumber: "INC-1042", TicketSystem: "ServiceNow",
				CreatedDateTime: created(1), ScheduleInfo: sim.Schedule{StartDateTime: created(1), ExpirationType: "afterDuration", Duration: "PT8H"},
				Stages: []sim.Stage{open(reqGroup, "", meID, alexID)}},
		},
	}
}

// world is a simulated tenant on loopback and a private home folder.
type world struct {
	t        *testing.T
	sim      *sim.Server
	url      string
	home     string
	env      map[string]string
	identity string // who the simulator sees; default meID
	width    int    // the terminal's columns; 0: output is piped
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldWith(t, tenant())
}

func newWorldWith(t *testing.T, tn *sim.Tenant) *world {
	t.Helper()
	srv := sim.New(sim.Options{Seed: 1, Tenant: tn, Clock: func() time.Time { return now }})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	t.Cleanup(srv.Close)
	home := t.TempDir()
	return &world{t: t, sim: srv, url: hs.URL, home: home, env: map[string]string{
		"HOME":                home,
		"XDG_CONFIG_HOME":     filepath.Join(home, "config"),
		"XDG_STATE_HOME":      filepath.Join(home, "state"),
		"XDG_CACHE_HOME":      filepath.Join(home, "cache"),
		"APPROVALS_AUTH":      "token",
		"APPROVALS_TOKEN":     canary,
		"APPROVALS_GRAPH_URL": hs.URL,
	}}
}

// swapToken stands between the CLI and the simulator: it checks the
// CLI sent the canary and forwards the request as the simulator identity.
type swapToken struct{ identity string }

func (s swapToken) Do(req *http.Request) (*http.Response, error) {
	if got := req.Header.Get("Authorization"); got != "Bearer "+canary {
		return nil, fmt.Errorf("test transport: unexpected Authorization header")
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+s.identity)
	return http.DefaultTransport.RoundTrip(r)
}

type runResult struct {
	args           []string
	stdout, stderr string
	code           int
}

// transcript is what golden files hold: the command, its exit code and
// both streams, with the temp folder and random session ids masked.
func (r runResult) transcript(w *world) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ approvals %s\n[exit %d]\n", strings.Join(quoteArgs(r.args), " "), r.code)
	b.WriteString(r.stdout)
	if r.stderr != "" {
		b.WriteString("--- stderr\n")
		b.WriteString(r.stderr)
	}
	out := strings.ReplaceAll(b.String(), w.home, "$HOME")
	out = strings.ReplaceAll(out, w.url, "$GRAPH")
	out = sessionRE.ReplaceAllString(out, `"session": "SESSION"`)
	return requestIDRE.ReplaceAllString(out, "${1}REQUEST-ID")
}

var (
	sessionRE = regexp.MustCompile(`"session": "[0-9a-f]{12}"`)
	// The simulator's request ids are random; their presence is what counts.
	requestIDRE = regexp.MustCompile(`(request-id |"request_id": ")[0-9a-f]{8}-[0-9a-f-]{27}`)
)

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "" || strings.ContainsAny(a, " \"'") || strings.ContainsFunc(a, unicode.IsControl) {
			out[i] = fmt.Sprintf("%q", a)
		}
	}
	return out
}

// run executes one command line in-process, as main does.
func (w *world) run(stdin string, args ...string) runResult {
	w.t.Helper()
	root := &cobra.Command{Use: "approvals", Version: "test"}
	var stdout, stderr bytes.Buffer
	Attach(root, wired(Setup{
		Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return w.env[k] }, Now: func() time.Time { return now }, Loc: time.UTC,
		Width: func() int { return w.width },
	}, swapToken{identity: cmp.Or(w.identity, meID)}, nil))
	root.SetArgs(append([]string{}, args...)) // nil would mean os.Args
	err := root.ExecuteContext(context.Background())
	code := Report(&stderr, err)
	r := runResult{args: args, stdout: stdout.String(), stderr: stderr.String(), code: code}
	if strings.Contains(r.stdout+r.stderr, canary) {
		w.t.Fatalf("the token appeared in the output of %q:\n%s\n%s", args, r.stdout, r.stderr)
	}
	return r
}

// goldenStep returns a runner of named steps: each runs one command line
// as a subtest and compares its transcript with testdata/<test>/<name>.golden.
func (w *world) goldenStep(t *testing.T) func(name, stdin string, args ...string) runResult {
	return func(name, stdin string, args ...string) runResult {
		t.Helper()
		var r runResult
		t.Run(name, func(t *testing.T) {
			r = w.run(stdin, args...)
			golden.RequireEqual(t, r.transcript(w))
		})
		return r
	}
}
