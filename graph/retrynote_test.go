package graph

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// retryNotes collects what WithRetryNotes reports.
type retryNotes struct {
	mu    sync.Mutex
	notes []RetryNote
}

func (r *retryNotes) add(n RetryNote) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notes = append(r.notes, n)
}

func (r *retryNotes) all() []RetryNote {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]RetryNote(nil), r.notes...)
}

// A throttled decision says, between its tries, that it is waiting out
// the Retry-After the service asked for.
func TestDecideNotesItsThrottleRetry(t *testing.T) {
	t.Parallel()
	st := undecided()
	st.onPatch = throttledOnce
	var rn retryNotes
	ctx := WithRetryNotes(t.Context(), rn.add)
	res := testClient(t, newStageServer(t, st)).Decide(ctx, DecisionRequest{Ref: testRef, StageID: testStage, Decision: Approve, Justification: "looks right"})
	if res.Outcome != OutcomeApproved || st.patches != 2 {
		t.Fatalf("%+v, %d PATCHes", res, st.patches)
	}
	notes := rn.all()
	if len(notes) != 1 {
		t.Fatalf("notes %+v, want one", notes)
	}
	n := notes[0]
	if n.Why != "throttled (429)" || n.Status != http.StatusTooManyRequests || n.After != 50*time.Millisecond || n.Try != 2 || n.Tries < 2 {
		t.Fatalf("note %+v", n)
	}
	if got, want := n.String(), "throttled (429), retrying in 1 s (try 2 of "; len(got) < len(want) || got[:len(want)] != want {
		t.Fatalf("note text %q", got)
	}
}

// A decision the pipeline does not re-send (a 503 PATCH: Decide re-reads
// the stage instead), or a Retry-After beyond what the client waits, is
// not announced as being retried.
func TestDecideNotesOnlyRealRetries(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		patch func(int) string
		mod   func(*Options)
	}{
		{"503 PATCH", func(n int) string {
			if n == 1 {
				return "503"
			}
			return "apply"
		}, nil},
		{"Retry-After beyond MaxRetryDelay", func(int) string { return "429" }, func(o *Options) { o.MaxRetryDelay = 10 * time.Millisecond }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := undecided()
			st.onPatch = tc.patch
			var rn retryNotes
			ctx := WithRetryNotes(t.Context(), rn.add)
			var mods []func(*Options)
			if tc.mod != nil {
				mods = append(mods, tc.mod)
			}
			res := testClient(t, newStageServer(t, st), mods...).Decide(ctx, DecisionRequest{Ref: testRef, StageID: testStage, Decision: Approve, Justification: "looks right"})
			if notes := rn.all(); len(notes) != 0 {
				t.Fatalf("notes %+v for %+v", notes, res)
			}
			if st.patches == 0 {
				t.Fatal("no PATCH sent")
			}
		})
	}
}

func TestRetryNoteText(t *testing.T) {
	t.Parallel()
	for n, want := range map[RetryNote]string{
		{Why: "throttled (429)", Status: 429, After: 2128 * time.Millisecond, Try: 2, Tries: 4}: "throttled (429), retrying in 3 s (try 2 of 4)",
		{Why: "503 Service Unavailable", Status: 503, Try: 3, Tries: 5}:                         "503 Service Unavailable, retrying (try 3 of 5)",
	} {
		if got := n.String(); got != want {
			t.Errorf("%+v: %q, want %q", n, got, want)
		}
	}
}
