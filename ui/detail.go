package ui

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"approvals/graph"
	"approvals/ui/sanitize"
	"approvals/ui/words"
)

// The detail pane: everything an approver needs to decide one request,
// then its stage timeline. Its lines are cached per item and width.

type detailKey struct {
	version, width int
	minute         int64
	styles         int
}

type detailCache struct {
	key   detailKey
	lines []string
}

const labelWidth = 11 // "Requestor  "

// detailLines returns the pane's lines for it, each exactly width columns.
func (m *Model) detailLines(it *item, width int) []string {
	k := detailKey{version: it.version, width: width, minute: m.minute(), styles: m.stylesGen}
	if it.detail.key == k && it.detail.lines != nil {
		return it.detail.lines
	}
	d := detailWriter{m: m, width: width}
	d.describe(it)
	lines := make([]string, len(d.lines))
	for i, l := range d.lines {
		lines[i] = padStyled(l, width)
	}
	it.detail = detailCache{key: k, lines: lines}
	return lines
}

// padStyled pads a styled line (already at most width wide) to width.
func padStyled(s string, width int) string {
	if w := ansi.StringWidth(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// detailWriter accumulates the pane's lines.
type detailWriter struct {
	m     *Model
	width int
	lines []string
}

func (d *detailWriter) add(lines ...string) { d.lines = append(d.lines, lines...) }

func (d *detailWriter) blank() { d.add("") }

// wrap breaks sanitized text into lines of at most w columns, at spaces
// only: a date, a time, an id or a ticket number ("INC-2041",
// "2026-03-10 14:00") is never split at its hyphen or between the date and
// its time. Only a word longer than a whole line is cut.
func wrap(s string, w int) []string {
	if w < 1 {
		w = 1
	}
	s = dateTime.ReplaceAllString(s, "$1\u00a0$2")
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, strings.ReplaceAll(cur.String(), "\u00a0", " "))
		cur.Reset()
		curW = 0
	}
	for i, word := range strings.Split(s, " ") {
		ww := sanitize.Width(word)
		switch {
		case i == 0:
		case curW+1+ww <= w:
			cur.WriteByte(' ')
			curW++
		default:
			flush()
		}
		if ww > w && curW == 0 {
			parts := strings.Split(ansi.Hardwrap(word, w, true), "\n")
			for _, p := range parts[:len(parts)-1] {
				cur.WriteString(p)
				flush()
			}
			word, ww = parts[len(parts)-1], sanitize.Width(parts[len(parts)-1])
		}
		cur.WriteString(word)
		curW += ww
	}
	flush()
	for i, l := range lines {
		lines[i] = sanitize.Truncate(l, w)
	}
	return lines
}

// dateTime is a date and its time, kept on one line by wrap.
var dateTime = regexp.MustCompile(`(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})`)

// maxFieldLines bounds a field's value (and the title): a name or a
// description hundreds of lines long must not push the justification and
// the stages out of view. Justifications are shown whole.
const maxFieldLines = 4

// capLines keeps the first n lines, ending the last with an ellipsis when
// something was cut.
func capLines(lines []string, n, w int) []string {
	if len(lines) <= n {
		return lines
	}
	lines = lines[:n]
	lines[n-1] = ansi.Truncate(lines[n-1], max(0, w-1), "") + sanitize.Ellipsis
	return lines
}

// field adds "Label      value", the value wrapped under itself.
func (d *detailWriter) field(label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	lbl := d.m.styles.Label.Render(cell(label, labelWidth))
	for i, l := range capLines(wrap(value, d.width-labelWidth), maxFieldLines, d.width-labelWidth) {
		if i == 0 {
			d.add(lbl + l)
		} else {
			d.add(strings.Repeat(" ", labelWidth) + l)
		}
	}
}

// section adds a blank line and a heading.
func (d *detailWriter) section(title string) {
	d.blank()
	d.add(d.m.styles.Section.Render(sanitize.Truncate(title, d.width)))
}

// para adds multi-line text indented by two columns.
func (d *detailWriter) para(text string, style func(string) string) {
	for _, p := range strings.Split(text, "\n") {
		for _, l := range wrap(p, d.width-2) {
			d.add("  " + style(l))
		}
	}
}

