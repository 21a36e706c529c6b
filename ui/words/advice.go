package words

import (
	"strings"
	"time"

	"approvals/graph"
	"approvals/graph/auth"
	"approvals/ui/sanitize"
)

// The command-line vocabulary the advice names: the inbox is started with
// the same flags (and the config file's keys of the same names), so the
// TUI and the CLI give the same advice, but for how to sign in again
// (InInbox).
const (
	login          = "approvals login"
	signInAgain    = "sign in again: " + login
	askAdmin       = "or ask your administrator"
	redirectURIFix = "add http://localhost as a mobile and desktop redirect URI, or use --auth devicecode"
)

// entraAdvice words each sign-in Reason that has an AADSTS code: what went
// wrong, then what to do.
var entraAdvice = map[auth.Reason]string{
	auth.ReasonAccountNotInTenant:    "your account is not in this tenant: sign in with an account of the tenant, or set --tenant to your home tenant",
	auth.ReasonGuestNotInTenant:      "your account is a guest that is not in this tenant: sign in with an account of the tenant or set --tenant",
	auth.ReasonUnknownAccount:        "that user account does not exist in this tenant: check the account, --tenant and --cloud",
	auth.ReasonMFARequired:           "multi-factor authentication is required: finish it in the sign-in page, then try again",
	auth.ReasonMFASetup:              "multi-factor authentication must be set up for your account first: follow the sign-in page, then try again",
	auth.ReasonNotAssigned:           "your account is not assigned to the app: ask an administrator to assign you to its enterprise application",
	auth.ReasonWrongPassword:         "wrong user name or password",
	auth.ReasonPasswordChanged:       "your sign-in is no longer valid (password changed or reset): " + signInAgain,
	auth.ReasonCredentialsChanged:    "your sign-in is no longer valid (credentials changed): " + signInAgain,
	auth.ReasonSingleTenantApp:       "the app (--client-id) is single-tenant: set --tenant to your tenant id or domain (organizations works only with multi-tenant apps)",
	auth.ReasonNoTenant:              "no tenant to sign in to: set --tenant to your tenant id or domain",
	auth.ReasonDeviceCodeUnconfirmed: "Entra ID asked to confirm this device-code sign-in and it was not confirmed, or your organisation restricts device code: try again, or use --auth browser",
	auth.ReasonCompliantDevice:       "Conditional Access requires a compliant or managed device, which device-code sign-in cannot prove: use --auth browser on a managed device, " + askAdmin,
	auth.ReasonDomainJoinedDevice:    "Conditional Access requires a domain-joined device, which device-code sign-in cannot prove: use --auth browser on such a device, " + askAdmin,
	auth.ReasonConditionalAccess:     "blocked by Conditional Access: your organisation does not allow this sign-in (device code flow is often blocked): try --auth browser, " + askAdmin,
	auth.ReasonManagedDevice:         "Conditional Access requires a managed or compliant device, which device-code sign-in cannot prove: use --auth browser on a managed device, " + askAdmin,
	auth.ReasonConsentMissing:        "the app has no consent for the permissions it asks for: an administrator must grant admin consent (see README, Real-tenant setup)",
	auth.ReasonAdminConsentRequired:  "the permissions need admin consent: an administrator must grant it for the app (see README, Real-tenant setup)",
	auth.ReasonFirstPartyApp:         "this client id is a Microsoft first-party app that cannot ask for these permissions: use the default client id or your own app registration",
	auth.ReasonConsentDeclined:       "consent was declined: the app cannot act for you without it",
	auth.ReasonSignInRevoked:         "your sign-in has expired or was revoked: " + signInAgain,
	auth.ReasonSignInExpired:         "your sign-in has expired: " + signInAgain,
	auth.ReasonSignInUnused:          "your sign-in expired after a long time unused: " + signInAgain,
	auth.ReasonCodePending:           "the device-code sign-in was not completed yet",
	auth.ReasonCodeExpired:           "the sign-in code expired before it was used: run " + login + " again and enter the code within 15 minutes",
	auth.ReasonAppNotFound:           "the app (--client-id) is not found in this tenant: check --client-id, --tenant and --cloud",
	auth.ReasonNotPublicClient:       "the app registration is not a public client: enable \"Allow public client flows\" in its Authentication settings",
	auth.ReasonTenantNotFound:        "tenant not found: check --tenant and --cloud",
	auth.ReasonNoGraphInCloud:        "Microsoft Graph is not available in this tenant or cloud: check --cloud",
	auth.ReasonRedirectURIMismatch:   "the app has no matching redirect URI for browser sign-in: " + redirectURIFix,
	auth.ReasonNoRedirectURI:         "the app has no redirect URI for browser sign-in: " + redirectURIFix,
}

// Explain says in one line what went wrong and what to do, for the errors
// a user will meet (auth.Advise's reasons, worded by Advice); "" for a nil
// error.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	return Advice(auth.Advise(err))
}

