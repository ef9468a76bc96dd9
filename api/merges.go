package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/people"
)

// candidateCreated is a profile staff registered, with the suspected duplicates found
// at registration (also recorded for staff: GET /api/v1/duplicate-flags).
type candidateCreated struct {
	candidateView
	SuspectedDuplicates []duplicateSuspect `json:"suspected_duplicates"`
}

type mergeRequest struct {
	// OtherID is the profile merged into the one of the path, which stays.
	OtherID string `json:"other_id"`
	Note    string `json:"note,omitempty"`
}

type mergeResponse struct {
	Merge     models.Merge  `json:"merge"`
	Candidate candidateView `json:"candidate"`
}

type duplicateFlagsResponse struct {
	Items []models.DuplicateFlag `json:"items"`
}

// mergedProblem answers a read of a merged-away profile for staff: the profile lives
// on under another ID, which Location names.
type mergedProblem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	MergedTo string `json:"merged_into"`
}

func (s *Server) mergeRoutes() []route {
	return []route{
		{method: "POST", path: "/api/v1/candidates/:id/merge", summary: "Merge another profile of the same person into this one (documents, skills, history, referrals and audit kept; the merge audited); the other ID then answers 308 to this one for staff, 404 for others",
			roles: staff, handle: s.mergeCandidates, request: mergeRequest{}, response: mergeResponse{}},
		{method: "GET", path: "/api/v1/duplicate-flags", summary: "Suspected duplicates found at registration that staff have not settled (merged or marked as different people), oldest first",
			roles: staff, handle: s.listDuplicateFlags, response: duplicateFlagsResponse{}, query: []string{"candidate_id", "limit"}},
	}
}

func suspectsOf(found []people.Suspect) []duplicateSuspect {
	out := make([]duplicateSuspect, len(found))
	for i, f := range found {
		p := f.Candidate
		out[i] = duplicateSuspect{Match: f.Match, Candidate: duplicateProfile{ID: p.ID, FullName: p.FullName,
			BirthDate: p.BirthDate, Nationality: p.Nationality, Phone: p.Phone, HasCURP: p.CURP != "", Hub: p.Hub,
			CurrentState: p.CurrentState, Status: string(p.Status), CreatedAt: p.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")}}
	}
	return out
}

func (s *Server) mergeCandidates(c *gin.Context) {
	var req mergeRequest
	if !s.bind(c, &req, false) {
		return
	}
	ctx := c.Request.Context()
	m, err := s.people.Merge(ctx, userOf(c), c.Param("id"), req.OtherID, req.Note)
	if err != nil {
		s.writeError(c, err)
		return
	}
	cand, err := s.store.Candidate(ctx, m.IntoID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, mergeResponse{Merge: m, Candidate: s.staffView(cand)})
}

func (s *Server) listDuplicateFlags(c *gin.Context) {
	limit := 100
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 500 {
			s.writeError(c, invalid("limit", "must be a whole number from 1 to 500"))
			return
		}
		limit = n
	}
	flags, err := s.people.Flags(c.Request.Context(), userOf(c), c.Query("candidate_id"), limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusOK, duplicateFlagsResponse{Items: flags})
}

// mergedAway answers a read of a profile that is not found: for staff, when it was
// merged into another, a 308 to that one. It reports whether it answered.
func (s *Server) mergedAway(c *gin.Context, err error) bool {
	if !errors.Is(err, models.ErrNotFound) {
		return false
	}
	m, merr := s.people.MergedInto(c.Request.Context(), userOf(c), c.Param("id"))
	if merr != nil {
		return false
	}
	loc := "/api/v1/candidates/" + m.IntoID
	c.Header("Location", loc)
	c.Header("Content-Type", "application/problem+json")
	s.respond(c, http.StatusPermanentRedirect, mergedProblem{Type: "about:blank", Title: "Merged", Status: http.StatusPermanentRedirect,
		Detail: "this profile was merged into " + m.IntoID + " (the same person)", MergedTo: m.IntoID})
	return true
}
