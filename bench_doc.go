//go:build bench

package main

// The bench (build tag bench; go run -tags bench . bench) measures the
// inbox against the budgets of the design (§7): requests per refresh, bulk
// decisions, rendering, bytes on the wire, memory and startup. Each figure
// is taken side by side with a baseline in the same run (the naive
// listing, one PATCH at a time, 100 against 10,000 approvals) and reported
// as a ratio. It is never part of the shipped binary: the pseudo-terminal
// and terminal-emulator libraries it needs stay out of it.
//
// It owns the hidden `bench` command (runBench prints one markdown table),
// the measurements behind it, and the Go benchmarks and budget tests that
// use the same measurements (go test -tags bench .), so `go test -bench`
// and the table agree.
//
// Where things are:
//
//	bench_command.go    the cobra command (bench_off.go: none without the tag)
//	bench_run.go        runBench: every measurement, then the table
//	bench_table.go      rows and the markdown table
//	bench_machine.go    the header line: CPU, cores, Go version, date, commit
//	bench_tenant.go     a simulated tenant on loopback and clients of it
//	bench_requests.go   requests per refresh: cold, steady, after an arrival
//	bench_naive.go      the naive baseline: list, then one GET per approval
//	bench_decisions.go  bulk decisions at 100 ms per round trip
//	bench_render.go     View, cursor move and filter keystroke timings
//	bench_measure.go    a timing loop for the command (benchmarks use b.Loop)
//	bench_wire.go       bytes a real program writes, by step
//	bench_process.go    the shipped binary: startup in a pty, RSS at 10,000
//	bench_list.go       peak RSS of list and list --json at 20,000 (child processes)
//
// It talks only to loopback.
