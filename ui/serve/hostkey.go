package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"

	"approvals/graph/privdir"
)

// HostKeyFile is the host key's name in the state folder.
const HostKeyFile = "ssh_host_ed25519_key"

// HostKey loads the server's ed25519 host key from dir, creating it (0600,
// in a 0700 folder) on first start. created says it was just made.
func HostKey(dir string) (signer gossh.Signer, path string, created bool, err error) {
	if err := privdir.Ensure(dir); err != nil {
		return nil, "", false, fmt.Errorf("host key folder: %w", err)
	}
	path = filepath.Join(dir, HostKeyFile)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data, err = newHostKey(path)
		if err != nil {
			return nil, path, false, fmt.Errorf("creating the host key %s: %w", path, err)
		}
		created = true
	case err != nil:
		return nil, path, false, fmt.Errorf("host key: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, path, false, fmt.Errorf("host key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, path, false, fmt.Errorf("host key %s is readable by others (mode %v): chmod 600 it, or delete it to make a new one", path, fi.Mode().Perm())
	}
	signer, err = gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, path, false, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, path, created, nil
}

// newHostKey writes a new ed25519 key in OpenSSH's format, refusing to
// replace a file that appeared meanwhile.
func newHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "approvals serve host key")
	if err != nil {
		return nil, err
	}
	data := pem.EncodeToMemory(block)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return data, nil
}
