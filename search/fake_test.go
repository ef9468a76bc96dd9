package search

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/vincula/vincula/models"
)

// fakeSource is an in-memory database: records by ID and a change feed that every
// write appends to, as the store does in the same transaction.
type fakeSource struct {
	mu         sync.Mutex
	candidates map[string]models.Candidate
	vacancies  map[string]models.Vacancy
	changes    []models.Change
	// changesCalls counts ChangesSince calls, to check batching.
	changesCalls int
}

func newFakeSource() *fakeSource {
	return &fakeSource{candidates: map[string]models.Candidate{}, vacancies: map[string]models.Vacancy{}}
}

func (s *fakeSource) feed(entity models.ChangeEntity, id string, op models.ChangeOp) {
	seq := int64(len(s.changes) + 1)
	s.changes = append(s.changes, models.Change{Seq: seq, Entity: entity, EntityID: id, Op: op, At: time.Unix(seq, 0)})
}

func (s *fakeSource) putCandidate(c models.Candidate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.candidates[c.ID] = c
	s.feed(models.ChangeCandidate, c.ID, models.ChangeUpsert)
}

func (s *fakeSource) deleteCandidate(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.candidates, id)
	s.feed(models.ChangeCandidate, id, models.ChangeDelete)
}

func (s *fakeSource) putVacancy(v models.Vacancy) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vacancies[v.ID] = v
	s.feed(models.ChangeVacancy, v.ID, models.ChangeUpsert)
}

func (s *fakeSource) deleteVacancy(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.vacancies, id)
	s.feed(models.ChangeVacancy, id, models.ChangeDelete)
}

// requestRebuild is what `vincula reindex` writes while a server holds the index.
func (s *fakeSource) requestRebuild() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feed(models.ChangeIndex, "", models.ChangeRebuild)
}

func (s *fakeSource) ChangesSince(_ context.Context, seq int64, limit int) ([]models.Change, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changesCalls++
	var out []models.Change
	for _, c := range s.changes {
		if c.Seq > seq && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, nil
}

func (s *fakeSource) CandidatesByID(_ context.Context, ids []string) ([]models.Candidate, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []models.Candidate
	for _, id := range ids {
		if c, ok := s.candidates[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

func (s *fakeSource) VacanciesByID(_ context.Context, ids []string) ([]models.Vacancy, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []models.Vacancy
	for _, id := range ids {
		if v, ok := s.vacancies[id]; ok {
			out = append(out, v)
		}
	}
	return out, nil
}

func (s *fakeSource) EachCandidate(_ context.Context, batch int, fn func([]models.Candidate) error) error {
	s.mu.Lock()
	ids := sortedKeysOf(s.candidates)
	all := make([]models.Candidate, len(ids))
	for i, id := range ids {
		all[i] = s.candidates[id]
	}
	s.mu.Unlock()
	for chunk := range slices.Chunk(all, batch) {
		if err := fn(chunk); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeSource) EachVacancy(_ context.Context, batch int, fn func([]models.Vacancy) error) error {
	s.mu.Lock()
	ids := sortedKeysOf(s.vacancies)
	all := make([]models.Vacancy, len(ids))
	for i, id := range ids {
		all[i] = s.vacancies[id]
	}
	s.mu.Unlock()
	for chunk := range slices.Chunk(all, batch) {
		if err := fn(chunk); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeSource) LatestSeq(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.changes)), nil
}

func sortedKeysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// spanFromStates is the span function of the tests: a candidate may work in their
// preferred states, or everywhere when they have none. The real one comes from the
// eligibility engine.
func spanFromStates(c *models.Candidate) WorkSpan {
	if len(c.PreferredStates) == 0 {
		return WorkSpan{AllStates: true}
	}
	return WorkSpan{States: c.PreferredStates, Until: models.MustDate("2027-12-31")}
}
