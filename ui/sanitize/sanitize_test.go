package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Ada Lovelace", "Ada Lovelace"},
		{"clear screen", "a\x1b[2Jb", "ab"},
		{"sgr", "\x1b[31mred\x1b[0m", "red"},
		{"osc52 clipboard write", "x\x1b]52;c;cm0gLXJmIC8=\x07y", "xy"},
		{"osc52 with ST", "x\x1b]52;c;cm0gLXJmIC8=\x1b\\y", "xy"},
		{"osc8 hyperlink", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"c1 csi", "a\u009b2Jb", "ab"},
		{"c1 osc", "a\u009d0;title\u009cb", "ab"},
		{"raw 0x9b byte", "a\x9b2Jb", "a\uFFFD2Jb"},
		{"bell", "ding\x07dong", "dingdong"},
		{"backspaces", "safe\x08\x08\x08\x08evil", "safeevil"},
		{"rtl override", "invoice\u202Etxt.exe", "invoicetxt.exe"},
		{"bidi isolates", "\u2067abc\u2069", "abc"},
		{"newline and tab", "a\nb\tc\r\nd", "a b c d"},
		{"line separator", "a\u2028b", "a b"},
		{"del and nul", "a\x7f\x00b", "ab"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"leading combining mark", "\u0301abc", "abc"},
		{"inner combining mark kept", "e\u0301", "e\u0301"},
		{"cjk kept", "山田太郎", "山田太郎"},
		{"emoji kept", "😀 dev 山田", "😀 dev 山田"},
		// Sequences some terminals draw wider than others: their base.
		{"zwj sequence", "👩‍💻 dev", "👩 dev"},
		{"skin tone", "ok 👍🏽!", "ok 👍!"},
		{"emoji presentation", "❤️", "❤"},
		{"keycap", "1️⃣", "1"},
		{"flag kept", "🇩🇪", "🇩🇪"},
		{"lone regional indicator", "🇩x", "\uFFFDx"},
		{"indic conjunct kept", "नमस्ते", "नमस्ते"},
		{"charset escape", "a\x1b(Bb", "ab"},
		{"unterminated osc swallows rest", "a\x1b]0;title", "a"},
		{"lone esc at end", "a\x1b", "a"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"soft hyphen and bom", "a\u00adb\ufeffc", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"one\ntwo", "one\ntwo"},
		{"one\r\ntwo\rthree", "one\ntwo\nthree"},
		{"a\x1b[1Ab\n\u0301c", "ab\nc"},
		{"tab\there", "tab here"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLongValueIsCut(t *testing.T) {
	in := strings.Repeat("x", 100*1024)
	got := Line(in)
	if n := utf8.RuneCountInString(got); n != MaxRunes {
		t.Fatalf("rune count %d, want %d", n, MaxRunes)
	}
	if !strings.HasSuffix(got, Ellipsis) {
		t.Fatalf("cut value should end with an ellipsis")
	}
	// Exactly MaxRunes is not cut.
	exact := strings.Repeat("é", MaxRunes)
	if got := Line(exact); got != exact {
		t.Fatalf("value of exactly MaxRunes runes was changed")
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"hello", 10, "hello"},
		{"hello world", 5, "hell…"},
		{"山田太郎", 5, "山田…"}, // never split a wide rune
		{"山田太郎", 8, "山田太郎"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		got := Truncate(tt.in, tt.width)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
		if w := Width(got); w > tt.width {
			t.Errorf("Truncate(%q, %d) is %d columns wide", tt.in, tt.width, w)
		}
	}
}

// hostile reports what in s a terminal would act on.
func hostile(s string) string {
	for _, r := range s {
		switch {
		case r < 0x20 && r != '\n', r == 0x7f, r >= 0x80 && r <= 0x9f:
			return "control character"
		case dropped(r):
			return "bidi or invisible format character"
		}
	}
	return ""
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"plain", "\x1b[2J", "\x1b]52;c;aGk=\x07", "\x1b]8;;u\x1b\\t\x1b]8;;\x1b\\", "\u009b31m",
		"\u202e", "\x08\x08", "\xff\xfe", "\u0301", "山田", "👩‍💻", "a\r\nb", "\x1bP\x1b\\",
		"👍🏽", "❤️", "1️⃣", "🇩🇪🇩", "🏳️‍🌈", "नमस्ते",
	} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		for _, got := range []string{Line(s), Text(s)} {
			if !utf8.ValidString(got) {
				t.Fatalf("invalid UTF-8 out of %q: %q", s, got)
			}
			if why := hostile(got); why != "" {
				t.Fatalf("%s left in %q (from %q)", why, got, s)
			}
			if utf8.RuneCountInString(got) > MaxRunes {
				t.Fatalf("%d runes out, more than MaxRunes", utf8.RuneCountInString(got))
			}
		}
		if strings.Contains(Line(s), "\n") {
			t.Fatalf("Line kept a newline: %q", Line(s))
		}
		w := width % 200
		if w < 0 {
			w = -w
		}
		if got := Fit(s, w); Width(got) > w {
			t.Fatalf("Fit(%q, %d) = %q is %d wide", s, w, got, Width(got))
		}
		// Sanitizing is idempotent: clean text stays as it is.
		if once := Line(s); Line(once) != once {
			t.Fatalf("Line is not idempotent on %q", s)
		}
		// No emoji sequence whose width depends on the terminal is left.
		for rest := Line(s); rest != ""; {
			cluster, _ := ansi.FirstGraphemeCluster(rest, ansi.GraphemeWidth)
			if cluster == "" {
				break
			}
			if _, ambiguous := reduceEmoji(cluster); ambiguous {
				t.Fatalf("Line(%q) keeps %q, %d columns or %d depending on the terminal", s, cluster,
					ansi.StringWidth(cluster), ansi.StringWidthWc(cluster))
			}
			rest = rest[len(cluster):]
		}
	})
}

