package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeInbox scripts both listings and the approvals behind them.
type fakeInbox struct {
	*fakeGraph
	mu        sync.Mutex
	em        []map[string]any
	groups    []map[string]any
	pageSize  int
	noInline  map[string]bool // approvals whose GET has no stages property
	status    map[string]int  // approval id → status to answer GET approval with
	throttle  map[string]int  // approval id → how many 429s before answering
	batchSeen [][]string      // inner URLs of every $batch, in order
	listQuery []string        // raw queries of every EM listing call
}

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func newFakeInbox(t *testing.T, nEM, nGroups int) *fakeInbox {
	fi := &fakeInbox{fakeGraph: newFakeGraph(t), noInline: map[string]bool{}, status: map[string]int{}, throttle: map[string]int{}}
	for i := range nEM {
		fi.em = append(fi.em, emRequest(fmt.Sprintf("em-%03d", i), t0.Add(time.Duration(i)*time.Minute)))
	}
	for i := range nGroups {
		id := fmt.Sprintf("grp-%03d", i)
		fi.groups = append(fi.groups, map[string]any{
			"id": "req-" + id, "approvalId": id, "accessId": "owner", "status": "PendingApproval", "action": "selfActivate",
			"principalId": "p-" + id, "groupId": "g-1", "createdDateTime": t0.Add(time.Duration(i) * time.Second).Format(time.RFC3339Nano),
			"principal": map[string]any{"id": "p-" + id, "displayName": "Principal " + id, "userPrincipalName": id + "@contoso.com"},
			"group":     map[string]any{"id": "g-1", "displayName": "Break glass", "mail": "bg@contoso.com"},
			"createdBy": map[string]any{"user": map[string]any{"id": "admin-1", "displayName": "Admin"}},
		})
	}
	fi.handle(emListKey, fi.list(func() []map[string]any { return fi.em }))
	fi.handle(groupListKey, fi.list(func() []map[string]any { return fi.groups }))
	for _, coll := range []string{pathEMApprovals, pathGroupApprovals} {
		fi.handle("GET /v1.0"+coll+"/*", fi.approval)
	}
	fi.handle("POST /v1.0/$batch", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var in wireBatchRequest
		_ = json.Unmarshal(body, &in)
		var urls []string
		for _, it := range in.Requests {
			urls = append(urls, it.URL)
		}
		fi.mu.Lock()
		fi.batchSeen = append(fi.batchSeen, urls)
		fi.mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		fi.serveBatch(w, r)
	})
	return fi
}

// list serves a listing, paged by pageSize with an absolute nextLink.
func (fi *fakeInbox) list(items func() []map[string]any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		fi.mu.Lock()
		defer fi.mu.Unlock()
		if strings.Contains(r.URL.Path, "assignmentRequests") {
			fi.listQuery = append(fi.listQuery, r.URL.RawQuery)
		}
		all := items()
		skip, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
		size := fi.pageSize
		if size == 0 {
			size = len(all) + 1
		}
		end := min(skip+size, len(all))
		next := ""
		if end < len(all) {
			q := r.URL.Query()
			q.Set("$skiptoken", strconv.Itoa(end))
			next = fi.srv.URL + r.URL.Path + "?" + q.Encode()
		}
		writeJSON(w, 200, page(all[skip:end], next))
	}
}

