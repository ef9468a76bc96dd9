package ranking

import (
	"context"
	"slices"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/search"
)

// Candidate is one candidate of a vacancy's list: the row as read for the page, its
// score and the eligibility decision it rests on.
type Candidate struct {
	Candidate models.Candidate
	Match     matching.Match
	Decision  matching.Decision
}

// CandidatesFor ranks the candidates of vacancy v: active, consenting, legally able to
// work at its state on its start date (or today, when that is past) for its employer,
// within reach of it (matching.Scorer.Unreachable: not someone far away who will not
// move) and matching its text. cursor is "" or a Page.Next it returned.
func (s *Service) CandidatesFor(ctx context.Context, v *models.Vacancy, today models.Date, cursor string, limit int) (Page[Candidate], error) {
	offset, err := parseCursor(cursor)
	if err != nil {
		return Page[Candidate]{}, err
	}
	if err := s.sync(ctx); err != nil {
		return Page[Candidate]{}, err
	}
	q := QueryFor(v, today)
	res, err := s.index.AllCandidates(ctx, search.CandidateQuery{Text: VacancyText(v), Title: v.Title, WorkState: q.State,
		OnDate: q.Date, EmployerID: q.EmployerID})
	if err != nil {
		return Page[Candidate]{}, err
	}
	reach := matching.NewScorer(v, s.weights, s.vocab)
	list, bestText := s.qualify(res.Hits, func(e *candidate) bool {
		return e.listed && e.facts.Eligible(q) && reach.Unreachable(e.profile) == ""
	})
	best := func(k int) []ranked {
		return bestOf(list, k, func() (func(*ranked) float64, func(*ranked) float64) {
			sc := matching.NewScorer(v, s.weights, s.vocab) // a Scorer serves one goroutine
			return func(r *ranked) float64 { return sc.Bound(r.cand.profile, TextScore(r.relevance, bestText)) },
				func(r *ranked) float64 { return sc.ScoreOf(r.cand.profile, TextScore(r.relevance, bestText)) }
		})
	}
	scorer := matching.NewScorer(v, s.weights, s.vocab)
	return paginateBest(len(list), best, offset, limit, func(rs []ranked) (map[string]Candidate, error) {
		rows, err := s.store.CandidatesByID(ctx, ids(rs))
		if err != nil {
			return nil, err
		}
		byID := index(rs)
		ok := map[string]Candidate{}
		for _, c := range rows {
			r := byID[c.ID]
			if c.Status != models.CandidateActive || !c.Consent.ShareProfile {
				continue
			}
			d := matching.Eligibility(&c, q, s.rules)
			if !d.Eligible {
				continue
			}
			m := scorer.Score(&c, TextScore(r.relevance, bestText))
			if m.Excluded || m.Score != r.score {
				continue // changed since the copy was made: re-ranked when the feed brings it
			}
			ok[c.ID] = Candidate{Candidate: c, Match: m, Decision: d}
		}
		return ok, nil
	})
}

// qualify keeps the hits whose candidate keep accepts, and returns them with the best
// relevance among them.
func (s *Service) qualify(hits []search.Hit, keep func(*candidate) bool) ([]ranked, float64) {
	s.facts.mu.RLock()
	defer s.facts.mu.RUnlock()
	list := make([]ranked, 0, len(hits))
	best := 0.0
	for _, h := range hits {
		if e := s.facts.cands[h.ID]; e != nil && keep(e) {
			list = append(list, ranked{id: h.ID, relevance: h.Score, cand: e})
			best = max(best, h.Score)
		}
	}
	return list, best
}

// Vacancy is one vacancy of a candidate's list.
type Vacancy struct {
	Vacancy  models.Vacancy
	Match    matching.Match
	Decision matching.Decision
}

