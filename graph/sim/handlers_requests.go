package sim

import (
	"strings"
	"time"
)

// Handlers for the request collections: entitlement management
// assignmentRequests and PIM for Groups assignmentScheduleRequests.

// onOptions are the documented members of each filterByCurrentUser "on"
// enum; "supported" ones are answered, the others return nothing.
var (
	emRequestOn = map[string]bool{"approver": true, "target": true, "createdby": true, "targetorrequestor": true,
		"targetmanager": false, "requestforothers": false, "targetagentidentitysponsororowner": false, "unknownfuturevalue": false}
	pimRequestOn = map[string]bool{"approver": true, "principal": true, "createdby": true, "unknownfuturevalue": false}
	approvalOn   = map[string]bool{"approver": true}
)

// onValue reads the function's "on" parameter: a quoted enum literal,
// possibly type-prefixed, or a parameter alias (on=@p&@p='approver').
func (c *call) onValue(allowed map[string]bool) (string, *Error) {
	v := c.rt.on
	if strings.HasPrefix(v, "@") {
		v = c.q.values.Get(v)
	}
	if i := strings.IndexByte(v, '\''); i > 0 { // microsoft.graph.someEnum'approver'
		v = v[i:]
	}
	v = strings.ToLower(unquote(v))
	if v == "" {
		return "", badRequest("The parameter 'on' of function 'filterByCurrentUser' is required.")
	}
	if _, ok := allowed[v]; !ok {
		return "", badRequest("The value '%s' is not valid for parameter 'on' of function 'filterByCurrentUser'.", c.rt.on)
	}
	return v, nil
}

func (c *call) listRequests() {
	c.holdReply(func() {
		if c.rt.src == srcAccessPackage {
			c.listAccessPackageRequests()
		} else {
			c.listGroupRequests()
		}
	})
}

// requestListing is what differs between the two request collections'
// filterByCurrentUser listings; listWith does the rest.
type requestListing struct {
	on      map[string]bool        // the "on" values the function knows
	typ     *entityType            // what $select and $expand may name
	fields  map[string]filterField // what $filter may compare
	n       int                    // requests in the tenant
	mine    func(i int, on string) bool
	build   func(i int) any
	context string
}

// listWith validates the function parameter and query options, then pages
// through the requests that are the caller's and pass the filter.
func (c *call) listWith(l requestListing) {
	on, err := c.onValue(l.on)
	if err == nil {
		err = l.typ.validate(c.q.selects, c.q.expand)
	}
	filter := func(int) bool { return true }
	if err == nil && c.q.hasFilter {
		filter, err = compileFilter(c.q.filter, l.typ.name, l.fields)
	}
	if err != nil {
		writeError(c, err)
		return
	}
	c.page(l.n, func(i int) bool { return l.mine(i, on) && filter(i) }, l.build, l.context)
}

func (c *call) listAccessPackageRequests() {
	reqs := c.s.tenant.AccessPackageRequests
	me, now := c.caller.ID, c.now
	c.listWith(requestListing{
		on:  emRequestOn,
		typ: typeAccessPackageRequest,
		fields: map[string]filterField{
			"state":           {str: func(i int) string { return reqs[i].State }},
			"status":          {str: func(i int) string { return reqs[i].Status }},
			"requesttype":     {str: func(i int) string { return reqs[i].RequestType }},
			"id":              {str: func(i int) string { return reqs[i].ID }},
			"createddatetime": {time: func(i int) time.Time { return reqs[i].CreatedDateTime }},
		},
		n: len(reqs),
		mine: func(i int, on string) bool {
			r := reqs[i]
			settleEM(r, now)
			switch on {
			case "approver":
				return c.s.emWaitsFor(r, me, now)
			case "target":
				return r.TargetID == me
			case "createdby":
				return r.RequestorID == me
			case "targetorrequestor":
				return r.TargetID == me || r.RequestorID == me
			}
			return false
		},
		build:   func(i int) any { return c.accessPackageRequestJSON(reqs[i], c.q.selects, c.q.expand) },
		context: "Collection(microsoft.graph.accessPackageAssignmentRequest)",
	})
}

func (c *call) listGroupRequests() {
	reqs := c.s.tenant.GroupRequests
	me, now := c.caller.ID, c.now
	c.listWith(requestListing{
		on:  pimRequestOn,
		typ: typeGroupRequest,
		fields: map[string]filterField{
			"status":          {str: func(i int) string { return reqs[i].Status }},
			"groupid":         {str: func(i int) string { return reqs[i].GroupID }},
			"principalid":     {str: func(i int) string { return reqs[i].PrincipalID }},
			"accessid":        {str: func(i int) string { return reqs[i].AccessID }},
			"action":          {str: func(i int) string { return reqs[i].Action }},
			"id":              {str: func(i int) string { return reqs[i].ID }},
			"createddatetime": {time: func(i int) time.Time { return reqs[i].CreatedDateTime }},
		},
		n: len(reqs),
		mine: func(i int, on string) bool {
			r := reqs[i]
			settlePIM(r, now)
			switch on {
			case "approver":
				return c.s.pimWaitsFor(r, me, now)
			case "principal":
				return r.PrincipalID == me
			case "createdby":
				return r.CreatedByID == me
			}
			return false
		},
		build:   func(i int) any { return c.groupRequestJSON(reqs[i], c.q.selects, c.q.expand) },
		context: "Collection(microsoft.graph.privilegedAccessGroupAssignmentScheduleRequest)",
	})
}

