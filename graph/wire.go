package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// The v1.0 JSON shapes this client reads, written from the Graph docs and
// metadata. They are private on purpose: the simulator has its own, so a
// misreading of the contract cannot be shared by both sides.
//
// Rules: enums are plain strings (unknown values never fail decoding);
// missing or null fields decode to zero values; timestamps and reviewedBy
// have tolerant decoders below.

// wirePage is one page of a collection.
type wirePage struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

func (p *wirePage) UnmarshalJSON(b []byte) error {
	return decodeCollection(b, &p.Value, &p.NextLink)
}

// errNotCollection is a 2xx reply where a collection was expected that
// has no "value" at all: {}, null, or a single object.
var errNotCollection = errors.New(`not a collection (no "value")`)

// decodeCollection reads a collection reply. Every OData collection has a
// "value" array; a body without one is an error, so a proxy's or a broken
// deployment's {} never reads as "nothing is waiting". "value": null is
// read as no items.
func decodeCollection[T any](b []byte, value *[]T, next *string) error {
	var w struct {
		Value    json.RawMessage `json:"value"`
		NextLink string          `json:"@odata.nextLink"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if len(w.Value) == 0 {
		return errNotCollection
	}
	var v []T
	if err := json.Unmarshal(w.Value, &v); err != nil {
		return err
	}
	*value, *next = v, w.NextLink
	return nil
}

// wireAssignmentRequest is an entitlement management
// accessPackageAssignmentRequest, with the expansions this client asks for.
type wireAssignmentRequest struct {
	ID            string             `json:"id"`
	RequestType   string             `json:"requestType"`
	State         string             `json:"state"`
	Status        string             `json:"status"`
	Justification string             `json:"justification"`
	Created       wireTime           `json:"createdDateTime"`
	Schedule      *wireSchedule      `json:"schedule"`
	Answers       []wireAnswer       `json:"answers"`
	Requestor     *wireSubject       `json:"requestor"`
	AccessPackage *wireAccessPackage `json:"accessPackage"`
	Assignment    *struct {
		ID     string       `json:"id"`
		Target *wireSubject `json:"target"`
	} `json:"assignment"`
}

// wireSchedule is entitlementManagementSchedule (EM schedule) and
// requestSchedule (PIM scheduleInfo): the same two fields we read.
type wireSchedule struct {
	Start      wireTime `json:"startDateTime"`
	Expiration *struct {
		Type     string   `json:"type"`
		End      wireTime `json:"endDateTime"`
		Duration string   `json:"duration"`
	} `json:"expiration"`
}

// wireAnswer is accessPackageAnswer (accessPackageAnswerString adds value).
type wireAnswer struct {
	DisplayValue     string          `json:"displayValue"`
	Value            json.RawMessage `json:"value"`
	AnsweredQuestion *struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"answeredQuestion"`
}

// wireSubject is accessPackageSubject.
type wireSubject struct {
	ID            string `json:"id"`
	ObjectID      string `json:"objectId"`
	DisplayName   string `json:"displayName"`
	Email         string `json:"email"`
	PrincipalName string `json:"principalName"`
}

type wireAccessPackage struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
	Catalog     *struct {
		ID          string `json:"id"`
		DisplayName string `json:"displayName"`
	} `json:"catalog"`
}

// wireTicketInfo is a PIM request's ticketInfo.
type wireTicketInfo struct {
	TicketNumber string `json:"ticketNumber"`
	TicketSystem string `json:"ticketSystem"`
}

// wireCreatedBy is a PIM request's createdBy (an identitySet; only the
// user matters here).
type wireCreatedBy struct {
	User *wireIdentity `json:"user"`
}

