package graph_test

// The fault suite: every fault class the simulator can inject, against one
// decision, bulk decisions of 20 and 100, and polling. It checks that every
// decision ends in exactly one reported outcome that matches the
// simulator's final state, that no stage is decided twice, that the
// journal keeps every justification, that what failed can be retried, and
// that polling recovers when the faults stop. It prints what happened as
// the markdown tables of the README's "Reliability" section:
//
//	go test ./graph -run TestFaultSuite -v                 (tables on stdout)
//	go test ./graph -run TestFaultSuite -faulttable FILE   (tables into FILE)

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"approvals/graph"
	"approvals/graph/journal"
	"approvals/graph/sim"
)

var faultTable = flag.String("faulttable", "", "write the fault suite's markdown tables to this file")

// suiteSizes are the decision scenarios: one, and bulk of 20 and 100.
var suiteSizes = []int{1, 20, 100}

func TestFaultSuite(t *testing.T) { runFaultSuite(t, v1Suite) }

// runFaultSuite runs every fault case against a variant: one decision, bulk
// decisions of 20 and 100, and polling. Once all pass it prints the
// variant's tables (with -v) and adds them to the -faulttable file.
func runFaultSuite(t *testing.T, v suiteVariant) {
	cases := faultCases()
	decRows := make([][]string, len(cases)*len(suiteSizes))
	pollRows := make([][]string, len(cases))
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for j, n := range suiteSizes {
				t.Run(fmt.Sprintf("decide %d", n), func(t *testing.T) {
					decRows[i*len(suiteSizes)+j] = runDecisions(t, v, c, n)
				})
			}
			t.Run("poll", func(t *testing.T) { pollRows[i] = runPolling(t, v, c) })
		})
	}
	t.Cleanup(func() {
		if t.Failed() {
			return
		}
		table := suiteTables(v, cases, decRows, pollRows)
		if testing.Verbose() {
			fmt.Println(table)
		}
		if *faultTable != "" {
			if err := suiteOutput.add(*faultTable, v, table); err != nil {
				t.Error(err)
			}
		}
	})
}

// suiteOutput is the -faulttable file: the tables of every variant run so
// far, in the order of suiteVariants (the README's), whatever order the
// tests ran in.
var suiteOutput = suiteFile{tables: map[int]string{}}

// suiteVariants are the variants with tables, in the README's order.
var suiteVariants = []*suiteVariant{&v1Suite, &roleSuite, &azureSuite}

type suiteFile struct {
	mu     sync.Mutex
	tables map[int]string // by index in suiteVariants
}

func (f *suiteFile) add(path string, v suiteVariant, table string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := slices.IndexFunc(suiteVariants, func(s *suiteVariant) bool { return s.title == v.title })
	f.tables[i] = table
	var parts []string
	for j := range suiteVariants {
		if t, ok := f.tables[j]; ok {
			parts = append(parts, t)
		}
	}
	return os.WriteFile(path, []byte(strings.Join(parts, "\n")), 0o644)
}

// suiteRequests are the first n decisions, in the order the inbox lists
// the suite tenant (by creation): approve and deny alternate, and every
// justification is different, so the journal check can tell them apart.
func suiteRequests(n int) []graph.DecisionRequest {
	var out []graph.DecisionRequest
	em, grp := 0, 0
	for i := range suiteWaiting {
		var r graph.DecisionRequest
		if i%3 == 2 && grp < suiteGroups || em == suiteEM {
			id := fmt.Sprintf("grp-%03d", grp)
			grp++
			r = graph.DecisionRequest{Ref: graph.Ref{Source: graph.SourceGroup, ID: id}, StageID: id}
		} else {
			id := fmt.Sprintf("em-%03d", em)
			em++
			r = graph.DecisionRequest{Ref: graph.Ref{Source: graph.SourceAccessPackage, ID: id}, StageID: id + "-s1"}
		}
		r.Decision = []graph.Decision{graph.Approve, graph.Deny}[i%2]
		r.Justification = fmt.Sprintf("checked #%d: ticket ✓ 审批 — ok", i)
		out = append(out, r)
	}
	return out[:n]
}

