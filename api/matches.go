package api

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
)

// Index is what the API needs of the search index: it narrows (text, legal pre-filters)
// and returns IDs; the database supplies the records and the eligibility engine decides.
type Index interface {
	SearchCandidates(ctx context.Context, q search.CandidateQuery) (search.Result, error)
	SearchVacancies(ctx context.Context, q search.VacancyQuery) (search.Result, error)
}

// rankWindow is how many text hits are re-ranked together by Vincula's rules. The
// index orders by text relevance; each window of that order is filtered exactly and
// re-ranked, and the windows follow one another, so every eligible hit is reached by
// paging and the best of each window come first.
const rankWindow = 200

// maxRankWindows bounds a match cursor's window: 50,000 windows of rankWindow hits reach
// ten million records, past any list this server ranks. A larger one is not a cursor
// this server gave out, and would overflow the index offset it stands for.
const maxRankWindows = 50_000

// matchCursor is where a ranked list continues: a window and a position inside it.
type matchCursor struct{ window, pos int }

func (m matchCursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("w%d.%d", m.window, m.pos)))
}

func matchCursorOf(c *gin.Context) (matchCursor, int, error) {
	limit, err := limitOf(c)
	if err != nil {
		return matchCursor{}, 0, err
	}
	cur, err := parseMatchCursor(c.Query("cursor"))
	return cur, limit, err
}

