package words

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"approvals/graph"
	"approvals/graph/auth"
	"approvals/graph/auth/authtest"
)

// entraBody is a token endpoint error with code and description.
var entraBody = authtest.EntraError

func TestExplain(t *testing.T) {
	forbidden := &graph.Error{StatusCode: 403, Code: "Authorization_RequestDenied", Message: "Insufficient privileges to complete the operation.", RequestID: "req-1"}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"consent", entraBody("65001", "The user or administrator has not consented to use the application."),
			"sign-in failed (AADSTS65001, correlation-id 1111, trace-id 0000): the app has no consent for the permissions it asks for: an administrator must grant admin consent (see README, Real-tenant setup)"},
		{"admin consent", entraBody("90094", "Admin consent is required."),
			"sign-in failed (AADSTS90094, correlation-id 1111, trace-id 0000): the permissions need admin consent: an administrator must grant it for the app (see README, Real-tenant setup)"},
		{"conditional access", entraBody("53003", "Access has been blocked by Conditional Access policies."),
			"sign-in failed (AADSTS53003, correlation-id 1111, trace-id 0000): blocked by Conditional Access: your organisation does not allow this sign-in (device code flow is often blocked): try --auth browser, or ask your administrator"},
		{"managed device", entraBody("530033", "Your device is not supported."),
			"sign-in failed (AADSTS530033, correlation-id 1111, trace-id 0000): Conditional Access requires a managed or compliant device, which device-code sign-in cannot prove: use --auth browser on a managed device, or ask your administrator"},
		{"confirmation", entraBody("50199", "For security reasons, user confirmation is required for this request."),
			"sign-in failed (AADSTS50199, correlation-id 1111, trace-id 0000): Entra ID asked to confirm this device-code sign-in and it was not confirmed, or your organisation restricts device code: try again, or use --auth browser"},
		{"single tenant", entraBody("50194", "Application is not configured as a multi-tenant application."),
			"sign-in failed (AADSTS50194, correlation-id 1111, trace-id 0000): the app (--client-id) is single-tenant: set --tenant to your tenant id or domain (organizations works only with multi-tenant apps)"},
		{"app not found", entraBody("700016", "Application with identifier 'x' was not found in the directory."),
			"sign-in failed (AADSTS700016, correlation-id 1111, trace-id 0000): the app (--client-id) is not found in this tenant: check --client-id, --tenant and --cloud"},
		{"expired code", entraBody("70020", "The provided value for the input parameter 'device_code' is not valid."),
			"sign-in failed (AADSTS70020, correlation-id 1111, trace-id 0000): the sign-in code expired before it was used: run approvals login again and enter the code within 15 minutes"},
		{"unknown code keeps the description", entraBody("99999", "Something new happened."),
			"sign-in failed (AADSTS99999, correlation-id 1111, trace-id 0000): Something new happened."},
		{"auth required", &azidentity.AuthenticationRequiredError{}, "not signed in, or the sign-in expired: run approvals login"},
		{"401", fmt.Errorf("refresh: %w", &graph.Error{StatusCode: 401, Code: "InvalidAuthenticationToken", Message: "Access token has expired or is not yet valid.", RequestID: "r4"}),
			"401 Unauthorized [InvalidAuthenticationToken]: Access token has expired or is not yet valid. (request-id r4) — the sign-in was not accepted or has expired: sign in again: approvals login (with --auth token, get a fresh token)"},
		{"403 access packages", graph.SourceError{Source: graph.SourceAccessPackage, Err: forbidden},
			"403 Forbidden [Authorization_RequestDenied]: Insufficient privileges to complete the operation. (request-id req-1) — missing permission or role: the app needs the delegated permission EntitlementManagement.ReadWrite.All (admin-consented) and you must be an approver of the request"},
		{"403 groups", fmt.Errorf("x: %w", &graph.SourceError{Source: graph.SourceGroup, Err: forbidden}),
			"403 Forbidden [Authorization_RequestDenied]: Insufficient privileges to complete the operation. (request-id req-1) — missing permission or role: the app needs the delegated permission PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup (admin-consented) and you must be an approver of the request"},
		{"403 unknown source", forbidden,
			"403 Forbidden [Authorization_RequestDenied]: Insufficient privileges to complete the operation. (request-id req-1) — missing permission or role: the app needs the delegated permissions EntitlementManagement.ReadWrite.All, PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup, User.Read (admin-consented) and you must be an approver of the request"},
		{"429 with a wait", &graph.Error{StatusCode: 429, Code: "TooManyRequests", RetryAfter: 90 * time.Second},
			"429 Too Many Requests [TooManyRequests] (retry after 1m30s) — Graph is throttling requests: try again in 1m30s"},
		{"400 as is", &graph.Error{StatusCode: 400, Code: "BadRequest", Message: "Justification is required."},
			"400 Bad Request [BadRequest]: Justification is required."},
		{"timeout", fmt.Errorf("list: %w", context.DeadlineExceeded), "timed out: list: context deadline exceeded"},
		{"network", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, "cannot reach the service (network): dial tcp: connection refused"},
		// No network: the sign-in library says only "unable to resolve an
		// endpoint"; the resolver's words are the cause.
		{"no network at sign-in", fmt.Errorf("unable to resolve an endpoint: server response error:\n \n%w",
			&url.Error{Op: "Get", URL: "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration",
				Err: &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "login.microsoftonline.com", Server: "10.0.0.53:53", IsNotFound: true}}}),
			"cannot reach the service (network): lookup login.microsoftonline.com on 10.0.0.53:53: no such host"},
		{"our own listener", fmt.Errorf("sim: %w", &net.OpError{Op: "listen", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, Err: errors.New("bind: address already in use")}),
			"cannot listen on 127.0.0.1:8080: bind: address already in use"},
		{"other", errors.New("first line\nsecond line"), "first line"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Explain(tc.err)
			if got != tc.want {
				t.Errorf("Explain:\n got %s\nwant %s", got, tc.want)
			}
			if strings.Contains(got, "\n") {
				t.Error("more than one line")
			}
		})
	}
	if Explain(nil) != "" {
		t.Error("Explain(nil)")
	}
}

