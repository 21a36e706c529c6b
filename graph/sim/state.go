package sim

import (
	"slices"
	"strings"
	"time"
)

// index finds tenant objects by id. Keys are lower case: Graph ids and
// UPNs compare case-insensitively.
type index struct {
	t        *Tenant
	users    map[string]*User // by id and by UPN
	catalogs map[string]*Catalog
	packages map[string]*AccessPackage
	groups   map[string]*Group
	em       map[string]*AccessPackageRequest
	pim      map[string]*GroupRequest
	roles    map[string]*Role
	aus      map[string]*AdministrativeUnit
	role     map[string]*RoleRequest
}

func lowerKey(s string) string { return strings.ToLower(s) }

func buildIndex(t *Tenant) *index {
	ix := &index{t: t, users: map[string]*User{}, catalogs: map[string]*Catalog{},
		packages: map[string]*AccessPackage{}, groups: map[string]*Group{},
		em: map[string]*AccessPackageRequest{}, pim: map[string]*GroupRequest{},
		roles: map[string]*Role{}, aus: map[string]*AdministrativeUnit{}, role: map[string]*RoleRequest{}}
	for i := range t.Users {
		u := &t.Users[i]
		ix.users[lowerKey(u.ID)] = u
		ix.users[lowerKey(u.UserPrincipalName)] = u
	}
	for i := range t.Catalogs {
		ix.catalogs[lowerKey(t.Catalogs[i].ID)] = &t.Catalogs[i]
	}
	for i := range t.AccessPackages {
		ix.packages[lowerKey(t.AccessPackages[i].ID)] = &t.AccessPackages[i]
	}
	for i := range t.Groups {
		ix.groups[lowerKey(t.Groups[i].ID)] = &t.Groups[i]
	}
	for _, r := range t.AccessPackageRequests {
		ix.em[lowerKey(r.ID)] = r
	}
	for _, r := range t.GroupRequests {
		ix.pim[lowerKey(r.ID)] = r
	}
	for i := range t.Roles {
		ix.roles[lowerKey(t.Roles[i].ID)] = &t.Roles[i]
	}
	for i := range t.AdministrativeUnits {
		ix.aus[lowerKey(t.AdministrativeUnits[i].ID)] = &t.AdministrativeUnits[i]
	}
	for _, r := range t.RoleRequests {
		ix.role[lowerKey(r.ID)] = r
	}
	return ix
}

func (ix *index) user(idOrUPN string) *User { return ix.users[lowerKey(idOrUPN)] }

// approvers is Tenant.Approvers, or, for tenant files without it, every
// user named as a stage approver, in order of first appearance.
func (ix *index) approvers() []string {
	if len(ix.t.Approvers) > 0 {
		return ix.t.Approvers
	}
	var out []string
	add := func(stages []Stage) {
		for _, s := range stages {
			for _, a := range s.Approvers {
				if !slices.Contains(out, a) {
					out = append(out, a)
				}
			}
		}
	}
	for _, r := range ix.t.AccessPackageRequests {
		add(r.Stages)
	}
	for _, r := range ix.t.GroupRequests {
		add(r.Stages)
	}
	for _, r := range ix.t.RoleRequests {
		add(r.Stages)
	}
	return out
}

// currentStage is the index of the stage in progress, or -1.
func currentStage(stages []Stage) int {
	for i, s := range stages {
		if s.Status == StatusInProgress {
			return i
		}
	}
	return -1
}

func findStage(stages []Stage, id string) int {
	for i, s := range stages {
		if strings.EqualFold(s.ID, id) {
			return i
		}
	}
	return -1
}

func isApproverOfAny(stages []Stage, userID string) bool {
	for _, s := range stages {
		if slices.Contains(s.Approvers, userID) {
			return true
		}
	}
	return false
}

