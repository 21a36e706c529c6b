package sim

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkListAll10k lists every access package request waiting for the
// demo identity in a 10,000-approval tenant, following nextLinks, in-process.
func BenchmarkListAll10k(b *testing.B) {
	s := New(Options{Seed: 1, Approvals: 10000, Clock: func() time.Time { return testNow }})
	demo := s.Approvers()[0].UserPrincipalName
	first := "http://sim" + emRequests + approverFn + "?$top=999&$expand=requestor,accessPackage"
	for b.Loop() {
		items := 0
		for next := first; next != ""; {
			req := httptest.NewRequest("GET", next, nil)
			req.Header.Set("Authorization", "Bearer "+demo)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			var page struct {
				Value    []json.RawMessage `json:"value"`
				NextLink string            `json:"@odata.nextLink"`
			}
			if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
				b.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
			}
			items += len(page.Value)
			next = page.NextLink
		}
		if items < 5000 {
			b.Fatalf("%d items", items)
		}
	}
}

// BenchmarkGetApproval is one approval read, the unit of a cold refresh.
func BenchmarkGetApproval(b *testing.B) {
	s := New(Options{Seed: 1, Approvals: 10000, Clock: func() time.Time { return testNow }})
	demo := s.Approvers()[0].UserPrincipalName
	id := s.Tenant().AccessPackageRequests[0].ID
	for b.Loop() {
		req := httptest.NewRequest("GET", "http://sim"+emApprovals+"/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+demo)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 && rec.Code != 403 {
			b.Fatal(rec.Code)
		}
	}
}
