package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"approvals/graph"
	"approvals/ui/sanitize"
)

func (a *app) showCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one approval with its stages",
		Long: `Show one approval: who asks for what and why, the requested schedule, the
answers to the access package's questions, and every stage with who decided
it, when, and their justification.

ID is accessPackage:<id>, group:<id>, or a bare id (looked up in both).`,
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

// parseID reads accessPackage:<id>, group:<id> or a bare id.
func parseID(s string) (graph.Ref, error) {
	s = strings.TrimSpace(s)
	ref := graph.ParseRef(s)
	if ref.Source == "" && strings.Contains(s, ":") {
		src, _, _ := strings.Cut(s, ":")
		return graph.Ref{}, usagef("%q: unknown kind %q (want accessPackage:<id>, group:<id>, role:<id>, azure:<id> or a bare id)", s, src)
	}
	if ref.ID == "" || strings.ContainsAny(ref.ID, "/?#% \t") {
		return graph.Ref{}, usagef("%q is not an approval id", s)
	}
	return ref, nil
}

// fields prints "label  value" lines with aligned values; multi-line
// values continue under the value column.
type fields struct {
	w     io.Writer
	width int
}

func (f fields) line(label, value string) {
	lines := splitLines(sanitize.Text(value))
	pad := strings.Repeat(" ", f.width-len(label))
	fmt.Fprintf(f.w, "  %s%s%s\n", label, pad, lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintf(f.w, "  %s%s\n", strings.Repeat(" ", f.width), l)
	}
}

func (a *app) showText(w io.Writer, ap graph.Approval) {
	now := a.Now()
	f := fields{w: w, width: 15}
	fmt.Fprintln(w, sanitize.Line(ap.Ref.String()))
	f.line("Kind", kindName(ap.Kind))
	f.line("Requestor", contact(ap.Requestor))
	if differentPerson(ap.Target, ap.Requestor) {
		f.line("For", contact(ap.Target))
	}
	res := resourceName(ap)
	if ap.Resource.CatalogName != "" {
		res += " (catalog " + ap.Resource.CatalogName + ")"
	}
	f.line("Resource", res)
	if ap.Kind == graph.KindAzureRole {
		f.line("Role", firstNonEmpty(ap.Resource.DisplayName, ap.Resource.ID, "-"))
		f.line("Scope", firstNonEmpty(ap.Resource.ScopeName, ap.Resource.ScopeID, "-"))
		if ap.Resource.ScopeID != "" && ap.Resource.ScopeID != ap.Resource.ScopeName {
			f.line("", ap.Resource.ScopeID)
		}
		f.line("Principal", contact(ap.Target))
	}
	if ap.Resource.Description != "" {
		f.line("", ap.Resource.Description)
	}
	req := firstNonEmpty(ap.RequestType, "-")
	if ap.RequestState != "" {
		req += " (" + ap.RequestState + ")"
	}
	f.line("Request", req)
	if ap.TicketNumber != "" {
		f.line("Ticket", ap.TicketNumber)
	}
	f.line("Created", clock(ap.Created, a.Loc)+" ("+ago(now, ap.Created)+" ago)")
	if !ap.Deadline.IsZero() {
		note := ""
		if ap.DeadlineEstimated {
			note = ", estimated"
		}
		f.line("Deadline", clock(ap.Deadline, a.Loc)+" ("+strings.TrimPrefix(due(now, ap), "~")+note+")")
	}
	if s := a.schedule(ap.Schedule); s != "" {
		f.line("Schedule", s)
	}
	f.line("Justification", firstNonEmpty(strings.TrimSpace(ap.Justification), "(none given)"))
	for i, an := range ap.Answers {
		label := ""
		if i == 0 {
			label = "Answers"
		}
		f.line(label, firstNonEmpty(oneLine(an.Question), "(question)")+": "+an.Value)
	}
	if ap.Problem != "" {
		f.line("Problem", ap.Problem)
	}
	if ap.PortalOnly != "" {
		f.line("Decide in", ap.PortalOnly)
	}
	fmt.Fprintln(w, "  Stages")
	if len(ap.Stages) == 0 {
		fmt.Fprintln(w, "    (none known)")
	}
	for i, st := range ap.Stages {
		a.stageText(w, i, len(ap.Stages), st)
	}
}

// differentPerson reports whether the target is someone other than the
// requestor (an admin asking on someone's behalf).
func differentPerson(target, requestor graph.Subject) bool {
	if target.ID != "" && requestor.ID != "" {
		return target.ID != requestor.ID
	}
	return person(target) != "" && contact(target) != contact(requestor)
}

func contact(s graph.Subject) string {
	name := person(s)
	if mail := firstNonEmpty(s.Email, s.PrincipalName); mail != "" && mail != name {
		return name + " <" + mail + ">"
	}
	return firstNonEmpty(name, "-")
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
		parts = append(parts, "for "+s.Duration)
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
	name := firstNonEmpty(sanitize.Line(st.DisplayName), "Stage")
	head := fmt.Sprintf("    %s%d/%d %s", marker, i+1, n, sanitize.Truncate(name, 40))
	status := sanitize.Line(string(st.Status))
	var detail string
	switch {
	case st.Mine():
		detail = "waiting for your decision"
	case st.Decided():
		detail = sanitize.Line(string(st.Result))
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
