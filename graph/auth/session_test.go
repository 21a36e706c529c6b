package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"approvals/graph"
)

const fakeToken = "fake-token-5f1c0d2e"

// fakeCred stands in for azidentity: Authenticate calls the UserPrompt the
// way DeviceCodeCredential does (with Authenticate's context) and returns a
// record; GetToken works only after a sign-in or with a saved record.
type fakeCred struct {
	opts    CredentialOptions
	authErr error // what Authenticate fails with, when set

	mu       sync.Mutex
	signedIn bool
	tro      []policy.TokenRequestOptions
}

func (f *fakeCred) GetToken(_ context.Context, tro policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.signedIn && f.opts.Record.Username == "" {
		return azcore.AccessToken{}, &azidentity.AuthenticationRequiredError{TokenRequestOptions: tro}
	}
	return azcore.AccessToken{Token: fakeToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func (f *fakeCred) Authenticate(ctx context.Context, tro *policy.TokenRequestOptions) (azidentity.AuthenticationRecord, error) {
	f.mu.Lock()
	f.tro = append(f.tro, *tro)
	f.mu.Unlock()
	if f.authErr != nil {
		return azidentity.AuthenticationRecord{}, f.authErr
	}
	if f.opts.UserPrompt != nil {
		if err := f.opts.UserPrompt(ctx, azidentity.DeviceCodeMessage{
			UserCode: "ABCD-1234", VerificationURL: "https://microsoft.com/devicelogin",
			Message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-1234 to authenticate.",
		}); err != nil {
			return azidentity.AuthenticationRecord{}, err
		}
	}
	f.mu.Lock()
	f.signedIn = true
	f.mu.Unlock()
	return azidentity.AuthenticationRecord{Authority: "login.microsoftonline.com", ClientID: f.opts.ClientID,
		HomeAccountID: "oid.tid", TenantID: "tid", Username: "megan@contoso.com", Version: "1.0"}, nil
}

type harness struct {
	state    string
	accounts string
	cacheDir string
	warnings []string
	creds    []*fakeCred
	cacheErr error
	authErr  error // what a sign-in fails with
}

func newHarness(t *testing.T) *harness {
	base := t.TempDir()
	h := &harness{state: filepath.Join(base, "state"), cacheDir: filepath.Join(base, "cache")}
	h.accounts = filepath.Join(h.state, "accounts")
	return h
}

func (h *harness) options(method string) Options {
	return Options{
		Method: method, Tenant: "contoso.onmicrosoft.com", AccountsDir: h.accounts, CacheDir: h.cacheDir,
		Now:  func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) },
		Warn: func(s string) { h.warnings = append(h.warnings, s) },
		NewCredential: func(o CredentialOptions) (Interactive, error) {
			c := &fakeCred{opts: o, authErr: h.authErr}
			h.creds = append(h.creds, c)
			return c, nil
		},
		NewCache: func(string) (azidentity.Cache, error) { return azidentity.Cache{}, h.cacheErr },
	}
}