// wireGroupRequest is privilegedAccessGroupAssignmentScheduleRequest with
// group and principal expanded. (The docs example misspells
// createdDateTIme; encoding/json's case-insensitive keys read it anyway.)
type wireGroupRequest struct {
	ID            string               `json:"id"`
	ApprovalID    string               `json:"approvalId"`
	AccessID      string               `json:"accessId"`
	PrincipalID   string               `json:"principalId"`
	GroupID       string               `json:"groupId"`
	Status        string               `json:"status"`
	Action        string               `json:"action"`
	Justification string               `json:"justification"`
	Created       wireTime             `json:"createdDateTime"`
	ScheduleInfo  *wireSchedule        `json:"scheduleInfo"`
	TicketInfo    *wireTicketInfo      `json:"ticketInfo"`
	CreatedBy     *wireCreatedBy       `json:"createdBy"`
	Principal     *wireDirectoryObject `json:"principal"`
	Group         *wireDirectoryObject `json:"group"`
}

// wireDirectoryObject covers the expanded principal (a user, usually) and
// group: the union of the fields we read from either.
type wireDirectoryObject struct {
	ID                string `json:"id"`
	DisplayName       string `json:"displayName"`
	Description       string `json:"description"`
	Mail              string `json:"mail"`
	UserPrincipalName string `json:"userPrincipalName"`
}

// wireApproval is approval. Stages is kept raw so "absent" (fetch
// /stages) can be told from "empty".
type wireApproval struct {
	ID     string          `json:"id"`
	Stages json.RawMessage `json:"stages"`
}

// hasStages reports whether the stages property was present and not null.
func (a wireApproval) hasStages() bool {
	s := bytes.TrimSpace(a.Stages)
	return len(s) > 0 && !bytes.Equal(s, []byte("null"))
}

// wireStage is approvalStage.
type wireStage struct {
	ID            string       `json:"id"`
	DisplayName   string       `json:"displayName"`
	AssignedToMe  bool         `json:"assignedToMe"`
	Status        string       `json:"status"`
	ReviewResult  string       `json:"reviewResult"`
	ReviewedBy    wireIdentity `json:"reviewedBy"`
	ReviewedAt    wireTime     `json:"reviewedDateTime"`
	Justification string       `json:"justification"`
}

// wireUser is the part of /me we read.
type wireUser struct {
	ID                string `json:"id"`
	DisplayName       string `json:"displayName"`
	UserPrincipalName string `json:"userPrincipalName"`
	Mail              string `json:"mail"`
}

// wireDecision is the PATCH body: the *write* vocabulary (Approve/Deny).
type wireDecision struct {
	ReviewResult  string `json:"reviewResult"`
	Justification string `json:"justification"`
}

// wireIdentity is graph.identity. Docs disagree on "not reviewed": null,
// or the zero GUID; the beta docs even show an array. All decode.
type wireIdentity struct {
	ID          string
	DisplayName string
}

const zeroGUID = "00000000-0000-0000-0000-000000000000"

func (w *wireIdentity) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || b[0] == 'n':
		*w = wireIdentity{}
		return nil
	case b[0] == '[':
		var list []wireIdentity
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		*w = wireIdentity{}
		for _, id := range list {
			if id.ID != "" {
				*w = id
				break
			}
		}
		return nil
	case b[0] == '{':
		var o struct {
			ID          string `json:"id"`
			DisplayName string `json:"displayName"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*w = wireIdentity{ID: o.ID, DisplayName: o.DisplayName}
		if o.ID == zeroGUID {
			*w = wireIdentity{}
		}
		return nil
	}
	*w = wireIdentity{} // a string or number: not an identity we can use
	return nil
}

// wireTime is an Edm.DateTimeOffset: RFC 3339 with or without fractional
// seconds; a missing zone (as in the docs' innerError dates) means UTC;
// null or an unreadable value is the zero time rather than a failure.
type wireTime struct{ time.Time }

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"}

func (t *wireTime) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return nil
	}
	t.Time = parseTime(s)
	return nil
}

func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{} // null, or a stage not reviewed yet: no parse errors to build
	}
	for _, layout := range timeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC()
		}
	}
	return time.Time{}
}
