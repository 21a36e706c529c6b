package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// load writes src to a temp config.toml and loads it with the given env
// and flags. It returns the path so tests can spell exact errors.
func load(t *testing.T, src string, env map[string]string, flags map[string]string) (*Config, string, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if src != "" {
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dirs := Dirs{Config: dir, State: filepath.Join(dir, "state"), Cache: filepath.Join(dir, "cache")}
	c, err := Load(LoadOptions{
		Path:   map[bool]string{true: path}[src != ""],
		Getenv: func(k string) string { return env[k] },
		Dirs:   &dirs,
		Flags:  flags,
		Keys:   testKeys(),
	})
	return c, path, err
}

func TestLoadValidFile(t *testing.T) {
	src := `# my settings
tenant = "contoso.onmicrosoft.com"
client_id = "11111111-2222-3333-4444-555555555555"
cloud = "usgov"
graph_url = "http://127.0.0.1:8080/"
auth = "token"
token_file = "/run/secrets/graph"
poll_interval = "2m"
undo_window = "0s"
bell = true
theme = "ansi16"
require_approve_justification = true

[keys]
approve = ["Y", "ctrl+a"]
down = "n"

[templates]
approve = ["  Ticket checked.  ", """Two
lines"""]
deny = []
`
	c, path, err := load(t, src, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{
		Tenant: "contoso.onmicrosoft.com", ClientID: "11111111-2222-3333-4444-555555555555",
		Cloud: "usgov", GraphURL: "http://127.0.0.1:8080", Auth: AuthToken, TokenFile: "/run/secrets/graph",
		PollInterval: 2 * time.Minute, UndoWindow: 0, Bell: true, Theme: ThemeANSI16,
		RequireApproveJustification: true,
		Sources:                     []string{"accessPackage", "group", "role", "azure"},
		Templates:                   Templates{Approve: []string{"Ticket checked.", "Two\nlines"}, Deny: []string{}},
	}
	got := c.Settings
	got.Keys = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("settings:\n got %+v\nwant %+v", got, want)
	}
	if k := c.KeysFor("approve"); !reflect.DeepEqual(k, []string{"Y", "ctrl+a"}) {
		t.Errorf("approve keys = %q", k)
	}
	if k := c.KeysFor("down"); !reflect.DeepEqual(k, []string{"n"}) {
		t.Errorf("down keys = %q", k)
	}
	if k := c.KeysFor("up"); !reflect.DeepEqual(k, []string{"up", "k"}) {
		t.Errorf("up keys (not overridden) = %q", k)
	}
	if o := c.Origin("poll_interval"); o != path+":8" {
		t.Errorf("origin of poll_interval = %q, want %q", o, path+":8")
	}
	if o := c.Origin("keys.approve"); o != path+":15" {
		t.Errorf("origin of keys.approve = %q", o)
	}
	if !c.FileExists || c.File != path {
		t.Errorf("File = %q exists=%v", c.File, c.FileExists)
	}
}

func TestLoadWithoutFileUsesDefaults(t *testing.T) {
	c, _, err := load(t, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.FileExists {
		t.Error("FileExists with no file")
	}
	want := Defaults()
	want.Keys = testKeys() // the actions handed to Load, unchanged
	if !reflect.DeepEqual(c.Settings, want) {
		t.Errorf("got %+v, want defaults", c.Settings)
	}
	if c.Origin("tenant") != "default" {
		t.Errorf("origin = %q", c.Origin("tenant"))
	}
}

func TestLoadExplicitMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.toml")
	_, err := Load(LoadOptions{Path: missing, Getenv: func(string) string { return "" }, Dirs: &Dirs{}})
	if err == nil || err.Error() != missing+": no such config file" {
		t.Fatalf("err = %v", err)
	}
}

func TestLoadErrorsNameFileLineAndKey(t *testing.T) {
	cases := []struct {
		name, src, want string // want uses FILE for the path
	}{
		{"unknown key", "bell = true\ncolour = \"red\"\n", `FILE:2: colour: unknown setting`},
		{"swapped letters suggest", "theem = \"dark\"\n", `FILE:1: theem: unknown setting (did you mean "theme"?)`},
		{"typo suggests", "pol_interval = \"1m\"\n", `FILE:1: pol_interval: unknown setting (did you mean "poll_interval"?)`},
		{"wrong type bool", "bell = \"yes\"\n", `FILE:1: bell: want true or false, got a string`},
		{"wrong type string", "tenant = 42\n", `FILE:1: tenant: want a string, got an integer`},
		{"duration as number", "undo_window = 5\n", `FILE:1: undo_window: want a duration such as "30s" or "2m", got an integer`},
		{"bad duration", "poll_interval = \"5 minutes\"\n", `FILE:1: poll_interval: "5 minutes" is not a duration (write it like "30s", "2m" or "1m30s")`},
		{"negative interval", "\n\npoll_interval = \"-1m\"\n", `FILE:3: poll_interval: -1m0s is negative (use 0 to turn automatic polling off)`},
		{"too short interval", "poll_interval = \"1s\"\n", `FILE:1: poll_interval: 1s is too short: at least 5s, or 0 to turn automatic polling off`},
		{"negative undo", "undo_window = \"-2s\"\n", `FILE:1: undo_window: -2s is negative (use 0 to send decisions at once)`},
		{"long undo", "undo_window = \"2m\"\n", `FILE:1: undo_window: 2m0s is too long: at most 1m0s`},
		{"unknown theme", "theme = \"blue\"\n", `FILE:1: theme: "blue" is not a theme (want auto, dark, light or ansi16)`},
		{"unknown cloud", "cloud = \"azure\"\n", `FILE:1: cloud: "azure" is not a cloud (want global, usgov, usgovdod or china)`},
		{"unknown auth", "auth = \"password\"\n", `FILE:1: auth: "password" is not a sign-in method (want devicecode, browser or token)`},
		{"bad client id", "client_id = \"graph\"\n", `FILE:1: client_id: "graph" is not an application (client) id (want a GUID like 14d82eec-204b-4c2f-b7e8-296a70dab67e)`},
		{"bad tenant", "tenant = \"contoso com\"\n", `FILE:1: tenant: "contoso com" is not a tenant id or domain (want a GUID, a domain like contoso.onmicrosoft.com, or organizations)`},
		{"http to remote", "graph_url = \"http://graph.example.com\"\n", `FILE:1: graph_url: "http://graph.example.com" is not allowed: plain http only to a loopback address (127.0.0.1, ::1, localhost)`},
		{"graph url with version", "graph_url = \"https://graph.microsoft.com/v1.0\"\n", `FILE:1: graph_url: "https://graph.microsoft.com/v1.0" is not a Graph root URL (want https://host, without /v1.0 or a query)`},
		{"key conflict with default", "\n[keys]\n# a comment\napprove = [\"a\", \"j\"]\n", `FILE:4: keys.approve: "j" is already bound to "down"`},
		{"key conflict between overrides", "[keys]\ndeny = [\"x\"]\napprove = [\"x\"]\n", `FILE:3: keys.approve: "x" is already bound to "deny"`},
		{"unknown action", "[keys]\naprove = [\"a\"]\n", `FILE:2: keys.aprove: unknown action (did you mean "approve"?)`},
		{"unknown action no suggestion", "[keys]\nlaunch = [\"l\"]\n", `FILE:2: keys.launch: unknown action`},
		{"bad key name", "[keys]\nback = [\"escape\"]\n", `FILE:2: keys.back: "escape" is not a key name (did you mean "esc"?)`},
		{"upper-case modifier", "[keys]\nquit = [\"Ctrl+q\"]\n", `FILE:2: keys.quit: "Ctrl+q" is not a key name: write modifiers in lower case, like "ctrl+q"`},
		{"form key types", "[keys]\nsubmit = [\"y\"]\n", `FILE:2: keys.submit: "y" would be typed into the justification; use enter, tab, esc, a function key or a ctrl/alt combination`},
		{"unbinding quit", "[keys]\nquit = []\n", `FILE:2: keys.quit: needs at least one key`},
		{"keys not a table", "keys = \"a\"\n", `FILE:1: keys: want a [keys] table of action = ["key", ...], got a string`},
		{"template not a list", "[templates]\napprove = \"ok\"\n", `FILE:2: templates.approve: want a list of strings, got a string`},
		{"empty template", "[templates]\ndeny = [\"fine\", \"  \"]\n", `FILE:2: templates.deny: entry 2 is empty`},
		{"unknown template", "[templates]\naprove = [\"ok\"]\n", `FILE:2: templates.aprove: unknown template list (want approve or deny) (did you mean "approve"?)`},
		{"syntax error", "bell = true\ntheme = \n", `FILE:2: expected value but found '\n' instead`},
		{"profile key inside profile", "[profiles.work]\nprofile = \"home\"\n", `FILE:2: profiles.work.profile: not allowed inside a profile`},
		{"bad value in profile", "[profiles.work]\ntenant = \"x\"\n\n[profiles.work.keys]\nrefresh = [\"k\"]\n", `FILE:5: profiles.work.keys.refresh: "k" is already bound to "up"`},
		{"undefined profile in file", "profile = \"work\"\n[profiles.home]\n", `FILE:1: profile: profile "work" is not defined in FILE (defined: home)`},
		{"two errors in file order", "theme = \"x\"\nbell = 1\n", "FILE:1: theme: \"x\" is not a theme (want auto, dark, light or ansi16)\nFILE:2: bell: want true or false, got an integer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, path, err := load(t, tc.src, nil, nil)
			if err == nil {
				t.Fatal("no error")
			}
			want := strings.ReplaceAll(tc.want, "FILE", path)
			if err.Error() != want {
				t.Errorf("error:\n got %s\nwant %s", err, want)
			}
		})
	}
}

