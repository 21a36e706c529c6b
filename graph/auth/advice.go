package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"approvals/graph"
)

// Reason is why something failed, as a stable code, for the errors a user
// will meet: sign-in (AADSTS codes), Graph 401/403/404/409/429/5xx,
// timeouts and unreachable hosts. It names no command, flag or setting: the
// user interface words it (ui/words), with what Advice carries.
type Reason string

// Why sign-in failed, from Entra ID's AADSTS code (Advice.AADSTS).
const (
	ReasonAccountNotInTenant    Reason = "account-not-in-tenant"     // 50020
	ReasonGuestNotInTenant      Reason = "guest-not-in-tenant"       // 90072
	ReasonUnknownAccount        Reason = "unknown-account"           // 50034
	ReasonMFARequired           Reason = "mfa-required"              // 50076
	ReasonMFASetup              Reason = "mfa-setup"                 // 50079
	ReasonNotAssigned           Reason = "not-assigned"              // 50105
	ReasonWrongPassword         Reason = "wrong-password"            // 50126
	ReasonPasswordChanged       Reason = "password-changed"          // 50133
	ReasonCredentialsChanged    Reason = "credentials-changed"       // 50173
	ReasonSingleTenantApp       Reason = "single-tenant-app"         // 50194
	ReasonNoTenant              Reason = "no-tenant"                 // 50059
	ReasonDeviceCodeUnconfirmed Reason = "device-code-unconfirmed"   // 50199
	ReasonCompliantDevice       Reason = "compliant-device-required" // 53000
	ReasonDomainJoinedDevice    Reason = "domain-joined-device"      // 53001
	ReasonConditionalAccess     Reason = "conditional-access"        // 53003
	ReasonManagedDevice         Reason = "managed-device-required"   // 530033
	ReasonConsentMissing        Reason = "consent-missing"           // 65001
	ReasonAdminConsentRequired  Reason = "admin-consent-required"    // 90094
	ReasonFirstPartyApp         Reason = "first-party-app"           // 65002
	ReasonConsentDeclined       Reason = "consent-declined"          // 65004
	ReasonSignInRevoked         Reason = "sign-in-revoked"           // 70000
	ReasonSignInExpired         Reason = "sign-in-expired"           // 70008
	ReasonSignInUnused          Reason = "sign-in-unused"            // 700082
	ReasonCodePending           Reason = "code-pending"              // 70016
	ReasonCodeExpired           Reason = "code-expired"              // 70019, 70020
	ReasonAppNotFound           Reason = "app-not-found"             // 700016
	ReasonNotPublicClient       Reason = "not-public-client"         // 7000218
	ReasonTenantNotFound        Reason = "tenant-not-found"          // 90002
	ReasonNoGraphInCloud        Reason = "no-graph-in-cloud"         // 500011
	ReasonRedirectURIMismatch   Reason = "redirect-uri-mismatch"     // 50011
	ReasonNoRedirectURI         Reason = "no-redirect-uri"           // 500113
	// ReasonEntra is an AADSTS code with no reason of its own: Entra ID's
	// description (Advice.Description) says what happened.
	ReasonEntra Reason = "entra"
)

// Why a Graph (or Azure Resource Manager) call failed (Advice.Graph).
const (
	ReasonSignInRejected Reason = "sign-in-rejected" // 401
	ReasonForbidden      Reason = "forbidden"        // 403; Advice.Permissions
	ReasonNotFound       Reason = "not-found"        // 404
	ReasonConflict       Reason = "conflict"         // 409: decided by someone else first
	ReasonThrottled      Reason = "throttled"        // 429; the wait is Advice.Graph.RetryAfter
	ReasonServiceTrouble Reason = "service-trouble"  // 500, 502, 503, 504
	ReasonGraphOther     Reason = "graph"            // any other status: the error says it all
	// ReasonAzureAccess: the sign-in cannot use Azure Resource Manager
	// (graph.AzureAccessError, its words in Advice.Detail); the rest works.
	ReasonAzureAccess Reason = "azure-access"
)

