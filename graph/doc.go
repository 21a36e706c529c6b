// Package graph is the Microsoft Graph client for approvals: the normalized
// types every other package uses (Approval, Stage, Decision, ...), the v1.0
// endpoints of entitlement management and PIM for Groups, paging, $batch,
// typed errors, retry/backoff through the azcore pipeline, and decisions that
// are never lost or sent twice.
//
// It must not import ui or Bubble Tea.
//
// Where things are:
//
//	types.go      the normalized types shared with the rest of the program
//	client.go     Options, New (https, or http only to loopback), Forget
//	send.go       the azcore pipeline and sending one request:
//	              client-request-id, retry with Retry-After (fractional
//	              seconds too), bearer token (CAE), per-try and per-call
//	              deadlines, request counting, a redacted log; PATCH is
//	              retried only after a 429
//	errors.go     *Error and the sentinels for errors.Is
//	wire.go       the private v1.0 JSON shapes, with tolerant decoders
//	normalize.go  wire shapes → Approval / Stage, and deadline estimates
//	intern.go     one shared copy of the strings approvals repeat
//	list.go       "waiting for me" listings, following @odata.nextLink
//	batch.go      up to 20 GETs per $batch, inner 429s retried
//	details.go    stages for many approvals at once
//	refresh.go    Refresh: listings + details only for what changed
//	approval.go   Get, Stages
//	decide.go     Decide, DecideMany: re-read before any second PATCH
//	justification.go  MaxJustification, the longest justification sent
//	me.go         the signed-in user, cached
//	cloud.go      national clouds and the scopes this tool asks for
//	token.go      StaticToken for scripts and the simulator
//
// Tests worth knowing: faultsuite_test.go runs every simulator fault
// against single and bulk decisions and polling and prints the README's
// Reliability tables (go test ./graph -run TestFaultSuite -v);
// fuzz_test.go fuzzes every decoder of server bytes.
//
// Request budgets: a Refresh that finds nothing new sends only the listing
// pages; a cold one sends the pages plus one $batch per 20 approvals.
package graph
