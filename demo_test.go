package main

import (
	"errors"
	"strings"
	"testing"

	"approvals/graph/sim"
)

// The demo words the simulator's lookup errors for its flag.
func TestDemoApproverErrorNamesTheFlag(t *testing.T) {
	err := demoApproverError(&sim.UnknownApproverError{As: "nobody", Approvers: []string{"megan@contoso.com", "alex@contoso.com"}}, "--as")
	if err == nil || err.Error() != `--as "nobody" is not an approver in this tenant; try one of: megan@contoso.com, alex@contoso.com` {
		t.Errorf("unknown --as: %v", err)
	}
	if err := demoApproverError(sim.ErrNoApprovers, "--as"); err == nil || !strings.Contains(err.Error(), "no approvers (try more --approvals)") {
		t.Errorf("no approvers: %v", err)
	}
	other := errors.New("other")
	if err := demoApproverError(other, "--as"); err != other {
		t.Errorf("other errors pass through: %v", err)
	}
}