// Advice words a in one line: for a Graph error its status, code, message
// and request id, then " — " and Hint; for a sign-in error the AADSTS code
// and Entra ID's correlation and trace ids, then what to do; else the
// error's own words with what they mean.
func Advice(a auth.Advice) string { return sanitize.Line(advice(a)) }

func advice(a auth.Advice) string {
	if a.Graph != nil {
		what := strings.TrimPrefix(a.Graph.Error(), "graph: ")
		if h := Hint(a); h != "" {
			return what + " — " + h
		}
		return what
	}
	if a.AADSTS != "" {
		ids := []string{"AADSTS" + a.AADSTS}
		if a.CorrelationID != "" {
			ids = append(ids, "correlation-id "+a.CorrelationID)
		}
		if a.TraceID != "" {
			ids = append(ids, "trace-id "+a.TraceID)
		}
		what, ok := entraAdvice[a.Reason]
		if !ok {
			what = a.Description
		}
		return "sign-in failed (" + strings.Join(ids, ", ") + "): " + what + settingsInUse(a)
	}
	switch a.Reason {
	case auth.ReasonNotSignedIn:
		return "not signed in, or the sign-in expired: run " + login
	case auth.ReasonStaticToken:
		return "--auth token signs in with APPROVALS_TOKEN or --token-file, not interactively; a 401 means the token expired or is wrong"
	case auth.ReasonNoToken:
		return "--auth token needs a token: set APPROVALS_TOKEN or use --token-file FILE"
	case auth.ReasonAzureAccess:
		return a.Detail
	case auth.ReasonSourceDisabled:
		return a.Detail + " (see the sources setting)"
	case auth.ReasonNetwork:
		return "cannot reach the service (network): " + a.Detail
	case auth.ReasonSignInFailed:
		return "sign-in failed: " + a.Detail
	case auth.ReasonListen:
		return "cannot listen on " + a.Addr + ": " + a.Detail
	case auth.ReasonTimeout:
		return "timed out: " + a.Detail
	case auth.ReasonCancelled:
		return "cancelled"
	}
	return a.Detail
}

// InInbox rewords a line of advice for the inbox: there the user signs in
// again from its sign-in screen, which says how, and not with approvals
// login, which a session of approvals serve cannot even run.
func InInbox(line string) string {
	return strings.NewReplacer(
		signInAgain, "sign in again",
		"run "+login+" again", "sign in again",
		"run "+login, "sign in again",
	).Replace(line)
}

// Hint is what a Graph error's advice says to do (Advice's part after
// " — "), or "" when there is nothing to add to the error.
func Hint(a auth.Advice) string {
	switch a.Reason {
	case auth.ReasonSignInRejected:
		return "the sign-in was not accepted or has expired: " + signInAgain + " (with --auth token, get a fresh token)"
	case auth.ReasonForbidden:
		perm := "the delegated permission "
		if len(a.Permissions) != 1 {
			perm = "the delegated permissions "
		}
		return "missing permission or role: the app needs " + perm + strings.Join(a.Permissions, ", ") +
			" (admin-consented) and you must be an approver of the request"
	case auth.ReasonNotFound:
		return "not found: cancelled, expired, or not visible to you"
	case auth.ReasonConflict:
		return "another approver decided it first"
	case auth.ReasonThrottled:
		if a.Graph != nil && a.Graph.RetryAfter > 0 {
			return "Graph is throttling requests: try again in " + a.Graph.RetryAfter.Round(time.Second).String()
		}
		return "Graph is throttling requests: wait a little and try again"
	case auth.ReasonServiceTrouble:
		return "Graph had a temporary problem: try again shortly"
	}
	return ""
}

// settingsInUse names the tenant, app and cloud a failed sign-in used,
// when its advice is to check or change them and they are known.
func settingsInUse(a auth.Advice) string {
	switch a.Need {
	case auth.NeedTenant, auth.NeedSettings, auth.NeedOwnApp, auth.NeedAppSetup:
	default:
		return ""
	}
	var in []string
	for _, s := range [][2]string{{"--tenant", a.Tenant}, {"--client-id", a.ClientID}, {"--cloud", a.Cloud}} {
		if s[1] != "" {
			in = append(in, s[0]+" "+s[1])
		}
	}
	if len(in) == 0 {
		return ""
	}
	return " (in use: " + strings.Join(in, ", ") + ")"
}

// SourceFix is what would fix a source that is not ok, in one line: the
// fix in the service's terms (graph's SourceStatus.Fix: a permission, a
// portal page), and what the program's settings can do: give the Azure
// source its URL, or leave a source that needs more than the inbox's
// permissions (Entra roles, Azure resources) out of the sources setting.
func SourceFix(st graph.SourceStatus) string {
	optional := st.Source == graph.SourceRole || st.Source == graph.SourceAzure
	switch {
	case st.Unconfigured && st.Source == graph.SourceAzure:
		return "set arm_url (or --arm-url), or leave azure out of the sources setting"
	case st.State == graph.StateUnauthorized && optional:
		leave := "leave " + string(st.Source) + " out of the sources setting"
		if st.Fix == "" {
			return leave
		}
		return st.Fix + "; or " + leave
	}
	return st.Fix
}