// decisionRun is what one decision scenario observed.
type decisionRun struct {
	counts         map[graph.Outcome]int
	sent, throttle int // PATCHes on the wire, and of those answered 429
	maxApplied     int // most PATCHes applied to one stage
	retried        int // outcomes retried once the faults stopped
	after          string
}

func runDecisions(t *testing.T, v suiteVariant, c faultCase, n int) []string {
	e := newSuiteEnv(t, v, c.client)
	ctx := t.Context()
	reqs := v.requests(n)

	// The inbox's last poll, before anything goes wrong.
	snap := refresh(t, e.client)
	if len(snap.Approvals) != suiteWaiting {
		t.Fatalf("the warm-up poll lists %d approvals, want %d", len(snap.Approvals), suiteWaiting)
	}
	for _, r := range reqs {
		if !listedAsMine(snap, r) {
			t.Fatalf("%s stage %s is not listed as waiting for me", r.Ref, r.StageID)
		}
	}
	if !c.noMe {
		if _, err := e.client.Me(ctx); err != nil {
			t.Fatal(err)
		}
	}
	acted := map[string]string{}
	if c.before != nil {
		acted = c.before(e, reqs)
	}
	if c.decide != nil {
		for _, f := range c.decide(reqs) {
			e.addFault(v, f)
		}
	}
	for _, f := range c.poll {
		e.addFault(v, f)
	}

	dctx := ctx
	if c.interrupt > 0 {
		var cancel context.CancelFunc
		dctx, cancel = context.WithTimeout(ctx, c.interrupt)
		defer cancel()
	}
	var mu sync.Mutex
	reported := map[graph.Ref]int{}
	results := e.client.DecideMany(dctx, reqs, func(r graph.DecisionResult) {
		mu.Lock()
		reported[r.Request.Ref]++
		mu.Unlock()
	})
	// The targeted refresh the inbox makes after decisions, still under
	// the faults.
	after, afterErr := e.client.Refresh(ctx)
	e.sim.ClearFaults()

	run := decisionRun{counts: map[graph.Outcome]int{}, after: pollStatus(after, afterErr, e.sim.Waiting(suiteMe))}
	run.sent, run.throttle = e.wire.totals()
	checkOutcomes(t, e, c, reqs, results, reported, acted, &run)
	if run.after == "ok" {
		checkListedAfter(t, after, results)
	}
	checkWant(t, c, n, run.counts)

	retried := retryWhatDidNotLand(t, e, results)
	run.retried = len(retried)
	checkJournal(t, e, reqs, results, retried)
	checkNoCanary(t, e, results)
	return run.row(c, n)
}

// addFault installs f as the variant has it.
func (e *suiteEnv) addFault(v suiteVariant, f sim.Fault) {
	for _, g := range v.fault(f) {
		e.sim.AddFault(g)
	}
}

func listedAsMine(s *graph.Snapshot, r graph.DecisionRequest) bool {
	for _, a := range s.Approvals {
		if a.Ref == r.Ref {
			st, _, ok := a.MyStage()
			return ok && st.ID == r.StageID
		}
	}
	return false
}

