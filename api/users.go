package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
)

// defaultCapacity is the caseload of a counsellor created through /users, who has not
// been given one.
const defaultCapacity = 20

func (s *Server) createUser(c *gin.Context) {
	var req userRequest
	if !s.bind(c, &req, false) {
		return
	}
	ctx := c.Request.Context()
	var fe models.FieldErrors
	if strings.TrimSpace(req.Name) == "" {
		fe.Add("name", "is required")
	}
	switch req.Role {
	case models.RoleEmployer:
		if req.EmployerID == "" {
			fe.Add("employer_id", "is required for the employer role")
		} else if _, err := s.store.Employer(ctx, req.EmployerID); err != nil {
			fe.Add("employer_id", "no employer with this id")
		}
	case models.RoleCounsellor:
		if req.OfficeID == "" {
			fe.Add("office_id", "is required for the counsellor role")
		}
	case models.RoleMigrant:
		fe.Add("role", "migrants register themselves (POST /api/v1/migrants/register)")
	case models.RoleHubStaff, models.RoleOrganiser, models.RoleAdmin:
	default:
		fe.Add("role", "must be one of employer, counsellor, hub_staff, organiser, admin")
	}
	if req.Role != models.RoleEmployer && req.EmployerID != "" {
		fe.Add("employer_id", "only employer users belong to an employer")
	}
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	token, hash := NewToken()
	u := models.User{Name: strings.TrimSpace(req.Name), Email: strings.ToLower(strings.TrimSpace(req.Email)),
		Role: req.Role, EmployerID: req.EmployerID, OfficeID: req.OfficeID, TokenExpiresAt: s.tokenExpiry()}
	var err error
	if req.Role == models.RoleCounsellor {
		co := models.Counsellor{Name: u.Name, Email: u.Email, OfficeID: req.OfficeID, Languages: []string{}, Capacity: defaultCapacity}
		err = s.store.CreateCounsellor(ctx, &co, &u, hash)
	} else {
		err = s.store.CreateUser(ctx, &u, hash)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, userCreated{ID: u.ID, Role: u.Role, Token: token, EmployerID: u.EmployerID, OfficeID: u.OfficeID,
		TokenExpiresAt: u.TokenExpiresAt})
}
