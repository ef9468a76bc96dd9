// Package api is Vincula's REST API (API.md): the gin router, handlers, authentication
// and roles, request and response types, problem+json errors and the OpenAPI document.
// Handlers bind and check the request, call the store or a domain package, and map
// the result; gorm never appears here.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/vincula/vincula/alerts"
	"github.com/vincula/vincula/fairs"
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/migrants"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/people"
	"github.com/vincula/vincula/placement"
	"github.com/vincula/vincula/store"
)

// Config holds what the API needs from the deployment.
type Config struct {
	// AdminToken, when set, is accepted as an admin's bearer token (for bootstrapping).
	AdminToken string
	// MaxBodyBytes caps JSON request bodies (413 beyond).
	MaxBodyBytes int64
	// TrustedProxies lists the proxies whose X-Forwarded-For is believed; empty trusts none.
	TrustedProxies []string
	// Location is where "today" is reckoned (Mexico City).
	Location *time.Location
	// Now is the clock; without it the store's clock is used, so one clock stamps rows
	// and decides dates.
	Now func() time.Time
	// Rules are the eligibility rules (the embedded ones unless the deployment has its own).
	Rules *matching.Rules
	// Weights are the ranking weights (the embedded ones unless the deployment has its own).
	Weights *matching.Weights
	// Index is the search index the match and search endpoints narrow with.
	Index Index
	// IndexReady, when set, tells readiness whether the index is current enough to serve.
	IndexReady func(context.Context) error
	// IndexStatus, when set, is the index follower's report that readiness shows
	// (search.Follower.Status: lag, failures in a row, last error, changes set aside).
	IndexStatus func(context.Context) any
	// Gauges report one metric each on /metrics, named by the function (a simple form;
	// Collectors is the general one).
	Gauges []func() (string, float64)
	// Collectors are added to the server's /metrics (for example the index follower's
	// lag and errors, which cmd/vincula reports).
	Collectors []prometheus.Collector
	// UploadDir is where uploaded import files wait for their background import (a
	// vincula-uploads directory under the system's temporary directory when empty).
	UploadDir string
	// MaxUploadBytes caps an import upload (413 beyond); 0 means 64 MiB.
	MaxUploadBytes int64
	// UploadTimeout is how long an import upload may take to arrive and be answered,
	// in place of the HTTP server's read and write timeouts (which suit every other
	// request); 0 means 15 minutes: 64 MiB at 75 kB/s, a slow hub connection.
	UploadTimeout time.Duration
	// ImportWorkers is how many imports run at once (the others wait, queued); 0 means 2.
	ImportWorkers int
	// MaxInFlight caps the requests served at once (health, readiness and metrics
	// aside); 0 means 64 per core. MaxQueued more wait for a slot until their client
	// gives up; 0 means as many as MaxInFlight, a negative value none. Requests beyond
	// both are answered 503 at once, with Retry-After.
	MaxInFlight, MaxQueued int
	// Migrants tunes the migrants' self-service endpoints (rate limits, lockout, token
	// lifetime); zero fields take the defaults of MigrantConfig.
	Migrants MigrantConfig
	// TokenTTL is how long the staff and employer tokens the server issues last
	// (DefaultTokenTTL, 30 days, when zero).
	TokenTTL time.Duration
	// WebhooksAllowLoopbackHTTP lets webhook endpoints be plain http on 127.0.0.1 or
	// localhost (tests, a receiver in development); otherwise only https is accepted.
	WebhooksAllowLoopbackHTTP bool
}

// The defaults of Config.MaxBodyBytes and Config.MaxUploadBytes.
const (
	defaultMaxBodyBytes   = 1 << 20
	defaultMaxUploadBytes = 64 << 20
)