func (d *detailWriter) describe(it *item) {
	m, a, s := d.m, it.a, d.m.styles
	for _, l := range capLines(wrap(it.title(), d.width), maxFieldLines/2, d.width) {
		d.add(s.Title.Render(l))
	}
	d.add(s.Muted.Render(sanitize.Truncate(kindLong(a.Kind), d.width)))
	d.blank()
	// Who gets the access comes first; the requestor is named apart only
	// when someone asked on another's behalf.
	you := ""
	if it.self {
		you = " — you"
	}
	if it.onBehalf {
		d.field("For", subject(a.Target)+you)
		d.field("Requestor", subject(a.Requestor)+" (on their behalf)")
	} else {
		d.field("Requestor", subject(a.Requestor)+you)
	}
	switch {
	case a.Kind == graph.KindAccessPackage:
		d.field("Package", it.resource)
		d.field("Catalog", sanitize.Line(a.Resource.CatalogName))
	case a.Kind == graph.KindAzureRole || a.Kind == graph.KindRole:
		d.field("Role", sanitize.Line(a.Resource.DisplayName))
		d.field("Scope", sanitize.Line(a.Resource.ScopeName))
		d.field("Scope id", sanitize.Line(a.Resource.ScopeID))
		if !it.onBehalf {
			d.field("Principal", subject(a.Target))
		}
	default:
		d.field("Group", it.resource)
		d.field("Group mail", sanitize.Line(a.Resource.Email))
	}
	d.field("About", sanitize.Line(a.Resource.Description))
	d.field("Request", requestWords(a.RequestType))
	d.field("Status", sanitize.Line(a.RequestState))
	if !a.Created.IsZero() {
		d.field("Created", clock(m.now, a.Created)+" · "+relative(m.now, a.Created))
	}
	if !a.Deadline.IsZero() {
		dl := clock(m.now, a.Deadline) + " · " + relative(m.now, a.Deadline)
		if a.DeadlineEstimated {
			dl += " (estimated)"
		}
		d.field("Deadline", dl)
	}
	d.field("Schedule", schedule(m, a.Schedule))
	d.field("Ticket", sanitize.Line(a.TicketNumber))
	d.section("Justification")
	if j := sanitize.Text(a.Justification); strings.TrimSpace(j) != "" {
		d.para(j, func(l string) string { return l })
	} else {
		d.add("  " + s.Muted.Render("(none given)"))
	}
	if len(a.Answers) > 0 {
		d.section("Answers")
		for _, an := range a.Answers {
			q := sanitize.Line(an.Question)
			if q == "" {
				q = "(question)"
			}
			d.para(q, func(l string) string { return s.Muted.Render(l) })
			d.para("  "+sanitize.Text(an.Value), func(l string) string { return l })
		}
	}
	d.stages(it)
	if p := sanitize.Line(a.Problem); p != "" {
		d.blank()
		d.para("⚠ "+p, func(l string) string { return s.Bad.Render(l) })
	}
	if p := sanitize.Line(a.PortalOnly); p != "" {
		d.blank()
		d.para("⚠ "+p, func(l string) string { return s.Bad.Render(l) })
	}
	d.outcome(it)
}

// subject is "Name  email" (or UPN when there is no email).
func subject(p graph.Subject) string {
	out := personName(p)
	contact := sanitize.Line(p.Email)
	if contact == "" {
		contact = sanitize.Line(p.PrincipalName)
	}
	if contact != "" && contact != out {
		out += " <" + contact + ">"
	}
	return out
}

// schedule describes the requested access window.
func schedule(m *Model, sc graph.Schedule) string {
	var parts []string
	if !sc.Start.IsZero() {
		parts = append(parts, "from "+clock(m.now, sc.Start))
	}
	switch strings.ToLower(sc.ExpirationType) {
	case "afterdatetime":
		if !sc.End.IsZero() {
			parts = append(parts, "until "+clock(m.now, sc.End))
		}
	case "afterduration":
		if sc.Duration != "" {
			parts = append(parts, "for "+sanitize.Line(isoDuration(sc.Duration)))
		}
	case "noexpiration":
		parts = append(parts, "(no expiration)")
	case "", "notspecified":
	default:
		parts = append(parts, sanitize.Line(sc.ExpirationType))
	}
	return strings.Join(parts, " ")
}

// stages draws the timeline; my stage stands out.
func (d *detailWriter) stages(it *item) {
	m, s := d.m, d.m.styles
	d.section("Stages")
	if len(it.a.Stages) == 0 {
		d.add("  " + s.Muted.Render("(no stages returned)"))
		return
	}
	for i, st := range it.a.Stages {
		name := sanitize.Line(st.DisplayName)
		if strings.TrimSpace(name) == "" {
			name = "Stage " + strconv.Itoa(i+1)
		} else {
			name = strconv.Itoa(i+1) + ". " + name
		}
		marker, style := "·", s.Muted
		switch {
		case st.Mine():
			marker, style = "▶", s.MyStage
		case st.Result == graph.Approved:
			marker, style = "✓", s.Ok
		case st.Result == graph.Denied:
			marker, style = "✗", s.Bad
		}
		head := marker + " " + name + " — " + words.StageStatus(st.Status)
		if st.Mine() {
			head += " · waiting for you"
		}
		for j, l := range wrap(head, d.width) {
			if j > 0 {
				l = "  " + l
			}
			d.add(style.Render(l))
		}
		if st.Decided() {
			line := words.Result(st.Result)
			if who := sanitize.Line(st.ReviewedBy.DisplayName); who != "" {
				line += " by " + who
			}
			if !st.ReviewedAt.IsZero() {
				line += " · " + clock(m.now, st.ReviewedAt)
			}
			d.para(line, func(l string) string { return l })
		}
		if j := sanitize.Text(st.Justification); strings.TrimSpace(j) != "" {
			d.para("“"+j+"”", func(l string) string { return s.Muted.Render(l) })
		}
	}
}

// outcome says what happened to this session's decision on the item.
func (d *detailWriter) outcome(it *item) {
	s := d.m.styles
	var text, next string
	style := s.Bad
	switch it.state {
	case stateQueued:
		text, style = "Your decision ("+decisionWord(it.decision)+") is queued: "+d.m.keys.first(ActionUndo)+" undoes it.", s.Warn
	case stateSending:
		text, style = "Sending your decision ("+decisionWord(it.decision)+")…", s.Warn
	case stateDone:
		text = outcomeSentence(*it.result) + "."
		switch it.result.Outcome {
		case graph.OutcomeApproved, graph.OutcomeDenied:
			style = s.Ok
		case graph.OutcomeFailed, graph.OutcomeCancelled:
			next = "Your justification is kept: press " + d.m.keys.first(ActionApprove) + " or " + d.m.keys.first(ActionDeny) + " to retry."
		case graph.OutcomeUnknown:
			next = "It may have been applied. Nothing is retried on its own; if you retry, Graph is checked first and a decision already recorded as yours counts as done."
		}
	default:
		return
	}
	d.blank()
	d.para(text, func(l string) string { return style.Render(l) })
	if next != "" {
		d.para(next, func(l string) string { return l })
	}
}
