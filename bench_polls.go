//go:build bench

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Polls that find nothing new, as a user's inbox runs them: the inbox
// binary against a tenant served from this process, refreshed with r (the
// same work as a background poll) polls times after all n are on screen.
// CPU is the process's user+system time over those polls (it includes the
// inbox's own idle work, which is close to nothing); memory is read after
// the last poll, not at load.
type benchPolls struct {
	N, Polls   int
	CPUPerPoll time.Duration
	RSS, Peak  int64
}

func MeasurePolls(ctx context.Context, bin string, env []string, n, polls int) (benchPolls, error) {
	out := benchPolls{N: n, Polls: polls}
	t, run, _, err := startLoadedInbox(ctx, bin, env, n)
	if err != nil {
		return out, err
	}
	defer t.Close()
	defer run.stop()
	// One poll first, to learn what a poll sends once everything is cached.
	settle := func() (int64, error) {
		last, since := t.Sim.Stats().Requests, time.Now()
		for time.Since(since) < 300*time.Millisecond {
			if err := benchSleep(ctx, 10*time.Millisecond); err != nil {
				return 0, err
			}
			if r := t.Sim.Stats().Requests; r != last {
				last, since = r, time.Now()
			}
		}
		return last, nil
	}
	poll := func() error { _, err := run.tty.Write([]byte("r")); return err }
	before, err := settle()
	if err != nil {
		return out, err
	}
	if err := poll(); err != nil {
		return out, err
	}
	after, err := settle()
	if err != nil {
		return out, err
	}
	perPoll := after - before
	if perPoll <= 0 {
		return out, fmt.Errorf("r sent no request")
	}
	cpu0, err := procCPU(run.cmd.Process.Pid)
	if err != nil {
		return out, err
	}
	for range polls {
		target := t.Sim.Stats().Requests + perPoll
		if err := poll(); err != nil {
			return out, err
		}
		deadline := time.Now().Add(30 * time.Second)
		for t.Sim.Stats().Requests < target {
			if time.Now().After(deadline) {
				return out, fmt.Errorf("a poll did not finish")
			}
			if err := benchSleep(ctx, 2*time.Millisecond); err != nil {
				return out, err
			}
		}
		if err := benchSleep(ctx, 100*time.Millisecond); err != nil { // the inbox applies the reply
			return out, err
		}
	}
	cpu1, err := procCPU(run.cmd.Process.Pid)
	if err != nil {
		return out, err
	}
	out.CPUPerPoll = (cpu1 - cpu0) / time.Duration(polls)
	out.RSS, out.Peak, err = procMemory(run.cmd.Process.Pid)
	return out, err
}

// procCPU is a process's user + system time so far (Linux, 100 Hz ticks).
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, fmt.Errorf("reading CPU time (Linux /proc only): %w", err)
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc stat")
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("unreadable /proc stat")
	}
	return time.Duration(ut+st) * 10 * time.Millisecond, nil
}