// Why else.
const (
	ReasonOther          Reason = ""                // nothing to add: Advice.Detail is the error's first line
	ReasonSourceDisabled Reason = "source-disabled" // graph.ErrSourceDisabled: the source is not polled
	ReasonNotSignedIn    Reason = "not-signed-in"   // no sign-in yet, or it needs the user again
	ReasonStaticToken    Reason = "static-token"    // ErrNoInteractiveSignIn
	ReasonNoToken        Reason = "no-token"        // ErrNoToken
	ReasonSignInFailed   Reason = "sign-in-failed"  // no AADSTS code; Advice.Detail
	ReasonNetwork        Reason = "network"         // a host could not be reached; Advice.Detail is the cause
	ReasonListen         Reason = "listen"          // our own listener: Advice.Addr, Advice.Detail
	ReasonTimeout        Reason = "timeout"         // Advice.Detail
	ReasonCancelled      Reason = "cancelled"
)

// Need is the kind of remedy a Reason calls for, for whoever acts on it.
type Need string

const (
	NeedNothing       Need = ""              // the words say it all (or nothing is known)
	NeedSignIn        Need = "sign-in"       // sign in again, interactively
	NeedToken         Need = "token"         // a (fresh) bearer token, for a static-token sign-in
	NeedTenant        Need = "tenant"        // another tenant, or an account of this one
	NeedSettings      Need = "settings"      // check the tenant, app (client id) and cloud in use
	NeedOtherMethod   Need = "other-method"  // a sign-in method other than device code (browser)
	NeedAdministrator Need = "administrator" // an administrator must act (assignment, policy)
	NeedAdminConsent  Need = "admin-consent" // an administrator must consent for the app
	NeedConsent       Need = "consent"       // the user must consent
	NeedOwnApp        Need = "own-app"       // an app registration of the user's own
	NeedAppSetup      Need = "app-setup"     // a change to the app registration
	NeedPermission    Need = "permission"    // a permission for the app, or a role for the user
	NeedWait          Need = "wait"          // wait, then try again
	NeedRetry         Need = "retry"         // try again
	NeedNetwork       Need = "network"       // a way to reach the service
)

// Advice is what is known about why an error happened and what would fix
// it: a Reason, the Need it calls for, and the facts to word it with. It
// carries no secret: Graph and Entra ID error bodies carry no tokens, and
// request headers are never included.
type Advice struct {
	Reason Reason
	Need   Need

	// AADSTS is Entra ID's error code, digits only ("65001"), when sign-in
	// failed with one; CorrelationID and TraceID are the ids Entra ID gave
	// the failed request (what its support asks for), when it gave them.
	AADSTS        string
	CorrelationID string
	TraceID       string
	// Description is Entra ID's error_description (one line, without the
	// ids), for ReasonEntra.
	Description string

	// Graph is the Graph (or ARM) error, for the Graph reasons: its Error()
	// carries the status, code, message and request id.
	Graph *graph.Error
	// Permissions are the delegated permissions a 403 most likely lacks
	// (from the source that failed, else all the program asks for).
	Permissions []string

	// Detail is the error's own words, one line: the network cause, the
	// listener's error, or the whole error when no Reason applies.
	Detail string
	Addr   string // ReasonListen: the address we could not listen on

	// The sign-in's settings, when the error came from SignIn or
	// EnsureSignedIn (SignInError).
	Method, Tenant, ClientID, Cloud string
}

var (
	aadstsRE        = regexp.MustCompile(`AADSTS(\d{5,7})`)
	descriptionRE   = regexp.MustCompile(`"error_description"\s*:\s*"((?:[^"\\]|\\.)*)"`)
	correlationIDRE = regexp.MustCompile(`"correlation_id"\s*:\s*"([^"\\]{1,80})"|Correlation ID: ([^\s"\\]{1,80})`)
	traceIDRE       = regexp.MustCompile(`"trace_id"\s*:\s*"([^"\\]{1,80})"|Trace ID: ([^\s"\\]{1,80})`)
)

type entraReason struct {
	reason Reason
	need   Need
}

