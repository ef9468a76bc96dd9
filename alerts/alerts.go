// Package alerts holds the saved candidate searches of employers and counsellors and
// the sweep that announces new people: each saved search's alert (a search.alert webhook
// event for an employer, a notice for a counsellor) at most once a day, and each open
// vacancy's candidates.qualified event, only for people not announced before. The
// sweep takes the time it runs at, so tests move a clock instead of waiting.
package alerts

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/ranking"
	"github.com/vincula/vincula/store"
)

// AlertInterval is the least time between two alerts of one saved search.
const AlertInterval = 24 * time.Hour

// maxFound is how many people of one search or vacancy a sweep step considers; a list
// longer than that announces its best maxFound, and the rest as they rise into them.
const maxFound = 1000

// Service runs the saved-search use cases.
type Service struct {
	store *store.Store
	rank  *ranking.Service
	loc   *time.Location
}

// New returns the service over the ranking service that answers candidate searches;
// loc is where a day begins (Mexico City).
func New(st *store.Store, rank *ranking.Service, loc *time.Location) *Service {
	return &Service{store: st, rank: rank, loc: loc}
}

// Input is a saved search as a user writes it.
type Input struct {
	Name   string
	Query  models.SearchQuery
	Shared bool
}

func mayKeep(u models.User) error {
	switch u.Role {
	case models.RoleEmployer, models.RoleCounsellor:
		return nil
	}
	return models.Errorf(models.ErrForbidden, "only employers and counsellors keep saved searches")
}

func checkName(fe *models.FieldErrors, name string) string {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 120 {
		fe.Add("name", "is required, at most 120 characters")
	}
	return name
}

func checkQuery(u models.User, q *models.SearchQuery, fe *models.FieldErrors) {
	q.Q = strings.TrimSpace(q.Q)
	q.State = strings.TrimSpace(q.State)
	switch {
	case q.State == "" && u.Role == models.RoleEmployer:
		fe.Add("query.state", "is required for employers: only people who may legally work in that state are shown")
	case q.State != "" && !models.ValidState(q.State):
		fe.Add("query.state", "%q is not an ISO 3166-2:MX state code (such as MX-NLE)", q.State)
	}
	for i, l := range q.Languages {
		q.Languages[i] = strings.ToLower(strings.TrimSpace(l))
		if !models.ValidLanguageCode(q.Languages[i]) {
			fe.Add("query.languages", "%q is not an ISO 639 language code", l)
		}
	}
	if q.MinExperienceYears < 0 {
		fe.Add("query.min_experience_years", "must be a number of years, 0 or more")
	}
	if len(q.Q) > 500 || len(q.Skills) > 50 {
		fe.Add("query", "is too long (q at most 500 characters, at most 50 skills)")
	}
}

// Save keeps a new search for u. The people it finds now are its baseline: only
// people who qualify later alert.
func (s *Service) Save(ctx context.Context, u models.User, in Input, now time.Time) (models.SavedSearch, error) {
	if err := mayKeep(u); err != nil {
		return models.SavedSearch{}, err
	}
	var fe models.FieldErrors
	ss := models.SavedSearch{OwnerID: u.ID, OwnerRole: u.Role, EmployerID: u.EmployerID, OfficeID: u.OfficeID,
		Name: checkName(&fe, in.Name), Query: in.Query, Shared: in.Shared}
	checkQuery(u, &ss.Query, &fe)
	if err := fe.Err(); err != nil {
		return models.SavedSearch{}, err
	}
	found, err := s.run(ctx, ss.Query, now)
	if err != nil {
		return models.SavedSearch{}, err
	}
	if err := s.store.CreateSavedSearch(ctx, &ss, found); err != nil {
		return models.SavedSearch{}, err
	}
	return ss, nil
}

// mayRead says whether u sees ss: the owner, admins, and the owner's office when shared.
func mayRead(u models.User, ss models.SavedSearch) bool {
	switch {
	case u.Role == models.RoleAdmin || ss.OwnerID == u.ID:
		return true
	case !ss.Shared:
		return false
	case u.Role == models.RoleEmployer:
		return ss.EmployerID != "" && ss.EmployerID == u.EmployerID
	case u.Role == models.RoleCounsellor:
		return ss.OfficeID != "" && ss.OfficeID == u.OfficeID
	}
	return false
}

