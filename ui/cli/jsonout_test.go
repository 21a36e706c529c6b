package cli

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"approvals/graph"
)

// hostileApprovals are n approvals whose server strings carry what a
// terminal could act on, and characters encoding/json treats specially.
func hostileApprovals(n int) []graph.Approval {
	out := make([]graph.Approval, n)
	for i := range out {
		name := fmt.Sprintf("Mallory %d \x1b[2J\u202eevil\u202c \u2028<&> \"q\" \x7f\u0085 \U0010ffff", i)
		out[i] = graph.Approval{
			Ref:           graph.Ref{Source: graph.SourceAccessPackage, ID: fmt.Sprintf("a-%05d", i)},
			Kind:          graph.KindAccessPackage,
			Requestor:     graph.Subject{ID: "u1", DisplayName: name},
			Resource:      graph.Resource{DisplayName: "Sales \u200b" + strings.Repeat("x", i%7)},
			Justification: "line one\nline two\t\u2066tab\u2069",
			Answers:       []graph.Answer{{Question: "Why?", Value: "because\u00ad"}},
			Created:       time.Date(2026, 3, 2, 10, 0, i, 0, time.UTC),
			Stages: []graph.Stage{{ID: "s1", DisplayName: "Owners", AssignedToMe: true, Status: graph.StageInProgress,
				ReviewedBy: graph.Identity{DisplayName: "Eve\u009b31m"}}},
		}
	}
	return out
}

// The streamed list is byte for byte the document encoded whole, for an
// empty list, one approval and many, with errors and warnings, hostile
// strings included (their escaping too).
func TestListJSONStreamedIsTheWholeDocument(t *testing.T) {
	snap := &graph.Snapshot{
		Errors:   []graph.SourceError{{Source: graph.SourceGroup, Err: errors.New("503 \x1b]0;pwned\x07 unavailable")}},
		Warnings: []string{"50 results and no nextLink: the list may be capped \u202e"},
	}
	for _, n := range []int{0, 1, 3} {
		for _, sn := range []*graph.Snapshot{{}, snap} {
			approvals := hostileApprovals(n)
			doc := listDoc{Version: JSONVersion, Approvals: []approvalJSON{}, Errors: []sourceError{}, Warnings: []string{}}
			for _, ap := range approvals {
				doc.Approvals = append(doc.Approvals, approvalOf(ap))
			}
			for _, e := range sn.Errors {
				doc.Errors = append(doc.Errors, sourceError{Source: string(e.Source), Error: errorOf(e)})
			}
			doc.Warnings = append(doc.Warnings, sn.Warnings...)
			var whole, streamed bytes.Buffer
			if err := writeJSON(&whole, doc); err != nil {
				t.Fatal(err)
			}
			if err := writeListJSON(&streamed, approvals, sn); err != nil {
				t.Fatal(err)
			}
			if streamed.String() != whole.String() {
				t.Fatalf("%d approvals, %d errors: streamed\n%s\nwhole\n%s", n, len(sn.Errors), streamed.String(), whole.String())
			}
			if n > 0 && (strings.ContainsAny(whole.String(), "\x1b\u202e\u2028\x7f\u0085\u009b\U0010ffff") || !strings.Contains(whole.String(), `\u202e`)) {
				t.Fatalf("a control or bidi character was not escaped:\n%s", whole.String())
			}
		}
	}
}

// writeSizes records the size of every Write.
type writeSizes struct{ sizes []int }

func (w *writeSizes) Write(p []byte) (int, error) {
	w.sizes = append(w.sizes, len(p))
	return len(p), nil
}

// A long list reaches the writer in bounded pieces while it is encoded,
// never as one document held whole.
func TestListJSONIsWrittenInPieces(t *testing.T) {
	var w writeSizes
	if err := writeListJSON(&w, hostileApprovals(500), &graph.Snapshot{}); err != nil {
		t.Fatal(err)
	}
	total, largest := 0, 0
	for _, n := range w.sizes {
		total, largest = total+n, max(largest, n)
	}
	if total < 4*64<<10 || largest > 64<<10 {
		t.Fatalf("%d bytes in %d writes, the largest %d: want several writes of at most 64 KiB", total, len(w.sizes), largest)
	}
}
