package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

func (s *Server) createOffice(c *gin.Context) {
	var req officeRequest
	if !s.bind(c, &req, false) {
		return
	}
	o := models.Office{Name: req.Name, State: req.State, CoverageStates: req.CoverageStates, National: req.National}
	o.Normalize()
	if err := o.Validate(); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.store.CreateOffice(c.Request.Context(), &o); err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, o)
}

func (s *Server) getOffice(c *gin.Context) {
	o, err := s.store.Office(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, o)
}

// listOffices returns every office in one page: there is one per region.
func (s *Server) listOffices(c *gin.Context) {
	items, err := s.store.Offices(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, newList(items, false, ""))
}

func (s *Server) createCounsellor(c *gin.Context) {
	var req counsellorRequest
	if !s.bind(c, &req, false) {
		return
	}
	co := models.Counsellor{Name: req.Name, Email: req.Email, OfficeID: req.OfficeID, Languages: req.Languages, Capacity: req.Capacity}
	co.Normalize()
	if err := co.Validate(); err != nil {
		s.writeError(c, err)
		return
	}
	token, hash := NewToken()
	u := models.User{Name: co.Name, Email: strings.ToLower(co.Email), Role: models.RoleCounsellor, TokenExpiresAt: s.tokenExpiry()}
	if err := s.store.CreateCounsellor(c.Request.Context(), &co, &u, hash); err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, counsellorCreated{Counsellor: co, Token: token, TokenExpiresAt: u.TokenExpiresAt})
}

func (s *Server) getCounsellor(c *gin.Context) {
	co, err := s.store.Counsellor(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, co)
}

func (s *Server) listCounsellors(c *gin.Context) {
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	items, more, err := s.store.ListCounsellors(c.Request.Context(), store.CounsellorFilter{OfficeID: c.Query("office"),
		Page: store.Page{After: after, Limit: limit}})
	respondList(s, c, items, more, err)
}