// Get returns a saved search u may see; others are not found.
func (s *Service) Get(ctx context.Context, u models.User, id string) (models.SavedSearch, error) {
	ss, err := s.store.SavedSearch(ctx, id)
	if err == nil && !mayRead(u, ss) {
		err = models.Errorf(models.ErrNotFound, "saved search %s not found", id)
	}
	return ss, err
}

// List returns u's saved searches and those shared with u's office (all for admins).
func (s *Service) List(ctx context.Context, u models.User, p store.Page) ([]models.SavedSearch, bool, error) {
	f := store.SavedSearchFilter{OwnerID: u.ID, Page: p, All: u.Role == models.RoleAdmin}
	switch u.Role {
	case models.RoleEmployer:
		f.EmployerID = u.EmployerID
	case models.RoleCounsellor:
		f.OfficeID = u.OfficeID
	case models.RoleAdmin:
	default:
		return nil, false, mayKeep(u)
	}
	return s.store.ListSavedSearches(ctx, f)
}

// owned returns a saved search u may change: the owner's (or any, for admins). Those
// shared with u may be read, not changed.
func (s *Service) owned(ctx context.Context, u models.User, id string) (models.SavedSearch, error) {
	ss, err := s.Get(ctx, u, id)
	if err != nil {
		return ss, err
	}
	if ss.OwnerID != u.ID && u.Role != models.RoleAdmin {
		return ss, models.Errorf(models.ErrForbidden, "only the owner renames, shares or deletes a saved search")
	}
	return ss, nil
}

// Update renames a saved search or shares it with the owner's office (or stops
// sharing it); nil leaves a field as it is.
func (s *Service) Update(ctx context.Context, u models.User, id string, name *string, shared *bool) (models.SavedSearch, error) {
	if _, err := s.owned(ctx, u, id); err != nil {
		return models.SavedSearch{}, err
	}
	var fe models.FieldErrors
	if name != nil {
		n := checkName(&fe, *name)
		name = &n
	}
	if err := fe.Err(); err != nil {
		return models.SavedSearch{}, err
	}
	return s.store.UpdateSavedSearch(ctx, id, name, shared)
}

// Delete removes a saved search; it alerts no more.
func (s *Service) Delete(ctx context.Context, u models.User, id string) error {
	if _, err := s.owned(ctx, u, id); err != nil {
		return err
	}
	return s.store.DeleteSavedSearch(ctx, id)
}

// Notices returns u's notices (the counsellors' saved-search alerts), oldest first.
func (s *Service) Notices(ctx context.Context, u models.User, p store.Page) ([]models.Notice, bool, error) {
	return s.store.Notices(ctx, u.ID, p)
}

// run returns the IDs of the people the search finds on now's day, best first.
func (s *Service) run(ctx context.Context, q models.SearchQuery, now time.Time) ([]string, error) {
	text := q.Q
	if len(q.Skills) > 0 {
		text = strings.TrimSpace(text + " " + strings.Join(q.Skills, " "))
	}
	search := ranking.Search{Text: text, State: q.State, Date: models.DateOf(now.In(s.loc)),
		MinExperienceYears: q.MinExperienceYears, Languages: q.Languages}
	var ids []string
	cursor := ""
	for len(ids) < maxFound {
		page, err := s.rank.SearchCandidates(ctx, search, cursor, 100)
		if err != nil {
			return nil, err
		}
		for _, f := range page.Items {
			ids = append(ids, f.Candidate.ID)
		}
		if page.Next == nil {
			break
		}
		cursor = *page.Next
	}
	return ids, nil
}

// Report says what one sweep announced.
type Report struct {
	// SearchAlerts and Qualified count the alerts and candidates.qualified events sent;
	// People how many people they named in all.
	SearchAlerts, Qualified, People int
}

// Sweep announces, as of now, the people each saved search (at most once per
// AlertInterval) and each open vacancy of an employer subscribed to
// candidates.qualified finds and has not announced before. Several servers may sweep
// one database: each person is announced once per search or vacancy.
func (s *Service) Sweep(ctx context.Context, now time.Time) (Report, error) {
	var rep Report
	after := ""
	for {
		page, more, err := s.store.ListSavedSearches(ctx, store.SavedSearchFilter{All: true, Page: store.Page{After: after, Limit: 100}})
		if err != nil {
			return rep, err
		}
		for _, ss := range page {
			if ss.LastAlertAt != nil && now.Sub(*ss.LastAlertAt) < AlertInterval {
				continue
			}
			n, err := s.alertSearch(ctx, ss, now)
			if err != nil {
				return rep, fmt.Errorf("saved search %s: %w", ss.ID, err)
			}
			if n > 0 {
				rep.SearchAlerts++
				rep.People += n
			}
		}
		if !more {
			break
		}
		after = page[len(page)-1].ID
	}
	employers, err := s.store.EmployersSubscribedTo(ctx, models.EventCandidatesQualified)
	if err != nil {
		return rep, err
	}
	for _, emp := range employers {
		n, people, err := s.qualifyFor(ctx, emp, now)
		if err != nil {
			return rep, fmt.Errorf("candidates.qualified for employer %s: %w", emp, err)
		}
		rep.Qualified += n
		rep.People += people
	}
	return rep, nil
}

