package graph

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func getFixture(t *testing.T) *fakeInbox {
	fi := newFakeInbox(t, 2, 2)
	for _, r := range fi.em {
		id := r["id"].(string)
		fi.handle("GET /v1.0"+pathEMRequests+"/"+id, func(w http.ResponseWriter, req *http.Request) { writeJSON(w, 200, r) })
	}
	for _, r := range fi.groups {
		id := r["id"].(string)
		fi.handle("GET /v1.0"+pathGroupRequests+"/"+id, func(w http.ResponseWriter, req *http.Request) { writeJSON(w, 200, r) })
	}
	return fi
}

func TestGetReadsRequestAndStagesInOneBatch(t *testing.T) {
	t.Parallel()
	fi := getFixture(t)
	c := testClient(t, fi.fakeGraph)
	a, err := c.Get(t.Context(), Ref{Source: SourceAccessPackage, ID: "em-001"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Ref != (Ref{Source: SourceAccessPackage, ID: "em-001"}) || a.Requestor.DisplayName != "Requestor em-001" ||
		len(a.Stages) != 1 || a.Problem != "" || !a.DeadlineEstimated || c.Requests() != 1 {
		t.Fatalf("%+v after %d requests", a, c.Requests())
	}
}

func TestGetGroupUsesKnownRequestID(t *testing.T) {
	t.Parallel()
	fi := getFixture(t)
	c := testClient(t, fi.fakeGraph)
	if _, err := c.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	a, err := c.Get(t.Context(), Ref{Source: SourceGroup, ID: "grp-001"})
	if err != nil || a.RequestID != "req-grp-001" || a.ID != "grp-001" || a.Problem != "" || len(a.Stages) != 1 {
		t.Fatalf("%+v, %v", a, err)
	}
}

func TestGetBareIDLooksInBoth(t *testing.T) {
	t.Parallel()
	fi := getFixture(t)
	c := testClient(t, fi.fakeGraph)
	a, err := c.Get(t.Context(), ParseRef("em-000"))
	if err != nil || a.Source != SourceAccessPackage || c.Requests() != 1 {
		t.Fatalf("%+v, %v", a, err)
	}
	_, err = c.Get(t.Context(), ParseRef("nope"))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

func TestGetForbiddenStagesKeepsRequest(t *testing.T) {
	t.Parallel()
	fi := getFixture(t)
	fi.status["em-000"] = 403
	a, err := testClient(t, fi.fakeGraph).Get(t.Context(), Ref{Source: SourceAccessPackage, ID: "em-000"})
	if err != nil || a.Requestor.DisplayName == "" || len(a.Stages) != 0 || !strings.Contains(a.Problem, "403") {
		t.Fatalf("%+v, %v", a, err)
	}
}

func TestStagesAndBareDecide(t *testing.T) {
	t.Parallel()
	fi := getFixture(t)
	c := testClient(t, fi.fakeGraph)
	stages, err := c.Stages(t.Context(), Ref{Source: SourceGroup, ID: "grp-000"})
	if err != nil || len(stages) != 1 || stages[0].ID != "st-grp-000" {
		t.Fatalf("%+v, %v", stages, err)
	}
	var patched string
	fi.handle("PATCH /v1.0"+pathGroupApprovals+"/grp-000/stages/st-grp-000", func(w http.ResponseWriter, r *http.Request) {
		patched = r.URL.Path
		w.WriteHeader(204)
	})
	res := c.Decide(t.Context(), DecisionRequest{Ref: ParseRef("grp-000"), StageID: "st-grp-000", Decision: Approve})
	if res.Outcome != OutcomeApproved || patched == "" {
		t.Fatalf("%+v", res)
	}
}