// checkOutcomes holds every result against the simulator's final state.
func checkOutcomes(t *testing.T, e *suiteEnv, c faultCase, reqs []graph.DecisionRequest, results []graph.DecisionResult,
	reported map[graph.Ref]int, acted map[string]string, run *decisionRun) {
	t.Helper()
	if len(results) != len(reqs) {
		t.Fatalf("%d results for %d decisions", len(results), len(reqs))
	}
	// The first few problems in full, then a count: a broken scenario's
	// report stays readable.
	problems := 0
	report := func(format string, args ...any) {
		t.Helper()
		if problems++; problems <= 5 {
			t.Errorf(format, args...)
		}
	}
	defer func() {
		if problems > 5 {
			t.Errorf("... and %d more problems like these", problems-5)
		}
	}()
	for i, r := range results {
		q := reqs[i]
		if r.Request != q {
			t.Fatalf("result %d answers %+v, not %+v", i, r.Request, q)
		}
		if reported[q.Ref] != 1 {
			report("%s: reported %d times", q.Ref, reported[q.Ref])
		}
		st, ok := e.sim.StageState(q.Ref.ID, q.StageID)
		if !ok {
			t.Fatalf("%s: the simulator has no stage %s", q.Ref, q.StageID)
		}
		sent, throttled := e.wire.stagePatches(q.StageID)
		if r.Attempts > 2 || sent-throttled > 2 || st.PatchesApplied > 1 {
			report("%s: %d attempts, %d PATCHes on the wire (%d throttled), %d applied: a stage may be decided once and tried twice at most",
				q.Ref, r.Attempts, sent, throttled, st.PatchesApplied)
		}
		run.maxApplied = max(run.maxApplied, st.PatchesApplied)
		key := r.Outcome
		if r.Outcome.Applied() {
			key = outcomeApplied
		}
		run.counts[key]++
		if why := mismatch(r, q, st, acted[q.Ref.ID], c.interrupt > 0); why != "" {
			report("%s (%s): outcome %s, err %v; simulator stage %+v: %s", q.Ref, q.Decision, r.Outcome, r.Err, st, why)
		}
	}
}

// mismatch says how an outcome disagrees with the simulator's stage, or "".
func mismatch(r graph.DecisionResult, q graph.DecisionRequest, st sim.StageState, acted string, interrupted bool) string {
	ours := st.ReviewedBy == suiteMe && st.ReviewResult == string(readBack(q.Decision)) && st.Justification == q.Justification
	undecided := st.ReviewResult == sim.ResultNotReviewed && st.PatchesApplied == 0
	switch {
	case acted == actCancelled && r.Outcome != graph.OutcomeGone:
		return "the request was cancelled: want gone"
	case acted == actTaken && r.Outcome != graph.OutcomeAlreadyDecided:
		return "another approver decided first: want already-decided"
	}
	switch r.Outcome {
	case graph.OutcomeApproved, graph.OutcomeDenied:
		if r.Outcome != graph.Outcome(strings.ToLower(string(readBack(q.Decision)))) || !ours || r.Err != nil {
			return "reported applied, but the stage does not show our decision by us"
		}
	case graph.OutcomeAlreadyDecided:
		if st.ReviewResult == sim.ResultNotReviewed || st.ReviewedBy == suiteMe || r.DecidedBy.ID != st.ReviewedBy {
			return "reported already decided, but the stage is not someone else's"
		}
	case graph.OutcomeGone:
		if acted != actCancelled || !errors.Is(r.Err, graph.ErrNotFound) {
			return "reported gone, but the request was not cancelled"
		}
	case graph.OutcomeFailed:
		if !undecided || r.Err == nil {
			return "reported failed, but the stage is not undecided (or no reason given)"
		}
	case graph.OutcomeUnknown:
		// Only when the stage could not be read back: then, and only
		// then, the client cannot tell.
		if !errors.Is(r.Err, graph.ErrOutcomeUnknown) || !strings.Contains(r.Err.Error(), "re-reading the stage failed") {
			return "reported unknown although the stage could be read"
		}
		if !ours && !undecided {
			return "reported unknown, but someone else decided the stage"
		}
	case graph.OutcomeCancelled:
		if !interrupted || !undecided {
			return "reported not sent, but nothing was cancelled or the stage was decided"
		}
	default:
		return "an outcome the client does not define"
	}
	return ""
}

func readBack(d graph.Decision) graph.ReviewResult {
	if d == graph.Deny {
		return graph.Denied
	}
	return graph.Approved
}