func parseMatchCursor(raw string) (matchCursor, error) {
	if raw == "" {
		return matchCursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	var m matchCursor
	if err == nil {
		_, err = fmt.Sscanf(string(b), "w%d.%d", &m.window, &m.pos)
	}
	if err != nil || m.window < 0 || m.window > maxRankWindows || m.pos < 0 || m.pos > rankWindow {
		return matchCursor{}, invalid("cursor", "is not a cursor this server gave out")
	}
	return m, nil
}

// rankedPage walks windows from the cursor until the page is full or the hits end.
func rankedPage[T any](cur matchCursor, limit int, window func(i int) ([]T, bool, error)) ([]T, *string, error) {
	out := []T{}
	for {
		ranked, more, err := window(cur.window)
		if err != nil {
			return nil, nil, err
		}
		if cur.pos < len(ranked) {
			n := min(limit-len(out), len(ranked)-cur.pos)
			out = append(out, ranked[cur.pos:cur.pos+n]...)
			cur.pos += n
		}
		if len(out) == limit && (cur.pos < len(ranked) || more) {
			if cur.pos >= len(ranked) {
				cur = matchCursor{window: cur.window + 1}
			}
			next := cur.encode()
			return out, &next, nil
		}
		if !more {
			return out, nil, nil
		}
		cur = matchCursor{window: cur.window + 1}
	}
}

// matchEligibility tells why a match is legal. Employers learn whether the document was
// checked against the original, never which document it is.
type matchEligibility struct {
	Basis         string      `json:"basis"`
	BasisVerified bool        `json:"basis_verified"`
	ValidUntil    models.Date `json:"valid_until"`
}

type candidateMatch struct {
	Candidate   any                `json:"candidate"`
	Score       float64            `json:"score"`
	Breakdown   map[string]float64 `json:"breakdown"`
	Eligibility matchEligibility   `json:"eligibility"`
}

type vacancyMatch struct {
	Vacancy     models.Vacancy     `json:"vacancy"`
	Score       float64            `json:"score"`
	Breakdown   map[string]float64 `json:"breakdown"`
	Eligibility matchEligibility   `json:"eligibility"`
}

func eligibilityOf(d matching.Decision, employer bool) matchEligibility {
	e := matchEligibility{ValidUntil: d.ValidUntil}
	if d.Basis != nil {
		e.Basis, e.BasisVerified = string(d.Basis.DocumentType), d.Basis.Verified
		if employer {
			e.Basis = "immigration document allowing paid work"
		}
	}
	return e
}

// vacancyText is what a vacancy asks for, as text for the index.
func vacancyText(v models.Vacancy) string {
	parts := []string{v.Title}
	for _, sk := range v.Skills {
		parts = append(parts, sk.Name)
	}
	return strings.Join(parts, " ")
}

// candidateText is what a candidate offers, as text for the index.
func candidateText(c models.Candidate) string {
	var parts []string
	for _, sk := range c.Skills {
		parts = append(parts, sk.Name)
	}
	for _, e := range c.Experience {
		parts = append(parts, e.Title)
	}
	parts = append(parts, c.DesiredOccupations...)
	return strings.Join(parts, " ")
}

// Matcher is the service behind the match endpoints: the index narrows, the database
// supplies the records, the eligibility engine decides, and Vincula's rules rank. The
// handlers call it once per request; benchmarks call it directly.
type Matcher struct {
	store   *store.Store
	index   Index
	rules   *matching.Rules
	weights *matching.Weights
	vocab   *models.Vocabulary
}

// NewMatcher returns the matching service (nil rules and weights mean the embedded ones).
func NewMatcher(st *store.Store, ix Index, rules *matching.Rules, weights *matching.Weights) *Matcher {
	if rules == nil {
		rules = matching.DefaultRules()
	}
	if weights == nil {
		weights = matching.DefaultWeights()
	}
	return &Matcher{store: st, index: ix, rules: rules, weights: weights, vocab: models.DefaultVocabulary()}
}

// RankedCandidate is one candidate of a vacancy's ranked list.
type RankedCandidate struct {
	Candidate models.Candidate
	Match     matching.Match
	Decision  matching.Decision
}

// workDate is the day a vacancy's eligibility is judged: its start date, or today when
// that is past.
func workDate(v models.Vacancy, today models.Date) models.Date { return matching.WorkDate(&v, today) }

// CandidatesFor ranks the active, consenting candidates legally able to work at the
// vacancy's state on its start date (or today, when that is past), a page at a time.
// cursor is "" for the first page or a next cursor it returned.
//
// Its ranking windows are half of rankWindow: the index answers a vacancy's query
// from memory in a millisecond or two, and reading the window's profiles from the
// database is now most of a request (about 40 µs a profile on SQLite). The window is
// read in two halves at once, each filtered and scored on its own, because the
// database driver and Vincula's scoring keep one core busy each.
func (m *Matcher) CandidatesFor(ctx context.Context, v models.Vacancy, today models.Date, cursor string, limit int) ([]RankedCandidate, *string, error) {
	const window = rankWindow / 2
	cur, err := parseMatchCursor(cursor)
	if err != nil {
		return nil, nil, err
	}
	date := workDate(v, today)
	q := matching.VacancyQuery(&v, date)
	// rank reads the profiles of ids fresh from the database and keeps the eligible
	// ones, scored.
	rank := func(ids []string, text map[string]float64) ([]RankedCandidate, error) {
		cands, err := m.store.CandidatesByID(ctx, ids)
		if err != nil {
			return nil, err
		}
		scorer := matching.NewScorer(&v, m.weights, m.vocab)
		out := make([]RankedCandidate, 0, len(cands))
		for _, cand := range cands {
			if cand.Status != models.CandidateActive || !cand.Consent.ShareProfile {
				continue
			}
			d := matching.Eligibility(&cand, q, m.rules)
			if !d.Eligible {
				continue
			}
			out = append(out, RankedCandidate{Candidate: cand, Match: scorer.Score(&cand, text[cand.ID]), Decision: d})
		}
		return out, nil
	}
	return rankedPage(cur, limit, func(i int) ([]RankedCandidate, bool, error) {
		res, err := m.index.SearchCandidates(ctx, search.CandidateQuery{Text: vacancyText(v), Title: v.Title, WorkState: v.State, OnDate: date,
			EmployerID: v.EmployerID, Offset: i * window, Limit: window})
		if err != nil {
			return nil, false, err
		}
		more := uint64((i+1)*window) < res.Total
		text := normalisedText(res.Hits)
		out, err := inHalves(hitIDs(res.Hits), func(ids []string) ([]RankedCandidate, error) { return rank(ids, text) })
		if err != nil {
			return nil, false, err
		}
		sort.SliceStable(out, func(a, b int) bool {
			if out[a].Match.Score != out[b].Match.Score {
				return out[a].Match.Score > out[b].Match.Score
			}
			return out[a].Candidate.ID < out[b].Candidate.ID
		})
		return out, more, nil
	})
}

// inHalves calls fn on the two halves of ids at once and joins the results, first half
// first. Reading a window's profiles from the database and checking them keeps one core
// busy; two halves keep two.
func inHalves[T any](ids []string, fn func(ids []string) ([]T, error)) ([]T, error) {
	half := (len(ids) + 1) / 2
	var second []T
	var secondErr error
	var wg sync.WaitGroup
	wg.Go(func() { second, secondErr = fn(ids[half:]) })
	out, err := fn(ids[:half])
	wg.Wait()
	if err == nil {
		err = secondErr
	}
	if err != nil {
		return nil, err
	}
	return append(out, second...), nil
}

func (s *Server) vacancyMatches(c *gin.Context) {
	ctx := c.Request.Context()
	v, err := s.store.Vacancy(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	u := userOf(c)
	if u.Role == models.RoleEmployer && v.EmployerID != u.EmployerID {
		s.writeError(c, models.Errorf(models.ErrForbidden, "an employer sees matches for its own vacancies only"))
		return
	}
	limit, err := limitOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ranked, next, err := s.matcher.CandidatesFor(ctx, v, s.today(), c.Query("cursor"), limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	employer := u.Role == models.RoleEmployer
	items := make([]candidateMatch, len(ranked))
	for i, r := range ranked {
		items[i] = candidateMatch{Candidate: s.viewFor(u, r.Candidate), Score: r.Match.Score, Breakdown: r.Match.Breakdown,
			Eligibility: eligibilityOf(r.Decision, employer)}
	}
	if employer && !s.auditListing(c, items, "matches for vacancy "+v.ID) {
		return
	}
	s.respond(c, http.StatusOK, listResponse[candidateMatch]{Items: items, NextCursor: next})
}

func (s *Server) candidateMatches(c *gin.Context) {
	ctx := c.Request.Context()
	cand, err := s.store.Candidate(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respondVacancyMatches(c, cand)
}

// respondVacancyMatches ranks the open vacancies where the candidate may legally work.
func (s *Server) respondVacancyMatches(c *gin.Context, cand models.Candidate) {
	ctx := c.Request.Context()
	cur, limit, err := matchCursorOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	span := matching.WorkSpan(&cand, s.rules)
	var states []string
	if !span.AllStates {
		states = span.States
		if len(states) == 0 {
			// No document allows work anywhere: nothing can match.
			s.respond(c, http.StatusOK, listResponse[vacancyMatch]{Items: []vacancyMatch{}})
			return
		}
	}
	items, next, err := rankedPage(cur, limit, func(i int) ([]vacancyMatch, bool, error) {
		res, err := s.index.SearchVacancies(ctx, search.VacancyQuery{Text: candidateText(cand), States: states, OnlyOpen: true,
			Offset: i * rankWindow, Limit: rankWindow})
		if err != nil {
			return nil, false, err
		}
		more := uint64((i+1)*rankWindow) < res.Total
		text := normalisedText(res.Hits)
		vacs, err := s.store.VacanciesByID(ctx, hitIDs(res.Hits))
		if err != nil {
			return nil, false, err
		}
		var out []vacancyMatch
		for _, v := range vacs {
			if v.Status != models.VacancyOpen {
				continue
			}
			d := matching.Eligibility(&cand, matching.VacancyQuery(&v, workDate(v, s.today())), s.rules)
			if !d.Eligible {
				continue
			}
			m := matching.Score(&v, &cand, text[v.ID], s.weights, s.vocab)
			out = append(out, vacancyMatch{Vacancy: v, Score: m.Score, Breakdown: m.Breakdown, Eligibility: eligibilityOf(d, false)})
		}
		sort.SliceStable(out, func(a, b int) bool {
			if out[a].Score != out[b].Score {
				return out[a].Score > out[b].Score
			}
			return out[a].Vacancy.ID < out[b].Vacancy.ID
		})
		return out, more, nil
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, listResponse[vacancyMatch]{Items: nonNilItems(items), NextCursor: next})
}

// searchCandidates answers GET /candidates/search: free text and filters over the
// people legally able to work at state on date. Employers must name the state and get
// the minimised view; each profile listed to an employer is audited.
func (s *Server) searchCandidates(c *gin.Context) {
	ctx := c.Request.Context()
	u := userOf(c)
	employer := u.Role == models.RoleEmployer
	var fe models.FieldErrors
	state, text := c.Query("state"), queryTextOf(c, &fe)
	switch {
	case state == "" && employer:
		fe.Add("state", "is required for employers: only people who may legally work in that state are shown")
	case state != "" && !models.ValidState(state):
		fe.Add("state", "%q is not an ISO 3166-2:MX state code (such as MX-NLE)", state)
	}
	date := s.today()
	if raw := c.Query("date"); raw != "" {
		d, err := models.ParseDate(raw)
		if err != nil {
			fe.Add("date", "%s", err.Error())
		}
		date = d
	}
	var minYears float64
	if raw := c.Query("min_experience_years"); raw != "" {
		y, err := strconv.ParseFloat(raw, 64)
		if err != nil || y < 0 {
			fe.Add("min_experience_years", "must be a number of years, 0 or more")
		}
		minYears = y
	}
	skills := splitList(c.Query("skills"))
	languages := splitList(strings.ToLower(c.Query("languages")))
	for _, l := range languages {
		if !models.ValidLanguageCode(l) {
			fe.Add("languages", "%q is not an ISO 639 language code", l)
		}
	}
	cur, limit, err := matchCursorOf(c)
	if e, ok := models.AsError(err); ok {
		fe = append(fe, e.Fields...) // the limit or the cursor, whichever is wrong
	}
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	if len(skills) > 0 {
		text = strings.TrimSpace(text + " " + strings.Join(skills, " "))
	}
	type hit struct {
		view  any
		id    string
		score float64
		elig  matchEligibility
	}
	items, next, err := rankedPage(cur, limit, func(i int) ([]hit, bool, error) {
		res, err := s.index.SearchCandidates(ctx, search.CandidateQuery{Text: text, WorkState: state, OnDate: date,
			Languages: languages, Offset: i * rankWindow, Limit: rankWindow})
		if err != nil {
			return nil, false, err
		}
		more := uint64((i+1)*rankWindow) < res.Total
		score := normalisedText(res.Hits)
		out, err := inHalves(hitIDs(res.Hits), func(ids []string) ([]hit, error) {
			cands, err := s.store.CandidatesByID(ctx, ids)
			if err != nil {
				return nil, err
			}
			var out []hit
			for _, cand := range cands {
				if cand.Status != models.CandidateActive || !cand.Consent.ShareProfile || cand.TotalExperienceYears() < minYears ||
					!speaksAll(cand, languages) {
					continue
				}
				var elig matchEligibility
				if state != "" {
					d := matching.Eligibility(&cand, matching.Query{State: state, Date: date}, s.rules)
					if !d.Eligible {
						continue
					}
					elig = eligibilityOf(d, employer)
				} else if sum := matching.Summarize(&cand, date, s.rules); !sum.EligibleSomewhere {
					continue
				} else {
					elig = matchEligibility{Basis: "see the eligibility endpoint", BasisVerified: sum.BasisVerified, ValidUntil: sum.ValidUntil}
				}
				out = append(out, hit{view: s.viewFor(u, cand), id: cand.ID, score: score[cand.ID], elig: elig})
			}
			return out, nil
		})
		if err != nil {
			return nil, false, err
		}
		sort.SliceStable(out, func(a, b int) bool {
			if out[a].score != out[b].score {
				return out[a].score > out[b].score
			}
			return out[a].id < out[b].id
		})
		return out, more, nil
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	result := make([]candidateMatch, len(items))
	for i, h := range items {
		result[i] = candidateMatch{Candidate: h.view, Score: h.score, Breakdown: map[string]float64{"text": h.score}, Eligibility: h.elig}
	}
	if employer && !s.auditListing(c, result, "candidate search in "+state) {
		return
	}
	s.respond(c, http.StatusOK, listResponse[candidateMatch]{Items: result, NextCursor: next})
}

func speaksAll(c models.Candidate, codes []string) bool {
	for _, code := range codes {
		if !slices.ContainsFunc(c.Languages, func(l models.LanguageSkill) bool {
			return models.CanonicalLanguageCode(l.Code) == models.CanonicalLanguageCode(code)
		}) {
			return false
		}
	}
	return true
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// viewFor is the profile as the user may see it.
func (s *Server) viewFor(u models.User, c models.Candidate) any {
	if u.Role == models.RoleEmployer {
		return employerView(c)
	}
	return s.staffView(c)
}

func candidateID(view any) string {
	switch v := view.(type) {
	case employerCandidateView:
		return v.ID
	case candidateView:
		return v.ID
	}
	return ""
}

// auditListing records that an employer was shown each listed profile.
func (s *Server) auditListing(c *gin.Context, items []candidateMatch, detail string) bool {
	if len(items) == 0 {
		return true
	}
	u := userOf(c)
	events := make([]models.AuditEvent, len(items))
	for i, it := range items {
		events[i] = models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: models.AuditCandidateMatched,
			SubjectType: "candidate", SubjectID: candidateID(it.Candidate), Detail: detail}
	}
	if err := s.store.RecordAudit(c.Request.Context(), events...); err != nil {
		s.writeError(c, err)
		return false
	}
	return true
}

// normalisedText scales bleve scores to 0..1: a hit at least a quarter as relevant as
// the best of its window counts as fully relevant, weaker ones in proportion. A
// vacancy's matches already share a concept with it (or hold its title's words), and
// raw BM25 rewards the vacancy's exact wording: a profile written in French, English
// or Haitian Creole, which reaches the vacancy through the vocabulary, would otherwise
// lose to the same trade written in the vacancy's Spanish. The skills and occupation
// parts judge what the words mean; the text part only tells a weak match (a related
// concept alone) from a real one.
func normalisedText(hits []search.Hit) map[string]float64 {
	best := 0.0
	for _, h := range hits {
		best = max(best, h.Score)
	}
	out := make(map[string]float64, len(hits))
	for _, h := range hits {
		if best > 0 {
			out[h.ID] = min(1, 4*h.Score/best)
		}
	}
	return out
}

func hitIDs(hits []search.Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

func nonNilItems[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}
