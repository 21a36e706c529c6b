package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"approvals/graph"
)

// The startup and memory rows start a binary in a pseudo-terminal. Their
// figures are the command's (timing is never a pass/fail here); these
// tests check the machinery with the test binary standing in for
// approvals: started as `demo`, or with --graph-url, it draws a title bar
// the way the inbox does and waits to be killed.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && (os.Args[1] == "demo" || os.Args[1] == "--graph-url") {
		fakeApprovals(os.Args[1:])
		return
	}
	os.Exit(m.Run())
}

// fakeApprovals draws "approvals" and then "approvals · N waiting", N from
// a real refresh when given a Graph URL (and APPROVALS_TOKEN).
func fakeApprovals(args []string) {
	fmt.Print("\x1b[?1049h\x1b[Happrovals")
	n := 3
	if args[0] == "--graph-url" && len(args) > 1 {
		c, err := graph.New(graph.Options{GraphURL: args[1], Credential: graph.StaticToken(os.Getenv("APPROVALS_TOKEN"))})
		if err == nil {
			if s, err := c.Refresh(context.Background()); err == nil {
				n = len(s.Approvals)
			}
		}
	}
	fmt.Print("\x1b[H\x1b[2Kapprovals · " + strconv.Itoa(n) + " waiting")
	time.Sleep(time.Minute)
}

func TestStartupInPseudoTerminal(t *testing.T) {
	s, err := MeasureStartup(t.Context(), os.Args[0])
	if err != nil {
		t.Skipf("no pseudo-terminal here? %v", err)
	}
	if s.FirstFrame <= 0 || s.Loaded < s.FirstFrame {
		t.Fatalf("first frame at %v, loaded at %v", s.FirstFrame, s.Loaded)
	}
}

func TestMemoryOfTheInboxProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("memory is read from /proc (Linux)")
	}
	m, err := MeasureMemory(t.Context(), os.Args[0], 30)
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS <= 0 || m.Peak < m.RSS || m.N != 30 {
		t.Fatalf("%+v", m)
	}
}
