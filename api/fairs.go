package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

func (s *Server) createJobFair(c *gin.Context) {
	var req jobFairRequest
	if !s.bind(c, &req, false) {
		return
	}
	u := userOf(c)
	f := models.JobFair{Name: req.Name, State: req.State, Municipality: req.Municipality, StartsOn: req.StartsOn,
		EndsOn: req.EndsOn, OrganiserID: u.ID}
	if req.OrganiserID != "" {
		if u.Role != models.RoleAdmin {
			s.writeError(c, invalid("organiser_id", "only an admin may create a fair for another organiser"))
			return
		}
		f.OrganiserID = req.OrganiserID
	}
	f.Normalize()
	if err := f.Validate(); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.store.CreateJobFair(c.Request.Context(), &f); err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, f)
}

func (s *Server) getJobFair(c *gin.Context) {
	f, err := s.store.JobFair(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, f)
}

func (s *Server) listJobFairs(c *gin.Context) {
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	organiser := ""
	if u := userOf(c); u.Role == models.RoleOrganiser {
		organiser = u.ID
	}
	items, more, err := s.store.ListJobFairs(c.Request.Context(), organiser, store.Page{After: after, Limit: limit})
	respondList(s, c, items, more, err)
}
