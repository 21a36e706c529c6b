package sim

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// The simulator's request log and its error bodies never carry the bearer
// token, valid or not (in the simulator the token names the caller).
func TestTokenNeverLoggedOrEchoed(t *testing.T) {
	var mu sync.Mutex
	var log strings.Builder
	e := newEnv(t, Options{Tenant: smallTenant(), Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&log, format+"\n", args...)
	}})
	const canary = "SECRET-CANARY-TOKEN-9f8e7d"
	var bodies []string
	for _, tok := range []string{canary, "megan@contoso.com", "11111111-1111-4111-8111-111111111111"} {
		for _, path := range []string{"/v1.0/me", emRequests + approverFn, emApprovals + "/no-such", "/v1.0/$batch"} {
			method := "GET"
			var body any
			if path == "/v1.0/$batch" {
				method, body = "POST", map[string]any{"requests": []map[string]string{{"id": "1", "method": "GET", "url": "/me"}}}
			}
			r := e.do(method, path, tok, body)
			bodies = append(bodies, string(r.body))
		}
		r := e.do("PATCH", emApprovals+"/no-such/stages/x", tok, map[string]string{"reviewResult": "Approve", "justification": "j"})
		bodies = append(bodies, string(r.body))
	}
	mu.Lock()
	text := log.String()
	mu.Unlock()
	if !strings.Contains(text, "Megan Bowen") {
		t.Fatalf("the log does not name the caller at all:\n%s", text)
	}
	for _, secret := range []string{canary, "megan@contoso.com", "11111111-1111-4111-8111-111111111111"} {
		if strings.Contains(text, secret) {
			t.Errorf("the request log holds the token %q:\n%s", secret, text)
		}
	}
	for _, b := range bodies { // (the UPN is data in /me: only the canary is checked)
		if strings.Contains(b, canary) {
			t.Errorf("a response echoes the token: %s", b)
		}
	}
}
