package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"approvals/graph"
	"approvals/graph/auth/authtest"
)

// entraBody is a token endpoint error with code and description.
var entraBody = authtest.EntraError

// Advise gives each error a reason, what it needs and the facts to word it
// with (ui/words words them; its tests check the words).
func TestAdvise(t *testing.T) {
	forbidden := &graph.Error{StatusCode: 403, Code: "Authorization_RequestDenied", Message: "Insufficient privileges to complete the operation.", RequestID: "req-1"}
	cases := []struct {
		name string
		err  error
		want Advice
	}{
		{"consent", entraBody("65001", "The user or administrator has not consented to use the application."),
			Advice{Reason: ReasonConsentMissing, Need: NeedAdminConsent, AADSTS: "65001", CorrelationID: "1111", TraceID: "0000"}},
		{"conditional access", entraBody("53003", "Access has been blocked by Conditional Access policies."),
			Advice{Reason: ReasonConditionalAccess, Need: NeedOtherMethod, AADSTS: "53003", CorrelationID: "1111", TraceID: "0000"}},
		{"expired code", entraBody("70020", "The provided value for the input parameter 'device_code' is not valid."),
			Advice{Reason: ReasonCodeExpired, Need: NeedSignIn, AADSTS: "70020", CorrelationID: "1111", TraceID: "0000"}},
		{"unknown code keeps the description", entraBody("99999", "Something new happened."),
			Advice{Reason: ReasonEntra, AADSTS: "99999", CorrelationID: "1111", TraceID: "0000", Description: "Something new happened."}},
		{"code without a body", errors.New("AADSTS70016: pending"), Advice{Reason: ReasonCodePending, Need: NeedWait, AADSTS: "70016"}},
		{"auth required", &azidentity.AuthenticationRequiredError{}, Advice{Reason: ReasonNotSignedIn, Need: NeedSignIn}},
		{"static token", fmt.Errorf("login: %w", ErrNoInteractiveSignIn), Advice{Reason: ReasonStaticToken, Need: NeedToken}},
		{"no token", ErrNoToken, Advice{Reason: ReasonNoToken, Need: NeedToken}},
		{"prompt-less device code, as text", fmt.Errorf("DeviceCodeCredential: %s", ErrSignInNeeded), Advice{Reason: ReasonNotSignedIn, Need: NeedSignIn}},
		{"401", fmt.Errorf("refresh: %w", &graph.Error{StatusCode: 401, Code: "InvalidAuthenticationToken", RequestID: "r4"}),
			Advice{Reason: ReasonSignInRejected, Need: NeedSignIn}},
		{"403 access packages", graph.SourceError{Source: graph.SourceAccessPackage, Err: forbidden},
			Advice{Reason: ReasonForbidden, Need: NeedPermission, Permissions: []string{"EntitlementManagement.ReadWrite.All"}}},
		{"403 groups", fmt.Errorf("x: %w", &graph.SourceError{Source: graph.SourceGroup, Err: forbidden}),
			Advice{Reason: ReasonForbidden, Need: NeedPermission, Permissions: []string{"PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup"}}},
		{"403 unknown source", forbidden, Advice{Reason: ReasonForbidden, Need: NeedPermission, Permissions: graph.Permissions}},
		{"409", &graph.Error{StatusCode: 409}, Advice{Reason: ReasonConflict}},
		{"429", &graph.Error{StatusCode: 429, RetryAfter: 90 * time.Second}, Advice{Reason: ReasonThrottled, Need: NeedWait}},
		{"503", &graph.Error{StatusCode: 503}, Advice{Reason: ReasonServiceTrouble, Need: NeedRetry}},
		{"400", &graph.Error{StatusCode: 400, Code: "BadRequest"}, Advice{Reason: ReasonGraphOther}},
		{"azure", fmt.Errorf("azure: %w", &graph.AzureAccessError{Cause: "AADSTS50076"}), Advice{Reason: ReasonAzureAccess, Need: NeedOwnApp}},
		{"timeout", fmt.Errorf("list: %w", context.DeadlineExceeded), Advice{Reason: ReasonTimeout, Need: NeedRetry, Detail: "list: context deadline exceeded"}},
		{"cancelled", fmt.Errorf("list: %w", context.Canceled), Advice{Reason: ReasonCancelled, Detail: "list: context canceled"}},
		{"network", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")},
			Advice{Reason: ReasonNetwork, Need: NeedNetwork, Detail: "dial tcp: connection refused"}},
		{"no network at sign-in", fmt.Errorf("unable to resolve an endpoint: server response error:\n \n%w",
			&url.Error{Op: "Get", URL: "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration",
				Err: &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "login.microsoftonline.com", Server: "10.0.0.53:53", IsNotFound: true}}}),
			Advice{Reason: ReasonNetwork, Need: NeedNetwork, Detail: "lookup login.microsoftonline.com on 10.0.0.53:53: no such host"}},
		{"our own listener", fmt.Errorf("sim: %w", &net.OpError{Op: "listen", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, Err: errors.New("bind: address already in use")}),
			Advice{Reason: ReasonListen, Addr: "127.0.0.1:8080", Detail: "bind: address already in use"}},
		{"source disabled", fmt.Errorf("show: %w", fmt.Errorf("graph: the role source is %w", graph.ErrSourceDisabled)),
			Advice{Reason: ReasonSourceDisabled, Need: NeedSettings, Detail: "show: graph: the role source is not enabled"}},
		{"other", errors.New("first line\nsecond line"), Advice{Detail: "first line"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Advise(tc.err)
			if tc.want.Detail == "" {
				tc.want.Detail = got.Detail // the error's first line; checked where it is the advice
			}
			tc.want.Graph = got.Graph // checked below
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Advise:\n got %+v\nwant %+v", got, tc.want)
			}
			var ge *graph.Error
			if errors.As(tc.err, &ge); got.Graph != ge {
				t.Errorf("Graph = %v, want the error's %v", got.Graph, ge)
			}
		})
	}
	if !reflect.DeepEqual(Advise(nil), Advice{}) {
		t.Error("Advise(nil)")
	}
}

// A sign-in's failure carries the settings it used; its text is the cause's.
func TestSignInErrorCarriesTheSettings(t *testing.T) {
	h := newHarness(t)
	h.authErr = entraBody("700016", "Application not found.")
	s, err := New(h.options(MethodDeviceCode))
	if err != nil {
		t.Fatal(err)
	}
	err = s.SignIn(context.Background(), func(DeviceCode) {})
	a := Advise(err)
	if a.Reason != ReasonAppNotFound || a.Tenant != "contoso.onmicrosoft.com" || a.ClientID != DefaultClientID || a.Cloud != "global" || a.Method != MethodDeviceCode {
		t.Errorf("advice %+v", a)
	}
	if err.Error() != h.authErr.Error() || !errors.Is(err, h.authErr) {
		t.Errorf("err = %v, want the cause's text and chain", err)
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

func TestAzureAccessIsNotASignIn(t *testing.T) {
	err := errors.Join(fmt.Errorf("group: %w", &graph.Error{StatusCode: 403}), fmt.Errorf("azure: %w", &graph.AzureAccessError{Cause: "AADSTS50076"}))
	if NeedsSignIn(err) || Advise(err).Reason != ReasonForbidden {
		t.Fatalf("NeedsSignIn = %v, advice %+v", NeedsSignIn(err), Advise(err))
	}
}
