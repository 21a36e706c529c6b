// Package config decides the settings approvals runs with: the TOML config
// file (with profiles), APPROVALS_* environment variables and command-line
// flags, merged in that order (flags win), validated with errors that name
// the file, the line and the key. It also owns the key bindings (defaults in
// keys.go, overrides from [keys]) and where files live on disk: the config,
// state (sign-in records, decision journal) and cache folders, created 0700.
//
// It reads its own files and nothing else; it never talks to the network.
package config
