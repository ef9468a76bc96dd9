package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

func (s *Server) createEmployer(c *gin.Context) {
	var req employerRequest
	if !s.bind(c, &req, false) {
		return
	}
	e := req.toModel()
	e.Normalize()
	if err := e.Validate(); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.store.CreateEmployer(c.Request.Context(), &e); err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, e)
}

func (s *Server) getEmployer(c *gin.Context) {
	e, err := s.store.Employer(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, e)
}

func (s *Server) listEmployers(c *gin.Context) {
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var fe models.FieldErrors
	f := store.EmployerFilter{RFC: c.Query("rfc"), State: c.Query("state"), Q: queryTextOf(c, &fe), Page: store.Page{After: after, Limit: limit}}
	if f.State != "" && !models.ValidState(f.State) {
		fe.Add("state", "must be an ISO 3166-2:MX code such as MX-NLE")
	}
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	items, more, err := s.store.ListEmployers(c.Request.Context(), f)
	respondList(s, c, items, more, err)
}