func TestDeviceCodeSignInSavesAndReusesRecord(t *testing.T) {
	h := newHarness(t)
	s, err := New(h.options(MethodDeviceCode))
	if err != nil {
		t.Fatal(err)
	}
	// Before signing in, the credential asks for a sign-in instead of prompting.
	_, err = s.Credential().GetToken(context.Background(), policy.TokenRequestOptions{Scopes: s.Scopes()})
	if !NeedsSignIn(err) {
		t.Fatalf("GetToken before sign-in: %v", err)
	}

	var got []DeviceCode
	if err := s.SignIn(context.Background(), func(dc DeviceCode) { got = append(got, dc) }); err != nil {
		t.Fatal(err)
	}
	want := DeviceCode{UserCode: "ABCD-1234", URL: "https://microsoft.com/devicelogin",
		Message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-1234 to authenticate.",
		Expires: time.Date(2026, 3, 1, 9, 15, 0, 0, time.UTC)}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("device code reached the caller as %+v", got)
	}
	tro := h.creds[0].tro[0]
	if !tro.EnableCAE || !reflect.DeepEqual(tro.Scopes, graph.DefaultScopes("https://graph.microsoft.com")) {
		t.Errorf("Authenticate options %+v: want CAE and the Graph scopes", tro)
	}
	if s.Account() != "megan@contoso.com" {
		t.Errorf("Account = %q", s.Account())
	}

	path := s.RecordPath()
	if filepath.Base(path) != "global_contoso.onmicrosoft.com_14d82eec-204b-4c2f-b7e8-296a70dab67e.json" {
		t.Errorf("record file %s", path)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("record: %v %v", fi, err)
		}
		for _, d := range []string{h.accounts, h.state} {
			if di, _ := os.Stat(d); di.Mode().Perm() != 0o700 {
				t.Errorf("%s mode %v", d, di.Mode().Perm())
			}
		}
	}
	if len(h.warnings) != 0 {
		t.Errorf("warnings: %q", h.warnings)
	}

	// Next run: the record is handed to the credential and no prompt is needed.
	s2, err := New(h.options(MethodDeviceCode))
	if err != nil {
		t.Fatal(err)
	}
	if rec := h.creds[1].opts.Record; rec.Username != "megan@contoso.com" || rec.HomeAccountID != "oid.tid" {
		t.Errorf("saved record not reused: %+v", rec)
	}
	if s2.Account() != "megan@contoso.com" {
		t.Errorf("Account on the next run = %q", s2.Account())
	}
	if _, err := s2.Credential().GetToken(context.Background(), policy.TokenRequestOptions{Scopes: s2.Scopes()}); err != nil {
		t.Errorf("silent token on the next run: %v", err)
	}
}

func TestRecordKeyedByCloudTenantAndClient(t *testing.T) {
	h := newHarness(t)
	o := h.options(MethodDeviceCode)
	o.Cloud, _ = graph.CloudByName("usgov")
	o.ClientID = "11111111-2222-3333-4444-555555555555"
	o.Tenant = "Contoso.OnMicrosoft.us"
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(s.RecordPath()) != "usgov_contoso.onmicrosoft.us_11111111-2222-3333-4444-555555555555.json" {
		t.Errorf("record %s", s.RecordPath())
	}
	if s.Scopes()[0] != "https://graph.microsoft.us/EntitlementManagement.ReadWrite.All" {
		t.Errorf("scopes %q", s.Scopes())
	}
	if h.creds[0].opts.Cloud.ActiveDirectoryAuthorityHost != "https://login.microsoftonline.us/" {
		t.Errorf("authority %q", h.creds[0].opts.Cloud.ActiveDirectoryAuthorityHost)
	}
}

func TestInsecureFolderRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	h := newHarness(t)
	if err := os.MkdirAll(h.state, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(h.state, 0o755)
	s, err := New(h.options(MethodDeviceCode))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SignIn(context.Background(), func(DeviceCode) {}); err != nil {
		t.Fatalf("sign-in itself must still work: %v", err)
	}
	if _, err := os.Stat(s.RecordPath()); err == nil {
		t.Fatal("record written under a folder other users can open")
	}
	if _, err := os.Stat(h.accounts); err == nil {
		t.Error("accounts folder created under an open state folder")
	}
	want := "sign-in not saved, you will sign in again next run: " + h.state + " is open to other users (mode 0755); run: chmod 700 " + h.state
	if len(h.warnings) != 1 || h.warnings[0] != want {
		t.Errorf("warnings %q\nwant %q", h.warnings, want)
	}
}

func TestCacheUnavailableWarnsOnceAndUsesMemory(t *testing.T) {
	h := newHarness(t)
	h.cacheErr = errors.New(`persistent storage isn't available due to error "couldn't get the user keyring due to error \"operation not permitted\""`)
	s, err := New(h.options(MethodDeviceCode))
	if err != nil {
		t.Fatal(err)
	}
	s.SignIn(context.Background(), func(DeviceCode) {})
	s.SignIn(context.Background(), func(DeviceCode) {})
	if len(h.warnings) != 1 || !strings.HasPrefix(h.warnings[0], "tokens are kept in memory only, so you will sign in on every run") ||
		!strings.Contains(h.warnings[0], "operation not permitted") {
		t.Errorf("warnings %q", h.warnings)
	}
	if !reflect.DeepEqual(h.creds[0].opts.Cache, azidentity.Cache{}) {
		t.Error("want the in-memory (zero) cache")
	}
}

