package api_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestBadRequestsAreProblems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, func(c *api.Config) { c.MaxBodyBytes = 4096 })
		cases := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"malformed JSON", `{"name": "Maquiladora", `, http.StatusBadRequest, ""},
			{"not an object", `[1, 2]`, http.StatusBadRequest, ""},
			{"empty body", ``, http.StatusBadRequest, ""},
			{"unknown field", `{"name": "M", "rfc": "MRE990301KX4", "state": "MX-NLE", "ceo": "x"}`, http.StatusUnprocessableEntity, "ceo"},
			{"wrong type", `{"name": 7, "rfc": "MRE990301KX4", "state": "MX-NLE"}`, http.StatusUnprocessableEntity, "name"},
			{"invalid RFC", `{"name": "M", "rfc": "XX", "state": "MX-NLE"}`, http.StatusUnprocessableEntity, "rfc"},
			{"oversize", `{"name": "` + strings.Repeat("a", 5000) + `"}`, http.StatusRequestEntityTooLarge, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				resp := e.do("POST", "/api/v1/employers", adminToken, tc.body)
				if resp.status != tc.status {
					t.Fatalf("status %d, want %d: %s", resp.status, tc.status, resp.body)
				}
				if ct := resp.header.Get("Content-Type"); ct != "application/problem+json" {
					t.Fatalf("content type %q, want application/problem+json", ct)
				}
				p := resp.json(t)
				if p["status"] != float64(tc.status) || p["title"] == "" || p["type"] == "" {
					t.Fatalf("not a problem document: %v", p)
				}
				if tc.field != "" {
					errs, _ := p["errors"].([]any)
					if len(errs) == 0 || errs[0].(map[string]any)["field"] != tc.field {
						t.Fatalf("errors %v, want the field %q named", p["errors"], tc.field)
					}
				}
			})
		}
	})
}

func TestUnknownIDsAndCursors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/vacancies/nope", adminToken, nil))
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/no-such-endpoint", adminToken, nil))
		e.must(http.StatusUnprocessableEntity, e.do("GET", "/api/v1/vacancies?cursor=***", adminToken, nil))
		e.must(http.StatusUnprocessableEntity, e.do("GET", "/api/v1/vacancies?limit=500", adminToken, nil))
		e.must(http.StatusUnprocessableEntity, e.do("GET", "/api/v1/vacancies?state=Nuevo+Leon", adminToken, nil))
	})
}

func TestVacancyListPagesWithCursor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		want := map[string]bool{}
		for i := 0; i < 5; i++ {
			v := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), vacancyBody("")))
			want[v["id"].(string)] = true
		}
		got := map[string]bool{}
		path := "/api/v1/vacancies?limit=2&employer_id=" + e.empA.ID
		pages := 0
		for path != "" {
			page := e.must(http.StatusOK, e.do("GET", path, e.as(M), nil))
			pages++
			for _, it := range page["items"].([]any) {
				got[it.(map[string]any)["id"].(string)] = true
			}
			path = ""
			if cur, ok := page["next_cursor"].(string); ok {
				path = "/api/v1/vacancies?limit=2&employer_id=" + e.empA.ID + "&cursor=" + cur
			}
		}
		if pages != 3 || len(got) != 5 {
			t.Fatalf("%d pages, %d vacancies; want 3 pages of 5", pages, len(got))
		}
		for id := range want {
			if !got[id] {
				t.Fatalf("vacancy %s missing from the pages", id)
			}
		}
	})
}

func TestUsersAndTheirTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		u := e.must(http.StatusCreated, e.do("POST", "/api/v1/users", adminToken,
			map[string]any{"name": "RR.HH. Saltillo", "email": "rh@example.com", "role": "employer", "employer_id": e.empB.ID}))
		token := u["token"].(string)
		if !strings.HasPrefix(token, "vin_") || u["role"] != "employer" {
			t.Fatalf("user: %v", u)
		}
		// The new token works and is scoped to its employer.
		v := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", token, vacancyBody("")))
		if v["employer_id"] != e.empB.ID {
			t.Fatalf("vacancy of %v, want %s", v["employer_id"], e.empB.ID)
		}
		// The token is stored only as a hash.
		raw := storetest.RawText(t, st, "SELECT token_hash FROM users WHERE id = ?", u["id"])
		if raw == token || strings.Contains(raw, token) {
			t.Fatal("token stored in plain text")
		}
		e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/users", adminToken, map[string]any{"name": "x", "role": "king"}))
		e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/users", adminToken, map[string]any{"name": "x", "role": "employer"}))
		c := e.must(http.StatusCreated, e.do("POST", "/api/v1/users", adminToken,
			map[string]any{"name": "Jorge Méndez", "role": "counsellor", "office_id": e.office.ID}))
		e.must(http.StatusOK, e.do("GET", "/api/v1/counsellors?office="+e.office.ID, c["token"].(string), nil))
	})
}

// paramPattern finds gin's path parameters (":id") to write them as OpenAPI's ("{id}").
var paramPattern = regexp.MustCompile(`:(\w+)`)

func TestHealthReadinessMetricsAndOpenAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.must(http.StatusOK, e.do("GET", "/healthz", "", nil))
		ready := e.must(http.StatusOK, e.do("GET", "/readyz", "", nil))
		if ready["database"] != "ok" {
			t.Fatalf("readyz: %v", ready)
		}
		metrics := e.do("GET", "/metrics", "", nil)
		if !strings.Contains(string(metrics.body), `vincula_http_requests_total{method="GET",route="/readyz",status="200"} 1`) {
			t.Fatalf("metrics do not count requests:\n%s", metrics.body)
		}
		doc := e.must(http.StatusOK, e.do("GET", "/api/v1/openapi.json", "", nil))
		paths := doc["paths"].(map[string]any)
		for _, r := range e.server.Routes() {
			p := paramPattern.ReplaceAllString(r.Path, "{$1}")
			ops, ok := paths[p].(map[string]any)
			if !ok || ops[strings.ToLower(r.Method)] == nil {
				t.Errorf("the OpenAPI document does not describe %s %s", r.Method, r.Path)
			}
		}
		create := paths["/api/v1/vacancies"].(map[string]any)["post"].(map[string]any)
		schema := create["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
		if _, ok := schema["properties"].(map[string]any)["start_date"]; !ok {
			t.Fatalf("vacancy request schema lacks start_date: %v", schema)
		}
	})
}
