package sim

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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
