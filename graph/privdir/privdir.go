// Package privdir makes and checks private folders: the ones that hold
// sign-in records, the decision journal and the SSH host key. A private
// folder is mode 0700; one that other users can read or enter is refused,
// since private files must not be written there.
package privdir

import (
	"fmt"
	"io/fs"
	"os"
	"runtime"
)

// InsecureError says a folder that would hold private files can be read
// or entered by other users.
type InsecureError struct {
	Path string
	Mode fs.FileMode
}

func (e *InsecureError) Error() string {
	return fmt.Sprintf("%s is open to other users (mode %#o); run: chmod 700 %s", e.Path, e.Mode.Perm(), e.Path)
}

// Ensure creates path (and missing parents) with mode 0700, and refuses
// (InsecureError) a folder that already exists with group or world
// permissions.
func Ensure(path string) error {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return err
	}
	return Check(path)
}

// Check reports an InsecureError when path is a folder other users can
// access. Windows has no such mode bits; its folders pass.
func Check(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", path)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return &InsecureError{Path: path, Mode: fi.Mode()}
	}
	return nil
}