func TestPromptWithoutCallbackNeverPrints(t *testing.T) {
	prompt := userPrompt(time.Now)
	err := prompt(context.Background(), azidentity.DeviceCodeMessage{UserCode: "X"})
	if !errors.Is(err, ErrSignInNeeded) {
		t.Errorf("err = %v", err)
	}
}

func TestStaticToken(t *testing.T) {
	h := newHarness(t)
	o := h.options(MethodToken)
	o.Token = fakeToken
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Credential().GetToken(context.Background(), policy.TokenRequestOptions{})
	if err != nil || tok.Token != fakeToken {
		t.Errorf("token %v %v", tok.Token == fakeToken, err)
	}
	if s.Interactive() || !errors.Is(s.SignIn(context.Background(), nil), ErrNoInteractiveSignIn) {
		t.Error("a static token cannot sign in interactively")
	}
	if len(h.creds) != 0 {
		t.Error("no azidentity credential for a static token")
	}
	if s := fmt.Sprintf("%v %+v %#v", s.Credential(), s.Credential(), s.Credential()); strings.Contains(s, fakeToken) {
		t.Errorf("formatting the credential shows the token: %s", s)
	}
	o.Token = ""
	if _, err := New(o); !errors.Is(err, ErrNoToken) {
		t.Errorf("no token: %v", err)
	}
}

func TestLoadToken(t *testing.T) {
	tok, err := LoadToken("", "  Bearer "+fakeToken+"\n", nil)
	if err != nil || tok != fakeToken {
		t.Errorf("env token: %v", err)
	}
	file := filepath.Join(t.TempDir(), "token")
	os.WriteFile(file, []byte(fakeToken+"\n"), 0o644)
	os.Chmod(file, 0o644)
	var warned []string
	tok, err = LoadToken(file, "env-token-not-used", func(s string) { warned = append(warned, s) })
	if err != nil || tok != fakeToken {
		t.Errorf("file token: %v", err)
	}
	if runtime.GOOS != "windows" && (len(warned) != 1 || strings.Contains(warned[0], fakeToken) || !strings.Contains(warned[0], "chmod 600")) {
		t.Errorf("warnings %q", warned)
	}
	if _, err := LoadToken("", " ", nil); !errors.Is(err, ErrNoToken) {
		t.Error("no token anywhere: want an error")
	}
}

func TestLogoutRemovesRecordAndCacheFiles(t *testing.T) {
	h := newHarness(t)
	s, err := New(h.options(MethodDeviceCode))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SignIn(context.Background(), func(DeviceCode) {}); err != nil {
		t.Fatal(err)
	}
	idDir := filepath.Join(h.cacheDir, ".IdentityService")
	os.MkdirAll(idDir, 0o700)
	name := "approvals.global_contoso.onmicrosoft.com_14d82eec-204b-4c2f-b7e8-296a70dab67e"
	for _, f := range []string{name, name + ".cae", name + ".lockfile", "approvals.other_tenant"} {
		os.WriteFile(filepath.Join(idDir, f), []byte("x"), 0o600)
	}
	removed, err := s.Logout()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{s.RecordPath(), filepath.Join(idDir, name), filepath.Join(idDir, name+".lockfile"), filepath.Join(idDir, name+".cae")}
	if !reflect.DeepEqual(removed, want) {
		t.Errorf("removed %q\nwant %q", removed, want)
	}
	if _, err := os.Stat(filepath.Join(idDir, "approvals.other_tenant")); err != nil {
		t.Error("another sign-in's cache was removed")
	}
	if s.Account() != "" {
		t.Error("still signed in after logout")
	}
	if removed, err := s.Logout(); err != nil || len(removed) != 0 {
		t.Errorf("second logout: %q %v", removed, err)
	}
}

