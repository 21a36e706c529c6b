package sim

import (
	"slices"
	"strings"
	"time"
)

// clause is one comparison of a $filter: prop op value. The simulator
// accepts comparisons joined by "and", which covers the forms approver
// clients send (state eq 'pendingApproval', status eq 'PendingApproval',
// groupId eq '...'); anything else is a Graph 400, so a client that relies
// on an unsupported filter finds out here rather than in production.
type clause struct {
	prop, op, value string
	quoted          bool
}

var filterOps = []string{"eq", "ne", "gt", "ge", "lt", "le"}

func parseFilter(s string) ([]clause, *Error) {
	invalid := func() *Error { return badRequest("Invalid filter clause: %s", s) }
	parts := splitAnd(strings.TrimSpace(s))
	if len(parts) == 0 {
		return nil, invalid()
	}
	var out []clause
	for _, p := range parts {
		p = strings.TrimSpace(p)
		for strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")") {
			p = strings.TrimSpace(p[1 : len(p)-1])
		}
		prop, rest, ok := strings.Cut(p, " ")
		if !ok {
			return nil, invalid()
		}
		op, val, ok := strings.Cut(strings.TrimSpace(rest), " ")
		op = strings.ToLower(op)
		if !ok || !slices.Contains(filterOps, op) {
			return nil, invalid()
		}
		c := clause{prop: prop, op: op, value: strings.TrimSpace(val)}
		if strings.HasPrefix(c.value, "'") {
			if len(c.value) < 2 || !strings.HasSuffix(c.value, "'") {
				return nil, invalid()
			}
			c.value, c.quoted = strings.ReplaceAll(c.value[1:len(c.value)-1], "''", "'"), true
		} else if strings.ContainsAny(c.value, " ()") || c.value == "" {
			return nil, invalid()
		}
		out = append(out, c)
	}
	return out, nil
}

// splitAnd splits on " and " outside quotes, case-insensitively. An "or"
// outside quotes makes the filter unsupported (returns nil).
func splitAnd(s string) []string {
	var parts []string
	inQuote, start := false, 0
	lower := strings.ToLower(s)
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if strings.HasPrefix(lower[i:], " or ") {
			return nil
		}
		if strings.HasPrefix(lower[i:], " and ") {
			parts = append(parts, s[start:i])
			start = i + 5
			i += 4
		}
	}
	if inQuote {
		return nil
	}
	return append(parts, s[start:])
}

// filterField is a property a listing can filter on: a string compared
// case-insensitively with eq/ne, or a time compared with any operator.
type filterField struct {
	str  func(i int) string
	time func(i int) time.Time
}

// compileFilter checks the clauses against the fields a listing supports
// (Graph 400 otherwise) and returns a predicate over item indexes.
func compileFilter(clauses []clause, typeName string, fields map[string]filterField) (func(int) bool, *Error) {
	var preds []func(int) bool
	for _, c := range clauses {
		f, ok := fields[strings.ToLower(c.prop)]
		if !ok {
			return nil, badRequest("Invalid filter clause: filtering on property '%s' of type '%s' is not supported.", c.prop, typeName)
		}
		p, err := c.compile(f)
		if err != nil {
			return nil, err
		}
		preds = append(preds, p)
	}
	return func(i int) bool {
		for _, p := range preds {
			if !p(i) {
				return false
			}
		}
		return true
	}, nil
}

func (c clause) compile(f filterField) (func(int) bool, *Error) {
	if f.str != nil {
		if !c.quoted || (c.op != "eq" && c.op != "ne") {
			return nil, badRequest("Invalid filter clause: '%s' supports only eq and ne with a quoted string.", c.prop)
		}
		want, eq := c.value, c.op == "eq"
		return func(i int) bool { return strings.EqualFold(f.str(i), want) == eq }, nil
	}
	at, err := time.Parse(time.RFC3339Nano, c.value)
	if err != nil || c.quoted {
		return nil, badRequest("Invalid filter clause: '%s' must be compared with a DateTimeOffset literal such as 2024-05-01T00:00:00Z.", c.prop)
	}
	op := c.op
	return func(i int) bool {
		n := f.time(i).Compare(at)
		switch op {
		case "eq":
			return n == 0
		case "ne":
			return n != 0
		case "gt":
			return n > 0
		case "ge":
			return n >= 0
		case "lt":
			return n < 0
		}
		return n <= 0
	}, nil
}
