//go:build bench

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"approvals/graph"
	"approvals/ui"
)

// benchOptions configure a bench run.
type benchOptions struct {
	// Binary is the built approvals binary, for startup and memory; empty
	// skips those rows (say so with SkipReason).
	Binary string
	// StartupRuns is how many times the binary is started (median).
	StartupRuns int
	// RenderTime is how long each rendering figure is timed.
	RenderTime time.Duration
	// Progress gets one line per measurement as it starts (nil: quiet).
	Progress io.Writer
}

// defaultBenchOptions are the command's (the binary is built when the
// command runs).
func defaultBenchOptions() benchOptions {
	return benchOptions{StartupRuns: 9, RenderTime: 300 * time.Millisecond}
}

// buildShippedBinary builds the approvals binary as it ships (no bench
// tag) from the module in the working directory, into a temporary folder
// that cleanup removes.
func buildShippedBinary(ctx context.Context, progress io.Writer) (bin string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "approvals-bench-bin-")
	if err != nil {
		return "", nil, err
	}
	bin = filepath.Join(dir, "approvals")
	if progress != nil {
		fmt.Fprintln(progress, "bench: building the shipped binary (go build -o "+bin+" .)…")
	}
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, fmt.Errorf("building the binary to measure (run from the checkout, or give --binary): %w\n%s", err, out)
	}
	return bin, func() { _ = os.RemoveAll(dir) }, nil
}

// runBench takes every measurement and writes the header line and the table
// to out. A measurement that fails stops the run with its error.
func runBench(ctx context.Context, opts benchOptions, out io.Writer) error {
	if opts.StartupRuns <= 0 {
		opts.StartupRuns = 1
	}
	if opts.RenderTime <= 0 {
		opts.RenderTime = 100 * time.Millisecond
	}
	say := func(format string, args ...any) {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "bench: "+format+"\n", args...)
		}
	}
	started := time.Now()
	var rows []benchRow
	steps := []struct {
		name string
		run  func() ([]benchRow, error)
	}{
		{"requests per refresh (N = 50, 500, 5000)", func() ([]benchRow, error) { return requestRows(ctx) }},
		{"bulk decisions at 100 ms per round trip (1, 20, 100)", func() ([]benchRow, error) { return decisionRows(ctx) }},
		{"rendering (100, 1,000, 10,000 approvals)", func() ([]benchRow, error) { return renderRows(ctx, opts.RenderTime) }},
		{"bytes on the wire (120×40, xterm-256color, 256 colours)", func() ([]benchRow, error) { return wireRows(ctx) }},
		{"memory and startup of " + opts.Binary, func() ([]benchRow, error) { return processRows(ctx, opts.Binary, opts.StartupRuns) }},
		{"list --json against text list (N=20,000, separate processes)", func() ([]benchRow, error) { return listRows(ctx, opts.Binary) }},
		{"approvals serve over SSH (20 idle sessions, cursor moves)", func() ([]benchRow, error) { return serveRows(ctx, opts.Binary) }},
	}
	for _, s := range steps {
		say("%s…", s.name)
		r, err := s.run()
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		rows = append(rows, r...)
	}
	say("done in %s", time.Since(started).Round(time.Second))
	if _, err := fmt.Fprintln(out, benchHeader(time.Now())+"\n"); err != nil {
		return err
	}
	return writeBenchTable(out, rows)
}

func requestRows(ctx context.Context) ([]benchRow, error) {
	var rows []benchRow
	for _, n := range []int{50, 500, 5000} {
		r, err := MeasureRefresh(ctx, 42, n, true)
		if err != nil {
			return nil, err
		}
		// Counts only: on loopback the simulator's own work dominates the
		// time, which would flatter the naive way (it is the round trips,
		// ~100 ms each to Graph, that the counts save).
		pages := benchPages(r.EM, r.Groups)
		c := fmt.Sprintf("N=%s (%d pages)", benchCount(r.N), pages)
		naive := fmt.Sprintf("naive: %s req", benchCount(r.Naive.Requests))
		rows = append(rows,
			benchRow{"Requests: cold refresh", c, fmt.Sprintf("%s req (%d $batch)", benchCount(r.Cold.Requests), r.Cold.Batches), naive,
				benchRatio(float64(r.Naive.Requests), float64(r.Cold.Requests)) + " fewer",
				fmt.Sprintf("pages + ⌈N/20⌉ per source = %s", benchCount(r.WantCold())), benchMet(r.Cold.Requests == r.WantCold())},
			benchRow{"Requests: steady poll, no change", c, fmt.Sprintf("%s req", benchCount(r.Steady.Requests)), naive,
				benchRatio(float64(r.Naive.Requests), float64(r.Steady.Requests)) + " fewer",
				fmt.Sprintf("pages = %d", r.WantSteady()), benchMet(r.Steady.Requests == r.WantSteady() && r.Steady.Batches == 0)},
			benchRow{"Requests: poll after 1 arrival", c, fmt.Sprintf("%s req (%d $batch)", benchCount(r.Arrival.Requests), r.Arrival.Batches),
				fmt.Sprintf("naive: %s req", benchCount(r.Arrival.Pages+r.ArrivalN())),
				benchRatio(float64(r.Arrival.Pages+r.ArrivalN()), float64(r.Arrival.Requests)) + " fewer",
				fmt.Sprintf("pages + 1 = %d", r.WantArrival()), benchMet(r.Arrival.Requests == r.WantArrival() && r.Arrival.Batches == 1)})
	}
	return rows, nil
}

