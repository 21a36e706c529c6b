package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/spf13/cobra"

	"approvals/config"
	"approvals/graph"
	"approvals/graph/auth"
)

func TestParseID(t *testing.T) {
	for in, want := range map[string]graph.Ref{
		"accessPackage:5e2b1f4c-7d0a-4a33-9c1e-0f6f2b1d9a10": {Source: graph.SourceAccessPackage, ID: "5e2b1f4c-7d0a-4a33-9c1e-0f6f2b1d9a10"},
		"group:5E2B1F4C-7D0A-4A33-9C1E-0F6F2B1D9A10":         {Source: graph.SourceGroup, ID: "5E2B1F4C-7D0A-4A33-9C1E-0F6F2B1D9A10"},
		" 5e2b1f4c-7d0a-4a33-9c1e-0f6f2b1d9a10 ":             {ID: "5e2b1f4c-7d0a-4a33-9c1e-0f6f2b1d9a10"},
	} {
		if got, err := parseID(in); err != nil || got != want {
			t.Errorf("parseID(%q) = %+v, %v", in, got, err)
		}
	}
	// Every source graph knows takes <source>:<GUID>.
	for _, src := range graph.AllSources {
		in := string(src) + ":00000000-0000-4000-8000-000000000001"
		if got, err := parseID(in); err != nil || got.Source != src {
			t.Errorf("parseID(%q) = %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "roles:1", "Role:1", "a/b", "x?y", "a b", "1234", "accessPackage:abc",
		"group:5e2b1f4c-7d0a-4a33-9c1e-0f6f2b1d9a1", "5e2b1f4c-7d0a-4a33-9c1e-0f6f2b1d9a10x", "5e2b1f4c_7d0a-4a33-9c1e-0f6f2b1d9a10",
		"accessPackage:5e2b1f4c-7d0a-4a33-9c1e-0f6f2b1d9a1g", "group:../../me", "accessPackage:"} {
		_, err := parseID(bad)
		var ue *UsageError
		if !errors.As(err, &ue) {
			t.Errorf("parseID(%q): %v, want a usage error", bad, err)
		}
	}
}

func TestExitCodesAndReport(t *testing.T) {
	cases := []struct {
		err  error
		code int
		out  string
	}{
		{nil, 0, ""},
		{usagef("bad"), 2, "approvals: bad (see approvals --help)\n"},
		{&PartialError{NotApplied: 1, Total: 3}, 3, "approvals: 1 of 3 decisions not applied\n"},
		{fmt.Errorf("x: %w", &graph.Error{StatusCode: 409, Code: "Conflict", RequestID: "r1"}), 1,
			"approvals: 409 Conflict [Conflict] (request-id r1) — another approver decided it first\n"},
		{config.Errors{{Where: "c.toml:1", Key: "a", Msg: "m"}, {Where: "c.toml:2", Key: "b", Msg: "n"}}, 1,
			"approvals: c.toml:1: a: m\napprovals: c.toml:2: b: n\n"},
		{&silentError{code: 3}, 3, ""},
		{&graph.Error{StatusCode: 400, Message: "bad \u202eevil\x1b[2J \u009b"}, 1, "approvals: 400 Bad Request: bad evil\n"}, // sequences go whole
	}
	for _, tc := range cases {
		var b bytes.Buffer
		if code := Report(&b, tc.err); code != tc.code || b.String() != tc.out {
			t.Errorf("Report(%v) = %d %q, want %d %q", tc.err, code, b.String(), tc.code, tc.out)
		}
	}
}

// fakeDeviceCode signs in by calling the prompt like azidentity does.
type fakeDeviceCode struct{ opts auth.CredentialOptions }

func (f *fakeDeviceCode) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: canary, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func (f *fakeDeviceCode) Authenticate(ctx context.Context, _ *policy.TokenRequestOptions) (azidentity.AuthenticationRecord, error) {
	err := f.opts.UserPrompt(ctx, azidentity.DeviceCodeMessage{UserCode: "QWER-TY12\x1b[2J", VerificationURL: "https://microsoft.com/devicelogin",
		Message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code QWER-TY12."})
	return azidentity.AuthenticationRecord{Username: "megan@contoso.com", Version: "1.0", ClientID: f.opts.ClientID}, err
}

func TestLoginWithDeviceCode(t *testing.T) {
	w := newWorld(t)
	w.env["APPROVALS_AUTH"] = "devicecode"
	delete(w.env, "APPROVALS_TOKEN")
	var stdout, stderr bytes.Buffer
	root := &cobra.Command{Use: "approvals"}
	Attach(root, wired(Setup{
		Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return w.env[k] },
		Now: func() time.Time { return now }, Loc: time.UTC,
	}, swapToken{identity: meID}, func(o *auth.Options) {
		o.NewCredential = func(co auth.CredentialOptions) (auth.Interactive, error) { return &fakeDeviceCode{opts: co}, nil }
		o.NewCache = func(string) (azidentity.Cache, error) { return azidentity.Cache{}, errors.New("keyring blocked") }
	}))
	root.SetArgs([]string{"login"})
	if code := Report(&stderr, root.ExecuteContext(context.Background())); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	record := w.home + "/state/approvals/accounts/global_organizations_14d82eec-204b-4c2f-b7e8-296a70dab67e.json"
	wantOut := "Signed in as Megan Bowen (megan@contoso.com).\nSign-in saved to " + record + ".\n"
	if stdout.String() != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), wantOut)
	}
	wantErr := "approvals: warning: tokens are kept in memory only, so you will sign in on every run: the encrypted token cache is unavailable here (keyring blocked; in containers, the default seccomp profile blocks the kernel keyring)\n" +
		"To sign in, open https://microsoft.com/devicelogin and enter the code QWER-TY12 (valid until about 10:15).\n"
	if stderr.String() != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), wantErr)
	}
	if strings.Contains(stdout.String()+stderr.String(), canary) {
		t.Error("token printed")
	}

	// logout forgets the record it just saved.
	stdout.Reset()
	root = &cobra.Command{Use: "approvals"}
	Attach(root, wired(Setup{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return w.env[k] }}, nil, nil))
	root.SetArgs([]string{"logout"})
	if code := Report(&stderr, root.ExecuteContext(context.Background())); code != 0 {
		t.Fatalf("logout exit %d: %s", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "Signed out megan@contoso.com (cloud global, tenant organizations, client id 14d82eec-204b-4c2f-b7e8-296a70dab67e).\nRemoved "+record+"\n") {
		t.Errorf("logout said:\n%s", stdout.String())
	}
}

