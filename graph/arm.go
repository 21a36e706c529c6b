package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"approvals/graph/loopback"
)

// serviceARM names Azure Resource Manager in replies and errors.
const serviceARM = "arm"

// The Azure Resource Manager operations of PIM for Azure resources, as
// documented ("Use Role Assignment Approvals to approve PIM role activation
// requests with REST API"; Role Assignment Approval and Approval Step
// reference pages; Role Assignment Schedule Requests - List For Scope).
const (
	armApprovalsVersion = "2021-01-01-preview" // roleAssignmentApprovals and their stages
	armRequestsVersion  = "2020-10-01"         // roleAssignmentScheduleRequests
	pathARMApprovals    = "/providers/Microsoft.Authorization/roleAssignmentApprovals"
	pathARMRequests     = "/providers/Microsoft.Authorization/roleAssignmentScheduleRequests"
	armAsApprover       = "asApprover()"
)

// armService is the Azure Resource Manager side of a Client: its own
// pipeline (same policies as Graph's, another token audience) and root.
type armService struct {
	svc  service
	base string // ARM root, e.g. "https://management.azure.com" or "http://127.0.0.1:8080/arm"

	// After the sign-in could not get an ARM token, the Azure source is not
	// listed again (nor the token asked for) until noTokenUntil: the answer
	// will not change by itself within a poll interval.
	mu           sync.Mutex
	noToken      *AzureAccessError
	noTokenUntil time.Time
}

// armNoTokenPause is how long a refused ARM token is believed.
const armNoTokenPause = 10 * time.Minute

// newARM builds the ARM pipeline from the options Graph's was built from:
// the same retry, deadlines, transport (no redirects, bounded bodies) and
// request log; a token for ARM's audience; ARM's x-ms-client-request-id.
func (c *Client) newARM(o Options) (*armService, error) {
	origin, base, err := parseRootURL("Azure Resource Manager", o.ARMURL)
	if err != nil {
		return nil, err
	}
	scopes := o.ARMScopes
	if len(scopes) == 0 {
		scopes = ARMScopes(base)
	}
	bearer := runtime.NewBearerTokenPolicy(markedCredential{o.Credential}, scopes,
		&policy.BearerTokenOptions{InsecureAllowCredentialWithHTTP: origin.Scheme == "http"})
	pl := runtime.NewPipeline("approvals", "v1", runtime.PipelineOptions{
		PerCall:  []policy.Policy{policyFunc(clientRequestID), policyFunc(armClientRequestID)},
		PerRetry: []policy.Policy{bearer, policyFunc(c.fractionalRetryAfter), policyFunc(c.countAndLog)},
	}, c.clientOptions(o))
	return &armService{svc: service{name: serviceARM, pl: pl, origin: origin}, base: base}, nil
}

// armClientRequestID sends the call's client-request-id under the name
// Azure Resource Manager reads and echoes.
func armClientRequestID(r *policy.Request) (*http.Response, error) {
	r.Raw().Header.Set("x-ms-client-request-id", r.Raw().Header.Get("client-request-id"))
	return r.Next()
}

// parseRootURL validates a service root (scheme://host[:port][/path], no
// query) with the same rules as the Graph URL: https, or plain http only
// to a loopback address. It returns the origin and the root without a
// trailing slash.
func parseRootURL(what, raw string) (*url.URL, string, error) {
	if raw == "" {
		return nil, "", fmt.Errorf("graph: no %s URL", what)
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, "", fmt.Errorf("graph: bad %s URL: %w", what, err)
	}
	if u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, "", fmt.Errorf("graph: bad %s URL %q: want scheme://host[:port] with no query", what, raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback.Host(u.Hostname()) {
			return nil, "", fmt.Errorf("graph: refusing plain http:// to %s: tokens may only be sent in clear to a loopback address", u.Host)
		}
	default:
		return nil, "", fmt.Errorf("graph: bad %s URL %q: scheme must be https", what, raw)
	}
	origin := &url.URL{Scheme: u.Scheme, Host: u.Host}
	return origin, u.Scheme + "://" + u.Host + u.Path, nil
}

// armGet GETs rawURL from Azure Resource Manager and decodes a 2xx body.
func (c *Client) armGet(ctx context.Context, rawURL string, v any) error {
	r, err := c.sendOn(ctx, c.arm.svc, http.MethodGet, rawURL, nil)
	if err != nil {
		return armAccess(err)
	}
	if err := r.errorFor(); err != nil {
		return armAccess(err)
	}
	return decodeBody(r.body, v)
}

// armURL is an ARM operation's URL: root + path + api-version (+ filter).
func (c *Client) armURL(path, version, filter string) string {
	u := c.arm.base + path + "?api-version=" + version
	if filter != "" {
		u += "&$filter=" + odataEscape(filter)
	}
	return u
}

// ErrAzureAccess matches the error of the Azure source when the sign-in
// cannot get, or Azure Resource Manager does not accept, a token for ARM:
// the app registration is not allowed Azure Service Management.
var ErrAzureAccess = errors.New("no Azure Resource Manager access for this sign-in")

// AzureAccessError is ErrAzureAccess with its cause, in one line. It does
// not unwrap to the token error or to ErrUnauthorized on purpose: the rest
// of the program keeps working with the Graph sign-in, which is fine; only
// the Azure source needs something else (its own app registration).
type AzureAccessError struct {
	Cause   string // short: an AADSTS code or the ARM status and code, never a token
	NoToken bool   // the sign-in could not get a token for ARM (else ARM refused the one it got)
}

func (e *AzureAccessError) Error() string {
	return "Azure resources: this sign-in cannot use Azure Resource Manager (" + e.Cause +
		"); sign in with your own app registration that has the Azure Service Management permission user_impersonation (README: Azure resources)"
}

// Is lets errors.Is(err, ErrAzureAccess) match.
func (e *AzureAccessError) Is(target error) bool { return target == ErrAzureAccess }

var aadstsCode = regexp.MustCompile(`AADSTS\d+`)

// armAccess turns a refused ARM token (no token could be had for the ARM
// audience, or ARM answered 401) into an *AzureAccessError; other errors
// pass unchanged.
func armAccess(err error) error {
	var ge *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, new(*tokenError)):
		cause := aadstsCode.FindString(err.Error())
		if cause == "" {
			cause = "no token for the Azure Resource Manager audience: " + oneLine(innerError(err).Error(), 120)
		}
		return &AzureAccessError{Cause: cause, NoToken: true}
	case errors.As(err, &ge) && ge.StatusCode == http.StatusUnauthorized:
		cause := "401"
		if ge.Code != "" {
			cause += " " + oneLine(ge.Code, 60)
		}
		if ge.RequestID != "" {
			cause += ", request-id " + oneLine(ge.RequestID, 80)
		}
		return &AzureAccessError{Cause: cause}
	}
	return err
}
