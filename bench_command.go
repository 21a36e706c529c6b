//go:build bench

package main

import (
	"github.com/spf13/cobra"
)

// addBenchCmd adds the hidden `approvals bench` (built only with -tags
// bench): every measurement, then the table. Run it from the checkout:
// go run -tags bench . bench. The startup and memory rows measure the
// shipped binary, which it builds (without the bench tag) unless --binary
// names one.
func addBenchCmd(root *cobra.Command) { root.AddCommand(benchCommand()) }

func benchCommand() *cobra.Command {
	opts := defaultBenchOptions()
	cmd := &cobra.Command{
		Use:    "bench",
		Short:  "Measure requests, decisions, rendering, bytes, memory and startup against their budgets",
		Hidden: true,
		Args:   cobra.NoArgs,
		Long: "Measure the performance budgets side by side with baselines and print one markdown table.\n" +
			"Run it from the checkout: go run -tags bench . bench\n" +
			"Startup and memory are measured on the shipped binary, built without the bench tag (or --binary).\n" +
			"Everything runs on this machine against simulated tenants on 127.0.0.1.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Progress = cmd.ErrOrStderr()
			if opts.Binary == "" {
				bin, cleanup, err := buildShippedBinary(cmd.Context(), opts.Progress)
				if err != nil {
					return err
				}
				defer cleanup()
				opts.Binary = bin
			}
			return runBench(cmd.Context(), opts, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Binary, "binary", opts.Binary, "approvals binary to start for the startup and memory rows (default: build it from the working directory)")
	f.IntVar(&opts.StartupRuns, "startup-runs", opts.StartupRuns, "times to start the binary (the median is reported)")
	f.DurationVar(&opts.RenderTime, "render-time", opts.RenderTime, "how long to time each rendering figure")
	return cmd
}
