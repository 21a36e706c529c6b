package auth

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// LoadToken finds the static bearer token for --auth token: the file
// when one is named, else $APPROVALS_TOKEN. A token file other users can
// read is used but warned about.
func LoadToken(getenv func(string) string, file string, warn func(string)) (string, error) {
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
	if tok := strings.TrimSpace(getenv("APPROVALS_TOKEN")); tok != "" {
		return strings.TrimPrefix(tok, "Bearer "), nil
	}
	return "", errors.New("--auth token needs a token: set APPROVALS_TOKEN or use --token-file FILE")
}
