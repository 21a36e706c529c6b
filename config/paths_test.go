package config

import (
	"runtime"
	"testing"
)

func TestResolveDirsXDG(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("XDG folders are the Linux/Unix layout")
	}
	env := map[string]string{"HOME": "/home/megan"}
	get := func(k string) string { return env[k] }
	d, err := ResolveDirs(get)
	if err != nil {
		t.Fatal(err)
	}
	want := Dirs{Config: "/home/megan/.config/approvals", State: "/home/megan/.local/state/approvals", Cache: "/home/megan/.cache/approvals"}
	if d != want {
		t.Errorf("got %+v, want %+v", d, want)
	}
	env["XDG_CONFIG_HOME"], env["XDG_STATE_HOME"], env["XDG_CACHE_HOME"] = "/x/conf", "/x/state", "relative/ignored"
	d, _ = ResolveDirs(get)
	want = Dirs{Config: "/x/conf/approvals", State: "/x/state/approvals", Cache: "/home/megan/.cache/approvals"}
	if d != want {
		t.Errorf("got %+v, want %+v", d, want)
	}
	if d.JournalFile() != "/x/state/approvals/journal.jsonl" || d.ConfigFile() != "/x/conf/approvals/config.toml" ||
		d.AccountsDir() != "/x/state/approvals/accounts" {
		t.Errorf("files: %s %s %s", d.JournalFile(), d.ConfigFile(), d.AccountsDir())
	}
	if _, err := ResolveDirs(func(string) string { return "" }); err == nil {
		t.Error("no HOME and no XDG: want an error")
	}
}
