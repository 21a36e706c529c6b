//go:build !bench

package main

import "github.com/spf13/cobra"

// addBenchCmd adds nothing: the bench command and the pseudo-terminal and
// terminal-emulator libraries it needs are built only with -tags bench
// (go run -tags bench . bench), never into the shipped binary.
func addBenchCmd(*cobra.Command) {}
