//go:build bench

package main

import (
	"os"
	"testing"
)

// The list row's machinery, with the real program (the test binary
// running main()) at a size quick under -race: both outputs list every
// approval, and each run's peak memory is read. The ratio itself is the
// command's figure, not asserted here.
func TestBenchListPeakMemoryOfBothOutputs(t *testing.T) {
	l, err := MeasureList(t.Context(), os.Args[0], asApprovals, 60, 1)
	if err != nil {
		t.Fatal(err)
	}
	if l.Listed < 60 || l.TextPeak <= 0 || l.JSONPeak <= 0 || l.JSONBytes <= l.TextBytes || l.TextBytes <= 0 {
		t.Fatalf("%+v", l)
	}
}
