package ui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/config"
	"approvals/graph"
	"approvals/ui/sanitize"
)

// Model is the root of the inbox. Use a pointer: every method has a pointer
// receiver, and View may fill caches.
type Model struct {
	opts   Options
	keys   keyMap
	ctx    context.Context // cancelled when the program ends
	cancel context.CancelFunc

	identity string // "signed in as" text: Options.Identity, then WhoAmI's answer

	// Look.
	styles    Styles
	stylesGen int // bumps on restyle: invalidates drawn rows
	dark      bool
	noColor   bool

	// Geometry.
	width, height int
	layout        layout

	// now is the coarse clock every label is computed from: it moves on a
	// minute tick and when data arrives, never per frame.
	now time.Time

	inbox  inbox
	loaded bool // the first snapshot arrived

	// Polling.
	pollGen       int  // generation of the latest Refresh; replies from others are stale
	polling       bool // a Refresh is in flight
	refreshQueued bool // refresh again as soon as the one in flight returns
	manual        bool // the user asked for the refresh in flight
	failures      int  // consecutive failed polls (backoff)
	signedInAgain bool // signed in again since the last good poll: do not loop
	nextPollIn    time.Duration
	pollErr       error
	lastUpdated   time.Time
	sourceErrs    []graph.SourceError
	sources       sourcesShown // per source, from streaming refreshes
	sourceNote    string       // a source that cannot be listed or decided here, and the fix; the status line's last word
	warnings      []string

	// Decisions.
	form     *decisionForm
	queued   []*batch       // in their undo windows, oldest first; u undoes the newest
	sending  map[int]*batch // on their way
	batchSeq int
	drafts   map[draftKey]string  // justifications typed and not yet applied, per request and decision
	decided  map[graph.Ref]string // stage ids decided here, hidden from stale listings

	// Screens and modes.
	note         notice
	filtering    bool
	showDetail   bool // narrow layout: the detail replaces the list
	detailScroll int
	detailFor    *item
	showHelp     bool
	helpScroll   int
	quitAsk      string // non-empty: waiting for y/n to quit
	signIn       signInState
	helpCache    struct{ key, text string }
	headerCache  struct {
		key  [3]int
		text string
	}
}

// New builds an inbox. It does nothing until the program runs Init.
func New(opts Options) *Model {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	m := &Model{
		opts:     opts,
		identity: opts.Identity,
		keys:     newKeyMap(opts.Keys),
		ctx:      ctx,
		cancel:   cancel,
		dark:     opts.Theme != ThemeLight,
		now:      opts.Now(),
		inbox:    newInbox(),
		sending:  map[int]*batch{},
		drafts:   map[draftKey]string{},
		decided:  map[graph.Ref]string{},
	}
	m.inbox.now = m.now
	m.restyle()
	return m
}

// setNow moves the coarse clock.
func (m *Model) setNow(t time.Time) {
	m.now = t
	m.inbox.setNow(t)
}

// clock is the precise time, for grace periods and countdowns.
func (m *Model) clock() time.Time { return m.opts.Now() }

// minute is the coarse clock as a cache key.
func (m *Model) minute() int64 { return m.now.Unix() / 60 }

// Init asks for the terminal's background, starts the coarse clock, and
// signs in or starts polling.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{clockTick()}
	if m.opts.Theme == ThemeAuto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if len(m.opts.Notices) > 0 {
		m.notice(strings.Join(m.opts.Notices, "; "), noticeWarn)
	}
	if m.opts.SignIn != nil {
		cmds = append(cmds, m.startSignIn())
	} else {
		cmds = append(cmds, m.startPoll(false), m.findIdentity())
	}
	return tea.Batch(cmds...)
}

