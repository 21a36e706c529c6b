package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"approvals/graph"
)

// DeviceCode is what the user needs to finish a device code sign-in.
type DeviceCode struct {
	UserCode string    // the code to type
	URL      string    // where to type it
	Message  string    // Entra ID's own instruction, one sentence
	Expires  time.Time // about when the code stops working
}

// deviceCodeLifetime is Entra ID's usual expires_in for a device code (900
// s); azidentity does not pass the real value through, so this estimates.
const deviceCodeLifetime = 15 * time.Minute

// Sign-in methods (Options.Method). The config's auth setting uses the
// same names.
const (
	MethodDeviceCode = "devicecode" // the default: works over SSH
	MethodBrowser    = "browser"    // interactive browser, for desktops
	MethodToken      = "token"      // a static bearer token
)

// Defaults of Options.Tenant and Options.ClientID.
const (
	// DefaultClientID is the public "Microsoft Graph Command Line Tools"
	// app, which tenants can consent to for these delegated permissions.
	DefaultClientID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
	DefaultTenant   = "organizations" // multi-tenant apps
)

// Options say how to sign in.
type Options struct {
	Method      string      // MethodDeviceCode (default), MethodBrowser or MethodToken
	Cloud       graph.Cloud // from graph.CloudByName
	Tenant      string      // tenant id or domain; default "organizations"
	ClientID    string      // public client app id; default DefaultClientID
	Token       string      // the bearer token for MethodToken (see LoadToken)
	AccountsDir string      // where sign-in records live; empty: not saved
	CacheDir    string      // azidentity/cache's folder; default $XDG_CACHE_HOME or ~/.cache (for Logout)

	// Warn receives one-line warnings meant for the user (token cache in
	// memory only, sign-in not saved). Nil discards them.
	Warn func(string)
	Now  func() time.Time

	// NewCredential and NewCache replace azidentity in tests.
	NewCredential func(CredentialOptions) (Interactive, error)
	NewCache      func(name string) (azidentity.Cache, error)
}

// Interactive is a credential a user can sign in with: azidentity's
// DeviceCodeCredential and InteractiveBrowserCredential.
type Interactive interface {
	azcore.TokenCredential
	Authenticate(ctx context.Context, opts *policy.TokenRequestOptions) (azidentity.AuthenticationRecord, error)
}

// CredentialOptions is what New passes to Options.NewCredential.
type CredentialOptions struct {
	Method     string
	Cloud      cloud.Configuration
	Tenant     string
	ClientID   string
	Record     azidentity.AuthenticationRecord // zero when never signed in
	Cache      azidentity.Cache                // zero: in memory
	UserPrompt func(context.Context, azidentity.DeviceCodeMessage) error
}

// Session is one configured sign-in. It is safe for concurrent use.
type Session struct {
	opts   Options
	scopes []string
	cred   Interactive            // nil for a static token
	static azcore.TokenCredential // non-nil for a static token
	key    string                 // cloud, tenant and client id, for file names

	mu      sync.Mutex
	account string // who signed in, from the record
	// claims is the claims challenge (CAE, step-up) that the last
	// AuthenticationRequiredError carried, until a sign-in answers it.
	claims string
}

// Errors a sign-in can fail with before Entra ID has a say (Advise gives
// their Reason: ReasonStaticToken, ReasonNoToken, ReasonNotSignedIn).
var (
	// ErrNoInteractiveSignIn is returned by SignIn with MethodToken.
	ErrNoInteractiveSignIn = errors.New("a static bearer token cannot sign in interactively")
	// ErrNoToken is returned by New and LoadToken when MethodToken has no
	// token to use.
	ErrNoToken = errors.New("no bearer token given")
	// ErrSignInNeeded is what a device code sign-in started without a
	// prompt to show the code to fails with (it never prints: a TUI may
	// own the terminal).
	ErrSignInNeeded = errors.New("sign-in needed, with no prompt to show the code to")
)

