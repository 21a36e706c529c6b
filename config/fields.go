package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"approvals/graph/loopback"
)

// field is one scalar setting: its TOML key (flags use it with dashes, env
// vars upper-cased with an APPROVALS_ prefix), its type, a check that
// normalizes the value or says what is wrong, and where it goes.
type field struct {
	key   string
	kind  kind
	check func(v any) (any, string)
	set   func(s *Settings, v any)
	get   func(s Settings) string // for `config check`
}

type kind int

const (
	kindString kind = iota
	kindBool
	kindDuration
	kindList // a TOML array of strings; in env vars and flags, comma-separated
)

func (f field) env() string  { return "APPROVALS_" + strings.ToUpper(f.key) }
func (f field) flag() string { return "--" + strings.ReplaceAll(f.key, "_", "-") }

var fields = []field{
	{"tenant", kindString, checkTenant,
		func(s *Settings, v any) { s.Tenant = v.(string) }, func(s Settings) string { return s.Tenant }},
	{"client_id", kindString, checkClientID,
		func(s *Settings, v any) { s.ClientID = v.(string) }, func(s Settings) string { return s.ClientID }},
	{"cloud", kindString, oneOf("a cloud", Clouds),
		func(s *Settings, v any) { s.Cloud = v.(string) }, func(s Settings) string { return s.Cloud }},
	{"graph_url", kindString, checkGraphURL,
		func(s *Settings, v any) { s.GraphURL = v.(string) }, func(s Settings) string { return s.GraphURL }},
	{"arm_url", kindString, checkARMURL,
		func(s *Settings, v any) { s.ARMURL = v.(string) }, func(s Settings) string { return s.ARMURL }},
	{"auth", kindString, oneOf("a sign-in method", authMethods),
		func(s *Settings, v any) { s.Auth = v.(string) }, func(s Settings) string { return s.Auth }},
	{"token_file", kindString, func(v any) (any, string) { return v, "" },
		func(s *Settings, v any) { s.TokenFile = v.(string) }, func(s Settings) string { return s.TokenFile }},
	{"poll_interval", kindDuration, checkPollInterval,
		func(s *Settings, v any) { s.PollInterval = v.(time.Duration) }, func(s Settings) string { return s.PollInterval.String() }},
	{"undo_window", kindDuration, checkUndoWindow,
		func(s *Settings, v any) { s.UndoWindow = v.(time.Duration) }, func(s Settings) string { return s.UndoWindow.String() }},
	{"bell", kindBool, func(v any) (any, string) { return v, "" },
		func(s *Settings, v any) { s.Bell = v.(bool) }, func(s Settings) string { return strconv.FormatBool(s.Bell) }},
	{"theme", kindString, oneOf("a theme", themes),
		func(s *Settings, v any) { s.Theme = v.(string) }, func(s Settings) string { return s.Theme }},
	{"require_approve_justification", kindBool, func(v any) (any, string) { return v, "" },
		func(s *Settings, v any) { s.RequireApproveJustification = v.(bool) },
		func(s Settings) string { return strconv.FormatBool(s.RequireApproveJustification) }},
	{"sources", kindList, checkSources,
		func(s *Settings, v any) { s.Sources = v.([]string) }, func(s Settings) string { return tomlList(s.Sources) }},
}

func fieldByKey(key string) (field, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

func fieldKeys() []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return keys
}

// fromTOML type-checks a decoded TOML value and runs the field's check.
func (f field) fromTOML(v any) (any, string) {
	switch f.kind {
	case kindBool:
		if _, ok := v.(bool); !ok {
			return nil, "want true or false, got " + tomlType(v)
		}
	case kindList:
		items, ok := v.([]any)
		if !ok {
			return nil, `want an array of strings such as ["accessPackage", "group"], got ` + tomlType(v)
		}
		list := make([]string, len(items))
		for i, it := range items {
			if list[i], ok = it.(string); !ok {
				return nil, "want an array of strings, got " + tomlType(it) + " in it"
			}
		}
		v = list
	case kindDuration:
		s, ok := v.(string)
		if !ok {
			return nil, `want a duration such as "30s" or "2m", got ` + tomlType(v)
		}
		d, msg := parseDuration(s)
		if msg != "" {
			return nil, msg
		}
		v = d
	default:
		if _, ok := v.(string); !ok {
			return nil, "want a string, got " + tomlType(v)
		}
	}
	return f.check(v)
}

