package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/placement"
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

// routeReferral is the store's Router (placement.Route).
var routeReferral = placement.Route

func (s *Server) createReferral(c *gin.Context) {
	var req referralRequest
	if !s.bind(c, &req, false) {
		return
	}
	u := userOf(c)
	r, err := s.placement.Create(c.Request.Context(), u, req.CandidateID, req.VacancyID, req.Note)
	if err != nil {
		s.writeError(c, forEmployer(u, err))
		return
	}
	s.respond(c, http.StatusCreated, s.referralView(r))
}

func (s *Server) getReferral(c *gin.Context) {
	r, err := s.placement.Get(c.Request.Context(), userOf(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, s.referralView(r))
}

// referralView encodes a referral as placement says its reader may see it.
func (s *Server) referralView(r placement.Referral) referralView {
	view := referralView{Referral: r.Referral}
	if r.Candidate == nil {
		return view
	}
	if r.ContactVisible {
		view.Contact = &contactDetails{FullName: r.Candidate.FullName, Phone: r.Candidate.Phone, Email: r.Candidate.Email}
	}
	if r.ForEmployer {
		view.Candidate = employerView(*r.Candidate)
	} else {
		view.Candidate = s.staffView(*r.Candidate)
	}
	return view
}

func (s *Server) listReferrals(c *gin.Context) {
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	f := placement.Filter{Office: c.Query("office"), Status: c.Query("status"), VacancyID: c.Query("vacancy_id"),
		CandidateID: c.Query("candidate_id"), Page: store.Page{After: after, Limit: limit}}
	items, more, err := s.placement.List(c.Request.Context(), userOf(c), f)
	respondList(s, c, items, more, err)
}

func (s *Server) transitionReferral(c *gin.Context) {
	ctx, u := c.Request.Context(), userOf(c)
	// Others' referrals are not found before their bodies are read.
	if err := s.placement.Check(ctx, u, c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	var req transitionRequest
	if !s.bind(c, &req, false) {
		return
	}
	r, err := s.placement.Move(ctx, u, c.Param("id"), req.To, req.Note)
	if err != nil {
		s.writeError(c, forEmployer(u, err))
		return
	}
	s.respond(c, http.StatusOK, s.referralView(r))
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