// Server serves the API.
type Server struct {
	cfg       Config
	store     *store.Store
	log       *slog.Logger
	engine    *gin.Engine
	routes    []route
	adminHash string
	metrics   *metrics
	// accessLines is whether each request gets a line in the log.
	accessLines bool
	rules       *matching.Rules
	weights     *matching.Weights
	vocab       *models.Vocabulary
	index       Index
	matcher     *Matcher
	// placement runs the referral use cases.
	placement *placement.Service
	// matches runs the use case of a vacancy's ranked candidates.
	matches *placement.Matches
	// readiness holds the checks of parts added after construction (the search index).
	readiness map[string]func(context.Context) error
	// gauges report one metric each (for example the index lag).
	gauges []func() (string, float64)
	// fairs runs the import use cases and their background imports; Close stops them.
	fairs *fairs.Service
	// migrants runs the migrants' self-service use cases (their rate limits and lockout
	// included).
	migrants *migrants.Service
	// admission caps the requests in flight.
	admission *admission
	// alerts runs the saved searches and their alert sweep.
	alerts *alerts.Service
	// people finds suspected duplicates and merges profiles.
	people *people.Service
	// handler, when set (by the tests' contract check), wraps engine.
	handler http.Handler
	// openAPI is the OpenAPI document, built on first use.
	openAPI builtDocument
}

// route is one endpoint: the router and the OpenAPI document are both built from the
// same list, so neither can miss one.
type route struct {
	method, path string
	summary      string
	public       bool
	roles        []models.Role
	handle       gin.HandlerFunc
	// request and response are example values whose types describe the bodies in the
	// OpenAPI document (nil when there is none).
	request, response any
	status            int
	query             []string
	// alternatives are the other bodies the route may answer (oneOf with response):
	// an employer's minimised view of a candidate, say.
	alternatives []any
	// contentType is the media type of a body that is not JSON (the metrics' text).
	contentType string
	// upload says the body is the multipart form of an import.
	upload bool
}

var (
	anyone   []models.Role
	allRoles = models.Roles
	staff    = []models.Role{models.RoleHubStaff, models.RoleCounsellor, models.RoleAdmin}
)

