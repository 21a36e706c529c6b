package cli

import (
	"errors"
	"io"
	"strings"

	"approvals/graph"
	"approvals/ui/sanitize"
	"approvals/ui/words"
)

// describe is the per-item detail for text output, one line.
func describe(it *item, me graph.Identity) string {
	switch graph.Outcome(it.outcome) {
	case graph.OutcomeApproved, graph.OutcomeDenied:
		what := words.Title(*it.approval) + " — " + words.Decided(decisionOf(it.outcome), it.stage, len(it.approval.Stages))
		if it.earlier {
			what += " (you had already decided it so; nothing sent)"
		}
		return what
	case graph.OutcomeAlreadyDecided:
		// "Lee Gu → Finance Reports — stage 1 of 1 denied by Alex Wilber"
		by := firstNonEmpty(sanitize.Line(it.result.DecidedBy.DisplayName), it.result.DecidedBy.ID, "another approver")
		if it.result.DecidedBy.ID != "" && it.result.DecidedBy.ID == me.ID {
			by += " (you)"
		}
		what := "decided"
		if it.result.DecidedAs != "" {
			what = strings.ToLower(words.Result(it.result.DecidedAs))
		}
		if it.stage >= 0 {
			what = "stage " + words.Stage(it.stage, len(it.approval.Stages)) + " " + what
		}
		return words.Title(*it.approval) + " — " + what + " by " + by
	case graph.OutcomeGone:
		return "cancelled, expired, or not visible to you" + requestIDNote(firstErr(it.result.Err, it.detail))
	case graph.OutcomeUnknown:
		return "may or may not have been applied; check before retrying: approvals show " + it.ref.String()
	case graph.OutcomeCancelled:
		return "not sent: interrupted"
	}
	if err := firstErr(it.result.Err, it.detail); err != nil {
		return errorText(itemErr(it, err))
	}
	return ""
}

// requestIDNote is " (request-id X)" for a Graph error, for support.
func requestIDNote(err error) string {
	var ge *graph.Error
	if errors.As(err, &ge) && ge.RequestID != "" {
		return " (request-id " + ge.RequestID + ")"
	}
	return ""
}

// shownID is the resolved "<source>:<id>", or the ID as given when it
// could not be found.
func shownID(it *item) string {
	if it.ref.Source == "" {
		return it.input
	}
	return it.ref.String()
}

// itemErr attaches the source to an error so a 403 names the right
// permission.
func itemErr(it *item, err error) error {
	if it.ref.Source == "" {
		return err
	}
	return graph.SourceError{Source: it.ref.Source, Err: err}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// decisionOf is the decision an applied outcome records.
func decisionOf(o string) graph.Decision {
	if o == string(graph.OutcomeDenied) {
		return graph.Deny
	}
	return graph.Approve
}

func outcomeLabel(o string) string {
	switch o {
	case string(graph.OutcomeAlreadyDecided):
		return "already decided"
	case outcomeNotWaiting:
		return "not waiting"
	}
	return o
}

func (a *app) decideText(w io.Writer, items []*item, me graph.Identity) {
	t := &table{headers: []string{"OUTCOME", "ID", "DETAIL"}, max: []int{16, 0, 0}}
	for _, it := range items {
		t.add(outcomeLabel(it.outcome), shownID(it), describe(it, me))
	}
	t.write(w)
}

type decideDoc struct {
	Version    int          `json:"version"`
	Decision   string       `json:"decision"` // approve or deny
	Results    []resultJSON `json:"results"`  // one per distinct ID, in the order given
	Applied    int          `json:"applied"`
	NotApplied int          `json:"not_applied"`
}

type resultJSON struct {
	ID        string        `json:"id"`    // resolved "<source>:<id>" (as given when it could not be found)
	Input     string        `json:"input"` // the ID as given
	StageID   string        `json:"stage_id,omitempty"`
	Outcome   string        `json:"outcome"` // approved, denied, already-decided, gone, failed, unknown, cancelled, not-waiting
	Applied   bool          `json:"applied"`
	Attempts  int           `json:"attempts"` // PATCHes sent
	RequestID string        `json:"request_id,omitempty"`
	DecidedBy *identityJSON `json:"decided_by,omitempty"` // already-decided: who decided first
	DecidedAs string        `json:"decided_as,omitempty"` // already-decided: Approved or Denied
	Error     *errorJSON    `json:"error,omitempty"`

	// When the approval was found: who gets the access, who asked (the
	// same person unless on_behalf), the request in words, and which stage
	// the outcome is about (1-based, of stage_count). complete: the
	// request is over after this decision (a denial, or the last stage
	// approved); only set for an applied decision.
	Title       string       `json:"title,omitempty"`
	Beneficiary *subjectJSON `json:"beneficiary,omitempty"`
	Requestor   *subjectJSON `json:"requestor,omitempty"`
	OnBehalf    bool         `json:"on_behalf"`
	Stage       int          `json:"stage,omitempty"`
	StageCount  int          `json:"stage_count,omitempty"`
	Complete    bool         `json:"complete"`
}

func decideJSON(d graph.Decision, items []*item) decideDoc {
	doc := decideDoc{Version: JSONVersion, Decision: strings.ToLower(string(d)), Results: []resultJSON{}}
	for _, it := range items {
		r := resultJSON{
			ID: shownID(it), Input: it.input, StageID: it.result.Request.StageID, Outcome: it.outcome,
			Applied: graph.Outcome(it.outcome).Applied(), Attempts: it.result.Attempts, RequestID: it.result.RequestID,
			DecidedBy: identityOf(it.result.DecidedBy), DecidedAs: string(it.result.DecidedAs),
		}
		if ap := it.approval; ap != nil {
			b, q := subjectOf(words.Beneficiary(*ap)), subjectOf(ap.Requestor)
			r.Title, r.Beneficiary, r.Requestor, r.OnBehalf = words.Title(*ap), &b, &q, words.OnBehalf(*ap)
			if it.stage >= 0 {
				r.Stage, r.StageCount = it.stage+1, len(ap.Stages)
				r.Complete = r.Applied && words.Complete(decisionOf(it.outcome), it.stage, len(ap.Stages))
			}
		}
		if err := firstErr(it.result.Err, it.detail); err != nil {
			e := errorOf(itemErr(it, err))
			r.Error = &e
		}
		if r.Applied {
			doc.Applied++
		} else {
			doc.NotApplied++
		}
		doc.Results = append(doc.Results, r)
	}
	return doc
}
