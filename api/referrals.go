package api

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/referrals"
	"github.com/vincula/vincula/store"
)

type referralRequest struct {
	CandidateID string `json:"candidate_id"`
	VacancyID   string `json:"vacancy_id"`
	Note        string `json:"note,omitempty"`
}

type transitionRequest struct {
	To   models.ReferralStatus `json:"to"`
	Note string                `json:"note,omitempty"`
}

type counsellorPatch struct {
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	Languages []string `json:"languages"`
	Capacity  int      `json:"capacity"`
	Active    bool     `json:"active"`
}

// referralView is a referral with the candidate as the caller may see them: staff see
// the contact details always; the vacancy's employer sees the minimised profile, and
// the contact details only once the referral has reached `interviewing`.
type referralView struct {
	models.Referral
	Candidate any             `json:"candidate,omitempty"`
	Contact   *contactDetails `json:"contact,omitempty"`
}

type contactDetails struct {
	FullName string `json:"full_name"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
}

// contactVisible lists the states from which the employer may contact the person.
var contactVisible = []models.ReferralStatus{models.ReferralInterviewing, models.ReferralHired, models.ReferralNotHired}

// routeReferral is the store's Router: the policy of the referrals package over the store's
// consistent snapshot.
func routeReferral(c *models.Candidate, snap store.RoutingSnapshot) (store.RouteDecision, error) {
	d, err := referrals.Route(referrals.RouteInput{Candidate: c, Offices: snap.Offices, Counsellors: snap.Counsellors})
	return store.RouteDecision{OfficeID: d.OfficeID, CounsellorID: d.CounsellorID, Reason: d.Reason}, err
}

func (s *Server) createReferral(c *gin.Context) {
	var req referralRequest
	if !s.bind(c, &req, false) {
		return
	}
	var fe models.FieldErrors
	if req.CandidateID == "" {
		fe.Add("candidate_id", "is required")
	}
	if req.VacancyID == "" {
		fe.Add("vacancy_id", "is required")
	}
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	u := userOf(c)
	v, err := s.store.Vacancy(ctx, req.VacancyID)
	if err != nil {
		s.writeError(c, asField(err, "vacancy_id"))
		return
	}
	if u.Role == models.RoleEmployer && v.EmployerID != u.EmployerID {
		s.writeError(c, models.Errorf(models.ErrForbidden, "an employer may ask for referrals only to its own vacancies"))
		return
	}
	if v.Status != models.VacancyOpen {
		s.writeError(c, models.Errorf(models.ErrConflict, "vacancy %s is %s, not open", v.ID, v.Status))
		return
	}
	if ended(v, s.today()) {
		s.writeError(c, models.Errorf(models.ErrConflict, "vacancy %s ended on %s", v.ID, v.EndDate))
		return
	}
	cand, err := s.store.Candidate(ctx, req.CandidateID)
	if u.Role == models.RoleEmployer && (models.IsKind(err, models.ErrNotFound) ||
		(err == nil && (!cand.Consent.ShareProfile || cand.Status != models.CandidateActive))) {
		// Whom an employer may not see does not exist for it, as on a read.
		s.writeError(c, employerNotFound(req.CandidateID))
		return
	}
	if err != nil {
		s.writeError(c, asField(err, "candidate_id"))
		return
	}
	if err := s.referable(cand, v); err != nil {
		s.writeError(c, forEmployer(u, err))
		return
	}
	r := models.Referral{CandidateID: cand.ID, VacancyID: v.ID, Note: req.Note, RequestedBy: u.ID}
	if err := s.store.CreateReferral(ctx, &r, routeReferral); err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, s.referralView(c, r, &cand))
}

// asField turns "not found" of a referenced record into a 422 naming the field.
func asField(err error, field string) error {
	if models.IsKind(err, models.ErrNotFound) {
		return invalid(field, "no record with this id")
	}
	return err
}

// referable says whether the person may be referred to the vacancy: active, agreeing
// to be shown to employers, and legally able to work there.
func (s *Server) referable(cand models.Candidate, v models.Vacancy) error {
	if cand.Status != models.CandidateActive {
		return models.Errorf(models.ErrConflict, "candidate %s is %s, not active", cand.ID, cand.Status)
	}
	if !cand.Consent.ShareProfile {
		return models.Errorf(models.ErrConflict, "the person has not agreed to share their profile with employers")
	}
	return s.eligibleFor(cand, v)
}

// eligibleFor runs the eligibility engine at the vacancy's state on its start date (or
// today, when the start date is past) for the vacancy's employer.
func (s *Server) eligibleFor(cand models.Candidate, v models.Vacancy) error {
	d := s.decisionFor(cand, v)
	if d.Eligible {
		return nil
	}
	return &models.Error{Kind: models.ErrNotEligible, Details: map[string]any{"reasons": d.Reasons},
		Message: "the candidate may not legally work at " + v.State + " on " + d.Date.String()}
}

func (s *Server) decisionFor(cand models.Candidate, v models.Vacancy) matching.Decision {
	return matching.Eligibility(&cand, matching.VacancyQuery(&v, workDate(v, s.today())), s.rules)
}

// visibleReferral loads a referral the caller may see; others' referrals do not exist
// for them (404).
func (s *Server) visibleReferral(c *gin.Context) (models.Referral, models.Vacancy, bool) {
	ctx := c.Request.Context()
	r, err := s.store.Referral(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return r, models.Vacancy{}, false
	}
	v, err := s.store.Vacancy(ctx, r.VacancyID)
	if err != nil {
		s.writeError(c, err)
		return r, v, false
	}
	u := userOf(c)
	ok := u.Role == models.RoleAdmin ||
		(u.Role == models.RoleEmployer && v.EmployerID == u.EmployerID) ||
		(u.Role == models.RoleCounsellor && (r.CounsellorID == u.CounsellorID || r.OfficeID == u.OfficeID))
	if !ok {
		s.writeError(c, models.Errorf(models.ErrNotFound, "referral %s not found", r.ID))
		return r, v, false
	}
	return r, v, true
}

func (s *Server) getReferral(c *gin.Context) {
	r, _, ok := s.visibleReferral(c)
	if !ok {
		return
	}
	s.respond(c, http.StatusOK, s.referralView(c, r, nil))
}

func (s *Server) referralView(c *gin.Context, r models.Referral, cand *models.Candidate) referralView {
	view := referralView{Referral: r}
	if cand == nil {
		loaded, err := s.store.Candidate(c.Request.Context(), r.CandidateID)
		if err != nil {
			return view
		}
		cand = &loaded
	}
	u := userOf(c)
	contact := &contactDetails{FullName: cand.FullName, Phone: cand.Phone, Email: cand.Email}
	if u.Role == models.RoleEmployer {
		view.Candidate = employerView(*cand)
		if slices.Contains(contactVisible, r.Status) {
			view.Contact = contact
		}
		return view
	}
	view.Candidate = s.staffView(*cand)
	view.Contact = contact
	return view
}

func (s *Server) listReferrals(c *gin.Context) {
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	u := userOf(c)
	f := store.ReferralFilter{Status: c.Query("status"), VacancyID: c.Query("vacancy_id"), CandidateID: c.Query("candidate_id"),
		Page: store.Page{After: after, Limit: limit}}
	if f.Status != "" && !slices.Contains(models.ReferralStatuses, models.ReferralStatus(f.Status)) {
		s.writeError(c, invalid("status", "must be one of pending, contacted, sent_to_employer, interviewing, hired, not_hired, withdrawn"))
		return
	}
	switch u.Role {
	case models.RoleCounsellor:
		if office := c.Query("office"); office != "" {
			if office != u.OfficeID {
				s.writeError(c, models.Errorf(models.ErrForbidden, "a counsellor sees only the referrals of their own office"))
				return
			}
			f.OfficeID = office
		} else {
			f.CounsellorID = u.CounsellorID
		}
	case models.RoleEmployer:
		f.EmployerID = u.EmployerID
	case models.RoleAdmin:
		f.OfficeID = c.Query("office")
	}
	items, more, err := s.store.ListReferrals(c.Request.Context(), f)
	respondList(s, c, items, more, err)
}

func (s *Server) transitionReferral(c *gin.Context) {
	if _, _, ok := s.visibleReferral(c); !ok {
		return
	}
	var req transitionRequest
	if !s.bind(c, &req, false) {
		return
	}
	u := userOf(c)
	actor := referrals.Actor{Role: u.Role, UserID: u.ID, CounsellorID: u.CounsellorID, OfficeID: u.OfficeID, EmployerID: u.EmployerID}
	check := func(r models.Referral, v models.Vacancy, cand models.Candidate) (models.ReferralEvent, error) {
		ev, err := referrals.Transition(referrals.Subject{Referral: r, VacancyEmployerID: v.EmployerID}, actor, req.To, req.Note, s.now())
		if err != nil {
			return ev, err
		}
		switch req.To {
		case models.ReferralSentToEmployer:
			// An employer is shown only people whose right to work a person has checked.
			if d := s.decisionFor(cand, v); d.Eligible && !d.Basis.Verified {
				return ev, models.Errorf(models.ErrConflict,
					"the %s this referral rests on is not verified yet: hub staff or a counsellor must check the original first", d.Basis.DocumentType)
			}
			return ev, s.eligibleFor(cand, v)
		case models.ReferralHired:
			return ev, s.eligibleFor(cand, v)
		}
		return ev, nil
	}
	r, err := s.store.TransitionReferral(c.Request.Context(), c.Param("id"), check, routeReferral)
	if err != nil {
		s.writeError(c, forEmployer(u, err))
		return
	}
	s.respond(c, http.StatusOK, s.referralView(c, r, nil))
}

func (s *Server) patchCounsellor(c *gin.Context) {
	co, err := s.store.Counsellor(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	req := counsellorPatch{Name: co.Name, Email: co.Email, Languages: co.Languages, Capacity: co.Capacity, Active: co.Active}
	if !s.bind(c, &req, true) {
		return
	}
	co.Name, co.Email, co.Languages, co.Capacity, co.Active = req.Name, req.Email, req.Languages, req.Capacity, req.Active
	co.Normalize()
	if err := co.Validate(); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.store.UpdateCounsellor(c.Request.Context(), &co, routeReferral); err != nil {
		s.writeError(c, err)
		return
	}
	updated, err := s.store.Counsellor(c.Request.Context(), co.ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, updated)
}
