package main

import (
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// versionText is what --version prints: the -X version, else the module
// version the build recorded (a tagged go install), then the VCS revision,
// its time and whether the tree had local changes, when the build has them
// (go build inside a git checkout records them).
func versionText(ldflag string, info *debug.BuildInfo, ok bool) string {
	v := ldflag
	if !ok || info == nil {
		return v
	}
	if (v == "" || v == "dev") && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	var rev, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var extra []string
	if rev != "" {
		extra = append(extra, "revision "+rev[:min(len(rev), 12)])
	}
	if when != "" {
		extra = append(extra, when)
	}
	if modified {
		extra = append(extra, "with local changes")
	}
	if info.GoVersion != "" {
		extra = append(extra, info.GoVersion)
	}
	if len(extra) == 0 {
		return v
	}
	return v + " (" + strings.Join(extra, ", ") + ")"
}

func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	return versionText(version, info, ok)
}
