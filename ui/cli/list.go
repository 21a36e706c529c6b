package cli

import (
	"io"
	"sort"
	"strconv"

	"github.com/spf13/cobra"

	"approvals/graph"
	"approvals/ui/sanitize"
	"approvals/ui/words"
)

func (a *app) listCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the approvals waiting for your decision",
		Long: `List every approval waiting for your decision, most urgent first:
entitlement management access packages and PIM for Groups requests.

The ID column is what show, approve and deny take.`,
		Example: "  approvals list\n  approvals list --json | jq -r '.approvals[].id'",
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.session(cmd, false)
			if err != nil {
				return err
			}
			snap, err := s.Client.Refresh(ctxOf(cmd))
			if err != nil {
				return err
			}
			approvals := waitingForMe(snap.Approvals)
			if asJSON {
				return writeListJSON(a.Stdout, approvals, snap)
			}
			a.listText(a.Stdout, approvals, snap)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (see README: JSON output)")
	return cmd
}

// waitingForMe keeps approvals with a stage waiting for me (or whose
// stages could not be read, so the user still sees them), most urgent
// first: known deadlines soonest first, then oldest first.
func waitingForMe(all []graph.Approval) []graph.Approval {
	var out []graph.Approval
	for _, ap := range all {
		if _, _, ok := ap.MyStage(); ok || len(ap.Stages) == 0 {
			out = append(out, ap)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := out[i].Deadline, out[j].Deadline
		switch {
		case !di.IsZero() && !dj.IsZero() && !di.Equal(dj):
			return di.Before(dj)
		case di.IsZero() != dj.IsZero():
			return !di.IsZero()
		case !out[i].Created.Equal(out[j].Created):
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].Ref.String() < out[j].Ref.String()
	})
	return out
}

func (a *app) listText(w io.Writer, approvals []graph.Approval, snap *graph.Snapshot) {
	now := a.Now()
	if len(approvals) == 0 {
		io.WriteString(w, "Nothing is waiting for your decision.\n")
	} else {
		// Fitting a terminal (see README): FOR and RESOURCE shrink to 20
		// columns; AGE goes; KIND goes; FOR and RESOURCE shrink to 10;
		// STAGE goes; FOR and RESOURCE shrink to 6. DUE and ID stay whole.
		// Piped: full width.
		t := &table{
			headers: []string{"DUE", "AGE", "KIND", "FOR", "RESOURCE", "STAGE", "ID"},
			max:     []int{8, 5, 7, 48, 40, 8, 0},
			width:   a.termWidth(),
			shrink:  []int{3, 4},
			steps:   []fitStep{shrinkTo(20), dropColumn(1), dropColumn(2), shrinkTo(10), dropColumn(5), shrinkTo(6)},
		}
		for _, ap := range approvals {
			t.add(words.TimeLeft(now, ap.Deadline, ap.DeadlineEstimated), words.Age(now, ap.Created), words.Kind(ap.Kind),
				words.Who(ap), words.Resource(ap), words.StageOf(ap), ap.Ref.String())
		}
		t.write(w)
	}
	a.snapshotNotes(snap)
}

// snapshotNotes reports on stderr what the list is missing.
func (a *app) snapshotNotes(snap *graph.Snapshot) {
	for _, e := range snap.Errors {
		io.WriteString(a.Stderr, "approvals: "+sanitize.Line(string(e.Source)+" approvals could not be listed: "+errorText(e))+"\n")
	}
	for _, w := range snap.Warnings {
		io.WriteString(a.Stderr, "approvals: warning: "+sanitize.Line(w)+"\n")
	}
}

// writeListJSON prints the list as listDoc, one approval at a time: at
// tens of thousands of approvals the document is the largest thing the
// command makes, so it is never held whole (nor its escaped copy). The
// bytes are those of writeJSON(listDoc{...}); the object's keys are
// written here in listDoc's order.
func writeListJSON(w io.Writer, approvals []graph.Approval, snap *graph.Snapshot) error {
	const item = jsonIndent + jsonIndent // an approval's lines start inside "approvals": [ ... ]
	s := newJSONStream(w)
	s.raw("{\n" + jsonIndent + `"version": ` + strconv.Itoa(JSONVersion) + ",\n" + jsonIndent + `"approvals": `)
	if len(approvals) == 0 {
		s.raw("[]")
	} else {
		s.raw("[\n" + item)
		for i, ap := range approvals {
			if i > 0 {
				s.raw(",\n" + item)
			}
			s.value(item, approvalOf(ap))
		}
		s.raw("\n" + jsonIndent + "]")
	}
	errs := []sourceError{}
	for _, e := range snap.Errors {
		errs = append(errs, sourceError{Source: string(e.Source), Error: errorOf(e)})
	}
	s.raw(",\n" + jsonIndent + `"errors": `)
	s.value(jsonIndent, errs)
	s.raw(",\n" + jsonIndent + `"warnings": `)
	s.value(jsonIndent, append([]string{}, snap.Warnings...))
	s.raw("\n}\n")
	return s.close()
}
