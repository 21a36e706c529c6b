package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"approvals/graph"
	"approvals/graph/privdir"
)

var t0 = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

func openTemp(t *testing.T) (*Journal, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", "journal.jsonl")
	j, err := Open(path, Options{User: "megan@contoso.com", Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j, path
}

func request(id string) graph.DecisionRequest {
	return graph.DecisionRequest{
		Ref:     graph.Ref{Source: graph.SourceAccessPackage, ID: id},
		StageID: "stage-" + id, Decision: graph.Approve, Justification: "Ticket " + id,
	}
}

func TestAttemptAndOutcomeLines(t *testing.T) {
	j, path := openTemp(t)
	req := request("r1")
	if err := j.Attempt(req, 1); err != nil {
		t.Fatal(err)
	}
	// The attempt must be in the file before the PATCH goes out.
	data, err := os.ReadFile(path)
	if err != nil || strings.Count(string(data), "\n") != 1 {
		t.Fatalf("after Attempt the file holds %q (%v)", data, err)
	}
	j.Outcome(graph.DecisionResult{Request: req, Outcome: graph.OutcomeAlreadyDecided, Attempts: 1,
		DecidedBy: graph.Identity{ID: "u2", DisplayName: "Alex Wilber"}, DecidedAs: graph.Denied, RequestID: "req-9"})
	if err := j.Err(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(readFile(t, path), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	var a, o map[string]any
	json.Unmarshal([]byte(lines[0]), &a)
	json.Unmarshal([]byte(lines[1]), &o)
	session, _ := a["session"].(string)
	if len(session) != 12 || o["session"] != session {
		t.Errorf("sessions %v / %v", a["session"], o["session"])
	}
	wantA := fmt.Sprintf(`{"v":1,"time":"2026-03-01T09:30:00Z","type":"attempt","session":%q,"user":"megan@contoso.com","ref":"accessPackage:r1","stage":"stage-r1","decision":"Approve","justification":"Ticket r1","attempt":1}`, session)
	if lines[0] != wantA {
		t.Errorf("attempt line:\n got %s\nwant %s", lines[0], wantA)
	}
	wantO := fmt.Sprintf(`{"v":1,"time":"2026-03-01T09:30:00Z","type":"outcome","session":%q,"user":"megan@contoso.com","ref":"accessPackage:r1","stage":"stage-r1","decision":"Approve","justification":"Ticket r1","outcome":"already-decided","attempts":1,"decided_by":"Alex Wilber","decided_by_id":"u2","decided_as":"Denied","request_id":"req-9"}`, session)
	if lines[1] != wantO {
		t.Errorf("outcome line:\n got %s\nwant %s", lines[1], wantO)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFileAndFolderArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	j, path := openTemp(t)
	if err := j.Attempt(request("r"), 1); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	di, _ := os.Stat(filepath.Dir(path))
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Errorf("file %v, folder %v", fi.Mode().Perm(), di.Mode().Perm())
	}

	// A journal someone loosened is made private again on open.
	j.Close()
	os.Chmod(path, 0o644)
	j2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	j2.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("after reopen: %v", fi.Mode().Perm())
	}

	// A folder open to other users is refused.
	open := filepath.Join(t.TempDir(), "shared")
	os.Mkdir(open, 0o777)
	os.Chmod(open, 0o777)
	_, err = Open(filepath.Join(open, "journal.jsonl"), Options{})
	var ie *privdir.InsecureError
	if !errors.As(err, &ie) {
		t.Errorf("open folder: %v", err)
	}
	if _, statErr := os.Stat(filepath.Join(open, "journal.jsonl")); statErr == nil {
		t.Error("journal written into an open folder")
	}
}

func TestConcurrentWriters(t *testing.T) {
	j, path := openTemp(t)
	// A second journal on the same file stands in for a second process.
	other, err := Open(path, Options{User: "other"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jj := j
			if i%2 == 1 {
				jj = other
			}
			req := request(fmt.Sprint(i))
			req.Justification = strings.Repeat("x", 2000) // long lines must stay whole
			if err := jj.Attempt(req, 1); err != nil {
				t.Error(err)
				return
			}
			jj.Outcome(graph.DecisionResult{Request: req, Outcome: graph.OutcomeApproved, Attempts: 1})
		}()
	}
	wg.Wait()
	log, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Records) != 2*n || len(log.Torn) != 0 {
		t.Fatalf("%d records, torn %v", len(log.Records), log.Torn)
	}
	entries := Entries(log.Records)
	if len(entries) != n {
		t.Fatalf("%d entries", len(entries))
	}
	for _, e := range entries {
		if e.Unresolved() || e.Outcome != "approved" || e.Attempts != 1 {
			t.Errorf("entry %+v", e)
		}
	}
}

func TestTornLastLineIsToleratedAndNotGluedOnto(t *testing.T) {
	j, path := openTemp(t)
	if err := j.Attempt(request("a"), 1); err != nil {
		t.Fatal(err)
	}
	j.Close()
	// A crash mid-write leaves half a record without a newline.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"v":1,"time":"2026-03-01T09:30:00Z","type":"outc`)
	f.Close()

	log, err := Read(path)
	if err != nil {
		t.Fatalf("torn last line: %v", err)
	}
	if len(log.Records) != 1 || len(log.Torn) != 1 || log.Torn[0] != 2 {
		t.Fatalf("records %d torn %v", len(log.Records), log.Torn)
	}
	if e := Entries(log.Records); len(e) != 1 || !e[0].Unresolved() {
		t.Errorf("the attempt before the tear must be unresolved: %+v", e)
	}

	// The next run appends on a fresh line; the torn one stays torn.
	j2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := j2.Attempt(request("b"), 1); err != nil {
		t.Fatal(err)
	}
	j2.Close()
	log, err = Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Records) != 2 || len(log.Torn) != 1 || log.Records[1].Ref != "accessPackage:b" {
		t.Errorf("after reopen: records %+v torn %v", log.Records, log.Torn)
	}
}

func TestReadRejectsOtherDamageLoudly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	good := `{"v":1,"time":"2026-03-01T09:30:00Z","type":"attempt","session":"s","ref":"group:g1","stage":"st","decision":"Deny","justification":"no","attempt":1}`
	content := good + "\nhello world\n" + `{"v":2,"type":"attempt","ref":"group:x"}` + "\n" + `{"v":1,"type":"vote","ref":"group:x"}` + "\n" + good + "\n"
	os.WriteFile(path, []byte(content), 0o600)
	log, err := Read(path)
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("want CorruptError, got %v", err)
	}
	want := path + ": lines 2, 3, 4 are not journal records (line 2: invalid character 'h' looking for beginning of value)"
	if err.Error() != want {
		t.Errorf("error:\n got %s\nwant %s", err, want)
	}
	if len(log.Records) != 2 {
		t.Errorf("good records must still be returned: %d", len(log.Records))
	}
}