// listAllRequests is the plain collection, which needs an administrator
// role; the simulated approvers have none.
func (c *call) listAllRequests() {
	writeError(c, forbidden("Listing every request requires an administrator role. Use filterByCurrentUser(on='approver')."))
}

// getRequest reads one request (or one of its navigation properties).
// Its requestor, target and approvers may read it; others get 403.
func (c *call) getRequest() {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.rt.src == srcAccessPackage {
		c.getAccessPackageRequest()
	} else {
		c.getGroupRequest()
	}
}

func (c *call) getAccessPackageRequest() {
	r := c.s.ix.em[lowerKey(c.rt.id)]
	if r == nil {
		writeError(c, notFound("No request with id '%s' was found.", c.rt.id))
		return
	}
	settleEM(r, c.now)
	me := c.caller.ID
	if me != r.RequestorID && me != r.TargetID && !isApproverOfAny(r.Stages, me) {
		writeError(c, forbidden("The signed-in user may not read request '%s'.", r.ID))
		return
	}
	entity := c.rt.collection + "/$entity"
	switch c.rt.nav {
	case "":
		if err := typeAccessPackageRequest.validate(c.q.selects, c.q.expand); err != nil {
			writeError(c, err)
			return
		}
		body := c.accessPackageRequestJSON(r, c.q.selects, c.q.expand)
		writeJSON(c.w, 200, append(obj{}.with("@odata.context", c.context(entity)), body...))
	case "requestor", "accessPackage", "assignment":
		c.writeNav(r, entity)
	}
}

// writeNav serves GET .../assignmentRequests/{id}/{nav}.
func (c *call) writeNav(r *AccessPackageRequest, entity string) {
	it := &expandItem{name: c.rt.nav, selects: c.q.selects, expand: c.q.expand}
	var v any
	switch c.rt.nav {
	case "requestor":
		v = subjectJSON(c.s.ix.user(r.RequestorID), it)
	case "accessPackage":
		v = c.accessPackageJSON(c.s.ix.packages[lowerKey(r.AccessPackageID)], it)
	case "assignment":
		v = c.assignmentJSON(r, it)
	}
	o, ok := v.(obj)
	if !ok {
		writeError(c, notFound("The request has no %s.", c.rt.nav))
		return
	}
	ctx := c.context(c.rt.collection + "('" + r.ID + "')/" + c.rt.nav + "/$entity")
	writeJSON(c.w, 200, append(obj{}.with("@odata.context", ctx), o...))
}

func (c *call) getGroupRequest() {
	r := c.s.ix.pim[lowerKey(c.rt.id)]
	if r == nil {
		writeError(c, notFound("No request with id '%s' was found.", c.rt.id))
		return
	}
	settlePIM(r, c.now)
	me := c.caller.ID
	if me != r.PrincipalID && me != r.CreatedByID && !isApproverOfAny(r.Stages, me) {
		writeError(c, forbidden("The signed-in user may not read request '%s'.", r.ID))
		return
	}
	if c.rt.nav != "" {
		it := &expandItem{name: c.rt.nav, selects: c.q.selects}
		var v any
		if c.rt.nav == "group" {
			v = groupJSON(c.s.ix.groups[lowerKey(r.GroupID)], it)
		} else {
			v = principalJSON(c.s.ix.user(r.PrincipalID), it)
		}
		o, ok := v.(obj)
		if !ok {
			writeError(c, notFound("The request has no %s.", c.rt.nav))
			return
		}
		ctx := c.context(c.rt.collection + "('" + r.ID + "')/" + c.rt.nav + "/$entity")
		writeJSON(c.w, 200, append(obj{}.with("@odata.context", ctx), o...))
		return
	}
	if err := typeGroupRequest.validate(c.q.selects, c.q.expand); err != nil {
		writeError(c, err)
		return
	}
	body := c.groupRequestJSON(r, c.q.selects, c.q.expand)
	writeJSON(c.w, 200, append(obj{}.with("@odata.context", c.context(c.rt.collection+"/$entity")), body...))
}

// me serves GET /me.
func (c *call) me() {
	if err := typeUser.validate(c.q.selects, nil); err != nil {
		writeError(c, err)
		return
	}
	o := userJSON(c.caller)
	if len(c.q.selects) > 0 {
		o = applySelect(o.with("department", nullIfEmpty(c.caller.Department)), c.q.selects)
	}
	writeJSON(c.w, 200, append(obj{}.with("@odata.context", c.context("users/$entity")), o...))
}
