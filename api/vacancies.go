package api

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
)

func (s *Server) createVacancy(c *gin.Context) {
	var req vacancyRequest
	if !s.bind(c, &req, false) {
		return
	}
	u := userOf(c)
	ctx := c.Request.Context()
	if u.Role == models.RoleEmployer {
		if req.EmployerID == "" {
			req.EmployerID = u.EmployerID
		}
		if req.EmployerID != u.EmployerID {
			s.writeError(c, models.Errorf(models.ErrForbidden, "an employer may post vacancies only for itself"))
			return
		}
	}
	if u.Role == models.RoleOrganiser {
		if req.JobFairID == "" {
			s.writeError(c, invalid("job_fair_id", "is required when an organiser posts a vacancy: it names the organiser's fair"))
			return
		}
	}
	if req.JobFairID != "" {
		if err := s.checkFairOwner(ctx, u, req.JobFairID); err != nil {
			s.writeError(c, err)
			return
		}
	}
	var v models.Vacancy
	req.apply(&v)
	if !s.saveVacancy(c, &v, nil) {
		return
	}
	s.respond(c, http.StatusCreated, v)
}

// checkFairOwner refuses a fair that is not the organiser's own (admins and employers
// posting at a fair are not organisers and pass).
func (s *Server) checkFairOwner(ctx context.Context, u models.User, fairID string) error {
	f, err := s.store.JobFair(ctx, fairID)
	if err != nil {
		if models.IsKind(err, models.ErrNotFound) {
			return invalid("job_fair_id", "no job fair with this id")
		}
		return err
	}
	if u.Role == models.RoleOrganiser && f.OrganiserID != u.ID {
		return models.Errorf(models.ErrForbidden, "job fair %s belongs to another organiser", fairID)
	}
	return nil
}

// saveVacancy checks and stores a vacancy: prev is the stored one when it is an update,
// nil when it is new.
func (s *Server) saveVacancy(c *gin.Context, v *models.Vacancy, prev *models.Vacancy) bool {
	v.Normalize()
	err := v.Validate()
	if err == nil {
		err = v.ResolveHazard(userOf(c).Role == models.RoleAdmin, prev)
	}
	if err != nil {
		s.writeError(c, err)
		return false
	}
	if prev == nil {
		err = s.store.CreateVacancy(c.Request.Context(), v)
	} else {
		err = s.store.UpdateVacancy(c.Request.Context(), v)
	}
	if err != nil {
		s.writeError(c, err)
		return false
	}
	return true
}

func (s *Server) getVacancy(c *gin.Context) {
	v, err := s.store.Vacancy(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, v)
}

// ownVacancy loads the vacancy and checks that the caller may change it: its employer,
// the organiser of its fair, or an admin.
func (s *Server) ownVacancy(c *gin.Context) (models.Vacancy, bool) {
	ctx := c.Request.Context()
	v, err := s.store.Vacancy(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return v, false
	}
	u := userOf(c)
	switch u.Role {
	case models.RoleAdmin:
		return v, true
	case models.RoleEmployer:
		if v.EmployerID == u.EmployerID {
			return v, true
		}
	case models.RoleOrganiser:
		if v.JobFairID != "" {
			if f, err := s.store.JobFair(ctx, v.JobFairID); err == nil && f.OrganiserID == u.ID {
				return v, true
			}
		}
	}
	s.writeError(c, models.Errorf(models.ErrForbidden, "vacancy %s is not yours to change", v.ID))
	return v, false
}

