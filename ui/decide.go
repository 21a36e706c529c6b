package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/config"
	"approvals/graph"
	"approvals/ui/sanitize"
)

// decisionForm is the justification form: it states the decision and what
// it applies to, takes the justification, and ignores keystrokes for a
// grace period after opening so that typing in flight cannot submit.
type decisionForm struct {
	decision  graph.Decision
	targets   []*item
	stageOf   map[*item]string // the stage each target was shown with: the decision is for that one
	skipped   int              // items that were asked for but cannot be decided now
	required  bool
	input     textField
	openedAt  time.Time
	templates []string
	template  int    // index of the template last filled in, -1 for none
	problem   string // why the last submit was refused
}

// decisionWord is the decision in the user's words.
func decisionWord(d graph.Decision) string {
	if d == graph.Deny {
		return "deny"
	}
	return "approve"
}

// openForm opens the form for a decision on the marked items, or on the
// selected one when nothing is marked.
func (m *Model) openForm(d graph.Decision) tea.Cmd {
	asked := m.inbox.markedItems()
	if len(asked) == 0 {
		if it := m.inbox.selected(); it != nil {
			asked = []*item{it}
		}
	}
	if len(asked) == 0 {
		m.notice("Nothing to decide: the list is empty.", noticeInfo)
		return nil
	}
	f := &decisionForm{decision: d, openedAt: m.clock(), template: -1, stageOf: map[*item]string{}}
	for _, it := range asked {
		if it.decidable() {
			f.targets = append(f.targets, it)
			f.stageOf[it] = it.stage.ID
		} else {
			f.skipped++
		}
	}
	if len(f.targets) == 0 {
		m.notice(undecidableReason(asked, m.keys.first(config.ActionRefresh)), noticeWarn)
		return nil
	}
	f.required = d == graph.Deny || m.opts.RequireApproveJustification
	f.templates = m.opts.Templates[d]
	// The field holds more than can be sent, so a long paste is kept
	// whole to be shortened, not cut silently.
	f.input = newTextField(m.width-m.styles.FormBox.GetHorizontalFrameSize(), 2, sanitize.MaxRunes)
	for _, it := range f.targets {
		if draft, ok := m.drafts[it.a.Ref]; ok {
			f.input.SetValue(draft)
			break
		}
	}
	m.form = f
	m.relayout()
	return nil
}

// undecidableReason explains why none of items can be decided.
func undecidableReason(items []*item, refreshKey string) string {
	for _, it := range items {
		if it.state == stateQueued || it.state == stateSending {
			return "A decision on this request is already on its way."
		}
		if it.state == stateDone && leaves(it.result.Outcome) {
			return "Nothing more to decide: " + outcomeSentence(it.result) + "."
		}
	}
	if len(items) == 1 {
		if a := items[0].a; len(a.Stages) == 0 && a.Problem != "" {
			return "Cannot decide yet: " + sanitize.Line(a.Problem) + "; " + refreshKey + " refreshes."
		}
		return "Nothing to decide: no stage of this request is waiting for you."
	}
	return "Nothing to decide: none of these requests has a stage waiting for you."
}

// updateForm handles a key while the form is open.
func (m *Model) updateForm(msg tea.KeyPressMsg) tea.Cmd {
	f := m.form
	if m.clock().Sub(f.openedAt) < m.opts.GracePeriod {
		return nil // in flight when the form opened: never let it submit
	}
	if m.keys.is(msg, config.ActionQuit) && msg.Text == "" { // ctrl+c, not a typed "q"
		return m.askQuit()
	}
	switch act, _ := m.keys.action(config.ScopeForm, msg); act {
	case config.ActionCancel:
		m.closeForm(true)
		m.notice("Cancelled: nothing was sent.", noticeInfo)
		return nil
	case config.ActionSubmit:
		return m.submitForm()
	case config.ActionNextTemplate:
		if len(f.templates) > 0 {
			f.template = (f.template + 1) % len(f.templates)
			f.input.SetValue(f.templates[f.template])
			f.input.CursorEnd()
		}
		return nil
	}
	f.input.Update(msg)
	f.problem = ""
	return nil
}

