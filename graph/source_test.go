package graph

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestParseRefAndSource(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Ref{
		"role:r-1":      {Source: SourceRole, ID: "r-1"},
		"azure:a:b":     {Source: SourceAzure, ID: "a:b"},
		"group:g":       {Source: SourceGroup, ID: "g"},
		"Role:r-1":      {ID: "Role:r-1"}, // the textual form is exact
		"other:x":       {ID: "other:x"},
		"accessPackage": {ID: "accessPackage"},
	} {
		if got := ParseRef(in); got != want {
			t.Errorf("ParseRef(%q) = %+v, want %+v", in, got, want)
		}
		if r := ParseRef(in); r.Source != "" && ParseRef(r.String()) != r {
			t.Errorf("%q does not survive String/ParseRef", in)
		}
	}
	if s, ok := ParseSource("AZURE"); !ok || s != SourceAzure {
		t.Errorf("ParseSource(AZURE) = %q, %v", s, ok)
	}
	if _, ok := ParseSource("roles"); ok {
		t.Error("ParseSource(roles) accepted")
	}
}

func TestNewRefusesUnknownSource(t *testing.T) {
	t.Parallel()
	_, err := New(Options{GraphURL: "https://graph.microsoft.com", Credential: StaticToken("x"), Sources: []Source{"Role"}})
	if err == nil || !strings.Contains(err.Error(), `"Role"`) {
		t.Fatalf("err = %v", err)
	}
}

// A source left out of Options.Sources is never called and reads as
// disabled; the others are listed as usual.
func TestRefreshOnlyEnabledSources(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 3, 2)
	c := testClient(t, fi.fakeGraph, func(o *Options) { o.Sources = []Source{SourceAccessPackage} })
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Approvals) != 3 || fi.count(groupListKey) != 0 {
		t.Fatalf("%v: %d approvals, %d group listings", err, len(snap.Approvals), fi.count(groupListKey))
	}
	want := map[Source]SourceState{SourceAccessPackage: StateOK, SourceGroup: StateDisabled, SourceRole: StateDisabled, SourceAzure: StateDisabled}
	if len(snap.Sources) != len(AllSources) {
		t.Fatalf("sources = %+v", snap.Sources)
	}
	for i, st := range snap.Sources {
		if st.Source != AllSources[i] || st.State != want[st.Source] {
			t.Errorf("source %d = %+v, want %s %s", i, st, AllSources[i], want[AllSources[i]])
		}
	}
	if _, err := c.Get(t.Context(), Ref{Source: SourceGroup, ID: "grp-000"}); !errors.Is(err, ErrSourceDisabled) || !strings.Contains(err.Error(), "the group source is not enabled") {
		t.Errorf("Get on a disabled source: %v", err)
	}
}

// The Azure source without an ARM URL is unavailable for want of that
// option (the user interface names its setting), and never called.
func TestAzureWithoutARMURLIsUnconfigured(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 1, 0)
	c := testClient(t, fi.fakeGraph, func(o *Options) { o.Sources = []Source{SourceAccessPackage, SourceAzure}; o.ARMURL = "" })
	snap, err := c.Refresh(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range snap.Sources {
		if st.Source == SourceAzure && (st.State != StateUnavailable || !st.Unconfigured || st.Detail == "") {
			t.Errorf("azure = %+v, want unavailable and unconfigured", st)
		}
		if st.Source != SourceAzure && st.Unconfigured {
			t.Errorf("%s = %+v", st.Source, st)
		}
	}
}

// A refused listing makes that source unauthorized, with the fix, while
// the other source's approvals still come back.
func TestRefreshSourceStates(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 2, 2)
	fi.handle(groupListKey, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 403, graphErr("Forbidden", "no PIM")) })
	c := testClient(t, fi.fakeGraph, func(o *Options) { o.Sources = []Source{SourceAccessPackage, SourceGroup} })
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Approvals) != 2 {
		t.Fatalf("%v, %+v", err, snap)
	}
	g := snap.Sources[1]
	if g.Source != SourceGroup || g.State != StateUnauthorized || !strings.Contains(g.Detail, "req-Forbidden") ||
		!strings.Contains(g.Fix, "PrivilegedAssignmentSchedule") {
		t.Errorf("group status = %+v", g)
	}
	fi.handle(groupListKey, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, graphErr("ServiceUnavailable", "busy"))
	})
	snap, _ = testClient(t, fi.fakeGraph, func(o *Options) { o.Sources = []Source{SourceAccessPackage, SourceGroup}; o.MaxRetries = -1 }).Refresh(t.Context())
	if g := snap.Sources[1]; g.State != StateUnavailable || len(snap.Errors) != 1 {
		t.Errorf("group status after 503 = %+v, errors %v", g, snap.Errors)
	}
}

// A source that cannot take decisions refuses before the journal's
// Attempt and before any PATCH: nothing is sent.
func TestDecidePortalOnlyIsNotSent(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	j := &recordingJournal{}
	c := testClient(t, f, func(o *Options) { o.Journal = j })
	c.sources[SourceRole] = unavailableSource{src: SourceRole, why: "the beta API is gone; decide in the portal"}
	res := c.Decide(t.Context(), DecisionRequest{Ref: Ref{Source: SourceRole, ID: "r1"}, StageID: "s1", Decision: Approve})
	if res.Outcome != OutcomeFailed || !errors.Is(res.Err, ErrPortalOnly) || res.Attempts != 0 ||
		!strings.Contains(res.Err.Error(), "decide in the portal") {
		t.Fatalf("%+v", res)
	}
	for _, r := range f.requests() {
		if r.Method == http.MethodPatch {
			t.Fatalf("a PATCH was sent: %s", r.URL)
		}
	}
	if len(j.attempts) != 0 || len(j.outcomes) != 1 {
		t.Fatalf("journal: %d attempts, %d outcomes", len(j.attempts), len(j.outcomes))
	}
}
