package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vincula/vincula/models"
)

// Page sizes of a search.
const (
	// DefaultLimit is the page size when a query does not set one.
	DefaultLimit = 50
	// MaxLimit caps Limit: bleve keeps Offset+Limit hits in memory per search.
	MaxLimit = 10000
)

// conceptBoost weighs a shared vocabulary concept above a shared word: the concept
// says the two texts name the same occupation or skill, whatever the language.
const conceptBoost = 2.0

// relatedBoost weighs a concept related to an asked one below a shared word.
const relatedBoost = 0.5

// CandidateQuery asks for candidates. Its filters are a superset of legal eligibility;
// the caller re-checks each hit exactly.
type CandidateQuery struct {
	// Text is scored against skills, job titles and desired occupations, and its
	// vocabulary concepts against the profiles' concepts. Empty: every candidate
	// that passes the filters, in ID order.
	Text string
	// Concepts are extra concept IDs to score, for example a vacancy's required skills.
	Concepts []string
	// Title, when set, narrows what matches: a candidate must share a vocabulary
	// concept (or a related one) with Text, or hold every word of Title; the other
	// words of Text only add to the score. A vacancy's matches use it, so that a
	// common word ("manejo", "control") does not make half the profiles a match;
	// with Title empty any word of Text matches (ad-hoc search).
	Title string
	// WorkState keeps candidates who may work in this state ("" = any).
	WorkState string
	// OnDate keeps candidates whose work permission may last until this day (zero =
	// no date filter).
	OnDate models.Date
	// EmployerID drops candidates whose only work permits name another employer.
	EmployerID string
	// Languages keeps candidates who speak every listed language (ISO 639 codes).
	Languages []string
	Limit     int
	Offset    int
}

// VacancyQuery asks for vacancies.
type VacancyQuery struct {
	// Text is scored against title, description and skills (and their concepts).
	// Empty: every vacancy that passes the filters, in ID order.
	Text string
	// States keeps vacancies in one of these states, where the candidate may work
	// (empty = any state).
	States []string
	// OnlyOpen keeps open vacancies only.
	OnlyOpen   bool
	EmployerID string
	Limit      int
	Offset     int
}

// Hit is one search result: the record's ID and its text relevance.
type Hit struct {
	ID    string
	Score float64
}

// Result is one page of hits, best first (ties in ID order), and the number of
// documents that matched in all.
type Result struct {
	Hits  []Hit
	Total uint64
}

// SearchCandidates returns searchable candidates (active, consenting) who pass the
// filters, ranked by text relevance to q.Text. A scored query (one with a Title, a
// vacancy's matches, or an ad-hoc one with a text or concepts to score) is answered
// from the in-memory candidate set, which matches the same candidates as the bleve
// query would and scores them alike without bleve's cost per match; a filter-only
// query, in ID order, goes to bleve.
func (ix *Index) SearchCandidates(ctx context.Context, q CandidateQuery) (Result, error) {
	if q.Title != "" || scoresText(q) {
		return ix.matchCandidates(ctx, q)
	}
	return ix.searchCandidatesBleve(ctx, q)
}

// scoresText tells whether a query without a Title has something to score, as run
// sees it (textQuery is not nil): a text that is not blank, or a concept.
func scoresText(q CandidateQuery) bool {
	return strings.TrimSpace(q.Text) != "" || len(sortedSet(q.Concepts)) > 0
}

// searchCandidatesBleve is SearchCandidates answered by bleve alone, whatever the
// query; tests compare the candidate set's answers with it.
func (ix *Index) searchCandidatesBleve(ctx context.Context, q CandidateQuery) (Result, error) {
	filters := []query.Query{term(fieldType, candidateType), term(fieldSearchable, yesTerm)}
	if q.WorkState != "" {
		filters = append(filters, anyOf(fieldWorkStates, q.WorkState, anyTerm))
	}
	if !q.OnDate.IsZero() {
		lo := float64(monthIndex(q.OnDate))
		inclusive := true
		r := query.NewNumericRangeInclusiveQuery(&lo, nil, &inclusive, nil)
		r.SetField(fieldWorkUntil)
		filters = append(filters, r)
	}
	if q.EmployerID != "" {
		filters = append(filters, anyOf(fieldWorkEmployer, q.EmployerID, anyTerm))
	}
	for _, l := range q.Languages {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
			filters = append(filters, term(fieldLanguages, l))
		}
	}
	if q.Title != "" {
		return ix.runNarrow(ctx, q, filters)
	}
	return ix.run(ctx, q.Text, q.Concepts, filters, q.Limit, q.Offset, candidateType)
}

