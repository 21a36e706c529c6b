package ui

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"approvals/ui/sanitize"
)

// textField is the justification input: a few rows of soft-wrapped text
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

// layout wraps the text into rows of at most width columns and returns the
// rows and the cursor's row and column.
func (f *textField) layout() (rows []string, cy, cx int) {
	var row strings.Builder
	w := 0
	for i, r := range f.runes {
		if i == f.pos {
			cy, cx = len(rows), w
		}
		rw := sanitize.Width(string(r))
		if w+rw > f.width {
			rows = append(rows, row.String())
			row.Reset()
			w = 0
			if i == f.pos {
				cy, cx = len(rows), 0
			}
		}
		row.WriteRune(r)
		w += rw
	}
	if f.pos == len(f.runes) {
		cy, cx = len(rows), w
		if w >= f.width { // the cursor sits after a full row: start the next one
			rows = append(rows, row.String())
			row.Reset()
			cy, cx = len(rows), 0
		}
	}
	rows = append(rows, row.String())
	return rows, cy, cx
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
	f.top = max(0, min(f.top, len(rows)-1))
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
