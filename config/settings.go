package config

import "time"

// Sign-in methods (the auth setting).
const (
	AuthDeviceCode = "devicecode" // default: works over SSH
	AuthBrowser    = "browser"    // interactive browser, for desktops
	AuthToken      = "token"      // a static bearer token (APPROVALS_TOKEN / token_file)
)

// Themes.
const (
	ThemeAuto   = "auto"
	ThemeDark   = "dark"
	ThemeLight  = "light"
	ThemeANSI16 = "ansi16"
)

// Defaults that are not obvious from their names.
const (
	// DefaultClientID is the public "Microsoft Graph Command Line Tools"
	// app, which tenants can consent to for these delegated permissions.
	DefaultClientID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
	DefaultTenant   = "organizations"
	DefaultCloud    = "global"

	// MinPollInterval keeps automatic polling polite: Graph throttles
	// per user and per app.
	MinPollInterval = 5 * time.Second
	MaxUndoWindow   = time.Minute

	// The defaults of poll_interval and undo_window, here and nowhere
	// else: the inbox's options take theirs from these.
	DefaultPollInterval = time.Minute
	DefaultUndoWindow   = 5 * time.Second
)

// Clouds are the national clouds --cloud accepts. The client maps each name
// to its Graph root and sign-in authority.
var Clouds = []string{"global", "usgov", "usgovdod", "china"}

// Sources are the approval sources the sources setting may name: access
// packages (entitlement management), PIM for Groups, PIM for Microsoft
// Entra roles, PIM for Azure resources. The client maps each to its API.
var Sources = []string{"accessPackage", "group", "role", "azure"}

var (
	authMethods = []string{AuthDeviceCode, AuthBrowser, AuthToken}
	themes      = []string{ThemeAuto, ThemeDark, ThemeLight, ThemeANSI16}
)

// Settings is everything approvals runs with, after merging.
type Settings struct {
	Tenant    string // tenant id or verified domain; "organizations" for multi-tenant apps
	ClientID  string // app registration (public client) id
	Cloud     string // one of Clouds
	GraphURL  string // Graph root override without version (e.g. a simulator); empty: the cloud's
	ARMURL    string // Azure Resource Manager root override (e.g. a simulator's /arm); empty: the cloud's
	Auth      string // AuthDeviceCode, AuthBrowser or AuthToken
	TokenFile string // file holding the bearer token for AuthToken; empty: APPROVALS_TOKEN

	PollInterval time.Duration // 0: no automatic polling
	UndoWindow   time.Duration // 0: decisions go out at once
	Bell         bool          // ring when new approvals arrive
	Theme        string        // ThemeAuto, ThemeDark, ThemeLight or ThemeANSI16

	// RequireApproveJustification asks for a justification on approve even
	// when the stage does not require one (deny always asks).
	RequireApproveJustification bool

	// Sources are the approval sources polled (see Sources), canonical
	// spelling, no repeats; default all.
	Sources []string

	Keys      []KeyDef // every action with its effective keys, in help order
	Templates Templates
}

// Templates are canned justifications the form cycles through.
type Templates struct {
	Approve []string
	Deny    []string
}

// Defaults returns the built-in settings.
func Defaults() Settings {
	return Settings{
		Tenant:       DefaultTenant,
		ClientID:     DefaultClientID,
		Cloud:        DefaultCloud,
		Auth:         AuthDeviceCode,
		PollInterval: DefaultPollInterval,
		UndoWindow:   DefaultUndoWindow,
		Theme:        ThemeAuto,
		Sources:      append([]string(nil), Sources...),
		Templates: Templates{
			Approve: []string{"Business need confirmed."},
			Deny:    []string{"No business need for this access.", "Please add details to the request and ask again."},
		},
	}
}

// KeysFor returns the effective keys of one action (nil when unbound or
// unknown).
func (s Settings) KeysFor(a Action) []string {
	for _, d := range s.Keys {
		if d.Action == a {
			return d.Keys
		}
	}
	return nil
}
