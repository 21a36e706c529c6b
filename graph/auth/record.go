package auth

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"approvals/graph/privdir"
)

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// recordKey names a sign-in by cloud, tenant and client id: the same user
// may sign in to several tenants or with several app registrations.
func recordKey(o Options) string {
	parts := []string{o.Cloud.Name, strings.ToLower(o.Tenant), strings.ToLower(o.ClientID)}
	for i, p := range parts {
		parts[i] = unsafeName.ReplaceAllString(p, "_")
	}
	return strings.Join(parts, "_")
}

// RecordPath is the file holding this sign-in's AuthenticationRecord.
func (s *Session) RecordPath() string {
	if s.opts.AccountsDir == "" {
		return ""
	}
	return filepath.Join(s.opts.AccountsDir, s.key+".json")
}

// loadRecord returns the saved record, or the zero record when there is
// none or it cannot be used (then the user signs in again).
func (s *Session) loadRecord() azidentity.AuthenticationRecord {
	path := s.RecordPath()
	if path == "" {
		return azidentity.AuthenticationRecord{}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.opts.Warn("cannot read the saved sign-in (" + err.Error() + "); you will be asked to sign in")
		}
		return azidentity.AuthenticationRecord{}
	}
	var rec azidentity.AuthenticationRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		s.opts.Warn("the saved sign-in " + path + " is unreadable (" + err.Error() + "); you will be asked to sign in")
		return azidentity.AuthenticationRecord{}
	}
	return rec
}

// saveRecord writes the record 0600 into a private folder, atomically. A
// folder other users can open is refused: the sign-in then lasts only for
// this run, and the user is told why and how to fix it.
func (s *Session) saveRecord(rec azidentity.AuthenticationRecord) {
	path := s.RecordPath()
	if path == "" {
		return
	}
	if err := s.privateFolder(filepath.Dir(path)); err != nil {
		s.opts.Warn("sign-in not saved, you will sign in again next run: " + err.Error())
		return
	}
	data, err := json.Marshal(rec)
	if err == nil {
		err = writePrivate(path, data)
	}
	if err != nil {
		s.opts.Warn("sign-in not saved, you will sign in again next run: " + err.Error())
	}
}

// privateFolder creates dir 0700 and checks that it and its parent (the
// state folder) are closed to other users.
func (s *Session) privateFolder(dir string) error {
	parent := filepath.Dir(dir)
	if _, err := os.Stat(parent); err == nil {
		if err := privdir.Check(parent); err != nil {
			return err
		}
	}
	if err := privdir.Ensure(dir); err != nil {
		return err
	}
	return privdir.Check(parent)
}

func writePrivate(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".record-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
