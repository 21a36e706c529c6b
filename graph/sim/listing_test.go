package sim

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestListingPerCaller(t *testing.T) {
	e := newEnv(t, Options{Seed: 7, Approvals: 60})
	demo := e.demo.UserPrincipalName
	items, _ := e.listAll(emRequests+approverFn, demo)
	pim, _ := e.listAll(pimRequests+approverFn+"?$filter=status eq 'PendingApproval'", demo)
	if got := len(items) + len(pim); got != 60 {
		t.Fatalf("demo identity sees %d approvals, want 60", got)
	}
	if len(items) == 0 || len(pim) == 0 {
		t.Fatalf("want both sources: %d EM, %d PIM", len(items), len(pim))
	}
	// Every listed approval has a stage in progress assigned to the caller,
	// and assignedToMe is computed per caller.
	for _, it := range items[:10] {
		id := it["id"].(string)
		for _, u := range e.users {
			m := e.do("GET", emApprovals+"/"+id, u.UserPrincipalName, nil)
			if m.status == 403 {
				continue
			}
			for _, st := range m.object(t)["stages"].([]any) {
				s := st.(map[string]any)
				if s["status"] == "InProgress" && u.ID == e.demo.ID && s["assignedToMe"] != true {
					t.Errorf("%s: stage in progress not assignedToMe for the demo identity", id)
				}
			}
		}
	}
	// Other approvers see their own approvals, not the demo identity's count.
	for _, u := range e.users[1:] {
		got, _ := e.listAll(emRequests+approverFn, u.UserPrincipalName)
		got2, _ := e.listAll(pimRequests+approverFn, u.UserPrincipalName)
		if want := e.sim.Waiting(u.ID); len(got)+len(got2) != want {
			t.Errorf("%s sees %d, Waiting says %d", u.UserPrincipalName, len(got)+len(got2), want)
		}
	}
	// A user who approves nothing sees nothing (and gets 200, not an error).
	var requestor string
	for _, u := range e.sim.Tenant().Users {
		if !slices.ContainsFunc(e.users, func(a User) bool { return a.ID == u.ID }) {
			requestor = u.UserPrincipalName
			break
		}
	}
	if got := values(t, e.getJSON(emRequests+approverFn, requestor)); len(got) != 0 {
		t.Errorf("a non-approver sees %d requests", len(got))
	}
	if got := values(t, e.getJSON(pimApprovals+approverFn, requestor)); len(got) != 0 {
		t.Errorf("a non-approver sees %d PIM approvals", len(got))
	}
}

func TestAssignedToMePerCaller(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	assigned := func(user string) []any {
		var out []any
		for _, st := range e.getJSON(emApprovals+"/req-em-1", user)["stages"].([]any) {
			out = append(out, st.(map[string]any)["assignedToMe"])
		}
		return out
	}
	if got := fmt.Sprint(assigned("megan@contoso.com")); got != "[true false true]" {
		t.Errorf("megan: %s", got)
	}
	if got := fmt.Sprint(assigned("ADELE@contoso.com")); got != "[false true true]" { // UPN is case-insensitive
		t.Errorf("adele: %s", got)
	}
	// Adele approves stage 2 and 3 only: request not listed for her yet.
	if got := values(t, e.getJSON(emRequests+approverFn, "adele@contoso.com")); len(got) != 0 {
		t.Errorf("adele sees a request whose current stage is not hers")
	}
	// The bearer may also be the user id.
	if got := values(t, e.getJSON(emRequests+approverFn, "11111111-1111-4111-8111-111111111111")); len(got) != 1 {
		t.Errorf("by user id: %d", len(got))
	}
}

