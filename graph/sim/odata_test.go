package sim

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseISODuration(t *testing.T) {
	good := map[string]time.Duration{
		"P14D": 14 * 24 * time.Hour, "PT24H": 24 * time.Hour, "PT8H": 8 * time.Hour, "P1DT12H": 36 * time.Hour,
		"PT1.5S": 1500 * time.Millisecond, "P2W": 14 * 24 * time.Hour, "pt30m": 30 * time.Minute, "PT0S": 0,
	}
	for s, want := range good {
		if got, err := parseISODuration(s); err != nil || got != want {
			t.Errorf("%s: %v %v, want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "P", "PT", "14D", "P1Y", "P1M", "PT1D", "P1H", "PTT1H", "P-1D", "P1.2.3D", "PXD"} {
		if d, err := parseISODuration(s); err == nil {
			t.Errorf("%q parsed as %v", s, d)
		}
	}
}

func TestSplitListAndExpand(t *testing.T) {
	if got := splitList("a, b(c,d;e(f,g)) ,,h", ','); !slices.Equal(got, []string{"a", "b(c,d;e(f,g))", "h"}) {
		t.Errorf("splitList: %q", got)
	}
	tree, err := parseExpand("accessPackage($select=id;$expand=catalog($select=displayName)),requestor")
	if err != nil {
		t.Fatal(err)
	}
	ap, ok := tree.has("ACCESSPACKAGE")
	if !ok || !slices.Equal(ap.selects, []string{"id"}) {
		t.Fatalf("accessPackage: %+v", ap)
	}
	if cat, ok := ap.expand.has("catalog"); !ok || !slices.Equal(cat.selects, []string{"displayName"}) {
		t.Errorf("catalog: %+v", cat)
	}
	if _, ok := tree.has("assignment"); ok {
		t.Error("assignment was not expanded")
	}
	for _, bad := range []string{"a(", "a($top=1)", "a/b", "a(x)"} {
		if _, err := parseExpand(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestParseFilter(t *testing.T) {
	cl, err := parseFilter("state eq 'it''s' and (createdDateTime ge 2025-01-01T00:00:00Z)")
	if err != nil {
		t.Fatal(err)
	}
	want := []clause{{prop: "state", op: "eq", value: "it's", quoted: true}, {prop: "createdDateTime", op: "ge", value: "2025-01-01T00:00:00Z"}}
	if !slices.Equal(cl, want) {
		t.Errorf("got %+v", cl)
	}
	for _, bad := range []string{"", "state", "state eq", "state like 'x'", "a eq 'b' or c eq 'd'", "contains(state,'x')", "state eq 'open"} {
		if _, err := parseFilter(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestQueryValuesKeepsSemicolons(t *testing.T) {
	v := queryValues("$expand=a($select=x;$expand=b)&%24top=5&@p='approver'&flag")
	if v.Get("$expand") != "a($select=x;$expand=b)" || v.Get("$top") != "5" || v.Get("@p") != "'approver'" {
		t.Errorf("queryValues: %v", v)
	}
}

// The hand-written encoder must agree with encoding/json (HTML escaping
// off) on every string, hostile ones included.
func TestWriteStringMatchesEncodingJSON(t *testing.T) {
	cases := append(slices.Clone(hostileStrings), "", "plain", `quote " backslash \ slash /`, "<b>&amp;</b>",
		"\x00\x01\x1f\x7f\b\f", "tab\tnl\ncr\r", "bad utf8 \xff\xfe end", "line\u2028para\u2029", "日本語 ✓ 🎉", "\u202eevil")
	for _, s := range cases {
		var ours bytes.Buffer
		writeString(&ours, s)
		var std bytes.Buffer
		enc := json.NewEncoder(&std)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s)
		if want := strings.TrimSuffix(std.String(), "\n"); ours.String() != want {
			t.Errorf("%q: got %s, want %s", s, ours.String(), want)
		}
	}
}

func FuzzWriteString(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var ours bytes.Buffer
		writeString(&ours, s)
		var std bytes.Buffer
		enc := json.NewEncoder(&std)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s)
		if want := strings.TrimSuffix(std.String(), "\n"); ours.String() != want {
			t.Errorf("%q: got %s, want %s", s, ours.String(), want)
		}
	})
}
