package config

import (
	"strings"
	"testing"
)

// FuzzParseFile: any file, valid TOML or not, gives settings or errors,
// never a panic or a hang, and every error names the file.
func FuzzParseFile(f *testing.F) {
	for _, seed := range []string{
		"", "theme = \"dark\"\n", profilesSrc, "[keys]\napprove = [\"a\", \"j\"]\n",
		"a = \"\"\"\nb = 1\n\"\"\"\n[[x]]\ny = {z = [1, {w = 2}]}\n", "[profiles]\nwork = 3\n",
		"'quoted key' = 1\n\"a.b\".c = 2\n", "keys.up = 5\ntemplates = []\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		keyLines(src) // must terminate on anything
		fl, err := parseFile("fuzz.toml", src, testKeys())
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.toml") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for _, e := range fl.problems.list {
			if !strings.HasPrefix(e.Where, "fuzz.toml") {
				t.Fatalf("problem without the file name: %v", e)
			}
		}
	})
}