func decisionRows(ctx context.Context) ([]benchRow, error) {
	var rows []benchRow
	for _, n := range []int{1, 20, 100} {
		ours, err := MeasureDecisions(ctx, n, 0, benchLatency)
		if err != nil {
			return nil, err
		}
		one, err := MeasureDecisions(ctx, n, 1, benchLatency)
		if err != nil {
			return nil, err
		}
		goal, ok := "every outcome reported", ours.Reported == n && ours.Applied == n
		x := float64(one.Time) / float64(ours.Time)
		if n == 100 {
			goal, ok = "≥ 10× faster, every outcome reported", ok && x >= 10
		}
		rows = append(rows, benchRow{"Bulk decisions, 100 ms round trip", benchPlural(n, "decision"),
			fmt.Sprintf("%s, %d req, %d/%d reported", benchDur(ours.Time), ours.Requests, ours.Reported, n),
			fmt.Sprintf("one PATCH at a time: %s, %d req", benchDur(one.Time), one.Requests),
			benchSig(x) + "× faster", goal, benchMet(ok)})
	}
	return rows, nil
}

// benchRenderGoal judges the N=10,000 figure t against the N=100 one.
type benchRenderGoal func(t, base benchTiming) (goal string, ok bool)

func renderRows(ctx context.Context, minTime time.Duration) ([]benchRow, error) {
	sizes := []int{100, 1000, 10000}
	snaps := map[int]*graph.Snapshot{}
	for _, n := range sizes {
		s, err := benchSnapshot(ctx, 5, n)
		if err != nil {
			return nil, err
		}
		snaps[n] = s
	}
	var rows []benchRow
	timed := func(what string, w, h int, op func(m *ui.Model, w, h int) func(), goal benchRenderGoal) {
		var base benchTiming
		for _, n := range sizes {
			t := benchMeasure1(snaps[n], w, h, op, minTime)
			r := benchRow{what, fmt.Sprintf("%d×%d, N=%s", w, h, benchCount(n)),
				fmt.Sprintf("%s, %.0f allocs, %s", benchDur(t.PerOp), t.Allocs, benchKB(t.Bytes)), "—", "—", "—", "—"}
			if n == sizes[0] {
				base = t
			} else {
				r.Baseline = "N=100: " + benchDur(base.PerOp)
				r.Ratio = benchRatio(float64(t.PerOp), float64(base.PerOp))
			}
			if goal != nil && n == 10000 {
				g, ok := goal(t, base)
				r.Goal, r.Met = g, benchMet(ok)
			}
			rows = append(rows, r)
		}
	}
	// "well under 1 ms": under half of it
	frame := func(t, _ benchTiming) (string, bool) {
		return "well under 1 ms (< 500 µs)", t.PerOp < 500*time.Microsecond
	}
	flat := func(t, base benchTiming) (string, bool) {
		return "≈ N=100 (< 2×)", t.PerOp < 2*base.PerOp
	}
	for _, sz := range [][2]int{{120, 40}, {200, 50}} {
		timed("Frame after a cursor move (Update + View)", sz[0], sz[1], benchSized(CursorFrame), frame)
		timed("Frame with every row redrawn (resize by 1 column + View)", sz[0], sz[1], ResizeFrame, frame)
	}
	timed("Cursor move (Update only)", 120, 40, benchSized(CursorUpdate), flat)
	timed("Filter keystroke (Update + View)", 120, 40, benchSized(FilterKeystroke),
		func(t, _ benchTiming) (string, bool) {
			return "< 16 ms (one 60 fps frame)", t.PerOp < 16*time.Millisecond
		})
	return rows, nil
}

// benchMeasure1 loads snap into a fresh w×h inbox and times op on it.
func benchMeasure1(snap *graph.Snapshot, w, h int, op func(m *ui.Model, w, h int) func(), minTime time.Duration) benchTiming {
	return benchMeasure(op(benchInbox(snap, w, h), w, h), minTime)
}

