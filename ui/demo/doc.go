// Package demo runs the inbox against a simulated tenant in the same
// process: `approvals demo`. It starts graph/sim on a loopback listener,
// signs a real graph.Client in as one of its approvers with a static
// token, runs the inbox, and can write the tenant's final state on exit.
package demo
