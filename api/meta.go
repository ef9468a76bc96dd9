package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/search"
)

// readiness describes the body of /readyz for the OpenAPI document: each check says
// "ok" or what is wrong.
type readiness struct {
	Database      string                 `json:"database"`
	Index         string                 `json:"index,omitempty"`
	IndexFollower *search.FollowerStatus `json:"index_follower,omitempty"`
}

func (s *Server) healthz(c *gin.Context) {
	s.respond(c, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when the database answers (and, once the server has a search
// index, when the index does and its follower keeps up with the change feed). With
// Config.IndexStatus the body also carries the follower's report (lag, failures, last
// error, changes set aside) under index_follower.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]any{"database": "ok"}
	status := http.StatusOK
	if err := s.store.Ping(ctx); err != nil {
		checks["database"] = "unreachable"
		status = http.StatusServiceUnavailable
	}
	for name, check := range s.readiness {
		checks[name] = "ok"
		if err := check(ctx); err != nil {
			checks[name] = err.Error()
			status = http.StatusServiceUnavailable
		}
	}
	if s.cfg.IndexStatus != nil {
		checks["index_follower"] = s.cfg.IndexStatus(ctx)
	}
	s.respond(c, status, checks)
}
