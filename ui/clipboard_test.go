package ui

import (
	"fmt"
	"strings"
	"testing"
)

// What goes to the clipboard is pasted elsewhere (a shell, say): an id
// from the server is copied clean, without line breaks or escapes.
func TestCopiedIDIsClean(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	s := sampleSnapshot()
	s.Approvals[0].Ref.ID = "ap-1\nrm -rf ~\n\x1b]52;c;ZXZpbA==\a\u202e"
	load(m, s)
	for i, it := range m.inbox.view {
		if strings.HasPrefix(it.a.ID, "ap-1\n") {
			m.inbox.moveTo(i)
		}
	}
	cmd := press(m, "y")
	if cmd == nil {
		t.Fatal("y copies nothing")
	}
	got := fmt.Sprint(cmd())
	if strings.ContainsAny(got, "\n\r\x1b\a\u202e") || !strings.Contains(got, "ap-1 rm -rf ~") {
		t.Fatalf("copied %q", got)
	}
}
