package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"approvals/config"
	"approvals/graph"
	"approvals/graph/auth"
	"approvals/ui/sanitize"
)

func (a *app) loginCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "login",
		Short: "Sign in and remember the account",
		Long: `Sign in to Microsoft Entra ID. With device code (the default) this prints a
code and a URL: open the URL on any device, enter the code, and sign in.
With --auth browser a browser opens on this machine. The sign-in is saved
(a 0600 file in the state folder) so later runs need no prompt while the
token cache keeps a valid token.

With --auth token, login only checks that the token works.`,
		Example: "  approvals login\n  approvals login --tenant contoso.onmicrosoft.com --client-id 11111111-2222-3333-4444-555555555555",
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.session(cmd, false)
			if err != nil {
				return err
			}
			ctx := ctxOf(cmd)
			if s.Auth.Interactive() {
				if s.Auth.Method() == config.AuthBrowser {
					fmt.Fprintln(a.Stderr, "Opening a browser to sign in; finish signing in there.")
				}
				if err := s.Auth.SignIn(ctx, a.printDeviceCode); err != nil {
					return err
				}
			}
			me, err := s.Client.Me(ctx)
			if err != nil {
				if !s.Auth.Interactive() {
					return fmt.Errorf("the token does not work: %w", err)
				}
				fmt.Fprintf(a.Stdout, "Signed in as %s, but reading your profile failed: %s\n", sanitize.Line(s.Auth.Account()), errorText(err))
				return nil
			}
			a.signedIn(s, me)
			return nil
		},
	}
}

// printDeviceCode shows the code on stderr (stdout stays for results). It
// returns at once, as azidentity needs.
func (a *app) printDeviceCode(dc auth.DeviceCode) {
	fmt.Fprintf(a.Stderr, "To sign in, open %s and enter the code %s (valid until about %s).\n",
		sanitize.Line(dc.URL), sanitize.Line(dc.UserCode), dc.Expires.In(a.Loc).Format("15:04"))
}

func (a *app) signedIn(s *Session, me graph.Identity) {
	who := firstNonEmpty(me.DisplayName, me.ID)
	if acct := s.Auth.Account(); acct != "" && acct != who {
		who += " (" + acct + ")"
	}
	if !s.Auth.Interactive() {
		fmt.Fprintf(a.Stdout, "The token works: signed in as %s.\n", sanitize.Line(who))
		return
	}
	fmt.Fprintf(a.Stdout, "Signed in as %s.\n", sanitize.Line(who))
	if p := s.Auth.RecordPath(); p != "" {
		if _, err := os.Stat(p); err == nil {
			fmt.Fprintf(a.Stdout, "Sign-in saved to %s.\n", p)
		}
	}
}

func (a *app) logoutCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the saved sign-in",
		Long: `Forget the saved sign-in for the current cloud, tenant and client id: the
account record and the encrypted token cache files. Tokens already issued
stay valid until they expire (revoke sessions in Entra ID to end them
sooner); on Linux the cache's key stays in the kernel keyring until reboot,
useless without the file; on macOS, Keychain items stay.`,
		Example: "  approvals logout\n  approvals logout --profile work",
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd)
			if err != nil {
				return err
			}
			if cfg.Auth == config.AuthToken {
				fmt.Fprintln(a.Stdout, "Nothing to forget: --auth token keeps no sign-in. Unset APPROVALS_TOKEN or delete the token file.")
				return nil
			}
			cloud, err := graph.CloudByName(cfg.Cloud)
			if err != nil {
				return err
			}
			if a.SignOut == nil {
				return errors.New("this build cannot sign out")
			}
			out, err := a.SignOut(cfg)
			if err != nil {
				return err
			}
			account, removed, err := out.Account, out.Removed, out.Err
			scope := fmt.Sprintf("cloud %s, tenant %s, client id %s", cloud.Name, cfg.Tenant, cfg.ClientID)
			if len(removed) == 0 && err == nil {
				fmt.Fprintf(a.Stdout, "No saved sign-in for %s; nothing removed.\n", scope)
				return nil
			}
			if account != "" {
				fmt.Fprintf(a.Stdout, "Signed out %s (%s).\n", sanitize.Line(account), scope)
			} else {
				fmt.Fprintf(a.Stdout, "Signed out (%s).\n", scope)
			}
			for _, p := range removed {
				fmt.Fprintf(a.Stdout, "Removed %s\n", p)
			}
			fmt.Fprintln(a.Stdout, "Tokens already issued stay valid until they expire.")
			if err != nil {
				return fmt.Errorf("some files could not be removed: %w", err)
			}
			return nil
		},
	}
}
