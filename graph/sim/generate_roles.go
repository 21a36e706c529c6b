package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// DefaultRoleApprovals is how many role activations the demo and
// `approvals sim` generate for the demo identity (plus its own and an
// extension).
const DefaultRoleApprovals = 5

// roleSeeds are built-in Microsoft Entra roles (template ids as Microsoft
// publishes them) that tenants commonly put behind PIM approval.
var roleSeeds = []struct{ id, name, description string }{
	{"62e90394-69f5-4237-9190-012177145e10", "Global Administrator", "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities."},
	{"e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator", "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management."},
	{"fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", "Can manage all aspects of users and groups, including resetting passwords for limited admins."},
	{"29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", "Can manage all aspects of the Exchange product."},
	{"194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator", "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365."},
	{"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator", "Can create and manage all aspects of app registrations and enterprise apps."},
	{"729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", "Can reset passwords for non-administrators and Helpdesk Administrators."},
}

var roleReasons = []string{
	"Break-fix on the conditional access policy for the VPN, change CHG0031177",
	"Quarterly access review follow-up",
	"Onboarding the new subsidiary's domains",
	"Investigating a risky sign-in alert",
	"Emergency mailbox restore for legal hold",
	"Rotating the SAML signing certificate of the HR app",
	"Password reset wave for the Lisbon office",
}

// GenerateRoles adds PIM for Microsoft Entra roles to t: role definitions
// (approved by the first two approvers), two administrative units, n
// activation requests waiting for the demo identity (t.Approvers[0]), and
// two it cannot decide: its own activation and an extension. It draws from
// its own random stream, so the rest of t is unchanged.
func GenerateRoles(t *Tenant, seed int64, n int, now time.Time) {
	if len(t.Approvers) == 0 {
		return
	}
	now = now.UTC().Truncate(time.Millisecond)
	r := rand.New(rand.NewPCG(uint64(seed), 0x7011e5))
	approvers := t.Approvers[:min(2, len(t.Approvers))]
	for _, rs := range roleSeeds {
		t.Roles = append(t.Roles, Role{ID: rs.id, DisplayName: rs.name, Description: rs.description, IsBuiltIn: true,
			Approvers: slices.Clone(approvers)})
	}
	for _, name := range []string{"Lisbon office", "Contractors"} {
		t.AdministrativeUnits = append(t.AdministrativeUnits, AdministrativeUnit{ID: newGUID(r), DisplayName: name})
	}
	var principals []string
	for _, u := range t.Users {
		if !slices.Contains(t.Approvers, u.ID) {
			principals = append(principals, u.ID)
		}
	}
	if len(principals) == 0 {
		return
	}
	demo := t.Approvers[0]
	add := func(principal, action string, role Role) {
		// Within the 24-hour window, a few of them near its end.
		age := time.Duration(r.IntN(20*60)) * time.Minute
		if r.IntN(8) == 0 {
			age = 23*time.Hour + time.Duration(r.IntN(50))*time.Minute
		}
		created := now.Add(-age)
		req := &RoleRequest{
			ID: newGUID(r), RoleDefinitionID: role.ID, DirectoryScopeID: "/", PrincipalID: principal, CreatedByID: principal,
			Action: action, Status: PIMPendingApproval, Justification: pick(r, roleReasons), CreatedDateTime: created,
			ScheduleInfo: Schedule{StartDateTime: created, ExpirationType: "afterDuration", Duration: pick(r, []string{"PT1H", "PT2H", "PT4H", "PT8H"})},
		}
		if role.DisplayName == "User Administrator" || role.DisplayName == "Helpdesk Administrator" {
			if au := pick(r, t.AdministrativeUnits); r.IntN(2) == 0 {
				req.DirectoryScopeID = "/administrativeUnits/" + au.ID
			}
		}
		if r.IntN(100) < 60 {
			req.TicketNumber, req.TicketSystem = fmt.Sprintf("INC%07d", 10000+r.IntN(90000)), "ServiceNow"
		}
		req.Stages = []Stage{{ID: newGUID(r), Approvers: slices.Clone(role.Approvers), Status: StatusInProgress,
			ReviewResult: ResultNotReviewed, StartedDateTime: created, Timeout: "PT24H"}}
		t.RoleRequests = append(t.RoleRequests, req)
	}
	for range n {
		add(pick(r, principals), "selfActivate", pick(r, t.Roles))
	}
	add(demo, "selfActivate", t.Roles[1])              // the approver's own activation: not theirs to decide
	add(pick(r, principals), "selfExtend", t.Roles[2]) // extensions are decided in the portal only
	slices.SortStableFunc(t.RoleRequests, func(a, b *RoleRequest) int {
		return cmp.Or(a.CreatedDateTime.Compare(b.CreatedDateTime), strings.Compare(a.ID, b.ID))
	})
}
