//go:build bench

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// benchHeader is the line above the table: where and when it was measured.
func benchHeader(now time.Time) string {
	return "machine: " + benchCPUModel() + ", " + benchItoa(runtime.NumCPU()) + " cores · " + runtime.Version() + " " +
		runtime.GOOS + "/" + runtime.GOARCH + " · " + now.UTC().Format("2006-01-02 15:04 MST") + " · commit " + benchCommit()
}

// benchCPUModel is the CPU's model name (Linux), else the architecture.
func benchCPUModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// benchCommit is the revision the binary was built from: from the build info
// when Go recorded it, else from git in the working directory (a source
// checkout running `go run`), else "unknown".
func benchCommit() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			return shortRev(rev) + map[bool]string{true: " (modified)", false: ""}[dirty]
		}
	}
	// the checkout the binary was built in (go build -o approvals .), else
	// the working directory's
	var dirs []string
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Dir(exe))
	}
	for _, dir := range append(dirs, ".") {
		out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
		if err != nil {
			continue
		}
		rev := shortRev(strings.TrimSpace(string(out)))
		if st, err := exec.Command("git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
			rev += " (working tree modified)"
		}
		return rev
	}
	return "unknown"
}

func shortRev(rev string) string { return rev[:min(12, len(rev))] }

func benchItoa(n int) string { return benchCount(n) }
