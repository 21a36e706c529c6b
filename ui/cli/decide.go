package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"approvals/graph"
	"approvals/ui/sanitize"
)

// outcomeNotWaiting: the approval exists but no stage waits for my
// decision (not my turn, or not mine at all). Nothing was sent.
const outcomeNotWaiting = "not-waiting"

// item is one ID given on the command line and what became of it.
type item struct {
	input    string
	ref      graph.Ref
	approval *graph.Approval
	result   graph.DecisionResult
	outcome  string // graph.Outcome or outcomeNotWaiting
	detail   error  // why it was not sent, when it was not
	earlier  bool   // applied by me before this run (nothing sent now)
	stage    int    // 0-based index of the stage decided (or found decided); -1 when none
}

func (a *app) decideCmd(d graph.Decision) *cobra.Command {
	verb := strings.ToLower(string(d))
	var justification string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   verb + " ID... --justification TEXT",
		Short: map[graph.Decision]string{graph.Approve: "Approve approvals waiting for you", graph.Deny: "Deny approvals waiting for you"}[d],
		Long: fmt.Sprintf(`%s each approval's stage that is waiting for your decision, with one
justification for all. Each ID gets one line (or JSON record) saying what
happened: approved, denied, already decided by someone else, gone, failed,
or unknown (check before retrying). Every attempt and outcome is written to
the decision journal first (see approvals history).

%s
%s A justification has at most %d characters.

Exit code 0 when every decision was applied, 3 when some were not, 2 when
the command line is wrong (nothing is sent then).`, strings.ToUpper(verb[:1])+verb[1:], idHelp(), justificationHelp, graph.MaxJustification),
		Example: decideExample(d),
		Args: func(_ *cobra.Command, ids []string) error {
			if len(ids) == 0 {
				return usagef("%s needs at least one approval ID", verb)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, ids []string) error {
			items, err := parseItems(ids)
			if err != nil {
				return err
			}
			text, err := a.justification(justification)
			if err != nil {
				return err
			}
			if n := graph.JustificationLength(text); n > graph.MaxJustification {
				return usagef("the justification is %d characters; at most %d are sent", n, graph.MaxJustification)
			}
			if text, err = checkJustification(text); err != nil {
				return err
			}
			s, err := a.session(cmd, true)
			if err != nil {
				return err
			}
			defer s.Journal.Close()
			if text == "" && (d == graph.Deny || s.Config.RequireApproveJustification) {
				return usagef("%s needs --justification TEXT", verb)
			}
			ctx := ctxOf(cmd)
			me, err := s.Client.Me(ctx)
			if err != nil {
				return fmt.Errorf("finding who is signed in: %w", err)
			}
			if s.Auth.Account() == "" {
				s.Journal.SetUser(firstNonEmpty(me.DisplayName, me.ID))
			}
			a.lookUp(ctx, s.Client, items)
			items = distinct(items)
			a.decide(ctx, s.Client, items, d, text, me)
			if err := s.Journal.Err(); err != nil {
				s.Warn("the journal could not record every outcome: " + err.Error())
			}
			if asJSON {
				if err := writeJSON(a.Stdout, decideJSON(d, items)); err != nil {
					return err
				}
			} else {
				a.decideText(a.Stdout, items, me)
			}
			notApplied := 0
			for _, it := range items {
				if !graph.Outcome(it.outcome).Applied() {
					notApplied++
				}
			}
			if notApplied > 0 {
				return &PartialError{NotApplied: notApplied, Total: len(items)}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&justification, "justification", "j", "", "why you decide so; - reads it from standard input")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (see README: JSON output)")
	return cmd
}

// justificationHelp says how the justification is given and what is
// refused in it.
const justificationHelp = `--justification - reads the justification from standard input; it may
have several lines. Control characters, escape sequences, bidi controls and
invisible characters (zero-width spaces, tag characters, ...) are refused:
exit 2, nothing is sent. Tabs count as spaces.`

// checkJustification refuses what the inbox's form would not let one
// type: everything sanitize.InputText removes or replaces. Line breaks
// ("\r\n" read as "\n") and tabs (as spaces) are fine.
func checkJustification(text string) (string, error) {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\t", " ")
	clean := sanitize.InputText(text)
	if clean == text {
		return text, nil
	}
	pos, bad := 1, rune(0)
	for i, r := range text {
		if !strings.HasPrefix(clean, text[:i+utf8.RuneLen(r)]) {
			bad = r
			break
		}
		pos++
	}
	if bad == utf8.RuneError {
		return "", usagef("the justification is not valid UTF-8 (character %d); nothing was sent", pos)
	}
	return "", usagef("the justification contains %U at character %d (a control character, escape sequence, bidi control or invisible character); nothing was sent", bad, pos)
}

// decideExample is the help's examples: one ID, and (approve only) a
// pipeline that picks requests by resource; no example decides everything.
func decideExample(d graph.Decision) string {
	id := "accessPackage:5e2b1f4c-7d0a-4a33-9c1e-0f6f2b1d9a10"
	if d == graph.Deny {
		return "  approvals deny " + id + " -j \"Use the break-glass process\"\n" +
			"  printf 'Not in this quarter\\'s budget\\n' | approvals deny " + id + " -j -"
	}
	return "  approvals approve " + id + " -j \"Ticket INC-1042 checked\"\n" +
		"  approvals list --json | jq -r '.approvals[] | select(.resource.display_name == \"SG-Prod-Admins\") | .id' |\n" +
		"    xargs -r approvals approve -j \"On-call rota\""
}

// parseItems reads every ID before anything is sent, dropping repeats.
func parseItems(ids []string) ([]*item, error) {
	var items []*item
	seen := map[string]bool{}
	for _, id := range ids {
		ref, err := parseID(id)
		if err != nil {
			return nil, err
		}
		if seen[ref.String()] {
			continue
		}
		seen[ref.String()] = true
		items = append(items, &item{input: id, ref: ref, stage: -1})
	}
	return items, nil
}

// distinct drops IDs that turned out to name an approval given earlier
// (a bare id and its "<source>:<id>" form), so it is decided once.
func distinct(items []*item) []*item {
	seen := map[graph.Ref]bool{}
	out := items[:0]
	for _, it := range items {
		if it.approval != nil {
			if seen[it.approval.Ref] {
				continue
			}
			seen[it.approval.Ref] = true
		}
		out = append(out, it)
	}
	return out
}

func (a *app) justification(flag string) (string, error) {
	if flag != "-" {
		return strings.TrimSpace(flag), nil
	}
	b, err := io.ReadAll(io.LimitReader(a.Stdin, 64*1024))
	if err != nil {
		return "", fmt.Errorf("reading the justification: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// lookUp reads each approval afresh, to find the stage waiting for me:
// only the IDs given, batched (20 GETs per $batch), so approving 100 IDs
// costs the same whether 200 or 20,000 requests wait.
func (a *app) lookUp(ctx context.Context, c *graph.Client, items []*item) {
	refs := make([]graph.Ref, len(items))
	for i, it := range items {
		refs[i] = it.ref
	}
	got, errs := c.GetMany(ctx, refs)
	for i, it := range items {
		if err := errs[i]; err != nil {
			it.detail = err
			it.outcome = string(graph.OutcomeFailed)
			if errors.Is(err, graph.ErrNotFound) {
				it.outcome = string(graph.OutcomeGone)
			}
			continue
		}
		ap := got[i]
		it.approval = &ap
	}
}

// decide sends the decision for every item whose approval has a stage
// waiting for me, all at once (the client limits concurrency).
func (a *app) decide(ctx context.Context, c *graph.Client, items []*item, d graph.Decision, text string, me graph.Identity) {
	var reqs []graph.DecisionRequest
	var sent []*item
	for _, it := range items {
		if it.approval == nil {
			continue
		}
		it.ref = it.approval.Ref
		st, i, ok := it.approval.MyStage()
		if !ok {
			notWaiting(it, d, me)
			continue
		}
		it.stage = i
		reqs = append(reqs, graph.DecisionRequest{Ref: it.ref, StageID: st.ID, Decision: d, Justification: text})
		sent = append(sent, it)
	}
	// A decision waiting out a 429's Retry-After would otherwise look hung:
	// say so on stderr (stdout stays the report scripts read).
	var mu sync.Mutex
	ctx = graph.WithRetryNotes(ctx, func(n graph.RetryNote) {
		mu.Lock()
		defer mu.Unlock()
		io.WriteString(a.Stderr, "approvals: a decision is waiting: "+sanitize.Line(n.String())+"\n")
	})
	for i, res := range c.DecideMany(ctx, reqs, nil) {
		sent[i].result = res
		sent[i].outcome = string(res.Outcome)
	}
}

// notWaiting explains an approval with no stage for me: decided already
// (by whom), or not my turn. A stage I already decided the same way (an
// earlier run, or one whose outcome was unknown) counts as applied, so a
// script may simply run the same command again.
func notWaiting(it *item, d graph.Decision, me graph.Identity) {
	if len(it.approval.Stages) == 0 && it.approval.Problem != "" {
		// Its stages could not be read (a passing error, a missing
		// catalog role): that is not "not my turn", and a retry may work.
		it.outcome = string(graph.OutcomeFailed)
		it.detail = errors.New("nothing was sent: " + it.approval.Problem)
		return
	}
	it.outcome = outcomeNotWaiting
	for i, st := range it.approval.Stages {
		if st.AssignedToMe && st.Decided() {
			it.stage = i
			it.outcome = string(graph.OutcomeAlreadyDecided)
			it.result.DecidedBy, it.result.DecidedAs = st.ReviewedBy, st.Result
			it.result.Request.StageID = st.ID
			if mine := st.ReviewedBy.ID != "" && st.ReviewedBy.ID == me.ID; mine && st.Result == readBack(d) {
				it.outcome, it.earlier = string(applied(d)), true
			}
			return
		}
	}
	it.detail = errors.New("no stage is waiting for your decision")
}

// readBack is how Graph reads a decision back on the stage.
func readBack(d graph.Decision) graph.ReviewResult {
	if d == graph.Deny {
		return graph.Denied
	}
	return graph.Approved
}

// applied is the outcome of a decision that is in place.
func applied(d graph.Decision) graph.Outcome {
	if d == graph.Deny {
		return graph.OutcomeDenied
	}
	return graph.OutcomeApproved
}
