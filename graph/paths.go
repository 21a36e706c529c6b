package graph

import (
	"net/url"
	"strings"
)

// Paths of the v1.0 operations this client uses, relative to the version
// root (so they serve both direct calls and $batch items).
const (
	pathEMRequests     = "/identityGovernance/entitlementManagement/assignmentRequests"
	pathEMApprovals    = "/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals"
	pathGroupRequests  = "/identityGovernance/privilegedAccess/group/assignmentScheduleRequests"
	pathGroupApprovals = "/identityGovernance/privilegedAccess/group/assignmentApprovals"
	pathFilterApprover = "/filterByCurrentUser(on='approver')"
	pathMe             = "/me"

	// The nested expand gives the catalog and the target of on-behalf
	// requests; a service that refuses it (400) gets the plain one.
	emExpandFull  = "requestor,accessPackage($expand=catalog),assignment($expand=target)"
	emExpandPlain = "requestor,accessPackage"
	groupExpand   = "group,principal"
	groupFilter   = "status eq 'PendingApproval'"
)

// approvalsPath is the approvals collection of a source.
func approvalsPath(s Source) string {
	if s == SourceGroup {
		return pathGroupApprovals
	}
	return pathEMApprovals
}

func approvalPath(ref Ref) string {
	return approvalsPath(ref.Source) + "/" + url.PathEscape(ref.ID)
}

func stagesPath(ref Ref) string { return approvalPath(ref) + "/stages" }

func stagePath(ref Ref, stageID string) string {
	return stagesPath(ref) + "/" + url.PathEscape(stageID)
}

func (c *Client) emExpand() string {
	if c.emPlainExpand.Load() {
		return emExpandPlain
	}
	return emExpandFull
}

// emListPath lists the EM requests waiting for my decision.
func (c *Client) emListPath() string {
	return pathEMRequests + pathFilterApprover + "?$expand=" + odataEscape(c.emExpand())
}

func groupListPath() string {
	return pathGroupRequests + pathFilterApprover + "?$filter=" + odataEscape(groupFilter) + "&$expand=" + odataEscape(groupExpand)
}

func (c *Client) emRequestPath(id string) string {
	return pathEMRequests + "/" + url.PathEscape(id) + "?$expand=" + odataEscape(c.emExpand())
}

func groupRequestPath(id string) string {
	return pathGroupRequests + "/" + url.PathEscape(id) + "?$expand=" + odataEscape(groupExpand)
}

// odataEscape percent-encodes what cannot stand in a query value and keeps
// OData's punctuation ($ ( ) = , ') readable, as the Graph docs write it.
func odataEscape(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		ch := v[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9',
			strings.IndexByte("-._~$(),='*:@/", ch) >= 0:
			b.WriteByte(ch)
		default:
			b.WriteString("%")
			b.WriteString(strings.ToUpper(hex2(ch)))
		}
	}
	return b.String()
}

func hex2(ch byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[ch>>4], digits[ch&15]})
}
