package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"approvals/graph"
	"approvals/ui/sanitize"
	"approvals/ui/words"
)

func (a *app) showCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one approval with its stages",
		Long: `Show one approval: who asks for what and why, the requested schedule, the
answers to the access package's questions, and every stage with who decided
it, when, and their justification.

` + idHelp(),
		Example: "  approvals show accessPackage:5e2b1f4c-7d0a-4a33-9c1e-0f6f2b1d9a10\n  approvals show 5e2b1f4c-7d0a-4a33-9c1e-0f6f2b1d9a10 --json",
		Args: func(_ *cobra.Command, ids []string) error {
			if len(ids) != 1 {
				return usagef("show needs exactly one approval ID, got %d", len(ids))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, ids []string) error {
			ref, err := parseID(ids[0])
			if err != nil {
				return err
			}
			s, err := a.session(cmd, false)
			if err != nil {
				return err
			}
			ap, err := s.Client.Get(ctxOf(cmd), ref)
			if err != nil {
				return fmt.Errorf("%s: %w", ids[0], err)
			}
			if asJSON {
				return writeJSON(a.Stdout, showDoc{Version: JSONVersion, Approval: approvalOf(ap)})
			}
			a.showText(a.Stdout, ap)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (see README: JSON output)")
	return cmd
}

// parseID reads <source>:<GUID> or a bare GUID. Anything else is a usage
// error (exit 2) before anything is read or sent. The sources are the ones
// graph knows (graph.AllSources).
func parseID(s string) (graph.Ref, error) {
	s = strings.TrimSpace(s)
	ref := graph.ParseRef(s)
	if ref.Source == "" && strings.Contains(s, ":") {
		src, _, _ := strings.Cut(s, ":")
		return graph.Ref{}, usagef("%q: unknown source %q (want %s or a bare GUID)", s, src, idForms())
	}
	if !isGUID(ref.ID) {
		return graph.Ref{}, usagef("%q is not an approval ID (want %s or a bare GUID)", s, idForms())
	}
	return ref, nil
}

// idHelp is the help's paragraph on IDs.
func idHelp() string {
	names := make([]string, len(graph.AllSources))
	for i, src := range graph.AllSources {
		names[i] = string(src)
	}
	return "ID is <source>:<GUID>, <source> one of " + strings.Join(names, ", ") +
		",\nor a bare GUID (looked up in every source). Anything else is a usage error\n(exit 2) and nothing is sent."
}

// idForms is "accessPackage:<GUID>, group:<GUID>, ...", from graph's sources.
func idForms() string {
	forms := make([]string, len(graph.AllSources))
	for i, src := range graph.AllSources {
		forms[i] = string(src) + ":<GUID>"
	}
	return strings.Join(forms, ", ")
}

// isGUID reports the 8-4-4-4-12 hexadecimal form every approval id has.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// fields prints "label  value" lines with aligned values. line is for
// single-line values (line breaks in them become spaces); text keeps the
// line breaks of multi-line values, continued under the value column.
type fields struct {
	w     io.Writer
	width int
}

func (f fields) line(label, value string) { f.print(label, []string{sanitize.Line(value)}) }

func (f fields) text(label, value string) { f.print(label, splitLines(sanitize.Text(value))) }

func (f fields) print(label string, lines []string) {
	pad := strings.Repeat(" ", max(f.width-len(label), 1))
	fmt.Fprintf(f.w, "  %s%s%s\n", label, pad, lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintf(f.w, "  %s%s\n", strings.Repeat(" ", f.width), l)
	}
}

func (a *app) showText(w io.Writer, ap graph.Approval) {
	now := a.Now()
	f := fields{w: w, width: 15}
	fmt.Fprintln(w, sanitize.Line(ap.Ref.String()))
	fmt.Fprintln(w, "  "+words.Title(ap))
	f.line("Kind", words.KindLong(ap.Kind))
	f.line("For", words.Contact(words.Beneficiary(ap)))
	if words.OnBehalf(ap) {
		f.line("Asked by", words.Contact(ap.Requestor))
	}
	res := words.Resource(ap)
	if ap.Resource.CatalogName != "" {
		res += " (catalog " + ap.Resource.CatalogName + ")"
	}
	f.line("Resource", res)
	if ap.Kind == graph.KindAzureRole || ap.Kind == graph.KindRole {
		f.line("Role", firstNonEmpty(ap.Resource.DisplayName, ap.Resource.ID, "-"))
		f.line("Scope", firstNonEmpty(ap.Resource.ScopeName, ap.Resource.ScopeID, "-"))
		if ap.Resource.ScopeID != "" && ap.Resource.ScopeID != ap.Resource.ScopeName {
			f.line("", ap.Resource.ScopeID)
		}
	}
	if ap.Resource.Description != "" {
		f.text("", ap.Resource.Description)
	}
	req := firstNonEmpty(ap.RequestType, "-")
	if ap.RequestState != "" {
		req += " (" + ap.RequestState + ")"
	}
	f.line("Request", req)
	if ap.TicketNumber != "" {
		f.line("Ticket", ap.TicketNumber)
	}
	f.line("Created", clock(ap.Created, a.Loc)+" ("+ago(now, ap.Created)+")")
	if !ap.Deadline.IsZero() {
		note := ""
		if ap.DeadlineEstimated {
			note = ", estimated"
		}
		f.line("Deadline", clock(ap.Deadline, a.Loc)+" ("+due(now, ap)+note+")")
	}
	if s := a.schedule(ap.Schedule); s != "" {
		f.line("Schedule", s)
	}
	f.text("Justification", firstNonEmpty(strings.TrimSpace(ap.Justification), "(none given)"))
	for i, an := range ap.Answers {
		label := ""
		if i == 0 {
			label = "Answers"
		}
		f.text(label, firstNonEmpty(oneLine(sanitize.Line(an.Question)), "(question)")+": "+an.Value)
	}
	if ap.Problem != "" {
		f.line("Problem", ap.Problem)
	}
	if ap.PortalOnly != "" {
		f.line("Not here", ap.PortalOnly) // why it cannot be decided from here, and where it can
	}
	fmt.Fprintln(w, "  Stages")
	if len(ap.Stages) == 0 {
		fmt.Fprintln(w, "    (none known)")
	}
	for i, st := range ap.Stages {
		a.stageText(w, i, len(ap.Stages), st)
	}
}

func (a *app) schedule(s graph.Schedule) string {
	var parts []string
	if !s.Start.IsZero() {
		parts = append(parts, "from "+clock(s.Start, a.Loc))
	}
	switch {
	case !s.End.IsZero():
		parts = append(parts, "until "+clock(s.End, a.Loc))
	case s.Duration != "":
		parts = append(parts, "for "+words.ISODuration(s.Duration))
	case s.ExpirationType == "noExpiration":
		parts = append(parts, "no expiration")
	}
	return strings.Join(parts, ", ")
}

func (a *app) stageText(w io.Writer, i, n int, st graph.Stage) {
	marker := "  "
	if st.Mine() {
		marker = "→ "
	}
	name := firstNonEmpty(strings.TrimSpace(sanitize.Line(st.DisplayName)), "Stage")
	head := fmt.Sprintf("    %s%s %s", marker, words.Stage(i, n), sanitize.Truncate(name, 40))
	status := words.StageStatus(st.Status)
	var detail string
	switch {
	case st.Mine():
		detail = "waiting for your decision"
	case st.Decided():
		detail = words.Result(st.Result)
		if who := firstNonEmpty(st.ReviewedBy.DisplayName, st.ReviewedBy.ID); who != "" {
			detail += " by " + sanitize.Line(who)
		}
		if !st.ReviewedAt.IsZero() {
			detail += ", " + clock(st.ReviewedAt, a.Loc)
		}
	case st.Status == graph.StageInProgress:
		detail = "waiting for other approvers"
	}
	fmt.Fprintf(w, "%s  %s", head, status)
	if detail != "" {
		fmt.Fprintf(w, ": %s", detail)
	}
	fmt.Fprintln(w)
	if j := strings.TrimSpace(st.Justification); j != "" {
		for _, l := range splitLines(sanitize.Text(j)) {
			fmt.Fprintf(w, "          %s\n", l)
		}
	}
}
