package ui

import (
	"context"
	"time"

	"approvals/config"
	"approvals/graph"
)

// Backend is what the inbox needs from Graph. *graph.Client satisfies it.
type Backend interface {
	// Refresh lists everything waiting for me.
	Refresh(ctx context.Context) (*graph.Snapshot, error)
	// Decide sends one decision; it limits its own concurrency.
	Decide(ctx context.Context, req graph.DecisionRequest) graph.DecisionResult
	// Forget drops cached details of one approval (after a decision).
	Forget(ref graph.Ref)
}

// StreamingBackend is a Backend that reports a refresh as it goes
// (*graph.Client does): the inbox then shows each source, and the first
// pages of a long list, as soon as they are read.
type StreamingBackend interface {
	Backend
	RefreshEach(ctx context.Context, progress func(graph.Progress)) (*graph.Snapshot, error)
}

// IdentityBackend is a Backend that can say who is signed in
// (*graph.Client does): the inbox then flags the approver's own requests
// with "(you)". A wrapper around a Backend (an SSH session's guard) must
// pass this on, or the flag is lost.
type IdentityBackend interface {
	Backend
	Me(ctx context.Context) (graph.Identity, error)
}

// DeviceCode is a device-code sign-in prompt: the user opens URL and types
// UserCode before Expires.
type DeviceCode struct {
	UserCode string
	URL      string
	Message  string
	Expires  time.Time
}

// Defaults for the zero values of Options. The settings' defaults come
// from config, the one place they are written.
const (
	DefaultPollInterval = config.DefaultPollInterval
	DefaultUndoWindow   = config.DefaultUndoWindow
	DefaultGracePeriod  = 400 * time.Millisecond
)

// Options configures one inbox. Every duration has one meaning for its
// zero value: the default; a negative one turns the thing off.
type Options struct {
	Backend      Backend
	Keys         []config.KeyDef // effective bindings; nil = DefaultKeys()
	PollInterval time.Duration   // 0 = DefaultPollInterval; <0 = no automatic polling (r only)
	UndoWindow   time.Duration   // 0 = DefaultUndoWindow; <0 = none: decisions go out at once
	GracePeriod  time.Duration   // keystrokes swallowed after the form opens; 0 = default, <0 = none
	Bell         bool            // ring on new arrivals
	Theme        string          // "auto" (default), "dark", "light", "ansi16"
	Templates    map[graph.Decision][]string
	// RequireApproveJustification demands a justification for approve too
	// (deny always requires one).
	RequireApproveJustification bool
	Identity                    string // "signed in as" text for the title bar
	// WhoAmI, when set, is asked once signed in for the "signed in as"
	// text (it may read Graph); it replaces Identity when it answers.
	WhoAmI func(ctx context.Context) (string, error)
	// Notices are said once when the inbox opens (for example: the token
	// cache is in memory only), since nothing printed before the inbox
	// took the screen stays visible.
	Notices []string
	// SignIn, when set, runs before polling starts. prompt may be called
	// from another goroutine.
	SignIn func(ctx context.Context, prompt func(DeviceCode)) error
	Now    func() time.Time // injectable clock; default time.Now

	// timer makes the inbox's timers: nil is tea.Tick. Tests in this
	// package set it to decide themselves when a timer fires.
	timer timerFunc
}

// withDefaults fills the zero values that have defaults.
func (o Options) withDefaults() Options {
	if o.PollInterval == 0 {
		o.PollInterval = DefaultPollInterval
	}
	switch {
	case o.UndoWindow == 0:
		o.UndoWindow = DefaultUndoWindow
	case o.UndoWindow < 0:
		o.UndoWindow = 0 // from here on, 0 is none
	}
	switch {
	case o.GracePeriod == 0:
		o.GracePeriod = DefaultGracePeriod
	case o.GracePeriod < 0:
		o.GracePeriod = 0
	}
	if o.Theme == "" {
		o.Theme = ThemeAuto
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Keys == nil {
		o.Keys = DefaultKeys()
	}
	return o
}
