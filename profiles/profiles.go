// Package profiles holds the use cases of candidates' profiles as staff work with them:
// searching, reading a profile with where and until when the person may work, and
// verifying a document after seeing the original. Each call takes the acting user and
// decides itself what that user may see and do; it knows no HTTP.
package profiles

import (
	"context"
	"slices"
	"time"

	"github.com/vincula/vincula/dedupe"
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/people"
	"github.com/vincula/vincula/store"
)

// Service runs the profile use cases.
type Service struct {
	store *store.Store
	rules *matching.Rules
	now   func() time.Time
	loc   *time.Location
	// people records the suspected duplicates of a profile registered at the desk.
	people *people.Service
}

// New returns the profile use cases on the one clock now; loc is where "today" is
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
	return &Service{store: st, rules: rules, now: now, loc: loc, people: people.New(st)}
}

// staff may read and verify profiles with their documents; employers never read
// documents, and see people only through their referrals and matches (minimised).
var staff = []models.Role{models.RoleHubStaff, models.RoleCounsellor, models.RoleAdmin}

func mayRead(u models.User) error {
	if !slices.Contains(staff, u.Role) {
		return models.Errorf(models.ErrForbidden, "only hub staff, counsellors and admins may read profiles and their documents")
	}
	return nil
}

// Search lists a page of profiles whose name matches q (all when empty), for staff.
func (s *Service) Search(ctx context.Context, u models.User, f store.CandidateFilter) ([]models.Candidate, bool, error) {
	if err := mayRead(u); err != nil {
		return nil, false, err
	}
	return s.store.ListCandidates(ctx, f)
}

// Profile is a person's profile with the eligibility of each place they are or want
// to be, today, and who has looked at it.
type Profile struct {
	models.Candidate
	Eligibility []matching.Decision
	Views       []models.AuditEvent
	// Duplicates are other profiles that may be the same person registered again
	// (dedupe's suspects first, then its hints), for staff to check at the desk.
	Duplicates []Duplicate
}

// Duplicate is another profile that may be the same person, with why.
type Duplicate struct {
	ID, FullName string
	// Suspect says it is probably the same person; otherwise it is a hint worth a look.
	Suspect bool
	Reasons []string
}

// Get reads a profile with its documents for staff, judging eligibility today in the
// person's current state and each state they would move to.
func (s *Service) Get(ctx context.Context, u models.User, id string) (Profile, error) {
	if err := mayRead(u); err != nil {
		return Profile{}, err
	}
	c, err := s.store.Candidate(ctx, id)
	if err != nil {
		return Profile{}, err
	}
	p := Profile{Candidate: c}
	today := models.DateOf(s.now().In(s.loc))
	states := []string{c.CurrentState}
	for _, st := range c.PreferredStates {
		if !slices.Contains(states, st) {
			states = append(states, st)
		}
	}
	for _, st := range states {
		if st == "" {
			continue
		}
		p.Eligibility = append(p.Eligibility, matching.Eligibility(&c, matching.Query{State: st, Date: today}, s.rules))
	}
	if p.Views, err = s.store.AuditFor(ctx, "candidate", c.ID); err != nil {
		return p, err
	}
	p.Duplicates, err = s.duplicates(ctx, c)
	return p, err
}

// duplicates finds the profiles that may be c registered again, leaving out those
// staff marked as different people.
func (s *Service) duplicates(ctx context.Context, c models.Candidate) ([]Duplicate, error) {
	_, pool, distinct, err := s.store.DuplicatePool(ctx, c.ID, dedupe.PhoneKey(c.Phone))
	if err != nil {
		return nil, err
	}
	people := make([]dedupe.Person, len(pool))
	names := map[string]string{}
	for i, o := range pool {
		people[i], names[o.ID] = dedupe.PersonOf(o), o.FullName
	}
	var out []Duplicate
	for _, m := range dedupe.Find(dedupe.PersonOf(c), people, distinct) {
		out = append(out, Duplicate{ID: m.ID, FullName: names[m.ID], Suspect: m.Strength == dedupe.Suspect, Reasons: m.Reasons})
	}
	return out, nil
}

// VerifyDocument records that u has seen the original of a document of the person.
func (s *Service) VerifyDocument(ctx context.Context, u models.User, candidateID, documentID string) (models.Candidate, error) {
	if err := mayRead(u); err != nil {
		return models.Candidate{}, err
	}
	c, err := s.store.Candidate(ctx, candidateID)
	if err != nil {
		return c, err
	}
	i := slices.IndexFunc(c.Documents, func(d models.Document) bool { return d.ID == documentID })
	if i < 0 {
		return c, models.Errorf(models.ErrNotFound, "document %s not found", documentID)
	}
	at := s.now().UTC().Truncate(time.Microsecond)
	c.Documents[i].Verified, c.Documents[i].VerifiedBy, c.Documents[i].VerifiedAt = true, u.ID, &at
	if err := s.store.UpdateCandidate(ctx, &c); err != nil {
		return c, err
	}
	return c, s.store.RecordAudit(ctx, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: "document.verified",
		SubjectType: "candidate", SubjectID: c.ID, Detail: string(c.Documents[i].Type)})
}
