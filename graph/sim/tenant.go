package sim

import "time"

// TenantVersion is the format version written in tenant files.
const TenantVersion = 1

// Tenant is everything the simulator knows: people, catalogs, access
// packages, PIM groups, and the requests with their approval stages. It is
// also the JSON tenant file format (see WriteTenant), so field names are
// stable and documented.
type Tenant struct {
	Version int `json:"version"`
	// Approvers lists the user ids of the identities that approve in this
	// tenant. The first is the demo identity.
	Approvers             []string                `json:"approvers"`
	Users                 []User                  `json:"users"`
	Catalogs              []Catalog               `json:"catalogs"`
	AccessPackages        []AccessPackage         `json:"accessPackages"`
	Groups                []Group                 `json:"groups"`
	AccessPackageRequests []*AccessPackageRequest `json:"accessPackageRequests"`
	GroupRequests         []*GroupRequest         `json:"groupRequests"`
	// AzureRequests are PIM for Azure resources requests, served by the
	// Azure Resource Manager surface under /arm.
	AzureRequests []*AzureRequest `json:"azureRequests,omitempty"`
	// PIM for Microsoft Entra roles: role definitions, administrative
	// units (directory scopes besides "/") and activation requests.
	Roles               []Role               `json:"roles,omitempty"`
	AdministrativeUnits []AdministrativeUnit `json:"administrativeUnits,omitempty"`
	RoleRequests        []*RoleRequest       `json:"roleRequests,omitempty"`
}

// User is a person in the tenant (microsoft.graph.user, trimmed).
type User struct {
	ID                string `json:"id"`
	DisplayName       string `json:"displayName"`
	GivenName         string `json:"givenName,omitempty"`
	Surname           string `json:"surname,omitempty"`
	UserPrincipalName string `json:"userPrincipalName"`
	Mail              string `json:"mail,omitempty"`
	JobTitle          string `json:"jobTitle,omitempty"`
	Department        string `json:"department,omitempty"`
}

// Catalog is an entitlement management catalog (accessPackageCatalog).
type Catalog struct {
	ID                  string    `json:"id"`
	DisplayName         string    `json:"displayName"`
	Description         string    `json:"description,omitempty"`
	CatalogType         string    `json:"catalogType"` // userManaged, serviceDefault, serviceManaged
	State               string    `json:"state"`       // published, unpublished
	IsExternallyVisible bool      `json:"isExternallyVisible,omitempty"`
	CreatedDateTime     time.Time `json:"createdDateTime"`
	ModifiedDateTime    time.Time `json:"modifiedDateTime"`
}

// AccessPackage is an access package with the questions its requestors
// answer and the approval policy its requests follow.
type AccessPackage struct {
	ID               string     `json:"id"`
	CatalogID        string     `json:"catalogId"`
	DisplayName      string     `json:"displayName"`
	Description      string     `json:"description,omitempty"`
	IsHidden         bool       `json:"isHidden,omitempty"`
	CreatedDateTime  time.Time  `json:"createdDateTime"`
	ModifiedDateTime time.Time  `json:"modifiedDateTime"`
	Questions        []Question `json:"questions,omitempty"`
	Policy           Policy     `json:"policy"`
}

// Question is an access package question: a text input
// (Kind "text") or a multiple choice (Kind "multipleChoice").
type Question struct {
	ID                         string   `json:"id"`
	Kind                       string   `json:"kind"` // text, multipleChoice
	Text                       string   `json:"text"`
	Sequence                   int      `json:"sequence"`
	IsRequired                 bool     `json:"isRequired,omitempty"`
	IsAnswerEditable           bool     `json:"isAnswerEditable,omitempty"`
	IsSingleLineQuestion       bool     `json:"isSingleLineQuestion,omitempty"`
	RegexPattern               string   `json:"regexPattern,omitempty"`
	IsMultipleSelectionAllowed bool     `json:"isMultipleSelectionAllowed,omitempty"`
	Choices                    []Choice `json:"choices,omitempty"`
}

