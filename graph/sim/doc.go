// Package sim is a simulated Microsoft Entra tenant that speaks the
// Microsoft Graph v1.0 contract for approvers: entitlement management
// access package requests and their approvals, PIM for Groups assignment
// schedule requests and their approvals, stage decisions, $batch and /me.
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
// userPrincipalName>". Anything else gets a Graph-shaped 401.
package sim
