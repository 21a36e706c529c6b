package ui

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"approvals/config"
)

// The inbox's actions load as config's defaults with no conflict, and a
// config file may bind every action to its default keys (each name is a
// key config knows, usable in its scope).
func TestDefaultKeysLoadWithoutConflicts(t *testing.T) {
	dir := t.TempDir()
	dirs := config.Dirs{Config: dir, State: filepath.Join(dir, "state"), Cache: filepath.Join(dir, "cache")}
	c, err := config.Load(config.LoadOptions{Dirs: &dirs, Getenv: func(string) string { return "" }, Keys: DefaultKeys()})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Keys, DefaultKeys()) {
		t.Fatalf("loaded keys differ from the defaults:\n%v", c.Keys)
	}
	var b strings.Builder
	b.WriteString("[keys]\n")
	for _, d := range DefaultKeys() {
		b.WriteString(string(d.Action) + " = [")
		for i, k := range d.Keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(`"` + k + `"`)
		}
		b.WriteString("]\n")
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = config.Load(config.LoadOptions{Path: path, Dirs: &dirs, Getenv: func(string) string { return "" }, Keys: DefaultKeys()})
	if err != nil {
		t.Fatalf("binding every action to its default keys: %v", err)
	}
	if !reflect.DeepEqual(c.Keys, DefaultKeys()) {
		t.Fatal("binding the defaults changed them")
	}
}
