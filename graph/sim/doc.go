// Package sim is a simulated Microsoft Entra tenant that speaks the
// Microsoft Graph v1.0 contract for approvers: entitlement management
// access package requests and their approvals, PIM for Groups assignment
// schedule requests and their approvals, stage decisions, $batch and /me;
// and for PIM for Microsoft Entra roles the v1.0 role assignment schedule
// requests with the beta roleAssignmentApprovals and their steps (beta
// $batch and /me too). Options.NoBetaRoleApprovals retires the beta
// segment, as Microsoft's deprecation notice foresees.
//
// It owns its own tenant model (Tenant, User, AccessPackageRequest,
// GroupRequest, Stage, ...), its own JSON shapes written from the Graph
// documentation, a deterministic generator (Generate), a JSON tenant file
// format (ReadTenant / WriteTenant), optional background activity (other
// approvers deciding, new requests arriving), injectable faults (latency,
// throttling, 5xx bursts, hangs, connection resets, malformed bodies, page
// caps, expired tokens) and request counters for tests and benchmarks.
//
// A *Server is a plain http.Handler: wrap it in httptest.NewServer in tests,
// or run it with Serve (the `approvals sim` command). It deliberately does not
// import approvals/graph: a mistake shared by the client and the simulator
// would otherwise pass every test.
//
// Identity is the bearer token itself: "Authorization: Bearer <user id or
// userPrincipalName>" (case-insensitive). Anything else gets a Graph-shaped
// 401 InvalidAuthenticationToken with a WWW-Authenticate: Bearer challenge.
//
// Where the documentation is silent, the simulator chooses:
//
//   - Decisions are checked in this order: unknown or cancelled approval
//     404; caller approves none of its stages 403; unknown stage 404; caller
//     not an approver of that stage 403; malformed body or a reviewResult
//     other than exactly "Approve"/"Deny" 400; stage already decided, stage
//     expired, or request already ended 409 Conflict; stage not started yet
//     (an earlier stage is in progress) 400; required justification blank
//     400. Success is 204 with no body.
//   - Role approvals (beta) have one step, whose id differs from the
//     approval's (the request's) id. An approver deciding their own
//     activation gets 400, and so does any decision on an extend or renew
//     request (the documentation says the API cannot approve those); both
//     after the 404/403/409 checks. The approval window is 24 hours from
//     the request whatever the step's timeout says (documented as not
//     configurable); then the step is Expired and the request "Canceled".
//   - Request bodies may be gzip (Content-Encoding: gzip), as Microsoft's
//     SDKs send them by default; any other coding is 415.
//   - A stage past its deadline (start + timeout: EM P14D, PIM PT24H by
//     default) becomes Expired, checked lazily against the clock. An expired
//     access package request has state "denied" and status "Expired"; an
//     expired PIM request has status "Canceled". Both leave every listing;
//     their approvals stay readable. A cancelled request's approval is 404.
//   - Approving the last stage delivers the request at once (EM state
//     "delivered", PIM status "Provisioned"); denying ends it ("denied" /
//     "Denied") and later stages stay Initializing.
//   - Reading an approval or its stages needs the caller to approve one of
//     its stages; reading a request also allows its requestor and target.
//     The plain collections (no filterByCurrentUser) answer 403.
//   - Listings keep tenant order (oldest first); the $skiptoken resumes at a
//     position, so requests leaving the list between pages never make a
//     page skip others. $top above 999 is served as pages of 999.
//   - $filter accepts comparisons joined by "and" on state, status,
//     requestType, createdDateTime (EM) and status, groupId, principalId,
//     accessId, action, createdDateTime (PIM); anything else is a 400.
//     $orderby and $search are 400; unknown $options are 400; $select and
//     $expand are honoured, nested ones included, and validated.
package sim
