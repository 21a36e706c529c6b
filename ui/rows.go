package ui

import (
	"approvals/ui/words"
	"strings"
	"time"

	"approvals/graph"
	"approvals/ui/sanitize"
)

// rowKey is everything a drawn row depends on. A row is redrawn only when
// its key changes, so moving the cursor redraws two rows, not the list.
type rowKey struct {
	version  int
	width    int
	minute   int64 // the coarse clock
	selected bool
	styles   int
}

type rowCache struct {
	key  rowKey
	text string
}

// cell pads or cuts sanitized s to exactly w columns.
func cell(s string, w int) string {
	if asciiFits(s, w) {
		return s + strings.Repeat(" ", w-len(s))
	}
	if w > 0 && asciiFits(s, len(s)) {
		return s[:w-1] + sanitize.Ellipsis // one column each
	}
	s = sanitize.Truncate(s, w)
	if pad := w - sanitize.Width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// cellRight is cell aligned right.
func cellRight(s string, w int) string {
	if asciiFits(s, w) {
		return strings.Repeat(" ", w-len(s)) + s
	}
	s = sanitize.Truncate(s, w)
	if pad := w - sanitize.Width(s); pad > 0 {
		s = strings.Repeat(" ", pad) + s
	}
	return s
}

// asciiFits reports whether s is printable ASCII (one column per byte) no
// wider than w. Most names and labels are, and measuring or cutting them
// by grapheme was half the time of a frame whose rows were all new.
func asciiFits(s string, w int) bool {
	if len(s) > w {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// stateLabel is the DUE column while a decision is pending or done.
func stateLabel(it *item) string {
	switch it.state {
	case stateQueued:
		return "queued"
	case stateSending:
		return "sending"
	case stateDone:
		switch it.result.Outcome {
		case graph.OutcomeApproved:
			return "approved"
		case graph.OutcomeDenied:
			return "denied"
		case graph.OutcomeAlreadyDecided:
			return "taken"
		case graph.OutcomeGone:
			return "gone"
		case graph.OutcomeFailed:
			return "failed"
		case graph.OutcomeCancelled:
			return "not sent"
		default:
			return "unknown"
		}
	}
	return ""
}

// onBehalfSign starts the FOR cell of a request someone else asked for on
// the beneficiary's behalf; the detail names both.
const onBehalfSign = "↪ "

// personCell is the FOR column: the beneficiary, signed when someone else
// asked, flagged when it is the approver themself (signs first: a narrow
// column cuts the name, never the sign).
func personCell(it *item) string {
	s := it.person
	if it.self {
		s = "(you) " + s
	}
	if it.onBehalf {
		s = onBehalfSign + s
	}
	return s
}

// rowParts are a row's cells before styling.
type rowParts struct {
	gutter, due, kind, person, resource, stage, age string
}

func (m *Model) rowParts(it *item, c columns) rowParts {
	mark, fresh := " ", " "
	if it.marked {
		mark = "●"
	}
	if it.isNew {
		fresh = "•"
	}
	due := stateLabel(it)
	if due == "" {
		due = words.TimeLeft(m.now, it.a.Deadline, it.a.DeadlineEstimated)
	}
	return rowParts{
		gutter:   mark + fresh + " ",
		due:      cell(due, c.due),
		kind:     cell(it.kind, c.kind),
		person:   cell(personCell(it), c.person),
		resource: cell(it.resource, c.resource),
		stage:    cell(it.stageText, c.stage),
		age:      cellRight(words.Age(m.now, it.a.Created), c.age),
	}
}

// row draws one list row of exactly width columns, from the cache when
// nothing it depends on changed.
func (m *Model) row(it *item, width int, selected bool) string {
	k := rowKey{version: it.version, width: width, minute: m.minute(), selected: selected, styles: m.stylesGen}
	if it.row.key == k && it.row.text != "" {
		return it.row.text
	}
	c := rowColumns(width)
	p := m.rowParts(it, c)
	pens := m.styles.rows
	var text string
	if selected {
		plain := p.gutter + p.due + " " + p.kind + " " + p.person + " " + p.resource + " " + p.stage + " " + p.age
		text = pens.selected.paint(cell(plain, width))
	} else {
		req := pens.plain
		if it.isNew {
			req = pens.fresh
		}
		text = pens.marked.paintBlank(p.gutter) + m.duePen(it).paint(p.due) + " " + pens.muted.paint(p.kind) + " " +
			req.paint(p.person) + " " + p.resource + " " + pens.muted.paintCells(p.stage, p.age)
		// every cell but the gutter is exactly its column's width
		used := sanitize.Width(p.gutter) + c.due + c.kind + c.person + c.resource + c.stage + c.age + 5
		if pad := width - used; pad > 0 {
			text += strings.Repeat(" ", pad)
		}
	}
	it.row = rowCache{key: k, text: text}
	return text
}

// duePen colours the DUE column: outcomes by their meaning, deadlines by
// how close they are.
func (m *Model) duePen(it *item) pen {
	p := m.styles.rows
	switch it.state {
	case stateQueued, stateSending:
		return p.warn
	case stateDone:
		switch it.result.Outcome {
		case graph.OutcomeApproved, graph.OutcomeDenied:
			return p.ok
		case graph.OutcomeAlreadyDecided, graph.OutcomeGone, graph.OutcomeCancelled:
			return p.muted
		default:
			return p.bad
		}
	}
	d := it.a.Deadline
	switch {
	case d.IsZero():
		return p.muted
	case !d.After(m.now):
		return p.bad
	case d.Sub(m.now) < 24*time.Hour:
		return p.warn
	}
	return p.plain
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// listHeader is the column titles, the sorted one highlighted; drawn
// again only when the width, sort or styles change.
func (m *Model) listHeader(width int) string {
	key := [3]int{width, int(m.inbox.order), m.stylesGen}
	if m.headerCache.key == key && m.headerCache.text != "" {
		return m.headerCache.text
	}
	text := m.drawListHeader(width)
	m.headerCache.key, m.headerCache.text = key, text
	return text
}

func (m *Model) drawListHeader(width int) string {
	c := rowColumns(width)
	type col struct {
		title string
		w     int
		order sortOrder
		right bool
	}
	cols := []col{
		{"DUE", c.due, sortUrgency, false}, {"TYPE", c.kind, -1, false},
		{"FOR", c.person, sortPerson, false}, {"RESOURCE", c.resource, sortResource, false},
		{"STAGE", c.stage, -1, false}, {"AGE", c.age, sortNewest, true},
	}
	// Columns of one style side by side are one run (see pen.blankSafe).
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", c.gutter))
	var run []string
	runSorted := false
	pens := [2]pen{newPen(m.styles.Header), newPen(m.styles.HeaderSorted)}
	flush := func() {
		if len(run) > 0 {
			b.WriteString(pens[b2i(runSorted)].paintCells(run...))
			run = run[:0]
		}
	}
	for i, cl := range cols {
		sorted := cl.order == m.inbox.order || cl.order == sortNewest && m.inbox.order == sortOldest
		if i > 0 && sorted != runSorted {
			flush()
			b.WriteByte(' ')
		}
		runSorted = sorted
		if cl.right {
			run = append(run, cellRight(cl.title, cl.w))
		} else {
			run = append(run, cell(cl.title, cl.w))
		}
	}
	flush()
	return b.String()
}