func TestExplainAzureAccess(t *testing.T) {
	err := fmt.Errorf("azure: %w", &graph.AzureAccessError{Cause: "AADSTS50076"})
	got := Explain(err)
	if !strings.Contains(got, "user_impersonation") || strings.Contains(got, "sign-in failed") || auth.NeedsSignIn(err) {
		t.Fatalf("Explain = %q, NeedsSignIn = %v", got, auth.NeedsSignIn(err))
	}
}

func TestExplainGraphFirstWhenAzureFailsToo(t *testing.T) {
	are := &azidentity.AuthenticationRequiredError{}
	err := errors.Join(fmt.Errorf("group: %w", are), fmt.Errorf("azure: %w", &graph.AzureAccessError{Cause: "no token"}))
	if got := Explain(err); !strings.Contains(got, "approvals login") || !auth.NeedsSignIn(err) {
		t.Fatalf("Explain = %q, NeedsSignIn = %v", got, auth.NeedsSignIn(err))
	}
}

// Every AADSTS code the advice knows reads as it did when graph/auth worded
// it, after the code and Entra ID's ids.
func TestExplainEveryEntraCode(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"50020", "your account is not in this tenant: sign in with an account of the tenant, or set --tenant to your home tenant"},
		{"50034", "that user account does not exist in this tenant: check the account, --tenant and --cloud"},
		{"50076", "multi-factor authentication is required: finish it in the sign-in page, then try again"},
		{"50079", "multi-factor authentication must be set up for your account first: follow the sign-in page, then try again"},
		{"50105", "your account is not assigned to the app: ask an administrator to assign you to its enterprise application"},
		{"50126", "wrong user name or password"},
		{"50133", "your sign-in is no longer valid (password changed or reset): sign in again: approvals login"},
		{"50173", "your sign-in is no longer valid (credentials changed): sign in again: approvals login"},
		{"50194", "the app (--client-id) is single-tenant: set --tenant to your tenant id or domain (organizations works only with multi-tenant apps)"},
		{"50059", "no tenant to sign in to: set --tenant to your tenant id or domain"},
		{"50199", "Entra ID asked to confirm this device-code sign-in and it was not confirmed, or your organisation restricts device code: try again, or use --auth browser"},
		{"53000", "Conditional Access requires a compliant or managed device, which device-code sign-in cannot prove: use --auth browser on a managed device, or ask your administrator"},
		{"53001", "Conditional Access requires a domain-joined device, which device-code sign-in cannot prove: use --auth browser on such a device, or ask your administrator"},
		{"53003", "blocked by Conditional Access: your organisation does not allow this sign-in (device code flow is often blocked): try --auth browser, or ask your administrator"},
		{"530033", "Conditional Access requires a managed or compliant device, which device-code sign-in cannot prove: use --auth browser on a managed device, or ask your administrator"},
		{"65001", "the app has no consent for the permissions it asks for: an administrator must grant admin consent (see README, Real-tenant setup)"},
		{"90094", "the permissions need admin consent: an administrator must grant it for the app (see README, Real-tenant setup)"},
		{"65002", "this client id is a Microsoft first-party app that cannot ask for these permissions: use the default client id or your own app registration"},
		{"65004", "consent was declined: the app cannot act for you without it"},
		{"70000", "your sign-in has expired or was revoked: sign in again: approvals login"},
		{"70008", "your sign-in has expired: sign in again: approvals login"},
		{"700082", "your sign-in expired after a long time unused: sign in again: approvals login"},
		{"70016", "the device-code sign-in was not completed yet"},
		{"70019", "the sign-in code expired before it was used: run approvals login again and enter the code within 15 minutes"},
		{"70020", "the sign-in code expired before it was used: run approvals login again and enter the code within 15 minutes"},
		{"700016", "the app (--client-id) is not found in this tenant: check --client-id, --tenant and --cloud"},
		{"7000218", "the app registration is not a public client: enable \"Allow public client flows\" in its Authentication settings"},
		{"90002", "tenant not found: check --tenant and --cloud"},
		{"90072", "your account is a guest that is not in this tenant: sign in with an account of the tenant or set --tenant"},
		{"500011", "Microsoft Graph is not available in this tenant or cloud: check --cloud"},
		{"50011", "the app has no matching redirect URI for browser sign-in: add http://localhost as a mobile and desktop redirect URI, or use --auth devicecode"},
		{"500113", "the app has no redirect URI for browser sign-in: add http://localhost as a mobile and desktop redirect URI, or use --auth devicecode"},
	} {
		got := Explain(entraBody(tc.code, "Entra ID's own words."))
		want := "sign-in failed (AADSTS" + tc.code + ", correlation-id 1111, trace-id 0000): " + tc.want
		if got != want {
			t.Errorf("AADSTS%s:\n got %s\nwant %s", tc.code, got, want)
		}
	}
}

