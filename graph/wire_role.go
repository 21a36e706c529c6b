package graph

import "encoding/json"

// The JSON shapes of PIM for Microsoft Entra roles, from the Graph docs:
// the v1.0 unifiedRoleAssignmentScheduleRequest (with principal,
// roleDefinition and directoryScope expanded) and the beta approval,
// whose stages are called "steps" (approvalStep). The beta vocabulary
// stops here: everything past normalize is Stage.

// wireRoleRequest is unifiedRoleAssignmentScheduleRequest.
type wireRoleRequest struct {
	ID               string               `json:"id"`
	ApprovalID       string               `json:"approvalId"`
	Status           string               `json:"status"`
	Action           string               `json:"action"`
	PrincipalID      string               `json:"principalId"`
	RoleDefinitionID string               `json:"roleDefinitionId"`
	DirectoryScopeID string               `json:"directoryScopeId"`
	Justification    string               `json:"justification"`
	Created          wireTime             `json:"createdDateTime"`
	ScheduleInfo     *wireSchedule        `json:"scheduleInfo"`
	TicketInfo       *wireTicketInfo      `json:"ticketInfo"`
	CreatedBy        *wireCreatedBy       `json:"createdBy"`
	Principal        *wireDirectoryObject `json:"principal"`
	RoleDefinition   *wireDirectoryObject `json:"roleDefinition"` // unifiedRoleDefinition: id, displayName, description
	DirectoryScope   *wireDirectoryObject `json:"directoryScope"` // null for "/" (the directory is no object)
}

// wireRoleApproval is the beta approval of a role request. Steps is kept
// raw so "absent" (fetch /steps) can be told from "empty".
type wireRoleApproval struct {
	ID    string          `json:"id"`
	Steps json.RawMessage `json:"steps"`
}

func (a wireRoleApproval) hasSteps() bool { return wireApproval{Stages: a.Steps}.hasStages() }

// wireStep is beta approvalStep: the same properties as v1.0's
// approvalStage, so it decodes the same way.
type wireStep = wireStage

type wireStepPage struct {
	Value    []wireStep `json:"value"`
	NextLink string     `json:"@odata.nextLink"`
}

func (p *wireStepPage) UnmarshalJSON(b []byte) error {
	return decodeCollection(b, &p.Value, &p.NextLink)
}
