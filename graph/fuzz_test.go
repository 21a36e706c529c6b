package graph

// Fuzz tests for everything that reads a server's bytes: listing pages
// and their entries (both sources), approvals and stages, error bodies,
// and $batch replies. Run the seeds with go test; fuzz with e.g.
//
//	go test ./graph -run '^$' -fuzz FuzzDecodeResponses -fuzztime 30s
//	go test ./graph -run '^$' -fuzz FuzzBatchReplies -fuzztime 30s

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"approvals/graph/internal/fixtures"
)

var responseSeeds = []string{
	`{"value":[{"id":"r1","requestType":"userAdd","state":"pendingApproval","createdDateTime":"2026-01-02T03:04:05Z",` +
		`"requestor":{"objectId":"u1","displayName":"Ada"},"accessPackage":{"id":"p","displayName":"Sales","catalog":{"id":"c","displayName":"Cat"}},` +
		`"answers":[{"displayValue":"x","value":3,"answeredQuestion":{"text":"q?"}}],"schedule":{"startDateTime":"2026-01-02","expiration":{"type":"afterDuration","duration":"P1D"}}}],` +
		`"@odata.nextLink":"https://graph.microsoft.com/v1.0/next"}`,
	`{"value":[{"id":"g1","approvalId":"a1","accessId":"owner","status":"PendingApproval","ticketInfo":{"ticketNumber":"T"},` +
		`"createdBy":{"user":{"id":"u2","displayName":"Bob"}},"principal":{"id":"u3","mail":"m"},"group":{"id":"g","displayName":"G"}}]}`,
	`{"id":"a1","stages":[{"id":"s1","assignedToMe":true,"status":"inprogress","reviewResult":"NotReviewed",` +
		`"reviewedBy":{"id":"00000000-0000-0000-0000-000000000000"},"reviewedDateTime":null,"justification":""}]}`,
	`{"id":"a1","stages":null}`,
	`{"value":[{"id":"s","reviewedBy":[{"id":"x"}],"reviewedDateTime":"garbage"}]}`,
	`{"error":{"code":"Request_Throttled","message":"slow\u001b[2J down","innerError":{"request-id":"r","date":"2026-01-02T03:04:05"}}}`,
	`{"value":[1,"x",null,{"id":5}]}`, `[]`, `null`, `{`, ``,
}

// FuzzDecodeResponses feeds one body to every decoder of server JSON.
// Whatever the bytes, nothing panics, and an error's text is one line with
// no control characters.
func FuzzDecodeResponses(f *testing.F) {
	for _, b := range responseSeeds {
		f.Add([]byte(b))
	}
	for _, b := range fixtures.JSONBodies() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var page wirePage
		if json.Unmarshal(body, &page) == nil {
			for _, raw := range page.Value {
				if a, err := decodeEMItem(raw); err == nil {
					estimateDeadline(&a, 14*24*time.Hour)
					_, _, _ = a.MyStage()
					_ = a.CurrentStage()
				}
				if a, err := decodeGroupItem(raw); err == nil {
					estimateDeadline(&a, 24*time.Hour)
				}
				if a, err := decodeRoleItem(raw); err == nil {
					finishStages(&a, 24*time.Hour)
					_ = extendOrRenew(a.RequestType)
				}
			}
			_ = resolveLink("https://graph.microsoft.com/v1.0/x", page.NextLink)
		}
		for _, s := range []Source{SourceAccessPackage, SourceGroup} {
			_, _ = decodeRequest(s, body)
		}
		var w wireApproval
		if json.Unmarshal(body, &w) == nil && w.hasStages() {
			var ws []wireStage
			if json.Unmarshal(w.Stages, &ws) == nil {
				a := Approval{Stages: fromStages(ws), Created: time.Now()}
				estimateDeadline(&a, time.Hour)
			}
		}
		var ra wireRoleApproval
		if json.Unmarshal(body, &ra) == nil && ra.hasSteps() {
			var ws []wireStep
			if json.Unmarshal(ra.Steps, &ws) == nil {
				_ = fromStages(ws)
			}
		}
		var stp wireStepPage
		_ = json.Unmarshal(body, &stp)
		var sp wireStagePage
		_ = json.Unmarshal(body, &sp)
		var st wireStage
		if json.Unmarshal(body, &st) == nil {
			_ = fromStage(st)
		}
		var me wireUser
		_ = json.Unmarshal(body, &me)

		for _, status := range []int{http.StatusBadRequest, http.StatusTooManyRequests, 599} {
			h := http.Header{"Retry-After": {string(body[:min(len(body), 20)])}, "Request-Id": {"r"}}
			msg := newError(status, h, body).Error()
			if strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f }) || !utf8.ValidString(msg) {
				t.Fatalf("error text %q is not one clean line", msg)
			}
		}
	})
}

// FuzzBatchReplies feeds a $batch reply body for n requests: nothing
// panics, every request sent gets exactly one result, and no reply is
// taken for a request that was not sent.
func FuzzBatchReplies(f *testing.F) {
	f.Add([]byte(`{"responses":[{"id":"1","status":200,"body":{"id":"a"}},{"id":"2","status":429,"headers":{"Retry-After":"2.128"},"body":{"error":{"code":"x"}}}]}`), 2)
	f.Add([]byte(`{"responses":[{"id":"3","status":200,"body":"eyJpZCI6ImEifQ=="},{"id":"1","status":404,"body":null},{"id":"1","status":200}]}`), 3)
	f.Add([]byte(`{"responses":[{"id":"99","status":200}]}`), 1)
	f.Add([]byte(`{"responses":null}`), 20)
	f.Add([]byte(`{"responses":[{"id":1,"status":"200"}]}`), 1)
	for _, b := range fixtures.JSONBodies() {
		f.Add(b, 4) // the docs' $batch example has ids 1 to 4
	}
	f.Fuzz(func(t *testing.T, body []byte, n int) {
		n = max(0, n%25)
		byID := make(map[string]string, n)
		for i := range n {
			byID[strconv.Itoa(i+1)] = "key-" + strconv.Itoa(i+1)
		}
		res, err := batchReplies(body, byID)
		if err != nil {
			if res != nil {
				t.Fatal("results alongside an error")
			}
			return
		}
		if len(res) != n {
			t.Fatalf("%d results for %d requests", len(res), n)
		}
		for key, r := range res {
			if !strings.HasPrefix(key, "key-") {
				t.Fatalf("a result for %q, which was not sent", key)
			}
			if r.err == nil {
				_ = r.ok()
				_ = r.failure()
				_ = retryAfter(r.header, time.Now())
			}
		}
	})
}
