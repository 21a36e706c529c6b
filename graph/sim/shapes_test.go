package sim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"approvals/graph/internal/fixtures"
)

// Raw-JSON shape tests: exact property names, in order, and no keys we did
// not intend. The expected lists are written from the v1.0 documentation.

var (
	stageKeys     = []string{"id", "displayName", "reviewedDateTime", "reviewResult", "status", "assignedToMe", "justification", "reviewedBy"}
	emRequestKeys = []string{"id", "requestType", "state", "status", "createdDateTime", "completedDateTime", "schedule", "answers",
		"justification", "customExtensionCalloutInstances"}
	pimRequestKeys = []string{"@odata.type", "id", "status", "completedDateTime", "createdDateTime", "approvalId", "customData",
		"createdBy", "action", "isValidationOnly", "justification", "scheduleInfo", "ticketInfo", "accessId", "principalId",
		"groupId", "targetScheduleId"}
	scheduleKeys = []string{"startDateTime", "recurrence", "expiration"}
)

func rawItems(t *testing.T, body []byte) []json.RawMessage {
	t.Helper()
	var c struct {
		Value []json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	return c.Value
}

func rawField(t *testing.T, raw []byte, key string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m[key]
}

func assertKeys(t *testing.T, what string, raw []byte, want []string) {
	t.Helper()
	if got := orderedKeys(t, raw); !slices.Equal(got, want) {
		t.Errorf("%s keys\n got %v\nwant %v", what, got, want)
	}
}

func TestShapeAccessPackageRequestList(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	r := e.do("GET", emRequests+approverFn, "megan@contoso.com", nil)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	assertKeys(t, "collection", r.body, []string{"@odata.context", "value"})
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	items := rawItems(t, r.body)
	if len(items) != 1 {
		t.Fatalf("got %d items", len(items))
	}
	assertKeys(t, "request (no $expand)", items[0], emRequestKeys)
	assertKeys(t, "schedule", rawField(t, items[0], "schedule"), scheduleKeys)
	assertKeys(t, "expiration", rawField(t, rawField(t, items[0], "schedule"), "expiration"), []string{"type", "endDateTime", "duration"})
	answers := rawItems(t, []byte(`{"value":`+string(rawField(t, items[0], "answers"))+`}`))
	assertKeys(t, "answer", answers[0], []string{"@odata.type", "value", "displayValue", "answeredQuestion"})
	assertKeys(t, "answeredQuestion", rawField(t, answers[0], "answeredQuestion"),
		[]string{"@odata.type", "id", "sequence", "isRequired", "isAnswerEditable", "text", "localizations", "isSingleLineQuestion", "regexPattern"})
	m := r.object(t)
	v := values(t, m)[0]
	if v["state"] != "pendingApproval" || v["status"] != "PendingApproval" || v["requestType"] != "userAdd" {
		t.Errorf("v1.0 camelCase values expected: %v", v)
	}
	if !strings.HasSuffix(m["@odata.context"].(string), "/v1.0/$metadata#Collection(microsoft.graph.accessPackageAssignmentRequest)") {
		t.Errorf("@odata.context %v", m["@odata.context"])
	}
}

func TestShapeAccessPackageRequestExpanded(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	q := "?$expand=requestor,accessPackage($expand=catalog),assignment($expand=target)"
	r := e.do("GET", emRequests+approverFn+q, "megan@contoso.com", nil)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	item := rawItems(t, r.body)[0]
	assertKeys(t, "request (expanded)", item, append(slices.Clone(emRequestKeys), "requestor", "accessPackage", "assignment"))
	assertKeys(t, "requestor", rawField(t, item, "requestor"),
		[]string{"id", "displayName", "email", "principalName", "objectId", "onPremisesSecurityIdentifier", "subjectType", "subjectLifecycle"})
	pkg := rawField(t, item, "accessPackage")
	assertKeys(t, "accessPackage", pkg, []string{"id", "displayName", "description", "isHidden", "createdDateTime", "modifiedDateTime", "catalog"})
	assertKeys(t, "catalog", rawField(t, pkg, "catalog"),
		[]string{"id", "displayName", "description", "catalogType", "state", "isExternallyVisible", "createdDateTime", "modifiedDateTime"})
	asg := rawField(t, item, "assignment")
	assertKeys(t, "assignment", asg, []string{"id", "state", "status", "expiredDateTime", "schedule", "target"})

	// GET by id takes the same $expand and adds @odata.context.
	r = e.do("GET", emRequests+"/req-em-1?$expand=requestor,accessPackage", "megan@contoso.com", nil)
	assertKeys(t, "request by id", r.body, append(append([]string{"@odata.context"}, emRequestKeys...), "requestor", "accessPackage"))
	// accessPackage without nested $expand has no catalog
	assertKeys(t, "accessPackage", rawField(t, r.body, "accessPackage"), []string{"id", "displayName", "description", "isHidden", "createdDateTime", "modifiedDateTime"})
}

func TestShapeGroupRequest(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	r := e.do("GET", pimRequests+approverFn+"?$filter=status eq 'PendingApproval'", "megan@contoso.com", nil)
	item := rawItems(t, r.body)[0]
	assertKeys(t, "PIM request", item, pimRequestKeys)
	assertKeys(t, "scheduleInfo", rawField(t, item, "scheduleInfo"), scheduleKeys)
	assertKeys(t, "ticketInfo", rawField(t, item, "ticketInfo"), []string{"ticketNumber", "ticketSystem"})
	assertKeys(t, "createdBy", rawField(t, item, "createdBy"), []string{"application", "device", "user"})
	assertKeys(t, "createdBy.user", rawField(t, rawField(t, item, "createdBy"), "user"), []string{"id", "displayName"})

	r = e.do("GET", pimRequests+approverFn+"?$expand=group,principal", "megan@contoso.com", nil)
	item = rawItems(t, r.body)[0]
	assertKeys(t, "PIM request (expanded)", item, append(slices.Clone(pimRequestKeys), "group", "principal"))
	assertKeys(t, "group", rawField(t, item, "group"), []string{"id", "displayName", "description", "mail", "mailEnabled", "mailNickname", "securityEnabled"})
	assertKeys(t, "principal", rawField(t, item, "principal"), []string{"@odata.type", "id", "displayName", "userPrincipalName", "mail"})
	var p map[string]any
	_ = json.Unmarshal(item, &p)
	if p["approvalId"] != p["id"] || p["accessId"] != "member" || p["action"] != "selfActivate" {
		t.Errorf("PIM values: %v", p)
	}
	if pr := p["principal"].(map[string]any); pr["@odata.type"] != "#microsoft.graph.user" {
		t.Errorf("principal @odata.type %v", pr["@odata.type"])
	}

	r = e.do("GET", pimRequests+"/req-pim-1", "megan@contoso.com", nil)
	assertKeys(t, "PIM request by id", r.body, append([]string{"@odata.context"}, pimRequestKeys...))
}

func TestShapeApprovalAndStages(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	for _, base := range []string{emApprovals + "/req-em-1", pimApprovals + "/req-pim-1"} {
		r := e.do("GET", base, "megan@contoso.com", nil)
		assertKeys(t, "approval", r.body, []string{"@odata.context", "id", "stages"})
		stages := rawItems(t, []byte(`{"value":`+string(rawField(t, r.body, "stages"))+`}`))
		for _, st := range stages {
			assertKeys(t, "stage", st, stageKeys)
		}
		r = e.do("GET", base+"/stages", "megan@contoso.com", nil)
		assertKeys(t, "stages", r.body, []string{"@odata.context", "value"})
		first := rawItems(t, r.body)[0]
		assertKeys(t, "stage in list", first, stageKeys)
		var st map[string]any
		_ = json.Unmarshal(first, &st)
		r = e.do("GET", base+"/stages/"+st["id"].(string), "megan@contoso.com", nil)
		assertKeys(t, "stage", r.body, append([]string{"@odata.context"}, stageKeys...))
		m := r.object(t)
		if m["reviewedBy"] != nil || m["reviewedDateTime"] != nil || m["justification"] != "" || m["reviewResult"] != "NotReviewed" {
			t.Errorf("an undecided stage reads null/empty/NotReviewed: %s", r.body)
		}
	}
	// PIM for Groups: one stage whose id is the approval's id.
	m := e.getJSON(pimApprovals+"/req-pim-1", "megan@contoso.com")
	stages := m["stages"].([]any)
	if len(stages) != 1 || stages[0].(map[string]any)["id"] != "req-pim-1" {
		t.Errorf("PIM stage ids: %v", stages)
	}
}

func TestShapeApprovalsFilterByCurrentUser(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	// EM: ids only, as the documentation's example.
	r := e.do("GET", emApprovals+approverFn, "megan@contoso.com", nil)
	assertKeys(t, "EM approval", rawItems(t, r.body)[0], []string{"@odata.type", "id"})
	r = e.do("GET", emApprovals+approverFn+"?$expand=stages", "megan@contoso.com", nil)
	assertKeys(t, "EM approval with $expand=stages", rawItems(t, r.body)[0], []string{"@odata.type", "id", "stages"})
	// PIM: stages inline.
	r = e.do("GET", pimApprovals+approverFn, "megan@contoso.com", nil)
	item := rawItems(t, r.body)[0]
	assertKeys(t, "PIM approval", item, []string{"@odata.type", "id", "stages"})
}

func TestShapeMeAndDecision(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	r := e.do("GET", "/v1.0/me", "megan@contoso.com", nil)
	assertKeys(t, "me", r.body, []string{"@odata.context", "businessPhones", "displayName", "givenName", "jobTitle", "mail",
		"mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"})
	r = e.do("GET", "/v1.0/me?$select=id,displayName,userPrincipalName,mail", "megan@contoso.com", nil)
	assertKeys(t, "me $select", r.body, []string{"@odata.context", "displayName", "mail", "userPrincipalName", "id"})

	r = e.do("PATCH", emApprovals+"/req-em-1/stages/st-1", "megan@contoso.com", map[string]string{"reviewResult": "Approve", "justification": "OK"})
	if r.status != 204 || len(r.body) != 0 {
		t.Fatalf("PATCH: %d %q, want 204 and no body", r.status, r.body)
	}
	if r.header.Get("request-id") == "" || r.header.Get("client-request-id") == "" {
		t.Errorf("request-id headers missing on 204: %v", r.header)
	}
	m := e.getJSON(emApprovals+"/req-em-1/stages/st-1", "megan@contoso.com")
	by, _ := m["reviewedBy"].(map[string]any)
	if got := strings.Join(sortedKeys(by), ","); got != "displayName,id" || by["displayName"] != "Megan Bowen" {
		t.Errorf("reviewedBy %v", m["reviewedBy"])
	}
	if m["reviewResult"] != "Approved" || m["status"] != "Completed" || m["justification"] != "OK" || m["reviewedDateTime"] == nil {
		t.Errorf("decided stage %v", m)
	}
}

func TestShapeErrorsAndHeaders(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	r := e.do("GET", emApprovals+"/nope", "megan@contoso.com", nil, "client-request-id", "my-id-1")
	r.expect(t, 404, "")
	if r.header.Get("client-request-id") != "my-id-1" {
		t.Errorf("client-request-id not echoed: %v", r.header)
	}
	if !strings.Contains(string(r.body), `"client-request-id":"my-id-1"`) {
		t.Errorf("innerError lacks the client's id: %s", r.body)
	}
	// Every response carries request-id, success included.
	r = e.do("GET", "/v1.0/me", "megan@contoso.com", nil)
	if r.header.Get("request-id") == "" {
		t.Error("no request-id on 200")
	}
}

// The stage objects must have exactly the keys of the documentation's
// examples; request objects at least theirs (doc examples are truncated).
func TestShapesMatchDocsFixtures(t *testing.T) {
	dir := fixtures.Require(t)
	e := newEnv(t, Options{Tenant: smallTenant()})
	ours := map[string][]byte{
		"v1.0-approval-get.response.json":                                                       e.do("GET", emApprovals+"/req-em-1", "megan@contoso.com", nil).body,
		"v1.0-approval-list-stages.response.json":                                               e.do("GET", emApprovals+"/req-em-1/stages", "megan@contoso.com", nil).body,
		"v1.0-approvalstage-get.response.json":                                                  e.do("GET", emApprovals+"/req-em-1/stages/st-1", "megan@contoso.com", nil).body,
		"v1.0-approval-filterbycurrentuser-pimgroups.response.json":                             e.do("GET", pimApprovals+approverFn, "megan@contoso.com", nil).body,
		"v1.0-approval-filterbycurrentuser-em.response.json":                                    e.do("GET", emApprovals+approverFn, "megan@contoso.com", nil).body,
		"v1.0-accesspackageassignmentrequest-get.response.json":                                 e.do("GET", emRequests+"/req-em-1", "megan@contoso.com", nil).body,
		"v1.0-accesspackageassignmentrequest-filterbycurrentuser.response.json":                 e.do("GET", emRequests+approverFn, "megan@contoso.com", nil).body,
		"v1.0-privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser.response.json": e.do("GET", pimRequests+approverFn, "megan@contoso.com", nil).body,
	}
	for name, body := range ours {
		doc, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		// The PIM example is invalid JSON (trailing comma) and misspells
		// createdDateTime; repair both before comparing.
		doc = regexp.MustCompile(`,(\s*})`).ReplaceAll(doc, []byte("$1"))
		doc = []byte(strings.ReplaceAll(string(doc), "DateTIme", "DateTime"))
		var d, o any
		if err := json.Unmarshal(doc, &d); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := json.Unmarshal(body, &o); err != nil {
			t.Fatalf("%s (ours): %v", name, err)
		}
		exact := strings.Contains(name, "stage") || strings.Contains(name, "approval-")
		compareShape(t, name, "$", d, o, exact)
	}
}

// compareShape checks that every key in the doc's object exists in ours
// (and, when exact, that ours has no other key), recursively through the
// first element of arrays. Keys whose doc value is a JSON null or an
// @odata annotation inside complex values are not required to match in type.
func compareShape(t *testing.T, file, at string, doc, ours any, exact bool) {
	switch d := doc.(type) {
	case map[string]any:
		o, ok := ours.(map[string]any)
		if !ok {
			t.Errorf("%s %s: doc has an object, we have %T", file, at, ours)
			return
		}
		for k, dv := range d {
			if k == "@odata.type" && at != "$" && !strings.HasSuffix(at, "]") {
				continue // e.g. schedule's "@odata.type" annotation in the EM examples
			}
			ov, ok := o[k]
			if !ok {
				t.Errorf("%s %s: we lack key %q", file, at, k)
				continue
			}
			compareShape(t, file, at+"."+k, dv, ov, exact)
		}
		if exact {
			for k := range o {
				if _, ok := d[k]; !ok && k != "@odata.context" && k != "@odata.nextLink" {
					t.Errorf("%s %s: we have key %q the documentation does not", file, at, k)
				}
			}
		}
	case []any:
		o, ok := ours.([]any)
		if !ok || len(d) == 0 || len(o) == 0 {
			if !ok {
				t.Errorf("%s %s: doc has an array, we have %T", file, at, ours)
			}
			return
		}
		compareShape(t, file, at+"[0]", d[0], o[0], exact)
	}
}
