package sim

import "slices"

// JSON shapes of microsoft.graph.approval and approvalStage (v1.0), shared
// by both sources.

var (
	typeStage = &entityType{name: "microsoft.graph.approvalStage", props: []string{
		"id", "displayName", "reviewedDateTime", "reviewResult", "status", "assignedToMe", "justification", "reviewedBy"}}
	typeApproval = &entityType{name: "microsoft.graph.approval", props: []string{"id"},
		navs: map[string]*entityType{"stages": typeStage}}
)

// stageJSON renders a stage for one caller: assignedToMe is whether the
// caller is one of the stage's approvers.
func (c *call) stageJSON(st *Stage, selects []string) obj {
	var reviewedBy any
	if st.ReviewedBy != "" {
		name := ""
		if u := c.s.ix.user(st.ReviewedBy); u != nil {
			name = u.DisplayName
		}
		reviewedBy = obj{}.with("id", st.ReviewedBy).with("displayName", name)
	}
	o := obj{}.
		with("id", st.ID).
		with("displayName", nullIfEmpty(st.DisplayName)).
		with("reviewedDateTime", graphTime(st.ReviewedDateTime)).
		with("reviewResult", st.ReviewResult).
		with("status", st.Status).
		with("assignedToMe", c.caller != nil && slices.Contains(st.Approvers, c.caller.ID)).
		with("justification", st.Justification).
		with("reviewedBy", reviewedBy)
	return applySelect(o, selects)
}

func (c *call) stagesJSON(stages []Stage, selects []string) []any {
	out := make([]any, 0, len(stages))
	for i := range stages {
		out = append(out, c.stageJSON(&stages[i], selects))
	}
	return out
}

// approvalJSON renders an approval. typed adds @odata.type, as the
// filterByCurrentUser examples show; withStages puts the stages inline.
func (c *call) approvalJSON(id string, stages []Stage, typed, withStages bool, stageSelects []string) obj {
	o := obj{}
	if typed {
		o = o.with("@odata.type", "#microsoft.graph.approval")
	}
	o = o.with("id", id)
	if withStages {
		o = o.with("stages", c.stagesJSON(stages, stageSelects))
	}
	return o
}
