package config

import (
	"strconv"
	"strings"
)

// Entry is one effective setting for `approvals config check`.
type Entry struct {
	Key    string // TOML key: "poll_interval", "keys.approve", "templates.deny"
	Value  string // TOML-style value
	Origin string // see Config.Origin
}

// Effective lists every setting with its value and origin, in the order
// of the config reference: scalar settings, templates, then key bindings.
func (c *Config) Effective() []Entry {
	var out []Entry
	for _, f := range fields {
		v := f.get(c.Settings)
		if f.kind == kindString {
			v = strconv.Quote(v)
		}
		out = append(out, Entry{Key: f.key, Value: v, Origin: c.Origin(f.key)})
	}
	out = append(out,
		Entry{Key: "templates.approve", Value: tomlList(c.Templates.Approve), Origin: c.Origin("templates.approve")},
		Entry{Key: "templates.deny", Value: tomlList(c.Templates.Deny), Origin: c.Origin("templates.deny")})
	for _, d := range c.Keys {
		k := "keys." + string(d.Action)
		out = append(out, Entry{Key: k, Value: tomlList(d.Keys), Origin: c.Origin(k)})
	}
	return out
}

func tomlList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
