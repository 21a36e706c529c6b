package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
)

// Golden views of the whole screen with fixed data and a fixed clock.
// Regenerate with: go test ./ui -run TestGolden -update

func TestGoldenViews(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
		for _, theme := range []string{ThemeDark, ThemeLight} {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], theme), func(t *testing.T) {
				m, _, _ := newLoaded(t, size[0], size[1], func(o *Options) { o.Theme = theme })
				press(m, "j", "space", "j") // a mark, and the cursor on a PIM request
				golden.RequireEqual(t, m.View().Content)
			})
		}
	}
}

func TestGoldenTooSmall(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 40, 10)
	golden.RequireEqual(t, m.View().Content)
}

func TestGoldenFormOpen(t *testing.T) {
	t.Parallel()
	for _, theme := range []string{ThemeDark, ThemeLight} {
		t.Run(theme, func(t *testing.T) {
			m, _, clk := newLoaded(t, 120, 40, func(o *Options) { o.Theme = theme })
			press(m, "d")
			clk.Advance(time.Second)
			typeText(m, "Not needed for the finance role; use the read-only package instead")
			golden.RequireEqual(t, m.View().Content)
		})
	}
}

func TestGoldenNarrowDetail(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 80, 24)
	press(m, "enter")
	golden.RequireEqual(t, m.View().Content)
}

// An on-behalf request: the row's sign, the detail and the form name the
// beneficiary and the requestor; the form says which stage is decided and
// what approving does next.
func TestGoldenOnBehalfForm(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 120, 40)
	press(m, "j", "j", "j") // ap-2: Edsger Dijkstra, asked by Grace Hopper
	press(m, "a")
	clk.Advance(time.Second)
	typeText(m, "Sponsor confirmed by mail")
	golden.RequireEqual(t, m.View().Content)
}

// A bulk decision at 80×24 lists every request it covers, scrolled, and
// says how many the filter hides.
func TestGoldenBulkForm(t *testing.T) {
	t.Parallel()
	m, _, clk := newLoaded(t, 80, 24)
	press(m, "A") // mark all five
	press(m, "/")
	typeText(m, "package")
	press(m, "enter", "d")
	clk.Advance(time.Second)
	golden.RequireEqual(t, m.View().Content)
}

// A filter on a value only the screen has: the AGE column's "5d".
func TestGoldenFilterVisibleText(t *testing.T) {
	t.Parallel()
	m, _, _ := newLoaded(t, 120, 40)
	press(m, "G", "/")
	typeText(m, "5d")
	press(m, "enter")
	golden.RequireEqual(t, m.View().Content)
}

// The message log at 80×24 with a failed decision: the Graph error whole.
func TestGoldenMessageLog(t *testing.T) {
	m, _, _ := newFailedApproval(t)
	press(m, "m")
	golden.RequireEqual(t, m.View().Content)
}