// SignInError is a failed sign-in with the settings it used, so that the
// advice can name them (Advise). Its text is the cause's; it unwraps to it.
type SignInError struct {
	Err                             error
	Method, Tenant, ClientID, Cloud string
}

func (e *SignInError) Error() string { return e.Err.Error() }
func (e *SignInError) Unwrap() error { return e.Err }

// failed wraps a sign-in's error with the settings it used.
func (s *Session) failed(err error) error {
	if err == nil {
		return nil
	}
	return &SignInError{Err: err, Method: s.opts.Method, Tenant: s.opts.Tenant, ClientID: s.opts.ClientID, Cloud: s.opts.Cloud.Name}
}

// New prepares a sign-in: it loads the saved record (if any) and opens the
// token cache. It does not talk to the network.
func New(opts Options) (*Session, error) {
	if opts.Method == "" {
		opts.Method = MethodDeviceCode
	}
	if opts.Tenant == "" {
		opts.Tenant = DefaultTenant
	}
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.Cloud.Name == "" {
		c, err := graph.CloudByName("")
		if err != nil {
			return nil, err
		}
		opts.Cloud = c
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Warn == nil {
		opts.Warn = func(string) {}
	}
	s := &Session{opts: opts, scopes: graph.DefaultScopes(opts.Cloud.GraphURL), key: recordKey(opts)}
	switch opts.Method {
	case MethodToken:
		if opts.Token == "" {
			return nil, ErrNoToken
		}
		s.static = graph.StaticToken(opts.Token)
		return s, nil
	case MethodDeviceCode, MethodBrowser:
	default:
		return nil, fmt.Errorf("unknown sign-in method %q (want devicecode, browser or token)", opts.Method)
	}
	rec := s.loadRecord()
	s.account = rec.Username
	newCred := opts.NewCredential
	if newCred == nil {
		newCred = newAzidentityCredential
	}
	cred, err := newCred(CredentialOptions{
		Method:     opts.Method,
		Cloud:      cloud.Configuration{ActiveDirectoryAuthorityHost: opts.Cloud.AuthorityHost + "/"},
		Tenant:     opts.Tenant,
		ClientID:   opts.ClientID,
		Record:     rec,
		Cache:      s.openCache(),
		UserPrompt: userPrompt(opts.Now),
	})
	if err != nil {
		return nil, fmt.Errorf("setting up sign-in: %w", err)
	}
	s.cred = cred
	return s, nil
}

func newAzidentityCredential(o CredentialOptions) (Interactive, error) {
	co := azcore.ClientOptions{Cloud: o.Cloud}
	if o.Method == MethodBrowser {
		return azidentity.NewInteractiveBrowserCredential(&azidentity.InteractiveBrowserCredentialOptions{
			ClientOptions: co, TenantID: o.Tenant, ClientID: o.ClientID,
			AuthenticationRecord: o.Record, Cache: o.Cache,
			DisableAutomaticAuthentication: true,
		})
	}
	return azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
		ClientOptions: co, TenantID: o.Tenant, ClientID: o.ClientID,
		AuthenticationRecord: o.Record, Cache: o.Cache,
		DisableAutomaticAuthentication: true,
		UserPrompt:                     o.UserPrompt,
	})
}

// Credential is the token source for the Graph client. Until SignIn has
// succeeded (now or in an earlier run), it fails with an error for which
// NeedsSignIn is true.
func (s *Session) Credential() azcore.TokenCredential {
	if s.static != nil {
		return s.static
	}
	return challengeRecorder{s}
}

// challengeRecorder is the session's credential as the Graph client sees
// it. When Graph answers with a claims challenge (CAE: a revoked session,
// a new location) that the cache cannot satisfy, azidentity returns
// AuthenticationRequiredError carrying the claims; the recorder keeps them
// so the next sign-in asks Entra ID for exactly those (without them the
// new token could be refused the same way, and a cached token would make
// EnsureSignedIn think all is well).
type challengeRecorder struct{ s *Session }