// aadsts are the Entra ID sign-in errors people meet, by AADSTS code.
var aadsts = map[string]entraReason{
	"50020":   {ReasonAccountNotInTenant, NeedTenant},
	"90072":   {ReasonGuestNotInTenant, NeedTenant},
	"50034":   {ReasonUnknownAccount, NeedSettings},
	"50076":   {ReasonMFARequired, NeedSignIn},
	"50079":   {ReasonMFASetup, NeedSignIn},
	"50105":   {ReasonNotAssigned, NeedAdministrator},
	"50126":   {ReasonWrongPassword, NeedRetry},
	"50133":   {ReasonPasswordChanged, NeedSignIn},
	"50173":   {ReasonCredentialsChanged, NeedSignIn},
	"50194":   {ReasonSingleTenantApp, NeedTenant},
	"50059":   {ReasonNoTenant, NeedTenant},
	"50199":   {ReasonDeviceCodeUnconfirmed, NeedOtherMethod},
	"53000":   {ReasonCompliantDevice, NeedOtherMethod},
	"53001":   {ReasonDomainJoinedDevice, NeedOtherMethod},
	"53003":   {ReasonConditionalAccess, NeedOtherMethod},
	"530033":  {ReasonManagedDevice, NeedOtherMethod},
	"65001":   {ReasonConsentMissing, NeedAdminConsent},
	"90094":   {ReasonAdminConsentRequired, NeedAdminConsent},
	"65002":   {ReasonFirstPartyApp, NeedOwnApp},
	"65004":   {ReasonConsentDeclined, NeedConsent},
	"70000":   {ReasonSignInRevoked, NeedSignIn},
	"70008":   {ReasonSignInExpired, NeedSignIn},
	"700082":  {ReasonSignInUnused, NeedSignIn},
	"70016":   {ReasonCodePending, NeedWait},
	"70019":   {ReasonCodeExpired, NeedSignIn},
	"70020":   {ReasonCodeExpired, NeedSignIn},
	"700016":  {ReasonAppNotFound, NeedSettings},
	"7000218": {ReasonNotPublicClient, NeedAppSetup},
	"90002":   {ReasonTenantNotFound, NeedSettings},
	"500011":  {ReasonNoGraphInCloud, NeedSettings},
	"50011":   {ReasonRedirectURIMismatch, NeedAppSetup},
	"500113":  {ReasonNoRedirectURI, NeedAppSetup},
}

