package ranking

import (
	"context"
	"fmt"
	"sync"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
)

// Store is what the ranking reads from the database (store.Store implements it).
type Store interface {
	ChangesSince(ctx context.Context, seq int64, limit int) ([]models.Change, error)
	CandidatesByID(ctx context.Context, ids []string) ([]models.Candidate, error)
	VacanciesByID(ctx context.Context, ids []string) ([]models.Vacancy, error)
	EachCandidate(ctx context.Context, batch int, fn func([]models.Candidate) error) error
	EachVacancy(ctx context.Context, batch int, fn func([]models.Vacancy) error) error
	LatestSeq(ctx context.Context) (int64, error)
}

// candidate is what the ranking keeps in memory of one candidate: whether the profile
// may be shown at all, the compiled eligibility facts, the scoring profile, and what
// the candidate search filters on.
type candidate struct {
	listed    bool // active, and consenting to share the profile
	facts     *matching.Facts
	profile   *matching.Profile
	years     float64
	languages []string // canonical codes
}

func (s *Service) compile(c *models.Candidate) *candidate {
	e := &candidate{
		listed:  c.Status == models.CandidateActive && c.Consent.ShareProfile,
		facts:   matching.NewFacts(c, s.rules),
		profile: matching.NewProfile(c, s.vocab),
		years:   c.TotalExperienceYears(),
	}
	for _, l := range c.Languages {
		e.languages = append(e.languages, models.CanonicalLanguageCode(l.Code))
	}
	return e
}

// facts is the in-memory copy, kept in step with the database's change feed: every
// candidate compiled, every vacancy as it is.
type facts struct {
	mu     sync.RWMutex
	cands  map[string]*candidate
	vacs   map[string]*models.Vacancy
	seq    int64
	loaded bool
	// syncMu makes catching up one at a time.
	syncMu sync.Mutex
}

// changeBatch is how many feed entries one catch-up step reads.
const changeBatch = 500

// sync loads the copy on first use and then applies the change feed up to now: a
// changed record is re-read and compiled again, a missing one is dropped. Every
// request calls it first, so the ranking is never behind the database by more than
// the writes that race with the request.
func (s *Service) sync(ctx context.Context) error {
	f := &s.facts
	f.syncMu.Lock()
	defer f.syncMu.Unlock()
	if !f.loaded {
		if err := s.load(ctx); err != nil {
			return err
		}
	}
	for {
		changes, err := s.store.ChangesSince(ctx, f.seq, changeBatch)
		if err != nil {
			return fmt.Errorf("ranking: read the change feed after %d: %w", f.seq, err)
		}
		if len(changes) == 0 {
			return nil
		}
		if err := s.apply(ctx, changes); err != nil {
			return err
		}
		if len(changes) < changeBatch {
			return nil
		}
	}
}

// load reads every record, from a sequence taken before, so that the feed replays
// whatever was written meanwhile.
func (s *Service) load(ctx context.Context) error {
	f := &s.facts
	seq, err := s.store.LatestSeq(ctx)
	if err != nil {
		return fmt.Errorf("ranking: latest sequence: %w", err)
	}
	cands := map[string]*candidate{}
	vacs := map[string]*models.Vacancy{}
	err = s.store.EachCandidate(ctx, 1000, func(cs []models.Candidate) error {
		for i := range cs {
			cands[cs[i].ID] = s.compile(&cs[i])
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ranking: load candidates: %w", err)
	}
	err = s.store.EachVacancy(ctx, 1000, func(vs []models.Vacancy) error {
		for i := range vs {
			v := vs[i]
			vacs[v.ID] = &v
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ranking: load vacancies: %w", err)
	}
	f.mu.Lock()
	f.cands, f.vacs, f.seq, f.loaded = cands, vacs, seq, true
	f.mu.Unlock()
	return nil
}

// apply re-reads the records a batch of changes names and replaces their copies.
func (s *Service) apply(ctx context.Context, changes []models.Change) error {
	var candIDs, vacIDs []string
	seen := map[string]bool{}
	for _, c := range changes {
		key := string(c.Entity) + "/" + c.EntityID
		if seen[key] {
			continue
		}
		seen[key] = true
		switch c.Entity {
		case models.ChangeCandidate:
			candIDs = append(candIDs, c.EntityID)
		case models.ChangeVacancy:
			vacIDs = append(vacIDs, c.EntityID)
		}
	}
	cs, err := readEach(ctx, s.store, candIDs, s.store.CandidatesByID)
	if err != nil {
		return fmt.Errorf("ranking: read changed candidates: %w", err)
	}
	vs, err := readEach(ctx, s.store, vacIDs, s.store.VacanciesByID)
	if err != nil {
		return fmt.Errorf("ranking: read changed vacancies: %w", err)
	}
	compiled := make(map[string]*candidate, len(cs))
	for i := range cs {
		compiled[cs[i].ID] = s.compile(&cs[i])
	}
	f := &s.facts
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range candIDs {
		if e, ok := compiled[id]; ok {
			f.cands[id] = e
		} else {
			delete(f.cands, id)
		}
	}
	found := map[string]bool{}
	for i := range vs {
		v := vs[i]
		f.vacs[v.ID], found[v.ID] = &v, true
	}
	for _, id := range vacIDs {
		if !found[id] {
			delete(f.vacs, id)
		}
	}
	f.seq = changes[len(changes)-1].Seq
	return nil
}

// readEach reads ids in one call; when that fails it reads them one by one, so that
// one record that cannot be read (a corrupt row, a value the key does not open) does
// not stop the copy at that change for good: while the database answers, such a
// record is left out of the copy, as it cannot be served anyway, and the rest is
// applied. (The search index's follower reports it.) When the database does not
// answer, the read fails, to be retried by the next request.
func readEach[T any](ctx context.Context, st Store, ids []string, read func(context.Context, []string) ([]T, error)) ([]T, error) {
	out, batchErr := read(ctx, ids)
	if batchErr == nil {
		return out, nil
	}
	out = out[:0]
	failed := 0
	for _, id := range ids {
		one, err := read(ctx, []string{id})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			failed++
			continue
		}
		out = append(out, one...)
	}
	if failed > 0 {
		if _, err := st.LatestSeq(ctx); err != nil {
			return nil, fmt.Errorf("%w (and the database does not answer: %v)", batchErr, err)
		}
	}
	return out, nil
}
