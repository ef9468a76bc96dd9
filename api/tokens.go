package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
)

// DefaultTokenTTL is how long a staff or employer token lasts unless Config.TokenTTL
// says otherwise.
const DefaultTokenTTL = 30 * 24 * time.Hour

// tokenTTL is the lifetime of the staff and employer tokens this server issues.
func (s *Server) tokenTTL() time.Duration {
	if s.cfg.TokenTTL > 0 {
		return s.cfg.TokenTTL
	}
	return DefaultTokenTTL
}

// tokenExpiry is when a newly issued staff or employer token ends.
func (s *Server) tokenExpiry() time.Time { return s.now().Add(s.tokenTTL()) }

// tokenUser finds the user of a token hash. The store refuses a token past its recorded
// end (a migrant's, a staff token's, a revoked one); a staff token with no recorded
// end, issued before tokens had a lifetime, lasts the lifetime from its user's creation.
func (s *Server) tokenUser(ctx context.Context, hash string) (models.User, error) {
	u, err := s.store.UserByTokenHash(ctx, hash)
	if err != nil {
		return u, err
	}
	if u.TokenExpiresAt.IsZero() && u.Role != models.RoleMigrant && !u.CreatedAt.Add(s.tokenTTL()).After(s.now()) {
		return models.User{}, models.Errorf(models.ErrNotFound, "user not found")
	}
	return u, nil
}

// tokenReissued answers POST /users/{id}/token: the new token, shown once.
type tokenReissued struct {
	ID        string      `json:"id"`
	Role      models.Role `json:"role"`
	Token     string      `json:"token"`
	ExpiresAt time.Time   `json:"expires_at"`
}

func (s *Server) tokenRoutes() []route {
	admin := []models.Role{models.RoleAdmin}
	return []route{
		{method: "POST", path: "/api/v1/users/:id/revoke-tokens", summary: "End every token of a user at once (admin; audited)",
			roles: admin, handle: s.revokeTokens, status: http.StatusNoContent},
		{method: "POST", path: "/api/v1/users/:id/token", summary: "Give a staff or employer user a new token in place of the last one, shown once (admin; audited)",
			roles: admin, handle: s.reissueToken, response: tokenReissued{}, status: http.StatusCreated},
	}
}

func (s *Server) revokeTokens(c *gin.Context) {
	u := userOf(c)
	id := c.Param("id")
	err := s.store.RevokeUserTokens(c.Request.Context(), id, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role,
		Action: models.AuditUserTokensRevoked, SubjectType: "user", SubjectID: id})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) reissueToken(c *gin.Context) {
	u := userOf(c)
	id := c.Param("id")
	ctx := c.Request.Context()
	token, hash := NewToken()
	expires := s.tokenExpiry()
	target, err := s.store.ReissueUserToken(ctx, id, hash, expires, models.AuditEvent{ActorID: u.ID, ActorRole: u.Role,
		Action: models.AuditUserTokenIssued, SubjectType: "user", SubjectID: id},
		func(target models.User) error {
			if target.Role == models.RoleMigrant {
				return models.Errorf(models.ErrConflict, "a migrant gets a token by logging in with phone and PIN")
			}
			return nil
		})
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, tokenReissued{ID: target.ID, Role: target.Role, Token: token, ExpiresAt: target.TokenExpiresAt})
}