func (c challengeRecorder) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	t, err := c.s.cred.GetToken(ctx, o)
	var are *azidentity.AuthenticationRequiredError
	if errors.As(err, &are) && are.TokenRequestOptions.Claims != "" {
		c.s.mu.Lock()
		c.s.claims = are.TokenRequestOptions.Claims
		c.s.mu.Unlock()
	}
	return t, err
}

// pendingClaims is the claims challenge no sign-in has answered yet.
func (s *Session) pendingClaims() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.claims
}

// Scopes are the delegated permissions requested, on the cloud's Graph
// resource. Pass the same scopes to the Graph client, so the token SignIn
// fetched is the one the client uses.
func (s *Session) Scopes() []string { return append([]string(nil), s.scopes...) }

// Interactive reports whether SignIn can do anything (not a static token).
func (s *Session) Interactive() bool { return s.cred != nil }

// Method is the sign-in method in use.
func (s *Session) Method() string { return s.opts.Method }

// Account is the user name of the saved or just made sign-in, "" when
// there is none.
func (s *Session) Account() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.account
}

// promptKey carries SignIn's callback to the UserPrompt azidentity calls
// with the same context, so one credential serves many sign-ins.
type promptKey struct{}

func userPrompt(now func() time.Time) func(context.Context, azidentity.DeviceCodeMessage) error {
	return func(ctx context.Context, m azidentity.DeviceCodeMessage) error {
		prompt, _ := ctx.Value(promptKey{}).(func(DeviceCode))
		if prompt == nil {
			// Never print: a TUI may own the terminal.
			return ErrSignInNeeded
		}
		prompt(DeviceCode{UserCode: m.UserCode, URL: m.VerificationURL, Message: m.Message, Expires: now().Add(deviceCodeLifetime)})
		return nil
	}
}

// SignIn signs the user in interactively and saves the record for the next
// run. Its errors are SignInErrors, naming the tenant and app it used. With device code, prompt receives the code as soon as Entra ID
// issues it; it must return quickly (hand it to the UI), because polling
// for the user's sign-in starts only after it returns. SignIn returns when
// the user has signed in, the code expired, or ctx was cancelled.
func (s *Session) SignIn(ctx context.Context, prompt func(DeviceCode)) error {
	if s.cred == nil {
		return ErrNoInteractiveSignIn
	}
	if prompt == nil {
		prompt = func(DeviceCode) {}
	}
	ctx = context.WithValue(ctx, promptKey{}, prompt)
	// EnableCAE: the Graph pipeline always asks for CAE tokens, which live
	// in their own cache; signing in without it would prompt twice. Claims:
	// a challenge Graph made that only a sign-in can answer.
	claims := s.pendingClaims()
	rec, err := s.cred.Authenticate(ctx, &policy.TokenRequestOptions{Scopes: s.Scopes(), EnableCAE: true, Claims: claims})
	if err != nil {
		return s.failed(err)
	}
	s.mu.Lock()
	s.account = rec.Username
	if s.claims == claims {
		s.claims = ""
	}
	s.mu.Unlock()
	s.saveRecord(rec)
	return nil
}

// EnsureSignedIn makes sure a token can be had: silently when a saved
// sign-in still has a valid token in the cache, else by signing in
// interactively (SignIn). After Graph made a claims challenge the cache
// could not answer (the Graph client then fails with an error for which
// NeedsSignIn is true), it signs in with those claims. A static token
// needs nothing.
func (s *Session) EnsureSignedIn(ctx context.Context, prompt func(DeviceCode)) error {
	if s.cred == nil {
		return nil
	}
	if s.pendingClaims() != "" {
		// A token from the cache is the one Graph just refused.
		return s.SignIn(ctx, prompt)
	}
	_, err := s.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: s.Scopes(), EnableCAE: true})
	if err == nil || !NeedsSignIn(err) {
		return s.failed(err)
	}
	return s.SignIn(ctx, prompt)
}
