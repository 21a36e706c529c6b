package graph_test

import (
	"strings"

	"approvals/graph"
	"approvals/graph/sim"
)

// movedSource says how a suite variant turned the suite tenant's em-%03d
// access package requests into another source's approvals, so that the
// decisions and the faults of every case can follow them there.
type movedSource struct {
	source      graph.Source
	prefix      string                          // em-007 became prefix+"007"
	stageSuffix string                          // its stage id is the approval id + stageSuffix
	stagePath   string                          // how the simulator's path names that stage: "/stages/" or "/steps/"
	list        sim.Operation                   // the listing that access package listing faults move to
	ops         map[sim.Operation]sim.Operation // approval and stage operations, v1.0 → the source's own
}

// requests are suiteRequests with the access package ones moved.
func (m movedSource) requests(n int) []graph.DecisionRequest {
	reqs := suiteRequests(n)
	for i, r := range reqs {
		if r.Ref.Source == graph.SourceAccessPackage {
			id := m.prefix + strings.TrimPrefix(r.Ref.ID, "em-")
			reqs[i].Ref, reqs[i].StageID = graph.Ref{Source: m.source, ID: id}, id+m.stageSuffix
		}
	}
	return reqs
}

// fault moves a fault onto the source's operations. One aimed at a stage
// (by path) goes to that stage's operation when the stage is a moved one;
// one aimed at an operation as a whole hits the moved operation and still
// the PIM for Groups one (their approvals, stages and PATCHes are the same
// operations); listing faults move from access packages to the source's
// listing.
func (m movedSource) fault(f sim.Fault) []sim.Fault {
	moved := f
	if f.Op == sim.OpListAccessPackageRequests {
		moved.Op = m.list
		return []sim.Fault{moved}
	}
	op, ok := m.ops[f.Op]
	if !ok {
		return []sim.Fault{f}
	}
	moved.Op = op
	if id, ok := strings.CutPrefix(f.Path, "/stages/"); ok {
		if !strings.HasPrefix(id, m.prefix) {
			return []sim.Fault{f}
		}
		moved.Path = m.stagePath + id
		return []sim.Fault{moved}
	}
	return []sim.Fault{f, moved}
}
