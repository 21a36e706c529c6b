package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"approvals/graph"
)

// aadsts explains the Entra ID sign-in errors people meet, by AADSTS code.
var aadsts = map[string]string{
	"50020":   "your account is not in this tenant: sign in with an account of the tenant, or set --tenant to your home tenant",
	"50034":   "that user account does not exist in this tenant: check the account, --tenant and --cloud",
	"50076":   "multi-factor authentication is required: finish it in the sign-in page, then try again",
	"50079":   "multi-factor authentication must be set up for your account first: follow the sign-in page, then try again",
	"50105":   "your account is not assigned to the app: ask an administrator to assign you to its enterprise application",
	"50126":   "wrong user name or password",
	"50133":   "your sign-in is no longer valid (password changed or reset): sign in again: approvals login",
	"50173":   "your sign-in is no longer valid (credentials changed): sign in again: approvals login",
	"50194":   "the app (--client-id) is single-tenant: set --tenant to your tenant id or domain (organizations works only with multi-tenant apps)",
	"50059":   "no tenant to sign in to: set --tenant to your tenant id or domain",
	"50199":   "Entra ID asked to confirm this device-code sign-in and it was not confirmed, or your organisation restricts device code: try again, or use --auth browser",
	"53000":   "Conditional Access requires a compliant or managed device, which device-code sign-in cannot prove: use --auth browser on a managed device, or ask your administrator",
	"53001":   "Conditional Access requires a domain-joined device, which device-code sign-in cannot prove: use --auth browser on such a device, or ask your administrator",
	"53003":   "blocked by Conditional Access: your organisation does not allow this sign-in (device code flow is often blocked): try --auth browser, or ask your administrator",
	"530033":  "Conditional Access requires a managed or compliant device, which device-code sign-in cannot prove: use --auth browser on a managed device, or ask your administrator",
	"65001":   "the app has no consent for the permissions it asks for: an administrator must grant admin consent (see README, Real-tenant setup)",
	"90094":   "the permissions need admin consent: an administrator must grant it for the app (see README, Real-tenant setup)",
	"65002":   "this client id is a Microsoft first-party app that cannot ask for these permissions: use the default client id or your own app registration",
	"65004":   "consent was declined: the app cannot act for you without it",
	"70000":   "your sign-in has expired or was revoked: sign in again: approvals login",
	"70008":   "your sign-in has expired: sign in again: approvals login",
	"700082":  "your sign-in expired after a long time unused: sign in again: approvals login",
	"70016":   "the device-code sign-in was not completed yet",
	"70019":   "the sign-in code expired before it was used: run approvals login again and enter the code within 15 minutes",
	"70020":   "the sign-in code expired before it was used: run approvals login again and enter the code within 15 minutes",
	"700016":  "the app (--client-id) is not found in this tenant: check --client-id, --tenant and --cloud",
	"7000218": "the app registration is not a public client: enable \"Allow public client flows\" in its Authentication settings",
	"90002":   "tenant not found: check --tenant and --cloud",
	"90072":   "your account is a guest that is not in this tenant: sign in with an account of the tenant or set --tenant",
	"500011":  "Microsoft Graph is not available in this tenant or cloud: check --cloud",
	"50011":   "the app has no matching redirect URI for browser sign-in: add http://localhost as a mobile and desktop redirect URI, or use --auth devicecode",
	"500113":  "the app has no redirect URI for browser sign-in: add http://localhost as a mobile and desktop redirect URI, or use --auth devicecode",
}

var (
	aadstsRE      = regexp.MustCompile(`AADSTS(\d{5,7})`)
	descriptionRE = regexp.MustCompile(`"error_description"\s*:\s*"((?:[^"\\]|\\.)*)"`)
)

// Explain says in one line what went wrong and what to do, for the errors
// a user will meet: sign-in (AADSTS codes), Graph 401/403/404/409/429,
// timeouts and unreachable hosts. Other errors come back as their own text
// on one line. It never returns token material: Graph and Entra error
// bodies do not carry tokens, and request headers are never included.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	var ge *graph.Error
	var are *azidentity.AuthenticationRequiredError
	var aze *graph.AzureAccessError
	switch {
	case errors.As(err, &ge):
		return explainGraph(err, ge)
	case errors.As(err, &are):
		return "not signed in, or the sign-in expired: run approvals login"
	case errors.As(err, &aze):
		// Already one line with the cause and the fix; its AADSTS code is
		// about the ARM token only, not the sign-in (checked after the
		// others: when Graph failed too, that is the problem to fix).
		return aze.Error()
	case errors.Is(err, ErrNoInteractiveSignIn):
		return err.Error()
	}
	if m := aadstsRE.FindStringSubmatch(err.Error()); m != nil {
		if hint, ok := aadsts[m[1]]; ok {
			return "sign-in failed (AADSTS" + m[1] + "): " + hint
		}
		return "sign-in failed (AADSTS" + m[1] + "): " + strings.TrimPrefix(description(err.Error()), "AADSTS"+m[1]+": ")
	}
	var ne net.Error
	var oe *net.OpError
	if cause := networkCause(err); cause != "" && !(errors.As(err, &oe) && oe.Op == "listen") {
		// Before the sign-in's own words, which for an unreachable
		// Entra ID are "unable to resolve an endpoint" and a blank line.
		return "cannot reach the service (network): " + cause
	}
	var afe *azidentity.AuthenticationFailedError
	if errors.As(err, &afe) {
		return "sign-in failed: " + firstLine(err.Error())
	}
	switch {
	case errors.As(err, &oe) && oe.Op == "listen":
		// Our own listener (approvals sim), not a service we failed to reach.
		return "cannot listen on " + oe.Addr.String() + ": " + firstLine(oe.Err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out: " + firstLine(err.Error())
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &ne):
		return "cannot reach the service (network): " + firstLine(err.Error())
	}
	return firstLine(err.Error())
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

func explainGraph(err error, ge *graph.Error) string {
	what := strings.TrimPrefix(ge.Error(), "graph: ")
	var hint string
	switch ge.StatusCode {
	case 401:
		hint = "the sign-in was not accepted or has expired: sign in again: approvals login (with --auth token, get a fresh token)"
	case 403:
		hint = "missing permission or role: " + permissionFor(err)
	case 404:
		hint = "not found: cancelled, expired, or not visible to you"
	case 409:
		hint = "another approver decided it first"
	case 429:
		hint = "Graph is throttling requests: wait a little and try again"
		if ge.RetryAfter > 0 {
			hint = "Graph is throttling requests: try again in " + ge.RetryAfter.Round(time.Second).String()
		}
	case 500, 502, 503, 504:
		hint = "Graph had a temporary problem: try again shortly"
	default:
		return what
	}
	return what + " — " + hint
}

// permissionFor names the delegated permission a 403 most likely lacks,
// from the source the error came from when known.
func permissionFor(err error) string {
	const em = "the app needs the delegated permission EntitlementManagement.ReadWrite.All (admin-consented) and you must be an approver of the request"
	const pim = "the app needs the delegated permission PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup (admin-consented) and you must be an approver of the request"
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
		return em
	case graph.SourceGroup:
		return pim
	}
	return fmt.Sprintf("the app needs the delegated permissions %s (admin-consented) and you must be an approver of the request",
		strings.Join(graph.Permissions, ", "))
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
