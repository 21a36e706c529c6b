package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/config"
	"approvals/graph"
	"approvals/ui/sanitize"
	"approvals/ui/words"
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
	listTop   int    // bulk: the first target shown in the form's list
	listRows  int    // bulk: how many targets the list shows
}

// draftKey names a kept justification: text typed to approve a request
// is not offered to deny it.
type draftKey struct {
	ref      graph.Ref
	decision graph.Decision
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
		m.notice(undecidableReason(asked, m.keys.first(ActionRefresh)), noticeWarn)
		return nil
	}
	f.required = d == graph.Deny || m.opts.RequireApproveJustification
	f.templates = m.opts.Templates[d]
	// The field holds more than can be sent, so a long paste is kept
	// whole to be shortened, not cut silently.
	f.input = newTextField(m.width-m.styles.FormBox.GetHorizontalFrameSize(), 2, sanitize.MaxRunes)
	for _, it := range f.targets {
		if draft, ok := m.drafts[draftKey{it.a.Ref, d}]; ok {
			f.input.SetValue(draft)
			break
		}
	}
	m.open(f)
	return nil
}

// form is the open decision form, or nil.
func (m *Model) form() *decisionForm {
	f, _ := m.stack.get(layerForm).(*decisionForm)
	return f
}

// undecidableReason explains why none of items can be decided.
func undecidableReason(items []*item, refreshKey string) string {
	for _, it := range items {
		if it.state == stateQueued || it.state == stateSending {
			return "A decision on this request is already on its way."
		}
		if it.state == stateDone && leaves(it.result.Outcome) {
			return "Nothing more to decide: " + outcomeSentence(*it.result) + "."
		}
	}
	if len(items) == 1 {
		if p := items[0].a.PortalOnly; p != "" {
			return "Cannot be decided here: " + sanitize.Line(p) + "."
		}
		if a := items[0].a; len(a.Stages) == 0 && a.Problem != "" {
			return "Cannot decide yet: " + sanitize.Line(a.Problem) + "; " + refreshKey + " refreshes."
		}
		return "Nothing to decide: no stage of this request is waiting for you."
	}
	return "Nothing to decide: none of these requests has a stage waiting for you."
}

func (*decisionForm) layer() layer { return layerForm }

// key handles a key while the form is in front: it edits the text and
// says when to submit, cancel or quit.
func (f *decisionForm) key(m *Model, msg tea.KeyPressMsg) action {
	if m.clock().Sub(f.openedAt) < m.opts.GracePeriod {
		return keyTaken{} // in flight when the form opened: never let it submit
	}
	if m.keys.is(msg, ActionQuit) && msg.Text == "" { // ctrl+c, not a typed "q"
		return askQuit{}
	}
	act, bound := m.keys.action(config.ScopeForm, msg)
	switch act {
	case ActionCancel:
		return cancelForm{}
	case ActionSubmit:
		return submitForm{}
	case ActionNextTemplate:
		if len(f.templates) > 0 {
			f.template = (f.template + 1) % len(f.templates)
			f.input.SetValue(f.templates[f.template])
			f.input.CursorEnd()
			f.problem = "" // a "required" complaint no longer holds
		}
		return formEdited{}
	}
	if !bound {
		switch msg.String() {
		case "pgdown":
			f.scrollList(max(1, f.listRows))
			return formEdited{}
		case "pgup":
			f.scrollList(-max(1, f.listRows))
			return formEdited{}
		}
	}
	before := f.input.Value()
	f.input.Update(msg)
	if f.input.Value() != before {
		f.problem = ""
		if f.template >= 0 && f.input.Value() != f.templates[f.template] {
			f.template = -1 // edited: no longer "template 1 of 2"
		}
	}
	return formEdited{}
}

func (f *decisionForm) hints(m *Model) []hint {
	submit, cancel := m.hint(ActionSubmit, 0), m.hint(ActionCancel, 0)
	submit.desc = decisionWord(f.decision)
	cancel.desc = "cancel (nothing is sent)"
	hs := []hint{submit, cancel}
	if len(f.templates) > 0 {
		hs = append(hs, m.hint(ActionNextTemplate, 1))
	}
	return append(hs, hint{keys: "ctrl+w", desc: "delete word", drop: 2}, hint{keys: "ctrl+u", desc: "clear", drop: 2})
}

func (f *decisionForm) cursor(m *Model) *tea.Cursor { return m.formCursor(1 + m.layout.bodyH) }

// scrollList moves the bulk list by delta targets, clamped.
func (f *decisionForm) scrollList(delta int) {
	f.listTop = max(0, min(f.listTop+delta, len(f.targets)-max(1, f.listRows)))
}

// closeForm closes the form, keeping typed text as a draft when asked.
func (m *Model) closeForm(keepDraft bool) {
	f := m.form()
	if f == nil {
		return
	}
	if keepDraft {
		text := strings.TrimSpace(f.input.Value())
		for _, it := range f.targets {
			if text == "" {
				delete(m.drafts, draftKey{it.a.Ref, f.decision}) // cleared on purpose: nothing to keep or to warn about on quit
			} else {
				m.drafts[draftKey{it.a.Ref, f.decision}] = text
			}
		}
	}
	m.close(layerForm)
}

// submitForm checks the justification and queues the decisions.
func (m *Model) submitForm() tea.Cmd {
	f := m.form()
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
	f := m.form()
	if f == nil {
		return
	}
	text := strings.TrimSpace(f.input.Value())
	kept := f.targets[:0]
	var taken string // who decided a dropped request's stage, when the listing says
	for _, it := range f.targets {
		if m.stillAsShown(f, it) {
			kept = append(kept, it)
			continue
		}
		if text != "" {
			m.drafts[draftKey{it.a.Ref, f.decision}] = text // should it come back, the text waits for it
		}
		if i := stageIndex(it.a, f.stageOf[it]); i >= 0 && taken == "" {
			if st := it.a.Stages[i]; st.Decided() {
				if who := sanitize.Line(st.ReviewedBy.DisplayName); who != "" {
					taken = who + " " + strings.ToLower(words.Result(st.Result)) + " " + it.title() + " (stage " + strconv.Itoa(i+1) + ")"
					m.say(taken, noticeWarn)
				}
			}
		}
	}
	gone := len(f.targets) - len(kept)
	f.targets = kept
	defer m.relayout() // the form's list may have shrunk
	switch {
	case gone == 0:
	case len(kept) == 0 && taken != "":
		f.problem = "Taken: " + taken + ". Nothing was sent; esc closes the form."
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
