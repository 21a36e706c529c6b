package ui

import (
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"approvals/graph"
	"approvals/ui/sanitize"
	"approvals/ui/words"
)

// itemState is where an approval is in the decision flow of this session.
type itemState int

const (
	stateIdle    itemState = iota // nothing pending
	stateQueued                   // decided in the form, waiting out the undo window
	stateSending                  // Decide is in flight
	stateDone                     // result holds the outcome
)

// item is one approval as the inbox shows it: the approval itself, its
// display strings (sanitized once, on arrival), and this session's state.
type item struct {
	// What a filter keystroke reads of an item first, together: the bytes
	// search holds, and the item's place in the inbox's sorted index.
	sig     byteSet
	sortPos int // stale once the item is no longer loaded (see inbox.position)

	a       *graph.Approval // as listed: never written (see set)
	stage   *graph.Stage    // my stage (in a.Stages), when hasMine
	hasMine bool

	// Sanitized one-line texts shown in the row and searched by the filter.
	// person is the beneficiary (who gets the access), not the requestor.
	person, resource, kind, stageText string
	titleText                         string // words.Title: beneficiary (asked by requestor) → resource · role
	search                            string // lower-cased visible text for the filter
	sortPerson, sortResource          string
	onBehalf                          bool // asked for by someone other than the beneficiary
	self                              bool // the beneficiary is the signed-in approver

	isNew, marked bool
	state         itemState
	decision      graph.Decision        // the decision queued or sent
	result        *graph.DecisionResult // when state == stateDone

	version int         // bumps whenever anything drawn for this item changes
	times   *timesCache // made when a filter first needs it
	row     rowCache
	detail  detailCache
}

func newItem(a *graph.Approval, me string) *item {
	it := &item{}
	it.set(a, me)
	return it
}

// set takes the approval a points at and reports whether it changed.
// me is the signed-in approver's object id ("" while unknown).
//
// The item keeps a itself, not a copy: what the inbox is given is never
// written afterwards (graph hands out lists it never writes again, and
// the inbox writes none), and a copy in each of 10,000 items was a second
// copy of the inbox beside the client's. An equal approval is taken as
// well, as it may live in a newer list: the items then never keep an
// older list alive. (Pointers to DeepEqual: boxing two large structs per
// item per poll was most of a reload's garbage.)
func (it *item) set(a *graph.Approval, me string) bool {
	self := isSelf(a, me)
	if it.version > 0 && self == it.self && (it.a == a || reflect.DeepEqual(it.a, a)) {
		it.a, it.stage = a, myStage(a)
		return false
	}
	it.a = a
	it.stage = myStage(a)
	it.hasMine = it.stage != nil
	it.person = words.Person(words.Beneficiary(*a))
	it.onBehalf = words.OnBehalf(*a)
	it.self = self
	it.resource = words.Resource(*a) // a role on its scope: "Owner · prod-subscription / rg-web"
	who := words.Who(*a)
	if it.self {
		who = it.person + " (you)" + strings.TrimPrefix(who, it.person)
	}
	it.titleText = who + words.Arrow + words.Access(*a)
	it.kind = kindLabel(a.Kind)
	it.stageText = stageText(*it.a)
	it.sortPerson = strings.ToLower(it.person)
	it.sortResource = strings.ToLower(it.resource)
	// What the filter searches: what the row and the detail show, as shown
	// (not ids nor raw values the screen never shows).
	parts := []string{
		personCell(it), it.titleText, it.person, words.Person(a.Requestor), words.Contact(a.Requestor), words.Contact(a.Target),
		it.resource, it.kind, kindLong(a.Kind), it.stageText,
		sanitize.Line(a.Resource.CatalogName), sanitize.Line(a.Resource.Description), sanitize.Line(a.Resource.Email),
		requestWords(a.RequestType), sanitize.Line(a.RequestState), sanitize.Line(a.TicketNumber),
		sanitize.Text(a.Justification), sanitize.Line(a.Problem), sanitize.Line(a.PortalOnly),
	}
	for _, an := range a.Answers {
		parts = append(parts, sanitize.Line(an.Question), sanitize.Text(an.Value))
	}
	for _, st := range a.Stages {
		parts = append(parts, sanitize.Line(st.DisplayName), sanitize.Line(st.ReviewedBy.DisplayName), sanitize.Text(st.Justification))
	}
	it.search = strings.ToLower(strings.Join(parts, "\x00"))
	it.sig = bytesOf(it.search)
	it.version++
	return true
}

