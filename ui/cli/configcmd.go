package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"approvals/config"
	"approvals/graph/auth"
)

func (a *app) configCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Where the config file is, and whether it is valid",
		Args:  args(cobra.NoArgs),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "path",
		Short: "Print the config file path (stdout) and where other files live (stderr)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			dirs, err := config.ResolveDirs(a.Getenv)
			if err != nil {
				return err
			}
			path, _ := config.FilePath(flagValue(cmd, "config"), a.Getenv, dirs)
			fmt.Fprintln(a.Stdout, path)
			state := "exists"
			if _, err := os.Stat(path); err != nil {
				state = "does not exist: built-in defaults apply"
			}
			fmt.Fprintf(a.Stderr, "config file: %s\nstate:       %s (sign-in records in accounts/, decision journal %s)\ntokens:      %s\n",
				state, dirs.State, "journal.jsonl", tokenCacheText(auth.IdentityCacheDir(a.Getenv), runtime.GOOS))
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Validate the configuration and print the effective settings",
		Long: `Validate the config file (every profile), the APPROVALS_* environment and
the flags, then print each effective setting with where it came from.
Problems are printed one per line as FILE:LINE: KEY: PROBLEM; the exit
code is 1 when there is any.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd)
			if err != nil {
				return err
			}
			a.configText(cfg)
			return nil
		},
	})
	return cmd
}

// tokenCacheText says where the sign-in's token cache really is: the
// folder azidentity/cache uses (not configurable), or the Keychain.
func tokenCacheText(dir, goos string) string {
	switch {
	case goos == "darwin":
		return "the macOS Keychain (approvals.* items)"
	case dir == "":
		return "in memory only (no cache folder: set HOME or XDG_CACHE_HOME)"
	}
	return filepath.Join(dir, ".IdentityService") + " (approvals.* files, encrypted with a key in the " +
		map[bool]string{true: "user's DPAPI store", false: "kernel keyring"}[goos == "windows"] + ")"
}

func (a *app) configText(cfg *config.Config) {
	w := a.Stdout
	if cfg.FileExists {
		fmt.Fprintf(w, "%s: OK\n", cfg.File)
	} else {
		fmt.Fprintf(w, "%s does not exist: built-in defaults apply\n", cfg.File)
	}
	if cfg.Profile != "" {
		fmt.Fprintf(w, "profile: %s\n", cfg.Profile)
	}
	if len(cfg.Profiles) > 0 {
		fmt.Fprintf(w, "profiles defined: %s\n", strings.Join(cfg.Profiles, ", "))
	}
	fmt.Fprintln(w)
	t := &table{headers: []string{"SETTING", "VALUE", "FROM"}, max: []int{0, 60, 0}}
	for _, e := range cfg.Effective() {
		t.add(e.Key, e.Value, e.Origin)
	}
	t.write(w)
}
