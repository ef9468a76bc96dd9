package api

import (
	"crypto/subtle"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/models"
)

// NewToken returns a fresh bearer token and the hash that is stored in its place
// (accounts.NewToken).
func NewToken() (token, hash string) { return accounts.NewToken() }

// HashToken is the one-way form in which tokens are stored (accounts.HashToken).
func HashToken(token string) string { return accounts.HashToken(token) }

// adminUser stands for whoever holds VINCULA_ADMIN_TOKEN.
var adminUser = models.User{ID: "admin-token", Name: "bootstrap admin", Role: models.RoleAdmin}

const userKey = "vincula.user"

// authenticate finds the caller of a bearer token; it answers 401 itself and reports
// false when there is none or it is unknown.
func (s *Server) authenticate(c *gin.Context) (models.User, bool) {
	header := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(header, "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		s.writeError(c, models.Errorf(models.ErrUnauthorized, "send a bearer token: Authorization: Bearer <token>"))
		return models.User{}, false
	}
	hash := HashToken(token)
	if s.adminHash != "" && subtle.ConstantTimeCompare([]byte(hash), []byte(s.adminHash)) == 1 {
		return adminUser, true
	}
	u, err := s.tokenUser(c.Request.Context(), hash)
	if err != nil {
		if models.IsKind(err, models.ErrNotFound) {
			s.writeError(c, models.Errorf(models.ErrUnauthorized, "the bearer token is not valid"))
		} else {
			s.writeError(c, err)
		}
		return models.User{}, false
	}
	return u, true
}

// guard returns the middleware of a route: public routes pass, others need a user
// whose role is listed.
func (s *Server) guard(r route) gin.HandlerFunc {
	return func(c *gin.Context) {
		if r.public {
			if s.checkParams(c) {
				c.Next()
			}
			return
		}
		u, ok := s.authenticate(c)
		if !ok {
			return
		}
		if !slices.Contains(r.roles, u.Role) {
			s.writeError(c, models.Errorf(models.ErrForbidden, "the %s role may not %s %s", u.Role, r.method, r.path))
			return
		}
		c.Set(userKey, u)
		if !s.checkParams(c) {
			return
		}
		c.Next()
	}
}

func userOf(c *gin.Context) models.User {
	u, _ := c.Get(userKey)
	return u.(models.User)
}
