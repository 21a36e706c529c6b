package sim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"approvals/graph/loopback"
)

// syncBuffer is a bytes.Buffer safe to read while Serve writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8080", "example.com:80", "[::]:0", "nonsense"} {
		err := Serve(context.Background(), addr, ServeOptions{Options: Options{Tenant: smallTenant()}}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "loopback") && addr != "nonsense" {
			t.Errorf("%s: %v", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:80", "localhost:1", "[::1]:8080", "127.3.2.1:9"} {
		if !loopback.Addr(addr) {
			t.Errorf("%s should count as loopback", addr)
		}
	}
}

// serveInBackground starts Serve and returns its base URL and a stop
// function that returns Serve's error.
func serveInBackground(t *testing.T, addr string, opts ServeOptions, out io.Writer) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	opts.Ready = func(u string) { ready <- u }
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, addr, opts, out) }()
	select {
	case base := <-ready:
		return base, func() error { cancel(); return <-done }
	case err := <-done:
		cancel()
		t.Fatalf("Serve: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("Serve did not start")
	}
	return "", nil
}

func TestServeOnLoopbackAndStop(t *testing.T) {
	var out syncBuffer
	base, stop := serveInBackground(t, "127.0.0.1:0", ServeOptions{Options: Options{Seed: 2, Approvals: 12}}, &out)
	req, _ := http.NewRequest("GET", base+"/v1.0/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='approver')", nil)
	req.Header.Set("Authorization", "Bearer megan@contoso.com")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"value":[`) {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	start := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("Serve returned %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stopping took %v", d)
	}
	// 12 Graph approvals wait for the demo identity, the 2 Azure demo
	// requests, and 7 Entra role requests (5, its own and an extension).
	banner := out.String()
	for _, want := range []string{base, "megan@contoso.com", "21 waiting", "/beta/roleManagement/directory/roleAssignmentApprovals/{id}", "(demo identity)", "--arm-url " + base + "/arm", "curl -s -H 'Authorization: Bearer megan@contoso.com'"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if _, err := http.Get(base + "/v1.0/me"); err == nil {
		t.Error("still serving after the context ended")
	}
}

func TestServeStopsWithAHungRequest(t *testing.T) {
	opts := ServeOptions{Options: Options{Tenant: smallTenant(), Faults: []Fault{{Kind: FaultHang}}}}
	base, stop := serveInBackground(t, "127.0.0.1:0", opts, io.Discard)
	errc := make(chan error, 1)
	sent := make(chan struct{})
	go func() {
		trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { close(sent) }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", base+"/v1.0/me", nil)
		req.Header.Set("Authorization", "Bearer megan@contoso.com")
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				err = fmt.Errorf("a hung request was answered 200 at shutdown")
			} else {
				err = nil
			}
		} else {
			err = nil // dropped: what a client of a stopping server sees
		}
		errc <- err
	}()
	// Stop once the request is on the wire (not after a guessed sleep that
	// a loaded machine may outrun).
	select {
	case <-sent:
	case err := <-errc:
		t.Fatalf("the request ended before it was sent: %v", err)
	}
	start := time.Now()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stopping with a hung request took %v", d)
	}
	if err := <-errc; err != nil {
		t.Error(err)
	}
}

func TestServeDumpAndData(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "tenant.json")
	var out bytes.Buffer
	if err := Serve(context.Background(), "", ServeOptions{Options: Options{Seed: 3, Approvals: 9}, DumpFile: dump}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), dump) {
		t.Errorf("output %q", out.String())
	}
	want, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	tn, err := ReadTenantFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	if em, pim := waitingFor(tn, tn.Approvers[0]); em+pim != 9 {
		t.Errorf("dumped tenant has %d approvals for the demo identity", em+pim)
	}
	// Serve the file back and dump it again: identical.
	again := filepath.Join(dir, "again.json")
	_, stop := serveInBackground(t, "127.0.0.1:0", ServeOptions{DataFile: dump, DumpFile: again}, io.Discard)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(again)
	if !bytes.Equal(got, want) {
		t.Error("--data FILE --dump FILE2 changed the tenant")
	}
	if err := Serve(context.Background(), "", ServeOptions{}, io.Discard); err == nil {
		t.Error("no address and no dump should be an error")
	}
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`{"version": 1, "users": [{"id": ""}]}`), 0o600)
	if err := Serve(context.Background(), "127.0.0.1:0", ServeOptions{DataFile: bad}, io.Discard); err == nil {
		t.Error("an invalid tenant file was served")
	}
}

func TestServeActivityAndLatency(t *testing.T) {
	var logs syncBuffer
	opts := ServeOptions{Options: Options{Seed: 6, Approvals: 30, Logf: func(f string, a ...any) {
		logs.Write([]byte(strings.TrimSpace(fmt.Sprintf(f, a...)) + "\n"))
	}}, Activity: 5 * time.Millisecond, Latency: 20 * time.Millisecond}
	base, stop := serveInBackground(t, "127.0.0.1:0", opts, io.Discard)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "activity: ") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	req, _ := http.NewRequest("GET", base+"/v1.0/me", nil)
	req.Header.Set("Authorization", "Bearer megan@contoso.com")
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("--latency not applied: %v", d)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "activity: ") {
		t.Error("no activity was logged")
	}
	if strings.Contains(logs.String(), "megan@contoso.com") {
		t.Error("the request log shows the bearer token")
	}
	if !strings.Contains(logs.String(), "GET /v1.0/me → 200 me") {
		t.Errorf("request log:\n%s", logs.String())
	}
}
