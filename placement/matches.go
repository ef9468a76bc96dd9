package placement

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/ranking"
	"github.com/vincula/vincula/store"
)

// Ranker is what the matches use case needs of the ranking service
// (ranking.Service implements it): the one ranked list of a vacancy's candidates that
// the API's GET /vacancies/{id}/matches also pages through.
type Ranker interface {
	CandidatesFor(ctx context.Context, v *models.Vacancy, today models.Date, cursor string, limit int) (ranking.Page[ranking.Candidate], error)
}

// Matches is the use case of a vacancy's ranked candidates, for the people who refer
// them: counsellors, admins and the vacancy's own employer.
type Matches struct {
	place *Service
	rank  Ranker
}

// NewMatches returns the matches use case over the referral use cases (for the
// clock, the store and the audit) and the ranking service.
func NewMatches(place *Service, rank Ranker) *Matches { return &Matches{place: place, rank: rank} }

// Part is one part of a score's breakdown, in the order the weights file lists them.
type Part struct {
	Name  string
	Value float64
}

// Match is one ranked candidate as its reader may see them. Staff get the person;
// the vacancy's employer gets the minimised view of DESIGN.md ("Privacy"): a
// shortened name, the skills and languages, no document, nationality or contact.
type Match struct {
	CandidateID string
	// Name is the full name for staff, the first given name and an initial for the
	// employer.
	Name      string
	State     string
	Skills    []models.CandidateSkill
	Languages []models.LanguageSkill
	Score     float64
	Parts     []Part
	// Basis is the document the eligibility rests on, for staff only ("" for the
	// employer, who learns only whether it was checked against the original).
	Basis         models.DocumentType
	BasisVerified bool
	ValidUntil    models.Date
	// Referral is the person's open referral to the vacancy, if any: another is
	// refused while it is open.
	Referral string
}

// MatchPage is a page of a vacancy's ranked list.
type MatchPage struct {
	Vacancy     models.Vacancy
	Items       []Match
	Next        string
	Total       int
	ForEmployer bool
	// Ended says the vacancy's end date has passed: nobody is matched to it.
	Ended bool
	// MayRefer says the reader may ask for referrals to it.
	MayRefer bool
}

// partOrder is the order of a breakdown's parts (matching's weights file).
var partOrder = []string{"text", "skills", "occupation", "experience", "languages", "location", "availability"}

// For ranks the candidates legally able to work at the vacancy's state on its start
// date, a page at a time (cursor "" for the first, or a Next it returned). Only
// counsellors, admins and the vacancy's employer may see them; each profile listed
// to an employer is audited, as the API does.
func (m *Matches) For(ctx context.Context, u models.User, vacancyID, cursor string, limit int) (MatchPage, error) {
	if !slices.Contains([]models.Role{models.RoleCounsellor, models.RoleAdmin, models.RoleEmployer}, u.Role) {
		return MatchPage{}, models.Errorf(models.ErrForbidden, "the %s role may not see a vacancy's matches", u.Role)
	}
	v, err := m.place.store.Vacancy(ctx, vacancyID)
	if err != nil {
		return MatchPage{}, err
	}
	employer := u.Role == models.RoleEmployer
	if employer && v.EmployerID != u.EmployerID {
		return MatchPage{}, models.Errorf(models.ErrForbidden, "an employer sees matches for its own vacancies only")
	}
	today := m.place.Today()
	p := MatchPage{Vacancy: v, ForEmployer: employer, Items: []Match{}}
	if !v.EndDate.IsZero() && v.EndDate.Before(today) {
		p.Ended = true
		return p, nil
	}
	p.MayRefer = v.Status == models.VacancyOpen
	if err := ranking.CheckCursor(cursor); err != nil {
		return MatchPage{}, err
	}
	page, err := m.rank.CandidatesFor(ctx, &v, today, cursor, limit)
	if err != nil {
		return MatchPage{}, err
	}
	p.Total = page.Total
	if page.Next != nil {
		p.Next = *page.Next
	}
	open, err := m.openReferrals(ctx, v.ID)
	if err != nil {
		return MatchPage{}, err
	}
	events := make([]models.AuditEvent, 0, len(page.Items))
	for _, r := range page.Items {
		it := matchOf(r, employer)
		it.Referral = open[it.CandidateID]
		p.Items = append(p.Items, it)
		events = append(events, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: models.AuditCandidateMatched,
			SubjectType: "candidate", SubjectID: r.Candidate.ID, Detail: "matches for vacancy " + v.ID})
	}
	if employer && len(events) > 0 {
		if err := m.place.store.RecordAudit(ctx, events...); err != nil {
			return MatchPage{}, err
		}
	}
	return p, nil
}

// openReferrals maps each person with an open referral to the vacancy to it.
func (m *Matches) openReferrals(ctx context.Context, vacancyID string) (map[string]string, error) {
	open := map[string]string{}
	after := ""
	for {
		refs, more, err := m.place.store.ListReferrals(ctx, store.ReferralFilter{VacancyID: vacancyID, Page: store.Page{After: after, Limit: 500}})
		if err != nil {
			return nil, err
		}
		for _, r := range refs {
			if r.Status.Open() {
				open[r.CandidateID] = r.ID
			}
		}
		if !more || len(refs) == 0 {
			return open, nil
		}
		after = refs[len(refs)-1].ID
	}
}

func matchOf(r ranking.Candidate, employer bool) Match {
	c := r.Candidate
	m := Match{CandidateID: c.ID, Name: c.FullName, State: c.CurrentState, Skills: c.Skills, Languages: c.Languages,
		Score: r.Match.Score, ValidUntil: r.Decision.ValidUntil}
	for _, name := range partOrder {
		if v, ok := r.Match.Breakdown[name]; ok {
			m.Parts = append(m.Parts, Part{Name: name, Value: v})
		}
	}
	if r.Decision.Basis != nil {
		m.BasisVerified = r.Decision.Basis.Verified
		if !employer {
			m.Basis = r.Decision.Basis.DocumentType
		}
	}
	if employer {
		m.Name = DisplayName(c.FullName)
	}
	return m
}

// DisplayName keeps the first word of a name and the initial of the last, as the
// employer's minimised view does: "María José Pérez López" becomes "María L.".
func DisplayName(full string) string {
	words := strings.Fields(full)
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	r, _ := utf8.DecodeRuneInString(words[len(words)-1])
	return words[0] + " " + string(r) + "."
}

// Refer asks for a referral of a listed candidate to the vacancy, through Create and
// its rules (who may refer, an open vacancy, an eligible, consenting person).
func (m *Matches) Refer(ctx context.Context, u models.User, vacancyID, candidateID, note string) (Referral, error) {
	return m.place.Create(ctx, u, candidateID, vacancyID, note)
}

// compile-time check that the ranking service is a Ranker.
var _ Ranker = (*ranking.Service)(nil)

// Vacancies lists a page of open vacancies whose matches the reader may open: every
// open vacancy (in state, when given) for counsellors and admins, the employer's own
// for an employer.
func (m *Matches) Vacancies(ctx context.Context, u models.User, state, after string, limit int) ([]models.Vacancy, bool, error) {
	f := store.VacancyFilter{State: state, Status: string(models.VacancyOpen), Page: store.Page{After: after, Limit: limit}}
	switch u.Role {
	case models.RoleCounsellor, models.RoleAdmin:
	case models.RoleEmployer:
		f.EmployerID = u.EmployerID
	default:
		return nil, false, models.Errorf(models.ErrForbidden, "the %s role may not see vacancies' matches", u.Role)
	}
	return m.place.store.ListVacancies(ctx, f)
}
