//go:build bench

package main

import (
	"os"
	"runtime"
	"testing"
)

// The startup and memory rows start a binary in a pseudo-terminal. Their
// figures are the command's (timing is never a pass/fail here); these
// tests check the machinery with the real program: the test binary
// running main() (see TestMain).
var asApprovals = []string{runAsApprovals + "=1"}

func TestBenchStartupInPseudoTerminal(t *testing.T) {
	s, err := MeasureStartup(t.Context(), os.Args[0], asApprovals)
	if err != nil {
		t.Skipf("no pseudo-terminal here? %v", err)
	}
	if s.FirstFrame <= 0 || s.Loaded < s.FirstFrame {
		t.Fatalf("first frame at %v, loaded at %v", s.FirstFrame, s.Loaded)
	}
}

func TestBenchMemoryOfTheInboxProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("memory is read from /proc (Linux)")
	}
	m, err := MeasureMemory(t.Context(), os.Args[0], asApprovals, 30)
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS <= 0 || m.Peak < m.RSS || m.N != 30 {
		t.Fatalf("%+v", m)
	}
}
