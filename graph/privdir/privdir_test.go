package privdir

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestEnsure(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	base := t.TempDir()
	p := filepath.Join(base, "a", "b")
	if err := Ensure(p); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{p, filepath.Join(base, "a")} {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, %v", dir, fi.Mode().Perm(), err)
		}
	}
	open := filepath.Join(base, "open")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	err := Ensure(open)
	var ie *InsecureError
	if !errors.As(err, &ie) {
		t.Fatalf("want InsecureError, got %v", err)
	}
	want := open + " is open to other users (mode 0755); run: chmod 700 " + open
	if err.Error() != want {
		t.Errorf("got %q\nwant %q", err, want)
	}
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Check(file); err == nil || errors.As(err, &ie) {
		t.Errorf("a file is no folder: %v", err)
	}
}
