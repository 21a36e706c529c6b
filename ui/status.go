package ui

import (
	"approvals/ui/words"
	"regexp"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"approvals/graph"
	"approvals/ui/sanitize"
)

// titleBar: what is shown (count, filter, sort, marks) on the left; who is
// signed in and how fresh the data is on the right.
func (m *Model) titleBar() string {
	s, ib := m.styles, &m.inbox
	left := s.Title.Render("approvals")
	var info []string
	if m.loaded {
		if len(ib.queries) > 0 {
			info = append(info, strconv.Itoa(len(ib.view))+" of "+strconv.Itoa(ib.total())+" match “"+sanitize.Line(ib.filter)+"”")
		} else {
			info = append(info, strconv.Itoa(ib.total())+" waiting")
		}
		info = append(info, "sort: "+ib.order.String())
		if ib.marked > 0 {
			info = append(info, s.Marked.Render(strconv.Itoa(ib.marked)+" marked"))
		}
	}
	info = append(info, m.sourceNotes()...)
	if len(info) > 0 {
		left += s.Muted.Render(" · ") + strings.Join(info, s.Muted.Render(" · "))
	}
	var right []string
	if m.loaded && len(ib.view) > 0 && !m.signingIn() {
		right = append(right, strconv.Itoa(ib.cursor+1)+"/"+strconv.Itoa(len(ib.view))) // where the cursor is
	}
	if !m.signingIn() {
		upd := words.Updated(m.now, m.lastUpdated)
		if m.polling && m.manual {
			upd = "refreshing…"
		}
		right = append(right, upd)
	}
	if who := sanitize.Line(m.identity); who != "" {
		right = append(right, who) // cut first when space is short
	}
	r := s.Muted.Render(sanitize.Truncate(strings.Join(right, " · "), max(20, m.width-lipgloss.Width(left)-2)))
	return spread(left, r, m.width)
}

// sourceNotes name the sources missing from the list: still loading,
// being retried (and why), or unavailable this time.
func (m *Model) sourceNotes() []string {
	s := m.styles
	var out []string
	if m.loaded && !m.sources.settled && len(m.sources.partial) == 0 {
		out = append(out, s.Muted.Render("loading…")) // some sources shown, others still coming
	}
	for _, src := range graph.AllSources {
		if note, ok := m.sources.note[src]; ok {
			out = append(out, s.Warn.Render(graph.SourceName(src)+" retrying: "+sanitize.Line(note)))
			continue
		}
		if m.sources.partial[src] {
			out = append(out, s.Muted.Render(graph.SourceName(src)+" loading…"))
		}
		for _, e := range m.sourceErrs {
			if e.Source == src {
				out = append(out, s.Bad.Render(graph.SourceName(src)+" unavailable"))
				break
			}
		}
	}
	return out
}

// spread puts left and right on one line of width, cutting left if needed.
func spread(left, right string, width int) string {
	rw := lipgloss.Width(right)
	lw := width - rw - 1
	if lipgloss.Width(left) > lw {
		left = truncateStyled(left, lw)
	}
	gap := max(1, width-lipgloss.Width(left)-rw)
	return left + strings.Repeat(" ", gap) + right
}

// statusLine is the one line of what is happening now, most pressing
// first, when the overlay in front does not have its own.
func (m *Model) statusLine() string {
	s := m.styles
	var text string
	style := s.Muted
	switch {
	case len(m.queued) > 0:
		// The countdown and its key are kept whole; what is queued is
		// cut to fit (the form showed it in full).
		what, when := m.undoParts(m.newestQueued())
		if m.note.text != "" {
			what = m.note.text + " · " + what
		}
		return s.Warn.Render(keepTail(what, " "+when, m.width))
	case len(m.sending) > 0:
		text, style = m.progress(), s.Warn
		if m.note.text != "" { // said while sending (why a key did nothing, say)
			text += " · " + m.note.text
		}
	case m.note.text != "":
		text = m.note.text
		style = map[noticeLevel]lipgloss.Style{noticeInfo: lipgloss.NewStyle(), noticeOk: s.Ok, noticeWarn: s.Warn, noticeBad: s.Bad}[m.note.level]
	case m.pollErr != nil:
		retry := "retrying in " + words.Span(m.nextPollIn) + ", " + m.keys.first(ActionRefresh) + " now"
		if m.opts.PollInterval < 0 {
			retry = m.keys.first(ActionRefresh) + " to retry"
		}
		text, style = "Couldn't refresh ("+retry+"): "+errText(m.pollErr), s.Bad
	case len(m.sourceErrs) > 0:
		text, style = sourceErrText(m.sourceErrs), s.Bad
	case len(m.warnings) > 0:
		text, style = "⚠ "+sanitize.Line(m.warnings[0]), s.Warn
	case m.sourceNote != "":
		text, style = m.sourceNote, s.Warn
	case m.news != "":
		text = m.news
	}
	return style.Render(fitStatus(text, m.width))
}