// byteSet is which ASCII bytes a text holds, each exactly, and whether
// it holds any other byte: a text can contain a term only if its set holds
// the term's.
type byteSet [2]uint64

func bytesOf(s string) byteSet {
	var b byteSet
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			c = 0 // every non-ASCII byte counts as one
		}
		b[c>>6] |= 1 << (c & 63)
	}
	return b
}

// holds reports whether every byte of sub is in b.
func (b byteSet) holds(sub byteSet) bool { return b[0]&sub[0] == sub[0] && b[1]&sub[1] == sub[1] }

// timesCache is an item's time columns as the filter searches them.
type timesKey struct {
	version int
	now     int64
}

type timesCache struct {
	key  timesKey
	text string
}

// detach gives the item a copy of its approval of its own, for one kept
// as last read while the lists it came from are replaced: one item must
// not keep a whole old list alive.
func (it *item) detach() {
	a := *it.a
	it.a, it.stage = &a, myStage(&a)
}

// myStage is the stage of a waiting for me, in a.Stages, or nil.
func myStage(a *graph.Approval) *graph.Stage {
	for i := range a.Stages {
		if a.Stages[i].Mine() {
			return &a.Stages[i] // not a copy: 10,000 items each kept one
		}
	}
	return nil
}

// isSelf reports whether the access would go to the signed-in approver.
func isSelf(a *graph.Approval, me string) bool {
	return words.IsMe(*a, graph.Identity{ID: me})
}

// touch invalidates what is cached for drawing this item.
func (it *item) touch() { it.version++ }

// decidable reports whether a decision can be made on the item now. A
// decision that landed (or found the stage decided or gone) stays on the
// list until the rest of its batch is done; it is not decidable again.
// Failed, unknown and unsent ones are: a retry, on a key press. One that
// can only be decided elsewhere (PortalOnly) never is.
func (it *item) decidable() bool {
	switch {
	case !it.hasMine, it.a.PortalOnly != "":
		return false
	case it.state == stateIdle:
		return true
	case it.state == stateDone:
		return !leaves(it.result.Outcome)
	}
	return false
}

// personName is a subject's display name, falling back to UPN, email, id.
func personName(s graph.Subject) string { return words.Person(s) }

// kindLabel names a kind in one word, as the command line does.
func kindLabel(k graph.Kind) string { return words.Kind(k) }

// kindLong is the kind in a sentence, as the command line says it.
func kindLong(k graph.Kind) string { return words.KindLong(k) }

// requestWords says what a request type or PIM action asks for, in the
// approver's words; unknown values are shown as sent.
func requestWords(t string) string {
	words := map[string]string{
		"useradd": "new access", "userupdate": "change of access", "userextend": "extension",
		"userremove": "removal", "adminadd": "assigned by an administrator", "adminupdate": "changed by an administrator",
		"adminremove": "removal by an administrator", "systemadd": "automatic assignment",
		"selfactivate": "activation", "selfdeactivate": "deactivation", "selfextend": "extension", "selfrenew": "renewal",
		"adminassign": "assignment by an administrator", "adminextend": "extension by an administrator",
		"adminrenew": "renewal by an administrator",
	}
	t = sanitize.Line(t)
	if w, ok := words[strings.ToLower(t)]; ok {
		return w + " (" + t + ")"
	}
	return t
}

// stageText is "1 of 2" for the stage in progress, "—" without stages.
func stageText(a graph.Approval) string {
	i := a.CurrentStage()
	if _, mine, ok := a.MyStage(); ok {
		i = mine
	}
	if i < 0 {
		return "—"
	}
	return strconv.Itoa(i+1) + " of " + strconv.Itoa(len(a.Stages))
}

// title names the request wherever a line names one: the beneficiary, the
// requestor when someone else asked, and what access:
// "Chloé Adeyemi (asked by Yusuf Chen) → PIM-Dev-K8s-Operators · owner".
func (it *item) title() string { return it.titleText }
