package bench

import (
	"github.com/spf13/cobra"
)

// Command is the hidden `approvals bench`: every measurement, then the
// table. It measures the running executable, so build it first:
// `go build -o approvals . && ./approvals bench`.
func Command() *cobra.Command {
	opts := DefaultOptions()
	cmd := &cobra.Command{
		Use:    "bench",
		Short:  "Measure requests, decisions, rendering, bytes, memory and startup against their budgets",
		Hidden: true,
		Args:   cobra.NoArgs,
		Long: "Measure the performance budgets side by side with baselines and print one markdown table.\n" +
			"Startup and memory are measured on the binary itself: go build -o approvals . && ./approvals bench\n" +
			"Everything runs on this machine against simulated tenants on 127.0.0.1.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Progress = cmd.ErrOrStderr()
			return Run(cmd.Context(), opts, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Binary, "binary", opts.Binary, "approvals binary to start for the startup and memory rows")
	f.IntVar(&opts.StartupRuns, "startup-runs", opts.StartupRuns, "times to start the binary (the median is reported)")
	f.DurationVar(&opts.RenderTime, "render-time", opts.RenderTime, "how long to time each rendering figure")
	return cmd
}
