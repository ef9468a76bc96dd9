package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

const (
	M  = models.RoleMigrant
	E  = models.RoleEmployer
	C  = models.RoleCounsellor
	H  = models.RoleHubStaff
	O  = models.RoleOrganiser
	A  = models.RoleAdmin
	id = "01jzzzzzzzzzzzzzzzzzzzzzzz"
)

// allowed is the role × endpoint matrix of API.md, written by hand: the roles that get
// past the role check of each route (public routes list none and need no token). Test
// files of later capabilities add their routes to it in an init function.
var allowed = map[string][]models.Role{
	"GET /healthz":                           nil,
	"GET /readyz":                            nil,
	"GET /metrics":                           nil,
	"GET /api/v1/openapi.json":               nil,
	"POST /api/v1/users":                     {A},
	"POST /api/v1/employers":                 {A, O, C},
	"GET /api/v1/employers":                  {M, E, C, H, O, A},
	"GET /api/v1/employers/:id":              {M, E, C, H, O, A},
	"POST /api/v1/vacancies":                 {E, O, A},
	"GET /api/v1/vacancies":                  {M, E, C, H, O, A},
	"GET /api/v1/vacancies/:id":              {M, E, C, H, O, A},
	"PATCH /api/v1/vacancies/:id":            {E, O, A},
	"DELETE /api/v1/vacancies/:id":           {E, O, A},
	"POST /api/v1/candidates":                {H, C, A},
	"GET /api/v1/candidates":                 {H, C, A},
	"GET /api/v1/candidates/:id":             {E, H, C, A},
	"PATCH /api/v1/candidates/:id":           {H, C, A},
	"DELETE /api/v1/candidates/:id":          {C, A},
	"GET /api/v1/candidates/:id/eligibility": {H, C, A},
	"GET /api/v1/vacancies/:id/matches":      {E, C, A},
	"GET /api/v1/candidates/search":          {E, C, A},
	"GET /api/v1/candidates/:id/matches":     {H, C, A},
	"POST /api/v1/offices":                   {A},
	"GET /api/v1/offices":                    {H, C, A},
	"GET /api/v1/offices/:id":                {H, C, A},
	"POST /api/v1/counsellors":               {A},
	"GET /api/v1/counsellors":                {C, A},
	"GET /api/v1/counsellors/:id":            {C, A},
	"PATCH /api/v1/counsellors/:id":          {A},
	"POST /api/v1/referrals":                 {C, A, E},
	"GET /api/v1/referrals":                  {C, A, E},
	"GET /api/v1/referrals/:id":              {C, A, E},
	"POST /api/v1/referrals/:id/transitions": {C, A, E},
	"POST /api/v1/job-fairs":                 {O, A},
	"GET /api/v1/job-fairs":                  {M, E, C, H, O, A},
	"GET /api/v1/job-fairs/:id":              {M, E, C, H, O, A},
}

// TestRoleMatrix sends every role to every route: a role outside the matrix gets 403,
// a role inside it gets past the role check, and no token gets 401.
func TestRoleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		routes := e.server.Routes()
		for _, r := range routes {
			key := r.Method + " " + r.Path
			want, ok := allowed[key]
			if !ok {
				t.Errorf("route %s is not in the hand-written role matrix: add it", key)
				continue
			}
			path := paramPattern.ReplaceAllString(r.Path, id)
			if r.Public {
				if got := e.do(r.Method, path, "", nil).status; got == http.StatusUnauthorized || got == http.StatusForbidden {
					t.Errorf("%s is public but answered %d", key, got)
				}
				continue
			}
			if got := e.do(r.Method, path, "", nil).status; got != http.StatusUnauthorized {
				t.Errorf("%s without a token: %d, want 401", key, got)
			}
			if got := e.do(r.Method, path, "not-a-token", nil).status; got != http.StatusUnauthorized {
				t.Errorf("%s with an unknown token: %d, want 401", key, got)
			}
			for _, role := range models.Roles {
				got := e.do(r.Method, path, e.as(role), nil)
				isAllowed := slices.Contains(want, role)
				if !isAllowed && got.status != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403", key, role, got.status)
				}
				if isAllowed && (got.status == http.StatusForbidden || got.status == http.StatusUnauthorized) {
					t.Errorf("%s as %s: %d, the role should be allowed: %s", key, role, got.status, got.body)
				}
			}
		}
		for key := range allowed {
			found := false
			for _, r := range routes {
				found = found || r.Method+" "+r.Path == key
			}
			if !found {
				t.Errorf("the matrix lists %s, which is not registered", key)
			}
		}
	})
}

func TestEmployerCannotTouchAnotherEmployersVacancy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		other := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", adminToken, vacancyBody(e.empB.ID)))
		path := "/api/v1/vacancies/" + other["id"].(string)

		e.must(http.StatusOK, e.do("GET", path, e.as(E), nil))
		e.must(http.StatusForbidden, e.do("PATCH", path, e.as(E), map[string]any{"title": "mine now"}))
		e.must(http.StatusForbidden, e.do("DELETE", path, e.as(E), nil))
		// Posting for another employer is refused too.
		e.must(http.StatusForbidden, e.do("POST", "/api/v1/vacancies", e.as(E), vacancyBody(e.empB.ID)))
		got := e.must(http.StatusOK, e.do("GET", path, adminToken, nil))
		if got["title"] != "Operador de montacargas" {
			t.Fatalf("the vacancy changed: %v", got["title"])
		}

		// Its own vacancy: the employer may change and delete it.
		own := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), vacancyBody("")))
		if own["employer_id"] != e.empA.ID {
			t.Fatalf("employer_id defaulted to %v, want the employer's own %s", own["employer_id"], e.empA.ID)
		}
		ownPath := "/api/v1/vacancies/" + own["id"].(string)
		patched := e.must(http.StatusOK, e.do("PATCH", ownPath, e.as(E), map[string]any{"positions": 5, "salary_min": nil}))
		if patched["positions"] != float64(5) || patched["salary_min"] != nil || patched["title"] != "Operador de montacargas" {
			t.Fatalf("patch: %v", patched)
		}
		e.must(http.StatusNoContent, e.do("DELETE", ownPath, e.as(E), nil))
		e.must(http.StatusNotFound, e.do("GET", ownPath, e.as(E), nil))
	})
}

func TestOrganiserWorksOnlyOnOwnFairs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		body := vacancyBody(e.empA.ID)
		e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/vacancies", e.as(O), body))
		body["job_fair_id"] = e.fair.ID
		v := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(O), body))
		e.must(http.StatusOK, e.do("PATCH", "/api/v1/vacancies/"+v["id"].(string), e.as(O), map[string]any{"positions": 9}))

		notTheirs := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", adminToken, vacancyBody(e.empA.ID)))
		e.must(http.StatusForbidden, e.do("PATCH", "/api/v1/vacancies/"+notTheirs["id"].(string), e.as(O), map[string]any{"positions": 9}))
	})
}
