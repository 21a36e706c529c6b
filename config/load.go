package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"
)

// LoadOptions are the inputs besides the config file.
type LoadOptions struct {
	Path    string              // --config; empty: $APPROVALS_CONFIG, then Dirs.ConfigFile()
	Profile string              // --profile; empty: $APPROVALS_PROFILE, then the file's profile key
	Getenv  func(string) string // nil: os.Getenv
	Dirs    *Dirs               // nil: ResolveDirs(Getenv)

	// Keys are the inbox's actions with their scopes and default keys, in
	// help order (ui.DefaultKeys, handed over by the composition root):
	// the [keys] table is checked against them and Config.Keys is them
	// with the user's bindings applied. Nil: no action is known.
	Keys []KeyDef

	// Flags holds the settings given on the command line, by TOML key
	// ("client_id"), as typed. Only flags the user set belong here.
	Flags map[string]string
}

// Config is the merged result of one Load.
type Config struct {
	Settings
	File       string   // the config file consulted
	FileExists bool     // false: built-in defaults (plus env and flags)
	Profile    string   // the profile in use, "" for none
	Profiles   []string // profiles the file defines, sorted
	Dirs       Dirs

	origins map[string]string
}

// Origin says where a setting's value came from: "default", "path:line",
// "APPROVALS_X" or "--flag". Keys are TOML keys ("poll_interval",
// "keys.approve", "templates.deny").
func (c *Config) Origin(key string) string {
	if o, ok := c.origins[key]; ok {
		return o
	}
	return "default"
}

// Load merges defaults, the config file (top level, then the chosen
// profile), APPROVALS_* environment variables and flags, in that order, and
// validates everything. Problems come back as Errors, each naming the file
// and line (or the variable or flag) and the key.
func Load(opts LoadOptions) (*Config, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	var dirs Dirs
	if opts.Dirs != nil {
		dirs = *opts.Dirs
	} else {
		d, err := ResolveDirs(getenv)
		if err != nil {
			return nil, fmt.Errorf("finding the config folder: %w", err)
		}
		dirs = d
	}
	path, explicit := FilePath(opts.Path, getenv, dirs)
	c := &Config{Settings: Defaults(), File: path, Dirs: dirs, origins: map[string]string{}}

	var f *fileLayers
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		c.FileExists = true
		if f, err = parseFile(path, string(data), opts.Keys); err != nil {
			return nil, err
		}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		f = &fileLayers{path: path, top: &layer{}, keys: opts.Keys}
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: no such config file", path)
	default:
		return nil, fmt.Errorf("config file: %w", err) // a folder, no permission, an I/O error
	}
	for name := range f.profiles {
		c.Profiles = append(c.Profiles, name)
	}
	sort.Strings(c.Profiles)

	var probs problems
	for _, e := range f.problems.list {
		probs.add(e)
	}
	c.Profile = chooseProfile(opts.Profile, getenv, f, c.FileExists, &probs)

	// Bindings are checked for the top level and for every profile, so
	// `config check` finds a conflict whichever profile is in use.
	checkProfiles := append([]string{""}, c.Profiles...)
	for _, name := range checkProfiles {
		overrides := slices.Clone(f.top.bindings)
		if p := f.profiles[name]; p != nil {
			overrides = append(overrides, p.bindings...)
		}
		keys, errs := applyBindings(opts.Keys, overrides)
		for _, e := range errs {
			probs.add(e)
		}
		if name == c.Profile {
			c.Keys = keys
			for _, b := range overrides {
				c.origins[b.key[strings.Index(b.key, "keys."):]] = b.where
			}
		}
	}

	c.apply(f.top)
	if p := f.profiles[c.Profile]; p != nil {
		c.apply(p)
	}
	c.applyText(getenv, opts.Flags, &probs)
	if err := probs.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// FilePath is the config file to read: flag (--config), else
// $APPROVALS_CONFIG, else the default in dirs. explicit is true when the
// user named it, so a missing file is an error rather than "use defaults".
func FilePath(flag string, getenv func(string) string, dirs Dirs) (path string, explicit bool) {
	if flag != "" {
		return flag, true
	}
	if p := getenv("APPROVALS_CONFIG"); p != "" {
		return p, true
	}
	return dirs.ConfigFile(), false
}

func chooseProfile(flag string, getenv func(string) string, f *fileLayers, exists bool, probs *problems) string {
	name, where, key, line := flag, "--profile", "", 0
	if name == "" {
		name, where = getenv("APPROVALS_PROFILE"), "APPROVALS_PROFILE"
	}
	if name == "" && f.profile != "" {
		name, where, key, line = f.profile, fmt.Sprintf("%s:%d", f.path, f.profileLine), "profile", f.profileLine
	}
	if name == "" {
		return ""
	}
	if _, ok := f.profiles[name]; ok {
		return name
	}
	var msg string
	switch {
	case !exists:
		msg = fmt.Sprintf("profile %q is not defined: %s does not exist", name, f.path)
	case len(f.profiles) == 0:
		msg = fmt.Sprintf("profile %q is not defined in %s (it has no [profiles.NAME] tables)", name, f.path)
	default:
		var names []string
		for n := range f.profiles {
			names = append(names, n)
		}
		sort.Strings(names)
		msg = fmt.Sprintf("profile %q is not defined in %s (defined: %s)", name, f.path, strings.Join(names, ", "))
	}
	probs.add(&Error{Where: where, Line: line, Key: key, Msg: msg})
	return ""
}

// apply copies one file layer's values over c.
func (c *Config) apply(l *layer) {
	for _, v := range l.values {
		v.field.set(&c.Settings, v.value)
		c.origins[v.field.key] = v.where
	}
	if l.approve != nil {
		c.Templates.Approve = l.approve.list
		c.origins["templates.approve"] = l.approve.where
	}
	if l.deny != nil {
		c.Templates.Deny = l.deny.list
		c.origins["templates.deny"] = l.deny.where
	}
}

// applyText applies environment variables, then flags.
func (c *Config) applyText(getenv func(string) string, flags map[string]string, probs *problems) {
	for _, f := range fields {
		if s := getenv(f.env()); s != "" {
			c.setText(f, s, f.env(), probs)
		}
	}
	for _, f := range fields {
		if s, ok := flags[f.key]; ok {
			c.setText(f, s, f.flag(), probs)
		}
	}
	for key := range flags {
		if _, ok := fieldByKey(key); !ok {
			probs.add(&Error{Where: "--" + strings.ReplaceAll(key, "_", "-"), Msg: "not a setting"})
		}
	}
}

func (c *Config) setText(f field, s, where string, probs *problems) {
	v, msg := f.fromText(s)
	if msg != "" {
		probs.add(&Error{Where: where, Msg: msg})
		return
	}
	f.set(&c.Settings, v)
	c.origins[f.key] = where
}