// A real token endpoint body carries the ids as fields too; an unknown code
// keeps Entra ID's description without them, and nothing of the body's
// escapes reaches the line.
func TestExplainEntraIDsFromTheBody(t *testing.T) {
	err := errors.New(strings.Replace(`DeviceCodeCredential authentication failed.
POST https://login.microsoftonline.com/organizations/oauth2/v2.0/token
--------------------------------------------------------------------------------
RESPONSE 400: 400 Bad Request
--------------------------------------------------------------------------------
{
  "error": "invalid_request",
  "error_description": "AADSTS1234567: A new ESCthing.\r\nTrace ID: 5e4c1a7e-0c4a-4f5e-9a59-0d6b2c3d4e00\r\nCorrelation ID: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\r\nTimestamp: 2026-03-01 09:00:00Z",
  "error_codes": [1234567],
  "timestamp": "2026-03-01 09:00:00Z",
  "trace_id": "5e4c1a7e-0c4a-4f5e-9a59-0d6b2c3d4e00",
  "correlation_id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
}
--------------------------------------------------------------------------------`, "ESC", "\x1b[2J", 1))
	want := "sign-in failed (AADSTS1234567, correlation-id 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0, trace-id 5e4c1a7e-0c4a-4f5e-9a59-0d6b2c3d4e00): A new "
	got := Explain(err)
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "thing.") || strings.ContainsAny(got, "\x1b\n\\") {
		t.Errorf("Explain:\n got %q\nwant %q…thing.", got, want)
	}
}

// A failed sign-in names the settings it used when the fix is to check or
// change them, and only then.
func TestExplainNamesTheSettingsInUse(t *testing.T) {
	failed := func(code string) error {
		return &auth.SignInError{Err: entraBody(code, "x"), Method: auth.MethodDeviceCode,
			Tenant: "contoso.onmicrosoft.com", ClientID: "11111111-2222-3333-4444-555555555555", Cloud: "usgov"}
	}
	got := Explain(fmt.Errorf("sign-in: %w", failed("700016")))
	want := "sign-in failed (AADSTS700016, correlation-id 1111, trace-id 0000): the app (--client-id) is not found in this tenant: check --client-id, --tenant and --cloud" +
		" (in use: --tenant contoso.onmicrosoft.com, --client-id 11111111-2222-3333-4444-555555555555, --cloud usgov)"
	if got != want {
		t.Errorf("app not found:\n got %s\nwant %s", got, want)
	}
	if got := Explain(failed("53003")); strings.Contains(got, "in use") {
		t.Errorf("Conditional Access has nothing to do with the settings: %s", got)
	}
}

