package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"approvals/config"
)

// keyMap is the effective key bindings, built once per model from the
// config's KeyDefs. Help is generated from it, so it always shows the keys
// that actually work.
type keyMap struct {
	defs     []config.KeyDef // help order
	bindings map[config.Action]key.Binding
	scopes   map[config.Action]config.Scope
}

// newKeyMap builds the key map from defs. Actions missing from defs keep
// their default keys so that no feature becomes unreachable.
func newKeyMap(defs []config.KeyDef) keyMap {
	km := keyMap{bindings: map[config.Action]key.Binding{}, scopes: map[config.Action]config.Scope{}}
	seen := map[config.Action]bool{}
	add := func(d config.KeyDef) {
		if seen[d.Action] {
			return
		}
		seen[d.Action] = true
		km.defs = append(km.defs, d)
		b := key.NewBinding(key.WithKeys(d.Keys...), key.WithHelp(keyLabel(d.Keys), d.Help))
		if len(d.Keys) == 0 {
			b.SetEnabled(false)
		}
		km.bindings[d.Action] = b
		km.scopes[d.Action] = d.Scope
	}
	for _, d := range defs {
		add(d)
	}
	for _, d := range DefaultKeys() {
		add(d)
	}
	return km
}

// action returns the action bound to msg in scope.
func (km keyMap) action(scope config.Scope, msg tea.KeyPressMsg) (config.Action, bool) {
	for _, d := range km.defs {
		if d.Scope != scope {
			continue
		}
		if b := km.bindings[d.Action]; b.Enabled() && key.Matches(msg, b) {
			return d.Action, true
		}
	}
	return "", false
}

// is reports whether msg triggers action a.
func (km keyMap) is(msg tea.KeyPressMsg, a config.Action) bool {
	b, ok := km.bindings[a]
	return ok && b.Enabled() && key.Matches(msg, b)
}

// binding returns the binding of a (disabled when unknown).
func (km keyMap) binding(a config.Action) key.Binding {
	if b, ok := km.bindings[a]; ok {
		return b
	}
	return key.NewBinding(key.WithDisabled())
}

// first returns the label of a's first key, for prose such as "press u".
func (km keyMap) first(a config.Action) string {
	b := km.binding(a)
	if len(b.Keys()) == 0 {
		return "?"
	}
	return keyName(b.Keys()[0])
}

// keyLabel is how a list of keys is shown in help: "↑/k".
func keyLabel(keys []string) string {
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		names = append(names, keyName(k))
	}
	return strings.Join(names, "/")
}

func keyName(k string) string {
	switch k {
	case "up":
		return "↑"
	case "down":
		return "↓"
	case "left":
		return "←"
	case "right":
		return "→"
	}
	return k
}
