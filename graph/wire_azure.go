package graph

import (
	"bytes"
	"encoding/json"
	"strings"
)

// The Azure Resource Manager shapes the Azure source reads, written from
// the Microsoft.Authorization REST reference (2021-01-01-preview role
// assignment approvals, 2020-10-01 role assignment schedule requests). ARM
// wraps every resource as {id, name, type, properties:{...}} and pages with
// "nextLink" (not "@odata.nextLink"). Same rules as wire.go: enums are
// plain strings, missing fields are zero, nothing here fails on an unknown
// value.

// wireARMPage is one page of an ARM collection.
type wireARMPage struct {
	Value    []json.RawMessage
	NextLink string
}

func (p *wireARMPage) UnmarshalJSON(b []byte) error {
	var w struct {
		Value    json.RawMessage `json:"value"`
		NextLink string          `json:"nextLink"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if len(w.Value) == 0 {
		return errNotCollection
	}
	var v []json.RawMessage
	if err := json.Unmarshal(w.Value, &v); err != nil {
		return err
	}
	p.Value, p.NextLink = v, w.NextLink
	return nil
}

// wireARMApproval is RoleAssignmentApproval. Stages is kept raw so that
// "absent" (read .../stages) can be told from "empty".
type wireARMApproval struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Properties struct {
		Stages json.RawMessage `json:"stages"`
	} `json:"properties"`
}

func (a wireARMApproval) approvalID() string { return firstNonEmpty(a.Name, lastSegment(a.ID)) }

func (a wireARMApproval) hasStages() bool {
	s := bytes.TrimSpace(a.Properties.Stages)
	return len(s) > 0 && !bytes.Equal(s, []byte("null"))
}

// wireARMStage is RoleAssignmentApprovalStep. Its id is the stage's full
// resource id; the documented example's "name" differs from the id's last
// segment, and the stage is addressed by that segment.
type wireARMStage struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Properties struct {
		DisplayName   string        `json:"displayName"`
		Status        string        `json:"status"`
		AssignedToMe  bool          `json:"assignedToMe"`
		ReviewedBy    *wireARMActor `json:"reviewedBy"`
		ReviewedAt    wireTime      `json:"reviewedDateTime"`
		ReviewResult  string        `json:"reviewResult"`
		Justification string        `json:"justification"`
	} `json:"properties"`
}

// wireARMActor is RoleAssignmentApprovalActorIdentity.
type wireARMActor struct {
	PrincipalID       string `json:"principalId"`
	PrincipalType     string `json:"principalType"`
	PrincipalName     string `json:"principalName"`
	UserPrincipalName string `json:"userPrincipalName"`
}

// wireARMDecision is the stage update body: {"properties":{...}} with the
// write vocabulary (Approve/Deny).
type wireARMDecision struct {
	Properties wireDecision `json:"properties"`
}

// wireARMRequest is RoleAssignmentScheduleRequest with its
// expandedProperties (display names of scope, role and principal).
type wireARMRequest struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Properties struct {
		Scope            string        `json:"scope"`
		RoleDefinitionID string        `json:"roleDefinitionId"`
		PrincipalID      string        `json:"principalId"`
		PrincipalType    string        `json:"principalType"`
		RequestType      string        `json:"requestType"`
		Status           string        `json:"status"`
		ApprovalID       string        `json:"approvalId"`
		ScheduleInfo     *wireSchedule `json:"scheduleInfo"`
		TicketInfo       *struct {
			TicketNumber string `json:"ticketNumber"`
			TicketSystem string `json:"ticketSystem"`
		} `json:"ticketInfo"`
		Justification      string   `json:"justification"`
		RequestorID        string   `json:"requestorId"`
		CreatedOn          wireTime `json:"createdOn"`
		ExpandedProperties *struct {
			Scope          *wireARMExpanded `json:"scope"`
			RoleDefinition *wireARMExpanded `json:"roleDefinition"`
			Principal      *wireARMExpanded `json:"principal"`
		} `json:"expandedProperties"`
	} `json:"properties"`
}

// wireARMExpanded is one of expandedProperties' scope, roleDefinition and
// principal.
type wireARMExpanded struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Email       string `json:"email"`
	Type        string `json:"type"`
}

// approvalID is the approval a request waits on: approvalId may be a bare
// GUID or a resource id ending in it.
func (r wireARMRequest) approvalID() string { return lastSegment(r.Properties.ApprovalID) }

// lastSegment is what follows the last "/" of an ARM resource id.
func lastSegment(id string) string {
	id = strings.TrimRight(id, "/")
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}