// checkListedAfter: a refresh that worked no longer lists what was
// decided, and still lists what failed.
func checkListedAfter(t *testing.T, after *graph.Snapshot, results []graph.DecisionResult) {
	t.Helper()
	for _, r := range results {
		listed := listedAsMine(after, r.Request)
		switch {
		case r.Outcome.Applied() || r.Outcome == graph.OutcomeAlreadyDecided || r.Outcome == graph.OutcomeGone:
			if listed {
				t.Errorf("%s is %s but the refresh still lists its stage as mine", r.Request.Ref, r.Outcome)
			}
		case r.Outcome == graph.OutcomeFailed || r.Outcome == graph.OutcomeCancelled:
			if !listed {
				t.Errorf("%s is %s but the refresh lost it", r.Request.Ref, r.Outcome)
			}
		}
	}
}

func checkWant(t *testing.T, c faultCase, n int, got map[graph.Outcome]int) {
	t.Helper()
	want := c.want(n)
	for o, k := range want {
		if k == 0 {
			delete(want, o)
		}
	}
	for o := range got {
		if got[o] != want[o] {
			t.Errorf("outcomes %v, want %s", got, describeWant(want))
			return
		}
	}
	for o := range want {
		if got[o] != want[o] {
			t.Errorf("outcomes %v, want %s", got, describeWant(want))
			return
		}
	}
}

// retryWhatDidNotLand decides again, with the faults gone, what failed,
// was unknown or was never sent: every one must now be ours, and no stage
// may have been decided twice.
func retryWhatDidNotLand(t *testing.T, e *suiteEnv, results []graph.DecisionResult) []graph.DecisionResult {
	t.Helper()
	var again []graph.DecisionRequest
	for _, r := range results {
		switch r.Outcome {
		case graph.OutcomeFailed, graph.OutcomeUnknown, graph.OutcomeCancelled:
			again = append(again, r.Request)
		}
	}
	if len(again) == 0 {
		return nil
	}
	retried := e.client.DecideMany(t.Context(), again, nil)
	for _, r := range retried {
		st, _ := e.sim.StageState(r.Request.Ref.ID, r.Request.StageID)
		if !r.Outcome.Applied() || st.PatchesApplied != 1 || st.ReviewedBy != suiteMe || st.Justification != r.Request.Justification {
			t.Errorf("retrying %s after the faults stopped: %s (%v); stage %+v", r.Request.Ref, r.Outcome, r.Err, st)
		}
	}
	return retried
}

// checkJournal reads the journal back: every decision has exactly one
// entry per try with its outcome and the exact justification typed, and
// none is left without an outcome.
func checkJournal(t *testing.T, e *suiteEnv, reqs []graph.DecisionRequest, results, retried []graph.DecisionResult) {
	t.Helper()
	log, err := journal.Read(e.jpath)
	if err != nil || len(log.Torn) > 0 {
		t.Fatalf("journal: %v, torn lines %v", err, log.Torn)
	}
	byKey := map[string][]journal.Entry{}
	for _, en := range journal.Entries(log.Records) {
		if en.Unresolved() {
			t.Errorf("journal: %s has an attempt without an outcome", en.Ref)
		}
		byKey[en.Ref+" "+en.Stage] = append(byKey[en.Ref+" "+en.Stage], en)
	}
	second := map[graph.Ref]graph.DecisionResult{}
	for _, r := range retried {
		second[r.Request.Ref] = r
	}
	for i, q := range reqs {
		got := byKey[q.Ref.String()+" "+q.StageID]
		want := []graph.DecisionResult{results[i]}
		if r, ok := second[q.Ref]; ok {
			want = append(want, r)
		}
		if len(got) != len(want) {
			t.Errorf("journal: %d entries for %s, want %d", len(got), q.Ref, len(want))
			continue
		}
		for k, en := range got {
			if en.Outcome != string(want[k].Outcome) || en.Justification != q.Justification || en.Decision != string(q.Decision) {
				t.Errorf("journal: %s entry %d is %s %q %q, want %s %q %q", q.Ref, k, en.Outcome, en.Decision, en.Justification,
					want[k].Outcome, q.Decision, q.Justification)
			}
		}
	}
}

