package ui

import (
	"context"

	"approvals/graph/auth"
)

// AuthSignIn adapts a graph/auth sign-in (auth.Session.EnsureSignedIn or
// SignIn) to Options.SignIn: each device code auth hands out becomes the
// inbox's prompt, drawn inside the screen.
func AuthSignIn(signIn func(context.Context, func(auth.DeviceCode)) error) func(context.Context, func(DeviceCode)) error {
	return func(ctx context.Context, prompt func(DeviceCode)) error {
		return signIn(ctx, func(dc auth.DeviceCode) { prompt(DeviceCode(dc)) })
	}
}
