package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// AppName names the folders approvals uses.
const AppName = "approvals"

// Dirs are where approvals keeps its files.
type Dirs struct {
	Config string // config.toml
	State  string // sign-in records, the decision journal
	Cache  string // disposable data
}

// ConfigFile is the default config file path.
func (d Dirs) ConfigFile() string { return filepath.Join(d.Config, "config.toml") }

// JournalFile is the decision journal.
func (d Dirs) JournalFile() string { return filepath.Join(d.State, "journal.jsonl") }

// AccountsDir holds one sign-in record per cloud, tenant and client id.
func (d Dirs) AccountsDir() string { return filepath.Join(d.State, "accounts") }

// ResolveDirs finds the folders from the environment (getenv nil means
// os.Getenv): on Linux and other Unix systems the XDG base directories
// ($XDG_CONFIG_HOME, $XDG_STATE_HOME, $XDG_CACHE_HOME, falling back to
// ~/.config, ~/.local/state and ~/.cache); on macOS and Windows the
// platform folders. Nothing is created.
func ResolveDirs(getenv func(string) string) (Dirs, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	switch runtime.GOOS {
	case "windows":
		roaming, local := getenv("AppData"), getenv("LocalAppData")
		if roaming == "" || local == "" {
			return Dirs{}, errors.New("%AppData% or %LocalAppData% is not set")
		}
		return Dirs{
			Config: filepath.Join(roaming, AppName),
			State:  xdgOr(getenv, "XDG_STATE_HOME", filepath.Join(local, AppName, "state")),
			Cache:  filepath.Join(local, AppName, "cache"),
		}, nil
	case "darwin", "ios":
		home := getenv("HOME")
		if home == "" {
			return Dirs{}, errors.New("$HOME is not set")
		}
		support := filepath.Join(home, "Library", "Application Support")
		return Dirs{
			Config: filepath.Join(support, AppName),
			State:  xdgOr(getenv, "XDG_STATE_HOME", filepath.Join(support, AppName, "state")),
			Cache:  filepath.Join(home, "Library", "Caches", AppName),
		}, nil
	}
	home := getenv("HOME")
	base := func(env, fallback string) (string, error) {
		if d := getenv(env); filepath.IsAbs(d) {
			return filepath.Join(d, AppName), nil
		}
		if home == "" {
			return "", fmt.Errorf("neither $%s nor $HOME is set", env)
		}
		return filepath.Join(home, fallback, AppName), nil
	}
	var d Dirs
	var err error
	if d.Config, err = base("XDG_CONFIG_HOME", ".config"); err != nil {
		return Dirs{}, err
	}
	if d.State, err = base("XDG_STATE_HOME", filepath.Join(".local", "state")); err != nil {
		return Dirs{}, err
	}
	if d.Cache, err = base("XDG_CACHE_HOME", ".cache"); err != nil {
		return Dirs{}, err
	}
	return d, nil
}

func xdgOr(getenv func(string) string, env, fallback string) string {
	if d := getenv(env); filepath.IsAbs(d) {
		return filepath.Join(d, AppName)
	}
	return fallback
}
