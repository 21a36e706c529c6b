package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
	"approvals/ui/sanitize"
	"approvals/ui/words"
)

// The decision form on screen: what is decided (every request of a bulk
// decision, scrollable), which stage and what the decision does next, and
// the justification editor, which grows with the text up to a limit and
// then scrolls. Key hints are in the footer only.

// formTitle states the decision and what it applies to, plainly.
func (f *decisionForm) formTitle() string {
	verb := capitalize(decisionWord(f.decision))
	switch len(f.targets) {
	case 0:
		return verb + ": nothing left to decide"
	case 1:
		return verb + ": " + f.targets[0].title()
	}
	return verb + " " + strconv.Itoa(len(f.targets)) + " requests"
}

// stageIndex is the index of the stage with id in a, -1 when absent.
func stageIndex(a *graph.Approval, id string) int {
	for i, st := range a.Stages {
		if st.ID == id {
			return i
		}
	}
	return -1
}

// stageLine is the stage being decided and what the decision does:
// "Stage 2 of 3 · Data owner — approving sends it to stage 3 (Security review)".
func stageLine(it *item, stageID string, d graph.Decision) string {
	i := stageIndex(it.a, stageID)
	if i < 0 {
		if d == graph.Deny {
			return "Denying ends the request"
		}
		return "Stage not known: approving may grant access"
	}
	return words.StageHeading(*it.a, i) + " — " + words.Effect(d, *it.a, i)
}

// stageSummary is the timeline in one line: "✓ 1 Manager (Ada Lovelace) ·
// ▶ 2 Finance owners · 3 Security"; "" for a single stage.
func stageSummary(it *item) string {
	if len(it.a.Stages) < 2 {
		return ""
	}
	parts := make([]string, 0, len(it.a.Stages))
	for i, st := range it.a.Stages {
		sign := "·"
		switch {
		case st.Mine():
			sign = "▶"
		case st.Result == graph.Approved:
			sign = "✓"
		case st.Result == graph.Denied:
			sign = "✗"
		}
		p := sign + " " + strconv.Itoa(i+1)
		if n := strings.TrimSpace(sanitize.Line(st.DisplayName)); n != "" {
			p += " " + n
		}
		if who := sanitize.Line(st.ReviewedBy.DisplayName); st.Decided() && who != "" {
			p += " (" + who + ")"
		}
		parts = append(parts, p)
	}
	return "Stages: " + strings.Join(parts, "  ")
}

// bulkEffect sums up what a bulk decision does: "approving grants access to
// 3 and sends 2 to their next stage".
func (f *decisionForm) bulkEffect() string {
	if f.decision == graph.Deny {
		return "Denying ends each of them"
	}
	final, more := 0, 0
	for _, it := range f.targets {
		if i := stageIndex(it.a, f.stageOf[it]); i >= 0 && i < len(it.a.Stages)-1 {
			more++
		} else {
			final++
		}
	}
	switch {
	case more == 0:
		return "Final stage of each: approving grants access to all " + strconv.Itoa(final)
	case final == 0:
		return "Approving sends each of them to its next stage"
	}
	return "Approving grants access to " + strconv.Itoa(final) + " and sends " + strconv.Itoa(more) + " to their next stage"
}

// formPlan sizes the form for the screen: editor rows grow with the text
// up to a limit that depends on the height, and the bulk list shows as
// many requests as fit. It returns the rows the form wants.
func (m *Model) formPlan() int {
	f := m.form()
	inner := max(10, m.width-m.styles.FormBox.GetHorizontalFrameSize())
	f.input.SetWidth(inner)
	edMax := max(2, min(8, (m.height-16)/3))
	f.input.SetHeight(max(2, min(f.input.Lines(), edMax)))
	if len(f.targets) > 1 {
		f.listRows = min(len(f.targets), max(2, (m.height-16)/2))
	} else {
		f.listRows = 0
	}
	f.scrollList(0)
	return len(m.formLines(inner)) + m.styles.FormBox.GetVerticalFrameSize()
}

// fitForm shrinks the list, then the editor, until the form fits in avail
// rows (what the layout gave it).
func (m *Model) fitForm(avail int) {
	f := m.form()
	inner := max(10, m.width-m.styles.FormBox.GetHorizontalFrameSize())
	frame := m.styles.FormBox.GetVerticalFrameSize()
	for len(m.formLines(inner))+frame > avail {
		switch {
		case f.listRows > 1:
			f.listRows--
		case f.input.height > 1:
			f.input.SetHeight(f.input.height - 1)
		default:
			return // formView cuts what is left over, title and editor first kept
		}
	}
	f.scrollList(0)
}