func TestPagingFollowsNextLinkVerbatim(t *testing.T) {
	e := newEnv(t, Options{Seed: 3, Approvals: 120})
	demo := e.demo.UserPrincipalName
	all, pages := e.listAll(emRequests+approverFn+"?$top=1000", demo)
	if pages != 1 {
		t.Fatalf("$top above the total should fit one page, got %d pages", pages)
	}
	for _, path := range []string{
		emRequests + approverFn + "?$top=10&$expand=requestor",
		emRequests + "/filterByCurrentUser%28on=%27approver%27%29?%24top=10&%24expand=requestor", // Kiota style
		"/V1.0/IdentityGovernance/EntitlementManagement/AssignmentRequests/FilterByCurrentUser(on='approver')?top=10&expand=requestor",
	} {
		got, pages := e.listAll(path, demo)
		if pages < 3 {
			t.Errorf("%s: %d pages, want ≥3", path, pages)
		}
		if !slices.Equal(ids(got), ids(all)) {
			t.Errorf("%s: paging lost or repeated items: %d vs %d", path, len(got), len(all))
		}
		for _, it := range got {
			if _, ok := it["requestor"]; !ok {
				t.Fatalf("%s: $expand not preserved across pages", path)
			}
		}
	}
	// nextLink is absolute, keeps the other options and the path as sent.
	m := e.getJSON(emRequests+approverFn+"?$top=5&$expand=requestor&custom=1", demo)
	next := m["@odata.nextLink"].(string)
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "http" || u.Host != strings.TrimPrefix(e.srv.URL, "http://") {
		t.Fatalf("nextLink %q is not absolute on the request's host", next)
	}
	if !strings.Contains(next, "filterByCurrentUser(on='approver')") || !strings.Contains(next, "$expand=requestor") ||
		!strings.Contains(next, "$top=5") || !strings.Contains(next, "custom=1") || !strings.Contains(next, "$skiptoken=") {
		t.Errorf("nextLink %q", next)
	}
	// Default page size applies without $top.
	e2 := newEnv(t, Options{Seed: 3, Approvals: 120, PageSize: 25})
	if got := values(t, e2.getJSON(emRequests+approverFn, demo)); len(got) != 25 {
		t.Errorf("PageSize 25: got %d", len(got))
	}
	// PIM and approvals listings page too.
	pim, pages := e.listAll(pimRequests+approverFn+"?$top=7&$filter=status eq 'PendingApproval'&$expand=group,principal", demo)
	if pages < 3 || len(pim)+len(all) != 120 {
		t.Errorf("PIM paging: %d items in %d pages", len(pim), pages)
	}
	apprs, _ := e.listAll(emApprovals+approverFn+"?$top=9", demo)
	if !slices.Equal(ids(apprs), ids(all)) {
		t.Error("EM approvals listing differs from the requests listing")
	}
}

// Items leaving the list between pages (decided by someone else) must not
// make the next page skip others.
func TestPagingStableWhileDeciding(t *testing.T) {
	e := newEnv(t, Options{Seed: 5, Approvals: 40})
	demo := e.demo.UserPrincipalName
	before, _ := e.listAll(emRequests+approverFn, demo)
	m := e.getJSON(emRequests+approverFn+"?$top=5", demo)
	first := values(t, m)
	for _, it := range first { // decide page 1's items: they leave the list
		a := e.getJSON(emApprovals+"/"+it["id"].(string), demo)
		for _, st := range a["stages"].([]any) {
			s := st.(map[string]any)
			if s["status"] == "InProgress" {
				r := e.do("PATCH", emApprovals+"/"+it["id"].(string)+"/stages/"+s["id"].(string), demo,
					map[string]string{"reviewResult": "Deny", "justification": "no"})
				if r.status != 204 {
					t.Fatalf("deny: %d %s", r.status, r.body)
				}
			}
		}
	}
	rest, _ := e.listAll(m["@odata.nextLink"].(string), demo)
	if want := ids(before)[5:]; !slices.Equal(ids(rest), want) {
		t.Errorf("after deciding page 1, the remaining pages list %d items, want %d", len(rest), len(want))
	}
}

func TestExpandPresentAbsent(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	it := values(t, e.getJSON(emRequests+approverFn, "megan@contoso.com"))[0]
	for _, nav := range []string{"requestor", "accessPackage", "assignment"} {
		if _, ok := it[nav]; ok {
			t.Errorf("%s present without $expand", nav)
		}
	}
	it = values(t, e.getJSON(emRequests+approverFn+"?$expand=accessPackage($select=id,displayName;$expand=catalog($select=displayName)),assignment($expand=target)", "megan@contoso.com"))[0]
	pkg := it["accessPackage"].(map[string]any)
	if got := strings.Join(sortedKeys(pkg), ","); got != "catalog,displayName,id" {
		t.Errorf("nested $select/$expand: accessPackage keys %s", got)
	}
	if cat := pkg["catalog"].(map[string]any); cat["displayName"] != "Finance" || len(cat) != 2 {
		t.Errorf("catalog %v", cat)
	}
	target := it["assignment"].(map[string]any)["target"].(map[string]any)
	if target["principalName"] != "raj.patel@contoso.com" {
		t.Errorf("assignment.target %v", target)
	}
	// $select at the top keeps id, the selected properties and expansions.
	it = values(t, e.getJSON(emRequests+approverFn+"?$select=state,justification&$expand=requestor", "megan@contoso.com"))[0]
	if got := strings.Join(sortedKeys(it), ","); got != "id,justification,requestor,state" {
		t.Errorf("$select: keys %s", got)
	}
	// Unknown navigation property or property: Graph 400.
	e.do("GET", emRequests+approverFn+"?$expand=approvals", "megan@contoso.com", nil).expect(t, 400, "BadRequest")
	e.do("GET", emRequests+approverFn+"?$select=requestState", "megan@contoso.com", nil).expect(t, 400, "BadRequest")
	e.do("GET", pimRequests+approverFn+"?$expand=group,principal,owner", "megan@contoso.com", nil).expect(t, 400, "BadRequest")
}