// Advise says why err happened and what would fix it, for the errors a
// user will meet (see Reason); other errors get ReasonOther with their
// first line as Detail. The zero Advice is for a nil error.
func Advise(err error) Advice {
	if err == nil {
		return Advice{}
	}
	a := Advice{Detail: firstLine(err.Error())}
	var sie *SignInError
	if errors.As(err, &sie) {
		a.Method, a.Tenant, a.ClientID, a.Cloud = sie.Method, sie.Tenant, sie.ClientID, sie.Cloud
	}
	var ge *graph.Error
	var are *azidentity.AuthenticationRequiredError
	var aze *graph.AzureAccessError
	switch {
	case errors.As(err, &ge):
		a.adviseGraph(err, ge)
		return a
	case errors.As(err, &are):
		a.Reason, a.Need = ReasonNotSignedIn, NeedSignIn
		return a
	case errors.As(err, &aze):
		// Already one line with the cause and the fix; its AADSTS code is
		// about the ARM token only, not the sign-in (checked after the
		// others: when Graph failed too, that is the problem to fix).
		a.Reason, a.Need, a.Detail = ReasonAzureAccess, NeedOwnApp, aze.Error()
		return a
	case errors.Is(err, graph.ErrSourceDisabled):
		a.Reason, a.Need = ReasonSourceDisabled, NeedSettings
		return a
	case errors.Is(err, ErrNoInteractiveSignIn):
		a.Reason, a.Need = ReasonStaticToken, NeedToken
		return a
	case errors.Is(err, ErrNoToken):
		a.Reason, a.Need = ReasonNoToken, NeedToken
		return a
	case errors.Is(err, ErrSignInNeeded) || strings.Contains(err.Error(), ErrSignInNeeded.Error()):
		// The sign-in library keeps only the text of the prompt's error.
		a.Reason, a.Need = ReasonNotSignedIn, NeedSignIn
		return a
	}
	text := err.Error()
	if m := aadstsRE.FindStringSubmatch(text); m != nil {
		a.AADSTS = m[1]
		a.CorrelationID, a.TraceID = firstGroup(correlationIDRE, text), firstGroup(traceIDRE, text)
		if r, ok := aadsts[m[1]]; ok {
			a.Reason, a.Need = r.reason, r.need
		} else {
			a.Reason = ReasonEntra
			a.Description = strings.TrimPrefix(description(text), "AADSTS"+m[1]+": ")
		}
		return a
	}
	var ne net.Error
	var oe *net.OpError
	if cause := networkCause(err); cause != "" && !(errors.As(err, &oe) && oe.Op == "listen") {
		// Before the sign-in's own words, which for an unreachable
		// Entra ID are "unable to resolve an endpoint" and a blank line.
		a.Reason, a.Need, a.Detail = ReasonNetwork, NeedNetwork, cause
		return a
	}
	var afe *azidentity.AuthenticationFailedError
	switch {
	case errors.As(err, &afe):
		a.Reason = ReasonSignInFailed
	case errors.As(err, &oe) && oe.Op == "listen":
		// Our own listener (the simulator's), not a service we failed to reach.
		a.Reason, a.Addr, a.Detail = ReasonListen, oe.Addr.String(), firstLine(oe.Err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		a.Reason, a.Need = ReasonTimeout, NeedRetry
	case errors.Is(err, context.Canceled):
		a.Reason = ReasonCancelled
	case errors.As(err, &ne):
		a.Reason, a.Need = ReasonNetwork, NeedNetwork
	}
	return a
}

// firstGroup is the first non-empty submatch of re in s, or "".
func firstGroup(re *regexp.Regexp, s string) string {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	for _, g := range m[1:] {
		if g != "" {
			return g
		}
	}
	return ""
}

// networkCause is the root cause of a failure to reach a host, in the
// resolver's or the dialer's words ("lookup login.microsoftonline.com: no
// such host", "dial tcp 10.0.0.1:443: connect: connection refused"), or ""
// when err is no network failure.
func networkCause(err error) string {
	var dns *net.DNSError
	var oe *net.OpError
	switch {
	case errors.As(err, &dns):
		return firstLine(dns.Error())
	case errors.As(err, &oe):
		return firstLine(oe.Error())
	}
	return ""
}

func (a *Advice) adviseGraph(err error, ge *graph.Error) {
	a.Graph = ge
	switch ge.StatusCode {
	case 401:
		a.Reason, a.Need = ReasonSignInRejected, NeedSignIn
	case 403:
		a.Reason, a.Need, a.Permissions = ReasonForbidden, NeedPermission, permissionsFor(err)
	case 404:
		a.Reason = ReasonNotFound
	case 409:
		a.Reason = ReasonConflict
	case 429:
		a.Reason, a.Need = ReasonThrottled, NeedWait
	case 500, 502, 503, 504:
		a.Reason, a.Need = ReasonServiceTrouble, NeedRetry
	default:
		a.Reason = ReasonGraphOther
	}
}

// permissionsFor names the delegated permissions a 403 most likely lacks,
// from the source the error came from when known.
func permissionsFor(err error) []string {
	var se graph.SourceError
	var sep *graph.SourceError
	src := graph.Source("")
	if errors.As(err, &se) {
		src = se.Source
	} else if errors.As(err, &sep) {
		src = sep.Source
	}
	switch src {
	case graph.SourceAccessPackage:
		return []string{"EntitlementManagement.ReadWrite.All"}
	case graph.SourceGroup:
		return []string{"PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup"}
	}
	return append([]string(nil), graph.Permissions...)
}

// description pulls Entra ID's error_description out of an azidentity
// error (which embeds the response body), cut before the trace ids.
func description(s string) string {
	if m := descriptionRE.FindStringSubmatch(s); m != nil {
		d := strings.ReplaceAll(m[1], `\r\n`, "\n")
		d = strings.ReplaceAll(d, `\n`, "\n")
		return firstLine(strings.SplitN(d, "Trace ID:", 2)[0])
	}
	return firstLine(s)
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "---") {
			return strings.Join(strings.Fields(l), " ")
		}
	}
	return strings.TrimSpace(s)
}

// NeedsSignIn reports whether err means the user must sign in
// (interactively) before trying again.
func NeedsSignIn(err error) bool {
	var are *azidentity.AuthenticationRequiredError
	if errors.As(err, &are) || errors.Is(err, graph.ErrUnauthorized) {
		return true
	}
	if errors.Is(err, graph.ErrAzureAccess) {
		// An AzureAccessError unwraps to neither: the AADSTS code in its
		// text is about the ARM token, which another sign-in cannot fix.
		return false
	}
	if m := aadstsRE.FindStringSubmatch(fmt.Sprint(err)); m != nil {
		switch m[1] {
		case "70000", "70008", "700082", "50133", "50173", "50076":
			return true
		}
	}
	return false
}
