package sim

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultApprovals is how many approvals New generates for the demo
// identity when Options.Approvals is 0.
const DefaultApprovals = 40

// Generate builds a deterministic tenant: the same seed, n and now give the
// same tenant, byte for byte. n approvals wait for the demo identity (the
// first of Tenant.Approvers); about n/4 more wait only for the other
// approvers. Roughly 60% are access package requests and 40% PIM for
// Groups requests; some are at stage 2 or 3 with earlier stages approved
// by someone else, and some stages have several approvers.
func Generate(seed int64, n int, now time.Time) *Tenant {
	now = now.UTC().Truncate(time.Millisecond)
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	t := &Tenant{Version: TenantVersion}
	genPeople(r, t, n)
	genCatalogs(r, t, now)
	genGroups(r, t)
	b := newBuilder(r, t)
	demo := t.Approvers[0]
	for range max(n, 0) {
		b.addRequest(now, demo, true)
	}
	for range max(n, 0) / 4 {
		b.addRequest(now, demo, false)
	}
	sortRequests(t)
	return t
}

func sortRequests(t *Tenant) {
	slices.SortStableFunc(t.AccessPackageRequests, func(a, b *AccessPackageRequest) int {
		return cmp.Or(a.CreatedDateTime.Compare(b.CreatedDateTime), strings.Compare(a.ID, b.ID))
	})
	slices.SortStableFunc(t.GroupRequests, func(a, b *GroupRequest) int {
		return cmp.Or(a.CreatedDateTime.Compare(b.CreatedDateTime), strings.Compare(a.ID, b.ID))
	})
}

func genPeople(r *rand.Rand, t *Tenant, n int) {
	taken := map[string]bool{}
	for _, p := range approverPeople {
		upn := strings.ToLower(p.given) + "@contoso.com"
		taken[upn] = true
		u := User{ID: newGUID(r), DisplayName: p.given + " " + p.surname, GivenName: p.given, Surname: p.surname,
			UserPrincipalName: upn, Mail: upn, JobTitle: p.title, Department: p.dept}
		t.Users = append(t.Users, u)
		t.Approvers = append(t.Approvers, u.ID)
	}
	people := min(max(30+max(n, 0)/25, 30), 400)
	for i := range people {
		given := pick(r, givenNames)
		surname := pick(r, surnames)
		dept := departments[r.IntN(len(departments))]
		if i < 3 { // a few service desk people make requests on others' behalf
			dept = departments[5]
		}
		upn := uniqueUPN(taken, asciiName(given)+"."+asciiName(surname))
		t.Users = append(t.Users, User{ID: newGUID(r), DisplayName: given + " " + surname, GivenName: given,
			Surname: surname, UserPrincipalName: upn, Mail: upn, JobTitle: pick(r, dept.titles), Department: dept.name})
	}
}

func uniqueUPN(taken map[string]bool, local string) string {
	upn := local + "@contoso.com"
	for i := 2; taken[upn]; i++ {
		upn = local + strconv.Itoa(i) + "@contoso.com"
	}
	taken[upn] = true
	return upn
}

func genCatalogs(r *rand.Rand, t *Tenant, now time.Time) {
	for _, cs := range catalogSeeds {
		created := now.Add(-time.Duration(400+r.IntN(600)) * 24 * time.Hour)
		c := Catalog{ID: newGUID(r), DisplayName: cs.name, Description: cs.description, CatalogType: "userManaged",
			State: "published", IsExternallyVisible: cs.external, CreatedDateTime: created,
			ModifiedDateTime: created.Add(time.Duration(r.IntN(300)) * 24 * time.Hour)}
		t.Catalogs = append(t.Catalogs, c)
		for _, ps := range cs.packages {
			pc := c.CreatedDateTime.Add(time.Duration(1+r.IntN(90)) * 24 * time.Hour)
			p := AccessPackage{ID: newGUID(r), CatalogID: c.ID, DisplayName: ps.name, Description: ps.description,
				IsHidden: ps.hidden, CreatedDateTime: pc, ModifiedDateTime: pc.Add(time.Duration(r.IntN(200)) * 24 * time.Hour),
				Policy: genPolicy(r, t.Approvers, ps.stages, true)}
			for i, qs := range ps.questions {
				p.Questions = append(p.Questions, genQuestion(r, qs, i))
			}
			t.AccessPackages = append(t.AccessPackages, p)
		}
	}
}

func genQuestion(r *rand.Rand, qs questionSeed, seq int) Question {
	q := Question{ID: newGUID(r), Text: qs.text, Sequence: seq, IsRequired: r.IntN(3) > 0, IsAnswerEditable: true}
	if qs.choices != nil {
		q.Kind = "multipleChoice"
		q.Choices = slices.Clone(qs.choices)
		return q
	}
	q.Kind = "text"
	q.IsSingleLineQuestion = true
	return q
}

func genGroups(r *rand.Rand, t *Tenant) {
	for _, gs := range groupSeeds {
		nick := strings.ToLower(gs.name)
		t.Groups = append(t.Groups, Group{ID: newGUID(r), DisplayName: gs.name, Description: gs.description,
			Mail: nick + "@contoso.com", MemberPolicy: genPolicy(r, t.Approvers, 1, false),
			OwnerPolicy: genPolicy(r, t.Approvers, 1, false)})
	}
}

// genPolicy picks approvers per stage from the approver identities. The
// demo identity (approvers[0]) is in most stages, alone or with others,
// and absent from some so the other approvers have work of their own.
func genPolicy(r *rand.Rand, approvers []string, stages int, em bool) Policy {
	var p Policy
	for i := range stages {
		sp := StagePolicy{JustificationRequired: r.IntN(100) < 35}
		if em {
			if r.IntN(5) > 0 {
				sp.DisplayName = pick(r, stageNames[min(i, len(stageNames)-1)])
			}
			sp.Timeout = pickWeighted(r, []string{"P14D", "P7D", "P3D", "P1D"}, []int{70, 15, 10, 5})
		} else {
			sp.Timeout = DefaultGroupTimeout
		}
		others := slices.Clone(approvers[1:])
		r.Shuffle(len(others), func(a, b int) { others[a], others[b] = others[b], others[a] })
		k := pickWeighted(r, []int{1, 2, 3}, []int{55, 30, 15})
		if r.IntN(100) < 70 {
			sp.Approvers = append([]string{approvers[0]}, others[:min(k-1, len(others))]...)
		} else {
			sp.Approvers = others[:min(k, len(others))]
		}
		p.Stages = append(p.Stages, sp)
	}
	return p
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func pickWeighted[T any](r *rand.Rand, xs []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return xs[i]
		}
		n -= w
	}
	return xs[len(xs)-1]
}

// asciiName folds a name into the lower-case ASCII of a mail address:
// "José" → "jose", "O'Brien" → "obrien", "van der Berg" → "vanderberg".
func asciiName(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z':
			b.WriteRune(c)
		case strings.ContainsRune("áàâäãå", c):
			b.WriteByte('a')
		case strings.ContainsRune("éèêë", c):
			b.WriteByte('e')
		case strings.ContainsRune("íìîï", c):
			b.WriteByte('i')
		case strings.ContainsRune("óòôöõø", c):
			b.WriteByte('o')
		case strings.ContainsRune("úùûü", c):
			b.WriteByte('u')
		case c == 'ñ':
			b.WriteByte('n')
		case c == 'ç':
			b.WriteByte('c')
		case c == 'ł':
			b.WriteByte('l')
		case c == 'ś':
			b.WriteByte('s')
		case c == 'ć':
			b.WriteByte('c')
		}
	}
	return b.String()
}
