package api

import (
	"log/slog"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/models"
)

// RequestIDHeader carries a request's ID: taken from the client (or the proxy in
// front) when it is a sane one, generated otherwise, and echoed in every response.
const RequestIDHeader = "X-Request-ID"

// requestIDKey is where the request's ID waits in the gin context; clientIDKey is set
// when the ID came from the request.
const (
	requestIDKey = "vincula.request_id"
	clientIDKey  = "vincula.request_id_given"
)

// maxRequestIDLength bounds a request ID taken from a client.
const maxRequestIDLength = 128

var (
	// requestIDPattern is what a request ID may be made of: the characters of UUIDs,
	// ULIDs and the usual tracing IDs, none of which needs quoting in a log line.
	requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]+$`)
	// curpShape is the form of a CURP (four letters, a date, sex, state, consonants,
	// two more characters), and digitsOnly the form of a phone number: a client must
	// not be able to put personal data into the logs as a request ID.
	curpShape  = regexp.MustCompile(`(?i)^[A-Z]{4}[0-9]{6}[HMX][A-Z]{5}[A-Z0-9][0-9]$`)
	digitsOnly = regexp.MustCompile(`^[0-9]+$`)
)

// saneRequestID reports whether a client's request ID may be used as it is.
func saneRequestID(id string) bool {
	return len(id) <= maxRequestIDLength && requestIDPattern.MatchString(id) && !curpShape.MatchString(id) &&
		!digitsOnly.MatchString(id) && !strings.Contains(id, "..")
}

// requestIDOf returns the ID of the request c serves ("" outside the access log's
// middleware).
func requestIDOf(c *gin.Context) string { return c.GetString(requestIDKey) }

// problemRequestID is the request ID a problem+json body quotes: the one the request
// came with (from the client or the proxy in front, which then finds its own ID in the
// answer). A generated ID is in the X-Request-ID response header only, so that two
// answers to the same question stay the same document (an employer must not be able
// to tell a hidden person from an absent one by comparing them).
func problemRequestID(c *gin.Context) string {
	if c.GetBool(clientIDKey) {
		return requestIDOf(c)
	}
	return ""
}

// quietRoutes are the routes a probe or a scraper calls every few seconds: their
// access lines are logged at debug level only.
var quietRoutes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// accessLog gives each request its ID (echoed in the X-Request-ID response header and
// in problem+json bodies) and logs one line when it has been answered: the ID, the
// method, the route template (never the path as sent, nor the query, which may carry
// names, phones or document numbers), the status, the time taken, the bytes sent and
// the role of the signed-in user. Nothing from the request's body, headers or
// parameters is logged.
func (s *Server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := s.cfg.Now()
		id := c.GetHeader(RequestIDHeader)
		if id != "" && saneRequestID(id) {
			c.Set(clientIDKey, true)
		} else {
			id = models.NewID()
		}
		c.Set(requestIDKey, id)
		c.Header(RequestIDHeader, id)
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		level := slog.LevelInfo
		if quietRoutes[route] {
			level = slog.LevelDebug
		}
		if !s.accessLines || !s.log.Enabled(c.Request.Context(), level) {
			return
		}
		attrs := []slog.Attr{slog.String("request_id", id), slog.String("method", methodLabel(c.Request.Method)),
			slog.String("route", route), slog.Int("status", c.Writer.Status()),
			slog.Float64("duration_ms", float64(s.cfg.Now().Sub(start).Microseconds())/1000), slog.Int("bytes", max(c.Writer.Size(), 0))}
		if u, ok := c.Get(userKey); ok {
			if u, ok := u.(models.User); ok && u.Role != "" {
				attrs = append(attrs, slog.String("role", string(u.Role)))
			}
		}
		s.log.LogAttrs(c.Request.Context(), level, "request", attrs...)
	}
}