// benchSized adapts an operation that does not depend on the size.
func benchSized(op func(*ui.Model) func()) func(m *ui.Model, w, h int) func() {
	return func(m *ui.Model, _, _ int) func() { return op(m) }
}

func benchKB(b float64) string { return benchSig(b/1024) + " KiB" }

func wireRows(ctx context.Context) ([]benchRow, error) {
	b, err := MeasureWire(ctx, WireWidth, 1000, 20*time.Millisecond)
	if err != nil {
		return nil, err
	}
	narrow, err := MeasureWire(ctx, NarrowWidth, 1000, -1)
	if err != nil {
		return nil, err
	}
	full := fmt.Sprintf("full repaint %s B", benchCount(b.Repaint))
	row := func(what string, n int, goal string, ok bool) benchRow {
		return benchRow{"Bytes on the wire", what, benchCount(n) + " B", full, benchRatio(float64(n), float64(b.Repaint)), goal, benchMet(ok)}
	}
	c := fmt.Sprintf("120×40, N=%s: ", benchCount(b.N))
	rows := []benchRow{
		row(c+"first frame (loading)", b.FirstFrame, "≤ "+benchCount(FirstFrameBudget)+" B", b.FirstFrame <= FirstFrameBudget),
		row(c+"first frame + inbox loaded", b.FirstFrame+b.Loaded, "≤ "+benchCount(FirstScreenBudget)+" B", b.FirstFrame+b.Loaded <= FirstScreenBudget),
		row(c+"cursor move (list + detail pane)", b.CursorMove, "< 500 B", b.CursorMove < CursorMoveBudget),
		row(fmt.Sprintf("%d×40, N=%s: cursor move (list only)", narrow.Width, benchCount(narrow.N)), narrow.CursorMove, "< 500 B", narrow.CursorMove < CursorMoveBudget),
		row(fmt.Sprintf("%s%d polls with identical data", c, b.IdlePolls), b.IdleBytes, "0 B", b.IdleBytes == 0),
		row(c+"approve form opens", b.FormOpen, "—", true),
		row(c+"one character typed in the justification", b.TypedChar, "≤ "+benchCount(TypedCharBudget)+" B", b.TypedChar <= TypedCharBudget),
	}
	rows[5].Met = "—"
	return rows, nil
}

// Byte budgets (asserted by the tests as well).
const (
	FirstFrameBudget  = 4096  // start-up sequences and the "Loading…" screen
	FirstScreenBudget = 12000 // ... plus the loaded inbox (a 120×40 screen is 4,800 cells)
	CursorMoveBudget  = 500
	TypedCharBudget   = 64
)

func processRows(ctx context.Context, bin string, runs int) ([]benchRow, error) {
	if bin == "" {
		return nil, errors.New("no binary to measure")
	}
	notMeasured := func(benchMeasure string, err error) benchRow {
		return benchRow{benchMeasure, "—", "not measured: " + err.Error(), "—", "—", "—", "—"}
	}
	var rows []benchRow
	big, err := MeasureMemory(ctx, bin, nil, 10000)
	var small benchMemory
	if err == nil {
		small, err = MeasureMemory(ctx, bin, nil, 100)
	}
	if err != nil {
		rows = append(rows, notMeasured("Memory (inbox binary, RSS)", err))
	} else {
		rows = append(rows, benchRow{"Memory (inbox binary, RSS)", "10,000 approvals loaded",
			fmt.Sprintf("%s (peak %s), on screen after %s", benchMB(big.RSS), benchMB(big.Peak), benchDur(big.LoadedTime)),
			fmt.Sprintf("100 approvals: %s (peak %s)", benchMB(small.RSS), benchMB(small.Peak)), benchRatio(float64(big.RSS), float64(small.RSS)),
			"< 100 MB", benchMet(big.RSS < 100e6 && big.Peak < 100e6)})
	}

	if p, err := MeasurePolls(ctx, bin, nil, 10000, 20); err != nil {
		rows = append(rows, notMeasured("Unchanged polls (inbox binary)", err))
	} else {
		rows = append(rows,
			benchRow{"Unchanged poll, CPU (inbox binary)", fmt.Sprintf("10,000 approvals, mean of %d polls", p.Polls), benchDur(p.CPUPerPoll),
				"issue #12: 1.2–1.3 s", "—", "≤ 300 ms", benchMet(p.CPUPerPoll <= 300*time.Millisecond)},
			benchRow{"Memory after polls (inbox binary, RSS)", fmt.Sprintf("10,000 approvals, after %d polls", p.Polls),
				fmt.Sprintf("%s (peak %s)", benchMB(p.RSS), benchMB(p.Peak)), "issue #12: 104–123 MB", "—", "< 100 MB", benchMet(p.RSS < 100e6)})
	}

	var firsts, loads, bare []time.Duration
	for range runs {
		s, err := MeasureStartup(ctx, bin, nil)
		if err != nil {
			return append(rows, notMeasured("Startup to first frame (demo, pty)", err)), nil
		}
		firsts, loads = append(firsts, s.FirstFrame), append(loads, s.Loaded)
		start := time.Now()
		if err := exec.CommandContext(ctx, bin, "--version").Run(); err != nil {
			return nil, fmt.Errorf("%s --version: %w", bin, err)
		}
		bare = append(bare, time.Since(start))
	}
	first, loaded, version := benchMedian(firsts), benchMedian(loads), benchMedian(bare)
	return append(rows,
		benchRow{"Startup to first frame (demo, pty)", fmt.Sprintf("median of %d", runs), benchDur(first),
			fmt.Sprintf("`approvals --version` exits: %s", benchDur(version)), benchRatio(float64(first), float64(version)), "< 200 ms", benchMet(first < 200*time.Millisecond)},
		benchRow{"Startup to loaded inbox (demo, pty)", fmt.Sprintf("median of %d", runs), benchDur(loaded), "—", "—", "—", "—"},
	), nil
}

