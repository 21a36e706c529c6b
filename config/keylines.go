package config

import "strings"

// keyLines maps every key of a TOML document (dotted path, e.g.
// "profiles.work.theme") to the line it is first defined on. The TOML
// library does not expose key positions, and errors must name the line, so
// this small scanner walks the (already parsed, hence valid) document.
func keyLines(src string) map[string]int {
	s := &lineScanner{src: src, line: 1, lines: map[string]int{}}
	s.document()
	return s.lines
}

// lineOf returns the line of key, or of its closest defined parent, or 0.
func lineOf(lines map[string]int, path ...string) int {
	for n := len(path); n > 0; n-- {
		if l, ok := lines[strings.Join(path[:n], ".")]; ok {
			return l
		}
	}
	return 0
}

type lineScanner struct {
	src   string
	pos   int
	line  int
	lines map[string]int
}

func (s *lineScanner) eof() bool { return s.pos >= len(s.src) }

func (s *lineScanner) peek(off int) byte {
	if s.pos+off < len(s.src) {
		return s.src[s.pos+off]
	}
	return 0
}

func (s *lineScanner) advance() {
	if s.src[s.pos] == '\n' {
		s.line++
	}
	s.pos++
}

func (s *lineScanner) record(path []string, line int) {
	k := strings.Join(path, ".")
	if _, ok := s.lines[k]; !ok {
		s.lines[k] = line
	}
}

// skip passes spaces, tabs, comments and, when newlines is set, line breaks.
func (s *lineScanner) skip(newlines bool) {
	for !s.eof() {
		switch c := s.peek(0); {
		case c == ' ' || c == '\t' || c == '\r':
			s.advance()
		case c == '\n' && newlines:
			s.advance()
		case c == '#':
			for !s.eof() && s.peek(0) != '\n' {
				s.advance()
			}
		default:
			return
		}
	}
}

func (s *lineScanner) document() {
	var table []string
	for {
		s.skip(true)
		if s.eof() {
			return
		}
		start := s.pos
		if s.peek(0) == '[' {
			s.advance()
			if s.peek(0) == '[' {
				s.advance()
			}
			line := s.line
			table = s.key()
			s.record(table, line)
			for !s.eof() && s.peek(0) != '\n' && s.peek(0) != '#' {
				s.advance()
			}
		} else {
			s.keyValue(table)
		}
		if s.pos == start { // not TOML we understand: stop rather than spin
			return
		}
	}
}

func (s *lineScanner) keyValue(prefix []string) {
	line := s.line
	k := s.key()
	if len(k) == 0 {
		return
	}
	path := append(append([]string{}, prefix...), k...)
	s.record(path, line)
	s.skip(false)
	if s.peek(0) != '=' {
		return
	}
	s.advance()
	s.skip(false)
	s.value(path)
}

// key reads a dotted key of bare and quoted parts.
func (s *lineScanner) key() []string {
	var parts []string
	for {
		s.skip(false)
		switch c := s.peek(0); {
		case c == '"' || c == '\'':
			parts = append(parts, s.quoted(c))
		case isBare(c):
			start := s.pos
			for !s.eof() && isBare(s.peek(0)) {
				s.advance()
			}
			parts = append(parts, s.src[start:s.pos])
		default:
			return parts
		}
		s.skip(false)
		if s.peek(0) != '.' {
			return parts
		}
		s.advance()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// quoted reads a single-line quoted key or string and returns its raw body.
func (s *lineScanner) quoted(q byte) string {
	s.advance()
	start := s.pos
	for !s.eof() && s.peek(0) != q && s.peek(0) != '\n' {
		if q == '"' && s.peek(0) == '\\' && s.pos+1 < len(s.src) {
			s.advance()
		}
		s.advance()
	}
	body := s.src[start:s.pos]
	if !s.eof() && s.peek(0) == q {
		s.advance()
	}
	return body
}

// sequence scans the items of an array or inline table up to its closing
// byte, giving up on an item that does not advance (malformed input: the
// TOML decoder reports that one).
func (s *lineScanner) sequence(closing byte, item func()) {
	s.advance()
	for {
		s.skip(true)
		if s.eof() || s.peek(0) == closing {
			break
		}
		before := s.pos
		item()
		s.skip(true)
		if s.peek(0) == ',' {
			s.advance()
		}
		if s.pos == before {
			return
		}
	}
	if !s.eof() {
		s.advance()
	}
}

func (s *lineScanner) value(path []string) {
	switch c := s.peek(0); {
	case c == '"' || c == '\'':
		if s.peek(1) == c && s.peek(2) == c {
			s.multiline(c)
		} else {
			s.quoted(c)
		}
	case c == '[':
		s.sequence(']', func() { s.value(path) })
	case c == '{':
		s.sequence('}', func() { s.keyValue(path) })
	default: // numbers, booleans, dates: up to a delimiter
		for !s.eof() && !strings.ContainsRune(" \t\r\n,]}#", rune(s.peek(0))) {
			s.advance()
		}
	}
}

func (s *lineScanner) multiline(q byte) {
	s.pos += 3
	for !s.eof() {
		if q == '"' && s.peek(0) == '\\' && s.pos+1 < len(s.src) {
			s.advance()
			s.advance()
			continue
		}
		if s.peek(0) == q && s.peek(1) == q && s.peek(2) == q {
			s.pos += 3
			for !s.eof() && s.peek(0) == q { // up to two quotes may end the body
				s.pos++
			}
			return
		}
		s.advance()
	}
}
