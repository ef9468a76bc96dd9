package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// problem is an RFC 9457 problem document.
type problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   []models.FieldError `json:"errors,omitempty"`
	// Extra facts for some problems: the allowed transitions of a refused referral
	// move, the reasons a candidate is not eligible.
	Allowed []string `json:"allowed,omitempty"`
	Reasons []string `json:"reasons,omitempty"`
	// RequestID is the ID the request came with (its X-Request-ID), to quote when
	// reporting the problem; a generated ID is in the response's X-Request-ID only.
	RequestID string `json:"request_id,omitempty"`
}

const problemBase = "https://vincula.example/problems/"

// statusOf is the one table from domain error kinds to HTTP statuses.
var statusOf = []struct {
	kind   error
	status int
	slug   string
	title  string
}{
	{models.ErrInvalid, http.StatusUnprocessableEntity, "validation", "Validation failed"},
	{models.ErrNotEligible, http.StatusUnprocessableEntity, "not-eligible", "Not legally eligible"},
	{errNotReferable, http.StatusUnprocessableEntity, "not-referable", "Cannot be referred"},
	{models.ErrNotFound, http.StatusNotFound, "not-found", "Not found"},
	{models.ErrConflict, http.StatusConflict, "conflict", "Conflict"},
	{models.ErrForbidden, http.StatusForbidden, "forbidden", "Forbidden"},
	{models.ErrUnauthorized, http.StatusUnauthorized, "unauthorized", "Unauthorized"},
}

// StatusClientClosed is the status a request gets, in the log and the metrics, when its
// client went away before the answer (nginx's 499): it is not the server's fault.
const StatusClientClosed = 499

// RetryAfterUnavailable is the Retry-After, in seconds, of a 503 sent while the database
// cannot serve (a PostgreSQL restart takes a few seconds; the pool reconnects by itself).
const RetryAfterUnavailable = "2"

// outageOf classifies an error that no domain kind claims: StatusClientClosed when the
// client abandoned the request (its context is canceled, so whatever the database then
// failed with is a consequence), 503 when the database cannot serve now
// (store.Unavailable: connection refused or lost, PostgreSQL shutting down or starting,
// the pool closed, SQLite locked past its busy timeout), 0 for a fault (500).
func outageOf(c *gin.Context, err error) int {
	switch {
	case errors.Is(c.Request.Context().Err(), context.Canceled):
		return StatusClientClosed
	case store.Unavailable(err):
		return http.StatusServiceUnavailable
	}
	return 0
}

// logOutage logs a request that ended for one of outageOf's reasons: an abandoned
// request at debug level (it is not an error), an unreachable database as a warning.
func (s *Server) logOutage(c *gin.Context, status int, err error) {
	attrs := []any{slog.String("method", methodLabel(c.Request.Method)), slog.String("route", c.FullPath()), slog.String("request_id", requestIDOf(c)),
		slog.Any("err", err)}
	if status == StatusClientClosed {
		s.log.Debug("client closed the request", attrs...)
		return
	}
	s.log.Warn("database unavailable", attrs...)
}

// writeError sends err as problem+json. Domain errors carry their own message; an
// abandoned request is answered 499 and an unreachable database 503 with Retry-After
// (outageOf); anything else is logged and reaches the client only as "internal error".
func (s *Server) writeError(c *gin.Context, err error) {
	for _, m := range statusOf {
		if !errors.Is(err, m.kind) {
			continue
		}
		p := problem{Type: problemBase + m.slug, Title: m.title, Status: m.status, Instance: c.Request.URL.Path}
		if e, ok := models.AsError(err); ok {
			p.Detail = e.Message
			p.Errors = e.Fields
			p.Allowed = detailStrings(e.Details["allowed"])
			p.Reasons = detailStrings(e.Details["reasons"])
		} else {
			p.Detail = err.Error()
		}
		if m.status == http.StatusUnauthorized {
			c.Header("WWW-Authenticate", `Bearer realm="vincula"`)
		}
		s.sendProblem(c, p)
		return
	}
	switch status := outageOf(c, err); status {
	case StatusClientClosed:
		s.logOutage(c, status, err)
		s.sendProblem(c, problem{Type: problemBase + "client-closed", Title: "Client closed the request", Status: status,
			Detail: "the client went away before the answer", Instance: c.Request.URL.Path})
		return
	case http.StatusServiceUnavailable:
		s.logOutage(c, status, err)
		c.Header("Retry-After", RetryAfterUnavailable)
		s.sendProblem(c, problem{Type: problemBase + "unavailable", Title: "Service unavailable", Status: status,
			Detail: "the database cannot be reached just now; try again in a few seconds", Instance: c.Request.URL.Path})
		return
	}
	s.log.Error("internal error", slog.String("method", methodLabel(c.Request.Method)),
		slog.String("route", c.FullPath()), slog.String("request_id", requestIDOf(c)), slog.Any("err", err))
	s.sendProblem(c, problem{Type: problemBase + "internal", Title: "Internal error", Status: http.StatusInternalServerError,
		Detail: "internal error", Instance: c.Request.URL.Path})
}

// fail sends a problem of the given status without a domain error behind it.
func (s *Server) fail(c *gin.Context, status int, slug, title, detail string) {
	s.sendProblem(c, problem{Type: problemBase + slug, Title: title, Status: status, Detail: detail, Instance: c.Request.URL.Path})
}

func (s *Server) sendProblem(c *gin.Context, p problem) {
	c.Abort()
	p.RequestID = problemRequestID(c)
	c.Header("Content-Type", "application/problem+json")
	c.Status(p.Status)
	if err := jsonEncode(c.Writer, p); err != nil {
		s.log.Warn("write problem", slog.Any("err", err))
	}
}

func detailStrings(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []models.ReferralStatus:
		out := make([]string, len(x))
		for i, s := range x {
			out[i] = string(s)
		}
		return out
	}
	return nil
}

func invalid(field, format string, args ...any) error {
	var fe models.FieldErrors
	fe.Add(field, format, args...)
	return fe.Err()
}
