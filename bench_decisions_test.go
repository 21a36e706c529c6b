//go:build bench

package main

import "testing"

// Every decision of a bulk run is applied, reported once to the progress
// callback, and costs exactly one PATCH, whatever the concurrency. (The
// speed-up is timed by the bench command and BenchmarkDecideMany.)
func TestBenchBulkDecisionsReportEveryOutcome(t *testing.T) {
	for _, conc := range []int{0, 1} {
		d, err := MeasureDecisions(t.Context(), 20, conc, 0)
		if err != nil {
			t.Fatal(err)
		}
		if d.Applied != 20 || d.Reported != 20 || d.Requests != 20 {
			t.Errorf("concurrency %d: %+v, want 20 applied, reported and sent", conc, d)
		}
	}
}
