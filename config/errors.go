package config

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem with a setting. Where says where the value came from:
// "path/config.toml:12", "APPROVALS_THEME" or "--cloud".
type Error struct {
	Where string
	Line  int // for sorting file errors; 0 when not from a file line
	Key   string
	Msg   string
}

func (e *Error) Error() string {
	if e.Key == "" {
		return e.Where + ": " + e.Msg
	}
	return e.Where + ": " + e.Key + ": " + e.Msg
}

// Errors is every problem found in one load, in file order. Its text is one
// problem per line so `approvals config check` can list them all.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// problems collects errors while loading, without duplicates (a profile's
// bindings are checked together with the top-level ones, which may repeat a
// top-level problem).
type problems struct {
	list Errors
	seen map[string]bool
}

func (p *problems) add(e *Error) {
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if s := e.Error(); !p.seen[s] {
		p.seen[s] = true
		p.list = append(p.list, e)
	}
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	sort.SliceStable(p.list, func(i, j int) bool { return p.list[i].Line < p.list[j].Line })
	return p.list
}

// suggest returns ` (did you mean "x"?)` for the closest known name within a
// small edit distance, else "".
func suggest(got string, known []string) string {
	// Short names allow one edit, longer ones two: "colour" is not "cloud".
	limit := 1
	if len([]rune(got)) > 6 {
		limit = 2
	}
	best, bestD := "", limit+1
	for _, k := range known {
		if d := editDistance(strings.ToLower(got), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbours ("theem") cost one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// orList writes "a, b or c".
func orList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