func TestFilterForms(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	ok := map[string]int{
		emRequests + approverFn + "?$filter=state eq 'pendingApproval'":                                       1,
		emRequests + approverFn + "?$filter=state eq 'delivered'":                                             0,
		emRequests + approverFn + "?$filter=state ne 'delivered' and createdDateTime ge 2025-01-01T00:00:00Z": 1,
		emRequests + approverFn + "?$filter=createdDateTime gt 2025-03-10T09:00:00Z":                          0,
		pimRequests + approverFn + "?$filter=status eq 'PendingApproval'":                                     1,
		pimRequests + approverFn + "?filter=status eq 'PendingApproval'":                                      1,
		pimRequests + approverFn + "?$filter=status eq 'PendingApproval' and groupId eq 'grp-1'":              1,
		pimRequests + approverFn + "?$filter=(status eq 'PendingApproval') and accessId eq 'owner'":           0,
	}
	for path, want := range ok {
		if got := values(t, e.getJSON(path, "megan@contoso.com")); len(got) != want {
			t.Errorf("%s: %d items, want %d", path, len(got), want)
		}
	}
	for _, path := range []string{
		emRequests + approverFn + "?$filter=state eq 'pendingApproval' or state eq 'delivered'",
		emRequests + approverFn + "?$filter=startswith(state,'pending')",
		emRequests + approverFn + "?$filter=requestState eq 'PendingApproval'", // a beta name
		emRequests + approverFn + "?$filter=state gt 'a'",
		emRequests + approverFn + "?$filter=state eq pendingApproval",
		emRequests + approverFn + "?$filter=createdDateTime ge 'yesterday'",
		pimRequests + approverFn + "?$filter=status eq 'PendingApproval",
		pimApprovals + approverFn + "?$filter=id eq 'x'",
		emRequests + approverFn + "?$orderby=createdDateTime",
		emRequests + approverFn + "?$top=-1",
		emRequests + approverFn + "?$top=ten",
		emRequests + approverFn + "?$skiptoken=garbage",
		emRequests + approverFn + "?$frobnicate=1",
		emRequests + approverFn + "?$top=1&top=2",
	} {
		e.do("GET", path, "megan@contoso.com", nil).expect(t, 400, "BadRequest")
	}
}

func TestFunctionParameter(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	raj := "raj.patel@contoso.com"
	cases := map[string]int{
		emRequests + "/filterByCurrentUser(on='target')":                 1,
		emRequests + "/filterByCurrentUser(on='createdBy')":              1,
		emRequests + "/filterByCurrentUser(on='approver')":               0,
		emRequests + "/microsoft.graph.filterByCurrentUser(on='target')": 1,
		emRequests + "/filterByCurrentUser(on=@p)?@p='target'":           1,
		pimRequests + "/filterByCurrentUser(on='principal')":             1,
		pimRequests + "/filterByCurrentUser(on='createdBy')":             1,
	}
	for path, want := range cases {
		if got := values(t, e.getJSON(path, raj)); len(got) != want {
			t.Errorf("%s: %d, want %d", path, len(got), want)
		}
	}
	for _, path := range []string{
		emRequests + "/filterByCurrentUser(on='everyone')",
		emRequests + "/filterByCurrentUser()",
		emApprovals + "/filterByCurrentUser(on='target')",
		pimApprovals + "/filterByCurrentUser(on='principal')",
	} {
		e.do("GET", path, raj, nil).expect(t, 400, "BadRequest")
	}
	// $count on the first page.
	m := e.getJSON(emRequests+approverFn+"?$count=true", "megan@contoso.com")
	if m["@odata.count"] != float64(1) {
		t.Errorf("@odata.count %v", m["@odata.count"])
	}
}

