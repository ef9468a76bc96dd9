package placement

import (
	"context"
	"slices"

	"github.com/vincula/vincula/models"
)

// Line is one referral of a caseload or queue as its reader may see it: the person's
// name (for staff, and for the vacancy's employer once contact is allowed), the
// vacancy's title and the moves the reader may make.
type Line struct {
	models.Referral
	CandidateName string
	VacancyTitle  string
	Moves         []models.ReferralStatus
}

// Caseload is List with what a console line shows, read in two queries per page.
func (s *Service) Caseload(ctx context.Context, u models.User, f Filter) ([]Line, bool, error) {
	items, more, err := s.List(ctx, u, f)
	if err != nil || len(items) == 0 {
		return []Line{}, more, err
	}
	var cids, vids []string
	for _, r := range items {
		if !slices.Contains(cids, r.CandidateID) {
			cids = append(cids, r.CandidateID)
		}
		if !slices.Contains(vids, r.VacancyID) {
			vids = append(vids, r.VacancyID)
		}
	}
	cands, err := s.store.CandidatesByID(ctx, cids)
	if err != nil {
		return nil, false, err
	}
	vacs, err := s.store.VacanciesByID(ctx, vids)
	if err != nil {
		return nil, false, err
	}
	names := map[string]string{}
	for _, c := range cands {
		names[c.ID] = c.FullName
	}
	vacancy := map[string]models.Vacancy{}
	for _, v := range vacs {
		vacancy[v.ID] = v
	}
	out := make([]Line, len(items))
	for i, r := range items {
		v := vacancy[r.VacancyID]
		l := Line{Referral: r, VacancyTitle: v.Title, Moves: s.AllowedMoves(u, r, v)}
		if u.Role != models.RoleEmployer || slices.Contains(contactVisible, r.Status) {
			l.CandidateName = names[r.CandidateID]
		}
		out[i] = l
	}
	return out, more, nil
}