func TestRealCredentialsBuildWithoutNetwork(t *testing.T) {
	for _, m := range []string{MethodDeviceCode, MethodBrowser} {
		h := newHarness(t)
		o := h.options(m)
		o.NewCredential = nil // the real azidentity constructors; building them sends nothing
		s, err := New(o)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		switch s.cred.(type) { // behind Credential's claims recorder
		case *azidentity.DeviceCodeCredential:
			if m != MethodDeviceCode {
				t.Errorf("%s built a device code credential", m)
			}
		case *azidentity.InteractiveBrowserCredential:
			if m != MethodBrowser {
				t.Errorf("%s built a browser credential", m)
			}
		default:
			t.Errorf("%s: %T", m, s.cred)
		}
	}
}

func TestEnsureSignedIn(t *testing.T) {
	h := newHarness(t)
	s, err := New(h.options(MethodDeviceCode))
	if err != nil {
		t.Fatal(err)
	}
	prompts := 0
	count := func(DeviceCode) { prompts++ }
	if err := s.EnsureSignedIn(context.Background(), count); err != nil || prompts != 1 {
		t.Fatalf("first run: %v, %d prompts", err, prompts)
	}
	// The next run finds the saved sign-in and asks nothing.
	s2, _ := New(h.options(MethodDeviceCode))
	if err := s2.EnsureSignedIn(context.Background(), count); err != nil || prompts != 1 {
		t.Errorf("second run: %v, %d prompts", err, prompts)
	}
	if tro := h.creds[1].tro; len(tro) != 0 {
		t.Errorf("second run authenticated again: %+v", tro)
	}
}

// claimsCred is a signed-in credential whose cached token Graph has
// refused with a claims challenge (CAE): asked with the claims, it needs
// the user; without them it still hands out the cached token.
type claimsCred struct{ fakeCred }

func (c *claimsCred) GetToken(ctx context.Context, tro policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.mu.Lock()
	answered := len(c.tro) > 0 && c.tro[len(c.tro)-1].Claims == tro.Claims
	c.mu.Unlock()
	if tro.Claims != "" && !answered {
		return azcore.AccessToken{}, &azidentity.AuthenticationRequiredError{TokenRequestOptions: tro}
	}
	return c.fakeCred.GetToken(ctx, tro)
}

// When Graph's claims challenge needs the user, the next sign-in asks for
// those claims (with CAE on), and EnsureSignedIn does not settle for the
// cached token Graph refused.
func TestSignInAnswersAClaimsChallenge(t *testing.T) {
	h := newHarness(t)
	o := h.options(MethodDeviceCode)
	var cred *claimsCred
	o.NewCredential = func(co CredentialOptions) (Interactive, error) {
		cred = &claimsCred{fakeCred{opts: co, signedIn: true}}
		return cred, nil
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	const claims = `{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`
	_, err = s.Credential().GetToken(context.Background(), policy.TokenRequestOptions{Scopes: s.Scopes(), EnableCAE: true, Claims: claims})
	if !NeedsSignIn(err) {
		t.Fatalf("GetToken with claims: %v", err)
	}
	prompts := 0
	if err := s.EnsureSignedIn(context.Background(), func(DeviceCode) { prompts++ }); err != nil || prompts != 1 {
		t.Fatalf("EnsureSignedIn: %v, %d prompts (the cached token is the refused one: a sign-in is needed)", err, prompts)
	}
	if len(cred.tro) != 1 || cred.tro[0].Claims != claims || !cred.tro[0].EnableCAE {
		t.Fatalf("Authenticate options %+v: want the challenge's claims and CAE", cred.tro)
	}
	// Answered: the next check is silent again.
	if err := s.EnsureSignedIn(context.Background(), func(DeviceCode) { prompts++ }); err != nil || prompts != 1 {
		t.Fatalf("after answering: %v, %d prompts", err, prompts)
	}
}
