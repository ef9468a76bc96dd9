package api

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
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

// metrics counts requests by route and status and sums their durations, in the
// Prometheus text format.
type metrics struct {
	mu       sync.Mutex
	requests map[[3]string]uint64
	seconds  map[[2]string]float64
}

func newMetrics() *metrics {
	return &metrics{requests: map[[3]string]uint64{}, seconds: map[[2]string]float64{}}
}

func (m *metrics) middleware(now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := now()
		c.Next()
		path := c.FullPath()
		if path == "" {
			path = "unmatched"
		}
		// Every label comes from a closed set: the route table's paths (or "unmatched"),
		// methodLabel's methods and statusLabel's codes.
		method, status := methodLabel(c.Request.Method), statusLabel(c.Writer.Status())
		m.mu.Lock()
		m.requests[[3]string{method, path, status}]++
		m.seconds[[2]string{method, path}] += now().Sub(start).Seconds()
		m.mu.Unlock()
	}
}

func (s *Server) metricsHandler(c *gin.Context) {
	m := s.metrics
	m.mu.Lock()
	var lines []string
	for k, n := range m.requests {
		lines = append(lines, fmt.Sprintf("vincula_http_requests_total{method=%q,route=%q,status=%q} %d", k[0], k[1], k[2], n))
	}
	for k, sec := range m.seconds {
		lines = append(lines, fmt.Sprintf("vincula_http_request_seconds_sum{method=%q,route=%q} %g", k[0], k[1], sec))
	}
	m.mu.Unlock()
	sort.Strings(lines)
	var b strings.Builder
	b.WriteString("# HELP vincula_http_requests_total HTTP requests by route and status.\n# TYPE vincula_http_requests_total counter\n")
	b.WriteString("# HELP vincula_http_request_seconds_sum Time spent serving requests.\n# TYPE vincula_http_request_seconds_sum counter\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	for _, g := range s.gauges {
		name, v := g()
		fmt.Fprintf(&b, "%s %g\n", name, v)
	}
	c.Data(http.StatusOK, "text/plain; version=0.0.4", []byte(b.String()))
}