// signedOut is a saved-nothing device code credential: every token
// request needs an interactive sign-in.
type signedOut struct{}

func (signedOut) GetToken(_ context.Context, tro policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, &azidentity.AuthenticationRequiredError{TokenRequestOptions: tro}
}

func (signedOut) Authenticate(context.Context, *policy.TokenRequestOptions) (azidentity.AuthenticationRecord, error) {
	return azidentity.AuthenticationRecord{}, errors.New("not in this test")
}

func TestCommandsWithoutSignInSayHowToSignIn(t *testing.T) {
	w := newWorld(t)
	w.env["APPROVALS_AUTH"] = "devicecode"
	for _, args := range [][]string{{"list"}, {"show", "group:" + reqGroup}, {"approve", "group:" + reqGroup, "-j", "x"}} {
		var stdout, stderr bytes.Buffer
		root := &cobra.Command{Use: "approvals"}
		Attach(root, wired(Setup{
			Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return w.env[k] },
		}, swapToken{identity: meID}, func(o *auth.Options) {
			o.NewCredential = func(auth.CredentialOptions) (auth.Interactive, error) { return signedOut{}, nil }
			o.NewCache = func(string) (azidentity.Cache, error) { return azidentity.Cache{}, nil }
		}))
		root.SetArgs(args)
		code := Report(&stderr, root.ExecuteContext(context.Background()))
		if code != ExitError || stderr.String() != "approvals: not signed in, or the sign-in expired: run approvals login\n" || stdout.Len() != 0 {
			t.Errorf("%v: exit %d\nstdout %q\nstderr %q", args, code, stdout.String(), stderr.String())
		}
	}
	if st, _ := w.sim.StageState(reqGroup, reqGroup); st.PatchAttempts != 0 {
		t.Error("a decision went out without a sign-in")
	}
}
