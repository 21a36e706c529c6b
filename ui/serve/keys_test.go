package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseAuthorizedKeys(t *testing.T) {
	bound, boundLine := newKey(t, `approvals-user="megan@contoso.com"`)
	free, freeLine := newKey(t, "no-port-forwarding,no-agent-forwarding")
	_, fromLine := newKey(t, `from="10.0.0.0/8"`)
	_, badUser := newKey(t, `approvals-user="megan contoso"`)
	_, unquoted := newKey(t, `approvals-user=megan@contoso.com`)
	data := "# team keys\n\n" + boundLine + freeLine + "ssh-ed25519 not-base64\n" + fromLine + badUser + unquoted + boundLine
	keys, errs := ParseAuthorizedKeys([]byte(data))
	if len(keys) != 2 {
		t.Fatalf("%d keys accepted, want 2", len(keys))
	}
	b := keys[string(bound.PublicKey().Marshal())]
	if b.User != "megan@contoso.com" || b.Line != 3 || !strings.HasPrefix(b.Fingerprint, "SHA256:") {
		t.Errorf("bound key: %+v", b)
	}
	if f := keys[string(free.PublicKey().Marshal())]; f.User != "" || f.Line != 4 {
		t.Errorf("unbound key: %+v", f)
	}
	want := map[int]string{5: "not a public key line", 6: `option "from" is not supported`, 7: "is not a user principal name", 8: "needs a quoted value", 9: "already on line 3"}
	if len(errs) != len(want) {
		t.Fatalf("errors %v, want lines %v", errs, want)
	}
	for _, e := range errs {
		if !strings.Contains(e.Error(), want[e.Line]) || !strings.HasPrefix(e.Error(), "line ") {
			t.Errorf("line %d: %v, want %q", e.Line, e, want[e.Line])
		}
	}
}

func TestKeyFileRereadsWhenChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "authorized_keys")
	a, lineA := newKey(t, `approvals-user="a@contoso.com"`)
	b, lineB := newKey(t, `approvals-user="b@contoso.com"`)
	if err := os.WriteFile(path, []byte(lineA), 0o600); err != nil {
		t.Fatal(err)
	}
	var reported []LineError
	f, err := OpenKeyFile(path, func(errs []LineError) { reported = append(reported, errs...) })
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Lookup(a.PublicKey()); !ok {
		t.Fatal("a refused")
	}
	if _, ok := f.Lookup(b.PublicKey()); ok {
		t.Fatal("b admitted before it was added")
	}
	if err := writeFile(path, lineB+"garbage\n"); err != nil {
		t.Fatal(err)
	}
	if got, ok := f.Lookup(b.PublicKey()); !ok || got.User != "b@contoso.com" {
		t.Errorf("b after the edit: %+v %v", got, ok)
	}
	if _, ok := f.Lookup(a.PublicKey()); ok {
		t.Error("a still admitted after its line was removed")
	}
	if len(reported) != 1 || reported[0].Line != 2 {
		t.Errorf("reported %v", reported)
	}
	// A file that disappears refuses everyone until it is back.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Lookup(b.PublicKey()); ok {
		t.Error("b admitted with no file")
	}
	if _, err := OpenKeyFile(path, nil); err == nil {
		t.Error("OpenKeyFile of a missing file succeeded")
	}
}

func TestHostKeyCreatedPrivateAndReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	s1, path, created, err := HostKey(dir)
	if err != nil || !created {
		t.Fatalf("first start: created=%v err=%v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v)", fi.Mode().Perm(), err)
	}
	di, _ := os.Stat(dir)
	if di.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v", di.Mode().Perm())
	}
	if s1.PublicKey().Type() != "ssh-ed25519" {
		t.Errorf("key type %s", s1.PublicKey().Type())
	}
	s2, _, created, err := HostKey(dir)
	if err != nil || created || string(s2.PublicKey().Marshal()) != string(s1.PublicKey().Marshal()) {
		t.Fatalf("second start: created=%v err=%v, same key=%v", created, err, err == nil && string(s2.PublicKey().Marshal()) == string(s1.PublicKey().Marshal()))
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := HostKey(dir); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Errorf("a world-readable key: %v", err)
	}
}

type addr string

func (a addr) Network() string { return "tcp" }
func (a addr) String() string  { return string(a) }

func TestRateLimiterPerAddress(t *testing.T) {
	clock := newFakeClock()
	l := newRateLimiter(2, 10*time.Second, clock.Now)
	one, two := addr("192.0.2.1:1000"), addr("192.0.2.2:1000")
	if !l.allow(one) || !l.allow(one) {
		t.Fatal("the burst was refused")
	}
	if l.allow(one) {
		t.Error("a third connection at once was allowed")
	}
	if !l.allow(two) {
		t.Error("another address was limited too")
	}
	clock.advance(10 * time.Second)
	if !l.allow(one) {
		t.Error("refused after the interval")
	}
	if l.allow(one) {
		t.Error("more than one allowed after one interval")
	}
}