// checkNoCanary: the client's token never shows up in its request log,
// in an error, or in the journal.
func checkNoCanary(t *testing.T, e *suiteEnv, results []graph.DecisionResult) {
	t.Helper()
	var texts []string
	for _, r := range results {
		if r.Err != nil {
			texts = append(texts, r.Err.Error(), fmt.Sprintf("%+v", r))
		}
	}
	b, err := os.ReadFile(e.jpath)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"request log": e.log.String(), "errors": strings.Join(texts, "\n"), "journal": string(b)} {
		if strings.Contains(s, suiteCanary) {
			t.Errorf("the token appears in the %s", name)
		}
	}
}

func (r decisionRun) row(c faultCase, n int) []string {
	count := func(o graph.Outcome) string { return fmt.Sprint(r.counts[o]) }
	sent := fmt.Sprint(r.sent)
	if r.throttle > 0 {
		sent += fmt.Sprintf(" (%d × 429)", r.throttle)
	}
	retry := "—"
	if r.retried > 0 {
		retry = fmt.Sprintf("%d → applied", r.retried)
	}
	return []string{c.name, fmt.Sprint(n), count(outcomeApplied), count(graph.OutcomeAlreadyDecided), count(graph.OutcomeGone),
		count(graph.OutcomeFailed), count(graph.OutcomeUnknown), count(graph.OutcomeCancelled), sent, fmt.Sprint(r.maxApplied), retry, r.after}
}

// pollStatus classifies a refresh: error (nothing listed), partial (a
// source, some details or some pages missing) or ok.
func pollStatus(s *graph.Snapshot, err error, waiting int) string {
	switch {
	case err != nil:
		return "error"
	case s == nil:
		return "error (no snapshot)"
	case len(s.Errors) > 0 || len(s.Warnings) > 0 || len(s.Approvals) < waiting:
		return "partial"
	}
	for _, a := range s.Approvals {
		if a.Problem != "" || len(a.Stages) == 0 {
			return "partial"
		}
	}
	return "ok"
}

// runPolling polls twice under the faults (cold, then warm), then once
// after they stop, which must bring everything back.
func runPolling(t *testing.T, v suiteVariant, c faultCase) []string {
	e := newSuiteEnv(t, v, c.client)
	if c.before != nil {
		c.before(e, v.requests(20))
	}
	for _, f := range c.poll {
		e.addFault(v, f)
	}
	waiting := e.sim.Waiting(suiteMe)
	cold, coldErr := e.client.Refresh(t.Context())
	warm, warmErr := e.client.Refresh(t.Context())
	e.sim.ClearFaults()
	rec, recErr := e.client.Refresh(t.Context())
	for i, s := range []*graph.Snapshot{cold, warm, rec} {
		checkSnapshot(t, e, []string{"cold", "warm", "recovery"}[i], s)
	}
	coldStatus := pollStatus(cold, coldErr, waiting)
	if coldStatus != c.wantPoll {
		t.Errorf("first poll under %s: %s (%v; %+v), want %s", c.name, coldStatus, coldErr, snapshotSummary(cold), c.wantPoll)
	}
	if coldErr != nil && (cold == nil || len(cold.Errors) != 2) {
		t.Errorf("a failed refresh must say why for each source: %+v", snapshotSummary(cold))
	}
	if st := pollStatus(rec, recErr, waiting); st != "ok" || len(rec.Approvals) != waiting {
		t.Errorf("after the faults stopped: %s (%v), %d approvals, want ok with %d", st, recErr, len(rec.Approvals), waiting)
	}
	if strings.Contains(e.log.String(), suiteCanary) {
		t.Error("the token appears in the request log")
	}
	return []string{c.name, describePoll(cold, coldErr, waiting), describePoll(warm, warmErr, waiting), describePoll(rec, recErr, waiting),
		fmt.Sprintf("%d / %d / %d", requestsOf(cold), requestsOf(warm), requestsOf(rec))}
}