func TestEntriesPairing(t *testing.T) {
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	recs := []Record{
		{V: 1, Time: at(0), Type: TypeAttempt, Session: "s1", Ref: "group:a", Stage: "1", Decision: "Approve", Attempt: 1},
		{V: 1, Time: at(1), Type: TypeAttempt, Session: "s1", Ref: "group:a", Stage: "1", Decision: "Approve", Attempt: 2},
		{V: 1, Time: at(2), Type: TypeOutcome, Session: "s1", Ref: "group:a", Stage: "1", Decision: "Approve", Outcome: "approved", Attempts: 2},
		{V: 1, Time: at(3), Type: TypeAttempt, Session: "s1", Ref: "group:b", Stage: "1", Decision: "Deny", Attempt: 1},
		{V: 1, Time: at(4), Type: TypeOutcome, Session: "s2", Ref: "group:c", Stage: "1", Decision: "Deny", Outcome: "cancelled"},
		// The same approval decided again later in the same session is a new decision.
		{V: 1, Time: at(5), Type: TypeAttempt, Session: "s1", Ref: "group:a", Stage: "1", Decision: "Approve", Attempt: 1},
		{V: 1, Time: at(6), Type: TypeOutcome, Session: "s1", Ref: "group:a", Stage: "1", Decision: "Approve", Outcome: "gone", Attempts: 1, Error: "404"},
	}
	es := Entries(recs)
	if len(es) != 4 {
		t.Fatalf("%d entries: %+v", len(es), es)
	}
	check := func(i int, ref, outcome string, attempts int, unresolved bool) {
		t.Helper()
		e := es[i]
		if e.Ref != ref || e.Outcome != outcome || e.Attempts != attempts || e.Unresolved() != unresolved {
			t.Errorf("entry %d = %+v", i, e)
		}
	}
	check(0, "group:a", "approved", 2, false)
	check(1, "group:b", "", 1, true)
	check(2, "group:c", "cancelled", 0, false)
	check(3, "group:a", "gone", 1, false)
	if !es[0].Started.Equal(at(0)) || !es[0].Finished.Equal(at(2)) {
		t.Errorf("times %v %v", es[0].Started, es[0].Finished)
	}
}

