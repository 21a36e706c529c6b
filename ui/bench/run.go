package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"approvals/graph"
	"approvals/ui"
)

// Options configure a bench run.
type Options struct {
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

// DefaultOptions are the command's: the running executable as the binary.
func DefaultOptions() Options {
	bin, _ := os.Executable()
	return Options{Binary: bin, StartupRuns: 9, RenderTime: 300 * time.Millisecond}
}

// Run takes every measurement and writes the header line and the table
// to out. A measurement that fails stops the run with its error.
func Run(ctx context.Context, opts Options, out io.Writer) error {
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
	var rows []Row
	steps := []struct {
		name string
		run  func() ([]Row, error)
	}{
		{"requests per refresh (N = 50, 500, 5000)", func() ([]Row, error) { return requestRows(ctx) }},
		{"bulk decisions at 100 ms per round trip (1, 20, 100)", func() ([]Row, error) { return decisionRows(ctx) }},
		{"rendering (100, 1,000, 10,000 approvals)", func() ([]Row, error) { return renderRows(ctx, opts.RenderTime) }},
		{"bytes on the wire (120×40, xterm-256color, 256 colours)", func() ([]Row, error) { return wireRows(ctx) }},
		{"memory and startup of " + opts.Binary, func() ([]Row, error) { return processRows(ctx, opts.Binary, opts.StartupRuns) }},
		{"approvals serve over SSH (20 idle sessions, cursor moves)", func() ([]Row, error) { return serveRows(ctx, opts.Binary) }},
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
	if _, err := fmt.Fprintln(out, Header(time.Now())+"\n"); err != nil {
		return err
	}
	return WriteTable(out, rows)
}

func requestRows(ctx context.Context) ([]Row, error) {
	var rows []Row
	for _, n := range []int{50, 500, 5000} {
		r, err := MeasureRefresh(ctx, 42, n, true)
		if err != nil {
			return nil, err
		}
		// Counts only: on loopback the simulator's own work dominates the
		// time, which would flatter the naive way (it is the round trips,
		// ~100 ms each to Graph, that the counts save).
		pages := Pages(r.EM, r.Groups)
		c := fmt.Sprintf("N=%s (%d pages)", count(r.N), pages)
		naive := fmt.Sprintf("naive: %s req", count(r.Naive.Requests))
		rows = append(rows,
			Row{"Requests: cold refresh", c, fmt.Sprintf("%s req (%d $batch)", count(r.Cold.Requests), r.Cold.Batches), naive,
				ratio(float64(r.Naive.Requests), float64(r.Cold.Requests)) + " fewer",
				fmt.Sprintf("pages + ⌈N/20⌉ per source = %s", count(r.WantCold())), met(r.Cold.Requests == r.WantCold())},
			Row{"Requests: steady poll, no change", c, fmt.Sprintf("%s req", count(r.Steady.Requests)), naive,
				ratio(float64(r.Naive.Requests), float64(r.Steady.Requests)) + " fewer",
				fmt.Sprintf("pages = %d", r.WantSteady()), met(r.Steady.Requests == r.WantSteady() && r.Steady.Batches == 0)},
			Row{"Requests: poll after 1 arrival", c, fmt.Sprintf("%s req (%d $batch)", count(r.Arrival.Requests), r.Arrival.Batches),
				fmt.Sprintf("naive: %s req", count(r.Arrival.Pages+r.ArrivalN())),
				ratio(float64(r.Arrival.Pages+r.ArrivalN()), float64(r.Arrival.Requests)) + " fewer",
				fmt.Sprintf("pages + 1 = %d", r.WantArrival()), met(r.Arrival.Requests == r.WantArrival() && r.Arrival.Batches == 1)})
	}
	return rows, nil
}

func decisionRows(ctx context.Context) ([]Row, error) {
	var rows []Row
	for _, n := range []int{1, 20, 100} {
		ours, err := MeasureDecisions(ctx, n, 0, Latency)
		if err != nil {
			return nil, err
		}
		one, err := MeasureDecisions(ctx, n, 1, Latency)
		if err != nil {
			return nil, err
		}
		goal, ok := "every outcome reported", ours.Reported == n && ours.Applied == n
		x := float64(one.Time) / float64(ours.Time)
		if n == 100 {
			goal, ok = "≥ 10× faster, every outcome reported", ok && x >= 10
		}
		rows = append(rows, Row{"Bulk decisions, 100 ms round trip", plural(n, "decision"),
			fmt.Sprintf("%s, %d req, %d/%d reported", dur(ours.Time), ours.Requests, ours.Reported, n),
			fmt.Sprintf("one PATCH at a time: %s, %d req", dur(one.Time), one.Requests),
			sig(x) + "× faster", goal, met(ok)})
	}
	return rows, nil
}

// renderGoal judges the N=10,000 figure t against the N=100 one.
type renderGoal func(t, base Timing) (goal string, ok bool)

func renderRows(ctx context.Context, minTime time.Duration) ([]Row, error) {
	sizes := []int{100, 1000, 10000}
	snaps := map[int]*graph.Snapshot{}
	for _, n := range sizes {
		s, err := Snapshot(ctx, 5, n)
		if err != nil {
			return nil, err
		}
		snaps[n] = s
	}
	var rows []Row
	timed := func(measure string, w, h int, op func(m *ui.Model, w, h int) func(), goal renderGoal) {
		var base Timing
		for _, n := range sizes {
			t := measure1(snaps[n], w, h, op, minTime)
			r := Row{measure, fmt.Sprintf("%d×%d, N=%s", w, h, count(n)),
				fmt.Sprintf("%s, %.0f allocs, %s", dur(t.PerOp), t.Allocs, kb(t.Bytes)), "—", "—", "—", "—"}
			if n == sizes[0] {
				base = t
			} else {
				r.Baseline = "N=100: " + dur(base.PerOp)
				r.Ratio = ratio(float64(t.PerOp), float64(base.PerOp))
			}
			if goal != nil && n == 10000 {
				g, ok := goal(t, base)
				r.Goal, r.Met = g, met(ok)
			}
			rows = append(rows, r)
		}
	}
	// "well under 1 ms": under half of it
	frame := func(t, _ Timing) (string, bool) { return "well under 1 ms (< 500 µs)", t.PerOp < 500*time.Microsecond }
	flat := func(t, base Timing) (string, bool) {
		return "≈ N=100 (< 2×)", t.PerOp < 2*base.PerOp
	}
	for _, sz := range [][2]int{{120, 40}, {200, 50}} {
		timed("Frame after a cursor move (Update + View)", sz[0], sz[1], sized(CursorFrame), frame)
		timed("Frame with every row redrawn (resize by 1 column + View)", sz[0], sz[1], ResizeFrame, frame)
	}
	timed("Cursor move (Update only)", 120, 40, sized(CursorUpdate), flat)
	timed("Filter keystroke (Update + View)", 120, 40, sized(FilterKeystroke),
		func(t, _ Timing) (string, bool) { return "< 16 ms (one 60 fps frame)", t.PerOp < 16*time.Millisecond })
	return rows, nil
}

// measure1 loads snap into a fresh w×h inbox and times op on it.
func measure1(snap *graph.Snapshot, w, h int, op func(m *ui.Model, w, h int) func(), minTime time.Duration) Timing {
	return measure(op(NewInbox(snap, w, h), w, h), minTime)
}

// sized adapts an operation that does not depend on the size.
func sized(op func(*ui.Model) func()) func(m *ui.Model, w, h int) func() {
	return func(m *ui.Model, _, _ int) func() { return op(m) }
}

func kb(b float64) string { return sig(b/1024) + " KiB" }

func wireRows(ctx context.Context) ([]Row, error) {
	b, err := MeasureWire(ctx, WireWidth, 1000, 20*time.Millisecond)
	if err != nil {
		return nil, err
	}
	narrow, err := MeasureWire(ctx, NarrowWidth, 1000, -1)
	if err != nil {
		return nil, err
	}
	full := fmt.Sprintf("full repaint %s B", count(b.Repaint))
	row := func(what string, n int, goal string, ok bool) Row {
		return Row{"Bytes on the wire", what, count(n) + " B", full, ratio(float64(n), float64(b.Repaint)), goal, met(ok)}
	}
	c := fmt.Sprintf("120×40, N=%s: ", count(b.N))
	rows := []Row{
		row(c+"first frame (loading)", b.FirstFrame, "≤ "+count(FirstFrameBudget)+" B", b.FirstFrame <= FirstFrameBudget),
		row(c+"first frame + inbox loaded", b.FirstFrame+b.Loaded, "≤ "+count(FirstScreenBudget)+" B", b.FirstFrame+b.Loaded <= FirstScreenBudget),
		row(c+"cursor move (list + detail pane)", b.CursorMove, "< 500 B", b.CursorMove < CursorMoveBudget),
		row(fmt.Sprintf("%d×40, N=%s: cursor move (list only)", narrow.Width, count(narrow.N)), narrow.CursorMove, "< 500 B", narrow.CursorMove < CursorMoveBudget),
		row(fmt.Sprintf("%s%d polls with identical data", c, b.IdlePolls), b.IdleBytes, "0 B", b.IdleBytes == 0),
		row(c+"approve form opens", b.FormOpen, "—", true),
		row(c+"one character typed in the justification", b.TypedChar, "≤ "+count(TypedCharBudget)+" B", b.TypedChar <= TypedCharBudget),
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

func processRows(ctx context.Context, bin string, runs int) ([]Row, error) {
	if bin == "" {
		return nil, errors.New("no binary to measure")
	}
	notMeasured := func(measure string, err error) Row {
		return Row{measure, "—", "not measured: " + err.Error(), "—", "—", "—", "—"}
	}
	var rows []Row
	big, err := MeasureMemory(ctx, bin, 10000)
	var small Memory
	if err == nil {
		small, err = MeasureMemory(ctx, bin, 100)
	}
	if err != nil {
		rows = append(rows, notMeasured("Memory (inbox binary, RSS)", err))
	} else {
		rows = append(rows, Row{"Memory (inbox binary, RSS)", "10,000 approvals loaded",
			fmt.Sprintf("%s (peak %s), on screen after %s", mb(big.RSS), mb(big.Peak), dur(big.LoadedTime)),
			fmt.Sprintf("100 approvals: %s (peak %s)", mb(small.RSS), mb(small.Peak)), ratio(float64(big.RSS), float64(small.RSS)),
			"< 100 MB", met(big.RSS < 100e6 && big.Peak < 100e6)})
	}

	var firsts, loads, bare []time.Duration
	for range runs {
		s, err := MeasureStartup(ctx, bin)
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
	first, loaded, version := median(firsts), median(loads), median(bare)
	return append(rows,
		Row{"Startup to first frame (demo, pty)", fmt.Sprintf("median of %d", runs), dur(first),
			fmt.Sprintf("`approvals --version` exits: %s", dur(version)), ratio(float64(first), float64(version)), "< 200 ms", met(first < 200*time.Millisecond)},
		Row{"Startup to loaded inbox (demo, pty)", fmt.Sprintf("median of %d", runs), dur(loaded), "—", "—", "—", "—"},
	), nil
}

// Budgets of approvals serve.
const (
	ServeSessionBudget = 4e6 // RSS per idle session
)

func serveRows(ctx context.Context, bin string) ([]Row, error) {
	if bin == "" {
		return nil, errors.New("no binary to measure")
	}
	s, err := MeasureServe(ctx, bin, 20, 5)
	if err != nil {
		return []Row{{"approvals serve", "—", "not measured: " + err.Error(), "—", "—", "—", "—"}}, nil
	}
	per := s.PerSession()
	return []Row{
		{"Memory per idle SSH session (serve --demo, RSS)", fmt.Sprintf("%d sessions, inbox loaded, 120×40", s.Sessions),
			mb(per) + " per session", fmt.Sprintf("server with 1 session: %s; with %d more: %s", mb(s.RSSOne), s.Sessions, mb(s.RSSMany)),
			"—", "< 4 MB per session", met(per < ServeSessionBudget)},
		{"Bytes on the wire over SSH", fmt.Sprintf("120×40: cursor move (list + detail pane), mean of %d", s.Moves),
			fmt.Sprintf("%s B on the TCP connection", count(s.MoveWire)), fmt.Sprintf("terminal output: %s B", count(s.MovePayload)),
			ratio(float64(s.MoveWire), float64(s.MovePayload)), "≤ 2 KiB", met(s.MoveWire <= 2048)},
		{"Bytes on the wire over SSH", fmt.Sprintf("100×40: cursor move (list only), mean of %d", s.Moves),
			fmt.Sprintf("%s B on the TCP connection", count(s.MoveWireNar)), fmt.Sprintf("terminal output: %s B", count(s.MovePayloadNar)),
			ratio(float64(s.MoveWireNar), float64(s.MovePayloadNar)), "< 500 B", met(s.MoveWireNar < 500)},
	}, nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return count(n) + " " + what + "s"
}
