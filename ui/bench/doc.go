// Package bench measures the inbox against the budgets of the design
// (§7): requests per refresh, bulk decisions, rendering, bytes on the
// wire, memory and startup. Each figure is taken side by side with a
// baseline in the same run (the naive listing, one PATCH at a time, 100
// against 10,000 approvals) and reported as a ratio.
//
// It owns the hidden `approvals bench` command (Run prints one markdown
// table), the measurements behind it, and the Go benchmarks and budget
// tests that use the same measurements, so `go test -bench` and the table
// agree.
//
// Where things are:
//
//	command.go    the cobra command main.go registers
//	run.go        Run: every measurement, then the table
//	table.go      rows and the markdown table
//	machine.go    the header line: CPU, cores, Go version, date, commit
//	tenant.go     a simulated tenant on loopback and clients of it
//	requests.go   requests per refresh: cold, steady, after an arrival
//	naive.go      the naive baseline: list, then one GET per approval
//	decisions.go  bulk decisions at 100 ms per round trip
//	render.go     View, cursor move and filter keystroke timings
//	measure.go    a timing loop for the command (benchmarks use b.Loop)
//	wire.go       bytes a real program writes, by step
//	process.go    the built binary: startup in a pty, RSS at 10,000
//
// It talks only to loopback and is used only by `approvals bench` and
// tests.
package bench
