package api_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestCraftedCursorsAreRefused: cursors whose numbers overflow the offsets they stand
// for used to panic the server (issue 12); they are refused with a 422 that names the
// cursor, and a wrong limit is blamed on the limit.
func TestCraftedCursorsAreRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		v := forkliftVacancy(e.empA.ID)
		if err := st.BulkCreateVacancies(context.Background(), []models.Vacancy{v}); err != nil {
			t.Fatal(err)
		}
		e.sync()
		// Cursors are tagged with their list (TestCursorsBelongToTheirList); these carry
		// the right tag, so what is refused is the position they hold.
		dec := func(s string) string {
			b, err := base64.RawURLEncoding.DecodeString(s)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		vacancies, matches, search := "/api/v1/vacancies", "/api/v1/vacancies/:id/matches", "/api/v1/candidates/search"
		for _, path := range []string{
			"/api/v1/vacancies?q=x&cursor=" + api.TagCursor(vacancies, dec("cTkyMjMzNzIwMzY4NTQ3NzU4MDc")),
			"/api/v1/vacancies?q=x&cursor=" + api.TagCursor(vacancies, "q1000001"),
			"/api/v1/vacancies/" + v.ID + "/matches?cursor=" + api.TagCursor(matches, dec("dzkyMjMzNzIwMzY4NTQ3NzU4LjA")),
			"/api/v1/vacancies/" + v.ID + "/matches?cursor=" + api.TagCursor(matches, "w50001.0"),
			"/api/v1/vacancies/" + v.ID + "/matches?cursor=" + api.TagCursor(matches, "w0.9223372036854775807"),
			"/api/v1/candidates/search?state=MX-NLE&cursor=" + api.TagCursor(search, "w92233720368547758.0"),
			"/api/v1/vacancies/" + v.ID + "/matches?cursor=" + api.TagCursor(matches, "o9223372036854775807"),
			// The untagged cursors of issue 12 themselves.
			"/api/v1/vacancies?q=x&cursor=cTkyMjMzNzIwMzY4NTQ3NzU4MDc",
			"/api/v1/vacancies/" + v.ID + "/matches?cursor=dzkyMjMzNzIwMzY4NTQ3NzU4LjA",
		} {
			p := e.must(http.StatusUnprocessableEntity, e.do("GET", path, e.as(C), nil))
			if fields := fieldNames(p); len(fields) != 1 || fields[0] != "cursor" {
				t.Fatalf("%s: errors %v, want the cursor blamed", path, p)
			}
		}
		p := e.must(http.StatusUnprocessableEntity, e.do("GET", "/api/v1/candidates/search?state=MX-NLE&limit=500", e.as(C), nil))
		if fields := fieldNames(p); len(fields) != 1 || fields[0] != "limit" {
			t.Fatalf("limit=500: errors %v, want the limit blamed", p)
		}
		// A cursor the server gave out still works.
		e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+v.ID+"/matches?cursor="+api.TagCursor(matches, "w0.0"), e.as(C), nil))
	})
}

// TestSecurityHeaders: every response says nosniff; API answers, which carry personal
// data or tokens, are never stored by a cache; the public OpenAPI document may be.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	for _, tc := range []struct {
		path, token, cache string
	}{
		{"/api/v1/candidates", e.as(C), "no-store"},
		{"/api/v1/me", "", "no-store"},
		{"/api/v1/openapi.json", "", ""},
		{"/no/such/page", "", ""},
	} {
		r := e.do("GET", tc.path, tc.token, nil)
		if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", tc.path, got)
		}
		if got := r.header.Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tc.path, got, tc.cache)
		}
	}
}

// fieldNames lists the fields a problem+json body blames, in order.
func fieldNames(p map[string]any) []string {
	var out []string
	errs, _ := p["errors"].([]any)
	for _, fe := range errs {
		if m, ok := fe.(map[string]any); ok {
			name, _ := m["field"].(string)
			out = append(out, name)
		}
	}
	return out
}

// TestQueryTextIsBounded: every free-text query is limited in length and in words, so
// one request cannot keep the index busy for seconds; the limits are named in the error.
func TestQueryTextIsBounded(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	long := url.QueryEscape(strings.Repeat("a", 257))
	many := url.QueryEscape(strings.Repeat("soldador ", 17))
	for _, path := range []string{"/api/v1/vacancies", "/api/v1/candidates", "/api/v1/employers", "/api/v1/candidates/search"} {
		for _, q := range []string{long, many, "%00", "%ff"} {
			p := e.must(http.StatusUnprocessableEntity, e.do("GET", path+"?state=MX-NLE&q="+q, e.as(A), nil))
			if fields := fieldNames(p); len(fields) != 1 || fields[0] != "q" {
				t.Fatalf("%s?q=%.20s: errors %v, want q blamed", path, q, p)
			}
		}
		at := url.QueryEscape(strings.TrimSpace(strings.Repeat("soldador ", 16)))
		e.must(http.StatusOK, e.do("GET", path+"?state=MX-NLE&q="+at, e.as(A), nil))
	}
}
