package sim

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Azure Resource Manager: PIM for Azure resources, served under /arm (the
// ARM root is {sim}/arm). Written from the Microsoft.Authorization REST
// reference: role assignment approvals and their stages (api-version
// 2021-01-01-preview) and role assignment schedule requests (2020-10-01),
// with ARM's conventions: every resource is {id, name, type, properties},
// collections page with "nextLink", every request needs a known
// api-version, errors are {"error":{"code","message"}} with
// x-ms-request-id and x-ms-correlation-request-id headers.

// ARMPrefix is the path under which the simulator serves Azure Resource
// Manager: pass {sim URL}/arm as the ARM URL.
const ARMPrefix = "/arm"

// API versions the simulated operations accept.
const (
	ARMApprovalsVersion = "2021-01-01-preview"
	ARMRequestsVersion  = "2020-10-01"
)

// Operations of the Azure Resource Manager surface (for Stats and faults).
const (
	OpListAzureApprovals Operation = "listAzureApprovals" // roleAssignmentApprovals, per page
	OpGetAzureApproval   Operation = "getAzureApproval"   // roleAssignmentApprovals/{id}
	OpListAzureStages    Operation = "listAzureStages"    // roleAssignmentApprovals/{id}/stages
	OpGetAzureStage      Operation = "getAzureStage"      // roleAssignmentApprovals/{id}/stages/{id}
	OpPatchAzureStage    Operation = "patchAzureStage"    // PATCH or PUT of a stage: a decision
	OpListAzureRequests  Operation = "listAzureRequests"  // roleAssignmentScheduleRequests, per page
)

// ARM request statuses used by the simulator (RoleAssignmentScheduleRequest
// status).
const (
	ARMPendingApproval = "PendingApproval"
	ARMProvisioned     = "Provisioned"
	ARMDenied          = "Denied"
	ARMTimedOut        = "TimedOut"
	ARMCanceled        = "Canceled"
)

// AzureRequest is a PIM for Azure resources role assignment schedule
// request and its approval (one stage, as PIM has).
type AzureRequest struct {
	ID               string    `json:"id"`         // the schedule request's name (a GUID)
	ApprovalID       string    `json:"approvalId"` // its approval's name (a GUID)
	PrincipalID      string    `json:"principalId"`
	RequestorID      string    `json:"requestorId"`
	RoleDefinitionID string    `json:"roleDefinitionId"` // resource id of the role definition
	RoleName         string    `json:"roleName"`         // e.g. Owner
	RoleType         string    `json:"roleType"`         // BuiltInRole, CustomRole
	Scope            string    `json:"scope"`            // e.g. /subscriptions/{id}/resourceGroups/rg-web
	ScopeName        string    `json:"scopeName"`        // e.g. rg-web
	ScopeType        string    `json:"scopeType"`        // subscription, resourcegroup, managementgroup, ...
	RequestType      string    `json:"requestType"`      // SelfActivate, SelfExtend, SelfRenew, AdminAssign, ...
	Status           string    `json:"status"`           // PendingApproval, Provisioned, Denied, TimedOut, Canceled
	Justification    string    `json:"justification"`
	CreatedOn        time.Time `json:"createdOn"`
	ScheduleInfo     Schedule  `json:"scheduleInfo"`
	TicketNumber     string    `json:"ticketNumber,omitempty"`
	TicketSystem     string    `json:"ticketSystem,omitempty"`
	Stages           []Stage   `json:"stages"`
}

// DefaultAzureTimeout is PIM's approval window (24 hours, not configurable).
const DefaultAzureTimeout = "PT24H"

// armError is the documented ErrorDefinition body.
func armErrorBody(e *Error) obj {
	return obj{}.with("error", obj{}.with("code", e.Code).with("message", e.Message))
}

// SetARMTokensRefused makes Azure Resource Manager refuse every token
// from now on (401, wrong audience), as it does a token the sign-in's app
// could not get for ARM; false serves again.
func (s *Server) SetARMTokensRefused(refused bool) { s.armRefused.Store(refused) }

func armAudienceRefused() *Error {
	e := newError(http.StatusUnauthorized, "InvalidAuthenticationTokenAudience",
		"The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.azure.com/'.")
	e.Header = http.Header{"Www-Authenticate": {`Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token is invalid."`}}
	return e
}

// armRoute parses a path under /arm. Like Graph, the error (if any) is
// reported after authentication.
func parseARMRoute(r *http.Request) route {
	segs, err := splitPath(r.URL.EscapedPath())
	if err != nil {
		return route{op: OpOther, err: badRequest("The request URL is not valid: %v", err)}
	}
	if len(segs) > 0 && equalFold("/"+segs[0], ARMPrefix) {
		segs = segs[1:]
	}
	notFound := func() route {
		return route{op: OpOther, err: newError(http.StatusNotFound, "InvalidResourceType",
			"The resource type could not be found in the namespace 'Microsoft.Authorization' for api version '%s'.", r.URL.Query().Get("api-version"))}
	}
	if len(segs) < 3 || !equalFold(segs[0], "providers") || !equalFold(segs[1], "Microsoft.Authorization") {
		return notFound()
	}
	get := []string{http.MethodGet}
	switch {
	case equalFold(segs[2], "roleAssignmentScheduleRequests") && len(segs) == 3:
		return route{op: OpListAzureRequests, methods: get, handle: (*call).armListRequests, on: ARMRequestsVersion}
	case !equalFold(segs[2], "roleAssignmentApprovals"):
		return notFound()
	}
	rt := route{methods: get, on: ARMApprovalsVersion}
	switch len(segs) {
	case 3:
		rt.op, rt.handle = OpListAzureApprovals, (*call).armListApprovals
	case 4:
		rt.op, rt.id, rt.handle = OpGetAzureApproval, segs[3], (*call).armGetApproval
	case 5, 6:
		if !equalFold(segs[4], "stages") {
			return notFound()
		}
		rt.id = segs[3]
		if len(segs) == 5 {
			rt.op, rt.handle = OpListAzureStages, (*call).armListStages
		} else {
			rt.op, rt.stageID, rt.handle = OpGetAzureStage, segs[5], (*call).armStage
			rt.methods = []string{http.MethodGet, http.MethodPatch, http.MethodPut}
		}
	default:
		return notFound()
	}
	return rt
}

// checkAPIVersion is ARM's first check on every request: api-version is
// required and must be one the resource type supports.
func (c *call) checkAPIVersion() *Error {
	v := c.r.URL.Query().Get("api-version")
	switch {
	case v == "":
		return newError(http.StatusBadRequest, "MissingApiVersionParameter",
			"The api-version query parameter (?api-version=) is required for all requests.")
	case v != c.rt.on:
		return newError(http.StatusBadRequest, "InvalidApiVersionParameter",
			"The api-version '%s' is invalid. The supported versions are '%s'.", v, c.rt.on)
	}
	return nil
}

// armFilter reads $filter: asApprover() (the default here), asTarget(),
// asCreatedBy() / asRequestor().
func (c *call) armFilter() (string, *Error) {
	f := strings.ToLower(strings.ReplaceAll(c.r.URL.Query().Get("$filter"), " ", ""))
	switch f {
	case "", "asapprover()":
		return "approver", nil
	case "astarget()":
		return "target", nil
	case "ascreatedby()", "asrequestor()":
		return "requestor", nil
	}
	return "", newError(http.StatusBadRequest, "InvalidFilter", "The filter '%s' is not supported. Supported filters are 'asApprover()', 'asCreatedBy()' and 'asTarget()'.", c.r.URL.Query().Get("$filter"))
}

func azureMatches(r *AzureRequest, who, userID string) bool {
	switch who {
	case "target":
		return strings.EqualFold(r.PrincipalID, userID)
	case "requestor":
		return strings.EqualFold(r.RequestorID, userID)
	}
	return isApproverOfAny(r.Stages, userID)
}

// settleAzure expires a pending request 24 hours after it was made: the
// stage becomes Expired and the request TimedOut.
func settleAzure(r *AzureRequest, now time.Time) {
	if r.Status != ARMPendingApproval {
		return
	}
	if i := currentStage(r.Stages); i >= 0 {
		if d := deadline(&r.Stages[i], DefaultAzureTimeout); !now.Before(d) {
			r.Stages[i].Status = StatusExpired
			r.Status = ARMTimedOut
		}
	}
}

// azureByApproval finds a request by its approval id. Callers hold s.mu.
func (s *Server) azureByApproval(id string) *AzureRequest {
	for _, r := range s.tenant.AzureRequests {
		if strings.EqualFold(r.ApprovalID, id) {
			return r
		}
	}
	return nil
}

func (s *Server) azureWaitsFor(r *AzureRequest, userID string, now time.Time) bool {
	settleAzure(r, now)
	if r.Status != ARMPendingApproval {
		return false
	}
	i := currentStage(r.Stages)
	return i >= 0 && slices.Contains(r.Stages[i].Approvers, userID)
}

// armPage writes one page of an ARM collection: "value" and, when more
// follow, an absolute "nextLink" carrying $skiptoken. Callers hold s.mu.
func (c *call) armPage(items []any) {
	start, err := decodeSkiptoken(c.r.URL.Query().Get("$skiptoken"), len(items))
	if err != nil {
		writeError(c, err)
		return
	}
	body := obj{}
	if c.emptyPage {
		body = body.with("value", []any{})
		if start < len(items) {
			body = body.with("nextLink", c.nextLink(start))
		}
		writeJSON(c.w, http.StatusOK, body)
		return
	}
	limit := c.s.pageSize
	if c.pageCap {
		limit = min(limit, pageCapSize)
	}
	end := min(start+limit, len(items))
	body = body.with("value", items[start:end])
	if end < len(items) && !c.pageCap {
		body = body.with("nextLink", c.nextLink(end))
	}
	writeJSON(c.w, http.StatusOK, body)
}

const armApprovalType = "Microsoft.Authorization/roleAssignmentApprovals"

func armApprovalID(id string) string {
	return "/providers/" + "Microsoft.Authorization/roleAssignmentApprovals/" + id
}

func (c *call) armApprovalJSON(r *AzureRequest) obj {
	stages := make([]any, len(r.Stages))
	for i := range r.Stages {
		stages[i] = c.armStageJSON(r, &r.Stages[i])
	}
	return obj{}.with("id", armApprovalID(r.ApprovalID)).with("type", armApprovalType).with("name", r.ApprovalID).
		with("properties", obj{}.with("stages", stages))
}

func (c *call) armStageJSON(r *AzureRequest, st *Stage) obj {
	var reviewedBy any
	if st.ReviewedBy != "" {
		ro := obj{}.with("principalType", "user").with("principalId", st.ReviewedBy)
		if u := c.s.ix.user(st.ReviewedBy); u != nil {
			ro = ro.with("principalName", u.DisplayName).with("userPrincipalName", u.UserPrincipalName)
		}
		reviewedBy = ro
	}
	result := st.ReviewResult // stored in the Graph words; ARM reads back Approve / Deny
	switch result {
	case ResultApproved:
		result = "Approve"
	case ResultDenied:
		result = "Deny"
	}
	props := obj{}.with("displayName", st.DisplayName).with("status", st.Status).
		with("assignedToMe", slices.Contains(st.Approvers, c.caller.ID)).
		with("reviewedBy", reviewedBy).with("reviewedDateTime", graphTime(st.ReviewedDateTime)).
		with("reviewResult", result).with("justification", st.Justification)
	return obj{}.with("id", armApprovalID(r.ApprovalID)+"/stages/"+st.ID).with("type", armApprovalType+"/stages").
		with("name", st.ID).with("properties", props)
}

func (c *call) armRequestJSON(r *AzureRequest) obj {
	exp := obj{}.with("id", "").with("displayName", "").with("email", "").with("type", "User")
	if u := c.s.ix.user(r.PrincipalID); u != nil {
		exp = obj{}.with("id", u.ID).with("displayName", u.DisplayName).with("email", nullIfEmpty(u.Mail)).with("type", "User")
	}
	expiration := obj{}.with("type", armExpirationType(r.ScheduleInfo.ExpirationType)).
		with("endDateTime", graphTime(r.ScheduleInfo.EndDateTime)).with("duration", nullIfEmpty(r.ScheduleInfo.Duration))
	props := obj{}.
		with("targetRoleAssignmentScheduleId", nil).
		with("scope", r.Scope).
		with("roleDefinitionId", r.RoleDefinitionID).
		with("principalId", r.PrincipalID).
		with("principalType", "User").
		with("requestType", r.RequestType).
		with("status", r.Status).
		with("approvalId", armApprovalID(r.ApprovalID)).
		with("scheduleInfo", obj{}.with("startDateTime", graphTime(r.ScheduleInfo.StartDateTime)).with("expiration", expiration)).
		with("ticketInfo", obj{}.with("ticketNumber", nullIfEmpty(r.TicketNumber)).with("ticketSystem", nullIfEmpty(r.TicketSystem))).
		with("justification", nullIfEmpty(r.Justification)).
		with("requestorId", r.RequestorID).
		with("createdOn", graphTime(r.CreatedOn)).
		with("expandedProperties", obj{}.
			with("scope", obj{}.with("id", r.Scope).with("displayName", r.ScopeName).with("type", r.ScopeType)).
			with("roleDefinition", obj{}.with("id", r.RoleDefinitionID).with("displayName", r.RoleName).with("type", cmpOr(r.RoleType, "BuiltInRole"))).
			with("principal", exp))
	return obj{}.with("properties", props).with("name", r.ID).
		with("id", r.Scope+"/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/"+r.ID).
		with("type", "Microsoft.Authorization/roleAssignmentScheduleRequests")
}

// armExpirationType is the ARM spelling (AfterDuration, AfterDateTime,
// NoExpiration) of a schedule's expiration type.
func armExpirationType(t string) string {
	switch strings.ToLower(t) {
	case "afterduration":
		return "AfterDuration"
	case "afterdatetime":
		return "AfterDateTime"
	case "noexpiration":
		return "NoExpiration"
	}
	return cmpOr(t, "AfterDuration")
}

// armListApprovals lists the approvals the asApprover() filter selects;
// cancelled requests have none.
func (c *call) armListApprovals() {
	c.armList(func(r *AzureRequest) any {
		if r.Status == ARMCanceled {
			return nil
		}
		return c.armApprovalJSON(r)
	})
}

// armListRequests lists the role assignment schedule requests the
// asApprover() filter selects, cancelled ones included.
func (c *call) armListRequests() {
	c.armList(func(r *AzureRequest) any { return c.armRequestJSON(r) })
}

// armList answers one page of the Azure requests the caller's filter
// selects, each built by build (nil leaves it out), settling each first.
func (c *call) armList(build func(*AzureRequest) any) {
	who, ferr := c.armFilter()
	if ferr != nil {
		writeError(c, ferr)
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []any
	for _, r := range s.tenant.AzureRequests {
		settleAzure(r, c.now)
		if !azureMatches(r, who, c.caller.ID) {
			continue
		}
		if item := build(r); item != nil {
			items = append(items, item)
		}
	}
	c.armPage(items)
}

// armReadable finds an approval the caller may read. Callers hold s.mu.
func (c *call) armReadable() (*AzureRequest, *Error) {
	r := c.s.azureByApproval(c.rt.id)
	if r == nil || r.Status == ARMCanceled {
		return nil, newError(http.StatusNotFound, "RoleAssignmentApprovalNotFound", "The role assignment approval '%s' was not found.", c.rt.id)
	}
	settleAzure(r, c.now)
	if !isApproverOfAny(r.Stages, c.caller.ID) && !strings.EqualFold(r.PrincipalID, c.caller.ID) {
		return nil, newError(http.StatusForbidden, "AuthorizationFailed",
			"The client '%s' does not have authorization to read role assignment approval '%s'.", c.caller.ID, c.rt.id)
	}
	return r, nil
}

func (c *call) armGetApproval() {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := c.armReadable()
	if err != nil {
		writeError(c, err)
		return
	}
	writeJSON(c.w, http.StatusOK, c.armApprovalJSON(r))
}

func (c *call) armListStages() {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := c.armReadable()
	if err != nil {
		writeError(c, err)
		return
	}
	items := make([]any, len(r.Stages))
	for i := range r.Stages {
		items[i] = c.armStageJSON(r, &r.Stages[i])
	}
	c.armPage(items)
}

func (c *call) armStage() {
	if c.r.Method != http.MethodGet {
		c.armDecide()
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := c.armReadable()
	if err != nil {
		writeError(c, err)
		return
	}
	i := findStage(r.Stages, c.rt.stageID)
	if i < 0 {
		writeError(c, newError(http.StatusNotFound, "RoleAssignmentApprovalStageNotFound", "The stage '%s' was not found in approval '%s'.", c.rt.stageID, c.rt.id))
		return
	}
	writeJSON(c.w, http.StatusOK, c.armStageJSON(r, &r.Stages[i]))
}

// armDecide records a decision (PATCH or PUT of a stage) and answers 200
// with the stage.
func (c *call) armDecide() {
	d, perr := readARMDecision(c.r)
	if perr != nil {
		writeError(c, perr)
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := c.armReadable()
	if err == nil {
		err = s.decideAzure(r, c.rt.stageID, c.caller.ID, d, c.now)
	}
	if err != nil {
		writeError(c, err)
		return
	}
	s.count.patch(c.rt.id, c.rt.stageID, true)
	writeJSON(c.w, http.StatusOK, c.armStageJSON(r, &r.Stages[findStage(r.Stages, c.rt.stageID)]))
}

// decideAzure applies a decision: 404 unknown stage, 403 not an approver
// or one's own request, 409 once decided or expired, 400 for extend and
// renew requests (PIM: not decidable through the API). Callers hold s.mu.
func (s *Server) decideAzure(r *AzureRequest, stageID, userID string, d decision, now time.Time) *Error {
	settleAzure(r, now)
	i := findStage(r.Stages, stageID)
	if i < 0 {
		return newError(http.StatusNotFound, "RoleAssignmentApprovalStageNotFound", "The stage '%s' was not found in approval '%s'.", stageID, r.ApprovalID)
	}
	st := &r.Stages[i]
	switch {
	case !slices.Contains(st.Approvers, userID):
		return newError(http.StatusForbidden, "AuthorizationFailed", "The signed-in user is not an approver of stage '%s'.", stageID)
	case strings.EqualFold(r.PrincipalID, userID) || strings.EqualFold(r.RequestorID, userID):
		return newError(http.StatusForbidden, "SelfApprovalNotAllowed", "Approvers cannot approve their own requests.")
	case st.Status == StatusCompleted:
		return newError(http.StatusConflict, "RoleAssignmentApprovalStageAlreadyReviewed", "The approval stage has already been reviewed.")
	case st.Status == StatusExpired:
		return newError(http.StatusConflict, "RoleAssignmentApprovalStageExpired", "The approval stage has expired and can no longer be reviewed.")
	case r.Status != ARMPendingApproval:
		return newError(http.StatusConflict, "RoleAssignmentRequestNotPending", "The request is no longer pending approval.")
	case strings.HasSuffix(strings.ToLower(r.RequestType), "extend") || strings.HasSuffix(strings.ToLower(r.RequestType), "renew"):
		return newError(http.StatusBadRequest, "RequestTypeNotSupported",
			"%s requests cannot be approved or denied through the API. Use the Azure portal.", r.RequestType)
	case st.Status != StatusInProgress:
		return badRequest("The approval stage has not started yet.")
	}
	st.Status, st.ReviewedBy, st.ReviewedDateTime, st.Justification = StatusCompleted, userID, now, d.justification
	if d.result == "Approve" {
		st.ReviewResult, r.Status = ResultApproved, ARMProvisioned
	} else {
		st.ReviewResult, r.Status = ResultDenied, ARMDenied
	}
	return nil
}

// cancelAzure withdraws a pending Azure request (by its approval): its
// approval leaves the listing and answers 404 from then on.
func cancelAzure(r *AzureRequest, now time.Time) *Error {
	settleAzure(r, now)
	if r.Status != ARMPendingApproval {
		return badRequest("Request '%s' is not pending and cannot be cancelled.", r.ApprovalID)
	}
	if i := currentStage(r.Stages); i >= 0 {
		r.Stages[i].Status = StatusCompleted
	}
	r.Status = ARMCanceled
	return nil
}

// readARMDecision parses {"properties":{"reviewResult":"Approve"|"Deny","justification":...}}.
func readARMDecision(r *http.Request) (decision, *Error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return decision{}, newError(http.StatusUnsupportedMediaType, "UnsupportedMediaType", "The content media type '%s' is not supported. Only 'application/json' is supported.", ct)
		}
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxPatchBody+1))
	if err != nil || len(raw) > maxPatchBody {
		return decision{}, newError(http.StatusBadRequest, "InvalidRequestContent", "The request content could not be read.")
	}
	var body struct {
		Properties *struct {
			ReviewResult  string  `json:"reviewResult"`
			Justification *string `json:"justification"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &body); err != nil || body.Properties == nil {
		return decision{}, newError(http.StatusBadRequest, "InvalidRequestContent",
			"The request content was invalid and could not be deserialized: a 'properties' object with 'reviewResult' is required.")
	}
	d := decision{result: body.Properties.ReviewResult}
	if body.Properties.Justification != nil {
		d.justification = *body.Properties.Justification
	}
	if d.result != "Approve" && d.result != "Deny" {
		return decision{}, newError(http.StatusBadRequest, "InvalidRequestContent",
			"Invalid reviewResult '%s': use 'Approve' or 'Deny'.", d.result)
	}
	return d, nil
}

// armCorrelationID is the caller's x-ms-correlation-request-id, or a new one.
func (c *call) armCorrelationID() string {
	if v := c.r.Header.Get("x-ms-correlation-request-id"); v != "" && len(v) <= 100 {
		return v
	}
	return c.requestID
}

// AddAzureDemo adds PIM for Azure resources requests waiting for the demo
// identity (the first approver): an Owner activation on a resource group
// and a Contributor activation on its subscription, from two other people.
func AddAzureDemo(t *Tenant, now time.Time) {
	if len(t.Approvers) == 0 {
		return
	}
	demo := t.Approvers[0]
	var others []string
	for _, u := range t.Users {
		if !slices.Contains(t.Approvers, u.ID) {
			others = append(others, u.ID)
		}
	}
	if len(others) < 2 {
		return
	}
	now = now.UTC().Truncate(time.Second)
	const sub = "/subscriptions/6f1f9c3e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"
	mk := func(n int, who, role, roleID, scope, name, typ, just, ticket string, age time.Duration) *AzureRequest {
		id := "a2e0c5d1-0000-4000-8000-00000000000" + strconv.Itoa(n)
		system := ""
		if ticket != "" {
			system = "ServiceNow"
		}
		return &AzureRequest{
			ID: "5c0ffee0-0000-4000-8000-00000000000" + strconv.Itoa(n), ApprovalID: id,
			PrincipalID: who, RequestorID: who,
			RoleDefinitionID: sub + "/providers/Microsoft.Authorization/roleDefinitions/" + roleID,
			RoleName:         role, RoleType: "BuiltInRole", Scope: scope, ScopeName: name, ScopeType: typ,
			RequestType: "SelfActivate", Status: ARMPendingApproval, Justification: just,
			CreatedOn:    now.Add(-age),
			ScheduleInfo: Schedule{StartDateTime: now.Add(-age), ExpirationType: "afterDuration", Duration: "PT4H"},
			TicketNumber: ticket, TicketSystem: system,
			Stages: []Stage{{ID: "b7a1d2c3-0000-4000-8000-00000000000" + strconv.Itoa(n), DisplayName: "Approval stage",
				Approvers: []string{demo}, Status: StatusInProgress, ReviewResult: ResultNotReviewed, StartedDateTime: now.Add(-age)}},
		}
	}
	t.AzureRequests = append(t.AzureRequests,
		mk(1, others[0], "Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", sub+"/resourceGroups/rg-web", "rg-web", "resourcegroup",
			"Hotfix deployment for the checkout outage", "CHG0042137", 40*time.Minute),
		mk(2, others[1], "Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c", sub, "prod-subscription", "subscription",
			"Rotate the storage account keys", "", 3*time.Hour))
}

// handleARM runs an authenticated ARM request: the refused-token switch,
// the method, the api-version, then the handler.
func (c *call) handleARM() {
	if c.s.armRefused.Load() {
		writeError(c, armAudienceRefused())
		return
	}
	if !slices.Contains(c.rt.methods, c.r.Method) {
		e := newError(http.StatusMethodNotAllowed, "MethodNotAllowed", "The requested method '%s' is not allowed for this resource.", c.r.Method)
		e.Header = http.Header{"Allow": {strings.Join(c.rt.methods, ", ")}}
		writeError(c, e)
		return
	}
	if err := c.checkAPIVersion(); err != nil {
		writeError(c, err)
		return
	}
	if err := decodeBody(c.r); err != nil {
		writeError(c, err)
		return
	}
	c.rt.handle(c)
}

// AddAzureApprover makes user (id or UPN) an approver of the stage in
// progress of an Azure approval, as a policy change would.
func (s *Server) AddAzureApprover(approvalID, user string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, u := s.azureByApproval(approvalID), s.ix.user(user)
	if r == nil || u == nil {
		return notFound("No approval '%s' or user '%s'.", approvalID, user)
	}
	if i := currentStage(r.Stages); i >= 0 && !slices.Contains(r.Stages[i].Approvers, u.ID) {
		r.Stages[i].Approvers = append(r.Stages[i].Approvers, u.ID)
	}
	return nil
}

// SetAzureRequestType changes what an Azure request asks for (e.g.
// SelfExtend, SelfRenew: not decidable through the API).
func (s *Server) SetAzureRequestType(approvalID, requestType string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.azureByApproval(approvalID)
	if r == nil {
		return notFound("No approval '%s'.", approvalID)
	}
	r.RequestType = requestType
	return nil
}