// runNarrow is a candidate query whose matches must share a concept with the text or
// hold every word of the title (see CandidateQuery.Title); the words score.
func (ix *Index) runNarrow(ctx context.Context, q CandidateQuery, filters []query.Query) (Result, error) {
	concepts := append(ix.vocab.Match(q.Text), q.Concepts...)
	var must []query.Query
	for _, c := range sortedSet(concepts) {
		t := term(fieldConcepts, c)
		t.SetBoost(conceptBoost)
		must = append(must, t)
	}
	for _, c := range sortedSet(ix.related(concepts)) {
		t := term(fieldConcepts, c)
		t.SetBoost(relatedBoost)
		must = append(must, t)
	}
	title := query.NewMatchQuery(q.Title)
	title.SetField(fieldText)
	title.Analyzer = textAnalyzer
	title.SetOperator(query.MatchQueryOperatorAnd)
	must = append(must, title)
	words := query.NewMatchQuery(q.Text)
	words.SetField(fieldText)
	words.Analyzer = textAnalyzer
	bq := query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(must)}, []query.Query{words}, nil)
	bq.AddFilter(query.NewConjunctionQuery(filters))
	return ix.search(ctx, bleve.NewSearchRequestOptions(bq, q.Limit, q.Offset, false), candidateType)
}

// SearchVacancies returns vacancies that pass the filters, ranked by text relevance
// to q.Text.
func (ix *Index) SearchVacancies(ctx context.Context, q VacancyQuery) (Result, error) {
	filters := []query.Query{term(fieldType, vacancyType)}
	if len(q.States) > 0 {
		filters = append(filters, anyOf(fieldState, q.States...))
	}
	if q.OnlyOpen {
		filters = append(filters, term(fieldStatus, string(models.VacancyOpen)))
	}
	if q.EmployerID != "" {
		filters = append(filters, term(fieldEmployer, q.EmployerID))
	}
	return ix.run(ctx, q.Text, nil, filters, q.Limit, q.Offset, vacancyType)
}

// run scores text against the text and concepts fields under filters. All filters go
// into one conjunction added once with AddFilter (a second AddFilter would replace
// the first), so bleve checks them without scoring.
func (ix *Index) run(ctx context.Context, text string, extraConcepts []string, filters []query.Query, limit, offset int, docType string) (Result, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	if limit > MaxLimit {
		limit = MaxLimit
	}
	if offset < 0 {
		offset = 0
	}
	filter := query.NewConjunctionQuery(filters)

	var req *bleve.SearchRequest
	concepts := extraConcepts
	if strings.TrimSpace(text) != "" {
		concepts = append(ix.vocab.Match(text), extraConcepts...)
	}
	scored := textQuery(text, concepts, ix.related(concepts))
	if scored == nil {
		// Nothing to score: the filters alone are the query, without scoring, which
		// lets bleve intersect posting lists instead of walking every document.
		req = bleve.NewSearchRequestOptions(filter, limit, offset, false)
		req.Score = "none"
	} else {
		bq := query.NewBooleanQuery([]query.Query{scored}, nil, nil)
		bq.AddFilter(filter)
		req = bleve.NewSearchRequestOptions(bq, limit, offset, false)
	}
	if scored == nil {
		// Unscored: order by ID, which also makes bleve walk every match so Total is
		// exact.
		req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, &search.SortDocID{}})
	}
	// Scored: bleve's own order (score, then its internal document order) is stable
	// for a given index state, and avoids loading the external ID of every match,
	// which cost about a third of a query at 100,000 profiles.

	return ix.search(ctx, req, docType)
}

// search runs req and returns the hits' record IDs and scores.
func (ix *Index) search(ctx context.Context, req *bleve.SearchRequest, docType string) (Result, error) {
	if req.Size <= 0 {
		req.Size = DefaultLimit
	}
	req.Size = min(req.Size, MaxLimit)
	req.From = max(req.From, 0)
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("search: %s search: %w", docType, err)
	}
	out := Result{Total: res.Total, Hits: make([]Hit, 0, len(res.Hits))}
	prefix := docType + "/"
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, Hit{ID: strings.TrimPrefix(h.ID, prefix), Score: h.Score})
	}
	return out, nil
}

