package cli

import (
	"time"

	"approvals/graph"
	"approvals/ui/words"
)

// The JSON documents. Field names are snake_case; times are RFC 3339 in
// UTC and omitted when unknown. Documented in the README.

type listDoc struct {
	Version   int            `json:"version"`
	Approvals []approvalJSON `json:"approvals"`
	Errors    []sourceError  `json:"errors"`   // sources that could not be listed
	Warnings  []string       `json:"warnings"` // e.g. the list may be capped
}

type showDoc struct {
	Version  int          `json:"version"`
	Approval approvalJSON `json:"approval"`
}

type sourceError struct {
	Source string    `json:"source"`
	Error  errorJSON `json:"error"`
}

type errorJSON struct {
	Message   string `json:"message"`              // one line, explained
	Status    int    `json:"status,omitempty"`     // Graph HTTP status
	Code      string `json:"code,omitempty"`       // Graph error code
	RequestID string `json:"request_id,omitempty"` // Graph request-id, for support
}

type approvalJSON struct {
	ID                string       `json:"id"` // "<source>:<approval id>", what approve/deny/show accept
	Source            string       `json:"source"`
	ApprovalID        string       `json:"approval_id"`
	RequestID         string       `json:"request_id,omitempty"`
	Kind              string       `json:"kind"`
	Title             string       `json:"title"`       // "Chloé Adeyemi (asked by Yusuf Chen) → PIM-Dev-K8s-Operators · owner"
	Beneficiary       subjectJSON  `json:"beneficiary"` // who gets the access: target, else requestor
	OnBehalf          bool         `json:"on_behalf"`   // the requestor is someone else
	Requestor         subjectJSON  `json:"requestor"`
	Target            subjectJSON  `json:"target"`
	Resource          resourceJSON `json:"resource"`
	RequestType       string       `json:"request_type,omitempty"`
	RequestState      string       `json:"request_state,omitempty"`
	Justification     string       `json:"justification"`
	Answers           []answerJSON `json:"answers"`
	Schedule          scheduleJSON `json:"schedule"`
	TicketNumber      string       `json:"ticket_number,omitempty"`
	Created           *time.Time   `json:"created,omitempty"`
	Deadline          *time.Time   `json:"deadline,omitempty"`
	DeadlineEstimated bool         `json:"deadline_estimated"`
	MyStageID         string       `json:"my_stage_id,omitempty"` // the stage waiting for my decision
	Stage             int          `json:"stage,omitempty"`       // 1-based: my stage, else the one in progress, else the last
	StageCount        int          `json:"stage_count"`
	Stages            []stageJSON  `json:"stages"`
	Problem           string       `json:"problem,omitempty"`     // why some details are missing
	PortalOnly        string       `json:"portal_only,omitempty"` // why it cannot be decided here, and where to decide it
}

type subjectJSON struct {
	ID            string `json:"id,omitempty"`
	DisplayName   string `json:"display_name"`
	Email         string `json:"email,omitempty"`
	PrincipalName string `json:"principal_name,omitempty"`
}

type resourceJSON struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"display_name"`
	Description string `json:"description,omitempty"`
	CatalogID   string `json:"catalog_id,omitempty"`
	CatalogName string `json:"catalog_name,omitempty"`
	Email       string `json:"email,omitempty"`
	ScopeID     string `json:"scope_id,omitempty"`   // roles: the scope's id (Azure: resource id)
	ScopeName   string `json:"scope_name,omitempty"` // roles: the scope in words, e.g. "prod-subscription / rg-web"
}

type answerJSON struct {
	Question string `json:"question"`
	Value    string `json:"value"`
}

type scheduleJSON struct {
	Start          *time.Time `json:"start,omitempty"`
	ExpirationType string     `json:"expiration_type,omitempty"`
	End            *time.Time `json:"end,omitempty"`
	Duration       string     `json:"duration,omitempty"`
}

type stageJSON struct {
	ID            string        `json:"id"`
	DisplayName   string        `json:"display_name"`
	AssignedToMe  bool          `json:"assigned_to_me"`
	Mine          bool          `json:"mine"` // assigned to me and in progress
	Status        string        `json:"status"`
	ReviewResult  string        `json:"review_result"`
	ReviewedBy    *identityJSON `json:"reviewed_by,omitempty"`
	ReviewedAt    *time.Time    `json:"reviewed_at,omitempty"`
	Justification string        `json:"justification,omitempty"`
}

type identityJSON struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"display_name"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func subjectOf(s graph.Subject) subjectJSON {
	return subjectJSON{ID: s.ID, DisplayName: s.DisplayName, Email: s.Email, PrincipalName: s.PrincipalName}
}

func identityOf(i graph.Identity) *identityJSON {
	if i.ID == "" && i.DisplayName == "" {
		return nil
	}
	return &identityJSON{ID: i.ID, DisplayName: i.DisplayName}
}

func approvalOf(a graph.Approval) approvalJSON {
	out := approvalJSON{
		ID: a.Ref.String(), Source: string(a.Source), ApprovalID: a.ID, RequestID: a.RequestID,
		Kind: string(a.Kind), Requestor: subjectOf(a.Requestor), Target: subjectOf(a.Target),
		Resource: resourceJSON{ID: a.Resource.ID, DisplayName: a.Resource.DisplayName, Description: a.Resource.Description,
			CatalogID: a.Resource.CatalogID, CatalogName: a.Resource.CatalogName, Email: a.Resource.Email,
			ScopeID: a.Resource.ScopeID, ScopeName: a.Resource.ScopeName},
		RequestType: a.RequestType, RequestState: a.RequestState, Justification: a.Justification,
		Answers: []answerJSON{},
		Schedule: scheduleJSON{Start: timePtr(a.Schedule.Start), ExpirationType: a.Schedule.ExpirationType,
			End: timePtr(a.Schedule.End), Duration: a.Schedule.Duration},
		TicketNumber: a.TicketNumber, Created: timePtr(a.Created), Deadline: timePtr(a.Deadline),
		DeadlineEstimated: a.DeadlineEstimated, Stages: []stageJSON{}, Problem: a.Problem, PortalOnly: a.PortalOnly,
	}
	for _, an := range a.Answers {
		out.Answers = append(out.Answers, answerJSON{Question: an.Question, Value: an.Value})
	}
	for _, s := range a.Stages {
		out.Stages = append(out.Stages, stageJSON{
			ID: s.ID, DisplayName: s.DisplayName, AssignedToMe: s.AssignedToMe, Mine: s.Mine(),
			Status: string(s.Status), ReviewResult: string(s.Result), ReviewedBy: identityOf(s.ReviewedBy),
			ReviewedAt: timePtr(s.ReviewedAt), Justification: s.Justification,
		})
	}
	if s, _, ok := a.MyStage(); ok {
		out.MyStageID = s.ID
	}
	out.Title, out.Beneficiary, out.OnBehalf = words.Title(a), subjectOf(words.Beneficiary(a)), words.OnBehalf(a)
	out.Stage, out.StageCount = words.StageIndex(a)+1, len(a.Stages)
	return out
}
