package bench

import (
	"strings"
	"testing"
	"time"
)

func TestWriteTableEscapesAndAligns(t *testing.T) {
	var b strings.Builder
	if err := WriteTable(&b, []Row{{"m", "a|b", "1", "2", "3", "4", "yes"}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || lines[1] != "|---|---|---|---|---|---|---|" || lines[2] != `| m | a\|b | 1 | 2 | 3 | 4 | yes |` {
		t.Fatalf("table:\n%s", b.String())
	}
}

func TestFormats(t *testing.T) {
	for got, want := range map[string]string{
		dur(850 * time.Nanosecond): "850 ns", dur(1500 * time.Nanosecond): "1.50 µs", dur(238 * time.Microsecond): "238 µs",
		dur(61900 * time.Microsecond): "61.9 ms", dur(10100 * time.Millisecond): "10.1 s",
		count(5051): "5,051", count(100): "100", count(1234567): "1,234,567",
		ratio(52, 5): "10.4×", ratio(1, 0): "—", mb(73_700_000): "73.7 MB", plural(1, "decision"): "1 decision",
		plural(100, "decision"): "100 decisions",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestHeaderSaysWhereAndWhen(t *testing.T) {
	h := Header(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	for _, part := range []string{"machine: ", " cores", "go1.", "2026-03-10 09:00 UTC", "commit "} {
		if !strings.Contains(h, part) {
			t.Errorf("header %q lacks %q", h, part)
		}
	}
}
