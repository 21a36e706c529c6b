package ui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/config"
	"approvals/graph"
)

// Model is the root of the inbox. Use a pointer: every method has a pointer
// receiver, and View may fill caches.
type Model struct {
	opts   Options
	keys   keyMap
	ctx    context.Context // cancelled when the program ends
	cancel context.CancelFunc

	timer    timerFunc // nil: tea.Tick (tests replace it)
	identity string    // "signed in as" text: Options.Identity, then WhoAmI's answer

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

	// Decisions (the form is on the overlay stack).
	queued   []*batch       // in their undo windows, oldest first; u undoes the newest
	sending  map[int]*batch // on their way
	batchSeq int
	drafts   map[draftKey]string  // justifications typed and not yet applied, per request and decision
	decided  map[graph.Ref]string // stage ids decided here, hidden from stale listings

	msgLog []logEntry // everything said this session, oldest first (msglog.go)
	news   string     // the last announcement of arrivals and departures, shown when nothing more pressing is

	// Screens and modes.
	stack        overlays // what stands in front of the inbox, back to front
	note         notice
	detailScroll int
	detailFor    *item
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
		timer:    opts.timer,
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
	cmds := []tea.Cmd{m.clockTick()}
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
	if b, ok := m.opts.Backend.(IdentityBackend); ok {
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

// Update routes a message to the part of the inbox it concerns.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		resized := m.width > 0 && (msg.Width != m.width || msg.Height != m.height)
		m.width, m.height = msg.Width, msg.Height
		m.relayout()
		if resized { // the first size is not a change: nothing was drawn at another size
			return m, repaintAfterResize()
		}
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
		return m, m.clockTick()
	case refreshProgressMsg:
		return m, m.onProgress(msg)
	case approvalsLoadedMsg:
		return m, m.onLoaded(msg)
	case pollTickedMsg:
		return m, m.onPollTick(msg)
	case undoTickedMsg:
		return m, m.onUndoTick(msg)
	case sendingTickedMsg:
		if len(m.sending) > 0 {
			return m, m.sendingTick()
		}
	case decisionSentMsg:
		return m, m.onDecisionSent(msg)
	case decisionRetryMsg:
		return m, m.onDecisionRetry(msg)
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

// relayout recomputes the geometry after a resize or an overlay opening
// or closing, and puts "terminal too small" in front or takes it away.
func (m *Model) relayout() {
	if m.width > 0 && m.height > 0 && computeLayout(m.width, m.height, 0).tooSmall {
		if !m.stack.has(layerTooSmall) {
			m.stack.open(tooSmallScreen{})
		}
	} else {
		m.stack.close(layerTooSmall)
	}
	formH := 0
	shown := m.stack.shown(layerForm)
	if shown {
		formH = m.formPlan()
	}
	m.layout = computeLayout(m.width, m.height, formH)
	if shown && m.layout.formH < formH {
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

// onInboxKey handles a key no overlay took.
func (m *Model) onInboxKey(msg tea.KeyPressMsg) tea.Cmd {
	act, ok := m.keys.action(config.ScopeInbox, msg)
	if !ok {
		return nil
	}
	// What was said in passing ("Cancelled: nothing was sent", "2 new
	// requests") goes stale with the next action; outcomes and errors
	// stay until replaced (and the message log keeps everything).
	m.news = ""
	if m.note.level == noticeInfo {
		m.clearNotice()
	}
	return m.onAction(act)
}

// onAction carries out an inbox action.
func (m *Model) onAction(act config.Action) tea.Cmd {
	ib := &m.inbox
	switch act {
	case ActionUp:
		ib.move(-1)
	case ActionDown:
		ib.move(1)
	case ActionPageUp:
		if m.narrowDetail() {
			m.scrollDetail(-max(1, m.layout.bodyH-2))
		} else {
			ib.move(-ib.height)
		}
	case ActionPageDown:
		if m.narrowDetail() {
			m.scrollDetail(max(1, m.layout.bodyH-2))
		} else {
			ib.move(ib.height)
		}
	case ActionTop:
		ib.moveTo(0)
	case ActionBottom:
		ib.moveTo(len(ib.view) - 1)
	case ActionOpen:
		if !m.layout.wide && ib.selected() != nil {
			m.open(detailScreen{})
		}
	case ActionBack:
		m.back()
	case ActionFilter:
		m.open(filterBar{})
	case ActionSort:
		ib.setOrder((ib.order + 1) % sortOrders)
	case ActionMark:
		ib.toggleMark()
		ib.move(1)
	case ActionMarkAll:
		ib.markShown()
	case ActionClearMarks:
		ib.clearMarks()
	case ActionApprove:
		return m.openForm(graph.Approve)
	case ActionDeny:
		return m.openForm(graph.Deny)
	case ActionUndo:
		m.undo()
	case ActionRefresh:
		return m.refreshNow()
	case ActionDetailUp:
		m.scrollDetail(-3)
	case ActionDetailDown:
		m.scrollDetail(3)
	case ActionCopyID:
		return m.copyID()
	case ActionHelp:
		m.open(&helpScreen{})
	case ActionMessages:
		m.open(&logScreen{})
	case ActionQuit:
		return m.askQuit()
	}
	m.selectionChanged()
	return nil
}

// narrowDetail reports whether the detail fills the screen (narrow
// layout, opened with enter): page keys scroll it there.
func (m *Model) narrowDetail() bool { return !m.layout.wide && m.stack.has(layerDetail) }

// back leaves the detail, else clears the filter, else the notice.
func (m *Model) back() {
	switch {
	case m.stack.has(layerDetail):
		m.close(layerDetail)
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
	return m.do(copyToClip{text: it.a.Ref.String(), note: "Copied the approval id to the clipboard."})
}

// onPaste feeds pasted text to whatever takes text.
func (m *Model) onPaste(msg tea.PasteMsg) tea.Cmd {
	switch f := m.stack.front(); f.(type) {
	case *decisionForm:
		f := m.form()
		if m.clock().Sub(f.openedAt) < m.opts.GracePeriod {
			return nil
		}
		f.input.Update(msg)
		f.problem = ""
		m.relayout()
		return nil
	case filterBar:
		m.inbox.setFilter(m.inbox.filter + singleLine(msg.Content))
		m.inbox.moveTo(0) // the first match in the current order
		m.selectionChanged()
	}
	return nil
}
