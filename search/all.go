package search

import (
	"context"
	"strings"
)

// AllCandidates returns every candidate the query matches, in no particular order, with
// the relevance SearchCandidates ranks them by (0 for all of them when the query has
// nothing to score), and ignores Offset and Limit. It is what an exact ranking over
// the whole list starts from: the caller scores and orders every match itself.
// Result.Total is len(Result.Hits).
func (ix *Index) AllCandidates(ctx context.Context, q CandidateQuery) (Result, error) {
	return ix.scoreCandidates(ctx, q, true)
}

// filteredCandidates is every searchable candidate passing the filters of q, scored 0:
// a query without words or concepts matches by its filters alone.
func (ix *Index) filteredCandidates(q CandidateQuery) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := ix.cands
	matched := s.searchable.Clone()
	if q.WorkState != "" {
		matched.And(orOf(s.posting(termKey(kindState, q.WorkState)), s.posting(termKey(kindState, anyTerm))))
	}
	if q.EmployerID != "" {
		matched.And(orOf(s.posting(termKey(kindEmployer, q.EmployerID)), s.posting(termKey(kindEmployer, anyTerm))))
	}
	for _, l := range q.Languages {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
			matched.And(orOf(s.posting(termKey(kindLanguage, l))))
		}
	}
	var lo int32 = noWork
	if !q.OnDate.IsZero() {
		lo = int32(monthIndex(q.OnDate))
	}
	out := Result{Hits: make([]Hit, 0, matched.GetCardinality())}
	matched.Iterate(func(ord uint32) bool {
		if s.until[ord] >= lo { // without a date, lo is below every month
			out.Hits = append(out.Hits, Hit{ID: s.id(ord)})
		}
		return true
	})
	out.Total = uint64(len(out.Hits))
	return out
}
