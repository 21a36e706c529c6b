package sim

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestApproverByUPNIdOrName(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	s := New(Options{Seed: 1, Approvals: 3, Clock: func() time.Time { return now }})
	approvers := s.Approvers()
	if len(approvers) < 2 {
		t.Fatalf("want at least two approvers, got %d", len(approvers))
	}
	second := approvers[1]
	for as, want := range map[string]string{
		"": approvers[0].ID, strings.ToUpper(second.UserPrincipalName): second.ID,
		second.ID: second.ID, strings.ToLower(second.DisplayName): second.ID,
	} {
		got, err := s.Approver(as)
		if err != nil || got.ID != want {
			t.Errorf("Approver(%q) = %v, %v; want %s", as, got.ID, err, want)
		}
	}
	_, err := s.Approver("nobody")
	var unknown *UnknownApproverError
	if !errors.As(err, &unknown) || unknown.As != "nobody" || len(unknown.Approvers) != len(approvers) ||
		unknown.Approvers[0] != approvers[0].UserPrincipalName || !strings.Contains(err.Error(), second.UserPrincipalName) {
		t.Errorf("unknown approver: %#v", err)
	}
	empty := New(Options{Tenant: &Tenant{}})
	if _, err := empty.Approver(""); !errors.Is(err, ErrNoApprovers) {
		t.Errorf("no approvers: %v", err)
	}
}

func TestStartLoopbackServesUntilClosed(t *testing.T) {
	s := New(Options{Seed: 1, Approvals: 2})
	l, err := StartLoopback(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.URL, "http://127.0.0.1:") || l.ARMURL() != l.URL+ARMPrefix || l.Server() != s {
		t.Fatalf("URL %q, ARM %q", l.URL, l.ARMURL())
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, l.URL+"/v1.0/me", nil)
	req.Header.Set("Authorization", "Bearer "+s.Approvers()[0].UserPrincipalName)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), s.Approvers()[0].UserPrincipalName) {
		t.Fatalf("/me: %d %s", resp.StatusCode, body)
	}
	l.Close()
	l.Close() // twice is fine
	if _, err := http.Get(l.URL + "/v1.0/me"); err == nil {
		t.Fatal("still serving after Close")
	}
}