// ListJSONPeakBudget is list --json's peak RSS over the text list's.
const ListJSONPeakBudget = 1.3

func listRows(ctx context.Context, bin string) ([]benchRow, error) {
	if bin == "" {
		return nil, errors.New("no binary to measure")
	}
	l, err := MeasureList(ctx, bin, nil, 20000, 3)
	if err != nil {
		return []benchRow{{"`list --json` peak RSS (process)", "—", "not measured: " + err.Error(), "—", "—", "—", "—"}}, nil
	}
	x := float64(l.JSONPeak) / float64(l.TextPeak)
	return []benchRow{{"`list --json` peak RSS (process)", fmt.Sprintf("%s approvals listed, median of %d runs", benchCount(l.Listed), l.Runs),
		fmt.Sprintf("%s (%s of JSON in %s)", benchMB(l.JSONPeak), benchMB(l.JSONBytes), benchDur(l.JSONTime)),
		fmt.Sprintf("text `list`: %s (%s of text in %s)", benchMB(l.TextPeak), benchMB(l.TextBytes), benchDur(l.TextTime)),
		benchSig(x) + "×", fmt.Sprintf("≤ %.1f× text", ListJSONPeakBudget), benchMet(x <= ListJSONPeakBudget)}}, nil
}

// Budgets of approvals serve.
const (
	ServeSessionBudget = 4e6 // RSS per idle session
)

func serveRows(ctx context.Context, bin string) ([]benchRow, error) {
	if bin == "" {
		return nil, errors.New("no binary to measure")
	}
	s, err := MeasureServe(ctx, bin, 20, 5)
	if err != nil {
		return []benchRow{{"approvals serve", "—", "not measured: " + err.Error(), "—", "—", "—", "—"}}, nil
	}
	per := s.PerSession()
	return []benchRow{
		{"Memory per idle SSH session (serve --demo, RSS)", fmt.Sprintf("%d sessions, inbox loaded, 120×40", s.Sessions),
			benchMB(per) + " per session", fmt.Sprintf("server with 1 session: %s; with %d more: %s", benchMB(s.RSSOne), s.Sessions, benchMB(s.RSSMany)),
			"—", "< 4 MB per session", benchMet(per < ServeSessionBudget)},
		{"Bytes on the wire over SSH", fmt.Sprintf("120×40: cursor move (list + detail pane), mean of %d", s.Moves),
			fmt.Sprintf("%s B on the TCP connection", benchCount(s.MoveWire)), fmt.Sprintf("terminal output: %s B", benchCount(s.MovePayload)),
			benchRatio(float64(s.MoveWire), float64(s.MovePayload)), "≤ 2 KiB", benchMet(s.MoveWire <= 2048)},
		{"Bytes on the wire over SSH", fmt.Sprintf("100×40: cursor move (list only), mean of %d", s.Moves),
			fmt.Sprintf("%s B on the TCP connection", benchCount(s.MoveWireNar)), fmt.Sprintf("terminal output: %s B", benchCount(s.MovePayloadNar)),
			benchRatio(float64(s.MoveWireNar), float64(s.MovePayloadNar)), "< 500 B", benchMet(s.MoveWireNar < 500)},
	}, nil
}

func benchPlural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return benchCount(n) + " " + what + "s"
}