func (s *Service) alertSearch(ctx context.Context, ss models.SavedSearch, now time.Time) (int, error) {
	found, err := s.run(ctx, ss.Query, now)
	if err != nil {
		return 0, err
	}
	fresh, err := s.store.Unannounced(ctx, store.SearchSource(ss.ID), found)
	if err != nil || len(fresh) == 0 {
		return 0, err
	}
	a := store.Alert{Source: store.SearchSource(ss.ID), Candidates: fresh, SearchID: ss.ID, MinInterval: AlertInterval}
	if ss.OwnerRole == models.RoleEmployer {
		a.EmployerID, a.Event = ss.EmployerID, models.EventSearchAlert
		a.Data = func(ids []string) any {
			return models.SearchAlertData{SearchID: ss.ID, Name: ss.Name, CandidateIDs: ids, Count: len(ids)}
		}
		a.Audit = listedTo(ss.EmployerID, "saved search "+ss.ID+" alert")
	} else {
		a.NoticeTo, a.Kind = ss.OwnerID, models.NoticeSearchAlert
		a.Message = func(n int) string {
			if n == 1 {
				return fmt.Sprintf("«%s»: 1 new person matches", ss.Name)
			}
			return fmt.Sprintf("«%s»: %d new people match", ss.Name, n)
		}
	}
	sent, err := s.store.RecordAlert(ctx, a)
	return len(sent), err
}

// listedTo audits, for each person whose ID an employer is sent, that the employer was
// shown the person, as a listing of matches is audited.
func listedTo(employerID, detail string) func(string) models.AuditEvent {
	return func(id string) models.AuditEvent {
		return models.AuditEvent{ActorID: "employer:" + employerID, ActorRole: models.RoleEmployer,
			Action: models.AuditCandidateMatched, SubjectType: "candidate", SubjectID: id, Detail: detail}
	}
}

// qualifyFor sends candidates.qualified for each open vacancy of the employer with
// people on its list of matches not announced before.
func (s *Service) qualifyFor(ctx context.Context, employerID string, now time.Time) (events, people int, err error) {
	today := models.DateOf(now.In(s.loc))
	after := ""
	for {
		vs, more, err := s.store.ListVacancies(ctx, store.VacancyFilter{EmployerID: employerID, Status: string(models.VacancyOpen),
			Page: store.Page{After: after, Limit: 100}})
		if err != nil {
			return events, people, err
		}
		for i := range vs {
			v := vs[i]
			if !v.Offered(today) {
				continue // ended: nobody is matched to it
			}
			var ids []string
			cursor := ""
			for len(ids) < maxFound {
				page, err := s.rank.CandidatesFor(ctx, &v, today, cursor, 100)
				if err != nil {
					return events, people, err
				}
				for _, c := range page.Items {
					ids = append(ids, c.Candidate.ID)
				}
				if page.Next == nil {
					break
				}
				cursor = *page.Next
			}
			fresh, err := s.store.Unannounced(ctx, store.VacancySource(v.ID), ids)
			if err != nil {
				return events, people, err
			}
			for len(fresh) > 0 {
				chunk := fresh[:min(100, len(fresh))]
				fresh = fresh[len(chunk):]
				sent, err := s.store.RecordAlert(ctx, store.Alert{Source: store.VacancySource(v.ID), Candidates: slices.Clone(chunk),
					EmployerID: employerID, Event: models.EventCandidatesQualified,
					Data: func(ids []string) any {
						return models.CandidatesQualifiedData{VacancyID: v.ID, CandidateIDs: ids, Count: len(ids)}
					},
					Audit: listedTo(employerID, "candidates.qualified for vacancy "+v.ID)})
				if err != nil {
					return events, people, err
				}
				if len(sent) > 0 {
					events++
					people += len(sent)
				}
			}
		}
		if !more {
			return events, people, nil
		}
		after = vs[len(vs)-1].ID
	}
}
