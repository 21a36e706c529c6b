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

// Quit, submit and cancel must keep a key (config refuses to unbind what
// DefaultKeys marks Required); the other actions may be unbound.
func TestRequiredActionsStayBound(t *testing.T) {
	dir := t.TempDir()
	dirs := config.Dirs{Config: dir, State: filepath.Join(dir, "state"), Cache: filepath.Join(dir, "cache")}
	load := func(action config.Action) error {
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, []byte("[keys]\n"+string(action)+" = []\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := config.Load(config.LoadOptions{Path: path, Dirs: &dirs, Getenv: func(string) string { return "" }, Keys: DefaultKeys()})
		return err
	}
	for _, d := range DefaultKeys() {
		required := d.Action == ActionQuit || d.Action == ActionSubmit || d.Action == ActionCancel
		if d.Required != required {
			t.Errorf("%s: Required = %v", d.Action, d.Required)
		}
		err := load(d.Action)
		if required && (err == nil || !strings.Contains(err.Error(), "keys."+string(d.Action)+": needs at least one key")) {
			t.Errorf("unbinding %s: err = %v, want needs at least one key", d.Action, err)
		}
		if !required && err != nil {
			t.Errorf("unbinding %s: %v", d.Action, err)
		}
	}
}
