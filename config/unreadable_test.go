package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A config file that cannot be read or is not TOML stops with one clear
// message naming the file (and the line, when there is one); nothing
// panics and no default is silently used instead.
func TestUnreadableOrCorruptConfig(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder.toml")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name, path string
		want       []string
	}{
		{"a folder", folder, []string{"config file", folder, "is a directory"}},
		{"binary", write("binary.toml", "theme = \"dark\xff\x00\n[[[\n"), []string{"binary.toml:1", "invalid UTF-8"}},
		{"truncated", write("cut.toml", "theme = \"da"), []string{"cut.toml:1"}},
		{"NUL bytes", write("nul.toml", "\x00\x00\x00\x00"), []string{"nul.toml:1"}},
		{"wrong types", write("types.toml", "poll_interval = 5\nbell = \"yes\"\n"), []string{"types.toml:1", "poll_interval", "types.toml:2", "bell"}},
	} {
		_, err := Load(LoadOptions{Path: c.path, Getenv: func(string) string { return "" }, Dirs: &Dirs{Config: dir}})
		if err == nil {
			t.Errorf("%s: loaded without an error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not mention %q", c.name, err, w)
			}
		}
	}
}