func TestWidthTruthCharacters(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"zwj between letters", "a\u200db", "ab"},
		{"zwj at the end", "x\u200d", "x"},
		{"zwj after an emoji, before a letter", "😀\u200dx", "😀x"},
		{"zwj in an emoji sequence", "👩\u200d💻", "👩"}, // Line reduces the sequence
		{"last code point", "a\U0010FFFFb", "a\uFFFDb"},
		{"noncharacters", "\uFDD0\uFFFE\U0001FFFF", "\uFFFD\uFFFD\uFFFD"},
		{"private use", "\uE000\U000F0000\U00100000", "\uFFFD\uFFFD\uFFFD"},
		{"unassigned", "a\u0378b", "a\uFFFDb"},
		{"tag characters", "a\U000E0041\U000E0001\U000E007Fb", "ab"},
		{"tag flag sequence", "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", "🏴"},
		{"hangul fillers", "\u115F\u1160\u3164\uFFA0x", "x"},
		{"mongolian vowel separator", "a\u180Eb", "ab"},
		{"lone variation selector", "\uFE0Fa \uFE0E\U000E0100", "a "},
		{"ideographic variation kept", "葛\U000E0100", "葛\U000E0100"},
		{"zero width space", "a\u200Bb", "ab"},
		{"zwnj kept", "می\u200Cخواهم", "می\u200Cخواهم"},
		{"prepend letter", "a\u0D4Eb", "a\uFFFDb"},
		{"arabic number sign", "\u0600١", "١"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	// Typed text keeps emoji sequences but loses the same invisible characters.
	if got := Input("👩\u200d💻 a\u200db\u200B\U000E0041\uFDD0"); got != "👩\u200d💻 ab\uFFFD" {
		t.Errorf("Input = %q", got)
	}
	if got := InputText("one\r\ntwo\x1b[2J\u202e"); got != "one\ntwo" {
		t.Errorf("InputText = %q", got)
	}
}
