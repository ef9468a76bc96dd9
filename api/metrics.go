package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vincula/vincula/models"
)

// metrics is the server's Prometheus registry and the collectors the API feeds. Each
// server has its own registry, so that several servers in one process (tests) do not
// share or collide. Every label comes from a closed set: the route table's paths (or
// "unmatched"), methodLabel's methods, statusLabel's codes and statusClass's classes,
// and the fixed operation and outcome names below; nothing a client sends becomes a
// label.
type metrics struct {
	reg *prometheus.Registry
	// requests counts requests by method, route template and exact status.
	requests *prometheus.CounterVec
	// duration is the time to answer, by method, route template and status class.
	duration *prometheus.HistogramVec
	// ranking is the time the ranking service takes to rank or search, by operation.
	ranking *prometheus.HistogramVec
	// importJobs counts finished background imports by status and dry run;
	// importRows counts their rows by outcome (created, updated, failed).
	importJobs *prometheus.CounterVec
	importRows *prometheus.CounterVec
	handler    http.Handler
}

// The ranking operations timed on /metrics.
const (
	opVacancyMatches   = "vacancy_matches"
	opCandidateMatches = "candidate_matches"
	opCandidateSearch  = "candidate_search"
)

// requestBuckets spread from a millisecond to half a minute: most answers take a few
// milliseconds, ranked lists tens to hundreds, uploads seconds.
var requestBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vincula_http_requests_total",
		Help: "HTTP requests by method, route template and status."}, []string{"method", "route", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "vincula_http_request_duration_seconds",
		Help: "Time to answer HTTP requests, by method, route template and status class.", Buckets: requestBuckets},
		[]string{"method", "route", "status_class"})
	m.ranking = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "vincula_ranking_duration_seconds",
		Help:    "Time the ranking takes to answer: vacancy_matches (candidates for a vacancy), candidate_matches (vacancies for a candidate), candidate_search.",
		Buckets: requestBuckets}, []string{"operation"})
	m.importJobs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vincula_import_jobs_total",
		Help: "Import jobs run by this server that finished, by status (succeeded, failed) and dry run."}, []string{"status", "dry_run"})
	m.importRows = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "vincula_import_rows_total",
		Help: "Rows of the import jobs run by this server, by outcome (created, updated, failed); a dry run's rows count as checked."}, []string{"outcome"})
	m.reg.MustRegister(m.requests, m.duration, m.ranking, m.importJobs, m.importRows,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// The series that exist from the start, so that a scrape shows every family (and a
	// rate over them starts at zero rather than at the first event).
	for _, op := range []string{opVacancyMatches, opCandidateMatches, opCandidateSearch} {
		m.ranking.WithLabelValues(op)
	}
	for _, st := range []models.ImportStatus{models.ImportSucceeded, models.ImportFailed} {
		for _, dry := range []string{"false", "true"} {
			m.importJobs.WithLabelValues(string(st), dry)
		}
	}
	for _, o := range []string{"created", "updated", "failed", "checked"} {
		m.importRows.WithLabelValues(o)
	}
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
	return m
}

// register adds collectors the deployment brings (the index follower's).
func (m *metrics) register(cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// gauge registers a gauge read at each scrape, named by the function itself (the
// Config.Gauges form).
func (m *metrics) gauge(g func() (string, float64)) error {
	name, _ := g()
	return m.reg.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: name + " (reported by the deployment)."},
		func() float64 { _, v := g(); return v }))
}

func (m *metrics) middleware(now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		code := c.Writer.Status()
		method := methodLabel(c.Request.Method)
		m.requests.WithLabelValues(method, route, statusLabel(code)).Inc()
		m.duration.WithLabelValues(method, route, statusClass(code)).Observe(now().Sub(start).Seconds())
	}
}

// timeRanking observes how long a ranking operation took since start.
func (m *metrics) timeRanking(op string, start, end time.Time) {
	m.ranking.WithLabelValues(op).Observe(end.Sub(start).Seconds())
}

// importFinished counts a finished import job and its rows.
func (m *metrics) importFinished(job models.ImportJob) {
	if job.Status != models.ImportSucceeded && job.Status != models.ImportFailed {
		return
	}
	m.importJobs.WithLabelValues(string(job.Status), strconv.FormatBool(job.DryRun)).Inc()
	if job.DryRun {
		m.importRows.WithLabelValues("checked").Add(float64(job.ProcessedRows))
		return
	}
	m.importRows.WithLabelValues("created").Add(float64(job.Created))
	m.importRows.WithLabelValues("updated").Add(float64(job.Updated))
	m.importRows.WithLabelValues("failed").Add(float64(job.Failed))
}

// statusClass is the label of a status's class: 1xx to 5xx, or "other".
func statusClass(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return strconv.Itoa(code/100) + "xx"
}

// metricsHandler serves the registry in the Prometheus text format (or OpenMetrics
// when the scraper asks for it).
func (s *Server) metricsHandler(c *gin.Context) { s.metrics.handler.ServeHTTP(c.Writer, c.Request) }
