package journal

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"approvals/graph"
	"approvals/graph/privdir"
)

// Options tune a Journal.
type Options struct {
	User string // recorded on every line; may be set later with SetUser
	// Key and Remote are recorded on every line: the SSH key fingerprint
	// and remote address of an approvals serve session ("" otherwise).
	Key, Remote string
	Now         func() time.Time // default time.Now
}

// Journal appends records to the journal file. It is safe for concurrent
// use; concurrent writers share fsyncs (group commit) so a bulk decision
// does not pay one disk flush per item in series.
type Journal struct {
	path    string
	session string
	now     func() time.Time

	mu      sync.Mutex // guards f writes, user, written, err
	f       *os.File
	user    string
	key     string
	remote  string
	written uint64 // records written
	err     error  // first failure to record an outcome

	syncMu sync.Mutex // serializes fsync; guards synced
	synced uint64     // records known to be on disk
}

var _ graph.Journal = (*Journal)(nil)

// Open opens (creating it 0600, and its folder 0700) the journal at path
// for appending. A folder open to other users is refused. A last line torn
// by a crash is terminated so the next record starts on its own line.
func Open(path string, opts Options) (*Journal, error) {
	if err := privdir.Ensure(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("decision journal: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("decision journal: %w", err)
	}
	if err := tighten(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("decision journal: %w", err)
	}
	if err := terminateTornTail(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("decision journal: %w", err)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Journal{path: path, session: newSession(), now: now, f: f, user: opts.User, key: opts.Key, remote: opts.Remote}, nil
}

// tighten makes an existing journal private if someone loosened it.
func tighten(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return f.Chmod(0o600)
	}
	return nil
}

func terminateTornTail(f *os.File) error {
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, fi.Size()-1); err != nil && err != io.EOF {
		return err
	}
	if last[0] == '\n' {
		return nil
	}
	_, err = f.Write([]byte("\n"))
	return err
}

func newSession() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Path is the journal file.
func (j *Journal) Path() string { return j.path }

// SetUser records who is signed in on the following lines.
func (j *Journal) SetUser(user string) {
	j.mu.Lock()
	j.user = user
	j.mu.Unlock()
}

// Attempt records that a PATCH is about to be sent, and returns only once
// the line is on disk. An error means the decision must not be sent.
func (j *Journal) Attempt(req graph.DecisionRequest, attempt int) error {
	rec := j.base(TypeAttempt, req)
	rec.Attempt = attempt
	return j.append(rec)
}

// Outcome records the final result of a decision. Failures are kept for
// Err: the decision itself has already happened.
func (j *Journal) Outcome(res graph.DecisionResult) {
	rec := j.base(TypeOutcome, res.Request)
	rec.Outcome = string(res.Outcome)
	rec.Attempts = res.Attempts
	rec.DecidedBy = res.DecidedBy.DisplayName
	rec.DecidedByID = res.DecidedBy.ID
	rec.DecidedAs = string(res.DecidedAs)
	rec.RequestID = res.RequestID
	rec.Error = errorText(res.Err)
	if err := j.append(rec); err != nil {
		j.mu.Lock()
		if j.err == nil {
			j.err = err
		}
		j.mu.Unlock()
	}
}

// Err is the first failure to record an outcome, if any.
func (j *Journal) Err() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}

// Close flushes and closes the file.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Sync()
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	j.f = nil
	return err
}

func (j *Journal) base(typ string, req graph.DecisionRequest) Record {
	return Record{
		V: Version, Time: j.now().UTC(), Type: typ, Session: j.session,
		Ref: req.Ref.String(), Stage: req.StageID, Decision: string(req.Decision),
		Justification: req.Justification,
	}
}

// append writes one line with a single write call (O_APPEND keeps lines
// whole even with another process appending), then waits until an fsync
// has covered it.
func (j *Journal) append(rec Record) error {
	j.mu.Lock()
	rec.User, rec.Key, rec.Remote = j.user, j.key, j.remote
	line, err := json.Marshal(rec)
	if err != nil {
		j.mu.Unlock()
		return err
	}
	line = EscapeJSON(line)
	if j.f == nil {
		j.mu.Unlock()
		return fmt.Errorf("decision journal %s is closed", j.path)
	}
	f := j.f
	if _, err := f.Write(append(line, '\n')); err != nil {
		j.mu.Unlock()
		return fmt.Errorf("decision journal: %w", err)
	}
	j.written++
	mine := j.written
	j.mu.Unlock()

	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	if j.synced >= mine {
		return nil // another writer's fsync already covered this line
	}
	j.mu.Lock()
	upTo := j.written
	j.mu.Unlock()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("decision journal: %w", err)
	}
	j.synced = upTo
	return nil
}