func TestRoutingErrors(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	megan := "megan@contoso.com"
	r := e.do("GET", "/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentRequestz/x", megan, nil)
	r.expect(t, 400, "BadRequest")
	if !strings.Contains(string(r.body), "Resource not found for the segment 'accessPackageAssignmentRequestz'.") {
		t.Errorf("message: %s", r.body)
	}
	e.do("GET", emApprovals+"/req-em-1/steps", megan, nil).expect(t, 400, "BadRequest") // beta's name
	e.do("GET", "/v2.0/me", megan, nil).expect(t, 400, "BadRequest")
	e.do("GET", "/beta/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/req-em-1", megan, nil).expect(t, 400, "BadRequest") // beta serves role approvals only
	e.do("GET", "/v1.0/roleManagement/directory/roleAssignmentApprovals/x", megan, nil).expect(t, 400, "BadRequest")                                 // beta only
	e.do("GET", "/v1.0/users", megan, nil).expect(t, 400, "BadRequest")
	e.do("GET", emApprovals+"/req-em-1/stages/nope", megan, nil).expect(t, 404, "")
	r = e.do("DELETE", emApprovals+"/req-em-1/stages/st-1", megan, nil)
	r.expect(t, 405, "")
	if r.header.Get("Allow") != "GET, PATCH" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	e.do("POST", "/v1.0/me", megan, "{}").expect(t, 405, "")
	e.do("GET", "/v1.0/$batch", megan, nil).expect(t, 405, "")
	// Plain collections need an administrator role.
	e.do("GET", emRequests, megan, nil).expect(t, 403, "")
	e.do("GET", emApprovals, megan, nil).expect(t, 403, "")
	// Key syntax works like a path segment.
	if m := e.getJSON(emApprovals+"('req-em-1')/stages('st-1')", megan); m["id"] != "st-1" {
		t.Errorf("key syntax: %v", m)
	}
	// Navigation properties of a request.
	if m := e.getJSON(emRequests+"/req-em-1/requestor", megan); m["principalName"] != "raj.patel@contoso.com" {
		t.Errorf("requestor nav: %v", m)
	}
	if m := e.getJSON(pimRequests+"/req-pim-1/group", megan); m["displayName"] != "PIM-Prod-SQL-Admins" {
		t.Errorf("group nav: %v", m)
	}
	// Outsiders may not read a request; unknown ones are 404.
	e.do("GET", emRequests+"/req-em-1", "olga@contoso.com", nil).expect(t, 403, "Forbidden")
	e.do("GET", pimRequests+"/nope", megan, nil).expect(t, 404, "")
}

func TestUnauthenticated(t *testing.T) {
	e := newEnv(t, Options{Tenant: smallTenant()})
	for _, user := range []string{"", "nobody@contoso.com", "megan@fabrikam.com"} {
		r := e.do("GET", emRequests+approverFn, user, nil)
		r.expect(t, 401, "InvalidAuthenticationToken")
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
		}
		if user != "" && strings.Contains(string(r.body), user) {
			t.Errorf("the token leaked into the error: %s", r.body)
		}
	}
	// Auth comes before routing, as in Graph.
	e.do("GET", "/v1.0/nothing", "", nil).expect(t, 401, "InvalidAuthenticationToken")
	r := e.do("GET", "/v1.0/me", "", nil, "Authorization", "Basic bWVnYW4=")
	r.expect(t, 401, "InvalidAuthenticationToken")
}

func TestEscapeQueryKeepsValidTextAsSent(t *testing.T) {
	for in, want := range map[string]string{
		"$filter=status%20eq%20'PendingApproval'": "$filter=status%20eq%20'PendingApproval'", // Kiota / curl: unchanged
		"$expand=group,principal($select=id)":     "$expand=group,principal($select=id)",
		"$filter=status eq 'x'":                   "$filter=status%20eq%20'x'",
		"q=100%":                                  "q=100%25",
		"q=%zz\"é":                                "q=%25zz%22%C3%A9",
	} {
		if got := escapeQuery(in); got != want {
			t.Errorf("escapeQuery(%q) = %q, want %q", in, got, want)
		}
	}
}
