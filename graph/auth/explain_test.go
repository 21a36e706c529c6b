package auth

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
)

// entraBody is how azidentity's AuthenticationFailedError shows a token
// endpoint error: a header, the response body, a footer.
func entraBody(code, desc string) error {
	return fmt.Errorf(`DeviceCodeCredential authentication failed. 
POST https://login.microsoftonline.com/organizations/oauth2/v2.0/token
--------------------------------------------------------------------------------
RESPONSE 400: 400 Bad Request
--------------------------------------------------------------------------------
{
  "error": "invalid_grant",
  "error_description": "AADSTS%s: %s\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2026-03-01 09:00:00Z",
  "error_codes": [%s]
}
--------------------------------------------------------------------------------`, code, desc, code)
}

func TestExplain(t *testing.T) {
	forbidden := &graph.Error{StatusCode: 403, Code: "Authorization_RequestDenied", Message: "Insufficient privileges to complete the operation.", RequestID: "req-1"}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"consent", entraBody("65001", "The user or administrator has not consented to use the application."),
			"sign-in failed (AADSTS65001): the app has no consent for the permissions it asks for: an administrator must grant admin consent (see README, Real-tenant setup)"},
		{"admin consent", entraBody("90094", "Admin consent is required."),
			"sign-in failed (AADSTS90094): the permissions need admin consent: an administrator must grant it for the app (see README, Real-tenant setup)"},
		{"conditional access", entraBody("53003", "Access has been blocked by Conditional Access policies."),
			"sign-in failed (AADSTS53003): blocked by Conditional Access: your organisation does not allow this sign-in (device code flow is often blocked): try --auth browser, or ask your administrator"},
		{"managed device", entraBody("530033", "Your device is not supported."),
			"sign-in failed (AADSTS530033): Conditional Access requires a managed or compliant device, which device-code sign-in cannot prove: use --auth browser on a managed device, or ask your administrator"},
		{"confirmation", entraBody("50199", "For security reasons, user confirmation is required for this request."),
			"sign-in failed (AADSTS50199): Entra ID asked to confirm this device-code sign-in and it was not confirmed, or your organisation restricts device code: try again, or use --auth browser"},
		{"single tenant", entraBody("50194", "Application is not configured as a multi-tenant application."),
			"sign-in failed (AADSTS50194): the app (--client-id) is single-tenant: set --tenant to your tenant id or domain (organizations works only with multi-tenant apps)"},
		{"app not found", entraBody("700016", "Application with identifier 'x' was not found in the directory."),
			"sign-in failed (AADSTS700016): the app (--client-id) is not found in this tenant: check --client-id, --tenant and --cloud"},
		{"expired code", entraBody("70020", "The provided value for the input parameter 'device_code' is not valid."),
			"sign-in failed (AADSTS70020): the sign-in code expired before it was used: run approvals login again and enter the code within 15 minutes"},
		{"unknown code keeps the description", entraBody("99999", "Something new happened."),
			"sign-in failed (AADSTS99999): Something new happened."},
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

func TestNeedsSignIn(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&azidentity.AuthenticationRequiredError{}, true},
		{fmt.Errorf("x: %w", &graph.Error{StatusCode: 401}), true},
		{entraBody("700082", "The refresh token has expired due to inactivity."), true},
		{&graph.Error{StatusCode: 403}, false},
		{entraBody("53003", "blocked"), false},
		{errors.New("boom"), false},
	} {
		if got := NeedsSignIn(tc.err); got != tc.want {
			t.Errorf("NeedsSignIn(%v) = %v", tc.err, got)
		}
	}
}

func TestExplainAzureAccess(t *testing.T) {
	err := fmt.Errorf("azure: %w", &graph.AzureAccessError{Cause: "AADSTS50076"})
	got := Explain(err)
	if !strings.Contains(got, "user_impersonation") || strings.Contains(got, "sign-in failed") || NeedsSignIn(err) {
		t.Fatalf("Explain = %q, NeedsSignIn = %v", got, NeedsSignIn(err))
	}
}

func TestExplainGraphFirstWhenAzureFailsToo(t *testing.T) {
	are := &azidentity.AuthenticationRequiredError{}
	err := errors.Join(fmt.Errorf("group: %w", are), fmt.Errorf("azure: %w", &graph.AzureAccessError{Cause: "no token"}))
	if got := Explain(err); !strings.Contains(got, "approvals login") || !NeedsSignIn(err) {
		t.Fatalf("Explain = %q, NeedsSignIn = %v", got, NeedsSignIn(err))
	}
}
