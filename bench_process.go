//go:build bench

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// The built binary (design §7): time from process start to the first frame
// in demo mode, and memory with 10,000 approvals loaded. Each run is the
// real program in a 120×40 pseudo-terminal whose output goes through a
// terminal emulator, which also answers the program's queries as a
// terminal would.

// benchStartup is the time from starting `approvals demo` to what it shows.
type benchStartup struct {
	FirstFrame time.Duration // the title bar is on screen
	Loaded     time.Duration // the inbox shows what is waiting
}

// benchMemory is the inbox process's memory once its first full load is on
// screen.
type benchMemory struct {
	N          int   // approvals waiting in the tenant
	RSS, Peak  int64 // VmRSS and VmHWM, bytes
	LoadedTime time.Duration
}

// waitingRE is the title bar once data is loaded: "approvals · 40 waiting".
var waitingRE = regexp.MustCompile(`(\d+) waiting`)

// MeasureStartup runs `bin demo` once and times its first frame and its
// loaded inbox.
func MeasureStartup(ctx context.Context, bin string, env []string) (benchStartup, error) {
	var out benchStartup
	run, err := startInPTY(ctx, bin, env, "demo")
	if err != nil {
		return out, err
	}
	defer run.stop()
	first, err := run.waitFor(ctx, 10*time.Second, "the first frame", func(screen string) bool {
		return strings.HasPrefix(screen, "approvals")
	})
	if err != nil {
		return out, err
	}
	loaded, err := run.waitFor(ctx, 10*time.Second, "the loaded inbox", func(screen string) bool {
		return waitingRE.MatchString(benchFirstLine(screen))
	})
	if err != nil {
		return out, err
	}
	return benchStartup{FirstFrame: first, Loaded: loaded}, nil
}

// MeasureMemory serves a tenant with n approvals waiting from this process
// (so the simulator's memory is not counted), runs the inbox binary
// against it with a static token, and reads the inbox's memory once all n
// are on screen.
func MeasureMemory(ctx context.Context, bin string, env []string, n int) (benchMemory, error) {
	out := benchMemory{N: n}
	t, run, loaded, err := startLoadedInbox(ctx, bin, env, n)
	if err != nil {
		return out, err
	}
	defer t.Close()
	defer run.stop()
	out.LoadedTime = loaded
	out.RSS, out.Peak, err = procMemory(run.cmd.Process.Pid)
	return out, err
}

// startLoadedInbox serves a tenant with n approvals waiting from this
// process (so the simulator's memory and CPU are not counted), runs the
// inbox binary against it with a static token, and returns once all n are
// on screen, with the time that took. The caller closes both.
func startLoadedInbox(ctx context.Context, bin string, env []string, n int) (*benchTenant, *ptyRun, time.Duration, error) {
	t, err := newBenchTenant(11, n)
	if err != nil {
		return nil, nil, 0, err
	}
	run, err := startInPTY(ctx, bin, append([]string{"APPROVALS_TOKEN=" + t.Demo}, env...), "--graph-url", t.URL, "--auth", "token")
	if err != nil {
		t.Close()
		return nil, nil, 0, err
	}
	want := strconv.Itoa(n) + " waiting"
	loaded, err := run.waitFor(ctx, 60*time.Second, "all "+want, func(screen string) bool {
		return strings.Contains(benchFirstLine(screen), want)
	})
	if err != nil {
		run.stop()
		t.Close()
		return nil, nil, 0, err
	}
	return t, run, loaded, nil
}

// procMemory reads VmRSS and VmHWM of a process (Linux).
func procMemory(pid int) (rss, peak int64, err error) {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, 0, fmt.Errorf("reading memory (Linux /proc only): %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || key != "VmRSS" && key != "VmHWM" {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %q: %w", key, val, err)
		}
		if key == "VmRSS" {
			rss = kb * 1024
		} else {
			peak = kb * 1024
		}
	}
	if rss == 0 {
		return 0, 0, errors.New("no VmRSS in /proc status")
	}
	return rss, peak, sc.Err()
}

// ptyRun is the binary running in a pseudo-terminal, its output read
// through a terminal emulator.
type ptyRun struct {
	cmd   *exec.Cmd
	tty   *os.File
	start time.Time
	home  string

	// mu guards the emulator (not safe for concurrent use) together with
	// when its latest output arrived, so that a screen and the time of the
	// output that drew it are always read as one: reading them apart
	// could pair a screen with an earlier chunk's time.
	mu      sync.Mutex
	emu     *vt.Emulator
	changed chan struct{} // closed and replaced on each output chunk
	lastAt  time.Duration // when the latest chunk arrived, since start

	exited  chan struct{}
	waitErr error // set before exited is closed
}

// startInPTY starts bin with args in a fresh 120×40 pseudo-terminal, a
// throwaway HOME (no config, journal or sign-in of the user's), TERM
// xterm-256color and the extra environment.
func startInPTY(ctx context.Context, bin string, env []string, args ...string) (*ptyRun, error) {
	home, err := os.MkdirTemp("", "approvals-bench-")
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append([]string{"TERM=xterm-256color", "HOME=" + home, "PATH=" + os.Getenv("PATH"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(home, "cache")}, env...)
	r := &ptyRun{cmd: cmd, home: home, changed: make(chan struct{}), exited: make(chan struct{})}
	r.start = time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: WireHeight, Cols: WireWidth})
	if err != nil {
		_ = os.RemoveAll(home)
		return nil, fmt.Errorf("starting %s in a pseudo-terminal: %w", bin, err)
	}
	r.tty = tty
	// The emulator's answers to the program's queries go back to it, as a
	// terminal's would (the pty itself maps newlines).
	r.emu = vt.NewEmulator(WireWidth, WireHeight)
	go func() { _, _ = io.Copy(tty, r.emu) }()
	go r.read()
	go func() { r.waitErr = cmd.Wait(); close(r.exited) }()
	return r, nil
}

// read feeds the program's output to the emulator and signals each chunk.
func (r *ptyRun) read() {
	buf := make([]byte, 64*1024)
	for {
		n, err := r.tty.Read(buf)
		if n > 0 {
			at := time.Since(r.start)
			r.mu.Lock()
			_, _ = r.emu.Write(buf[:n])
			r.lastAt = at
			close(r.changed)
			r.changed = make(chan struct{})
			r.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// waitFor waits until cond holds for the screen and returns when (since
// the process started) the output that made it hold arrived.
func (r *ptyRun) waitFor(ctx context.Context, timeout time.Duration, what string, cond func(screen string) bool) (time.Duration, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		screen, changed, at := r.emu.String(), r.changed, r.lastAt
		r.mu.Unlock()
		if cond(screen) {
			return at, nil
		}
		select {
		case <-changed:
		case <-r.exited:
			return 0, fmt.Errorf("waiting for %s: the program exited (%v):\n%s", what, r.waitErr, r.screen())
		case <-deadline.C:
			return 0, fmt.Errorf("waiting for %s: not on screen after %s:\n%s", what, timeout, r.screen())
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// stop kills the program (it holds no state worth a clean exit) and
// removes its HOME.
func (r *ptyRun) stop() {
	_ = r.cmd.Process.Kill()
	<-r.exited
	_ = r.tty.Close()
	if pw, ok := r.emu.InputPipe().(*io.PipeWriter); ok {
		_ = pw.Close() // ends the answer copier (Emulator.Close races a pending read)
	}
	_ = os.RemoveAll(r.home)
}

// screen is the emulator's text, one line per row.
func (r *ptyRun) screen() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.emu.String()
}

func benchFirstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// benchMedian of durations (which it sorts).
func benchMedian(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}