// findIdentity asks WhoAmI, when set, for the "signed in as" text, and the
// backend, when it can say, for the approver's object id (requests for the
// approver themself are flagged).
func (m *Model) findIdentity() tea.Cmd {
	who, ctx := m.opts.WhoAmI, m.ctx
	var me tea.Cmd
	if b, ok := m.opts.Backend.(interface {
		Me(context.Context) (graph.Identity, error)
	}); ok {
		me = func() tea.Msg {
			id, err := b.Me(ctx)
			if err != nil || id.ID == "" {
				return nil // not flagging is the only loss
			}
			return meFoundMsg{id: id.ID}
		}
	}
	if who == nil {
		return me
	}
	return tea.Batch(me, func() tea.Msg {
		text, err := who(ctx)
		if err != nil || text == "" {
			return nil // keep what is shown; the polls report Graph errors
		}
		return identityFoundMsg{text: text}
	})
}

// clockTick fires on each wall-clock minute.
func clockTick() tea.Cmd {
	return tea.Every(time.Minute, func(t time.Time) tea.Msg { return clockTickedMsg{at: t} })
}

// Update routes a message to the part of the inbox it concerns.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.relayout()
	case tea.BackgroundColorMsg:
		m.dark = msg.IsDark()
		m.restyle()
	case tea.EnvMsg:
		m.noColor = msg.Getenv("NO_COLOR") != ""
		m.restyle()
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case tea.PasteMsg:
		return m, m.onPaste(msg)
	case clockTickedMsg:
		m.setNow(m.clock())
		return m, clockTick()
	case refreshProgressMsg:
		return m, m.onProgress(msg)
	case approvalsLoadedMsg:
		return m, m.onLoaded(msg)
	case pollTickedMsg:
		return m, m.onPollTick(msg)
	case undoTickedMsg:
		return m, m.onUndoTick(msg)
	case decisionSentMsg:
		return m, m.onDecisionSent(msg)
	case deviceCodeShownMsg:
		return m, m.onDeviceCode(msg)
	case signedInMsg:
		return m, m.onSignedIn(msg)
	case signInTickedMsg:
		return m, m.onSignInTick(msg)
	case identityFoundMsg:
		m.identity = msg.text
	case meFoundMsg:
		m.inbox.setMe(msg.id)
	}
	return m, nil
}

// restyle rebuilds the styles after a theme, background or NO_COLOR change.
func (m *Model) restyle() {
	m.styles = newStyles(m.opts.Theme, m.dark, m.noColor)
	m.stylesGen++
}

// relayout recomputes the geometry after a resize or the form opening.
func (m *Model) relayout() {
	formH := 0
	if m.form != nil {
		formH = m.formPlan()
	}
	m.layout = computeLayout(m.width, m.height, formH)
	if m.form != nil && m.layout.formH < formH {
		m.fitForm(m.layout.formH)
	}
	m.inbox.setHeight(m.layout.bodyH - 1) // the column header takes a row
}

// selectionChanged runs after anything that may move the cursor: a new
// arrival stops being new once seen, and the detail scrolls back to top.
func (m *Model) selectionChanged() {
	it := m.inbox.selected()
	if it != m.detailFor {
		m.detailFor = it
		m.detailScroll = 0
	}
	if it != nil && it.isNew {
		it.isNew = false
		it.touch()
	}
}

// quit ends the program and cancels everything in flight.
func (m *Model) quit() tea.Cmd {
	m.cancel()
	return tea.Quit
}

// onKey handles a key press in whatever mode the inbox is in.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case m.quitAsk != "":
		return m.onQuitKey(msg)
	case m.layout.tooSmall:
		return m.onKeyTooSmall(msg)
	case m.signIn.active:
		return m.onSignInKey(msg)
	case m.form != nil:
		return m.updateForm(msg)
	case m.filtering:
		return m.onFilterKey(msg)
	case m.showHelp:
		return m.onHelpKey(msg)
	}
	act, ok := m.keys.action(config.ScopeInbox, msg)
	if !ok {
		return nil
	}
	return m.onAction(act)
}

