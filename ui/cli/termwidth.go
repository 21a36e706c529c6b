package cli

import (
	"os"

	"github.com/charmbracelet/x/term"
)

// termWidth is the width tables fit: Setup.Width when given, else the
// columns of the terminal Stdout is, or 0 (no limit) when Stdout is a
// pipe or a file.
func (a *app) termWidth() int {
	if a.Width != nil {
		return a.Width()
	}
	f, ok := a.Stdout.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0
	}
	w, _, err := term.GetSize(f.Fd())
	if err != nil {
		return 0
	}
	return w
}
