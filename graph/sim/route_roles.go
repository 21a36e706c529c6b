package sim

import (
	"net/http"
	"strings"
)

// roleManagementRoute parses what follows /roleManagement: the v1.0 role
// assignment schedule requests and the beta role assignment approvals of
// the directory provider.
func roleManagementRoute(version string, segs []string) route {
	if len(segs) == 0 || !equalFold(segs[0], "directory") {
		if len(segs) == 0 {
			return route{op: OpOther, err: badRequest("This simulator serves only /roleManagement/directory.")}
		}
		return route{op: OpOther, err: segmentNotFound(segs[0])}
	}
	if len(segs) < 2 {
		return route{op: OpOther, err: badRequest("This simulator serves only the role requests and approvals under /roleManagement/directory.")}
	}
	name, key := splitKey(segs[1])
	switch strings.ToLower(name) {
	case "roleassignmentschedulerequests":
		if version == versionBeta {
			return route{op: OpOther, err: badRequest("This simulator serves the role assignment schedule requests in v1.0 only.")}
		}
		return roleRequestsRoute(key, segs[2:])
	case "roleassignmentapprovals":
		if version != versionBeta {
			// Microsoft documents roleAssignmentApprovals in beta only.
			return route{op: OpOther, err: segmentNotFound(segs[1])}
		}
		return roleApprovalsRoute(key, segs[2:])
	}
	return route{op: OpOther, err: segmentNotFound(segs[1])}
}

const (
	roleRequestsCollection  = "roleManagement/directory/roleAssignmentScheduleRequests"
	roleApprovalsCollection = "roleManagement/directory/roleAssignmentApprovals"
)

func roleRequestsRoute(key string, segs []string) route {
	rt := route{src: srcRole, collection: roleRequestsCollection, op: OpOther, methods: []string{http.MethodGet}}
	fn, id, rest, err := collectionRest(key, segs)
	switch {
	case err != nil:
		rt.err = err
	case fn != nil:
		rt.op, rt.on, rt.handle = OpListRoleRequests, fn["on"], (*call).listRoleRequests
	case id == "":
		rt.handle = (*call).listAllRequests
	case len(rest) > 0:
		rt.err = segmentNotFound(rest[0])
	default:
		rt.op, rt.id, rt.handle = OpGetRoleRequest, id, (*call).getRoleRequest
	}
	return rt
}

func roleApprovalsRoute(key string, segs []string) route {
	rt := route{src: srcRole, collection: roleApprovalsCollection, op: OpOther, methods: []string{http.MethodGet}}
	fn, id, rest, err := collectionRest(key, segs)
	switch {
	case err != nil:
		rt.err = err
		return rt
	case fn != nil:
		rt.err = badRequest("This simulator lists role approvals through roleAssignmentScheduleRequests/filterByCurrentUser(on='approver') in v1.0.")
		return rt
	case id == "":
		rt.handle = (*call).listAllApprovals
		return rt
	}
	rt.id = id
	if len(rest) == 0 {
		rt.op, rt.handle = OpGetRoleApproval, (*call).getRoleApproval
		return rt
	}
	if rt.stageID, rt.err = childKey(rest, "steps"); rt.err != nil {
		return rt
	}
	if rt.stageID == "" {
		rt.op, rt.handle = OpListRoleSteps, (*call).listRoleSteps
		return rt
	}
	rt.op, rt.handle = OpGetRoleStep, (*call).roleStep
	rt.methods = []string{http.MethodGet, http.MethodPatch}
	return rt
}
