package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// WriteTenant writes t as a tenant file: indented JSON, fields in a fixed
// order, ending with a newline. Reading it back and writing it again gives
// the same bytes.
func WriteTenant(w io.Writer, t *Tenant) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ReadTenant reads and validates a tenant file. Unknown fields are errors
// (a misspelt field would otherwise be silently ignored), and so are
// dangling references and impossible stage states.
func ReadTenant(r io.Reader) (*Tenant, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var t Tenant
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("tenant file: %w", err)
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("tenant file: %w", err)
	}
	return &t, nil
}

// ReadTenantFile reads a tenant file from disk.
func ReadTenantFile(path string) (*Tenant, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadTenant(f)
}

// WriteTenantFile writes a tenant file to disk (replacing it).
func WriteTenantFile(path string, t *Tenant) error {
	var buf bytes.Buffer
	if err := WriteTenant(&buf, t); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// Clone returns a deep copy of t.
func (t *Tenant) Clone() *Tenant {
	var buf bytes.Buffer
	if err := WriteTenant(&buf, t); err != nil {
		panic(err) // a Tenant always encodes
	}
	var c Tenant
	if err := json.Unmarshal(buf.Bytes(), &c); err != nil {
		panic(err)
	}
	return &c
}

// Validate checks that every reference resolves and every request is in a
// state the simulator can serve. Errors name the offending field.
func (t *Tenant) Validate() error {
	v := validator{users: map[string]bool{}}
	if t.Version != TenantVersion {
		return fmt.Errorf("version: got %d, want %d", t.Version, TenantVersion)
	}
	for i, u := range t.Users {
		v.unique(fmt.Sprintf("users[%d].id", i), "user", u.ID, v.users)
		if u.UserPrincipalName == "" {
			v.fail("users[%d].userPrincipalName: empty", i)
		}
	}
	for i, id := range t.Approvers {
		v.user(fmt.Sprintf("approvers[%d]", i), id)
	}
	catalogs := map[string]bool{}
	for i, c := range t.Catalogs {
		v.unique(fmt.Sprintf("catalogs[%d].id", i), "catalog", c.ID, catalogs)
	}
	packages := map[string]bool{}
	for i, p := range t.AccessPackages {
		at := fmt.Sprintf("accessPackages[%d]", i)
		v.unique(at+".id", "access package", p.ID, packages)
		if !catalogs[p.CatalogID] {
			v.fail("%s.catalogId: unknown catalog %q", at, p.CatalogID)
		}
		for j, q := range p.Questions {
			if q.Kind != "text" && q.Kind != "multipleChoice" {
				v.fail("%s.questions[%d].kind: %q is not text or multipleChoice", at, j, q.Kind)
			}
		}
		v.policy(at+".policy", p.Policy, 3)
	}
	groups := map[string]bool{}
	for i, g := range t.Groups {
		at := fmt.Sprintf("groups[%d]", i)
		v.unique(at+".id", "group", g.ID, groups)
		v.policy(at+".memberPolicy", g.MemberPolicy, 1)
		v.policy(at+".ownerPolicy", g.OwnerPolicy, 1)
	}
	ids := map[string]bool{}
	for i, r := range t.AccessPackageRequests {
		at := fmt.Sprintf("accessPackageRequests[%d]", i)
		if r == nil {
			v.fail("%s: null", at)
			continue
		}
		v.unique(at+".id", "request", r.ID, ids)
		if !packages[r.AccessPackageID] {
			v.fail("%s.accessPackageId: unknown access package %q", at, r.AccessPackageID)
		}
		v.user(at+".requestorId", r.RequestorID)
		v.user(at+".targetId", r.TargetID)
		v.stages(at, r.Stages, r.State == StatePendingApproval, 3)
	}
	for i, r := range t.GroupRequests {
		at := fmt.Sprintf("groupRequests[%d]", i)
		if r == nil {
			v.fail("%s: null", at)
			continue
		}
		v.unique(at+".id", "request", r.ID, ids)
		if !groups[r.GroupID] {
			v.fail("%s.groupId: unknown group %q", at, r.GroupID)
		}
		v.user(at+".principalId", r.PrincipalID)
		v.user(at+".createdById", r.CreatedByID)
		if r.AccessID != "member" && r.AccessID != "owner" {
			v.fail("%s.accessId: %q is not member or owner", at, r.AccessID)
		}
		v.stages(at, r.Stages, r.Status == PIMPendingApproval, 1)
		if len(r.Stages) == 1 && r.Stages[0].ID != r.ID {
			v.fail("%s.stages[0].id: a PIM for Groups stage has the approval's id %q", at, r.ID)
		}
	}
	roles := map[string]bool{}
	for i, r := range t.Roles {
		at := fmt.Sprintf("roles[%d]", i)
		v.unique(at+".id", "role", r.ID, roles)
		v.approvers(at+".approvers", r.Approvers)
	}
	aus := map[string]bool{}
	for i, au := range t.AdministrativeUnits {
		v.unique(fmt.Sprintf("administrativeUnits[%d].id", i), "administrative unit", au.ID, aus)
	}
	for i, r := range t.RoleRequests {
		at := fmt.Sprintf("roleRequests[%d]", i)
		if r == nil {
			v.fail("%s: null", at)
			continue
		}
		v.unique(at+".id", "request", r.ID, ids)
		if !roles[r.RoleDefinitionID] {
			v.fail("%s.roleDefinitionId: unknown role %q", at, r.RoleDefinitionID)
		}
		if au, ok := strings.CutPrefix(r.DirectoryScopeID, "/administrativeUnits/"); ok && !aus[au] {
			v.fail("%s.directoryScopeId: unknown administrative unit %q", at, au)
		} else if !ok && r.DirectoryScopeID != "" && r.DirectoryScopeID != "/" {
			v.fail("%s.directoryScopeId: %q is not \"/\" or /administrativeUnits/{id}", at, r.DirectoryScopeID)
		}
		v.user(at+".principalId", r.PrincipalID)
		v.user(at+".createdById", r.CreatedByID)
		v.stages(at, r.Stages, r.Status == PIMPendingApproval, 1)
	}
	return v.err()
}

type validator struct {
	users map[string]bool
	errs  []string
}

func (v *validator) fail(format string, args ...any) {
	if len(v.errs) < 20 {
		v.errs = append(v.errs, fmt.Sprintf(format, args...))
	}
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(v.errs, "; "))
}

