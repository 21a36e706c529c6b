package sim

import (
	"net/http"
	"net/url"
	"strings"
)

// source is the collection an approval lives in.
type source int

const (
	srcAccessPackage source = iota // entitlement management
	srcGroup                       // PIM for Groups
	srcRole                        // PIM for Microsoft Entra roles
)

// Graph versions the simulator serves. v1.0 is everything but the role
// approvals, which exist only in beta (with /me and $batch there too).
const (
	versionV1   = "v1.0"
	versionBeta = "beta"
)

// route is what a request path names. Parsing never writes a response:
// the error, if any, is reported after authentication, as Graph does.
type route struct {
	op      Operation
	methods []string // allowed methods
	handle  func(*call)
	err     *Error
	version string // versionV1 or versionBeta

	src        source
	on         string // filterByCurrentUser(on=...)
	id         string // request or approval id
	stageID    string
	nav        string // navigation property of a request (requestor, accessPackage, ...)
	collection string // Graph path of the entity set, for @odata.context
}

// splitPath splits an escaped path into decoded segments, so a segment
// sent as %28on=%27approver%27%29 reads the same as (on='approver').
func splitPath(escaped string) ([]string, error) {
	var segs []string
	for _, raw := range strings.Split(strings.Trim(escaped, "/"), "/") {
		seg, err := url.PathUnescape(raw)
		if err != nil {
			return nil, err
		}
		if seg != "" {
			segs = append(segs, seg)
		}
	}
	return segs, nil
}

func parseRoute(r *http.Request) route {
	segs, err := splitPath(r.URL.EscapedPath())
	if err != nil {
		return route{op: OpOther, err: badRequest("The request URL is not valid: %v", err)}
	}
	version := ""
	if len(segs) > 0 {
		switch {
		case equalFold(segs[0], versionV1):
			version = versionV1
		case equalFold(segs[0], versionBeta):
			version = versionBeta
		}
	}
	if version == "" {
		v := ""
		if len(segs) > 0 {
			v = segs[0]
		}
		return route{op: OpOther, err: badRequest("Invalid version: '%s'. This simulator serves v1.0 (and beta for role approvals).", v)}
	}
	rt := versionRoute(version, segs[1:])
	rt.version = version
	return rt
}

func versionRoute(version string, segs []string) route {
	if len(segs) == 0 {
		return route{op: OpOther, err: badRequest("Invalid request: no resource named after /%s.", version)}
	}
	switch strings.ToLower(segs[0]) {
	case "me":
		if len(segs) > 1 {
			return route{op: OpOther, err: segmentNotFound(segs[1])}
		}
		return route{op: OpMe, methods: []string{http.MethodGet}, handle: (*call).me}
	case "$batch":
		if len(segs) > 1 {
			return route{op: OpOther, err: segmentNotFound(segs[1])}
		}
		return route{op: OpBatch, methods: []string{http.MethodPost}, handle: (*call).batch}
	case "identitygovernance":
		if version == versionBeta {
			return route{op: OpOther, err: badRequest("This simulator serves beta only for /roleManagement/directory/roleAssignmentApprovals.")}
		}
		return governanceRoute(segs[1:])
	case "rolemanagement":
		return roleManagementRoute(version, segs[1:])
	}
	return route{op: OpOther, err: segmentNotFound(segs[0])}
}

func governanceRoute(segs []string) route {
	const em = "identityGovernance/entitlementManagement/"
	const pim = "identityGovernance/privilegedAccess/group/"
	switch {
	case len(segs) >= 2 && equalFold(segs[0], "entitlementManagement"):
		name, key := splitKey(segs[1])
		switch strings.ToLower(name) {
		case "assignmentrequests":
			return requestsRoute(srcAccessPackage, em+"assignmentRequests", key, segs[2:])
		case "accesspackageassignmentapprovals":
			return approvalsRoute(srcAccessPackage, em+"accessPackageAssignmentApprovals", key, segs[2:])
		}
		return route{op: OpOther, err: segmentNotFound(segs[1])}
	case len(segs) >= 3 && equalFold(segs[0], "privilegedAccess") && equalFold(segs[1], "group"):
		name, key := splitKey(segs[2])
		switch strings.ToLower(name) {
		case "assignmentschedulerequests":
			return requestsRoute(srcGroup, pim+"assignmentScheduleRequests", key, segs[3:])
		case "assignmentapprovals":
			return approvalsRoute(srcGroup, pim+"assignmentApprovals", key, segs[3:])
		}
		return route{op: OpOther, err: segmentNotFound(segs[2])}
	}
	switch {
	case len(segs) == 0:
		return route{op: OpOther, err: badRequest("This simulator serves only the approval endpoints under /identityGovernance.")}
	case !equalFold(segs[0], "entitlementManagement") && !equalFold(segs[0], "privilegedAccess"):
		return route{op: OpOther, err: segmentNotFound(segs[0])}
	case equalFold(segs[0], "privilegedAccess") && len(segs) >= 2 && !equalFold(segs[1], "group"):
		return route{op: OpOther, err: segmentNotFound(segs[1])}
	}
	return route{op: OpOther, err: badRequest("This simulator serves only the approval endpoints under /identityGovernance.")}
}

