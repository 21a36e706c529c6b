package config

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestKeyLines(t *testing.T) {
	src := `# comment with key = "value"
title = "a # not a comment"
multi = """
fake = "inside a string"
"""
literal = '''
[not.a.table]
'''
list = [
  "one", # comment ]
  "two",
]
"quoted.key" = 1
dotted.inner = true
inline = { a = 1, b = { c = "x" } }

[table]
x = 1

[profiles . "work"]
theme = "dark"
[profiles.work.keys]
approve = ["a"]
`
	if _, err := toml.Decode(src, new(map[string]any)); err != nil {
		t.Fatalf("test document is not TOML: %v", err)
	}
	lines := keyLines(src)
	want := map[string]int{
		"title": 2, "multi": 3, "literal": 6, "list": 9, "quoted.key": 13,
		"dotted.inner": 14, "inline": 15, "inline.a": 15, "inline.b.c": 15,
		"table": 17, "table.x": 18, "profiles.work": 20, "profiles.work.theme": 21,
		"profiles.work.keys": 22, "profiles.work.keys.approve": 23,
	}
	for k, l := range want {
		if lines[k] != l {
			t.Errorf("%s: line %d, want %d", k, lines[k], l)
		}
	}
	for _, fake := range []string{"fake", "not.a.table", "not"} {
		if _, ok := lines[fake]; ok {
			t.Errorf("%q inside a string was taken for a key", fake)
		}
	}
	if got := lineOf(lines, "profiles", "work", "keys", "missing"); got != 22 {
		t.Errorf("lineOf falls back to the parent: %d", got)
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{"aprove", ` (did you mean "approve"?)`},
		{"theem", ` (did you mean "theme"?)`},
		{"colour", ""},
		{"pol_intervall", ` (did you mean "poll_interval"?)`},
		{"zzz", ""},
	} {
		if s := suggest(tc.got, []string{"approve", "theme", "cloud", "poll_interval"}); s != tc.want {
			t.Errorf("suggest(%q) = %q, want %q", tc.got, s, tc.want)
		}
	}
}

func TestCheckKeyName(t *testing.T) {
	for _, ok := range []string{"a", "A", "?", "/", "+", "ctrl++", "ctrl+c", "alt+shift+x", "space", "f12", "pgdown", "ctrl+enter", "é"} {
		if msg := checkKeyName(ok); msg != "" {
			t.Errorf("%q rejected: %s", ok, msg)
		}
	}
	for k, want := range map[string]string{
		"":         "an empty key name",
		"escape":   `"escape" is not a key name (did you mean "esc"?)`,
		"pgdwn":    `"pgdown"`,
		"ctrl+":    `"ctrl+" is not a key name`,
		"Alt+x":    `"Alt+x" is not a key name: write modifiers in lower case, like "alt+x"`,
		"super+ab": `"super+ab" is not a key name`,
		"\t":       `"\t" is not a key name (write a space as "space")`,
	} {
		msg := checkKeyName(k)
		if msg == "" || !strings.Contains(msg, want) {
			t.Errorf("checkKeyName(%q) = %q, want it to contain %q", k, msg, want)
		}
	}
}
