// Package people holds the use cases of "one person, once": the suspected duplicates
// of a profile (found at registration, recorded for staff, and on demand), merging two
// profiles of one person, and the record of where a merged-away profile went. Only
// staff (hub staff, counsellors, admins) see suspects or merge; the migrant and
// employers never learn of them.
package people

import (
	"context"
	"fmt"

	"github.com/vincula/vincula/dedupe"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// Service runs the use cases.
type Service struct {
	store *store.Store
}

// New returns the service.
func New(st *store.Store) *Service { return &Service{store: st} }

func mayDecide(u models.User) error {
	switch u.Role {
	case models.RoleHubStaff, models.RoleCounsellor, models.RoleAdmin:
		return nil
	}
	return models.Errorf(models.ErrForbidden, "only staff see suspected duplicates and merge profiles")
}

// Suspect is another profile that may be the same person, with why.
type Suspect struct {
	Candidate models.Candidate
	dedupe.Match
}

// find compares the profile with the people it might be.
func (s *Service) find(ctx context.Context, id, phone string) ([]Suspect, error) {
	me, pool, distinct, err := s.store.DuplicatePool(ctx, id, dedupe.PhoneKey(phone))
	if err != nil {
		return nil, err
	}
	people := make([]dedupe.Person, len(pool))
	byID := map[string]models.Candidate{}
	for i, p := range pool {
		people[i], byID[p.ID] = dedupe.PersonOf(p), p
	}
	out := []Suspect{}
	for _, m := range dedupe.Find(dedupe.PersonOf(me), people, distinct) {
		out = append(out, Suspect{Candidate: byID[m.ID], Match: m})
	}
	return out, nil
}

// Suspects returns the suspected duplicates of a profile, suspects before hints.
func (s *Service) Suspects(ctx context.Context, u models.User, c models.Candidate) ([]Suspect, error) {
	if err := mayDecide(u); err != nil {
		return nil, err
	}
	return s.find(ctx, c.ID, c.Phone)
}

// AtRegistration checks a newly registered profile: its suspected duplicates are
// recorded for staff (GET /api/v1/duplicate-flags) and returned, for the staff who
// registered it to see; a migrant registering alone is not told.
func (s *Service) AtRegistration(ctx context.Context, c models.Candidate) ([]Suspect, error) {
	found, err := s.find(ctx, c.ID, c.Phone)
	if err != nil {
		return nil, err
	}
	flags := make([]models.DuplicateFlag, 0, len(found))
	for _, f := range found {
		flags = append(flags, models.DuplicateFlag{CandidateID: c.ID, SuspectID: f.ID, Strength: string(f.Strength), Reasons: f.Reasons})
	}
	if err := s.store.FlagDuplicates(ctx, flags); err != nil {
		return nil, err
	}
	return found, nil
}

// Flags returns the suspected duplicates found at registration that are still open
// (neither merged nor marked as different people), oldest first.
func (s *Service) Flags(ctx context.Context, u models.User, candidateID string, limit int) ([]models.DuplicateFlag, error) {
	if err := mayDecide(u); err != nil {
		return nil, err
	}
	return s.store.DuplicateFlags(ctx, candidateID, limit)
}

// Merge merges profile gone into profile keep: one person, once (see
// store.MergeCandidates for what moves). Both profiles' audit trails record the merge.
func (s *Service) Merge(ctx context.Context, u models.User, keep, gone, note string) (models.Merge, error) {
	if err := mayDecide(u); err != nil {
		return models.Merge{}, err
	}
	if keep == gone {
		var fe models.FieldErrors
		fe.Add("other_id", "must name another candidate")
		return models.Merge{}, fe.Err()
	}
	audit := func(subject, detail string) models.AuditEvent {
		return models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: models.AuditCandidatesMerged, SubjectType: "candidate",
			SubjectID: subject, Detail: detail}
	}
	return s.store.MergeCandidates(ctx, keep, gone, u.ID, note,
		audit(keep, fmt.Sprintf("profile %s merged into this one", gone)),
		audit(gone, fmt.Sprintf("merged into profile %s", keep)))
}

// MergedInto says where a merged-away profile went, for staff; anyone else learns only
// that there is no such profile.
func (s *Service) MergedInto(ctx context.Context, u models.User, id string) (models.Merge, error) {
	if err := mayDecide(u); err != nil {
		return models.Merge{}, models.Errorf(models.ErrNotFound, "candidate %s not found", id)
	}
	return s.store.MergedInto(ctx, id)
}
