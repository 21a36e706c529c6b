package auth

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

// LoadToken finds the static bearer token for MethodToken: the file when
// one is named, else fromEnv (the token the caller found in the
// environment); ErrNoToken when neither has one. A token file other users
// can read is used but warned about.
func LoadToken(file, fromEnv string, warn func(string)) (string, error) {
	if file != "" {
		fi, err := os.Stat(file)
		if err != nil {
			return "", fmt.Errorf("token file: %w", err)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 && warn != nil {
			warn(fmt.Sprintf("token file %s is readable by other users (mode %#o); run: chmod 600 %s", file, fi.Mode().Perm(), file))
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("token file: %w", err)
		}
		tok := strings.TrimSpace(string(data))
		if tok == "" {
			return "", fmt.Errorf("token file %s is empty", file)
		}
		return strings.TrimPrefix(tok, "Bearer "), nil
	}
	if tok := strings.TrimSpace(fromEnv); tok != "" {
		return strings.TrimPrefix(tok, "Bearer "), nil
	}
	return "", ErrNoToken
}