func (v *validator) unique(at, what, id string, seen map[string]bool) {
	switch {
	case id == "":
		v.fail("%s: empty", at)
	case seen[strings.ToLower(id)]:
		v.fail("%s: duplicate %s id %q", at, what, id)
	}
	seen[strings.ToLower(id)] = true
	seen[id] = true
}

func (v *validator) user(at, id string) {
	if !v.users[id] {
		v.fail("%s: unknown user %q", at, id)
	}
}

func (v *validator) policy(at string, p Policy, maxStages int) {
	if len(p.Stages) > maxStages {
		v.fail("%s.stages: %d stages, at most %d", at, len(p.Stages), maxStages)
	}
	for i, s := range p.Stages {
		sat := fmt.Sprintf("%s.stages[%d]", at, i)
		v.approvers(sat, s.Approvers)
		v.timeout(sat, s.Timeout)
	}
}

func (v *validator) approvers(at string, ids []string) {
	if len(ids) == 0 {
		v.fail("%s.approvers: empty", at)
	}
	for j, id := range ids {
		v.user(fmt.Sprintf("%s.approvers[%d]", at, j), id)
	}
}

func (v *validator) timeout(at, s string) {
	if s == "" {
		return
	}
	if d, err := parseISODuration(s); err != nil || d <= 0 {
		v.fail("%s.timeout: %q is not a positive ISO 8601 duration", at, s)
	}
}

var (
	stageStatuses = []string{StatusInProgress, StatusInitializing, StatusCompleted, StatusExpired}
	stageResults  = []string{ResultNotReviewed, ResultApproved, ResultDenied}
)

func (v *validator) stages(at string, stages []Stage, pending bool, maxStages int) {
	if len(stages) == 0 || len(stages) > maxStages {
		v.fail("%s.stages: %d stages, want 1 to %d", at, len(stages), maxStages)
	}
	inProgress := 0
	ids := map[string]bool{}
	for i, s := range stages {
		sat := fmt.Sprintf("%s.stages[%d]", at, i)
		v.unique(sat+".id", "stage", s.ID, ids)
		v.approvers(sat, s.Approvers)
		v.timeout(sat, s.Timeout)
		if !slices.Contains(stageStatuses, s.Status) {
			v.fail("%s.status: %q is not one of %v", sat, s.Status, stageStatuses)
		}
		if !slices.Contains(stageResults, s.ReviewResult) {
			v.fail("%s.reviewResult: %q is not one of %v", sat, s.ReviewResult, stageResults)
		}
		if s.ReviewedBy != "" {
			v.user(sat+".reviewedBy", s.ReviewedBy)
		}
		if s.Status == StatusInProgress {
			inProgress++
			if s.StartedDateTime.IsZero() {
				v.fail("%s.startedDateTime: a stage in progress needs its start time", sat)
			}
		}
	}
	if pending && inProgress != 1 {
		v.fail("%s.stages: a pending request needs exactly one stage InProgress, found %d", at, inProgress)
	}
	if !pending && inProgress != 0 {
		v.fail("%s.stages: a request that is not pending cannot have a stage InProgress", at)
	}
}
