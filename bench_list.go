//go:build bench

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"
)

// `approvals list` at scale: the peak memory of the text list and of
// list --json (issue #12), each run as its own process against a tenant
// served from this process (so the simulator's memory is not counted).
// Peak is the child's maximum resident set size as the kernel reports it
// when it exits (getrusage), so nothing between samples is missed.
type benchList struct {
	N, Runs            int
	Listed             int   // approvals in each output
	TextPeak, JSONPeak int64 // median of runs, bytes
	TextBytes          int64 // output size
	JSONBytes          int64
	TextTime, JSONTime time.Duration // median of runs
}

// MeasureList runs `bin list` and `bin list --json` runs times each,
// alternating, against a tenant where n approvals wait.
func MeasureList(ctx context.Context, bin string, env []string, n, runs int) (benchList, error) {
	out := benchList{N: n, Runs: runs}
	t, err := newBenchTenant(13, n)
	if err != nil {
		return out, err
	}
	defer t.Close()
	env = append([]string{"APPROVALS_TOKEN=" + t.Demo}, env...)
	var textPeaks, jsonPeaks []int64
	var textTimes, jsonTimes []time.Duration
	for range runs {
		for _, asJSON := range []bool{false, true} {
			r, err := runList(ctx, bin, env, t.URL, asJSON)
			if err != nil {
				return out, err
			}
			if r.items < n || out.Listed != 0 && r.items != out.Listed {
				return out, fmt.Errorf("list (json %v) printed %d approvals, want %d (as the other runs)", asJSON, r.items, max(n, out.Listed))
			}
			out.Listed = r.items
			if asJSON {
				jsonPeaks, jsonTimes, out.JSONBytes = append(jsonPeaks, r.peak), append(jsonTimes, r.took), r.bytes
			} else {
				textPeaks, textTimes, out.TextBytes = append(textPeaks, r.peak), append(textTimes, r.took), r.bytes
			}
		}
	}
	out.TextPeak, out.JSONPeak = benchMedianInt(textPeaks), benchMedianInt(jsonPeaks)
	out.TextTime, out.JSONTime = benchMedian(textTimes), benchMedian(jsonTimes)
	return out, nil
}

type listRun struct {
	peak, bytes int64
	items       int
	took        time.Duration
}

// runList runs `bin list [--json]` once with a throwaway HOME, reading its
// output as a pipe would (counting approvals: a text row each, or each
// object opened in "approvals": [...]), and returns its peak RSS.
func runList(ctx context.Context, bin string, env []string, url string, asJSON bool) (listRun, error) {
	var r listRun
	home, err := os.MkdirTemp("", "approvals-bench-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(home)
	args := []string{"--graph-url", url, "--auth", "token", "list"}
	if asJSON {
		args = append(args, "--json")
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"), "XDG_CACHE_HOME=" + filepath.Join(home, "cache")}, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return r, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	lines := 0
	in := bufio.NewReaderSize(stdout, 64<<10)
	for {
		line, err := in.ReadSlice('\n')
		r.bytes += int64(len(line))
		if err == bufio.ErrBufferFull {
			continue // a long line: the rest follows
		}
		if asJSON && string(line) == "    {\n" || !asJSON && len(line) > 0 {
			lines++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return r, err
		}
	}
	if err := cmd.Wait(); err != nil {
		return r, fmt.Errorf("%s: %w: %s", args, err, stderr.Bytes())
	}
	r.took = time.Since(start)
	r.items = lines
	if !asJSON {
		r.items-- // the header
	}
	r.peak, err = maxRSS(cmd.ProcessState)
	return r, err
}

// maxRSS is an exited process's peak resident set size in bytes.
func maxRSS(ps *os.ProcessState) (int64, error) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru.Maxrss <= 0 {
		return 0, errors.New("no peak memory (getrusage) on this system")
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss, nil // bytes there
	}
	return ru.Maxrss * 1024, nil // kilobytes on Linux and the BSDs
}

func benchMedianInt(v []int64) int64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	return v[len(v)/2]
}
