package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"approvals/config"
	"approvals/graph/auth"
)

const fakeAccessToken = "eyJfake.access.token-7c1d"

// deviceCodeCred is azidentity's DeviceCodeCredential as far as the inbox
// can tell, without a network: Authenticate hands a code to UserPrompt and
// then waits for the "user" (the test) to finish signing in.
type deviceCodeCred struct {
	opts     auth.CredentialOptions
	signedIn chan struct{}
}

func (c *deviceCodeCred) GetToken(ctx context.Context, tro policy.TokenRequestOptions) (azcore.AccessToken, error) {
	select {
	case <-c.signedIn:
		return azcore.AccessToken{Token: fakeAccessToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
	default:
		return azcore.AccessToken{}, &azidentity.AuthenticationRequiredError{TokenRequestOptions: tro}
	}
}

func (c *deviceCodeCred) Authenticate(ctx context.Context, tro *policy.TokenRequestOptions) (azidentity.AuthenticationRecord, error) {
	err := c.opts.UserPrompt(ctx, azidentity.DeviceCodeMessage{UserCode: "WXYZ-9876",
		VerificationURL: "https://microsoft.com/devicelogin", Message: "open the page and enter WXYZ-9876"})
	if err != nil {
		return azidentity.AuthenticationRecord{}, err
	}
	select {
	case <-c.signedIn:
	case <-ctx.Done():
		return azidentity.AuthenticationRecord{}, ctx.Err()
	}
	return azidentity.AuthenticationRecord{Authority: "login.microsoftonline.com", ClientID: c.opts.ClientID,
		HomeAccountID: "oid.tid", TenantID: "tid", Username: "megan@contoso.com", Version: "1.0"}, nil
}

// The device code travels from the real sign-in code (auth.Session, with a
// stand-in credential and no network) into the inbox as a message, is drawn
// inside the screen, and the inbox starts polling once the user signed in;
// the account record is saved 0600 and no token reaches the screen.
func TestDeviceCodeFromAuthIsDrawnInsideTheInbox(t *testing.T) {
	t.Parallel()
	state := filepath.Join(t.TempDir(), "state") // created 0700 by auth
	accounts := filepath.Join(state, "accounts")
	cred := &deviceCodeCred{signedIn: make(chan struct{})}
	sess, err := auth.New(auth.Options{Method: config.AuthDeviceCode, Tenant: "contoso.onmicrosoft.com",
		AccountsDir: accounts, CacheDir: filepath.Join(state, "cache"), Warn: func(s string) { t.Log("warning:", s) },
		NewCredential: func(o auth.CredentialOptions) (auth.Interactive, error) { cred.opts = o; return cred, nil },
		NewCache:      func(string) (azidentity.Cache, error) { return azidentity.Cache{}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	fb := &fakeBackend{snap: sampleSnapshot()}
	m := New(Options{timer: heldTimer, Backend: fb, Now: newFakeClock().Now, Theme: ThemeDark, SignIn: AuthSignIn(sess.EnsureSignedIn)})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	ch := stream(m.Init())

	m.Update(next[deviceCodeShownMsg](t, ch))
	scr := screen(m)
	for _, want := range []string{"WXYZ-9876", "https://microsoft.com/devicelogin"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("the inbox does not show %q:\n%s", want, scr)
		}
	}
	if fb.refreshes != 0 {
		t.Fatal("polled before the sign-in finished")
	}

	close(cred.signedIn) // the user typed the code in a browser
	_, cmd := m.Update(next[signedInMsg](t, ch))
	feed[approvalsLoadedMsg](m, cmd)
	if fb.refreshes == 0 || !strings.Contains(screen(m), "Ada Lovelace") {
		t.Fatalf("after sign-in the inbox should load:\n%s", screen(m))
	}
	if strings.Contains(screen(m), fakeAccessToken) {
		t.Fatal("the token reached the screen")
	}
	fi, err := os.Stat(sess.RecordPath())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("account record: %v, %v", fi, err)
	}
	if sess.Account() != "megan@contoso.com" {
		t.Fatalf("account %q", sess.Account())
	}
}
