package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

type batchResp struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

func (e *env) batch(user string, reqs []map[string]any) (response, map[string]batchResp) {
	e.t.Helper()
	r := e.do("POST", "/v1.0/$batch", user, map[string]any{"requests": reqs})
	if r.status != 200 {
		return r, nil
	}
	var out struct {
		Responses []batchResp `json:"responses"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil {
		e.t.Fatalf("batch response: %v\n%s", err, r.body)
	}
	if got := strings.Join(orderedKeys(e.t, r.body), ","); got != "responses" {
		e.t.Fatalf("batch response keys %s", got)
	}
	byID := map[string]batchResp{}
	for _, it := range out.Responses {
		byID[it.ID] = it
	}
	return r, byID
}

func getItem(id, url string) map[string]any {
	return map[string]any{"id": id, "method": "GET", "url": url}
}

func TestBatchUpTo20(t *testing.T) {
	e := newEnv(t, Options{Seed: 11, Approvals: 30})
	demo := e.demo.UserPrincipalName
	em, _ := e.listAll(emApprovals+approverFn, demo)
	pim, _ := e.listAll(pimApprovals+approverFn, demo)
	list := append(em[:10], pim[:9]...)
	var reqs []map[string]any
	for i, a := range list {
		url := "identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/" + a["id"].(string) // no leading slash
		if i >= 10 {
			url = "/identityGovernance/privilegedAccess/group/assignmentApprovals/" + a["id"].(string)
		}
		reqs = append(reqs, getItem(fmt.Sprint(i+1), url))
	}
	reqs = append(reqs, getItem("me", "/me?$select=id"))
	e.sim.ResetStats()
	_, got := e.batch(demo, reqs)
	if len(got) != 20 {
		t.Fatalf("%d responses", len(got))
	}
	for i, a := range list {
		it := got[fmt.Sprint(i+1)]
		var body map[string]any
		_ = json.Unmarshal(it.Body, &body)
		if it.Status != 200 || body["id"] != a["id"] || body["stages"] == nil {
			t.Errorf("item %d: %d %s", i+1, it.Status, it.Body)
		}
		if !strings.HasPrefix(it.Headers["Content-Type"], "application/json") {
			t.Errorf("item %d headers %v", i+1, it.Headers)
		}
	}
	st := e.sim.Stats()
	if st.Requests != 1 || st.BatchItems != 20 || st.Op(OpBatch) != 1 || st.Op(OpGetApproval) != 19 || st.Op(OpMe) != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestBatchRejects(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	var many []map[string]any
	for i := range 21 {
		many = append(many, getItem(fmt.Sprint(i), "/me"))
	}
	r, _ := e.batch("megan@contoso.com", many)
	r.expect(t, 400, "BadRequest")
	r, _ = e.batch("megan@contoso.com", []map[string]any{getItem("a", "/me"), getItem("A", "/me")})
	r.expect(t, 400, "BadRequest")
	r, _ = e.batch("megan@contoso.com", []map[string]any{{"id": "1", "method": "PATCH", "url": "/x", "body": map[string]string{"reviewResult": "Approve"}}})
	r.expect(t, 400, "BadRequest") // a body needs a Content-Type header
	r, _ = e.batch("megan@contoso.com", []map[string]any{{"id": "1", "method": "GET", "url": "/me", "dependsOn": []string{"9"}}})
	r.expect(t, 400, "BadRequest")
	r, _ = e.batch("megan@contoso.com", []map[string]any{
		{"id": "1", "method": "GET", "url": "/me", "dependsOn": []string{"2"}},
		{"id": "2", "method": "GET", "url": "/me", "dependsOn": []string{"1"}}})
	r.expect(t, 400, "BadRequest")
	r, _ = e.batch("megan@contoso.com", nil)
	r.expect(t, 400, "BadRequest")
	e.do("POST", "/v1.0/$batch", "megan@contoso.com", "{not json").expect(t, 400, "BadRequest")
	e.do("POST", "/v1.0/$batch", "", map[string]any{"requests": []map[string]any{getItem("1", "/me")}}).expect(t, 401, "")
	// Item-level errors leave the outer status at 200.
	_, got := e.batch("megan@contoso.com", []map[string]any{getItem("1", "/nothing"), getItem("2", "https://graph.microsoft.com/v1.0/me"),
		getItem("3", emApprovals[len("/v1.0"):]+"/nope")})
	if got["1"].Status != 400 || got["2"].Status != 400 || got["3"].Status != 404 {
		t.Errorf("item errors: %+v", got)
	}
	if !strings.Contains(string(got["3"].Body), `"innerError"`) {
		t.Errorf("item error body is not Graph-shaped: %s", got["3"].Body)
	}
}

func TestBatchRunsConcurrently(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	e.sim.AddFault(Fault{Kind: FaultLatency, Delay: 50 * time.Millisecond, InBatch: true})
	var reqs []map[string]any
	for i := range 10 {
		reqs = append(reqs, getItem(fmt.Sprint(i), "/me"))
	}
	_, got := e.batch("megan@contoso.com", reqs)
	if len(got) != 10 {
		t.Fatalf("%d responses", len(got))
	}
	if st := e.sim.Stats(); st.MaxBatchConcurrency < 2 {
		t.Errorf("items ran one at a time (max concurrency %d)", st.MaxBatchConcurrency)
	}
}

func TestBatchDependsOn(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	st := emApprovals[len("/v1.0"):] + "/req-em-1/stages/"
	patch := func(id, stage string, body map[string]string, deps ...string) map[string]any {
		return map[string]any{"id": id, "method": "PATCH", "url": st + stage, "body": body,
			"headers": map[string]string{"Content-Type": "application/json"}, "dependsOn": deps}
	}
	_, got := e.batch("megan@contoso.com", []map[string]any{
		patch("1", "st-1", approve("stage 1")),
		{"id": "2", "method": "GET", "url": st + "st-2", "dependsOn": []string{"1"}},
		patch("3", "st-1", approve("again"), "2"), // 409
		{"id": "4", "method": "GET", "url": "/me", "dependsOn": []string{"3"}},
	})
	if got["1"].Status != 204 || len(got["1"].Body) != 0 {
		t.Errorf("PATCH in a batch: %+v", got["1"])
	}
	var s2 map[string]any
	_ = json.Unmarshal(got["2"].Body, &s2)
	if got["2"].Status != 200 || s2["status"] != "InProgress" {
		t.Errorf("item 2 ran before item 1 finished: %+v", got["2"])
	}
	if got["3"].Status != 409 || got["4"].Status != 424 {
		t.Errorf("failed dependency: 3=%d 4=%d", got["3"].Status, got["4"].Status)
	}
	if state, _ := e.sim.StageState("req-em-1", "st-1"); state.PatchesApplied != 1 || state.PatchAttempts != 2 {
		t.Errorf("stage counters %+v", state)
	}
}

func TestBatchInnerThrottle(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	e.sim.AddFault(Fault{Kind: FaultBatchThrottle, Op: OpGetApproval, Count: 1, RetryAfter: "7"})
	_, got := e.batch("megan@contoso.com", []map[string]any{
		getItem("1", emApprovals[len("/v1.0"):]+"/req-em-1"),
		getItem("2", "/me"),
	})
	if got["1"].Status != 429 || got["1"].Headers["Retry-After"] != "7" {
		t.Errorf("throttled item: %+v", got["1"])
	}
	if !strings.Contains(string(got["1"].Body), `"TooManyRequests"`) {
		t.Errorf("429 item body: %s", got["1"].Body)
	}
	if got["2"].Status != 200 {
		t.Errorf("other item: %+v", got["2"])
	}
	// Count 1: the retry succeeds.
	_, got = e.batch("megan@contoso.com", []map[string]any{getItem("1", emApprovals[len("/v1.0"):]+"/req-em-1")})
	if got["1"].Status != 200 {
		t.Errorf("retry: %+v", got["1"])
	}
}

// A batch item's url may carry raw spaces (the docs' own example does:
// "$filter=city eq null"). The nextLink of its reply must still be a valid
// URL that a client can request verbatim.
func TestBatchNextLinkIsAValidURL(t *testing.T) {
	e := newEnv(t, Options{Seed: 3, Approvals: 40})
	demo := e.demo.UserPrincipalName
	_, got := e.batch(demo, []map[string]any{
		getItem("1", pimRequests[len("/v1.0"):]+approverFn+"?$filter=status eq 'PendingApproval'&$select=id&$top=1"),
	})
	var page struct {
		Value []map[string]any `json:"value"`
		Next  string           `json:"@odata.nextLink"`
	}
	if err := json.Unmarshal(got["1"].Body, &page); err != nil || got["1"].Status != 200 || page.Next == "" {
		t.Fatalf("%+v: %v", got["1"], err)
	}
	if strings.ContainsAny(page.Next, " \"<>") {
		t.Fatalf("nextLink %q is not a valid URL", page.Next)
	}
	req, err := http.NewRequest("GET", page.Next, nil) // verbatim: no help from e.do
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+demo)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var next struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.NewDecoder(res.Body).Decode(&next); err != nil || res.StatusCode != 200 || len(next.Value) != 1 ||
		next.Value[0]["id"] == page.Value[0]["id"] {
		t.Fatalf("following the nextLink: %d, %v, %v", res.StatusCode, err, next.Value)
	}
	if _, ok := next.Value[0]["status"]; ok {
		t.Fatalf("$select lost across pages: %v", next.Value[0])
	}
}
