package auth

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// cacheName is the azidentity/cache name for this sign-in, so logging out
// of one tenant leaves the others signed in.
func (s *Session) cacheName() string { return "approvals." + s.key }

// openCache returns the persistent token cache or, when this machine
// cannot host one, the zero Cache (in memory) after saying so once.
func (s *Session) openCache() azidentity.Cache {
	newCache := s.opts.NewCache
	if newCache == nil {
		newCache = persistentCache
	}
	c, err := newCache(s.cacheName())
	if err != nil {
		s.opts.Warn("tokens are kept in memory only, so you will sign in on every run: the encrypted token cache is unavailable here (" +
			err.Error() + "; in containers, the default seccomp profile blocks the kernel keyring)")
		return azidentity.Cache{}
	}
	return c
}

// cacheFiles are the files azidentity/cache v0.4 keeps for this sign-in:
// the encrypted MSAL cache, its CAE twin, and their lock files. The
// location is azidentity/cache's (not configurable): $XDG_CACHE_HOME or
// ~/.cache on Linux, %LocalAppData% on Windows, under .IdentityService.
// On macOS the data lives in the Keychain and these files hold nothing.
func (s *Session) cacheFiles() []string {
	dir := s.opts.CacheDir
	if dir == "" {
		dir = IdentityCacheDir(os.Getenv)
	}
	if dir == "" {
		return nil
	}
	base := filepath.Join(dir, ".IdentityService", s.cacheName())
	return []string{base, base + ".lockfile", base + ".cae", base + ".cae.lockfile"}
}

// IdentityCacheDir is the folder azidentity/cache v0.4 puts .IdentityService
// in, from the environment: $XDG_CACHE_HOME or ~/.cache on Linux,
// %LocalAppData% on Windows, the home folder on macOS. "" when unknown.
func IdentityCacheDir(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		return getenv("LocalAppData")
	case "darwin":
		return getenv("HOME")
	}
	if d := getenv("XDG_CACHE_HOME"); d != "" {
		return d
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".cache")
	}
	return ""
}
