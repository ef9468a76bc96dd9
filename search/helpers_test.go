package search

import (
	"context"
	"slices"
	"testing"

	"github.com/vincula/vincula/models"
)

// allStates is the span of a document that allows work everywhere without expiry.
var allStates = WorkSpan{AllStates: true}

func newMemIndex(t *testing.T) *Index {
	t.Helper()
	ix, err := OpenMem()
	if err != nil {
		t.Fatalf("OpenMem: %v", err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix
}

// candidate returns an active, consenting candidate with the given skills.
func candidate(id string, skills ...string) models.Candidate {
	c := models.Candidate{
		ID:           id,
		CurrentState: "MX-CHP",
		Status:       models.CandidateActive,
		Consent:      models.Consent{ShareProfile: true},
	}
	for _, s := range skills {
		c.Skills = append(c.Skills, models.CandidateSkill{Name: s})
	}
	return c
}

func vacancy(id, title, state string) models.Vacancy {
	return models.Vacancy{ID: id, EmployerID: "emp-1", Title: title, State: state, Status: models.VacancyOpen}
}

func apply(t *testing.T, ix *Index, docs ...Doc) {
	t.Helper()
	if err := ix.Apply(context.Background(), docs, nil, -1); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

func searchCandidates(t *testing.T, ix *Index, q CandidateQuery) []string {
	t.Helper()
	res, err := ix.SearchCandidates(context.Background(), q)
	if err != nil {
		t.Fatalf("SearchCandidates(%+v): %v", q, err)
	}
	return hitIDs(res)
}

func searchVacancies(t *testing.T, ix *Index, q VacancyQuery) []string {
	t.Helper()
	res, err := ix.SearchVacancies(context.Background(), q)
	if err != nil {
		t.Fatalf("SearchVacancies(%+v): %v", q, err)
	}
	return hitIDs(res)
}

func hitIDs(res Result) []string {
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	if s == nil {
		s = []string{}
	}
	return s
}
