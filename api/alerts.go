package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/alerts"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// savedSearchRequest saves a candidate search: the filters of GET
// /api/v1/candidates/search (state is required for employers).
type savedSearchRequest struct {
	Name   string             `json:"name"`
	Query  models.SearchQuery `json:"query"`
	Shared bool               `json:"shared"`
}

// savedSearchPatch renames a saved search or shares it with the owner's office.
type savedSearchPatch struct {
	Name   *string `json:"name,omitempty"`
	Shared *bool   `json:"shared,omitempty"`
}

func (s *Server) alertRoutes() []route {
	keepers := []models.Role{models.RoleEmployer, models.RoleCounsellor, models.RoleAdmin}
	return []route{
		{method: "POST", path: "/api/v1/saved-searches", summary: "Save a candidate search (employers, counsellors); the people it finds now are its baseline, people who qualify later alert (search.alert webhook for employers, a notice for counsellors), at most once a day",
			roles: keepers, handle: s.createSavedSearch, request: savedSearchRequest{}, response: models.SavedSearch{}, status: http.StatusCreated},
		{method: "GET", path: "/api/v1/saved-searches", summary: "List one's saved searches and those shared with one's office (employer or SNE office)",
			roles: keepers, handle: s.listSavedSearches, response: listResponse[models.SavedSearch]{}, query: []string{"limit", "cursor"}},
		{method: "GET", path: "/api/v1/saved-searches/:id", summary: "Read a saved search (the owner's, or one shared with the reader's office)",
			roles: keepers, handle: s.getSavedSearch, response: models.SavedSearch{}},
		{method: "PATCH", path: "/api/v1/saved-searches/:id", summary: "Rename a saved search or share it with the owner's office (owner only)",
			roles: keepers, handle: s.patchSavedSearch, request: savedSearchPatch{}, response: models.SavedSearch{}},
		{method: "DELETE", path: "/api/v1/saved-searches/:id", summary: "Delete a saved search (owner only); it alerts no more",
			roles: keepers, handle: s.deleteSavedSearch, status: http.StatusNoContent},
		{method: "GET", path: "/api/v1/notices", summary: "One's notices, oldest first (a counsellor's saved-search alerts: the search and the new people's IDs)",
			roles: allRoles, handle: s.listNotices, response: listResponse[models.Notice]{}, query: []string{"limit", "cursor"}},
	}
}

// Alerts returns the saved-search use cases, for the console to share.
func (s *Server) Alerts() *alerts.Service { return s.alerts }

// SweepAlerts sends the saved searches' alerts and the candidates.qualified events due
// at now (cmd/vincula runs it every few minutes).
func (s *Server) SweepAlerts(ctx context.Context, now time.Time) (alerts.Report, error) {
	return s.alerts.Sweep(ctx, now)
}

func (s *Server) createSavedSearch(c *gin.Context) {
	var req savedSearchRequest
	if !s.bind(c, &req, false) {
		return
	}
	ss, err := s.alerts.Save(c.Request.Context(), userOf(c), alerts.Input{Name: req.Name, Query: req.Query, Shared: req.Shared}, s.now())
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, ss)
}

func (s *Server) listSavedSearches(c *gin.Context) {
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	items, more, err := s.alerts.List(c.Request.Context(), userOf(c), store.Page{After: after, Limit: limit})
	respondList(s, c, items, more, err)
}

func (s *Server) getSavedSearch(c *gin.Context) {
	ss, err := s.alerts.Get(c.Request.Context(), userOf(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, ss)
}

func (s *Server) patchSavedSearch(c *gin.Context) {
	var req savedSearchPatch
	if !s.bind(c, &req, true) {
		return
	}
	ss, err := s.alerts.Update(c.Request.Context(), userOf(c), c.Param("id"), req.Name, req.Shared)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, ss)
}

func (s *Server) deleteSavedSearch(c *gin.Context) {
	if err := s.alerts.Delete(c.Request.Context(), userOf(c), c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) listNotices(c *gin.Context) {
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	items, more, err := s.alerts.Notices(c.Request.Context(), userOf(c), store.Page{After: after, Limit: limit})
	respondList(s, c, items, more, err)
}