// The sign-in's own refusals name the flags and the command to use.
func TestExplainSignInRefusals(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{auth.ErrNoToken, "--auth token needs a token: set APPROVALS_TOKEN or use --token-file FILE"},
		{auth.ErrNoInteractiveSignIn, "--auth token signs in with APPROVALS_TOKEN or --token-file, not interactively; a 401 means the token expired or is wrong"},
		// The sign-in library keeps only the text of the prompt's error.
		{fmt.Errorf("DeviceCodeCredential: %s", auth.ErrSignInNeeded), "not signed in, or the sign-in expired: run approvals login"},
	} {
		if got := Explain(tc.err); got != tc.want {
			t.Errorf("Explain(%v):\n got %s\nwant %s", tc.err, got, tc.want)
		}
	}
}

// A source's fix reads as when graph worded it: the service's fix, then
// what the settings can do, for the sources that need more than the
// inbox's permissions.
func TestSourceFix(t *testing.T) {
	const roleFix = "needs the delegated permission RoleAssignmentSchedule.Read.Directory (ReadWrite.Directory to decide)"
	const azureFix = "needs an app registration allowed Azure Service Management user_impersonation (see the README)"
	const groupFix = "needs the delegated permission PrivilegedAssignmentSchedule.Read.AzureADGroup (ReadWrite to decide)"
	for _, tc := range []struct {
		st   graph.SourceStatus
		want string
	}{
		{graph.SourceStatus{Source: graph.SourceRole, State: graph.StateUnauthorized, Fix: roleFix},
			roleFix + "; or leave role out of the sources setting"},
		{graph.SourceStatus{Source: graph.SourceAzure, State: graph.StateUnauthorized, Fix: azureFix},
			azureFix + "; or leave azure out of the sources setting"},
		{graph.SourceStatus{Source: graph.SourceAzure, State: graph.StateUnavailable, Unconfigured: true},
			"set arm_url (or --arm-url), or leave azure out of the sources setting"},
		{graph.SourceStatus{Source: graph.SourceGroup, State: graph.StateUnauthorized, Fix: groupFix}, groupFix},
		{graph.SourceStatus{Source: graph.SourceRole, State: graph.StatePortalOnly, Fix: "decide Entra role requests in the portal"},
			"decide Entra role requests in the portal"},
		{graph.SourceStatus{Source: graph.SourceAzure, State: graph.StateUnavailable, Detail: "503"}, ""},
	} {
		if got := SourceFix(tc.st); got != tc.want {
			t.Errorf("SourceFix(%+v):\n got %s\nwant %s", tc.st, got, tc.want)
		}
	}
}

// Reading a source the client does not poll points at the setting.
func TestExplainSourceDisabled(t *testing.T) {
	err := fmt.Errorf("graph: the role source is %w", graph.ErrSourceDisabled)
	if got, want := Explain(err), "graph: the role source is not enabled (see the sources setting)"; got != want {
		t.Errorf("Explain:\n got %s\nwant %s", got, want)
	}
}

// Every line that tells the command line's user to run approvals login
// tells the inbox's user to sign in again instead, and nothing else of it
// changes.
func TestInInboxRewordsOnlySigningInAgain(t *testing.T) {
	for _, err := range []error{
		entraBody("70020", "expired"), entraBody("50173", "revoked"), entraBody("700082", "unused"),
		&azidentity.AuthenticationRequiredError{},
	} {
		cli := Explain(err)
		if !strings.Contains(cli, "approvals login") {
			t.Fatalf("%v: the command line's advice names no command: %s", err, cli)
		}
		in := InInbox(cli)
		if strings.Contains(in, "approvals login") || !strings.Contains(in, "sign in again") {
			t.Errorf("inbox: %s", in)
		}
		if head, _, _ := strings.Cut(cli, "approvals login"); !strings.HasPrefix(in, strings.TrimSuffix(strings.TrimSuffix(head, "run "), "sign in again: ")) {
			t.Errorf("the rest changed:\n cli %s\n in  %s", cli, in)
		}
	}
	if s := "blocked by Conditional Access: try --auth browser"; InInbox(s) != s {
		t.Errorf("%q became %q", s, InInbox(s))
	}
}
