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

// Ranked is a page of a vacancy's ranked list as the ranking service gives it, once
// the use case has checked who asks and audited what an employer was shown: for
// callers that draw the people themselves (the JSON API).
type Ranked struct {
	Vacancy models.Vacancy
	// Ended says the vacancy's end date has passed: nobody is matched to it, and Page
	// is empty.
	Ended bool
	Page  ranking.Page[ranking.Candidate]
}

// Ranked ranks the candidates legally able to work at the vacancy's state on its
// start date (or today, when that is past), a page at a time (cursor "" for the first,
// or a Page.Next it returned). Only counsellors, admins and the vacancy's employer may
// see them; each profile listed to an employer is audited.
func (m *Matches) Ranked(ctx context.Context, u models.User, vacancyID, cursor string, limit int) (Ranked, error) {
	if !slices.Contains([]models.Role{models.RoleCounsellor, models.RoleAdmin, models.RoleEmployer}, u.Role) {
		return Ranked{}, models.Errorf(models.ErrForbidden, "the %s role may not see a vacancy's matches", u.Role)
	}
	v, err := m.place.store.Vacancy(ctx, vacancyID)
	if err != nil {
		return Ranked{}, err
	}
	if u.Role == models.RoleEmployer && v.EmployerID != u.EmployerID {
		return Ranked{}, models.Errorf(models.ErrForbidden, "an employer sees matches for its own vacancies only")
	}
	today := m.place.Today()
	if !v.EndDate.IsZero() && v.EndDate.Before(today) {
		return Ranked{Vacancy: v, Ended: true}, nil
	}
	page, err := m.rank.CandidatesFor(ctx, &v, today, cursor, limit)
	if err != nil {
		return Ranked{}, err
	}
	if u.Role == models.RoleEmployer && len(page.Items) > 0 {
		events := make([]models.AuditEvent, len(page.Items))
		for i, r := range page.Items {
			events[i] = models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: models.AuditCandidateMatched,
				SubjectType: "candidate", SubjectID: r.Candidate.ID, Detail: "matches for vacancy " + v.ID}
		}
		if err := m.place.store.RecordAudit(ctx, events...); err != nil {
			return Ranked{}, err
		}
	}
	return Ranked{Vacancy: v, Page: page}, nil
}

// For is Ranked drawn for the console: each person as the reader may see them, with
// the score's parts in order and whether they already have an open referral to the
// vacancy.
func (m *Matches) For(ctx context.Context, u models.User, vacancyID, cursor string, limit int) (MatchPage, error) {
	if err := ranking.CheckCursor(cursor); err != nil {
		return MatchPage{}, err
	}
	r, err := m.Ranked(ctx, u, vacancyID, cursor, limit)
	if err != nil {
		return MatchPage{}, err
	}
	employer := u.Role == models.RoleEmployer
	p := MatchPage{Vacancy: r.Vacancy, ForEmployer: employer, Items: []Match{}, Ended: r.Ended,
		MayRefer: !r.Ended && r.Vacancy.Status == models.VacancyOpen, Total: r.Page.Total}
	if r.Ended {
		return p, nil
	}
	if r.Page.Next != nil {
		p.Next = *r.Page.Next
	}
	open, err := m.openReferrals(ctx, r.Vacancy.ID)
	if err != nil {
		return MatchPage{}, err
	}
	for _, c := range r.Page.Items {
		it := matchOf(c, employer)
		it.Referral = open[it.CandidateID]
		p.Items = append(p.Items, it)
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
