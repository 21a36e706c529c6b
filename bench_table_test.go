//go:build bench

package main

import (
	"strings"
	"testing"
	"time"
)

func TestBenchWriteTableEscapesAndAligns(t *testing.T) {
	var b strings.Builder
	if err := writeBenchTable(&b, []benchRow{{"m", "a|b", "1", "2", "3", "4", "yes"}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || lines[1] != "|---|---|---|---|---|---|---|" || lines[2] != `| m | a\|b | 1 | 2 | 3 | 4 | yes |` {
		t.Fatalf("table:\n%s", b.String())
	}
}

func TestBenchFormats(t *testing.T) {
	for got, want := range map[string]string{
		benchDur(850 * time.Nanosecond): "850 ns", benchDur(1500 * time.Nanosecond): "1.50 µs", benchDur(238 * time.Microsecond): "238 µs",
		benchDur(61900 * time.Microsecond): "61.9 ms", benchDur(10100 * time.Millisecond): "10.1 s",
		benchCount(5051): "5,051", benchCount(100): "100", benchCount(1234567): "1,234,567",
		benchRatio(52, 5): "10.4×", benchRatio(1, 0): "—", benchMB(73_700_000): "73.7 MB", benchPlural(1, "decision"): "1 decision",
		benchPlural(100, "decision"): "100 decisions",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestBenchHeaderSaysWhereAndWhen(t *testing.T) {
	h := benchHeader(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	for _, part := range []string{"machine: ", " cores", "go1.", "2026-03-10 09:00 UTC", "commit "} {
		if !strings.Contains(h, part) {
			t.Errorf("header %q lacks %q", h, part)
		}
	}
}
