package sim

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestTenantFileRoundTrip(t *testing.T) {
	for _, tn := range []*Tenant{Generate(8, 120, testNow), smallTenant()} {
		first := tenantBytes(t, tn)
		back, err := ReadTenant(bytes.NewReader(first))
		if err != nil {
			t.Fatal(err)
		}
		if second := tenantBytes(t, back); !bytes.Equal(first, second) {
			t.Fatal("write → read → write changed the bytes")
		}
	}
	// Through a file, and served: the same approvals wait.
	path := filepath.Join(t.TempDir(), "tenant.json")
	tn := Generate(8, 50, testNow)
	if err := WriteTenantFile(path, tn); err != nil {
		t.Fatal(err)
	}
	back, err := ReadTenantFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := newEnv(t, Options{Tenant: tn})
	b := newEnv(t, Options{Tenant: back})
	la, _ := a.listAll(emRequests+approverFn+"?$expand=requestor,accessPackage($expand=catalog)", a.demo.UserPrincipalName)
	lb, _ := b.listAll(emRequests+approverFn+"?$expand=requestor,accessPackage($expand=catalog)", b.demo.UserPrincipalName)
	ja, _ := json.Marshal(la)
	jb, _ := json.Marshal(lb)
	if !bytes.Equal(ja, jb) || len(la) == 0 {
		t.Error("a tenant read from its file serves different data")
	}
}

func TestTenantFileFormat(t *testing.T) {
	raw := tenantBytes(t, smallTenant())
	for _, want := range []string{`"version": 1`, `"approvers": [`, `"accessPackageRequests": [`, `"groupRequests": [`,
		`"timeout": "P14D"`, `"startedDateTime": "2025-03-10T04:30:00Z"`, `"justification": ""`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("tenant file lacks %s", want)
		}
	}
	if strings.Contains(string(raw), `\u003e`) || !strings.HasSuffix(string(raw), "}\n") {
		t.Error("tenant file escapes HTML or lacks its final newline")
	}
}

func TestTenantFileRejects(t *testing.T) {
	good := string(tenantBytes(t, smallTenant()))
	cases := map[string]string{
		"unknown field":        strings.Replace(good, `"version": 1,`, `"version": 1, "colour": "red",`, 1),
		"wrong version":        strings.Replace(good, `"version": 1`, `"version": 2`, 1),
		"unknown approver":     strings.Replace(good, `"approvers": [`+"\n"+`    "11111111`, `"approvers": [`+"\n"+`    "99999999`, 1),
		"unknown package":      strings.Replace(good, `"accessPackageId": "ap-1"`, `"accessPackageId": "ap-9"`, 1),
		"bad stage status":     strings.Replace(good, `"status": "Initializing"`, `"status": "NotStarted"`, 1),
		"bad review result":    strings.Replace(good, `"reviewResult": "NotReviewed"`, `"reviewResult": "Approve"`, 1),
		"bad timeout":          strings.Replace(good, `"timeout": "P14D"`, `"timeout": "two weeks"`, 1),
		"no stage in progress": strings.Replace(good, `"status": "InProgress"`, `"status": "Initializing"`, 1),
		"PIM stage id":         strings.Replace(good, `"id": "req-pim-1",`+"\n"+`          "approvers"`, `"id": "other",`+"\n"+`          "approvers"`, 1),
		"duplicate user":       strings.Replace(good, `"id": "22222222-2222-4222-8222-222222222222"`, `"id": "11111111-1111-4111-8111-111111111111"`, 1),
		"not JSON":             "{",
	}
	for name, body := range cases {
		if body == good {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		if _, err := ReadTenant(strings.NewReader(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Each is refused with an error naming where.
	named := map[string]struct{ body, want string }{
		"upn differing in case": {strings.Replace(good, `"userPrincipalName": "adele@contoso.com"`, `"userPrincipalName": "Megan@Contoso.com"`, 1),
			`users[1].userPrincipalName: "Megan@Contoso.com" is users[0]'s "megan@contoso.com"`},
		"trailing data": {good + `{"version": 1}`, "trailing data after the JSON object, at line"},
		"trailing junk": {good + "x", "trailing data"},
		"bad date":      {strings.Replace(good, `"createdDateTime": "`, `"createdDateTime": "yesterday `, 1), `catalogs[0].createdDateTime: "yesterday `},
		"date a number": {regexp.MustCompile(`"createdDateTime": "[^"]*"`).ReplaceAllString(good, `"createdDateTime": 5`), `].createdDateTime: 5 is not an RFC 3339`},
		"bad duration":  {strings.Replace(good, `"duration": "P30D"`, `"duration": "30 days"`, 1), `accessPackageRequests[0].schedule.duration: "30 days" is not an ISO 8601 duration`},
		"empty":         {"", "tenant file: empty"},
		"blank":         {" \n\t", "tenant file: empty"},
		"null":          {"null", "tenant file: null"},
		"syntax":        {"{\n  \"version\": 1,\n  x", "line 3, column 3"},
		"wrong type":    {strings.Replace(good, `"version": 1`, `"version": "one"`, 1), "version: string where int belongs"},
	}
	for name, c := range named {
		if c.body == good {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		_, err := ReadTenant(strings.NewReader(c.body))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, c.want)
		}
	}
	if _, err := ReadTenantFile(filepath.Join(t.TempDir(), "missing.json")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

func TestNewCopiesTheTenant(t *testing.T) {
	tn := smallTenant()
	e := newEnv(t, Options{Tenant: tn})
	if r := e.do("PATCH", emApprovals+"/req-em-1/stages/st-1", "megan@contoso.com", approve("ok")); r.status != 204 {
		t.Fatal(r.status)
	}
	if tn.AccessPackageRequests[0].Stages[0].Status != StatusInProgress {
		t.Error("the simulator changed the caller's Tenant")
	}
	if got := e.sim.Tenant().AccessPackageRequests[0].Stages[0].Status; got != StatusCompleted {
		t.Errorf("Tenant() snapshot: %s", got)
	}
}
