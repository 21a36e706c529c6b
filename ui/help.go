package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"approvals/config"
	"approvals/ui/sanitize"
)

// The help line is generated from the effective key map and depends on
// what the user is doing; `?` shows every binding.

// hint is one entry of the help line; entries with a higher drop rank are
// left out first when the line does not fit.
type hint struct {
	keys, desc string
	drop       int
}

// inboxHints is what the help line offers when no overlay has its own,
// most useful first.
func (m *Model) inboxHints() []hint {
	k := m.hint
	var hs []hint
	if len(m.queued) > 0 {
		hs = append(hs, k(ActionUndo, 0))
	}
	scroll := hint{keys: m.keys.first(ActionDetailDown) + "/" + m.keys.first(ActionDetailUp), desc: "scroll detail", drop: 4}
	if m.narrowDetail() {
		// What moving keys do here: j/k go to the next request (the
		// detail follows), J/K and the page keys scroll this one.
		next := hint{keys: m.keys.first(ActionDown) + "/" + m.keys.first(ActionUp), desc: "move", drop: 0}
		scroll = hint{keys: m.keys.first(ActionPageDown) + "/" + m.keys.first(ActionDetailDown), desc: "scroll", drop: 0}
		hs = append(hs, k(ActionBack, 0), next, scroll)
	}
	hs = append(hs, k(ActionApprove, 0), k(ActionDeny, 0), k(ActionMark, 1))
	if !m.layout.wide && !m.stack.has(layerDetail) {
		hs = append(hs, k(ActionOpen, 1))
	}
	if m.layout.wide {
		hs = append(hs, scroll)
	}
	if m.inbox.marked > 0 {
		hs = append(hs, k(ActionClearMarks, 2))
	} else {
		hs = append(hs, k(ActionMarkAll, 5))
	}
	return append(hs, k(ActionFilter, 2), k(ActionSort, 3), k(ActionRefresh, 4),
		k(ActionHelp, 0), k(ActionQuit, 0))
}

// hint is the help-line entry of action a: its first key and its
// description; empty when a has no key.
func (m *Model) hint(a config.Action, drop int) hint {
	b := m.keys.binding(a)
	if !b.Enabled() || len(b.Keys()) == 0 {
		return hint{}
	}
	return hint{keys: keyName(b.Keys()[0]), desc: b.Help().Desc, drop: drop}
}

// helpLine draws the hints that fit in width, dropping the least useful.
// Each hint is drawn and measured once; trying narrower sets only adds up
// widths (drawing them afresh for each try was most of a resize's frame).
func (m *Model) helpLine(width int) string {
	sep := m.styles.Help.ShortSeparator.Render(" · ")
	sepW := ansi.StringWidth(sep)
	var hs []drawnHint
	for _, h := range m.shortHelp() {
		if h.keys == "" {
			continue
		}
		text := m.styles.Help.ShortKey.Render(h.keys) + " " + m.styles.Help.ShortDesc.Render(h.desc)
		hs = append(hs, drawnHint{text: text, width: ansi.StringWidth(text), drop: h.drop})
	}
	for rank := 6; rank >= 0; rank-- {
		if w := hintsWidth(hs, sepW); w <= width {
			return joinHints(hs, sep)
		}
		var kept []drawnHint
		for _, h := range hs {
			if h.drop < rank {
				kept = append(kept, h)
			}
		}
		hs = kept
	}
	return truncateStyled(joinHints(hs, sep), width)
}

// drawnHint is a hint as drawn in the help line.
type drawnHint struct {
	text        string
	width, drop int
}

func hintsWidth(hs []drawnHint, sepW int) int {
	w := 0
	for i, h := range hs {
		if i > 0 {
			w += sepW
		}
		w += h.width
	}
	return w
}

func joinHints(hs []drawnHint, sep string) string {
	var b strings.Builder
	for i, h := range hs {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(h.text)
	}
	return b.String()
}

// helpGroups is the full help, by topic.
func (m *Model) helpGroups() []struct {
	title   string
	actions []config.Action
} {
	return []struct {
		title   string
		actions []config.Action
	}{
		{"Move", []config.Action{ActionUp, ActionDown, ActionPageUp, ActionPageDown,
			ActionTop, ActionBottom, ActionOpen, ActionBack}},
		{"Choose", []config.Action{ActionMark, ActionMarkAll, ActionClearMarks,
			ActionFilter, ActionSort}},
		{"Decide", []config.Action{ActionApprove, ActionDeny, ActionUndo,
			ActionSubmit, ActionCancel, ActionNextTemplate}},
		{"Other", []config.Action{ActionDetailDown, ActionDetailUp, ActionRefresh,
			ActionCopyID, ActionHelp, ActionQuit}},
	}
}

// fullHelpLines lays the groups out in as many columns as fit, then a
// legend of the list's marks.
func (m *Model) fullHelpLines(width int) []string {
	s := m.styles
	type block struct {
		lines []string
		width int
	}
	var blocks []block
	for _, g := range m.helpGroups() {
		keyW, descW := 0, 0
		var bs []key.Binding
		for _, a := range g.actions {
			if b := m.keys.binding(a); b.Enabled() {
				bs = append(bs, b)
				keyW = max(keyW, sanitize.Width(b.Help().Key))
				descW = max(descW, sanitize.Width(b.Help().Desc))
			}
		}
		bl := block{lines: []string{s.Section.Render(g.title)}, width: max(keyW+2+descW, sanitize.Width(g.title))}
		for _, b := range bs {
			bl.lines = append(bl.lines, s.Help.FullKey.Render(cell(b.Help().Key, keyW))+"  "+s.Help.FullDesc.Render(b.Help().Desc))
		}
		blocks = append(blocks, bl)
	}
	const gap = 4
	lines := []string{s.Title.Render("Keys") + s.Muted.Render("  (submit, cancel and next template work in the justification form)"), ""}
	for len(blocks) > 0 {
		n, used := 0, 0
		for n < len(blocks) && (n == 0 || used+gap+blocks[n].width <= width) {
			used += blocks[n].width + gap
			n++
		}
		row := blocks[:n]
		blocks = blocks[n:]
		height := 0
		for _, b := range row {
			height = max(height, len(b.lines))
		}
		for y := range height {
			var sb strings.Builder
			for _, b := range row {
				l := ""
				if y < len(b.lines) {
					l = b.lines[y]
				}
				sb.WriteString(padStyled(l, b.width+gap))
			}
			lines = append(lines, truncateStyled(sb.String(), width))
		}
		lines = append(lines, "")
	}
	legend := []string{
		s.Section.Render("On the list"),
		"●  marked: " + m.keys.first(ActionApprove) + "/" + m.keys.first(ActionDeny) + " then apply to every marked request",
		"•  new since the last refresh, until you select it",
		"~  the deadline is estimated from the usual stage timeout",
		"DUE also shows a decision on its way: queued, sending, failed, unknown, not sent",
	}
	for _, l := range legend {
		lines = append(lines, truncateStyled(l, width))
	}
	return lines
}