func (fi *fakeInbox) approval(w http.ResponseWriter, r *http.Request) {
	rest := r.URL.Path[strings.LastIndex(r.URL.Path, "Approvals/")+len("Approvals/"):]
	id, sub, _ := strings.Cut(rest, "/")
	fi.mu.Lock()
	status := fi.status[id]
	throttled := fi.throttle[id] > 0
	if throttled {
		fi.throttle[id]--
	}
	noInline := fi.noInline[id]
	known := false
	list := fi.em
	if strings.Contains(r.URL.Path, pathGroupApprovals) {
		list = fi.groups
	}
	for _, item := range list {
		known = known || item["id"] == id || item["approvalId"] == id
	}
	fi.mu.Unlock()
	if !known && status == 0 {
		status = 404
	}
	stages := []map[string]any{stageJSON("st-"+id, "InProgress", "NotReviewed", nil)}
	switch {
	case throttled:
		w.Header().Set("Retry-After", "0.05")
		writeJSON(w, 429, graphErr("TooManyRequests", "slow down"))
	case status != 0:
		writeJSON(w, status, graphErr(fmt.Sprint("Code", status), "scripted"))
	case sub == "stages":
		writeJSON(w, 200, page(stages, ""))
	case noInline:
		writeJSON(w, 200, map[string]any{"id": id})
	default:
		writeJSON(w, 200, map[string]any{"id": id, "stages": stages})
	}
}

func (fi *fakeInbox) batches() int {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return len(fi.batchSeen)
}

func TestRefreshColdThenWarm(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 45, 5)
	c := testClient(t, fi.fakeGraph)
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Errors) != 0 {
		t.Fatalf("err %v, errors %v", err, snap.Errors)
	}
	if len(snap.Approvals) != 50 {
		t.Fatalf("%d approvals", len(snap.Approvals))
	}
	// Cold: 2 listing pages + ceil(45/20) + ceil(5/20) batches (each
	// source's details are read as its pages arrive); nothing else.
	if snap.Requests != 2+4 || fi.batches() != 4 || c.Requests() != 6 {
		t.Fatalf("cold refresh: %d requests, %d batches", snap.Requests, fi.batches())
	}
	for _, b := range fi.batchSeen {
		if len(b) > batchSize {
			t.Fatalf("a batch of %d", len(b))
		}
	}
	// The fake answers each batch in reverse: every approval must still
	// get its own stages.
	for _, a := range snap.Approvals {
		if len(a.Stages) != 1 || a.Stages[0].ID != "st-"+a.ID || a.Problem != "" {
			t.Fatalf("%s got stages %+v (problem %q)", a.Ref, a.Stages, a.Problem)
		}
	}
	warm, err := c.Refresh(t.Context())
	if err != nil || warm.Requests != 2 || fi.batches() != 4 || len(warm.Approvals) != 50 {
		t.Fatalf("warm refresh: %d requests, %d batches, %d approvals, %v", warm.Requests, fi.batches(), len(warm.Approvals), err)
	}
	if fmt.Sprint(warm.Approvals) != fmt.Sprint(snap.Approvals) {
		t.Fatal("a warm refresh with nothing new must return the same approvals")
	}
}

func TestRefreshRereadsOnlyChangedAndForgotten(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 30, 0)
	c := testClient(t, fi.fakeGraph)
	if _, err := c.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	before := fi.batches()
	fi.mu.Lock()
	fi.em[7]["status"] = "Stage 2"
	fi.mu.Unlock()
	c.Forget(Ref{ID: "em-012"}) // a bare id forgets it in both sources
	snap, err := c.Refresh(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if snap.Requests != 3 || fi.batches() != before+1 {
		t.Fatalf("%d requests", snap.Requests)
	}
	got := fi.batchSeen[len(fi.batchSeen)-1]
	sort.Strings(got)
	want := []string{pathEMApprovals + "/em-007", pathEMApprovals + "/em-012"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("re-read %v, want %v", got, want)
	}
}

func TestRefreshDropsUnlistedFromCache(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 3, 0)
	c := testClient(t, fi.fakeGraph)
	if _, err := c.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	fi.mu.Lock()
	gone := fi.em[1]
	fi.em = append(fi.em[:1:1], fi.em[2:]...)
	fi.mu.Unlock()
	snap, _ := c.Refresh(t.Context())
	if len(snap.Approvals) != 2 || snap.Requests != 2 {
		t.Fatalf("%d approvals, %d requests", len(snap.Approvals), snap.Requests)
	}
	fi.mu.Lock()
	fi.em = append(fi.em, gone)
	fi.mu.Unlock()
	snap, _ = c.Refresh(t.Context())
	if len(snap.Approvals) != 3 || snap.Requests != 3 {
		t.Fatalf("back again: %d approvals, %d requests (its details must be read anew)", len(snap.Approvals), snap.Requests)
	}
}

