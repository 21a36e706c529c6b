package graph

import "unicode/utf8"

// MaxJustification is the most characters (Unicode code points) of
// justification this client sends with one decision. Graph documents no
// limit; a justification is a sentence or two for the audit record, and a
// bound keeps a runaway paste from going out as one. The inbox and the
// command line check it first and say so; Decide refuses longer ones and
// sends nothing.
const MaxJustification = 1000

// JustificationLength is the length MaxJustification is measured in.
func JustificationLength(s string) int { return utf8.RuneCountInString(s) }
