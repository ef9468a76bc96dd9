// Package offices holds the admin's use cases on the SNE's offices and their
// counsellors: which states an office covers, and each counsellor's capacity,
// languages and whether they take new referrals. Every call takes the acting user and
// lets only admins through; every change is written to the audit log. It knows no
// HTTP.
package offices

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/placement"
	"github.com/vincula/vincula/store"
)

// Service runs the office and counsellor use cases.
type Service struct {
	store  *store.Store
	invite Inviter
}

// Inviter invites a user to the console (accounts.Service does).
type Inviter interface {
	Invite(ctx context.Context, by models.User, u models.User) (accounts.Invitation, error)
}

// New returns the office use cases; invite sends new counsellors their invitation.
func New(st *store.Store, invite Inviter) *Service { return &Service{store: st, invite: invite} }

// MayAdminister reports ErrForbidden unless by may run offices and counsellors
// (admins).
func (s *Service) MayAdminister(by models.User) error {
	if by.Role != models.RoleAdmin {
		return models.Errorf(models.ErrForbidden, "only an admin may change offices and counsellors")
	}
	return nil
}

// Office is an office with its counsellors and their open caseloads.
type Office struct {
	models.Office
	Counsellors []models.Counsellor
}

// maxCounsellors bounds the counsellors read at once: an office has a handful, the
// programme a few hundred.
const maxCounsellors = 1000

// Offices returns every office with its counsellors, offices in ID order.
func (s *Service) Offices(ctx context.Context, by models.User) ([]Office, error) {
	if err := s.MayAdminister(by); err != nil {
		return nil, err
	}
	os, err := s.store.Offices(ctx)
	if err != nil {
		return nil, err
	}
	cs, _, err := s.store.ListCounsellors(ctx, store.CounsellorFilter{Page: store.Page{Limit: maxCounsellors}})
	if err != nil {
		return nil, err
	}
	out := make([]Office, len(os))
	for i, o := range os {
		out[i].Office = o
		for _, c := range cs {
			if c.OfficeID == o.ID {
				out[i].Counsellors = append(out[i].Counsellors, c)
			}
		}
	}
	return out, nil
}

// Office returns one office with its counsellors.
func (s *Service) Office(ctx context.Context, by models.User, id string) (Office, error) {
	if err := s.MayAdminister(by); err != nil {
		return Office{}, err
	}
	o, err := s.store.Office(ctx, id)
	if err != nil {
		return Office{}, err
	}
	cs, _, err := s.store.ListCounsellors(ctx, store.CounsellorFilter{OfficeID: id, Page: store.Page{Limit: maxCounsellors}})
	if err != nil {
		return Office{}, err
	}
	return Office{Office: o, Counsellors: cs}, nil
}

// CreateOffice creates an office in its state covering the states of o. The national
// office exists already (the national queue), so a new office is never national.
func (s *Service) CreateOffice(ctx context.Context, by models.User, o models.Office) (models.Office, error) {
	if err := s.MayAdminister(by); err != nil {
		return models.Office{}, err
	}
	o.ID, o.National = "", false
	o.CoverageStates = tidyStates(o.CoverageStates)
	o.Normalize()
	if err := o.Validate(); err != nil {
		return models.Office{}, err
	}
	if err := s.store.CreateOffice(ctx, &o); err != nil {
		return models.Office{}, err
	}
	err := s.store.RecordAudit(ctx, models.AuditEvent{ActorID: by.ID, ActorRole: by.Role, Action: "office_created",
		SubjectType: "office", SubjectID: o.ID, Detail: "covers " + statesDetail(o.CoverageStates)})
	return o, err
}

// SetCoverage replaces the states office id covers. Referrals already routed stay
// where they are; new ones follow the new coverage.
func (s *Service) SetCoverage(ctx context.Context, by models.User, id string, states []string) (models.Office, error) {
	if err := s.MayAdminister(by); err != nil {
		return models.Office{}, err
	}
	o, err := s.store.Office(ctx, id)
	if err != nil {
		return models.Office{}, err
	}
	o.CoverageStates = tidyStates(states)
	o.Normalize()
	if err := o.Validate(); err != nil {
		return models.Office{}, err
	}
	return s.store.UpdateOffice(ctx, id, store.OfficeUpdate{CoverageStates: &o.CoverageStates}, models.AuditEvent{
		ActorID: by.ID, ActorRole: by.Role, Action: "office_states_changed", SubjectType: "office", SubjectID: id,
		Detail: "covers " + statesDetail(o.CoverageStates)})
}