func TestRefreshInnerStatuses(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 6, 0)
	fi.throttle["em-000"] = 2 // throttled twice, then fine
	fi.status["em-001"] = 404 // gone: dropped
	fi.status["em-002"] = 403 // kept, with a Problem, no stages
	fi.noInline["em-003"] = true
	c := testClient(t, fi.fakeGraph)
	start := time.Now()
	snap, err := c.Refresh(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < 100*time.Millisecond {
		t.Fatal("inner 429s must be retried after their Retry-After")
	}
	byID := map[string]Approval{}
	for _, a := range snap.Approvals {
		byID[a.ID] = a
	}
	if _, ok := byID["em-001"]; ok || len(snap.Approvals) != 5 {
		t.Fatalf("an inner 404 must drop the approval: %d approvals", len(snap.Approvals))
	}
	if a := byID["em-000"]; len(a.Stages) != 1 || a.Problem != "" {
		t.Fatalf("throttled approval: %+v", a)
	}
	if a := byID["em-002"]; len(a.Stages) != 0 || !strings.Contains(a.Problem, "403") {
		t.Fatalf("forbidden approval: stages %v, problem %q", a.Stages, a.Problem)
	}
	if a := byID["em-003"]; len(a.Stages) != 1 || a.Stages[0].ID != "st-em-003" {
		t.Fatalf("approval without inline stages: %+v", a)
	}
	// 1 batch for 6 approvals, 2 retries of the throttled one, 1 for /stages.
	if fi.batches() != 4 || snap.Requests != 2+4 {
		t.Fatalf("%d batches, %d requests: %v", fi.batches(), snap.Requests, fi.batchSeen)
	}
	if last := fi.batchSeen[3]; len(last) != 1 || !strings.HasSuffix(last[0], "/em-003/stages") {
		t.Fatalf("stages batch = %v", last)
	}
	// A 403 is lasting: a warm refresh does not ask again. A 404 while
	// still listed is asked again (a new request's approval may not exist
	// yet), alone.
	warm, _ := c.Refresh(t.Context())
	last := fi.batchSeen[len(fi.batchSeen)-1]
	if warm.Requests != 3 || len(last) != 1 || !strings.HasSuffix(last[0], "/em-001") {
		t.Fatalf("warm refresh made %d requests, last batch %v", warm.Requests, last)
	}
}

func TestRefreshInnerThrottleBeyondCapKeepsApproval(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 2, 0)
	fi.throttle["em-000"] = 100
	c := testClient(t, fi.fakeGraph, func(o *Options) { o.MaxRetries = 2 })
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Approvals) != 2 {
		t.Fatalf("%v, %d approvals", err, len(snap.Approvals))
	}
	if fi.batches() != 3 {
		t.Fatalf("%d batches: retries must be bounded", fi.batches())
	}
	for _, a := range snap.Approvals {
		if a.ID == "em-000" && !strings.Contains(a.Problem, "429") {
			t.Fatalf("problem %q", a.Problem)
		}
	}
	// Not lasting: the next refresh tries again.
	fi.mu.Lock()
	fi.throttle["em-000"] = 0
	fi.mu.Unlock()
	again, _ := c.Refresh(t.Context())
	if again.Requests != 3 {
		t.Fatalf("%d requests", again.Requests)
	}
}

func TestRefreshPagingFollowsNextLinkVerbatim(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 25, 7)
	fi.pageSize = 10
	c := testClient(t, fi.fakeGraph)
	snap, err := c.Refresh(t.Context())
	if err != nil || len(snap.Approvals) != 32 {
		t.Fatalf("%v, %d approvals", err, len(snap.Approvals))
	}
	if fi.count(emListKey) != 3 || fi.count(groupListKey) != 1 || snap.Requests != 3+1+2+1 {
		t.Fatalf("%d EM pages, %d group pages, %d requests", fi.count(emListKey), fi.count(groupListKey), snap.Requests)
	}
	// The second and third calls are the nextLinks, query and all.
	if !strings.Contains(fi.listQuery[1], "skiptoken=10") || !strings.Contains(fi.listQuery[1], "expand") {
		t.Fatalf("second page query %q", fi.listQuery[1])
	}
	if len(snap.Warnings) != 0 {
		t.Fatalf("warnings %v", snap.Warnings)
	}
}

