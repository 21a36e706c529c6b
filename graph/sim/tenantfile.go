package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
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
// (a misspelt field would otherwise be silently ignored), and so are an
// empty or null file, anything after the JSON object, dates and durations
// that do not parse, dangling references, principal names that differ
// only in case, and impossible stage states. Errors name the field's path
// ("users[2].userPrincipalName").
func ReadTenant(r io.Reader) (*Tenant, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("tenant file: %w", err)
	}
	switch trimmed := bytes.TrimSpace(data); {
	case len(trimmed) == 0:
		return nil, fmt.Errorf("tenant file: empty; want a JSON object with \"version\": %d", TenantVersion)
	case string(trimmed) == "null":
		return nil, fmt.Errorf("tenant file: null; want a JSON object with \"version\": %d", TenantVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Tenant
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("tenant file: %s", decodeError(data, err))
	}
	if off := dec.InputOffset(); len(bytes.TrimSpace(data[off:])) > 0 {
		return nil, fmt.Errorf("tenant file: trailing data after the JSON object, at %s", position(data, off+int64(len(data[off:])-len(bytes.TrimLeft(data[off:], " \t\r\n")))))
	}
	var tree any // dates decode or fail above; durations are strings until checked here
	if json.Unmarshal(data, &tree) == nil {
		if path, why := findBadValue(tree, ""); path != "" {
			return nil, fmt.Errorf("tenant file: %s: %s", path, why)
		}
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("tenant file: %w", err)
	}
	return &t, nil
}

// decodeError says where a tenant file fails to decode: the field's path
// for a date, duration or value of the wrong type, else the position.
func decodeError(data []byte, err error) string {
	var tree any
	if json.Unmarshal(data, &tree) == nil {
		if path, why := findBadValue(tree, ""); path != "" {
			return path + ": " + why
		}
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return se.Error() + " at " + position(data, se.Offset-1) // Offset is just past the bad byte
	case errors.As(err, &te) && te.Field != "":
		return te.Field + ": " + te.Value + " where " + te.Type.String() + " belongs"
	}
	return err.Error()
}

// findBadValue walks a decoded tenant file for the first date (a field
// named *DateTime) that is not RFC 3339 or duration (duration, timeout)
// that is not ISO 8601, and returns its path and what is wrong.
func findBadValue(v any, path string) (string, string) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			at := k
			if path != "" {
				at = path + "." + k
			}
			s, isString := v[k].(string)
			switch {
			case strings.HasSuffix(k, "DateTime") && v[k] != nil:
				if _, err := time.Parse(time.RFC3339Nano, s); !isString || err != nil {
					return at, fmt.Sprintf("%s is not an RFC 3339 date and time (e.g. 2026-03-02T09:30:00Z)", jsonText(v[k]))
				}
			case (k == "duration" || k == "timeout") && v[k] != nil:
				if _, err := parseISODuration(s); !isString || (s != "" && err != nil) {
					return at, fmt.Sprintf("%s is not an ISO 8601 duration (e.g. PT8H, P14D)", jsonText(v[k]))
				}
			}
			if p, why := findBadValue(v[k], at); p != "" {
				return p, why
			}
		}
	case []any:
		for i, e := range v {
			if p, why := findBadValue(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p, why
			}
		}
	}
	return "", ""
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// position is "line L, column C (byte N)" of a 0-based offset.
func position(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int64(len(before)-bytes.LastIndexByte(before, '\n')-1) + 1
	return fmt.Sprintf("line %d, column %d (byte %d)", line, col, off)
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
	upns := map[string]int{} // lower-cased principal name → index
	for i, u := range t.Users {
		v.unique(fmt.Sprintf("users[%d].id", i), "user", u.ID, v.users)
		if u.UserPrincipalName == "" {
			v.fail("users[%d].userPrincipalName: empty", i)
			continue
		}
		// Principal names are case-insensitive: a token naming one would
		// sign in as whichever came first.
		if j, dup := upns[strings.ToLower(u.UserPrincipalName)]; dup {
			v.fail("users[%d].userPrincipalName: %q is users[%d]'s %q (principal names ignore case)", i, u.UserPrincipalName, j, t.Users[j].UserPrincipalName)
		} else {
			upns[strings.ToLower(u.UserPrincipalName)] = i
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