// Choice is one option of a multiple choice question.
type Choice struct {
	ActualValue string `json:"actualValue"`
	Text        string `json:"text"`
}

// Group is a PIM for Groups managed group with its member and owner
// approval policies (one stage each, as PIM for Groups has).
type Group struct {
	ID           string `json:"id"`
	DisplayName  string `json:"displayName"`
	Description  string `json:"description,omitempty"`
	Mail         string `json:"mail,omitempty"`
	MemberPolicy Policy `json:"memberPolicy"`
	OwnerPolicy  Policy `json:"ownerPolicy"`
}

// Policy is the approval part of an assignment policy: the stages a new
// request goes through.
type Policy struct {
	Stages []StagePolicy `json:"stages"`
}

// StagePolicy configures one approval stage.
type StagePolicy struct {
	DisplayName           string   `json:"displayName,omitempty"`
	Approvers             []string `json:"approvers"` // user ids
	JustificationRequired bool     `json:"justificationRequired,omitempty"`
	// Timeout is an ISO 8601 duration such as "P14D" (EM default) or "PT24H"
	// (PIM); past it the stage expires. Empty means the source's default.
	Timeout string `json:"timeout,omitempty"`
}

// Stage values as Graph reads them back (approvalStage.status / reviewResult).
const (
	StatusInProgress   = "InProgress"
	StatusInitializing = "Initializing"
	StatusCompleted    = "Completed"
	StatusExpired      = "Expired"

	ResultNotReviewed = "NotReviewed"
	ResultApproved    = "Approved"
	ResultDenied      = "Denied"
)

// Stage is one approval stage of a request: its configuration (copied
// from the policy when the request was made, like the service's own
// snapshot) and its runtime state.
type Stage struct {
	ID                    string    `json:"id"`
	DisplayName           string    `json:"displayName,omitempty"`
	Approvers             []string  `json:"approvers"`
	JustificationRequired bool      `json:"justificationRequired,omitempty"`
	Timeout               string    `json:"timeout,omitempty"`
	Status                string    `json:"status"`       // InProgress, Initializing, Completed, Expired
	ReviewResult          string    `json:"reviewResult"` // NotReviewed, Approved, Denied
	StartedDateTime       time.Time `json:"startedDateTime,omitzero"`
	ReviewedBy            string    `json:"reviewedBy,omitempty"` // user id
	ReviewedDateTime      time.Time `json:"reviewedDateTime,omitzero"`
	Justification         string    `json:"justification"` // the approver's
}

// Schedule is a requested access window (entitlementManagementSchedule /
// requestSchedule).
type Schedule struct {
	StartDateTime  time.Time `json:"startDateTime,omitzero"`
	ExpirationType string    `json:"expirationType"` // notSpecified, noExpiration, afterDateTime, afterDuration
	EndDateTime    time.Time `json:"endDateTime,omitzero"`
	Duration       string    `json:"duration,omitempty"` // ISO 8601, e.g. "PT8H"
}

// Answer is a requestor's answer to an access package question.
type Answer struct {
	QuestionID   string `json:"questionId"`
	Value        string `json:"value"`
	DisplayValue string `json:"displayValue,omitempty"`
}

// EM request states (accessPackageRequestState, v1.0 camelCase).
const (
	StatePendingApproval = "pendingApproval"
	StateDelivered       = "delivered"
	StateDenied          = "denied"
	StateCanceled        = "canceled"
)

