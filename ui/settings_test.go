package ui

import (
	"testing"
	"time"

	"approvals/config"
	"approvals/graph"
)

func TestFromSettings(t *testing.T) {
	t.Parallel()
	s := config.Defaults()
	s.Theme = config.ThemeANSI16
	s.UndoWindow = 0
	s.Bell = true
	o := FromSettings(s)
	if o.Theme != ThemeANSI16 || o.UndoWindow >= 0 || !o.Bell || o.PollInterval != time.Minute {
		t.Fatalf("options %+v", o)
	}
	if got := o.Templates[graph.Deny]; len(got) != 2 {
		t.Fatalf("deny templates %v", got)
	}
	s.PollInterval = 0
	if FromSettings(s).PollInterval >= 0 {
		t.Fatal("the config's 0 (no polling) became the default interval")
	}
}
