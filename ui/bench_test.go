package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"approvals/graph"
)

// Frame, cursor, filter and bytes-on-the-wire benchmarks live in the bench
// (package main, build tag bench: go test -tags bench -bench . .),
// on generated tenants, next to the `approvals bench` table that uses the
// same code. This one needs the model's insides.

// manyApprovals makes n varied approvals.
func manyApprovals(n int) *graph.Snapshot {
	base := sampleApprovals()
	s := &graph.Snapshot{At: t0}
	for i := range n {
		a := base[i%len(base)]
		a.Ref.ID = fmt.Sprintf("%s-%05d", a.Ref.ID, i)
		a.Requestor.DisplayName = fmt.Sprintf("%s %d", a.Requestor.DisplayName, i)
		a.Created = t0.Add(-time.Duration(i) * time.Minute)
		if !a.Deadline.IsZero() {
			a.Deadline = t0.Add(time.Duration(i%5000) * time.Minute)
		}
		s.Approvals = append(s.Approvals, a)
	}
	return s
}

func loadedModel(b *testing.B, n, w, h int) *Model {
	b.Helper()
	m := New(Options{timer: heldTimer, Now: func() time.Time { return t0 }, Theme: ThemeDark})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Load(manyApprovals(n))
	m.View()
	return m
}

// Loading a snapshot of 10,000 approvals that are all already known.
func BenchmarkReload10k(b *testing.B) {
	m := loadedModel(b, 10000, 120, 40)
	s := manyApprovals(10000)
	b.ReportAllocs()
	for b.Loop() {
		m.Load(s)
	}
}