// fromText parses an environment variable or flag value.
func (f field) fromText(s string) (any, string) {
	switch f.kind {
	case kindBool:
		b, ok := parseBool(s)
		if !ok {
			return nil, fmt.Sprintf("%q is not true or false", s)
		}
		return f.check(b)
	case kindDuration:
		d, msg := parseDuration(s)
		if msg != "" {
			return nil, msg
		}
		return f.check(d)
	case kindList:
		return f.check(strings.Split(s, ","))
	}
	return f.check(s)
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "yes", "y", "on":
		return true, true
	case "0", "f", "false", "no", "n", "off":
		return false, true
	}
	return false, false
}

func parseDuration(s string) (time.Duration, string) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Sprintf(`%q is not a duration (write it like "30s", "2m" or "1m30s")`, s)
	}
	return d, ""
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	default:
		return "a date"
	}
}

func oneOf(what string, allowed []string) func(any) (any, string) {
	return func(v any) (any, string) {
		s := v.(string)
		if slices.Contains(allowed, s) {
			return s, ""
		}
		return nil, fmt.Sprintf("%q is not %s (want %s)", s, what, orList(allowed))
	}
}

var tenantRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]*$`)

func checkTenant(v any) (any, string) {
	s := strings.TrimSpace(v.(string))
	if !tenantRE.MatchString(s) {
		return nil, fmt.Sprintf("%q is not a tenant id or domain (want a GUID, a domain like contoso.onmicrosoft.com, or organizations)", s)
	}
	return s, ""
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func checkClientID(v any) (any, string) {
	s := strings.TrimSpace(v.(string))
	if !guidRE.MatchString(s) {
		return nil, fmt.Sprintf("%q is not an application (client) id (want a GUID like %s)", s, DefaultClientID)
	}
	return strings.ToLower(s), ""
}

func checkGraphURL(v any) (any, string) {
	s := strings.TrimSpace(v.(string))
	if s == "" {
		return "", ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Sprintf("%q is not a Graph root URL (want https://host, without /v1.0)", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return nil, fmt.Sprintf("%q is not a Graph root URL (want https://host, without /v1.0 or a query)", s)
	}
	if u.Scheme == "http" && !loopback.Host(u.Hostname()) {
		return nil, fmt.Sprintf("%q is not allowed: plain http only to a loopback address (127.0.0.1, ::1, localhost)", s)
	}
	return strings.TrimRight(s, "/"), ""
}

// checkARMURL accepts an Azure Resource Manager root: https://host, or a
// simulator's http://127.0.0.1:port/arm (a path is allowed, a query not).
func checkARMURL(v any) (any, string) {
	s := strings.TrimSpace(v.(string))
	if s == "" {
		return "", ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Sprintf("%q is not an Azure Resource Manager root URL (want https://host, e.g. https://management.azure.com)", s)
	}
	if u.Scheme == "http" && !loopback.Host(u.Hostname()) {
		return nil, fmt.Sprintf("%q is not allowed: plain http only to a loopback address (127.0.0.1, ::1, localhost)", s)
	}
	return strings.TrimRight(s, "/"), ""
}

// checkSources reads a list of source names (case-insensitive, blanks
// ignored) into their canonical spelling, without repeats.
func checkSources(v any) (any, string) {
	var out []string
	for _, raw := range v.([]string) {
		name := strings.TrimSpace(raw)
		if name == "" {
			continue
		}
		i := slices.IndexFunc(Sources, func(s string) bool { return strings.EqualFold(s, name) })
		if i < 0 {
			return nil, fmt.Sprintf("%q is not a source (want some of %s)", name, strings.Join(Sources, ", "))
		}
		if !slices.Contains(out, Sources[i]) {
			out = append(out, Sources[i])
		}
	}
	if len(out) == 0 {
		return nil, "no source named (want some of " + strings.Join(Sources, ", ") + ")"
	}
	return out, ""
}

func checkPollInterval(v any) (any, string) {
	d := v.(time.Duration)
	switch {
	case d < 0:
		return nil, fmt.Sprintf("%s is negative (use 0 to turn automatic polling off)", d)
	case d > 0 && d < MinPollInterval:
		return nil, fmt.Sprintf("%s is too short: at least %s, or 0 to turn automatic polling off", d, MinPollInterval)
	}
	return d, ""
}

func checkUndoWindow(v any) (any, string) {
	d := v.(time.Duration)
	switch {
	case d < 0:
		return nil, fmt.Sprintf("%s is negative (use 0 to send decisions at once)", d)
	case d > MaxUndoWindow:
		return nil, fmt.Sprintf("%s is too long: at most %s", d, MaxUndoWindow)
	}
	return d, ""
}
