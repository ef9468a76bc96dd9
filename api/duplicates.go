package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/dedupe"
	"github.com/vincula/vincula/models"
)

// duplicateSuspect is another profile that may be the same person, as staff see it.
type duplicateSuspect struct {
	Candidate duplicateProfile `json:"candidate"`
	dedupe.Match
}

// duplicateProfile is enough of a profile to tell two registrations apart.
type duplicateProfile struct {
	ID           string      `json:"id"`
	FullName     string      `json:"full_name"`
	BirthDate    models.Date `json:"birth_date"`
	Nationality  string      `json:"nationality"`
	Phone        string      `json:"phone,omitempty"`
	HasCURP      bool        `json:"has_curp"`
	Hub          string      `json:"hub,omitempty"`
	CurrentState string      `json:"current_state"`
	Status       string      `json:"status"`
	CreatedAt    string      `json:"created_at"`
}

type duplicatesResponse struct {
	Items []duplicateSuspect `json:"items"`
}

type distinctRequest struct {
	Note string `json:"note,omitempty"`
}

func (s *Server) duplicateRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/candidates/:id/duplicates", summary: "Suspected duplicates of a profile with the reasons (same CURP; same birth date, nationality and a close name); a shared phone is only a hint",
			roles: staff, handle: s.candidateDuplicates, response: duplicatesResponse{}},
		{method: "POST", path: "/api/v1/candidates/:id/duplicates/:other_id/distinct", summary: "Record that two suspected duplicates are different people (audited); they are no longer suggested",
			roles: staff, handle: s.markDistinct, request: distinctRequest{}, response: models.DistinctPair{}, status: http.StatusCreated},
	}
}

func (s *Server) candidateDuplicates(c *gin.Context) {
	ctx := c.Request.Context()
	id := c.Param("id")
	me, err := s.store.Candidate(ctx, id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	_, pool, distinct, err := s.store.DuplicatePool(ctx, id, dedupe.PhoneKey(me.Phone))
	if err != nil {
		s.writeError(c, err)
		return
	}
	people := make([]dedupe.Person, len(pool))
	byID := map[string]models.Candidate{}
	for i, p := range pool {
		people[i], byID[p.ID] = dedupe.PersonOf(p), p
	}
	out := duplicatesResponse{Items: []duplicateSuspect{}}
	for _, m := range dedupe.Find(dedupe.PersonOf(me), people, distinct) {
		p := byID[m.ID]
		out.Items = append(out.Items, duplicateSuspect{Match: m, Candidate: duplicateProfile{ID: p.ID, FullName: p.FullName,
			BirthDate: p.BirthDate, Nationality: p.Nationality, Phone: p.Phone, HasCURP: p.CURP != "", Hub: p.Hub,
			CurrentState: p.CurrentState, Status: string(p.Status), CreatedAt: p.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")}})
	}
	s.respond(c, http.StatusOK, out)
}

func (s *Server) markDistinct(c *gin.Context) {
	var req distinctRequest
	if !s.bind(c, &req, true) {
		return
	}
	a, b := c.Param("id"), c.Param("other_id")
	if a == b {
		s.writeError(c, invalid("other_id", "must name another candidate"))
		return
	}
	u := userOf(c)
	audit := func(subject, other string) models.AuditEvent {
		return models.AuditEvent{ActorID: u.ID, ActorRole: u.Role, Action: models.AuditMarkedDistinct, SubjectType: "candidate",
			SubjectID: subject, Detail: "different person from " + other}
	}
	pair, err := s.store.MarkDistinct(c.Request.Context(), a, b, u.ID, req.Note, audit(a, b), audit(b, a))
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, pair)
}
