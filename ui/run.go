package ui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"
)

// Run runs the inbox until the user quits or ctx is cancelled. progOpts are
// passed to tea.NewProgram (input/output/environment for an SSH session,
// for example).
func Run(ctx context.Context, opts Options, progOpts ...tea.ProgramOption) error {
	m := NewBound(ctx, opts)
	defer m.Close()
	p := tea.NewProgram(m, append([]tea.ProgramOption{tea.WithContext(ctx)}, progOpts...)...)
	_, err := p.Run()
	if err != nil && ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		return ctx.Err()
	}
	return err
}
