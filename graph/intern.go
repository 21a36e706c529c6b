package graph

import "unique"

// intern returns one shared copy of s. A listing repeats the same people,
// access packages, groups and enum values across thousands of approvals,
// and the JSON decoder allocates each occurrence anew; keeping one copy of
// each is what the normalizers use it for. (unique keeps a copy while it
// is referenced from a handle; a string already taken from it stays valid
// either way.)
func intern(s string) string {
	if s == "" {
		return ""
	}
	return unique.Make(s).Value()
}

func internSubject(s Subject) Subject {
	return Subject{ID: intern(s.ID), DisplayName: intern(s.DisplayName), Email: intern(s.Email), PrincipalName: intern(s.PrincipalName)}
}

func internResource(r Resource) Resource {
	return Resource{ID: intern(r.ID), DisplayName: intern(r.DisplayName), Description: intern(r.Description),
		CatalogID: intern(r.CatalogID), CatalogName: intern(r.CatalogName), Email: intern(r.Email),
		ScopeID: intern(r.ScopeID), ScopeName: intern(r.ScopeName)}
}

// internShared interns the fields of a that other approvals are likely to
// repeat (not its ids or the requestor's justification).
func internShared(a *Approval) {
	a.Requestor = internSubject(a.Requestor)
	a.Target = internSubject(a.Target)
	a.Resource = internResource(a.Resource)
	a.RequestType, a.RequestState = intern(a.RequestType), intern(a.RequestState)
	a.Schedule.ExpirationType, a.Schedule.Duration = intern(a.Schedule.ExpirationType), intern(a.Schedule.Duration)
	for i := range a.Answers {
		a.Answers[i].Question = intern(a.Answers[i].Question)
	}
}
