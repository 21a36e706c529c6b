package main

import (
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"approvals/config"
	"approvals/graph"
	"approvals/graph/auth"
	"approvals/graph/sim"
	"approvals/ui"
	"approvals/ui/cli"
)

// config names what the user may set; graph and auth own what those names
// mean. The root checks that they agree, since neither may import the
// other's package.
func TestConfigNamesAgreeWithTheParts(t *testing.T) {
	for _, name := range config.Clouds {
		if _, err := graph.CloudByName(name); err != nil {
			t.Errorf("config accepts cloud %q but the client does not: %v", name, err)
		}
	}
	if !reflect.DeepEqual(config.Clouds, graph.CloudNames()) {
		t.Errorf("config.Clouds %q != graph.CloudNames() %q", config.Clouds, graph.CloudNames())
	}
	for _, name := range config.Sources {
		if _, ok := graph.ParseSource(name); !ok {
			t.Errorf("config accepts source %q but the client does not", name)
		}
	}
	if config.AuthDeviceCode != auth.MethodDeviceCode || config.AuthBrowser != auth.MethodBrowser || config.AuthToken != auth.MethodToken {
		t.Error("config's auth methods are not auth's")
	}
	if config.DefaultClientID != auth.DefaultClientID || config.DefaultTenant != auth.DefaultTenant {
		t.Error("config's default client id or tenant is not auth's")
	}
}

// testConfig loads settings as the commands do, from env alone, with the
// folders under a temporary HOME.
func testConfig(t *testing.T, env map[string]string) (*config.Config, func(string) string) {
	t.Helper()
	home := t.TempDir()
	base := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "config"),
		"XDG_STATE_HOME": filepath.Join(home, "state"), "XDG_CACHE_HOME": filepath.Join(home, "cache")}
	maps.Copy(base, env)
	getenv := func(k string) string { return base[k] }
	cfg, err := config.Load(config.LoadOptions{Getenv: getenv, Keys: ui.DefaultKeys()})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, getenv
}

// The command line's session, as the root builds it: the static token
// sign-in the settings name, the journal when asked for, and a client of
// the configured Graph root (without an ARM root, since a Graph token is
// no ARM token).
func TestConnectBuildsTheConfiguredSession(t *testing.T) {
	srv := sim.New(sim.Options{Seed: 3, Approvals: 4})
	tenant, err := sim.StartLoopback(srv, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tenant.Close()
	me := srv.Approvers()[0].UserPrincipalName
	cfg, getenv := testConfig(t, map[string]string{"APPROVALS_AUTH": "token", "APPROVALS_TOKEN": me,
		"APPROVALS_GRAPH_URL": tenant.URL, "APPROVALS_SOURCES": "accessPackage,group,azure"})
	rec := &hostRecorder{}
	s, err := host{Getenv: getenv, Transport: rec}.connect(cfg, cli.ConnectOptions{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Journal.Close()
	if s.Auth.Interactive() || s.Journal == nil || s.Client == nil {
		t.Fatalf("session %+v", s)
	}
	snap, err := s.Client.Refresh(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Approvals) == 0 {
		t.Fatal("nothing listed for the demo identity")
	}
	// A Graph token is no ARM token: without arm_url the Azure source is
	// not called (neither the simulator nor Azure Resource Manager).
	if hosts := rec.seen(); len(hosts) != 1 || "http://"+hosts[0] != tenant.URL {
		t.Errorf("requests went to %v, want only %s", hosts, tenant.URL)
	}
	if _, err := os.Stat(cfg.Dirs.JournalFile()); err != nil {
		t.Errorf("the journal was not opened: %v", err)
	}
	s2, err := host{Getenv: getenv}.connect(cfg, cli.ConnectOptions{})
	if err != nil || s2.Journal != nil {
		t.Errorf("without Journal: %+v, %v", s2, err)
	}
}

// Two inboxes built from one config share nothing but it: each has its
// own client, acting as its own sign-in.
func TestNewInboxPerSession(t *testing.T) {
	srv := sim.New(sim.Options{Seed: 3, Approvals: 4})
	tenant, err := sim.StartLoopback(srv, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tenant.Close()
	cfg, _ := testConfig(t, map[string]string{"APPROVALS_POLL_INTERVAL": "1m"})
	approvers := srv.Approvers()
	build := func(u sim.User) ui.Options {
		t.Helper()
		opts, err := newInbox(inboxSession{Config: cfg, SignIn: fixedSignIn{upn: u.UserPrincipalName},
			Endpoints: endpoints{GraphURL: tenant.URL, ARMURL: tenant.ARMURL()}, PollAtMost: 20 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return opts
	}
	a, b := build(approvers[0]), build(approvers[1])
	if a.Backend == b.Backend {
		t.Fatal("two sessions share a Graph client")
	}
	if a.Identity != approvers[0].UserPrincipalName || b.Identity != approvers[1].UserPrincipalName {
		t.Errorf("identities %q, %q", a.Identity, b.Identity)
	}
	if a.SignIn != nil || a.WhoAmI == nil || a.PollInterval != 20*time.Second {
		t.Errorf("a fixed sign-in needs no prompt; WhoAmI set %v; poll %v (want the 20s cap)", a.WhoAmI != nil, a.PollInterval)
	}
	for i, o := range []ui.Options{a, b} {
		who, err := o.WhoAmI(t.Context())
		if err != nil || !strings.Contains(who, approvers[i].UserPrincipalName) || !strings.Contains(who, approvers[i].DisplayName) {
			t.Errorf("session %d is %q, %v; want %s", i, who, err, approvers[i].UserPrincipalName)
		}
	}
	if _, err := newInbox(inboxSession{Config: cfg}); err == nil {
		t.Error("no sign-in: want an error")
	}
}

// hostRecorder sends loopback requests on and refuses any other, noting
// every host asked for.
type hostRecorder struct {
	mu    sync.Mutex
	hosts []string
}

func (r *hostRecorder) Do(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	if !slices.Contains(r.hosts, req.URL.Host) {
		r.hosts = append(r.hosts, req.URL.Host)
	}
	r.mu.Unlock()
	if !strings.HasPrefix(req.URL.Host, "127.0.0.1:") {
		return nil, fmt.Errorf("test: no network (%s)", req.URL.Host)
	}
	return http.DefaultTransport.RoundTrip(req)
}

func (r *hostRecorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.hosts)
}
