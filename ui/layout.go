package ui

// Screen geometry: pure functions of the terminal size, table-tested.

const (
	minWidth  = 60  // below this, "terminal too small"
	minHeight = 14  // below this, "terminal too small"
	wideWidth = 110 // from this width on, list and detail side by side
	minBodyH  = 5   // rows the panes keep however tall the form grows
)

// layout says where everything goes on a width × height screen.
type layout struct {
	tooSmall bool
	wide     bool // list and detail side by side
	listW    int  // list pane width
	detailW  int  // detail pane width (wide only)
	bodyH    int  // rows of the panes, the list's header row included
	formH    int  // rows of the form (0 when closed)
}

// computeLayout lays the screen out: a title row, the panes, the form when
// open, a status row and a help row.
// formH is the rows the form wants (0 when closed); it gets at most what
// leaves the panes minBodyH rows.
func computeLayout(width, height int, formH int) layout {
	if width < minWidth || height < minHeight {
		return layout{tooSmall: true}
	}
	l := layout{listW: width}
	l.formH = max(0, min(formH, height-3-minBodyH))
	l.bodyH = height - 3 - l.formH
	if width >= wideWidth {
		l.wide = true
		l.listW = width * 3 / 5
		l.detailW = width - l.listW - 1 // one column for the divider
	}
	return l
}

// columns are the widths of a list row's cells; a single space separates
// cells after the gutter.
type columns struct {
	gutter, due, kind, person, resource, stage, age int
}

// rowColumns splits a row of width w. Person and resource share what the
// fixed columns leave, resource getting the larger part.
func rowColumns(w int) columns {
	c := columns{gutter: 3, due: 8, kind: 7, stage: 6, age: 4}
	fixed := c.gutter + c.due + 1 + c.kind + 1 + 1 + 1 + c.stage + 1 + c.age
	flex := max(2, w-fixed)
	c.person = flex * 2 / 5
	c.resource = flex - c.person
	return c
}