// splitKey reads the OData key syntax "collection('id')" (or
// "collection(id)"); plain "collection" has no key.
func splitKey(seg string) (name, key string) {
	i := strings.IndexByte(seg, '(')
	if i < 0 || !strings.HasSuffix(seg, ")") {
		return seg, ""
	}
	return seg[:i], unquote(seg[i+1 : len(seg)-1])
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	return s
}

// function reads "filterByCurrentUser(on='approver')", optionally
// namespace-qualified (microsoft.graph.filterByCurrentUser).
func function(seg string) (name string, params map[string]string, ok bool) {
	i := strings.IndexByte(seg, '(')
	if i < 0 || !strings.HasSuffix(seg, ")") {
		return "", nil, false
	}
	name = strings.TrimPrefix(strings.ToLower(seg[:i]), "microsoft.graph.")
	params = map[string]string{}
	for _, p := range splitList(seg[i+1:len(seg)-1], ',') {
		k, v, found := strings.Cut(p, "=")
		if !found {
			return "", nil, false
		}
		params[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	return name, params, true
}

// collectionRest parses what follows an entity set: nothing (the set
// itself), filterByCurrentUser(...), or a key, then more segments.
func collectionRest(key string, segs []string) (fn map[string]string, id string, rest []string, err *Error) {
	if key != "" {
		return nil, key, segs, nil
	}
	if len(segs) == 0 {
		return nil, "", nil, nil
	}
	if name, params, ok := function(segs[0]); ok {
		if name != "filterbycurrentuser" {
			return nil, "", nil, segmentNotFound(segs[0])
		}
		if len(segs) > 1 {
			return nil, "", nil, segmentNotFound(segs[1])
		}
		return params, "", nil, nil
	}
	return nil, segs[0], segs[1:], nil
}

func requestsRoute(src source, collection, key string, segs []string) route {
	rt := route{src: src, collection: collection, op: OpOther, methods: []string{http.MethodGet}}
	listOp, getOp := OpListAccessPackageRequests, OpGetAccessPackageRequest
	navs := []string{"requestor", "accessPackage", "assignment"}
	if src == srcGroup {
		listOp, getOp = OpListGroupRequests, OpGetGroupRequest
		navs = []string{"group", "principal"}
	}
	fn, id, rest, err := collectionRest(key, segs)
	switch {
	case err != nil:
		rt.err = err
	case fn != nil:
		rt.op, rt.on, rt.handle = listOp, fn["on"], (*call).listRequests
	case id == "":
		rt.handle = (*call).listAllRequests
	default:
		rt.op, rt.id, rt.handle = getOp, id, (*call).getRequest
		if len(rest) > 0 {
			rt.nav = navName(navs, rest[0])
			if rt.nav == "" {
				rt.err = segmentNotFound(rest[0])
			} else if len(rest) > 1 {
				rt.err = segmentNotFound(rest[1])
			}
		}
	}
	return rt
}

func navName(navs []string, seg string) string {
	for _, n := range navs {
		if equalFold(n, seg) {
			return n
		}
	}
	return ""
}

func approvalsRoute(src source, collection, key string, segs []string) route {
	rt := route{src: src, collection: collection, op: OpOther, methods: []string{http.MethodGet}}
	listOp := OpListAccessPackageApprovals
	if src == srcGroup {
		listOp = OpListGroupApprovals
	}
	fn, id, rest, err := collectionRest(key, segs)
	switch {
	case err != nil:
		rt.err = err
		return rt
	case fn != nil:
		rt.op, rt.on, rt.handle = listOp, fn["on"], (*call).listApprovals
		return rt
	case id == "":
		rt.handle = (*call).listAllApprovals
		return rt
	}
	rt.id = id
	if len(rest) == 0 {
		rt.op, rt.handle = OpGetApproval, (*call).getApproval
		return rt
	}
	if rt.stageID, rt.err = childKey(rest, "stages"); rt.err != nil {
		return rt
	}
	if rt.stageID == "" {
		rt.op, rt.handle = OpListStages, (*call).listStages
		return rt
	}
	rt.op, rt.handle = OpGetStage, (*call).stage
	rt.methods = []string{http.MethodGet, http.MethodPatch}
	return rt
}

// childKey reads what follows an approval's id: the child collection
// named segment ("stages", or "steps" in beta), then optionally one item
// of it, addressed as a key (stages('id')) or as a segment (stages/id).
// The id is "" for the collection itself.
func childKey(rest []string, segment string) (string, *Error) {
	name, key := splitKey(rest[0])
	if !equalFold(name, segment) {
		return "", segmentNotFound(rest[0])
	}
	switch {
	case len(rest) == 1:
		return key, nil
	case key == "" && len(rest) == 2:
		return rest[1], nil
	}
	return "", segmentNotFound(rest[len(rest)-1])
}

// opFor refines the operation by method: a PATCH on a stage is a decision.
func (rt route) opFor(method string) Operation {
	if rt.op == OpGetStage && method == http.MethodPatch {
		return OpPatchStage
	}
	if rt.op == OpGetAzureStage && (method == http.MethodPatch || method == http.MethodPut) {
		return OpPatchAzureStage
	}
	if rt.op == OpGetRoleStep && method == http.MethodPatch {
		return OpPatchRoleStep
	}
	return rt.op
}