// closeForm closes the form, keeping typed text as a draft when asked.
func (m *Model) closeForm(keepDraft bool) {
	f := m.form
	if f == nil {
		return
	}
	if keepDraft {
		text := strings.TrimSpace(f.input.Value())
		for _, it := range f.targets {
			if text == "" {
				delete(m.drafts, it.a.Ref) // cleared on purpose: nothing to keep or to warn about on quit
			} else {
				m.drafts[it.a.Ref] = text
			}
		}
	}
	m.form = nil
	m.relayout()
}

// submitForm checks the justification and queues the decisions.
func (m *Model) submitForm() tea.Cmd {
	f := m.form
	text := strings.TrimSpace(f.input.Value())
	if f.required && text == "" {
		f.problem = "A justification is required to " + decisionWord(f.decision) + "."
		return nil
	}
	if n := graph.JustificationLength(text); n > graph.MaxJustification {
		f.problem = "Too long: " + strconv.Itoa(n) + " characters, at most " + strconv.Itoa(graph.MaxJustification) +
			" can be sent. Shorten it; nothing was sent."
		return nil
	}
	targets := make([]*item, 0, len(f.targets))
	for _, it := range f.targets {
		if m.stillAsShown(f, it) {
			targets = append(targets, it)
		}
	}
	m.closeForm(false)
	if len(targets) == 0 {
		m.notice("Nothing sent: these requests are no longer waiting for you.", noticeWarn)
		return nil
	}
	return m.queue(f.decision, text, targets, f.stageOf)
}

// checkFormTargets drops from an open form what a refresh took away
// (decided elsewhere, cancelled, expired) and says so, so nobody types a
// justification for a request that is gone.
func (m *Model) checkFormTargets() {
	f := m.form
	if f == nil {
		return
	}
	text := strings.TrimSpace(f.input.Value())
	kept := f.targets[:0]
	for _, it := range f.targets {
		if m.stillAsShown(f, it) {
			kept = append(kept, it)
		} else if text != "" {
			m.drafts[it.a.Ref] = text // should it come back, the text waits for it
		}
	}
	gone := len(f.targets) - len(kept)
	f.targets = kept
	switch {
	case gone == 0:
	case len(kept) == 0:
		f.problem = "No longer waiting for you as shown: decided by someone else, moved to another stage, cancelled or expired. esc closes the form."
	default:
		f.skipped += gone
		f.problem = plural(gone, "request") + " no longer waiting for you as shown (decided elsewhere, moved on or gone): left out."
	}
}

// stillAsShown reports whether a form target can still be decided as the
// form showed it: listed, decidable, and at the same stage. (A refresh may
// find that stage decided elsewhere and a later one mine: a decision on the
// later stage is one the user has not made.)
func (m *Model) stillAsShown(f *decisionForm, it *item) bool {
	return m.inbox.items[it.a.Ref] == it && it.decidable() && it.stage.ID == f.stageOf[it]
}

// formTitle states the decision and what it applies to, plainly.
func (f *decisionForm) formTitle() string {
	verb := strings.ToUpper(decisionWord(f.decision)[:1]) + decisionWord(f.decision)[1:]
	switch len(f.targets) {
	case 0:
		return verb + ": nothing left to decide"
	case 1:
		return verb + ": " + f.targets[0].title()
	}
	return verb + " " + strconv.Itoa(len(f.targets)) + " requests"
}