func TestNoTokenInErrorText(t *testing.T) {
	j, path := openTemp(t)
	jwt := "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJzdWIiOiJtZWdhbiJ9.c2lnbmF0dXJl"
	req := request("t")
	j.Outcome(graph.DecisionResult{Request: req, Outcome: graph.OutcomeFailed,
		Err: fmt.Errorf("PATCH failed\nAuthorization: Bearer s3cr3t-token.value and %s", jwt)})
	got := readFile(t, path)
	for _, secret := range []string{"s3cr3t-token", jwt, "eyJzdWIi"} {
		if strings.Contains(got, secret) {
			t.Errorf("journal contains %q: %s", secret, got)
		}
	}
	if !strings.Contains(got, `"error":"PATCH failed Authorization: [redacted] and [redacted]"`) {
		t.Errorf("error text: %s", got)
	}
}

func BenchmarkAttemptOutcome(b *testing.B) {
	path := filepath.Join(b.TempDir(), "state", "journal.jsonl")
	j, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	req := request("bench")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := j.Attempt(req, 1); err != nil {
				b.Error(err)
				return
			}
			j.Outcome(graph.DecisionResult{Request: req, Outcome: graph.OutcomeApproved, Attempts: 1})
		}
	})
}

// FuzzParse: any file content reads back as records, torn lines or a
// CorruptError, never a panic; a torn line is never also a record.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"v":1,"time":"2026-03-01T09:30:00Z","type":"attempt","session":"s","ref":"group:g","stage":"1","decision":"Deny","attempt":1}` + "\n{\"v\":1,\"ty"))
	f.Add([]byte("\x00\x00\x00\n{}\n[1]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		log, err := parse("j", data)
		var ce *CorruptError
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("unexpected error type %T: %v", err, err)
		}
		for _, r := range log.Records {
			if r.V < 1 || r.V > Version || r.Ref == "" {
				t.Fatalf("bad record accepted: %+v", r)
			}
		}
		Entries(log.Records)
	})
}

func TestServeSessionFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "journal.jsonl")
	j, err := Open(path, Options{User: "megan@contoso.com", Key: "SHA256:abc", Remote: "192.0.2.7:50022", Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	req := request("r7")
	if err := j.Attempt(req, 1); err != nil {
		t.Fatal(err)
	}
	j.Outcome(graph.DecisionResult{Request: req, Outcome: graph.OutcomeApproved, Attempts: 1})
	log, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range log.Records {
		if r.User != "megan@contoso.com" || r.Key != "SHA256:abc" || r.Remote != "192.0.2.7:50022" {
			t.Errorf("record %+v", r)
		}
	}
	es := Entries(log.Records)
	if len(es) != 1 || es[0].Key != "SHA256:abc" || es[0].Remote != "192.0.2.7:50022" || es[0].User != "megan@contoso.com" {
		t.Errorf("entries %+v", es)
	}
}