func TestLoadEnvAndFlagErrors(t *testing.T) {
	_, _, err := load(t, "", map[string]string{"APPROVALS_BELL": "sometimes", "APPROVALS_POLL_INTERVAL": "soon"},
		map[string]string{"cloud": "mars"})
	want := `APPROVALS_POLL_INTERVAL: "soon" is not a duration (write it like "30s", "2m" or "1m30s")
APPROVALS_BELL: "sometimes" is not true or false
--cloud: "mars" is not a cloud (want global, usgov, usgovdod or china)`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
}

func TestPrecedenceFlagsOverEnvOverFile(t *testing.T) {
	src := "tenant = \"file.example\"\ncloud = \"china\"\ntheme = \"dark\"\nbell = true\n"
	env := map[string]string{"APPROVALS_TENANT": "env.example", "APPROVALS_CLOUD": "usgov", "APPROVALS_BELL": "no"}
	flags := map[string]string{"tenant": "flag.example"}
	c, path, err := load(t, src, env, flags)
	if err != nil {
		t.Fatal(err)
	}
	check := func(key, got, want, origin string) {
		t.Helper()
		if got != want || c.Origin(key) != origin {
			t.Errorf("%s = %q from %q, want %q from %q", key, got, c.Origin(key), want, origin)
		}
	}
	check("tenant", c.Tenant, "flag.example", "--tenant")
	check("cloud", c.Cloud, "usgov", "APPROVALS_CLOUD")
	check("theme", c.Theme, "dark", path+":3")
	check("auth", c.Auth, "devicecode", "default")
	if c.Bell {
		t.Error("APPROVALS_BELL=no did not override bell = true")
	}
}