// formLines are the form's lines inside the box, unstyled widths at most
// inner. The editor is last, so that a form cut short keeps the title.
func (m *Model) formLines(inner int) []string {
	f, s := m.form(), m.styles
	var lines []string
	add := func(style func(...string) string, text string) {
		lines = append(lines, style(sanitize.Truncate(text, inner)))
	}
	titleStyle := s.Ok.Render
	if f.decision == graph.Deny {
		titleStyle = s.Bad.Render
	}
	title := f.formTitle()
	if f.skipped > 0 {
		title += " (" + strconv.Itoa(f.skipped) + " skipped: not waiting for you)"
	}
	for _, l := range capLines(wrap(title, inner), 2, inner) {
		add(titleStyle, l)
	}
	if f.problem != "" {
		for _, l := range capLines(wrap(f.problem, inner), 2, inner) {
			add(s.Bad.Render, l)
		}
	}
	switch len(f.targets) {
	case 0:
	case 1:
		it := f.targets[0]
		add(s.MyStage.Render, stageLine(it, f.stageOf[it], f.decision))
		if sum := stageSummary(it); sum != "" {
			add(s.Muted.Render, sum)
		}
	default:
		add(s.MyStage.Render, f.bulkEffect())
		lines = append(lines, m.bulkList(inner)...)
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
		label += " · " + plural(len(f.templates), "template") + " on " + m.keys.first(ActionNextTemplate)
	}
	if pos := f.input.Position(); pos != "" {
		label += " · " + pos
	}
	counter, over := justificationCounter(f.input.Value())
	labelLine := s.Label.Render(sanitize.Truncate(label, max(0, inner-sanitize.Width(counter))))
	if counter != "" {
		style := s.Muted
		if over {
			style = s.Bad
		}
		labelLine += style.Render(counter)
	}
	lines = append(lines, labelLine)
	placeholder := "optional: why you " + decisionWord(f.decision)
	if f.required {
		placeholder = "required: type why you " + decisionWord(f.decision)
	}
	input, _, _ := f.input.View(s.Muted.Render(sanitize.Truncate(placeholder, inner)))
	return append(lines, strings.Split(input, "\n")...)
}

// bulkList is the header and the visible rows of a bulk decision's list:
// every request it decides, with its stage, those the filter hides said so.
func (m *Model) bulkList(inner int) []string {
	f, s := m.form(), m.styles
	n := len(f.targets)
	head := "Covers " + strconv.Itoa(n) + " requests"
	if h := m.hiddenTargets(); h > 0 {
		head += " (" + strconv.Itoa(h) + " hidden by the filter)"
	}
	if f.listRows < n {
		head += " · " + strconv.Itoa(f.listTop+1) + "–" + strconv.Itoa(f.listTop+f.listRows) + " of " + strconv.Itoa(n) + ", pgup/pgdown scroll"
	}
	out := []string{s.Label.Render(sanitize.Truncate(head, inner))}
	for i := f.listTop; i < min(n, f.listTop+f.listRows); i++ {
		it := f.targets[i]
		tail := ""
		if j := stageIndex(it.a, f.stageOf[it]); j >= 0 {
			tail = " · stage " + strconv.Itoa(j+1) + " of " + strconv.Itoa(len(it.a.Stages))
		}
		if _, shown := m.inbox.position(it); !shown {
			tail += " · hidden by the filter"
		}
		out = append(out, keepTail("  "+it.title(), tail, inner))
	}
	return out
}

// formView draws the form box, exactly width × layout.formH.
func (m *Model) formView(width int) string {
	s := m.styles
	inner := width - s.FormBox.GetHorizontalFrameSize()
	lines := m.formLines(inner)
	if room := m.layout.formH - s.FormBox.GetVerticalFrameSize(); len(lines) > room {
		// Too short a screen: keep the title and the editor's rows.
		ed := m.form().input.height
		head := max(0, room-ed)
		lines = append(lines[:head:head], lines[len(lines)-min(ed, room):]...)
	}
	return s.FormBox.Width(width).Render(strings.Join(lines, "\n"))
}

// formFocus is the request the pane beside the form shows: the one being
// decided, or the first shown in a bulk decision's list, never one the
// form does not cover.
func (m *Model) formFocus() *item {
	f := m.form()
	if f == nil || len(f.targets) == 0 {
		return nil
	}
	return f.targets[max(0, min(f.listTop, len(f.targets)-1))]
}

// hiddenTargets counts the form's targets the filter hides: marked requests
// are decided whether shown or not, so the form says so rather than let
// the rows on screen suggest they are all there is.
func (m *Model) hiddenTargets() int {
	n := 0
	for _, it := range m.form().targets {
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

// formCursor is where the terminal cursor goes: inside the text field,
// whose rows end the form.
func (m *Model) formCursor(top int) *tea.Cursor {
	_, x, y := m.form().input.View("")
	fb := m.styles.FormBox
	editorTop := m.layout.formH - fb.GetVerticalFrameSize() - m.form().input.height
	return tea.NewCursor(x+fb.GetBorderLeftSize()+fb.GetPaddingLeft(),
		y+top+fb.GetBorderTopSize()+fb.GetPaddingTop()+editorTop)
}