// formView draws the form box, exactly width × formHeight.
func (m *Model) formView(width int) string {
	f, s := m.form, m.styles
	inner := width - s.FormBox.GetHorizontalFrameSize()
	title := f.formTitle()
	if f.skipped > 0 {
		title += " (" + strconv.Itoa(f.skipped) + " skipped: not waiting for you)"
	}
	if n := m.hiddenTargets(); n > 0 {
		title += " (" + strconv.Itoa(n) + " hidden by the filter)"
	}
	label := "Justification"
	if f.required {
		label += " (required)"
	} else {
		label += " (optional)"
	}
	switch {
	case len(f.templates) > 0 && f.template >= 0:
		label += " · template " + strconv.Itoa(f.template+1) + " of " + strconv.Itoa(len(f.templates))
	case len(f.templates) > 0:
		label += " · " + plural(len(f.templates), "template") + " on tab"
	}
	counter, over := justificationCounter(f.input.Value())
	if len(f.targets) > 1 {
		label += " · " + sanitize.Truncate(f.targetList(), max(0, inner-sanitize.Width(label)-sanitize.Width(counter)-3))
	}
	labelLine := s.Label.Render(sanitize.Truncate(label, max(0, inner-sanitize.Width(counter))))
	if counter != "" {
		style := s.Muted
		if over {
			style = s.Bad
		}
		labelLine += style.Render(counter)
	}
	hint := s.Muted.Render(sanitize.Truncate(m.formHint(), inner))
	if f.problem != "" {
		hint = s.Bad.Render(sanitize.Truncate(f.problem, inner))
	}
	titleStyle := s.Ok
	if f.decision == graph.Deny {
		titleStyle = s.Bad
	}
	placeholder := "optional: why you " + decisionWord(f.decision)
	if f.required {
		placeholder = "required: type why you " + decisionWord(f.decision)
	}
	input, _, _ := f.input.View(s.Muted.Render(sanitize.Truncate(placeholder, inner)))
	body := strings.Join([]string{
		titleStyle.Render(sanitize.Truncate(title, inner)),
		labelLine,
		input,
		hint,
	}, "\n")
	return s.FormBox.Width(width).Render(body)
}

// hiddenTargets counts the form's targets the filter hides: marked requests
// are decided whether shown or not, so the form says so rather than let
// the rows on screen suggest they are all there is.
func (m *Model) hiddenTargets() int {
	n := 0
	for _, it := range m.form.targets {
		if _, shown := m.inbox.position(it); !shown {
			n++
		}
	}
	return n
}

// justificationCounter is " · 912/1000" once the text nears the most that
// can be sent, and whether it is over; "" while it is far from it.
func justificationCounter(text string) (string, bool) {
	n := graph.JustificationLength(strings.TrimSpace(text))
	if n < graph.MaxJustification*9/10 {
		return "", false
	}
	return " · " + strconv.Itoa(n) + "/" + strconv.Itoa(graph.MaxJustification), n > graph.MaxJustification
}

// targetList names the first few targets: "Ada, Bob and 3 more".
func (f *decisionForm) targetList() string {
	var names []string
	for i, it := range f.targets {
		if i == 2 {
			names = append(names, "and "+strconv.Itoa(len(f.targets)-2)+" more")
			break
		}
		names = append(names, it.title())
	}
	return strings.Join(names, ", ")
}

// formHint is the form's one-line key reminder.
func (m *Model) formHint() string {
	parts := []string{m.keys.first(config.ActionSubmit) + " " + decisionWord(m.form.decision),
		m.keys.first(config.ActionCancel) + " cancel (nothing is sent)"}
	if len(m.form.templates) > 0 {
		parts = append(parts, m.keys.first(config.ActionNextTemplate)+" next template")
	}
	return strings.Join(parts, " · ")
}

// formCursor is where the terminal cursor goes: inside the text field.
func (m *Model) formCursor(top int) *tea.Cursor {
	_, x, y := m.form.input.View("")
	fb := m.styles.FormBox
	return tea.NewCursor(x+fb.GetBorderLeftSize()+fb.GetPaddingLeft(),
		y+top+fb.GetBorderTopSize()+fb.GetPaddingTop()+2) // below the title and label rows
}