func TestRefreshWarnsAtFiftyWithoutNextLink(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 50, 1)
	snap, err := testClient(t, fi.fakeGraph).Refresh(t.Context())
	if err != nil || len(snap.Warnings) != 1 || !strings.Contains(snap.Warnings[0], "capped") || !strings.Contains(snap.Warnings[0], string(SourceAccessPackage)) {
		t.Fatalf("%v, warnings %v", err, snap.Warnings)
	}
}

func TestRefreshFallsBackFromNestedExpand(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 2, 0)
	inner := fi.list(func() []map[string]any { return fi.em })
	refused := 0
	fi.handle(emListKey, func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Query().Get("$expand"), "($expand") {
			refused++
			writeJSON(w, 400, graphErr("BadRequest", "nested expand not supported"))
			return
		}
		inner(w, r)
	})
	c := testClient(t, fi.fakeGraph)
	for range 2 {
		snap, err := c.Refresh(t.Context())
		if err != nil || len(snap.Errors) != 0 || len(snap.Approvals) != 2 {
			t.Fatalf("%v, %+v", err, snap)
		}
	}
	if refused != 1 {
		t.Fatalf("the nested expand was refused %d times: the fallback must be remembered", refused)
	}
}

func TestRefreshPerSourceErrors(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 3, 2)
	fi.handle(groupListKey, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 403, graphErr("Forbidden", "no PIM")) })
	snap, err := testClient(t, fi.fakeGraph).Refresh(t.Context())
	if err != nil || len(snap.Approvals) != 3 || len(snap.Errors) != 1 || snap.Errors[0].Source != SourceGroup {
		t.Fatalf("%v, %+v", err, snap)
	}
	fi.handle(emListKey, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, graphErr("InvalidAuthenticationToken", "expired"))
	})
	snap, err = testClient(t, fi.fakeGraph).Refresh(t.Context())
	if err == nil || !strings.Contains(err.Error(), "no approvals") || len(snap.Errors) != 2 {
		t.Fatalf("%v, %+v", err, snap)
	}
	if !errors.Is(err, ErrUnauthorized) || !errors.Is(err, ErrForbidden) {
		t.Fatalf("the joined error must keep both causes: %v", err)
	}
}

func TestRefreshNormalizesAndSorts(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 1, 2)
	fi.em[0]["createdDateTime"] = t0.Add(time.Hour).Format(time.RFC3339)
	fi.em[0]["assignment"] = map[string]any{"target": map[string]any{"objectId": "target-1", "displayName": "Tess Target", "email": "tess@contoso.com"}}
	fi.em[0]["answers"] = []map[string]any{
		{"@odata.type": "#microsoft.graph.accessPackageAnswerString", "value": "raw", "displayValue": "Shown", "answeredQuestion": map[string]any{"text": "Why?"}},
		{"value": "only value"},
	}
	snap, err := testClient(t, fi.fakeGraph, func(o *Options) {
		o.StageTimeouts = map[Source]time.Duration{SourceGroup: 2 * time.Hour}
	}).Refresh(t.Context())
	if err != nil || len(snap.Approvals) != 3 {
		t.Fatal(err, snap)
	}
	g0, g1, em := snap.Approvals[0], snap.Approvals[1], snap.Approvals[2]
	if g0.ID != "grp-000" || g1.ID != "grp-001" || em.ID != "em-000" {
		t.Fatalf("order %s %s %s", g0.Ref, g1.Ref, em.Ref)
	}
	if g0.RequestID != "req-grp-000" || g0.Kind != KindGroupOwner || g0.Target.PrincipalName != "grp-000@contoso.com" ||
		g0.Requestor.DisplayName != "Admin" || g0.Resource.Email != "bg@contoso.com" || g0.RequestType != "selfActivate" {
		t.Fatalf("group approval %+v", g0)
	}
	if !g0.DeadlineEstimated || !g0.Deadline.Equal(g0.Created.Add(2*time.Hour)) {
		t.Fatalf("group deadline %v", g0.Deadline)
	}
	if em.Target.ID != "target-1" || em.Requestor.ID != "u-em-000" || em.Resource.DisplayName != "Sales" ||
		!em.Deadline.Equal(em.Created.Add(14*24*time.Hour)) {
		t.Fatalf("EM approval %+v", em)
	}
	if len(em.Answers) != 2 || em.Answers[0] != (Answer{Question: "Why?", Value: "Shown"}) || em.Answers[1] != (Answer{Value: "only value"}) {
		t.Fatalf("answers %+v", em.Answers)
	}
	if _, _, ok := em.MyStage(); !ok {
		t.Fatal("the EM approval's stage is mine")
	}
}