// checkSnapshot: nothing listed twice, nothing listed that does not wait
// for me.
func checkSnapshot(t *testing.T, e *suiteEnv, which string, s *graph.Snapshot) {
	t.Helper()
	if s == nil {
		t.Errorf("%s: Refresh returned no snapshot", which)
		return
	}
	seen := map[graph.Ref]bool{}
	for _, a := range s.Approvals {
		if seen[a.Ref] {
			t.Errorf("%s: %s listed twice", which, a.Ref)
		}
		seen[a.Ref] = true
		for _, st := range a.Stages {
			if st.Mine() {
				if got, ok := e.sim.StageState(a.ID, st.ID); !ok || got.Status != sim.StatusInProgress {
					t.Errorf("%s: %s stage %s listed as mine, simulator has %+v", which, a.Ref, st.ID, got)
				}
			}
		}
	}
}

func describePoll(s *graph.Snapshot, err error, waiting int) string {
	st := pollStatus(s, err, waiting)
	if s == nil || err != nil {
		return st
	}
	detail := fmt.Sprintf("%d/%d", len(s.Approvals), waiting)
	var missing []string
	for _, e := range s.Errors {
		missing = append(missing, string(e.Source)+" failed")
	}
	problems := 0
	for _, a := range s.Approvals {
		if a.Problem != "" {
			problems++
		}
	}
	if problems > 0 {
		missing = append(missing, fmt.Sprintf("%d without stages", problems))
	}
	if len(s.Warnings) > 0 {
		missing = append(missing, "capped warning")
	}
	if len(missing) > 0 {
		detail += ", " + strings.Join(missing, ", ")
	}
	return st + " (" + detail + ")"
}

func snapshotSummary(s *graph.Snapshot) string {
	if s == nil {
		return "nil"
	}
	return fmt.Sprintf("%d approvals, errors %v, warnings %v", len(s.Approvals), s.Errors, s.Warnings)
}

func requestsOf(s *graph.Snapshot) int {
	if s == nil {
		return 0
	}
	return s.Requests
}

// suiteTables renders both tables as markdown.
// suiteTables are a variant's tables as the README shows them: the fault
// list and the two result tables for the first variant, the result tables
// under the variant's title for the others.
func suiteTables(v suiteVariant, cases []faultCase, dec, poll [][]string) string {
	var b strings.Builder
	if v.title == "" {
		b.WriteString("Faults injected (`graph/faultsuite_cases_test.go`):\n\n| Fault | What the simulator does |\n|---|---|\n")
		for _, c := range cases {
			fmt.Fprintf(&b, "| %s | %s |\n", c.name, c.how)
		}
		b.WriteString("\n")
	} else {
		b.WriteString(v.title + "\n\n")
	}
	b.WriteString("Decisions (single, bulk 20, bulk 100): outcomes as reported, checked against the simulator's final state.\n\n")
	writeTable(&b, []string{"Fault", "n", "applied", "already decided", "gone", "failed", "unknown", "not sent", "PATCHes on the wire",
		"max applied per stage", "retried after", "refresh after"}, dec)
	b.WriteString("\nPolling: two refreshes under the fault (cold, then warm), then one after it stops (approvals listed / waiting).\n\n")
	writeTable(&b, []string{"Fault", "first poll", "second poll", "after the fault stops", "requests"}, poll)
	return b.String()
}

func writeTable(b *strings.Builder, head []string, rows [][]string) {
	b.WriteString("| " + strings.Join(head, " | ") + " |\n|" + strings.Repeat("---|", len(head)) + "\n")
	for _, r := range rows {
		if r == nil {
			continue
		}
		r = slices.Clone(r)
		for i := range r {
			r[i] = strings.ReplaceAll(r[i], "|", "\\|")
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
}