// New builds the server and its routes.
func New(st *store.Store, cfg Config, log *slog.Logger) (*Server, error) {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = defaultMaxBodyBytes
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation("America/Mexico_City")
		if err != nil {
			loc = time.FixedZone("CST", -6*3600)
		}
		cfg.Location = loc
	}
	if cfg.Now == nil {
		cfg.Now = st.Now()
	}
	// Without a logger of its own the server logs its errors to slog's default and
	// writes no access lines (a program embedding it, a test).
	accessLines := log != nil
	if log == nil {
		log = slog.Default()
	}
	if cfg.Rules == nil {
		cfg.Rules = matching.DefaultRules()
	}
	if cfg.Weights == nil {
		cfg.Weights = matching.DefaultWeights()
	}
	if cfg.Index == nil {
		return nil, errors.New("api: a search index is required")
	}
	if cfg.UploadDir == "" {
		cfg.UploadDir = filepath.Join(os.TempDir(), "vincula-uploads")
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = defaultMaxUploadBytes
	}
	if cfg.UploadTimeout <= 0 {
		cfg.UploadTimeout = 15 * time.Minute
	}
	s := &Server{cfg: cfg, store: st, log: log, accessLines: accessLines, metrics: newMetrics(), rules: cfg.Rules,
		weights: cfg.Weights, vocab: models.DefaultVocabulary(), index: cfg.Index,
		readiness: map[string]func(context.Context) error{}, gauges: cfg.Gauges, fairs: fairs.New(st, cfg.UploadDir, cfg.ImportWorkers, log)}
	s.matcher = NewMatcher(st, cfg.Index, cfg.Rules, cfg.Weights)
	s.placement = placement.New(st, cfg.Rules, cfg.Now, cfg.Location)
	s.matches = placement.NewMatches(s.placement, s.matcher.svc)
	s.alerts = alerts.New(st, s.matcher.svc, cfg.Location)
	s.people = people.New(st)
	s.migrants = migrants.New(st, cfg.Rules, s.matcher.svc, cfg.Now, cfg.Location, cfg.Migrants)
	s.cfg.Migrants = s.migrants.Config()
	// Suspected duplicates of a migrant registering alone are recorded for staff; the
	// migrant is not told of them.
	s.migrants.CheckAtRegistration(func(ctx context.Context, c models.Candidate) {
		if _, err := s.people.AtRegistration(ctx, c); err != nil {
			s.log.Warn("duplicate check at a migrant's registration", slog.String("candidate", c.ID), slog.Any("err", err))
		}
	})
	s.admission = newAdmission(cfg.MaxInFlight, cfg.MaxQueued)
	for _, g := range s.gauges {
		if err := s.metrics.gauge(g); err != nil {
			return nil, fmt.Errorf("api: metrics: %w", err)
		}
	}
	if err := s.metrics.register(append(s.admission.collectors(), cfg.Collectors...)...); err != nil {
		return nil, fmt.Errorf("api: metrics: %w", err)
	}
	s.fairs.OnFinished(s.metrics.importFinished)
	if cfg.IndexReady != nil {
		s.readiness["index"] = cfg.IndexReady
	}
	if cfg.AdminToken != "" {
		s.adminHash = HashToken(cfg.AdminToken)
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	if err := e.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	e.Use(s.accessLog(), securityHeaders, s.recoverer(), s.metrics.middleware(cfg.Now), s.admit())
	// Before the routes' guards, so that refusals on /me are in the migrant's language.
	e.Use(s.migrantGate())
	e.NoRoute(func(c *gin.Context) {
		s.fail(c, http.StatusNotFound, "not-found", "Not found", "no such endpoint: "+c.Request.Method+" "+c.Request.URL.Path)
	})
	e.NoMethod(func(c *gin.Context) {
		s.fail(c, http.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed", c.Request.Method+" is not allowed here")
	})
	s.routes = s.routeTable()
	for _, r := range s.routes {
		e.Handle(r.method, r.path, s.guard(r), r.handle)
	}
	s.engine = e
	return s, nil
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler {
	if s.handler != nil {
		return s.handler
	}
	return s.engine
}

// Close stops the background imports and waits for them: each stops at its next
// batch, and its job stays running in the database until its lease has run out and a
// server marks it failed (re-running it is safe). Call it after the HTTP server has
// shut down.
func (s *Server) Close() { s.fairs.Close() }

// securityHeaders keeps browsers from guessing content types on every response, and
// keeps caches (the browser's, a hub's proxy) from storing API answers, which carry
// personal data or tokens. Only the public OpenAPI document may be cached.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if p := c.Request.URL.Path; strings.HasPrefix(p, "/api/") && p != "/api/v1/openapi.json" {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

func (s *Server) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if rec := recover(); rec != nil {
				s.log.Error("panic in handler", slog.Any("panic", rec), slog.String("route", c.FullPath()), slog.String("request_id", requestIDOf(c)))
				s.fail(c, http.StatusInternalServerError, "internal", "Internal error", "internal error")
			}
		}()
		c.Next()
	}
}

// today is the calendar day in Mexico City.
func (s *Server) today() models.Date { return models.DateOf(s.cfg.Now().In(s.cfg.Location)) }

func (s *Server) now() time.Time { return s.cfg.Now().UTC() }

// Matches returns the use case of a vacancy's ranked candidates the API calls, for
// the console to share.
func (s *Server) Matches() *placement.Matches { return s.matches }

// Placement returns the referral use cases the API calls, for the console to share.
func (s *Server) Placement() *placement.Service { return s.placement }

// Migrants returns the migrants' use cases the API calls (and their rate limits), for
// the migrants' pages to share.
func (s *Server) Migrants() *migrants.Service { return s.migrants }

// Fairs returns the import use cases (and their queue) the API calls, for the console
// to share.
func (s *Server) Fairs() *fairs.Service { return s.fairs }