// onKeyTooSmall: with only "terminal too small" on screen nobody can see
// what a key would do, so none decides anything blind (a form typed and
// submitted, a list moved and approved). Quitting (its question is shown)
// and undoing a queued decision still work.
func (m *Model) onKeyTooSmall(msg tea.KeyPressMsg) tea.Cmd {
	typing := m.form != nil || m.filtering
	switch {
	case m.keys.is(msg, config.ActionQuit) && (!typing || msg.Text == ""):
		return m.askQuit()
	case m.keys.is(msg, config.ActionUndo) && !typing && len(m.queued) > 0:
		m.undo()
	}
	return nil
}

// onAction carries out an inbox action.
func (m *Model) onAction(act config.Action) tea.Cmd {
	ib := &m.inbox
	switch act {
	case config.ActionUp:
		ib.move(-1)
	case config.ActionDown:
		ib.move(1)
	case config.ActionPageUp:
		if m.narrowDetail() {
			m.detailScroll = max(0, m.detailScroll-max(1, m.layout.bodyH-2))
		} else {
			ib.move(-ib.height)
		}
	case config.ActionPageDown:
		if m.narrowDetail() {
			m.detailScroll += max(1, m.layout.bodyH-2) // clamped when drawn
		} else {
			ib.move(ib.height)
		}
	case config.ActionTop:
		ib.moveTo(0)
	case config.ActionBottom:
		ib.moveTo(len(ib.view) - 1)
	case config.ActionOpen:
		if !m.layout.wide && ib.selected() != nil {
			m.showDetail = true
		}
	case config.ActionBack:
		m.back()
	case config.ActionFilter:
		m.filtering = true
	case config.ActionSort:
		ib.setOrder((ib.order + 1) % sortOrders)
	case config.ActionMark:
		ib.toggleMark()
		ib.move(1)
	case config.ActionMarkAll:
		ib.markShown()
	case config.ActionClearMarks:
		ib.clearMarks()
	case config.ActionApprove:
		return m.openForm(graph.Approve)
	case config.ActionDeny:
		return m.openForm(graph.Deny)
	case config.ActionUndo:
		m.undo()
	case config.ActionRefresh:
		return m.refreshNow()
	case config.ActionDetailUp:
		m.detailScroll = max(0, m.detailScroll-3)
	case config.ActionDetailDown:
		m.detailScroll += 3 // clamped when drawn
	case config.ActionCopyID:
		return m.copyID()
	case config.ActionHelp:
		m.showHelp = true
	case config.ActionQuit:
		return m.askQuit()
	}
	m.selectionChanged()
	return nil
}

// narrowDetail reports whether the detail fills the screen (narrow
// layout, opened with enter): page keys scroll it there.
func (m *Model) narrowDetail() bool { return !m.layout.wide && m.showDetail }

// back leaves the detail, else clears the filter, else the notice.
func (m *Model) back() {
	switch {
	case m.showDetail:
		m.showDetail = false
	case m.inbox.filter != "":
		m.inbox.setFilter("")
	default:
		m.clearNotice()
	}
}

// copyID puts the selected approval's id on the clipboard (OSC 52, so it
// reaches the user's terminal over SSH too).
func (m *Model) copyID() tea.Cmd {
	it := m.inbox.selected()
	if it == nil {
		return nil
	}
	m.notice("Copied the approval id to the clipboard.", noticeInfo)
	// The id is the server's: clean it, since it will be pasted (into a
	// shell, say) where a line break would run a command.
	return tea.SetClipboard(sanitize.Line(it.a.Ref.String()))
}

// onPaste feeds pasted text to whatever takes text.
func (m *Model) onPaste(msg tea.PasteMsg) tea.Cmd {
	switch {
	case m.form != nil:
		if m.clock().Sub(m.form.openedAt) < m.opts.GracePeriod {
			return nil
		}
		m.form.input.Update(msg)
		m.form.problem = ""
		m.relayout()
		return nil
	case m.filtering:
		m.inbox.setFilter(m.inbox.filter + singleLine(msg.Content))
		m.inbox.moveTo(0) // the first match in the current order
		m.selectionChanged()
	}
	return nil
}
