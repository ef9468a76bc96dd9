// Package placement holds the use cases of referring people to vacancies: creating a
// referral, listing a caseload or an office's queue, reading a referral with its
// history and moving it along its lifecycle. Each call takes the acting user and
// decides itself what that user may see and do, so the JSON API and the web console
// obey the same rules. It knows no HTTP.
package placement

import (
	"context"
	"slices"
	"time"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/referrals"
	"github.com/vincula/vincula/store"
)

// Service runs the referral use cases over a store.
type Service struct {
	store *store.Store
	rules *matching.Rules
	now   func() time.Time
	loc   *time.Location
}

// New returns the referral use cases; now is the one clock, loc where "today" is
// reckoned (Mexico City).
func New(st *store.Store, rules *matching.Rules, now func() time.Time, loc *time.Location) *Service {
	if rules == nil {
		rules = matching.DefaultRules()
	}
	if now == nil {
		now = st.Now()
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Service{store: st, rules: rules, now: now, loc: loc}
}

// Today is the calendar day where the service reckons dates.
func (s *Service) Today() models.Date { return models.DateOf(s.now().In(s.loc)) }

// Referral is a referral with what its reader may see of the person: staff see the
// contact details always; the vacancy's employer sees the minimised profile, and the
// contact details only once the referral has reached interviewing.
type Referral struct {
	models.Referral
	Vacancy models.Vacancy
	// Candidate is the person referred (nil when they could not be read, for
	// example after an erasure).
	Candidate *models.Candidate
	// ForEmployer says the reader is the vacancy's employer: show the minimised profile.
	ForEmployer bool
	// ContactVisible says the reader may see the person's name, phone and e-mail.
	ContactVisible bool
	// Moves are the states the reader may move the referral to from where it stands.
	Moves []models.ReferralStatus
}

// contactVisible lists the states from which the employer may contact the person.
var contactVisible = []models.ReferralStatus{models.ReferralInterviewing, models.ReferralHired, models.ReferralNotHired}

// Route is the store's Router: the policy of the referrals package over the store's
// consistent snapshot.
func Route(c *models.Candidate, snap store.RoutingSnapshot) (store.RouteDecision, error) {
	d, err := referrals.Route(referrals.RouteInput{Candidate: c, Offices: snap.Offices, Counsellors: snap.Counsellors})
	return store.RouteDecision{OfficeID: d.OfficeID, CounsellorID: d.CounsellorID, Reason: d.Reason}, err
}

// Create refers a candidate to a vacancy for u; an employer may ask only for its own
// vacancies. The referral is routed to an SNE counsellor.
func (s *Service) Create(ctx context.Context, u models.User, candidateID, vacancyID, note string) (Referral, error) {
	var fe models.FieldErrors
	if candidateID == "" {
		fe.Add("candidate_id", "is required")
	}
	if vacancyID == "" {
		fe.Add("vacancy_id", "is required")
	}
	if err := fe.Err(); err != nil {
		return Referral{}, err
	}
	if !slices.Contains([]models.Role{models.RoleCounsellor, models.RoleAdmin, models.RoleEmployer}, u.Role) {
		return Referral{}, models.Errorf(models.ErrForbidden, "the %s role may not refer candidates", u.Role)
	}
	v, err := s.store.Vacancy(ctx, vacancyID)
	if err != nil {
		return Referral{}, asField(err, "vacancy_id")
	}
	if u.Role == models.RoleEmployer && v.EmployerID != u.EmployerID {
		return Referral{}, models.Errorf(models.ErrForbidden, "an employer may ask for referrals only to its own vacancies")
	}
	if v.Status != models.VacancyOpen {
		return Referral{}, models.Errorf(models.ErrConflict, "vacancy %s is %s, not open", v.ID, v.Status)
	}
	if !v.EndDate.IsZero() && v.EndDate.Before(s.Today()) {
		return Referral{}, models.Errorf(models.ErrConflict, "vacancy %s ended on %s", v.ID, v.EndDate)
	}
	cand, err := s.store.Candidate(ctx, candidateID)
	if u.Role == models.RoleEmployer && (models.IsKind(err, models.ErrNotFound) ||
		(err == nil && (!cand.Consent.ShareProfile || cand.Status != models.CandidateActive))) {
		// Whom an employer may not see does not exist for it, as on a read.
		return Referral{}, models.Errorf(models.ErrNotFound, "candidate %s not found", candidateID)
	}
	if err != nil {
		return Referral{}, asField(err, "candidate_id")
	}
	if err := s.Referable(cand, v); err != nil {
		return Referral{}, err
	}
	r := models.Referral{CandidateID: cand.ID, VacancyID: v.ID, Note: note, RequestedBy: u.ID}
	if err := s.store.CreateReferral(ctx, &r, Route); err != nil {
		return Referral{}, err
	}
	return s.view(ctx, u, r, v, &cand), nil
}

// asField turns "not found" of a referenced record into an invalid field.
func asField(err error, field string) error {
	if models.IsKind(err, models.ErrNotFound) {
		var fe models.FieldErrors
		fe.Add(field, "no record with this id")
		return fe.Err()
	}
	return err
}

// Referable says whether the person may be referred to the vacancy: active, agreeing
// to be shown to employers, and legally able to work there.
func (s *Service) Referable(cand models.Candidate, v models.Vacancy) error {
	if cand.Status != models.CandidateActive {
		return models.Errorf(models.ErrConflict, "candidate %s is %s, not active", cand.ID, cand.Status)
	}
	if !cand.Consent.ShareProfile {
		return models.Errorf(models.ErrConflict, "the person has not agreed to share their profile with employers")
	}
	return s.EligibleFor(cand, v)
}

// EligibleFor runs the eligibility engine at the vacancy's state on its start date (or
// today, when the start date is past) for the vacancy's employer.
func (s *Service) EligibleFor(cand models.Candidate, v models.Vacancy) error {
	d := s.DecisionFor(cand, v)
	if d.Eligible {
		return nil
	}
	return &models.Error{Kind: models.ErrNotEligible, Details: map[string]any{"reasons": d.Reasons},
		Message: "the candidate may not legally work at " + v.State + " on " + d.Date.String()}
}

// DecisionFor is the eligibility decision of the person for the vacancy.
func (s *Service) DecisionFor(cand models.Candidate, v models.Vacancy) matching.Decision {
	return matching.Eligibility(&cand, matching.VacancyQuery(&v, WorkDate(v, s.Today())), s.rules)
}

// WorkDate is the day a vacancy's eligibility is judged on: its start date, or today
// when that is past or unset.
func WorkDate(v models.Vacancy, today models.Date) models.Date {
	if v.StartDate.IsZero() || v.StartDate.Before(today) {
		return today
	}
	return v.StartDate
}

// visible loads a referral u may see with its vacancy; others' referrals do not exist
// for them (ErrNotFound).
func (s *Service) visible(ctx context.Context, u models.User, id string) (models.Referral, models.Vacancy, error) {
	r, err := s.store.Referral(ctx, id)
	if err != nil {
		return r, models.Vacancy{}, err
	}
	v, err := s.store.Vacancy(ctx, r.VacancyID)
	if err != nil {
		return r, v, err
	}
	if !MaySee(u, r, v) {
		return r, v, models.Errorf(models.ErrNotFound, "referral %s not found", r.ID)
	}
	return r, v, nil
}

// MaySee says whether u may read the referral r to the vacancy v: admins all, the
// vacancy's employer its own, a counsellor those of their office or assigned to them.
func MaySee(u models.User, r models.Referral, v models.Vacancy) bool {
	return u.Role == models.RoleAdmin ||
		(u.Role == models.RoleEmployer && v.EmployerID == u.EmployerID) ||
		(u.Role == models.RoleCounsellor && (r.CounsellorID == u.CounsellorID || r.OfficeID == u.OfficeID))
}

// Check reports ErrNotFound unless u may see the referral id.
func (s *Service) Check(ctx context.Context, u models.User, id string) error {
	_, _, err := s.visible(ctx, u, id)
	return err
}

// Get reads a referral u may see, with its history and the person as u may see them.
func (s *Service) Get(ctx context.Context, u models.User, id string) (Referral, error) {
	r, v, err := s.visible(ctx, u, id)
	if err != nil {
		return Referral{}, err
	}
	return s.view(ctx, u, r, v, nil), nil
}

func (s *Service) view(ctx context.Context, u models.User, r models.Referral, v models.Vacancy, cand *models.Candidate) Referral {
	out := Referral{Referral: r, Vacancy: v, Moves: s.AllowedMoves(u, r, v)}
	if cand == nil {
		loaded, err := s.store.Candidate(ctx, r.CandidateID)
		if err != nil {
			return out
		}
		cand = &loaded
	}
	out.Candidate = cand
	if u.Role == models.RoleEmployer {
		out.ForEmployer = true
		out.ContactVisible = slices.Contains(contactVisible, r.Status)
		return out
	}
	out.ContactVisible = true
	return out
}

// AllowedMoves lists the states u may move r to (never nil): the state machine's edges
// for u's role, and none for a referral outside u's scope.
func (s *Service) AllowedMoves(u models.User, r models.Referral, v models.Vacancy) []models.ReferralStatus {
	if !MaySee(u, r, v) {
		return []models.ReferralStatus{}
	}
	return referrals.AllowedTargets(r.Status, u.Role)
}

// Filter narrows a list of referrals. Office asks a counsellor's office queue (their
// own office only) or, for an admin, one office's referrals.
type Filter struct {
	Office, Status, VacancyID, CandidateID string
	store.Page
}

// List returns a page of the referrals u may see, oldest first: a counsellor's own
// caseload (or their office's queue with Office), an employer's vacancies', all (or
// one office's) for admins.
func (s *Service) List(ctx context.Context, u models.User, f Filter) ([]models.Referral, bool, error) {
	sf := store.ReferralFilter{Status: f.Status, VacancyID: f.VacancyID, CandidateID: f.CandidateID, Page: f.Page}
	if sf.Status != "" && !slices.Contains(models.ReferralStatuses, models.ReferralStatus(sf.Status)) {
		var fe models.FieldErrors
		fe.Add("status", "must be one of pending, contacted, sent_to_employer, interviewing, hired, not_hired, withdrawn")
		return nil, false, fe.Err()
	}
	switch u.Role {
	case models.RoleCounsellor:
		if f.Office != "" {
			if f.Office != u.OfficeID {
				return nil, false, models.Errorf(models.ErrForbidden, "a counsellor sees only the referrals of their own office")
			}
			sf.OfficeID = f.Office
		} else {
			sf.CounsellorID = u.CounsellorID
		}
	case models.RoleEmployer:
		sf.EmployerID = u.EmployerID
	case models.RoleAdmin:
		sf.OfficeID = f.Office
	default:
		return nil, false, models.Errorf(models.ErrForbidden, "the %s role may not list referrals", u.Role)
	}
	return s.store.ListReferrals(ctx, sf)
}

// Move moves a referral u may see to the state to, with a note. Beyond the state
// machine's rules, sending a person to an employer needs the document their right to
// work rests on to have been verified, and both that move and a hire re-check that the
// person may legally work there.
func (s *Service) Move(ctx context.Context, u models.User, id string, to models.ReferralStatus, note string) (Referral, error) {
	if _, _, err := s.visible(ctx, u, id); err != nil {
		return Referral{}, err
	}
	actor := referrals.Actor{Role: u.Role, UserID: u.ID, CounsellorID: u.CounsellorID, OfficeID: u.OfficeID, EmployerID: u.EmployerID}
	check := func(r models.Referral, v models.Vacancy, cand models.Candidate) (models.ReferralEvent, error) {
		ev, err := referrals.Transition(referrals.Subject{Referral: r, VacancyEmployerID: v.EmployerID}, actor, to, note, s.now().UTC())
		if err != nil {
			return ev, err
		}
		switch to {
		case models.ReferralSentToEmployer:
			// An employer is shown only people whose right to work a person has checked.
			if d := s.DecisionFor(cand, v); d.Eligible && !d.Basis.Verified {
				return ev, models.Errorf(models.ErrConflict,
					"the %s this referral rests on is not verified yet: hub staff or a counsellor must check the original first", d.Basis.DocumentType)
			}
			return ev, s.EligibleFor(cand, v)
		case models.ReferralHired:
			return ev, s.EligibleFor(cand, v)
		}
		return ev, nil
	}
	r, err := s.store.TransitionReferral(ctx, id, check, Route)
	if err != nil {
		return Referral{}, err
	}
	v, err := s.store.Vacancy(ctx, r.VacancyID)
	if err != nil {
		return Referral{}, err
	}
	return s.view(ctx, u, r, v, nil), nil
}
