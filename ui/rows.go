package ui

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"

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
	s = sanitize.Truncate(s, w)
	if pad := w - sanitize.Width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// cellRight is cell aligned right.
func cellRight(s string, w int) string {
	s = sanitize.Truncate(s, w)
	if pad := w - sanitize.Width(s); pad > 0 {
		s = strings.Repeat(" ", pad) + s
	}
	return s
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

// rowParts are a row's cells before styling.
type rowParts struct {
	gutter, due, kind, requestor, resource, stage, age string
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
		due = dueLabel(m.now, it.a.Deadline, it.a.DeadlineEstimated)
	}
	return rowParts{
		gutter:    mark + fresh + " ",
		due:       cell(due, c.due),
		kind:      cell(it.kind, c.kind),
		requestor: cell(it.requestor, c.requestor),
		resource:  cell(it.resource, c.resource),
		stage:     cell(it.stageText, c.stage),
		age:       cellRight(ageLabel(m.now, it.a.Created), c.age),
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
	var text string
	if selected {
		plain := p.gutter + p.due + " " + p.kind + " " + p.requestor + " " + p.resource + " " + p.stage + " " + p.age
		text = m.styles.Selected.Render(cell(plain, width))
	} else {
		s := m.styles
		reqStyle := lipgloss.NewStyle()
		if it.isNew {
			reqStyle = s.New
		}
		text = s.Marked.Render(p.gutter) + m.dueStyle(it).Render(p.due) + " " + s.Muted.Render(p.kind) + " " +
			reqStyle.Render(p.requestor) + " " + p.resource + " " + s.Muted.Render(p.stage) + " " + s.Muted.Render(p.age)
		if pad := width - sanitize.Width(p.gutter+p.due+p.kind+p.requestor+p.resource+p.stage+p.age) - 5; pad > 0 {
			text += strings.Repeat(" ", pad)
		}
	}
	it.row = rowCache{key: k, text: text}
	return text
}

// dueStyle colours the DUE column: outcomes by their meaning, deadlines by
// how close they are.
func (m *Model) dueStyle(it *item) lipgloss.Style {
	s := m.styles
	switch it.state {
	case stateQueued, stateSending:
		return s.Warn
	case stateDone:
		switch it.result.Outcome {
		case graph.OutcomeApproved, graph.OutcomeDenied:
			return s.Ok
		case graph.OutcomeAlreadyDecided, graph.OutcomeGone, graph.OutcomeCancelled:
			return s.Muted
		default:
			return s.Bad
		}
	}
	d := it.a.Deadline
	switch {
	case d.IsZero():
		return s.Muted
	case !d.After(m.now):
		return s.Bad
	case d.Sub(m.now) < 24*time.Hour:
		return s.Warn
	}
	return lipgloss.NewStyle()
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
		{"REQUESTOR", c.requestor, sortRequestor, false}, {"RESOURCE", c.resource, sortResource, false},
		{"STAGE", c.stage, -1, false}, {"AGE", c.age, sortNewest, true},
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", c.gutter))
	for i, cl := range cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		title := cl.title
		style := m.styles.Header
		if cl.order == m.inbox.order || cl.order == sortNewest && m.inbox.order == sortOldest {
			style = m.styles.HeaderSorted
		}
		if cl.right {
			b.WriteString(style.Render(cellRight(title, cl.w)))
		} else {
			b.WriteString(style.Render(cell(title, cl.w)))
		}
	}
	return b.String()
}