const profilesSrc = `tenant = "top.example"
theme = "dark"
profile = "work"

[keys]
refresh = ["R"]

[templates]
approve = ["top"]

[profiles.work]
tenant = "work.example"
poll_interval = "30s"

[profiles.work.templates]
approve = ["work"]

[profiles.lab]
graph_url = "http://127.0.0.1:9999"
auth = "token"

[profiles.lab.keys]
refresh = ["f5"]
`

func TestProfiles(t *testing.T) {
	c, path, err := load(t, profilesSrc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile != "work" || c.Tenant != "work.example" || c.Theme != "dark" || c.PollInterval != 30*time.Second {
		t.Errorf("profile from file: %q tenant=%q theme=%q poll=%s", c.Profile, c.Tenant, c.Theme, c.PollInterval)
	}
	if !reflect.DeepEqual(c.Templates.Approve, []string{"work"}) || c.Origin("templates.approve") != path+":16" {
		t.Errorf("templates = %q from %q", c.Templates.Approve, c.Origin("templates.approve"))
	}
	if !reflect.DeepEqual(c.KeysFor("refresh"), []string{"R"}) {
		t.Errorf("refresh keys = %q", c.KeysFor("refresh"))
	}
	if !reflect.DeepEqual(c.Profiles, []string{"lab", "work"}) {
		t.Errorf("Profiles = %q", c.Profiles)
	}

	// The environment beats the file's choice, and a flag beats both.
	c, _, err = load(t, profilesSrc, map[string]string{"APPROVALS_PROFILE": "lab"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile != "lab" || c.Tenant != "top.example" || c.GraphURL != "http://127.0.0.1:9999" ||
		!reflect.DeepEqual(c.KeysFor("refresh"), []string{"f5"}) {
		t.Errorf("env profile: %q tenant=%q url=%q refresh=%q", c.Profile, c.Tenant, c.GraphURL, c.KeysFor("refresh"))
	}
	dirs := Dirs{}
	c, err = Load(LoadOptions{Path: path, Profile: "work", Dirs: &dirs, Keys: testKeys(),
		Getenv: func(k string) string { return map[string]string{"APPROVALS_PROFILE": "lab"}[k] }})
	if err != nil || c.Profile != "work" {
		t.Errorf("--profile work: %v, profile %q", err, c.Profile)
	}

	_, _, err = load(t, profilesSrc, nil, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(LoadOptions{Path: path, Profile: "home", Dirs: &dirs, Keys: testKeys(), Getenv: func(string) string { return "" }})
	want := `--profile: profile "home" is not defined in ` + path + ` (defined: lab, work)`
	if err == nil || err.Error() != want {
		t.Errorf("undefined profile:\n got %v\nwant %s", err, want)
	}
}

func TestProfileWithoutFile(t *testing.T) {
	_, _, err := load(t, "", map[string]string{"APPROVALS_PROFILE": "work"}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), `APPROVALS_PROFILE: profile "work" is not defined: `) ||
		!strings.HasSuffix(err.Error(), "config.toml does not exist") {
		t.Errorf("err = %v", err)
	}
}

func TestBindingConflictFreedByOverride(t *testing.T) {
	// "j" belongs to down by default; moving down elsewhere frees it.
	c, _, err := load(t, "[keys]\ndown = [\"n\"]\napprove = [\"j\"]\n", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.KeysFor("approve"), []string{"j"}) {
		t.Errorf("approve = %q", c.KeysFor("approve"))
	}
	// The same key in different scopes is fine: esc is back (inbox) and cancel (form).
	if _, _, err := load(t, "[keys]\nback = [\"esc\", \"backspace\"]\ncancel = [\"esc\", \"ctrl+g\"]\n", nil, nil); err != nil {
		t.Errorf("cross-scope: %v", err)
	}
}

// Loading without a file gives the defaults unchanged; the list handed
// over is not modified.
func TestKeysWithoutBindingsAreTheDefaults(t *testing.T) {
	defs, errs := applyBindings(testKeys(), nil)
	if len(errs) != 0 {
		t.Fatalf("default bindings conflict: %v", errs)
	}
	if !reflect.DeepEqual(defs, testKeys()) {
		t.Error("no overrides changed the defaults")
	}
	given := testKeys()
	if _, errs := applyBindings(given, []binding{{action: "approve", keys: []string{"F5"}, line: 1}}); len(errs) != 0 {
		t.Fatal(errs)
	}
	if !reflect.DeepEqual(given, testKeys()) {
		t.Error("applying a binding modified the defaults handed over")
	}
}

func TestEffectiveListsEverySetting(t *testing.T) {
	c, path, err := load(t, "theme = \"light\"\n[keys]\nquit = [\"q\"]\n", nil, map[string]string{"cloud": "china"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Entry{}
	for _, e := range c.Effective() {
		got[e.Key] = e
	}
	for key, want := range map[string]Entry{
		"theme":          {"theme", `"light"`, path + ":1"},
		"cloud":          {"cloud", `"china"`, "--cloud"},
		"poll_interval":  {"poll_interval", "1m0s", "default"},
		"bell":           {"bell", "false", "default"},
		"keys.quit":      {"keys.quit", `["q"]`, path + ":3"},
		"keys.approve":   {"keys.approve", `["a"]`, "default"},
		"templates.deny": {"templates.deny", `["No business need for this access.", "Please add details to the request and ask again."]`, "default"},
	} {
		if got[key] != want {
			t.Errorf("%s: got %+v, want %+v", key, got[key], want)
		}
	}
	if len(got) != len(fields)+2+len(testKeys()) {
		t.Errorf("%d entries", len(got))
	}
}

func TestSourcesSetting(t *testing.T) {
	c, _, err := load(t, "", nil, nil)
	if err != nil || !reflect.DeepEqual(c.Sources, []string{"accessPackage", "group", "role", "azure"}) {
		t.Fatalf("default sources = %q, %v", c.Sources, err)
	}
	c, path, err := load(t, "sources = [\"Group\", \"role\", \"group\"]\n", nil, nil)
	if err != nil || !reflect.DeepEqual(c.Sources, []string{"group", "role"}) || c.Origin("sources") != path+":1" {
		t.Fatalf("file sources = %q (%s), %v", c.Sources, c.Origin("sources"), err)
	}
	c, _, err = load(t, "sources = [\"group\"]\n", map[string]string{"APPROVALS_SOURCES": "accessPackage, azure"}, nil)
	if err != nil || !reflect.DeepEqual(c.Sources, []string{"accessPackage", "azure"}) || c.Origin("sources") != "APPROVALS_SOURCES" {
		t.Fatalf("env sources = %q, %v", c.Sources, err)
	}
	c, _, err = load(t, "", map[string]string{"APPROVALS_SOURCES": "azure"}, map[string]string{"sources": "role"})
	if err != nil || !reflect.DeepEqual(c.Sources, []string{"role"}) || c.Origin("sources") != "--sources" {
		t.Fatalf("flag sources = %q, %v", c.Sources, err)
	}
	for _, tc := range []struct {
		src   string
		env   map[string]string
		flags map[string]string
		want  string
	}{
		{"sources = [\"roles\"]\n", nil, nil, `config.toml:1: sources: "roles" is not a source (want some of accessPackage, group, role, azure)`},
		{"sources = \"role\"\n", nil, nil, "config.toml:1: sources: want an array of strings"},
		{"sources = []\n", nil, nil, "config.toml:1: sources: no source named"},
		{"", map[string]string{"APPROVALS_SOURCES": "role,pim"}, nil, `APPROVALS_SOURCES: "pim" is not a source`},
		{"", nil, map[string]string{"sources": " , "}, "--sources: no source named"},
	} {
		_, _, err := load(t, tc.src, tc.env, tc.flags)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %v %v: err = %v, want %q", tc.src, tc.env, tc.flags, err, tc.want)
		}
	}
}