// errMeta finds a Graph error's "(503, ServiceUnavailable, request-id …)"
// in a line (errText writes it so), or a sign-in error's "(AADSTS53003,
// correlation-id …, trace-id …)" (words.Explain writes it so).
var errMeta = regexp.MustCompile(`\((\d{3}|AADSTS\d{5,7})(, [^()]*)?\)`)

// minStatusProse is the least of a status line's prose kept beside an
// error's code and request id.
const minStatusProse = 40

// fitStatus cuts a status line to width. The prose may be cut, never a
// Graph error's status, code and request id (or a sign-in error's code and
// ids): what follows them is cut first, then what comes before.
func fitStatus(text string, width int) string {
	if sanitize.Width(text) <= width {
		return text
	}
	loc := errMeta.FindAllStringIndex(text, -1)
	if len(loc) == 0 {
		return sanitize.Truncate(text, width)
	}
	a, b := loc[len(loc)-1][0], loc[len(loc)-1][1]
	if width-sanitize.Width(text[a:b])-1 < minStatusProse {
		// Too narrow for both: what it concerns comes first; the message
		// log has the whole line.
		return sanitize.Truncate(text, width)
	}
	pre, meta, post := text[:a], text[a:b], text[b:]
	if w := sanitize.Width(pre + meta); w < width {
		return pre + meta + sanitize.Truncate(post, width-w) // the advice after it is cut first
	}
	return keepTail(strings.TrimRight(pre, " "), " "+meta, width)
}

// sourceErrText says which source failed; the rest of the list is shown.
func sourceErrText(errs []graph.SourceError) string {
	e := errs[0]
	name := sanitize.Line(graph.SourceName(e.Source))
	text := name + " could not be listed"
	if len(errs) > 1 {
		text += " (and " + strconv.Itoa(len(errs)-1) + " more)"
	}
	return text + "; showing the rest: " + errText(e.Err)
}

// filterPrompt is the filter being typed.
func (m *Model) filterPrompt() string {
	return "Filter: " + sanitize.Truncate(sanitize.Line(m.inbox.filter), max(0, m.width-9))
}

// helpLineCached draws the help line, reusing the last one when the
// bindings and width are the same.
func (m *Model) helpLineCached() string {
	var key strings.Builder
	key.WriteString(strconv.Itoa(m.width) + "/" + strconv.Itoa(m.stylesGen))
	for _, h := range m.shortHelp() {
		key.WriteString("|" + h.keys + "=" + h.desc)
	}
	if m.helpCache.key != key.String() {
		m.helpCache.key, m.helpCache.text = key.String(), m.helpLine(m.width)
	}
	return m.helpCache.text
}

// truncateStyled cuts a styled line to width columns.
func truncateStyled(s string, width int) string { return ansi.Truncate(s, max(0, width), "…") }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// keepTail is prose followed by tail in width columns: the prose is cut,
// the tail (a countdown, an error code and request id) only when it alone
// does not fit.
func keepTail(prose, tail string, width int) string {
	tw := sanitize.Width(tail)
	if tw >= width {
		return sanitize.Truncate(prose+tail, width)
	}
	if sanitize.Width(prose)+tw <= width {
		return prose + tail
	}
	return sanitize.Truncate(prose, width-tw) + tail
}