// deadline is when a stage in progress expires.
func deadline(st *Stage, def string) time.Time {
	d, err := parseISODuration(cmpOr(st.Timeout, def))
	if err != nil || d <= 0 {
		d, _ = parseISODuration(def)
	}
	return st.StartedDateTime.Add(d)
}

// settleEM expires a pending request whose stage in progress is past its
// deadline: the stage becomes Expired and the request state "denied" with
// status "Expired" (entitlement management denies automatically).
func settleEM(r *AccessPackageRequest, now time.Time) {
	if r.State != StatePendingApproval {
		return
	}
	if i := currentStage(r.Stages); i >= 0 {
		if d := deadline(&r.Stages[i], DefaultAccessPackageTimeout); !now.Before(d) {
			r.Stages[i].Status = StatusExpired
			r.State, r.Status, r.CompletedDateTime = StateDenied, "Expired", d
		}
	}
}

// settlePIM expires a pending PIM request: the stage becomes Expired and
// the request status "Canceled" (the documented status set has no
// "Expired"; the approval stays readable, unlike a cancelled request).
func settlePIM(r *GroupRequest, now time.Time) {
	if r.Status != PIMPendingApproval {
		return
	}
	if i := currentStage(r.Stages); i >= 0 {
		if d := deadline(&r.Stages[i], DefaultGroupTimeout); !now.Before(d) {
			r.Stages[i].Status = StatusExpired
			r.Status, r.CompletedDateTime = PIMCanceled, d
		}
	}
}

// settleRole expires a pending role request 24 hours after it was made
// (the window is fixed): the step becomes Expired and the request status
// "Canceled", as for PIM for Groups.
func settleRole(r *RoleRequest, now time.Time) {
	if r.Status != PIMPendingApproval {
		return
	}
	if i := currentStage(r.Stages); i >= 0 {
		if d := r.CreatedDateTime.Add(RoleApprovalWindow); !now.Before(d) {
			r.Stages[i].Status = StatusExpired
			r.Status, r.CompletedDateTime = PIMCanceled, d
		}
	}
}

func (s *Server) settleAll(now time.Time) {
	for _, r := range s.tenant.RoleRequests {
		settleRole(r, now)
	}
	for _, r := range s.tenant.AccessPackageRequests {
		settleEM(r, now)
	}
	for _, r := range s.tenant.GroupRequests {
		settlePIM(r, now)
	}
}

// emCanceled: the requestor withdrew it; its approval is gone (404).
func emCanceled(r *AccessPackageRequest) bool { return r.State == StateCanceled }

// pimCanceled tells a withdrawn PIM request from an expired one (both have
// status Canceled).
func pimCanceled(r *GroupRequest) bool {
	return r.Status == PIMCanceled && !slices.ContainsFunc(r.Stages, func(s Stage) bool { return s.Status == StatusExpired })
}

// roleCanceled tells a withdrawn role request from an expired one.
func roleCanceled(r *RoleRequest) bool {
	return r.Status == PIMCanceled && !slices.ContainsFunc(r.Stages, func(s Stage) bool { return s.Status == StatusExpired })
}

func (s *Server) roleWaitsFor(r *RoleRequest, userID string, now time.Time) bool {
	settleRole(r, now)
	if r.Status != PIMPendingApproval {
		return false
	}
	i := currentStage(r.Stages)
	return i >= 0 && slices.Contains(r.Stages[i].Approvers, userID)
}

func (s *Server) emWaitsFor(r *AccessPackageRequest, userID string, now time.Time) bool {
	settleEM(r, now)
	if r.State != StatePendingApproval {
		return false
	}
	i := currentStage(r.Stages)
	return i >= 0 && slices.Contains(r.Stages[i].Approvers, userID)
}

func (s *Server) pimWaitsFor(r *GroupRequest, userID string, now time.Time) bool {
	settlePIM(r, now)
	if r.Status != PIMPendingApproval {
		return false
	}
	i := currentStage(r.Stages)
	return i >= 0 && slices.Contains(r.Stages[i].Approvers, userID)
}
