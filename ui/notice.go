package ui

import (
	"errors"
	"strings"

	"approvals/ui/sanitize"
)

// noticeLevel colours a status-bar notice.
type noticeLevel int

const (
	noticeInfo noticeLevel = iota
	noticeOk
	noticeWarn
	noticeBad
)

// notice is a one-line message in the status bar; it stays until replaced
// or dismissed with esc.
type notice struct {
	text  string
	level noticeLevel
}

// notice sets the status-bar message. The text is cleaned here, whatever
// it holds: start-up warnings carry error text from outside the program,
// and a line break or escape sequence would break the screen.
func (m *Model) notice(text string, level noticeLevel) {
	m.note = notice{text: sanitize.Line(text), level: level}
	m.say(text, level)
}

func (m *Model) clearNotice() { m.note = notice{} }

var errNoSnapshot = errors.New("the refresh returned nothing")

// sanitizeLine is sanitize.Line, short to read in views.
func sanitizeLine(s string) string { return sanitize.Line(s) }

// singleLine is pasted text as one line.
func singleLine(s string) string { return strings.TrimSpace(sanitize.Line(s)) }
