// Command approvals is a keyboard-driven terminal inbox for the people who
// approve access in Microsoft Entra ID: entitlement management access
// packages and PIM for Groups, in one list.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "approvals",
		Short:         "A terminal inbox for Entra ID access approvals",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// Subcommands: one line each.
	return root
}

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "approvals:", err)
		os.Exit(1)
	}
}
