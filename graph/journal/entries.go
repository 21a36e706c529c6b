package journal

import "time"

// Entry is one decision as the journal tells it: its attempts paired with
// its outcome.
type Entry struct {
	Session       string
	User          string
	Key           string // SSH key fingerprint (approvals serve)
	Remote        string // client address (approvals serve)
	Ref           string
	Stage         string
	Decision      string
	Justification string
	Started       time.Time // first attempt, or the outcome when nothing was sent
	Finished      time.Time // zero when no outcome was recorded
	Attempts      int       // PATCHes started
	Outcome       string    // "" when no outcome was recorded
	DecidedBy     string
	DecidedAs     string
	RequestID     string
	Error         string
}

// Unresolved reports an attempt without an outcome: the process stopped
// (crash, kill, power loss) after starting the PATCH, so the decision may
// or may not have been applied. Check the approval before retrying.
func (e Entry) Unresolved() bool { return e.Outcome == "" }

// Entries pairs attempt and outcome records into decisions, in the order
// they started. Records pair within one session, for the same approval,
// stage and decision.
func Entries(records []Record) []Entry {
	var out []Entry
	open := map[string]int{} // key → index in out of the decision awaiting its outcome
	for _, r := range records {
		key := r.Session + "\x00" + r.Ref + "\x00" + r.Stage + "\x00" + r.Decision
		i, ok := open[key]
		if !ok {
			out = append(out, Entry{
				Session: r.Session, User: r.User, Key: r.Key, Remote: r.Remote, Ref: r.Ref, Stage: r.Stage, Decision: r.Decision,
				Justification: r.Justification, Started: r.Time,
			})
			i = len(out) - 1
		}
		e := &out[i]
		switch r.Type {
		case TypeAttempt:
			e.Attempts = max(e.Attempts, r.Attempt)
			open[key] = i
		case TypeOutcome:
			e.Finished = r.Time
			e.Outcome = r.Outcome
			e.Attempts = max(e.Attempts, r.Attempts)
			e.DecidedBy, e.DecidedAs = r.DecidedBy, r.DecidedAs
			e.RequestID, e.Error = r.RequestID, r.Error
			if r.User != "" {
				e.User = r.User
			}
			delete(open, key)
		}
	}
	return out
}
