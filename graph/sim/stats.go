package sim

import (
	"maps"
	"strings"
	"sync"
)

// Operation names what a request asked for. Stats count by it and faults
// match on it.
type Operation string

const (
	OpMe                         Operation = "me"
	OpBatch                      Operation = "batch"
	OpListAccessPackageRequests  Operation = "listAccessPackageRequests"  // assignmentRequests/filterByCurrentUser, per page
	OpGetAccessPackageRequest    Operation = "getAccessPackageRequest"    // assignmentRequests/{id} (and its navigation properties)
	OpListAccessPackageApprovals Operation = "listAccessPackageApprovals" // accessPackageAssignmentApprovals/filterByCurrentUser, per page
	OpListGroupRequests          Operation = "listGroupRequests"          // assignmentScheduleRequests/filterByCurrentUser, per page
	OpGetGroupRequest            Operation = "getGroupRequest"            // assignmentScheduleRequests/{id}
	OpListGroupApprovals         Operation = "listGroupApprovals"         // group/assignmentApprovals/filterByCurrentUser, per page
	OpGetApproval                Operation = "getApproval"                // either source
	OpListStages                 Operation = "listStages"
	OpGetStage                   Operation = "getStage"
	OpPatchStage                 Operation = "patchStage"
	OpListRoleRequests           Operation = "listRoleRequests" // v1.0 roleAssignmentScheduleRequests/filterByCurrentUser, per page
	OpGetRoleRequest             Operation = "getRoleRequest"   // v1.0 roleAssignmentScheduleRequests/{id}
	OpGetRoleApproval            Operation = "getRoleApproval"  // beta roleAssignmentApprovals/{id}
	OpListRoleSteps              Operation = "listRoleSteps"    // beta roleAssignmentApprovals/{id}/steps
	OpGetRoleStep                Operation = "getRoleStep"      // beta .../steps/{id}
	OpPatchRoleStep              Operation = "patchRoleStep"    // beta PATCH .../steps/{id}: a decision
	OpOther                      Operation = "other"            // anything the simulator does not serve
)

var knownOps = []Operation{OpMe, OpBatch, OpListAccessPackageRequests, OpGetAccessPackageRequest,
	OpListAccessPackageApprovals, OpListGroupRequests, OpGetGroupRequest, OpListGroupApprovals,
	OpGetApproval, OpListStages, OpGetStage, OpPatchStage, OpOther,
	OpListAzureApprovals, OpGetAzureApproval, OpListAzureStages, OpGetAzureStage, OpPatchAzureStage, OpListAzureRequests,
	OpListRoleRequests, OpGetRoleRequest, OpGetRoleApproval, OpListRoleSteps, OpGetRoleStep, OpPatchRoleStep}

// Stats counts what the simulator has served since it started (or since
// ResetStats).
type Stats struct {
	// Requests is the number of HTTP requests received; a $batch counts once.
	Requests int64
	// BatchItems is the number of requests received inside $batch bodies.
	BatchItems int64
	// Ops counts by operation, HTTP requests and batch items alike (so a
	// $batch of 20 approval reads adds 1 to OpBatch and 20 to OpGetApproval).
	Ops map[Operation]int64
	// Faulted is the number of requests and batch items a fault changed.
	Faulted int64
	// MaxBatchConcurrency is the largest number of batch items seen running
	// at the same time.
	MaxBatchConcurrency int64
}

// Op returns the count for one operation.
func (s Stats) Op(op Operation) int64 { return s.Ops[op] }

// StageState is the simulator's view of one approval stage, for tests.
type StageState struct {
	Status        string // InProgress, Initializing, Completed, Expired
	ReviewResult  string // NotReviewed, Approved, Denied
	ReviewedBy    string // user id, "" until decided
	Justification string // the approver's
	// PatchAttempts counts PATCH requests addressed to this stage,
	// including those a fault answered or dropped.
	PatchAttempts int
	// PatchesApplied counts PATCH requests that changed the stage. A stage
	// is decided once, so this never exceeds 1; a decision made through
	// DecideAs or the activity loop is not counted here.
	PatchesApplied int
}

type counters struct {
	mu       sync.Mutex
	stats    Stats
	inFlight int64
	patches  map[string]*[2]int // approvalID/stageID (lower case) → attempts, applied
}

func newCounters() *counters {
	return &counters{stats: Stats{Ops: map[Operation]int64{}}, patches: map[string]*[2]int{}}
}

func stageKey(approvalID, stageID string) string {
	return strings.ToLower(approvalID) + "/" + strings.ToLower(stageID)
}

func (c *counters) request(op Operation, inBatch bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if inBatch {
		c.stats.BatchItems++
	} else {
		c.stats.Requests++
	}
	c.stats.Ops[op]++
}

func (c *counters) faulted() {
	c.mu.Lock()
	c.stats.Faulted++
	c.mu.Unlock()
}

func (c *counters) batchItemStarted() {
	c.mu.Lock()
	c.inFlight++
	c.stats.MaxBatchConcurrency = max(c.stats.MaxBatchConcurrency, c.inFlight)
	c.mu.Unlock()
}

func (c *counters) batchItemDone() {
	c.mu.Lock()
	c.inFlight--
	c.mu.Unlock()
}

// patch counts a PATCH addressed to a stage (applied: it changed it).
func (c *counters) patch(approvalID, stageID string, applied bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := stageKey(approvalID, stageID)
	p := c.patches[k]
	if p == nil {
		p = new([2]int)
		c.patches[k] = p
	}
	if applied {
		p[1]++
	} else {
		p[0]++
	}
}

func (c *counters) patchCounts(approvalID, stageID string) (attempts, applied int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.patches[stageKey(approvalID, stageID)]; p != nil {
		return p[0], p[1]
	}
	return 0, 0
}

func (c *counters) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Ops = maps.Clone(c.stats.Ops)
	return s
}

func (c *counters) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats = Stats{Ops: map[Operation]int64{}}
}
