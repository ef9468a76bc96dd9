package api

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

func (s *Server) createCandidate(c *gin.Context) {
	var req candidateRequest
	if !s.bind(c, &req, false) {
		return
	}
	u := userOf(c)
	var cand models.Candidate
	// Staff register documents after seeing the originals, so they are verified by them.
	req.apply(&cand, u.ID, s.now())
	if !s.saveCandidate(c, &cand, true) {
		return
	}
	// One person, once: the new profile's suspected duplicates are recorded for staff
	// and shown to the staff member registering it.
	found, err := s.people.AtRegistration(c.Request.Context(), cand)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, candidateCreated{candidateView: s.staffView(cand), SuspectedDuplicates: suspectsOf(found)})
}

func (s *Server) saveCandidate(c *gin.Context, cand *models.Candidate, create bool) bool {
	cand.Normalize()
	if err := cand.ValidateAt(s.today()); err != nil {
		s.writeError(c, err)
		return false
	}
	var err error
	if create {
		err = s.store.CreateCandidate(c.Request.Context(), cand)
	} else {
		err = s.store.UpdateCandidate(c.Request.Context(), cand)
	}
	if err != nil {
		s.writeError(c, err)
		return false
	}
	return true
}

func (s *Server) getCandidate(c *gin.Context) {
	ctx := c.Request.Context()
	cand, err := s.store.Candidate(ctx, c.Param("id"))
	if err != nil {
		if s.mergedAway(c, err) {
			return
		}
		s.writeError(c, err)
		return
	}
	u := userOf(c)
	if u.Role != models.RoleEmployer {
		s.respond(c, http.StatusOK, s.staffView(cand))
		return
	}
	// An employer sees only people who agreed to be shown, and each look is audited.
	if !cand.Consent.ShareProfile || cand.Status != models.CandidateActive {
		s.writeError(c, models.Errorf(models.ErrNotFound, "candidate %s not found", cand.ID))
		return
	}
	if err := s.store.RecordAudit(ctx, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: models.AuditCandidateViewed,
		SubjectType: "candidate", SubjectID: cand.ID, Detail: "employer " + u.EmployerID}); err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, employerView(cand))
}

func (s *Server) patchCandidate(c *gin.Context) {
	cand, err := s.store.Candidate(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	req := toCandidateRequest(cand)
	if !s.bind(c, &req, true) {
		return
	}
	req.apply(&cand, userOf(c).ID, s.now())
	if !s.saveCandidate(c, &cand, false) {
		return
	}
	s.respond(c, http.StatusOK, s.staffView(cand))
}

func (s *Server) deleteCandidate(c *gin.Context) {
	u := userOf(c)
	id := c.Param("id")
	err := s.store.EraseCandidate(c.Request.Context(), id, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role,
		Action: models.AuditCandidateErased, SubjectType: "candidate", SubjectID: id})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) listCandidates(c *gin.Context) {
	limit, after, err := pageOf(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var fe models.FieldErrors
	f := store.CandidateFilter{State: c.Query("state"), Hub: c.Query("hub"), Status: c.Query("status"), Q: queryTextOf(c, &fe),
		Page: store.Page{After: after, Limit: limit}}
	if f.State != "" && !models.ValidState(f.State) {
		fe.Add("state", "must be an ISO 3166-2:MX code such as MX-CHP")
	}
	if f.Status != "" && !slices.Contains(models.CandidateStatuses, models.CandidateStatus(f.Status)) {
		fe.Add("status", "must be one of active, inactive, placed")
	}
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	items, more, err := s.store.ListCandidates(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	last := ""
	views := make([]candidateView, len(items))
	for i, cand := range items {
		views[i], last = s.staffView(cand), cand.ID
	}
	s.respond(c, http.StatusOK, newList(views, more, last))
}

// candidateEligibility answers GET /candidates/{id}/eligibility?state=&date=; the date
// defaults to today in Mexico City.
func (s *Server) candidateEligibility(c *gin.Context) {
	q, err := s.eligibilityQuery(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	cand, err := s.store.Candidate(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, matching.Eligibility(&cand, q, s.rules))
}

func (s *Server) eligibilityQuery(c *gin.Context) (matching.Query, error) {
	var fe models.FieldErrors
	q := matching.Query{State: c.Query("state"), Date: s.today(), EmployerID: c.Query("employer_id")}
	if q.State == "" {
		fe.Add("state", "is required: the ISO 3166-2:MX code of the state, such as MX-NLE")
	} else if !models.ValidState(q.State) {
		fe.Add("state", "%q is not an ISO 3166-2:MX state code (such as MX-NLE)", q.State)
	}
	if raw := c.Query("date"); raw != "" {
		d, err := models.ParseDate(raw)
		if err != nil {
			fe.Add("date", "%s", err.Error())
		}
		q.Date = d
	}
	return q, fe.Err()
}
