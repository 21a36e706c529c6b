package main

import (
	"runtime/debug"
	"testing"
)

func TestVersionText(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-04T17:00:00Z"}, {Key: "vcs.modified", Value: "true"}}
	for _, tc := range []struct {
		ldflag string
		info   *debug.BuildInfo
		ok     bool
		want   string
	}{
		{"dev", nil, false, "dev"},
		{"dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "dev"},
		{"dev", &debug.BuildInfo{GoVersion: "go1.26.11", Main: debug.Module{Version: "v1.4.0"}}, true, "v1.4.0 (go1.26.11)"},
		{"dev", &debug.BuildInfo{GoVersion: "go1.26.11", Main: debug.Module{Version: "(devel)"}, Settings: vcs}, true,
			"dev (revision 0123456789ab, 2026-12-04T17:00:00Z, with local changes, go1.26.11)"},
		{"1.5.0-rc1", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: vcs[:1]}, true, "1.5.0-rc1 (revision 0123456789ab)"},
	} {
		if got := versionText(tc.ldflag, tc.info, tc.ok); got != tc.want {
			t.Errorf("versionText(%q, %+v) = %q, want %q", tc.ldflag, tc.info, got, tc.want)
		}
	}
}
