package graph_test

import (
	"testing"

	"approvals/config"
	"approvals/graph"
)

// Plain http:// carries the token in clear, so the client and the config
// both refuse it unless the host is this machine, and agree on every URL.
func TestPlainHTTPOnlyToLoopbackClientAndConfigAgree(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://graph.microsoft.com", true},
		{"http://127.0.0.1:8080", true},
		{"http://127.9.9.9", true},
		{"http://[::1]:8080", true},
		{"http://localhost:1", true},
		{"http://LOCALHOST:1", true},
		{"HTTP://127.0.0.1:8080", true},
		{"http://graph.microsoft.com", false},
		{"http://127.0.0.1.evil.test", false},
		{"http://localhost.evil.test", false},
		{"http://evil.test#@127.0.0.1", false},
		{"http://127.0.0.1@evil.test", false},
		{"http://0.0.0.0:8080", false},
		{"http://[::]:8080", false},
		{"http://10.0.0.1", false},
		{"http://2130706433", false}, // 127.0.0.1 as a number: not an IP to Go, a name to a resolver
		{"http://127.1", false},
		{"ftp://127.0.0.1", false},
	} {
		_, err := graph.New(graph.Options{GraphURL: c.url, Credential: graph.StaticToken("t")})
		if (err == nil) != c.ok {
			t.Errorf("graph.New(%q): %v, want accepted=%v", c.url, err, c.ok)
		}
		_, err = config.Load(config.LoadOptions{Getenv: func(string) string { return "" }, Dirs: &config.Dirs{Config: t.TempDir()},
			Flags: map[string]string{"graph_url": c.url}})
		if (err == nil) != c.ok {
			t.Errorf("config graph_url %q: %v, want accepted=%v", c.url, err, c.ok)
		}
	}
}
