package serve

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	gossh "golang.org/x/crypto/ssh"
)

// UserOption is the authorized_keys option that binds a key to one Entra
// user: approvals-user="megan@contoso.com" ssh-ed25519 AAAA… comment.
const UserOption = "approvals-user"

// Binding is what an authorized key may do.
type Binding struct {
	User        string // the UPN the key is bound to; "" when any user may sign in with it
	Fingerprint string // SHA256:… as ssh-keygen -l prints it
	Comment     string
	Line        int
}

// LineError is one authorized_keys line that was skipped.
type LineError struct {
	Line int
	Err  error
}

func (e LineError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Err.Error() }

// ignoredOptions are OpenSSH options that ask for nothing this server
// would do anyway (it forwards nothing, runs no commands, reads no rc
// files), so a line carrying them is accepted. Any other option (from=,
// command=, expiry-time=, principals=, …) restricts a key in a way this
// server does not enforce: such a line is skipped rather than honoured
// halfway.
var ignoredOptions = map[string]bool{
	"restrict": true, "no-port-forwarding": true, "no-agent-forwarding": true,
	"no-x11-forwarding": true, "no-user-rc": true, "pty": true,
}

// ParseAuthorizedKeys reads an OpenSSH authorized_keys file's contents.
// Malformed lines are returned as errors with their line numbers and
// skipped; the keys of the other lines are returned by their wire form.
func ParseAuthorizedKeys(data []byte) (map[string]Binding, []LineError) {
	keys := map[string]Binding{}
	var errs []LineError
	for i, line := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		pub, comment, opts, rest, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			errs = append(errs, LineError{n, errors.New("not a public key line (" + err.Error() + ")")})
			continue
		}
		if len(bytes.TrimSpace(rest)) != 0 {
			errs = append(errs, LineError{n, errors.New("more than one key on the line")})
			continue
		}
		b := Binding{Fingerprint: gossh.FingerprintSHA256(pub), Comment: comment, Line: n}
		if err := applyOptions(&b, opts); err != nil {
			errs = append(errs, LineError{n, err})
			continue
		}
		k := string(pub.Marshal())
		if prev, ok := keys[k]; ok {
			errs = append(errs, LineError{n, fmt.Errorf("the same key is already on line %d", prev.Line)})
			continue
		}
		keys[k] = b
	}
	return keys, errs
}

func applyOptions(b *Binding, opts []string) error {
	seen := false
	for _, o := range opts {
		name, value, hasValue := strings.Cut(o, "=")
		switch lname := strings.ToLower(name); {
		case lname == UserOption:
			if seen {
				return errors.New(UserOption + " is given twice")
			}
			seen = true
			user, err := unquote(value, hasValue)
			if err != nil {
				return err
			}
			b.User = user
		case ignoredOptions[lname] && !hasValue:
		default:
			return fmt.Errorf("option %q is not supported by approvals serve (only %s=\"UPN\" and %s)", name, UserOption, "no-port-forwarding, restrict, …")
		}
	}
	return nil
}

// unquote reads approvals-user's value: a quoted user principal name.
func unquote(v string, hasValue bool) (string, error) {
	if !hasValue || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", errors.New(UserOption + ` needs a quoted value: ` + UserOption + `="megan@contoso.com"`)
	}
	u := v[1 : len(v)-1]
	if strings.ContainsFunc(u, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '"' || r == '\\' }) ||
		!strings.Contains(u, "@") || strings.HasPrefix(u, "@") || strings.HasSuffix(u, "@") {
		return "", fmt.Errorf("%s=%q is not a user principal name like megan@contoso.com", UserOption, u)
	}
	return u, nil
}

// KeyFile is an authorized_keys file, read again whenever it changes
// (checked at each sign-in attempt, so an edit applies to the next
// connection without a restart).
type KeyFile struct {
	path   string
	report func([]LineError) // skipped lines of each read

	mu      sync.Mutex
	modTime time.Time
	size    int64
	keys    map[string]Binding
	readErr error
}

// OpenKeyFile reads path. report receives the malformed lines of this and
// every later read (nil: ignored). An unreadable file is an error here;
// later, it refuses every key until it can be read again.
func OpenKeyFile(path string, report func([]LineError)) (*KeyFile, error) {
	if report == nil {
		report = func([]LineError) {}
	}
	f := &KeyFile{path: path, report: report}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.reloadLocked(); err != nil {
		return nil, err
	}
	return f, nil
}

// Path is the file read.
func (f *KeyFile) Path() string { return f.path }

// Len is how many keys the last read accepted.
func (f *KeyFile) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.keys)
}

// Lookup finds key, re-reading the file first if it changed.
func (f *KeyFile) Lookup(key gossh.PublicKey) (Binding, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.reloadLocked(); err != nil {
		return Binding{}, false
	}
	b, ok := f.keys[string(key.Marshal())]
	return b, ok
}

// Bindings are the keys of the last read, in no particular order.
func (f *KeyFile) Bindings() []Binding {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Binding, 0, len(f.keys))
	for _, b := range f.keys {
		out = append(out, b)
	}
	return out
}

func (f *KeyFile) reloadLocked() error {
	fi, err := os.Stat(f.path)
	if err != nil {
		f.keys, f.readErr = nil, fmt.Errorf("authorized keys: %w", err)
		f.modTime = time.Time{}
		return f.readErr
	}
	if f.keys != nil && f.readErr == nil && fi.ModTime().Equal(f.modTime) && fi.Size() == f.size {
		return nil
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		f.keys, f.readErr = nil, fmt.Errorf("authorized keys: %w", err)
		return f.readErr
	}
	keys, errs := ParseAuthorizedKeys(data)
	f.keys, f.readErr, f.modTime, f.size = keys, nil, fi.ModTime(), fi.Size()
	if len(errs) > 0 {
		f.report(errs)
	}
	return nil
}
