package config

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// binding is one [keys] entry: an action's replacement keys and where it
// was written.
type binding struct {
	action Action
	keys   []string
	where  string // "path:line"
	key    string // "keys.approve" or "profiles.work.keys.approve"
	line   int
}

func actionNames(defs []KeyDef) []string {
	var names []string
	for _, d := range defs {
		names = append(names, string(d.Action))
	}
	return names
}

func defaultDef(defs []KeyDef, a Action) (KeyDef, bool) {
	for _, d := range defs {
		if d.Action == a {
			return d, true
		}
	}
	return KeyDef{}, false
}

// cloneKeys is a deep copy of defs.
func cloneKeys(defs []KeyDef) []KeyDef {
	out := slices.Clone(defs)
	for i := range out {
		out[i].Keys = slices.Clone(out[i].Keys)
	}
	return out
}

// applyBindings returns the defaults with the overrides applied (later
// overrides of the same action win) and every conflict: a key bound to two
// actions of the same scope. The overridden binding written last is the one
// blamed, since the defaults and earlier lines were there first.
func applyBindings(defaults []KeyDef, overrides []binding) ([]KeyDef, []*Error) {
	final := map[Action]binding{}
	for _, b := range overrides {
		final[b.action] = b
	}
	defs := cloneKeys(defaults)
	owner := map[string]Action{} // scope + "\x00" + key
	for i, d := range defs {
		if _, ok := final[d.Action]; ok {
			continue
		}
		for _, k := range d.Keys {
			owner[string(d.Scope)+"\x00"+k] = defs[i].Action
		}
	}
	ordered := make([]binding, 0, len(final))
	for _, b := range final {
		ordered = append(ordered, b)
	}
	slices.SortFunc(ordered, func(a, b binding) int { return a.line - b.line })

	var errs []*Error
	for _, b := range ordered {
		def, _ := defaultDef(defs, b.action)
		var kept []string
		for _, k := range b.keys {
			slot := string(def.Scope) + "\x00" + k
			if other, taken := owner[slot]; taken && other != b.action {
				errs = append(errs, &Error{Where: b.where, Line: b.line, Key: b.key,
					Msg: fmt.Sprintf("%q is already bound to %q", k, other)})
				continue
			}
			owner[slot] = b.action
			if !slices.Contains(kept, k) {
				kept = append(kept, k)
			}
		}
		for i := range defs {
			if defs[i].Action == b.action {
				defs[i].Keys = kept
			}
		}
	}
	return defs, errs
}

// checkBinding validates one [keys] entry's value: a list of key names (or
// one name) that exist in Bubble Tea's vocabulary, usable in the action's
// scope.
func checkBinding(def KeyDef, v any) ([]string, string) {
	var raw []any
	switch t := v.(type) {
	case string:
		raw = []any{t}
	case []any:
		raw = t
	default:
		return nil, "want a list of keys such as [\"a\", \"ctrl+a\"], got " + tomlType(v)
	}
	var keys []string
	for _, r := range raw {
		k, ok := r.(string)
		if !ok {
			return nil, "want a list of keys such as [\"a\", \"ctrl+a\"], got an entry that is " + tomlType(r)
		}
		if msg := checkKeyName(k); msg != "" {
			return nil, msg
		}
		if def.Scope == ScopeForm && types(k) {
			return nil, fmt.Sprintf("%q would be typed into the justification; use enter, tab, esc, a function key or a ctrl/alt combination", k)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 && def.Required {
		return nil, "needs at least one key"
	}
	return keys, ""
}

var modifiers = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

var namedKeys = func() []string {
	names := []string{"enter", "tab", "backspace", "esc", "space", "up", "down", "left", "right",
		"begin", "find", "insert", "delete", "select", "pgup", "pgdown", "home", "end"}
	for i := 1; i <= 63; i++ {
		names = append(names, fmt.Sprintf("f%d", i))
	}
	return names
}()

// commonMistakes maps names people write to Bubble Tea's names.
var commonMistakes = map[string]string{
	"escape": "esc", "return": "enter", "pageup": "pgup", "pagedown": "pgdown",
	"page_up": "pgup", "page_down": "pgdown", "del": "delete", "ins": "insert",
	" ": "space", "bksp": "backspace", "arrowup": "up", "arrowdown": "down",
}

// checkKeyName accepts Bubble Tea v2 key strings: optional lower-case
// modifiers ("ctrl+", "alt+", ...) then one printable character or a key
// name ("enter", "pgdown", "f5", "space").
func checkKeyName(k string) string {
	if k == "" {
		return "an empty key name"
	}
	if fix, ok := commonMistakes[strings.ToLower(k)]; ok {
		return fmt.Sprintf("%q is not a key name (did you mean %q?)", k, fix)
	}
	base := k
	for {
		mod, rest, ok := strings.Cut(base, "+")
		if !ok || rest == "" {
			break // "+" alone or "ctrl++" ends in the plus key itself
		}
		if !slices.Contains(modifiers, mod) {
			if slices.Contains(modifiers, strings.ToLower(mod)) {
				return fmt.Sprintf("%q is not a key name: write modifiers in lower case, like %q", k, strings.ToLower(mod)+"+"+rest)
			}
			break
		}
		base = rest
	}
	if utf8.RuneCountInString(base) == 1 {
		r, _ := utf8.DecodeRuneInString(base)
		if unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return ""
		}
		return fmt.Sprintf("%q is not a key name (write a space as \"space\")", k)
	}
	if slices.Contains(namedKeys, base) {
		return ""
	}
	return fmt.Sprintf("%q is not a key name%s", k, suggest(base, namedKeys))
}

// types reports whether a key press would insert text in a focused input:
// a printable character or space, with no modifier but shift.
func types(k string) bool {
	k = strings.TrimPrefix(k, "shift+")
	return k == "space" || utf8.RuneCountInString(k) == 1
}
