package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// The contract check: every answer the API tests receive through Handler is validated
// against the OpenAPI document the server serves (status declared, headers, media
// type, body against its schema), on both engines, since every test environment
// installs it (newEnv).

var contract struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
	mu     sync.Mutex
	// checked counts the answers validated by operation; spent is the time the checks
	// took (TestZZContractCost reports both).
	checked map[string]int
	spent   time.Duration
	// spentOn is spent by operation.
	spentOn map[string]time.Duration
}

// loadContract reads the served document once per test binary, through the loader a
// client would use, and checks it is a valid OpenAPI document.
func loadContract(srv *api.Server) (*openapi3.T, routers.Router, error) {
	contract.once.Do(func() {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
		if rec.Code != http.StatusOK {
			contract.err = fmt.Errorf("GET /api/v1/openapi.json: %d %s", rec.Code, rec.Body)
			return
		}
		doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
		if err == nil {
			err = doc.Validate(context.Background())
		}
		if err != nil {
			contract.err = fmt.Errorf("the OpenAPI document: %w", err)
			return
		}
		// The router matches paths only: the document's server is "/".
		doc.Servers = nil
		contract.doc = doc
		contract.router, contract.err = legacyrouter.NewRouter(doc)
		contract.checked, contract.spentOn = map[string]int{}, map[string]time.Duration{}
	})
	return contract.doc, contract.router, contract.err
}

// checkContract wraps the server's handler so that each answer is validated. The
// validation runs beside the test, on one worker (the machine's other core), and the
// test waits for it when it ends: a mismatch still fails the test that got the answer.
func checkContract(t *testing.T, srv *api.Server) {
	t.Helper()
	if _, _, err := loadContract(srv); err != nil {
		t.Fatal(err)
	}
	var pending sync.WaitGroup
	t.Cleanup(pending.Wait)
	srv.WrapHandler(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			tw := &teeWriter{ResponseWriter: w, status: http.StatusOK}
			// The request as the router sees it, before a handler reads its body.
			route, params, findErr := contract.router.FindRoute(req.Clone(req.Context()))
			next.ServeHTTP(tw, req)
			if findErr != nil || tw.status == api.StatusClientClosed {
				return // no such operation (a 404 or 405 of the router), or nobody listening
			}
			answer := &teeWriter{ResponseWriter: httptest.NewRecorder(), status: tw.status}
			maps.Copy(answer.Header(), tw.Header().Clone())
			answer.body.Write(tw.body.Bytes())
			req = req.Clone(context.Background())
			pending.Add(1)
			contractQueue() <- func() {
				defer pending.Done()
				start := time.Now()
				err := validateAnswer(req, route, params, answer)
				contract.mu.Lock()
				contract.spent += time.Since(start)
				contract.spentOn[route.Method+" "+route.Path] += time.Since(start)
				contract.mu.Unlock()
				if err != nil {
					t.Errorf("the answer to %s %s breaks the OpenAPI document: %v\nbody: %.2000s", req.Method, req.URL.Path, err, answer.body.Bytes())
				}
			}
		})
	})
}

// drainContract waits until the answers queued so far are validated.
func drainContract() {
	done := make(chan struct{})
	contractQueue() <- func() { close(done) }
	<-done
}

var (
	queueOnce sync.Once
	queue     chan func()
)

// contractQueue is the validations' queue, and its worker.
func contractQueue() chan func() {
	queueOnce.Do(func() {
		queue = make(chan func(), 4096)
		go func() {
			for check := range queue {
				check()
			}
		}()
	})
	return queue
}

func validateAnswer(req *http.Request, route *routers.Route, params map[string]string, tw *teeWriter) error {
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{ExcludeRequestBody: true, ExcludeRequestQueryParams: true}},
		Status:  tw.status,
		Header:  tw.Header(),
		Body:    io.NopCloser(bytes.NewReader(tw.body.Bytes())),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("status %d: %w", tw.status, err)
	}
	for _, name := range []string{"Retry-After"} {
		if tw.status == http.StatusTooManyRequests || tw.status == http.StatusServiceUnavailable && route.Path != "/readyz" {
			if tw.Header().Get(name) == "" {
				return fmt.Errorf("a %d without %s", tw.status, name)
			}
		}
	}
	contract.mu.Lock()
	contract.checked[route.Method+" "+route.Path]++
	contract.mu.Unlock()
	return nil
}

// teeWriter passes the answer on and keeps a copy.
type teeWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (w *teeWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *teeWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection (the upload's deadlines).
func (w *teeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// TestContractCheckCatchesMismatches: the check refuses an answer that breaks the
// document (a required field missing, a value outside its enum, an undeclared
// status, a 429 without Retry-After) and passes the server's own.
func TestContractCheckCatchesMismatches(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	v := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(A), vacancyBody(e.empA.ID)))
	drainContract()
	contract.mu.Lock()
	before := contract.checked["POST /api/v1/vacancies"]
	contract.mu.Unlock()
	e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(A), vacancyBody(e.empA.ID)))
	drainContract()
	contract.mu.Lock()
	after := contract.checked["POST /api/v1/vacancies"]
	contract.mu.Unlock()
	if after != before+1 {
		t.Fatalf("the answer to POST /api/v1/vacancies was not checked (%d, then %d)", before, after)
	}

	answer := func(method, path string, status int, header http.Header, body any) error {
		req := httptest.NewRequest(method, path, nil)
		route, params, err := contract.router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		b, _ := json.Marshal(body)
		tw := &teeWriter{ResponseWriter: httptest.NewRecorder(), status: status}
		for k, vs := range header {
			tw.Header()[k] = vs
		}
		tw.body.Write(b)
		return validateAnswer(req, route, params, tw)
	}
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	problemHeader := http.Header{"Content-Type": {"application/problem+json"}}
	if err := answer("GET", "/api/v1/vacancies/"+v["id"].(string), 200, jsonHeader, v); err != nil {
		t.Fatalf("the server's own vacancy: %v", err)
	}
	noTitle := maps.Clone(v)
	delete(noTitle, "title")
	badState := maps.Clone(v)
	badState["state"] = "Nuevo León"
	problem := map[string]any{"type": "https://vincula.example/problems/rate-limited", "title": "Too many attempts", "status": 429}
	for _, tc := range []struct {
		name   string
		err    error
		expect string
	}{
		{"no title", answer("GET", "/api/v1/vacancies/"+v["id"].(string), 200, jsonHeader, noTitle), "title"},
		{"bad state", answer("GET", "/api/v1/vacancies/"+v["id"].(string), 200, jsonHeader, badState), "state"},
		{"undeclared status", answer("GET", "/healthz", http.StatusTeapot, problemHeader, problem), "418"},
		{"429 on a route that does not limit", answer("GET", "/api/v1/vacancies", 429, problemHeader, problem), "429"},
		{"429 without Retry-After", answer("POST", "/api/v1/migrants/login", 429, problemHeader, problem), "Retry-After"},
		{"wrong media type", answer("GET", "/api/v1/vacancies/"+v["id"].(string), 200, http.Header{"Content-Type": {"text/html"}}, v), "text/html"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.expect) {
			t.Errorf("%s: the check answered %v, want an error naming %q", tc.name, tc.err, tc.expect)
		}
	}
}
