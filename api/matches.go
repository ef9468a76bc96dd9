package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/ranking"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
)

// Index is what the API needs of the search index: which records match a text and how
// relevant each is (search.Index implements it); the ranking service decides and ranks.
type Index interface {
	SearchCandidates(ctx context.Context, q search.CandidateQuery) (search.Result, error)
	SearchVacancies(ctx context.Context, q search.VacancyQuery) (search.Result, error)
	AllCandidates(ctx context.Context, q search.CandidateQuery) (search.Result, error)
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
	HeldBack    bool               `json:"held_back,omitempty"`
	Notes       []string           `json:"notes,omitempty"`
	Eligibility matchEligibility   `json:"eligibility"`
}

type vacancyMatch struct {
	Vacancy     models.Vacancy     `json:"vacancy"`
	Score       float64            `json:"score"`
	Breakdown   map[string]float64 `json:"breakdown"`
	HeldBack    bool               `json:"held_back,omitempty"`
	Notes       []string           `json:"notes,omitempty"`
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

// Matcher is the vacancy → candidates list as a service call, for benchmarks and
// tests: the ranking service's CandidatesFor in the API's terms.
type Matcher struct {
	svc *ranking.Service
}

// NewMatcher returns the matching service over its own ranking service (nil rules and
// weights mean the embedded ones).
func NewMatcher(st *store.Store, ix Index, rules *matching.Rules, weights *matching.Weights) *Matcher {
	return &Matcher{svc: ranking.New(st, ix, rules, weights)}
}

// RankedCandidate is one candidate of a vacancy's ranked list.
type RankedCandidate = ranking.Candidate

// CandidatesFor ranks the active, consenting candidates legally able to work at the
// vacancy's state on its start date (or today, when that is past), a page at a time.
// cursor is "" for the first page or a next cursor it returned.
func (m *Matcher) CandidatesFor(ctx context.Context, v models.Vacancy, today models.Date, cursor string, limit int) ([]RankedCandidate, *string, error) {
	p, err := m.svc.CandidatesFor(ctx, &v, today, cursor, limit)
	return p.Items, p.Next, err
}

// LoadRanking reads the ranking service's in-memory copy of the records now, instead
// of at the first ranked request.
func (s *Server) LoadRanking(ctx context.Context) error { return s.matcher.svc.Load(ctx) }

// Ranking is the ranking service behind the matcher.
func (m *Matcher) Ranking() *ranking.Service { return m.svc }

func (s *Server) vacancyMatches(c *gin.Context) {
	limit, err := limitOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	u := userOf(c)
	start := s.cfg.Now()
	r, err := s.matches.Ranked(c.Request.Context(), u, c.Param("id"), c.Query("cursor"), limit)
	s.metrics.timeRanking(opVacancyMatches, start, s.cfg.Now())
	if err != nil {
		s.writeError(c, err)
		return
	}
	if r.Ended {
		// Nobody is matched to a vacancy whose end date has passed.
		s.respond(c, http.StatusOK, listResponse[candidateMatch]{Items: []candidateMatch{}})
		return
	}
	employer := u.Role == models.RoleEmployer
	items := make([]candidateMatch, len(r.Page.Items))
	for i, m := range r.Page.Items {
		items[i] = candidateMatch{Candidate: s.viewFor(u, m.Candidate), Score: m.Match.Score, Breakdown: m.Match.Breakdown,
			HeldBack: m.Match.HeldBack, Notes: m.Match.Notes, Eligibility: eligibilityOf(m.Decision, employer)}
	}
	s.respond(c, http.StatusOK, listResponse[candidateMatch]{Items: items, NextCursor: r.Page.Next, Total: &r.Page.Total})
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
	limit, err := limitOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	start := s.cfg.Now()
	page, err := s.matcher.svc.VacanciesFor(c.Request.Context(), &cand, s.today(), c.Query("cursor"), limit)
	s.metrics.timeRanking(opCandidateMatches, start, s.cfg.Now())
	if err != nil {
		s.writeError(c, err)
		return
	}
	items := make([]vacancyMatch, len(page.Items))
	for i, r := range page.Items {
		items[i] = vacancyMatch{Vacancy: r.Vacancy, Score: r.Match.Score, Breakdown: r.Match.Breakdown, HeldBack: r.Match.HeldBack,
			Notes: r.Match.Notes, Eligibility: eligibilityOf(r.Decision, false)}
	}
	s.respond(c, http.StatusOK, listResponse[vacancyMatch]{Items: items, NextCursor: page.Next, Total: &page.Total})
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
	_, limit, err := matchCursorOf(c)
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
	start := s.cfg.Now()
	page, err := s.matcher.svc.SearchCandidates(ctx, ranking.Search{Text: text, State: state, Date: date, MinExperienceYears: minYears,
		Languages: languages}, c.Query("cursor"), limit)
	s.metrics.timeRanking(opCandidateSearch, start, s.cfg.Now())
	if err != nil {
		s.writeError(c, err)
		return
	}
	result := make([]candidateMatch, len(page.Items))
	for i, h := range page.Items {
		elig := eligibilityOf(h.Decision, employer)
		if state == "" {
			elig = matchEligibility{Basis: "see the eligibility endpoint", BasisVerified: h.Summary.BasisVerified, ValidUntil: h.Summary.ValidUntil}
		}
		result[i] = candidateMatch{Candidate: s.viewFor(u, h.Candidate), Score: h.Score, Breakdown: map[string]float64{"text": h.Score}, Eligibility: elig}
	}
	if employer && !s.auditListing(c, result, "candidate search in "+state) {
		return
	}
	s.respond(c, http.StatusOK, listResponse[candidateMatch]{Items: result, NextCursor: page.Next, Total: &page.Total})
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

func hitIDs(hits []search.Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// workDate is the day a vacancy's eligibility is judged (ranking.WorkDate).
func workDate(v models.Vacancy, today models.Date) models.Date { return ranking.WorkDate(&v, today) }

// matchCursorOf checks the limit and the cursor of a ranked list.
func matchCursorOf(c *gin.Context) (string, int, error) {
	limit, err := limitOf(c)
	if err != nil {
		return "", 0, err
	}
	cursor := c.Query("cursor")
	return cursor, limit, ranking.CheckCursor(cursor)
}

func nonNilItems[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}
