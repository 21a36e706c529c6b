// Package graph is the Microsoft Graph client for approvals: the normalized
// types every other package uses (Approval, Stage, Decision, ...), the v1.0
// endpoints of entitlement management and PIM for Groups, paging, $batch,
// typed errors, retry/backoff through the azcore pipeline, and decisions that
// are never lost or sent twice.
//
// It must not import ui or Bubble Tea.
package graph