// tidyStates upper-cases, drops blanks and duplicates, and sorts.
func tidyStates(states []string) []string {
	out := []string{}
	for _, st := range states {
		if st = strings.ToUpper(strings.TrimSpace(st)); st != "" && !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	slices.Sort(out)
	return out
}

// unique drops repeated values, keeping the first of each in order.
func unique(vs []string) []string {
	out := []string{}
	for _, v := range vs {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func statesDetail(states []string) string {
	if len(states) == 0 {
		return "no state"
	}
	return strings.Join(states, ",")
}

// CreateCounsellor adds counsellor c to their office, with the user they sign in as,
// and invites them to the console: the returned invitation's link is where they set
// their password. Their bearer token is never shown (the API's POST
// /api/v1/counsellors gives one to programs).
func (s *Service) CreateCounsellor(ctx context.Context, by models.User, c models.Counsellor) (models.Counsellor, accounts.Invitation, error) {
	if err := s.MayAdminister(by); err != nil {
		return models.Counsellor{}, accounts.Invitation{}, err
	}
	c.ID, c.Active, c.OpenReferrals, c.LastAssignedAt, c.UserID = "", true, 0, nil, ""
	c.Normalize()
	c.Languages = unique(c.Languages)
	if err := c.Validate(); err != nil {
		return models.Counsellor{}, accounts.Invitation{}, err
	}
	u := models.User{Name: c.Name, Email: c.Email, Role: models.RoleCounsellor}
	_, hash := accounts.NewToken()
	if err := s.store.CreateCounsellor(ctx, &c, &u, hash); err != nil {
		return models.Counsellor{}, accounts.Invitation{}, err
	}
	if err := s.store.RecordAudit(ctx, models.AuditEvent{ActorID: by.ID, ActorRole: by.Role, Action: "counsellor_created",
		SubjectType: "counsellor", SubjectID: c.ID, Detail: "office " + c.OfficeID}); err != nil {
		return models.Counsellor{}, accounts.Invitation{}, err
	}
	inv, err := s.invite.Invite(ctx, by, models.User{ID: u.ID, Email: c.Email})
	return c, inv, err
}

// Counsellors returns every counsellor with their open caseload, in ID order.
func (s *Service) Counsellors(ctx context.Context, by models.User) ([]models.Counsellor, error) {
	if err := s.MayAdminister(by); err != nil {
		return nil, err
	}
	cs, _, err := s.store.ListCounsellors(ctx, store.CounsellorFilter{Page: store.Page{Limit: maxCounsellors}})
	return cs, err
}

// Counsellor is a counsellor with their open caseload and their office.
type Counsellor struct {
	models.Counsellor
	Office models.Office
}

// Counsellor returns one counsellor with their open caseload and office.
func (s *Service) Counsellor(ctx context.Context, by models.User, id string) (Counsellor, error) {
	if err := s.MayAdminister(by); err != nil {
		return Counsellor{}, err
	}
	c, err := s.store.Counsellor(ctx, id)
	if err != nil {
		return Counsellor{}, err
	}
	o, err := s.store.Office(ctx, c.OfficeID)
	return Counsellor{Counsellor: c, Office: o}, err
}

// CounsellorChange is what an admin changes on a counsellor; nil fields stay as they
// are.
type CounsellorChange struct {
	Capacity  *int
	Languages *[]string
	// Active false stops new referrals reaching the counsellor and sends their open
	// referrals back to routing; true lets them take referrals again.
	Active *bool
}

// ChangeCounsellor applies ch to counsellor id. Deactivating re-routes their open
// referrals among the office's active counsellors (or its queue); added capacity takes
// referrals waiting in the queue.
func (s *Service) ChangeCounsellor(ctx context.Context, by models.User, id string, ch CounsellorChange) (models.Counsellor, error) {
	if err := s.MayAdminister(by); err != nil {
		return models.Counsellor{}, err
	}
	co, err := s.store.Counsellor(ctx, id)
	if err != nil {
		return models.Counsellor{}, err
	}
	var what []string
	if ch.Capacity != nil && *ch.Capacity != co.Capacity {
		what = append(what, fmt.Sprintf("capacity %d to %d", co.Capacity, *ch.Capacity))
		co.Capacity = *ch.Capacity
	}
	if ch.Languages != nil {
		langs := []string{}
		for _, l := range *ch.Languages {
			if l = strings.TrimSpace(l); l != "" {
				langs = append(langs, l)
			}
		}
		co.Languages = langs
		co.Normalize()
		co.Languages = unique(co.Languages)
		what = append(what, "languages "+strings.Join(co.Languages, ","))
	}
	if ch.Active != nil && *ch.Active != co.Active {
		co.Active = *ch.Active
		what = append(what, map[bool]string{true: "reactivated", false: "deactivated"}[co.Active])
	}
	co.Normalize()
	if err := co.Validate(); err != nil {
		return models.Counsellor{}, err
	}
	if len(what) == 0 {
		return co, nil
	}
	if err := s.store.UpdateCounsellor(ctx, &co, placement.Route); err != nil {
		return models.Counsellor{}, err
	}
	if err := s.store.RecordAudit(ctx, models.AuditEvent{ActorID: by.ID, ActorRole: by.Role, Action: "counsellor_changed",
		SubjectType: "counsellor", SubjectID: id, Detail: strings.Join(what, "; ")}); err != nil {
		return models.Counsellor{}, err
	}
	return s.store.Counsellor(ctx, id)
}