// related returns the concepts close to concepts: those the vocabulary links to them
// (an "ayudante de albañil" to an "albañil") and the occupations of the same ISCO-08
// unit group, without those already asked for, so that a close trade is found, if
// below the asked one.
func (ix *Index) related(concepts []string) []string {
	var out []string
	for _, id := range concepts {
		c, ok := ix.vocab.Concept(id)
		if !ok {
			continue
		}
		// Occupations of the same ISCO-08 unit group are close trades too (a coffee
		// picker and a field worker are both crop farm labourers, 9211). An occupation
		// that comes from ESCO alone has no hand-made links: the skills ESCO lists as
		// essential to it stand in (a pipe welder vacancy finds the people who list
		// welding). Vincula's own concepts keep their hand-made links only, since every
		// extra term changes the text relevance of the whole query.
		close := append(slices.Clone(c.Related), occupationsWithISCO(c.ISCO)...)
		if c.Origin == models.OriginESCO {
			close = append(close, c.Essential...)
		}
		close = append(close, ix.secondChoices(c)...)
		for _, r := range close {
			if !slices.Contains(concepts, r) && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// secondChoices are the trades a recruiter turns to when an occupation runs out, as
// matching's ranking credits them: Vincula's occupations of the same sub-major group
// among elementary occupations (major group 9, learnt on the job: loaders, construction
// labourers, packers), and the occupations two links away in the vocabulary (a forklift
// operator and a loader, through the warehouse worker) when both are of ISCO-08 skill
// level 1 or 2 (a mason's second choice is not the site foreman). Skilled trades of one
// minor group (a mason and a carpenter) are credited by the ranking when the index finds
// them, but not searched for: a search for masons does not list carpenters. Only
// Vincula's own occupations are reached this way, so that ESCO's thousands do not flood
// the query.
func (ix *Index) secondChoices(c models.Concept) []string {
	if c.Kind != models.ConceptOccupation || c.Origin == models.OriginESCO {
		return nil
	}
	var out []string
	if models.ValidISCO(c.ISCO) && len(c.ISCO) == 4 {
		for _, o := range vinculaOccupations() {
			if o.ID != c.ID && c.ISCO[0] == '9' && o.ISCO[:2] == c.ISCO[:2] {
				out = append(out, o.ID)
			}
		}
	}
	if !models.SkillLevelOneOrTwo(c.ISCO) {
		return out
	}
	for _, r := range c.Related {
		mid, ok := ix.vocab.Concept(r)
		if !ok || mid.Kind != models.ConceptOccupation {
			continue
		}
		for _, x := range mid.Related {
			if o, ok := ix.vocab.Concept(x); ok && o.Kind == models.ConceptOccupation && o.ID != c.ID && models.SkillLevelOneOrTwo(o.ISCO) {
				out = append(out, x)
			}
		}
	}
	return out
}

// vinculaOccupations are the occupations of vocabulary.json with a 4-digit ISCO code.
var vinculaOccupations = sync.OnceValue(func() []models.Concept {
	var out []models.Concept
	for _, c := range models.DefaultVocabulary().Concepts() {
		if c.Kind == models.ConceptOccupation && c.Origin != models.OriginESCO && models.ValidISCO(c.ISCO) && len(c.ISCO) == 4 {
			out = append(out, models.Concept{ID: c.ID, ISCO: c.ISCO})
		}
	}
	return out
})

// textQuery is the scored part: the words of text, a shared concept (boosted), or a
// related concept (weighed below a word). It is nil when there is nothing to score.
func textQuery(text string, concepts, related []string) query.Query {
	var parts []query.Query
	if strings.TrimSpace(text) != "" {
		m := query.NewMatchQuery(text)
		m.SetField(fieldText)
		m.Analyzer = textAnalyzer
		parts = append(parts, m)
	}
	for _, c := range sortedSet(concepts) {
		t := term(fieldConcepts, c)
		t.SetBoost(conceptBoost)
		parts = append(parts, t)
	}
	for _, c := range sortedSet(related) {
		t := term(fieldConcepts, c)
		t.SetBoost(relatedBoost)
		parts = append(parts, t)
	}
	if len(parts) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(parts)
}

func term(field, value string) *query.TermQuery {
	t := query.NewTermQuery(value)
	t.SetField(field)
	return t
}

func anyOf(field string, values ...string) query.Query {
	if len(values) == 1 {
		return term(field, values[0])
	}
	qs := make([]query.Query, len(values))
	for i, v := range values {
		qs[i] = term(field, v)
	}
	return query.NewDisjunctionQuery(qs)
}
