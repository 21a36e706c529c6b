package ui

import (
	"strconv"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"approvals/ui/sanitize"
)

// textField is the justification input: rows of text wrapped at word
// boundaries
// with a real terminal cursor (no blink redraws). It takes typed and
// pasted text only; it never reads a clipboard itself (over SSH that would
// be the server's). Everything inserted is sanitized to one line.
type textField struct {
	runes  []rune
	pos    int // cursor, as an index into runes
	width  int
	height int
	top    int // first wrapped row shown
	limit  int // max runes
}

func newTextField(width, height, limit int) textField {
	return textField{width: max(1, width), height: max(1, height), limit: limit}
}

func (f *textField) Value() string { return string(f.runes) }

func (f *textField) SetValue(s string) {
	f.runes = nil
	f.pos = 0
	f.insert(s)
}

func (f *textField) CursorEnd() { f.pos = len(f.runes) }

func (f *textField) SetWidth(w int) { f.width = max(1, w) }

// insert puts sanitized text at the cursor, within the limit.
func (f *textField) insert(s string) {
	r := []rune(sanitize.Input(s))
	if f.limit > 0 {
		r = r[:max(0, min(len(r), f.limit-len(f.runes)))]
	}
	f.runes = append(f.runes[:f.pos], append(r, f.runes[f.pos:]...)...)
	f.pos += len(r)
}

// Update edits the text for a key press or a paste.
func (f *textField) Update(msg tea.Msg) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		f.insert(msg.Content)
	case tea.KeyPressMsg:
		f.key(msg)
	}
}

func (f *textField) key(msg tea.KeyPressMsg) {
	switch msg.String() {
	case "up":
		f.moveRow(-1)
	case "down":
		f.moveRow(1)
	case "left", "ctrl+b":
		f.pos = max(0, f.pos-1)
	case "right", "ctrl+f":
		f.pos = min(len(f.runes), f.pos+1)
	case "home", "ctrl+a":
		f.pos = 0
	case "end", "ctrl+e":
		f.pos = len(f.runes)
	case "alt+left", "ctrl+left", "alt+b":
		f.pos = f.wordStart(f.pos)
	case "alt+right", "ctrl+right", "alt+f":
		f.pos = f.wordEnd(f.pos)
	case "backspace", "ctrl+h":
		if f.pos > 0 {
			f.runes = append(f.runes[:f.pos-1], f.runes[f.pos:]...)
			f.pos--
		}
	case "delete", "ctrl+d":
		if f.pos < len(f.runes) {
			f.runes = append(f.runes[:f.pos], f.runes[f.pos+1:]...)
		}
	case "ctrl+w", "alt+backspace":
		start := f.wordStart(f.pos)
		f.runes = append(f.runes[:start], f.runes[f.pos:]...)
		f.pos = start
	case "ctrl+u":
		f.runes = f.runes[f.pos:]
		f.pos = 0
	case "ctrl+k":
		f.runes = f.runes[:f.pos]
	default:
		if msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper|tea.ModHyper) == 0 {
			f.insert(msg.Text)
		}
	}
}

func (f *textField) wordStart(i int) int {
	for i > 0 && unicode.IsSpace(f.runes[i-1]) {
		i--
	}
	for i > 0 && !unicode.IsSpace(f.runes[i-1]) {
		i--
	}
	return i
}

func (f *textField) wordEnd(i int) int {
	for i < len(f.runes) && unicode.IsSpace(f.runes[i]) {
		i++
	}
	for i < len(f.runes) && !unicode.IsSpace(f.runes[i]) {
		i++
	}
	return i
}

// rowSpans wraps the text at word boundaries into rows of at most width
// columns, as [start, end) rune ranges. A space where a row breaks hangs
// at its end (drawn only if it fits); a word longer than a row is cut.
func (f *textField) rowSpans() [][2]int {
	var rows [][2]int
	start := 0
	for start < len(f.runes) {
		w, i, lastSpace := 0, start, -1
		for i < len(f.runes) {
			rw := sanitize.Width(string(f.runes[i]))
			if w+rw > f.width {
				break
			}
			if unicode.IsSpace(f.runes[i]) {
				lastSpace = i
			}
			w += rw
			i++
		}
		end := i
		switch {
		case i == len(f.runes):
		case unicode.IsSpace(f.runes[i]):
			end = i + 1 // the breaking space hangs
		case lastSpace >= start:
			end = lastSpace + 1 // break after the last space
		case end == start:
			end = start + 1 // a character wider than the row
		}
		rows = append(rows, [2]int{start, end})
		start = end
	}
	if len(rows) == 0 {
		rows = append(rows, [2]int{0, 0})
	}
	return rows
}

// layout wraps the text and returns the rows and the cursor's row and
// column.
func (f *textField) layout() (rows []string, cy, cx int) {
	spans := f.rowSpans()
	cy = -1
	for i, sp := range spans {
		row := string(f.runes[sp[0]:sp[1]])
		if sanitize.Width(row) > f.width { // the hanging space does not fit: not drawn
			row = strings.TrimRightFunc(row, unicode.IsSpace)
		}
		rows = append(rows, sanitize.Truncate(row, f.width))
		if cy < 0 && (f.pos < sp[1] || i == len(spans)-1) && f.pos >= sp[0] {
			cy, cx = i, sanitize.Width(string(f.runes[sp[0]:f.pos]))
		}
	}
	if cx >= f.width { // after a full row (or on its hanging space): the next row
		if cy == len(rows)-1 {
			rows = append(rows, "")
		}
		cy, cx = cy+1, 0
	}
	return rows, cy, cx
}

// Lines is how many rows the whole text takes at the field's width.
func (f *textField) Lines() int {
	rows, _, _ := f.layout()
	return len(rows)
}

// SetHeight sets how many rows are shown.
func (f *textField) SetHeight(h int) { f.height = max(1, h) }

// Position is "line 3/7" when the text is longer than the rows shown, ""
// otherwise.
func (f *textField) Position() string {
	rows, cy, _ := f.layout()
	if len(rows) <= f.height {
		return ""
	}
	return "line " + strconv.Itoa(cy+1) + "/" + strconv.Itoa(len(rows))
}

// moveRow moves the cursor to the row above (-1) or below (+1), at the
// same column or the end of that row.
func (f *textField) moveRow(delta int) {
	spans := f.rowSpans()
	_, cy, cx := f.layout()
	r := cy + delta
	if r < 0 || r >= len(spans) {
		return
	}
	sp := spans[r]
	p, w := sp[0], 0
	for p < sp[1] {
		rw := sanitize.Width(string(f.runes[p]))
		if w+rw > cx || (p == sp[1]-1 && r < len(spans)-1 && unicode.IsSpace(f.runes[p])) {
			break
		}
		w += rw
		p++
	}
	f.pos = p
}

// View is exactly height rows of width columns; placeholder shows when the
// field is empty. It also returns the cursor's position in the view.
func (f *textField) View(placeholder string) (view string, cx, cy int) {
	rows, cy, cx := f.layout()
	if cy < f.top {
		f.top = cy
	}
	if cy >= f.top+f.height {
		f.top = cy - f.height + 1
	}
	f.top = max(0, min(f.top, len(rows)-f.height))
	out := make([]string, f.height)
	for i := range out {
		s := ""
		if j := f.top + i; j < len(rows) {
			s = rows[j]
		}
		if i == 0 && len(f.runes) == 0 {
			s = placeholder
		}
		out[i] = s + strings.Repeat(" ", max(0, f.width-sanitize.Width(s)))
	}
	return strings.Join(out, "\n"), cx, cy - f.top
}