// VacanciesFor ranks the open vacancies where candidate c (as read now) may legally
// work, within reach (matching.Scorer.Unreachable), that match its skills, experience
// and desired occupations.
func (s *Service) VacanciesFor(ctx context.Context, c *models.Candidate, today models.Date, cursor string, limit int) (Page[Vacancy], error) {
	offset, err := parseCursor(cursor)
	if err != nil {
		return Page[Vacancy]{}, err
	}
	span := matching.WorkSpan(c, s.rules)
	var states []string
	if !span.AllStates {
		if states = span.States; len(states) == 0 {
			return Page[Vacancy]{Items: []Vacancy{}}, nil // no document allows work anywhere
		}
	}
	if err := s.sync(ctx); err != nil {
		return Page[Vacancy]{}, err
	}
	var hits []search.Hit
	for {
		res, err := s.index.SearchVacancies(ctx, search.VacancyQuery{Text: CandidateText(c), States: states, OnlyOpen: true,
			Offset: len(hits), Limit: search.MaxLimit})
		if err != nil {
			return Page[Vacancy]{}, err
		}
		hits = append(hits, res.Hits...)
		if len(res.Hits) == 0 || uint64(len(hits)) >= res.Total {
			break
		}
	}
	facts, profile := matching.NewFacts(c, s.rules), matching.NewProfile(c, s.vocab)
	s.facts.mu.RLock()
	list := make([]ranked, 0, len(hits))
	vacs := map[string]*models.Vacancy{}
	scorers := map[string]*matching.Scorer{}
	best := 0.0
	for _, h := range hits {
		v := s.facts.vacs[h.ID]
		// Offered: open and not past its end date, so an ended vacancy is left out even
		// before the sweep (store.CloseEndedVacancies) closes it.
		if v == nil || !v.Offered(today) || !facts.Eligible(QueryFor(v, today)) {
			continue
		}
		// Out of reach (far away, not moving): not a vacancy for this person.
		sc := matching.NewScorer(v, s.weights, s.vocab)
		if sc.Unreachable(profile) != "" {
			continue
		}
		vacs[v.ID], scorers[v.ID] = v, sc
		list = append(list, ranked{id: h.ID, relevance: h.Score})
		best = max(best, h.Score)
	}
	s.facts.mu.RUnlock()
	for i := range list {
		list[i].score = scorers[list[i].id].ScoreOf(profile, TextScore(list[i].relevance, best))
	}
	return paginate(list, offset, limit, func(rs []ranked) (map[string]Vacancy, error) {
		rows, err := s.store.VacanciesByID(ctx, ids(rs))
		if err != nil {
			return nil, err
		}
		byID := index(rs)
		ok := map[string]Vacancy{}
		for _, v := range rows {
			r := byID[v.ID]
			if !v.Offered(today) {
				continue
			}
			d := matching.Eligibility(c, QueryFor(&v, today), s.rules)
			if !d.Eligible {
				continue
			}
			m := matching.Score(&v, c, TextScore(r.relevance, best), s.weights, s.vocab)
			if m.Excluded || m.Score != r.score {
				continue
			}
			ok[v.ID] = Vacancy{Vacancy: v, Match: m, Decision: d}
		}
		return ok, nil
	})
}

// Search is an ad-hoc candidate search: free text (skills added to it) and filters.
type Search struct {
	Text string
	// State, when set, keeps the people legally able to work there on Date; without
	// it, the people able to work somewhere on Date.
	State              string
	Date               models.Date
	MinExperienceYears float64
	Languages          []string
}

// Found is one candidate of a search: the row, its text score and, with a State, the
// eligibility decision (else the summary).
type Found struct {
	Candidate models.Candidate
	Score     float64
	Decision  matching.Decision
	Summary   matching.Summary
}

// SearchCandidates ranks the candidates of an ad-hoc search by their text score.
func (s *Service) SearchCandidates(ctx context.Context, q Search, cursor string, limit int) (Page[Found], error) {
	offset, err := parseCursor(cursor)
	if err != nil {
		return Page[Found]{}, err
	}
	if err := s.sync(ctx); err != nil {
		return Page[Found]{}, err
	}
	// Languages are checked here, on canonical codes ("spa" is "es"), not by the index,
	// which compares the codes as written.
	res, err := s.index.AllCandidates(ctx, search.CandidateQuery{Text: q.Text, WorkState: q.State, OnDate: q.Date})
	if err != nil {
		return Page[Found]{}, err
	}
	langs := make([]string, len(q.Languages))
	for i, l := range q.Languages {
		langs[i] = models.CanonicalLanguageCode(l)
	}
	eq := matching.Query{State: q.State, Date: q.Date}
	list, best := s.qualify(res.Hits, func(e *candidate) bool {
		if !e.listed || e.years < q.MinExperienceYears {
			return false
		}
		for _, l := range langs {
			if !slices.Contains(e.languages, l) {
				return false
			}
		}
		if q.State != "" {
			return e.facts.Eligible(eq)
		}
		return e.facts.EligibleSomewhere(q.Date)
	})
	for i := range list {
		list[i].score = TextScore(list[i].relevance, best)
	}
	return paginate(list, offset, limit, func(rs []ranked) (map[string]Found, error) {
		rows, err := s.store.CandidatesByID(ctx, ids(rs))
		if err != nil {
			return nil, err
		}
		byID := index(rs)
		ok := map[string]Found{}
		for _, c := range rows {
			if c.Status != models.CandidateActive || !c.Consent.ShareProfile || c.TotalExperienceYears() < q.MinExperienceYears ||
				!SpeaksAll(&c, q.Languages) {
				continue
			}
			f := Found{Candidate: c, Score: byID[c.ID].score}
			if q.State != "" {
				if f.Decision = matching.Eligibility(&c, eq, s.rules); !f.Decision.Eligible {
					continue
				}
			} else if f.Summary = matching.Summarize(&c, q.Date, s.rules); !f.Summary.EligibleSomewhere {
				continue
			}
			ok[c.ID] = f
		}
		return ok, nil
	})
}

// SpeaksAll reports whether c speaks every language of codes (in any form of the code).
func SpeaksAll(c *models.Candidate, codes []string) bool {
	for _, code := range codes {
		if !slices.ContainsFunc(c.Languages, func(l models.LanguageSkill) bool {
			return models.CanonicalLanguageCode(l.Code) == models.CanonicalLanguageCode(code)
		}) {
			return false
		}
	}
	return true
}

func ids(rs []ranked) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.id
	}
	return out
}

func index(rs []ranked) map[string]ranked {
	m := make(map[string]ranked, len(rs))
	for _, r := range rs {
		m[r.id] = r
	}
	return m
}
