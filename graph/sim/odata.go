package sim

import (
	"net/url"
	"strconv"
	"strings"
)

// query holds the OData system query options of one request. Graph v1.0
// accepts them with or without the "$" prefix.
type query struct {
	values    url.Values
	selects   []string // nil: every property
	expand    expandTree
	filter    []clause
	hasFilter bool
	top       int // -1: not given
	skip      int
	skiptoken string
	count     bool
}

// expandTree is a parsed $expand: navigation property (lower case) to its
// nested options.
type expandTree map[string]*expandItem

type expandItem struct {
	name    string
	selects []string
	expand  expandTree
}

// maxTop is the largest page a client may ask for; larger $top values are
// served as pages of this size (with nextLink).
const maxTop = 999

// queryValues splits a raw query on "&" only. url.ParseQuery drops any
// pair containing ";", which OData uses inside $expand
// (accessPackage($select=id;$expand=catalog)).
func queryValues(raw string) url.Values {
	v := url.Values{}
	for kv := range strings.SplitSeq(raw, "&") {
		if kv == "" {
			continue
		}
		k, val, _ := strings.Cut(kv, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(val)
		if err1 != nil || err2 != nil {
			dk, dv = k, val // keep undecodable text as sent
		}
		v.Add(dk, dv)
	}
	return v
}

func parseQuery(values url.Values) (*query, *Error) {
	q := &query{values: values, top: -1}
	seen := map[string]bool{}
	for key, vals := range values {
		name := strings.ToLower(strings.TrimPrefix(key, "$"))
		switch name {
		case "select", "expand", "filter", "top", "skip", "skiptoken", "count", "orderby", "search", "format":
		default:
			if strings.HasPrefix(key, "$") {
				return nil, badRequest("Query option '%s' is not supported.", key)
			}
			continue // custom query parameters are ignored, as in Graph
		}
		if seen[name] || len(vals) > 1 {
			return nil, badRequest("Query option '$%s' was specified more than once, but it must be specified at most once.", name)
		}
		seen[name] = true
		if err := q.set(name, vals[0]); err != nil {
			return nil, err
		}
	}
	return q, nil
}

func (q *query) set(name, v string) *Error {
	switch name {
	case "select":
		q.selects = splitList(v, ',')
	case "expand":
		tree, err := parseExpand(v)
		if err != nil {
			return err
		}
		q.expand = tree
	case "filter":
		cl, err := parseFilter(v)
		if err != nil {
			return err
		}
		q.filter, q.hasFilter = cl, true
	case "top", "skip":
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return badRequest("Invalid value '%s' for query option '$%s': it must be a non-negative integer.", v, name)
		}
		if name == "top" {
			q.top = n
		} else {
			q.skip = n
		}
	case "skiptoken":
		q.skiptoken = v
	case "count":
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			q.count = true
		case "false":
		default:
			return badRequest("Invalid value '%s' for query option '$count'.", v)
		}
	case "orderby":
		return badRequest("Query option '$orderby' is not supported for this resource.")
	case "search":
		return badRequest("Query option '$search' is not supported for this resource.")
	case "format":
		if !strings.EqualFold(v, "json") && !strings.HasPrefix(strings.ToLower(v), "application/json") {
			return badRequest("Invalid value '%s' for query option '$format'.", v)
		}
	}
	return nil
}

// splitList splits s on sep outside parentheses and trims each part,
// dropping empty ones.
func splitList(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '(':
				depth++
				continue
			case ')':
				depth--
				continue
			}
			if s[i] != sep || depth > 0 {
				continue
			}
		}
		if part := strings.TrimSpace(s[start:i]); part != "" {
			out = append(out, part)
		}
		start = i + 1
	}
	return out
}

func parseExpand(s string) (expandTree, *Error) {
	tree := expandTree{}
	for _, part := range splitList(s, ',') {
		name, opts := part, ""
		if i := strings.IndexByte(part, '('); i >= 0 {
			if !strings.HasSuffix(part, ")") {
				return nil, badRequest("Parsing OData Select and Expand failed: unbalanced parentheses in '%s'.", part)
			}
			name, opts = strings.TrimSpace(part[:i]), part[i+1:len(part)-1]
		}
		if strings.ContainsAny(name, "()/ ") || name == "" {
			return nil, badRequest("Parsing OData Select and Expand failed: '%s' is not a navigation property.", part)
		}
		item := &expandItem{name: name}
		for _, opt := range splitList(opts, ';') {
			k, v, ok := strings.Cut(opt, "=")
			if !ok {
				return nil, badRequest("Parsing OData Select and Expand failed: invalid option '%s'.", opt)
			}
			switch strings.ToLower(strings.TrimPrefix(strings.TrimSpace(k), "$")) {
			case "select":
				item.selects = splitList(v, ',')
			case "expand":
				sub, err := parseExpand(v)
				if err != nil {
					return nil, err
				}
				item.expand = sub
			default:
				return nil, badRequest("Parsing OData Select and Expand failed: option '%s' is not supported inside $expand.", k)
			}
		}
		tree[strings.ToLower(name)] = item
	}
	return tree, nil
}

// has reports whether nav is expanded; it returns its nested options.
func (t expandTree) has(nav string) (*expandItem, bool) {
	if t == nil {
		return nil, false
	}
	if it, ok := t[strings.ToLower(nav)]; ok {
		return it, true
	}
	if it, ok := t["*"]; ok {
		return it, true
	}
	return nil, false
}

// entityType describes what $select and $expand may name on a type.
type entityType struct {
	name  string
	props []string
	navs  map[string]*entityType // lower-case name → type
}

// validate checks a $select list and an $expand tree against the type,
// recursively, with Graph's error message.
func (et *entityType) validate(selects []string, expand expandTree) *Error {
	for _, s := range selects {
		if s == "*" || et.hasProp(s) || et.navs[strings.ToLower(s)] != nil {
			continue
		}
		return badRequest("Parsing OData Select and Expand failed: Could not find a property named '%s' on type '%s'.", s, et.name)
	}
	for key, it := range expand {
		if key == "*" {
			continue
		}
		nt := et.navs[key]
		if nt == nil {
			return badRequest("Parsing OData Select and Expand failed: Could not find a property named '%s' on type '%s'.", it.name, et.name)
		}
		if err := nt.validate(it.selects, it.expand); err != nil {
			return err
		}
	}
	return nil
}

func (et *entityType) hasProp(name string) bool {
	for _, p := range et.props {
		if strings.EqualFold(p, name) {
			return true
		}
	}
	return false
}

// applySelect keeps the selected properties, the id and OData
// annotations, in their original order. Builders apply it to structural
// properties before appending expanded navigation properties, which
// $select never removes.
func applySelect(o obj, selects []string) obj {
	if len(selects) == 0 {
		return o
	}
	keep := func(k string) bool {
		if k == "id" || strings.HasPrefix(k, "@odata.") {
			return true
		}
		for _, s := range selects {
			if s == "*" || strings.EqualFold(s, k) {
				return true
			}
		}
		return false
	}
	out := make(obj, 0, len(o))
	for _, f := range o {
		if keep(f.k) {
			out = append(out, f)
		}
	}
	return out
}
