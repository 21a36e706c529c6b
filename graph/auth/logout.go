package auth

import (
	"errors"
	"io/fs"
	"os"
)

// Logout forgets this sign-in: the saved record and the token cache files.
// It returns the files it removed. What it cannot reach: the cache's
// encryption key stays in the kernel keyring until reboot (useless without
// the file), macOS Keychain items stay, and tokens already issued stay
// valid until they expire (revoke sessions in Entra ID to end them).
func (s *Session) Logout() ([]string, error) {
	var removed []string
	var errs []error
	paths := s.cacheFiles()
	if p := s.RecordPath(); p != "" {
		paths = append([]string{p}, paths...)
	}
	for _, p := range paths {
		err := os.Remove(p)
		switch {
		case err == nil:
			removed = append(removed, p)
		case !errors.Is(err, fs.ErrNotExist):
			errs = append(errs, err)
		}
	}
	s.mu.Lock()
	s.account = ""
	s.mu.Unlock()
	return removed, errors.Join(errs...)
}
