package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSimBannerAndLogAreSanitized: approvals sim prints names from a
// tenant file (banner) and clients' request paths (--log). Escape
// sequences, bidi controls and invisible characters in either never reach
// the terminal.
func TestSimBannerAndLogAreSanitized(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tenant.json")
	dump := newRootCmd()
	dump.SetArgs([]string{"sim", "--dump", file})
	dump.SetOut(new(strings.Builder))
	if err := dump.Execute(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const evil = `Megan\u001b]0;PWNED\u0007\u001b[2J\u202eBowen\u200b\u3164`
	hostile := strings.Replace(string(data), `"displayName": "Megan Bowen"`, `"displayName": "`+evil+`"`, 1)
	if hostile == string(data) {
		t.Fatal("the tenant has no Megan Bowen to rename")
	}
	if err := os.WriteFile(file, []byte(hostile), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errs := &syncWriter{}, &syncWriter{}
	root := newRootCmd()
	root.SetArgs([]string{"sim", "--data", file, "--listen", "127.0.0.1:0", "--log"})
	root.SetOut(out)
	root.SetErr(errs)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()

	base := waitFor(t, out, regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)`))
	resp, err := http.Get(base + "/v1.0/%1b%5d0;PWNED%07%1b%5b2J%e2%80%aepath")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitFor(t, errs, regexp.MustCompile(`(GET /v1\.0/.*path)`))
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("sim: %v", err)
	}

	for name, text := range map[string]string{"banner": out.String(), "log": errs.String()} {
		if strings.ContainsAny(text, "\x1b\a\u202e\u200b\u3164") || strings.Contains(text, "PWNED") {
			t.Errorf("the %s passes unsafe text to the terminal:\n%q", name, text)
		}
	}
	if !strings.Contains(out.String(), "MeganBowen") {
		t.Errorf("the banner lost the name itself:\n%s", out.String())
	}
}

// waitFor polls w until re matches, and returns the first group.
func waitFor(t *testing.T, w *syncWriter, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindStringSubmatch(w.String()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s in:\n%s", re, w.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
