package api

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

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

// accessLog gives each request its ID (echoed in the X-Request-ID response header, and
// in problem+json bodies when the request came with it) and logs one line when it has been answered: the ID, the
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
		role := ""
		if u, ok := c.Get(userKey); ok {
			if u, ok := u.(models.User); ok {
				role = string(u.Role)
			}
		}
		s.logRequest(c.Request.Context(), id, c.Request.Method, c.FullPath(), c.Writer.Status(), start, max(c.Writer.Size(), 0), role)
	}
}

// logRequest writes a request's access line (route "" is "unmatched").
func (s *Server) logRequest(ctx context.Context, id, method, route string, status int, start time.Time, bytes int, role string) {
	if route == "" {
		route = "unmatched"
	}
	level := slog.LevelInfo
	if quietRoutes[route] {
		level = slog.LevelDebug
	}
	if !s.accessLines || !s.log.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{slog.String("request_id", id), slog.String("method", methodLabel(method)),
		slog.String("route", route), slog.Int("status", status),
		slog.Float64("duration_ms", float64(s.cfg.Now().Sub(start).Microseconds())/1000), slog.Int("bytes", bytes)}
	if role != "" {
		attrs = append(attrs, slog.String("role", role))
	}
	s.log.LogAttrs(ctx, level, "request", attrs...)
}

// Wrap serves h, a handler beside the API (the web console), with the API's request
// IDs, access lines and request metrics, all under the one route label given: the
// console's paths carry record IDs and are never labels or logged.
func (s *Server) Wrap(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		id := r.Header.Get(RequestIDHeader)
		if id == "" || !saneRequestID(id) {
			id = models.NewID()
		}
		w.Header().Set(RequestIDHeader, id)
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		method := methodLabel(r.Method)
		s.metrics.requests.WithLabelValues(method, route, statusLabel(sw.status)).Inc()
		s.metrics.duration.WithLabelValues(method, route, statusClass(sw.status)).Observe(s.cfg.Now().Sub(start).Seconds())
		s.logRequest(r.Context(), id, r.Method, route, sw.status, start, sw.bytes, "")
	})
}

// statusWriter remembers the status and counts the bytes of an answer.
type statusWriter struct {
	http.ResponseWriter
	status, bytes int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (deadlines, flushing).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