func TestRefreshDoesNotResurrectForgotten(t *testing.T) {
	t.Parallel()
	fi := newFakeInbox(t, 1, 0)
	c := testClient(t, fi.fakeGraph)
	entered := make(chan struct{})
	release := make(chan struct{})
	batch := fi.handlers["POST /v1.0/$batch"]
	fi.handle("POST /v1.0/$batch", func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		batch(w, r)
	})
	done := make(chan struct{})
	go func() { defer close(done); _, _ = c.Refresh(t.Context()) }()
	<-entered
	c.Forget(Ref{Source: SourceAccessPackage, ID: "em-000"}) // a decision landed meanwhile
	close(release)
	<-done
	fi.handle("POST /v1.0/$batch", batch)
	snap, _ := c.Refresh(t.Context())
	if snap.Requests != 3 {
		t.Fatalf("%d requests: the approval forgotten during a refresh must be read again", snap.Requests)
	}
}

// A 200 whose body is JSON but not a collection ({} or null: a proxy, a
// broken deployment) is an error for that source, never "nothing is
// waiting": the approvals listed before must not silently disappear.
// "value": null (no items) still reads as an empty page.
func TestRefreshReplyThatIsNotACollectionIsAnError(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{}`, `null`, `{"@odata.context":"x","id":"em-000"}`} {
		t.Run(body, func(t *testing.T) {
			fi := newFakeInbox(t, 3, 2)
			c := testClient(t, fi.fakeGraph)
			if _, err := c.Refresh(t.Context()); err != nil {
				t.Fatal(err)
			}
			fi.handle(emListKey, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			})
			snap, err := c.Refresh(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Errors) != 1 || snap.Errors[0].Source != SourceAccessPackage || len(snap.Approvals) != 2 {
				t.Fatalf("errors %v, %d approvals", snap.Errors, len(snap.Approvals))
			}
		})
	}
	t.Run("value null", func(t *testing.T) {
		fi := newFakeInbox(t, 0, 2)
		fi.handle(emListKey, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"value":null}`))
		})
		snap, err := testClient(t, fi.fakeGraph).Refresh(t.Context())
		if err != nil || len(snap.Errors) != 0 || len(snap.Approvals) != 2 {
			t.Fatalf("%v, errors %v, %d approvals", err, snap.Errors, len(snap.Approvals))
		}
	})
}

// The same for a stage list: an approval body where the list of stages
// should be is an error, not "no stages".
func TestStagesReplyThatIsNotACollectionIsAnError(t *testing.T) {
	t.Parallel()
	f := newFakeGraph(t)
	f.handle("GET /v1.0"+pathEMApprovals+"/ap-1/stages", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": "ap-1"})
	})
	if stages, err := testClient(t, f).Stages(t.Context(), Ref{Source: SourceAccessPackage, ID: "ap-1"}); err == nil {
		t.Fatalf("no error, stages %v", stages)
	}
}
