package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// fileLayers is a parsed config file: the top-level settings and each
// profile's, already type-checked, plus every problem found.
type fileLayers struct {
	path        string
	top         *layer
	profiles    map[string]*layer
	profile     string // top-level `profile = "..."`
	profileLine int
	problems    problems
	lines       map[string]int
	keys        []KeyDef // the actions the [keys] table may bind (LoadOptions.Keys)
}

// layer is one table's settings.
type layer struct {
	values   []layerValue
	bindings []binding
	approve  *templateList
	deny     *templateList
}

type layerValue struct {
	field field
	value any
	where string
}

type templateList struct {
	list  []string
	where string
}

func parseFile(path, src string, keys []KeyDef) (*fileLayers, error) {
	var doc map[string]any
	if _, err := toml.Decode(src, &doc); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, Errors{{Where: fmt.Sprintf("%s:%d", path, pe.Position.Line), Line: pe.Position.Line, Msg: pe.Message}}
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f := &fileLayers{path: path, profiles: map[string]*layer{}, lines: keyLines(src), top: &layer{}, keys: keys}
	f.readTable(f.top, doc, nil)
	return f, nil
}

func (f *fileLayers) at(path ...string) (string, int) {
	line := lineOf(f.lines, path...)
	if line == 0 {
		return f.path, 0
	}
	return fmt.Sprintf("%s:%d", f.path, line), line
}

func (f *fileLayers) fail(path []string, msg string) {
	where, line := f.at(path...)
	f.problems.add(&Error{Where: where, Line: line, Key: strings.Join(path, "."), Msg: msg})
}

// sortedKeys orders a table's keys by line so problems come out in file
// order.
func (f *fileLayers) sortedKeys(tbl map[string]any, prefix []string) []string {
	keys := make([]string, 0, len(tbl))
	for k := range tbl {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		li, lj := lineOf(f.lines, append(prefix, keys[i])...), lineOf(f.lines, append(prefix, keys[j])...)
		if li != lj {
			return li < lj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// readTable reads the top level (prefix nil) or a profile (prefix
// ["profiles", name]) into l.
func (f *fileLayers) readTable(l *layer, tbl map[string]any, prefix []string) {
	top := prefix == nil
	for _, k := range f.sortedKeys(tbl, prefix) {
		v, path := tbl[k], append(append([]string{}, prefix...), k)
		if fl, ok := fieldByKey(k); ok {
			val, msg := fl.fromTOML(v)
			if msg != "" {
				f.fail(path, msg)
				continue
			}
			where, _ := f.at(path...)
			l.values = append(l.values, layerValue{field: fl, value: val, where: where})
			continue
		}
		switch {
		case k == "keys":
			f.readKeys(l, v, path)
		case k == "templates":
			f.readTemplates(l, v, path)
		case k == "profile" && top:
			s, ok := v.(string)
			if !ok || s == "" {
				f.fail(path, "want a profile name, got "+tomlType(v))
				continue
			}
			f.profile, f.profileLine = s, lineOf(f.lines, path...)
		case k == "profiles" && top:
			f.readProfiles(v, path)
		case (k == "profile" || k == "profiles") && !top:
			f.fail(path, "not allowed inside a profile")
		default:
			known := append(fieldKeys(), "keys", "templates")
			if top {
				known = append(known, "profile", "profiles")
			}
			f.fail(path, "unknown setting"+suggest(k, known))
		}
	}
}

func (f *fileLayers) readProfiles(v any, path []string) {
	tbl, ok := v.(map[string]any)
	if !ok {
		f.fail(path, "want [profiles.NAME] tables, got "+tomlType(v))
		return
	}
	for _, name := range f.sortedKeys(tbl, path) {
		sub, ok := tbl[name].(map[string]any)
		p := append(append([]string{}, path...), name)
		if !ok {
			f.fail(p, "want a [profiles."+name+"] table, got "+tomlType(tbl[name]))
			continue
		}
		l := &layer{}
		f.profiles[name] = l
		f.readTable(l, sub, p)
	}
}

func (f *fileLayers) readKeys(l *layer, v any, path []string) {
	tbl, ok := v.(map[string]any)
	if !ok {
		f.fail(path, "want a [keys] table of action = [\"key\", ...], got "+tomlType(v))
		return
	}
	names := actionNames(f.keys)
	for _, name := range f.sortedKeys(tbl, path) {
		p := append(append([]string{}, path...), name)
		def, ok := defaultDef(f.keys, Action(name))
		if !ok {
			f.fail(p, "unknown action"+suggest(name, names))
			continue
		}
		keys, msg := checkBinding(def, tbl[name])
		if msg != "" {
			f.fail(p, msg)
			continue
		}
		where, line := f.at(p...)
		l.bindings = append(l.bindings, binding{action: Action(name), keys: keys, where: where, key: strings.Join(p, "."), line: line})
	}
}

func (f *fileLayers) readTemplates(l *layer, v any, path []string) {
	tbl, ok := v.(map[string]any)
	if !ok {
		f.fail(path, "want a [templates] table with approve = [...] and deny = [...], got "+tomlType(v))
		return
	}
	for _, name := range f.sortedKeys(tbl, path) {
		p := append(append([]string{}, path...), name)
		if name != "approve" && name != "deny" {
			f.fail(p, "unknown template list (want approve or deny)"+suggest(name, []string{"approve", "deny"}))
			continue
		}
		list, msg := templateStrings(tbl[name])
		if msg != "" {
			f.fail(p, msg)
			continue
		}
		where, _ := f.at(p...)
		t := &templateList{list: list, where: where}
		if name == "approve" {
			l.approve = t
		} else {
			l.deny = t
		}
	}
}

func templateStrings(v any) ([]string, string) {
	raw, ok := v.([]any)
	if !ok {
		return nil, "want a list of strings, got " + tomlType(v)
	}
	list := make([]string, 0, len(raw))
	for i, r := range raw {
		s, ok := r.(string)
		if !ok {
			return nil, fmt.Sprintf("entry %d: want a string, got %s", i+1, tomlType(r))
		}
		if strings.TrimSpace(s) == "" {
			return nil, fmt.Sprintf("entry %d is empty", i+1)
		}
		list = append(list, strings.TrimSpace(s))
	}
	return list, ""
}