// AccessPackageRequest is an entitlement management assignment request.
// Its approval has the same id (as in Graph).
type AccessPackageRequest struct {
	ID                string    `json:"id"`
	AccessPackageID   string    `json:"accessPackageId"`
	RequestorID       string    `json:"requestorId"` // who asked
	TargetID          string    `json:"targetId"`    // who receives the access
	AssignmentID      string    `json:"assignmentId"`
	RequestType       string    `json:"requestType"` // userAdd, userUpdate, adminAdd, ...
	State             string    `json:"state"`       // pendingApproval, delivered, denied, canceled, ...
	Status            string    `json:"status"`      // free text: PendingApproval, Delivered, Denied, Expired, Canceled
	Justification     string    `json:"justification"`
	CreatedDateTime   time.Time `json:"createdDateTime"`
	CompletedDateTime time.Time `json:"completedDateTime,omitzero"`
	Schedule          Schedule  `json:"schedule"`
	Answers           []Answer  `json:"answers,omitempty"`
	Stages            []Stage   `json:"stages"`
}

// PIM request statuses used by the simulator.
const (
	PIMPendingApproval = "PendingApproval"
	PIMProvisioned     = "Provisioned"
	PIMDenied          = "Denied"
	PIMCanceled        = "Canceled"
)

// GroupRequest is a PIM for Groups assignment schedule request. Its
// approval has the same id and a single stage whose id is also the same
// (as documented).
type GroupRequest struct {
	ID                string    `json:"id"`
	GroupID           string    `json:"groupId"`
	PrincipalID       string    `json:"principalId"` // who receives the access
	CreatedByID       string    `json:"createdById"` // who asked (== principal for selfActivate)
	AccessID          string    `json:"accessId"`    // member, owner
	Action            string    `json:"action"`      // selfActivate, adminAssign, ...
	Status            string    `json:"status"`      // PendingApproval, Provisioned, Denied, Canceled
	Justification     string    `json:"justification"`
	CreatedDateTime   time.Time `json:"createdDateTime"`
	CompletedDateTime time.Time `json:"completedDateTime,omitzero"`
	ScheduleInfo      Schedule  `json:"scheduleInfo"`
	TicketNumber      string    `json:"ticketNumber,omitempty"`
	TicketSystem      string    `json:"ticketSystem,omitempty"`
	TargetScheduleID  string    `json:"targetScheduleId,omitempty"`
	Stages            []Stage   `json:"stages"`
}

// Role is a Microsoft Entra role definition (unifiedRoleDefinition,
// trimmed) with the approvers PIM asks for its activations.
type Role struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Description string `json:"description,omitempty"`
	IsBuiltIn   bool   `json:"isBuiltIn,omitempty"`
	// Approvers approve activations of this role (one step, as PIM for
	// Microsoft Entra roles has).
	Approvers []string `json:"approvers"`
}

// AdministrativeUnit is a directory scope narrower than the tenant ("/").
type AdministrativeUnit struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Description string `json:"description,omitempty"`
}

// RoleRequest is a PIM for Microsoft Entra roles assignment schedule
// request (unifiedRoleAssignmentScheduleRequest). Its approval (beta
// roleAssignmentApprovals) has the same id and one step, whose id differs.
type RoleRequest struct {
	ID                string    `json:"id"`
	RoleDefinitionID  string    `json:"roleDefinitionId"`
	DirectoryScopeID  string    `json:"directoryScopeId"` // "/" or "/administrativeUnits/{id}"
	PrincipalID       string    `json:"principalId"`      // who receives the role
	CreatedByID       string    `json:"createdById"`      // who asked (== principal for self* actions)
	Action            string    `json:"action"`           // selfActivate, selfExtend, selfRenew, adminAssign, ...
	Status            string    `json:"status"`           // PendingApproval, Provisioned, Denied, Canceled
	Justification     string    `json:"justification"`
	CreatedDateTime   time.Time `json:"createdDateTime"`
	CompletedDateTime time.Time `json:"completedDateTime,omitzero"`
	ScheduleInfo      Schedule  `json:"scheduleInfo"`
	TicketNumber      string    `json:"ticketNumber,omitempty"`
	TicketSystem      string    `json:"ticketSystem,omitempty"`
	TargetScheduleID  string    `json:"targetScheduleId,omitempty"`
	Stages            []Stage   `json:"stages"` // the approval's steps
}
