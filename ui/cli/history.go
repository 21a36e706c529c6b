package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"approvals/graph"
	"approvals/graph/journal"
	"approvals/ui/sanitize"
)

// unresolvedLabel is how an attempt without an outcome reads.
const unresolvedLabel = "unknown — check before retrying"

func (a *app) historyCmd() *cobra.Command {
	var asJSON bool
	var limit int
	var user string
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Show the local decision journal",
		Long: `Show the decisions made from this machine, oldest first: when, what, with
which justification, and what happened. A decision whose attempt was
recorded but whose outcome was not (the program was killed or crashed
while sending it) shows as "` + unresolvedLabel + `":
look at the approval (approvals show ID) before deciding it again.`,
		Example: "  approvals history\n  approvals history --limit 20 --json\n  approvals history --user megan@contoso.com",
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 0 {
				return usagef("--limit must not be negative")
			}
			cfg, err := a.loadConfig(cmd)
			if err != nil {
				return err
			}
			path := cfg.Dirs.JournalFile()
			log, readErr := journal.Read(path)
			if readErr != nil && !errors.Is(readErr, fs.ErrNotExist) && log.Records == nil {
				return readErr
			}
			entries := journal.Entries(log.Records)
			if user != "" {
				entries = slices.DeleteFunc(entries, func(e journal.Entry) bool { return !strings.EqualFold(e.User, user) })
			}
			if limit > 0 && len(entries) > limit {
				entries = entries[len(entries)-limit:]
			}
			for _, n := range log.Torn {
				fmt.Fprintf(a.Stderr, "approvals: warning: %s line %d was cut short (crash or power loss while writing); the decision before it may show as unknown\n", path, n)
			}
			if asJSON {
				err = writeJSON(a.Stdout, historyJSON(path, entries, log.Torn))
			} else {
				if len(entries) == 0 && user != "" {
					fmt.Fprintf(a.Stdout, "No decisions recorded for %s.\n", sanitize.Line(user))
				} else {
					a.historyText(a.Stdout, path, entries, errors.Is(readErr, fs.ErrNotExist))
				}
			}
			if err != nil {
				return err
			}
			if readErr != nil && !errors.Is(readErr, fs.ErrNotExist) {
				return readErr
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (see README: JSON output)")
	cmd.Flags().StringVar(&user, "user", "", "show only the decisions made as this user (e.g. megan@contoso.com; approvals serve records each session's user)")
	cmd.Flags().IntVarP(&limit, "limit", "n", 0, "show only the last N decisions (0: all)")
	return cmd
}

func entryOutcome(e journal.Entry) string {
	switch {
	case e.Unresolved(), e.Outcome == string(graph.OutcomeUnknown):
		return unresolvedLabel
	}
	return outcomeLabel(e.Outcome)
}

func entryNote(e journal.Entry) string {
	switch {
	case e.Outcome == string(graph.OutcomeAlreadyDecided):
		note := "by " + firstNonEmpty(e.DecidedBy, "another approver")
		if e.DecidedAs != "" {
			note += ": " + e.DecidedAs
		}
		return note
	case e.Error != "" && !graph.Outcome(e.Outcome).Applied():
		return e.Error
	}
	return `"` + oneLine(e.Justification) + `"`
}

func (a *app) historyText(w io.Writer, path string, entries []journal.Entry, missing bool) {
	if len(entries) == 0 {
		what := "No decisions recorded yet"
		if missing {
			what += " (no journal at " + sanitize.Line(path) + ")"
		}
		fmt.Fprintln(w, what+".")
		return
	}
	t := &table{headers: []string{"TIME", "DECISION", "OUTCOME", "ID", "NOTE"}, max: []int{0, 8, 31, 0, 60}}
	for _, e := range entries {
		t.add(clock(e.Started, a.Loc), strings.ToLower(e.Decision), entryOutcome(e), e.Ref, entryNote(e))
	}
	t.write(w)
}

type historyDoc struct {
	Version   int         `json:"version"`
	Journal   string      `json:"journal"`    // the file read
	Entries   []entryJSON `json:"entries"`    // oldest first
	TornLines []int       `json:"torn_lines"` // lines cut short by a crash
}

type entryJSON struct {
	ID            string     `json:"id"`
	StageID       string     `json:"stage_id"`
	Decision      string     `json:"decision"` // approve or deny
	Justification string     `json:"justification"`
	User          string     `json:"user,omitempty"`
	Key           string     `json:"key,omitempty"`    // approvals serve: the SSH key's fingerprint
	Remote        string     `json:"remote,omitempty"` // approvals serve: the client's address
	Session       string     `json:"session"`
	Started       *time.Time `json:"started,omitempty"`
	Finished      *time.Time `json:"finished,omitempty"`
	Attempts      int        `json:"attempts"`
	Outcome       string     `json:"outcome"`    // as in approve --json; "unresolved" for an attempt without outcome
	Unresolved    bool       `json:"unresolved"` // attempt without outcome: check before retrying
	DecidedBy     string     `json:"decided_by,omitempty"`
	DecidedAs     string     `json:"decided_as,omitempty"`
	RequestID     string     `json:"request_id,omitempty"`
	Error         string     `json:"error,omitempty"`
}

func historyJSON(path string, entries []journal.Entry, torn []int) historyDoc {
	doc := historyDoc{Version: JSONVersion, Journal: path, Entries: []entryJSON{}, TornLines: []int{}}
	doc.TornLines = append(doc.TornLines, torn...)
	for _, e := range entries {
		out := entryJSON{
			ID: e.Ref, StageID: e.Stage, Decision: strings.ToLower(e.Decision), Justification: e.Justification,
			User: e.User, Key: e.Key, Remote: e.Remote, Session: e.Session, Started: timePtr(e.Started), Finished: timePtr(e.Finished),
			Attempts: e.Attempts, Outcome: e.Outcome, Unresolved: e.Unresolved(),
			DecidedBy: e.DecidedBy, DecidedAs: e.DecidedAs, RequestID: e.RequestID, Error: e.Error,
		}
		if out.Unresolved {
			out.Outcome = "unresolved"
		}
		doc.Entries = append(doc.Entries, out)
	}
	return doc
}
