package api_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// scrape reads /metrics and parses it with Prometheus's own text parser.
func (e *env) scrape() map[string]*dto.MetricFamily {
	e.t.Helper()
	r := e.do("GET", "/metrics", "", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain; version=0.0.4") {
		e.t.Fatalf("/metrics: %d %q", r.status, r.header.Get("Content-Type"))
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(r.body))
	if err != nil {
		e.t.Fatalf("/metrics does not parse: %v\n%s", err, r.body)
	}
	return families
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// seriesCount counts the series of every family: a histogram's buckets, sum and count
// each count, as Prometheus stores them.
func seriesCount(families map[string]*dto.MetricFamily) int {
	n := 0
	for _, f := range families {
		for _, m := range f.GetMetric() {
			switch {
			case m.GetHistogram() != nil:
				n += len(m.GetHistogram().GetBucket()) + 3
			case m.GetSummary() != nil:
				n += len(m.GetSummary().GetQuantile()) + 2
			default:
				n++
			}
		}
	}
	return n
}

// TestMetricsParseAndHaveTheFamilies: after a vacancy, a candidate, ranked lists both
// ways, a search and an import, /metrics parses with Prometheus's parser and holds
// the request histograms by route template, method and status class, the ranking's
// latency by operation, the import's jobs and rows, the requests in flight and the Go
// runtime and process collectors; every route label is a route template, and
// promtool's linter finds nothing to say.
func TestMetricsParseAndHaveTheFamilies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st)
		vacancy := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), vacancyBody("")))["id"].(string)
		cand := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), candidateBody()))["id"].(string)
		e.sync()
		e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+vacancy+"/matches", e.as(E), nil))
		e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+cand+"/matches", e.as(C), nil))
		e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/search?q=mason&state=MX-NLE", e.as(E), nil))
		e.do("GET", "/api/v1/vacancies/no-such-id", e.as(E), nil)
		job := e.importFile("vacantes_cp1252.csv", testFile(t, "vacantes_cp1252.csv"), map[string]string{"mode": "valid_rows"})
		if job.Created == 0 {
			t.Fatalf("the import created nothing: %+v", job)
		}

		families := e.scrape()
		for _, name := range []string{"vincula_http_requests_total", "vincula_http_request_duration_seconds", "vincula_ranking_duration_seconds",
			"vincula_import_jobs_total", "vincula_import_rows_total", "vincula_http_requests_in_flight", "vincula_http_requests_queued",
			"go_goroutines", "go_memstats_alloc_bytes", "go_gc_duration_seconds", "process_cpu_seconds_total", "process_resident_memory_bytes"} {
			if families[name] == nil {
				t.Errorf("/metrics has no %s", name)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
		routes := map[string]bool{"unmatched": true}
		for _, r := range e.server.Routes() {
			routes[r.Path] = true
		}
		found := map[string]bool{}
		for _, m := range families["vincula_http_request_duration_seconds"].GetMetric() {
			if !routes[label(m, "route")] {
				t.Errorf("route label %q is not a route template", label(m, "route"))
			}
			if c := label(m, "status_class"); len(c) != 3 || !strings.HasSuffix(c, "xx") {
				t.Errorf("status_class %q", c)
			}
			found[label(m, "method")+" "+label(m, "route")+" "+label(m, "status_class")] = m.GetHistogram().GetSampleCount() > 0
		}
		for _, want := range []string{"GET /api/v1/vacancies/:id/matches 2xx", "POST /api/v1/candidates 2xx", "GET /api/v1/vacancies/:id 4xx",
			"POST /api/v1/job-fairs/:id/imports 2xx"} {
			if !found[want] {
				t.Errorf("no observed histogram %q among %v", want, found)
			}
		}
		ops := map[string]uint64{}
		for _, m := range families["vincula_ranking_duration_seconds"].GetMetric() {
			ops[label(m, "operation")] = m.GetHistogram().GetSampleCount()
		}
		if ops["vacancy_matches"] != 1 || ops["candidate_matches"] != 1 || ops["candidate_search"] != 1 || len(ops) != 3 {
			t.Errorf("ranking latencies observed: %v", ops)
		}
		jobs := map[string]float64{}
		for _, m := range families["vincula_import_jobs_total"].GetMetric() {
			jobs[label(m, "status")+" dry_run="+label(m, "dry_run")] = m.GetCounter().GetValue()
		}
		if jobs["succeeded dry_run=false"] != 1 {
			t.Errorf("import jobs: %v", jobs)
		}
		rows := map[string]float64{}
		for _, m := range families["vincula_import_rows_total"].GetMetric() {
			rows[label(m, "outcome")] = m.GetCounter().GetValue()
		}
		if rows["created"] != float64(job.Created) || rows["failed"] != float64(job.Failed) {
			t.Errorf("import rows %v; the job said %d created, %d failed", rows, job.Created, job.Failed)
		}

		// What `promtool check metrics` checks (its linter is client_golang's promlint).
		problems, err := promlint.New(bytes.NewReader(e.do("GET", "/metrics", "", nil).body)).Lint()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("promtool check metrics: %s: %s", p.Metric, p.Text)
		}
	})
}

// TestMetricsSeriesDoNotGrowWithClientInput: thousands of requests to distinct random
// paths, with random query strings, request IDs and methods, add no series at all to
// /metrics once each kind of answer has been seen.
func TestMetricsSeriesDoNotGrowWithClientInput(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	rnd := rand.New(rand.NewPCG(3, 4))
	word := func() string {
		b := make([]byte, 10)
		for i := range b {
			b[i] = byte('a' + rnd.IntN(26))
		}
		return string(b)
	}
	methods := []string{"GET", "POST", "PATCH", "DELETE", "BREW"}
	send := func() {
		for _, path := range []string{"/" + word(), "/api/v1/" + word() + "/" + word(), "/api/v1/vacancies/" + word(),
			"/api/v1/candidates/" + word() + "?q=" + word(), "/console-" + word()} {
			for _, m := range methods {
				req := httptest.NewRequest(m, path, nil)
				req.Header.Set("X-Request-ID", word())
				req.Header.Set("Authorization", "Bearer "+e.as(C))
				e.server.Handler().ServeHTTP(httptest.NewRecorder(), req)
			}
		}
	}
	send()
	e.scrape() // the scrape's own request is counted once it is answered
	before := seriesCount(e.scrape())
	for range 400 {
		send()
	}
	families := e.scrape()
	if after := seriesCount(families); after != before {
		var b strings.Builder
		for _, m := range families["vincula_http_requests_total"].GetMetric() {
			fmt.Fprintf(&b, "%v\n", m.GetLabel())
		}
		t.Fatalf("10,000 requests with random paths grew /metrics from %d to %d series:\n%s", before, after, b.String())
	}
}