func (s *Server) patchVacancy(c *gin.Context) {
	v, ok := s.ownVacancy(c)
	if !ok {
		return
	}
	req := toVacancyRequest(v)
	// hazardous is read from the patch alone: left out, it stays as stored while the
	// occupation stays, and is judged afresh by the new occupation when that changes.
	req.Hazardous = nil
	if !s.bind(c, &req, true) {
		return
	}
	if req.Hazardous == nil && req.OccupationCode == v.OccupationCode && req.Title == v.Title {
		req.Hazardous = v.Hazardous
	}
	u := userOf(c)
	if req.EmployerID != v.EmployerID && u.Role != models.RoleAdmin {
		s.writeError(c, invalid("employer_id", "only an admin may move a vacancy to another employer"))
		return
	}
	if req.JobFairID != v.JobFairID && req.JobFairID != "" {
		if err := s.checkFairOwner(c.Request.Context(), u, req.JobFairID); err != nil {
			s.writeError(c, err)
			return
		}
	}
	prev := v
	req.apply(&v)
	if !s.saveVacancy(c, &v, &prev) {
		return
	}
	s.respond(c, http.StatusOK, v)
}

func (s *Server) deleteVacancy(c *gin.Context) {
	v, ok := s.ownVacancy(c)
	if !ok {
		return
	}
	if err := s.store.DeleteVacancy(c.Request.Context(), v.ID); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) listVacancies(c *gin.Context) {
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	f := store.VacancyFilter{State: c.Query("state"), Status: c.Query("status"), EmployerID: c.Query("employer_id"),
		JobFairID: c.Query("job_fair_id"), Page: store.Page{After: after, Limit: limit}}
	var fe models.FieldErrors
	q := queryTextOf(c, &fe)
	if f.State != "" && !models.ValidState(f.State) {
		fe.Add("state", "must be an ISO 3166-2:MX code such as MX-NLE")
	}
	if f.Status != "" && !slices.Contains(models.VacancyStatuses, models.VacancyStatus(f.Status)) {
		fe.Add("status", "must be one of open, paused, filled, closed")
	}
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	if q != "" {
		s.searchVacancies(c, q, f)
		return
	}
	items, more, err := s.store.ListVacancies(c.Request.Context(), f)
	respondList(s, c, items, more, err)
}

// maxSearchOffset bounds the offset a vacancy-search cursor carries: far more vacancies
// than any deployment holds, and small enough that offset plus limit never overflows
// or makes the index collect an enormous answer.
const maxSearchOffset = 1_000_000

// searchVacancies answers GET /vacancies?q=: the index ranks by text (accents and
// languages folded through the vocabulary) and the database supplies the records. The
// cursor is the offset into the index's answer.
func (s *Server) searchVacancies(c *gin.Context, q string, f store.VacancyFilter) {
	ctx := c.Request.Context()
	offset := 0
	if raw := c.Query("cursor"); raw != "" {
		b, err := base64.RawURLEncoding.DecodeString(raw)
		if err == nil {
			_, err = fmt.Sscanf(string(b), "q%d", &offset)
		}
		if err != nil || offset < 0 || offset > maxSearchOffset {
			s.writeError(c, invalid("cursor", "is not a cursor this server gave out"))
			return
		}
	}
	query := search.VacancyQuery{Text: q, OnlyOpen: f.Status == string(models.VacancyOpen), EmployerID: f.EmployerID,
		Offset: offset, Limit: f.Limit}
	if f.State != "" {
		query.States = []string{f.State}
	}
	res, err := s.index.SearchVacancies(ctx, query)
	if err != nil {
		s.writeError(c, err)
		return
	}
	vacs, err := s.store.VacanciesByID(ctx, hitIDs(res.Hits))
	if err != nil {
		s.writeError(c, err)
		return
	}
	items := make([]models.Vacancy, 0, len(vacs))
	for _, v := range vacs {
		// The index may lag the database by a moment: re-check the filters on the record.
		if (f.State == "" || v.State == f.State) && (f.Status == "" || string(v.Status) == f.Status) &&
			(f.EmployerID == "" || v.EmployerID == f.EmployerID) && (f.JobFairID == "" || v.JobFairID == f.JobFairID) {
			items = append(items, v)
		}
	}
	out := listResponse[models.Vacancy]{Items: items}
	if next := offset + len(res.Hits); uint64(next) < res.Total {
		cur := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("q%d", next)))
		out.NextCursor = &cur
	}
	s.respond(c, http.StatusOK, out)
}
