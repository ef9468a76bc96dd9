package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const adminToken = "test-admin-token"

// fixedNow is where the tests' clock starts (the store's clock, which the server reads
// too): 2026-11-22 at noon in Mexico City.
var fixedNow = storetest.Epoch

// env is one API server on a real database, with a user of every role.
type env struct {
	t       *testing.T
	store   *store.Store
	server  *api.Server
	tokens  map[models.Role]string
	users   map[models.Role]models.User
	office  models.Office
	empA    models.Employer // the employer user's own employer
	empB    models.Employer // another employer
	fair    models.JobFair  // the organiser's fair
	counsel models.Counsellor
	index   *search.Index
	follow  *search.Follower
}

// workSpan is the eligibility engine's superset of where a candidate may work, as the
// index stores it.
func workSpan(c *models.Candidate) search.WorkSpan {
	s := matching.WorkSpan(c, nil)
	return search.WorkSpan{AllStates: s.AllStates, States: s.States, Until: s.Until, NeedsEmployer: s.NeedsEmployer}
}

// sync applies the change feed to the test's index, as the server's follower does.
func (e *env) sync() {
	e.t.Helper()
	if _, err := e.follow.CatchUp(context.Background()); err != nil {
		e.t.Fatalf("apply the change feed: %v", err)
	}
}

type envOption func(*api.Config)

func newEnv(t *testing.T, st *store.Store, opts ...envOption) *env {
	t.Helper()
	ix, err := search.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	// Tokens outlive any test's moves of the clock, unless a test is about their lifetime.
	cfg := api.Config{AdminToken: adminToken, Index: ix, TokenTTL: 100 * 365 * 24 * time.Hour}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := api.New(st, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	checkContract(t, srv)
	e := &env{t: t, store: st, server: srv, tokens: map[models.Role]string{}, users: map[models.Role]models.User{},
		index: ix, follow: search.NewFollower(ix, st, workSpan, nil)}
	ctx := context.Background()
	e.empA = models.Employer{Name: "Maquiladora Regiomontana", RFC: uniqueRFC("MRE"), State: "MX-NLE"}
	e.empB = models.Employer{Name: "Autopartes de Saltillo", RFC: uniqueRFC("ASA"), State: "MX-COA"}
	for _, emp := range []*models.Employer{&e.empA, &e.empB} {
		if err := st.CreateEmployer(ctx, emp); err != nil {
			t.Fatal(err)
		}
	}
	e.office = models.Office{Name: "SNE Chiapas", State: "MX-CHP", CoverageStates: []string{"MX-CHP"}}
	if err := st.CreateOffice(ctx, &e.office); err != nil {
		t.Fatal(err)
	}
	for _, role := range models.Roles {
		token, hash := api.NewToken()
		u := models.User{Name: "test " + string(role), Role: role}
		switch role {
		case models.RoleEmployer:
			u.EmployerID = e.empA.ID
			err = st.CreateUser(ctx, &u, hash)
		case models.RoleCounsellor:
			e.counsel = models.Counsellor{Name: "Ana", Email: "ana@sne.example", OfficeID: e.office.ID, Languages: []string{"es", "ht"}, Capacity: 10}
			err = st.CreateCounsellor(ctx, &e.counsel, &u, hash)
		default:
			err = st.CreateUser(ctx, &u, hash)
		}
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[role], e.users[role] = token, u
	}
	e.fair = models.JobFair{Name: "Feria del Empleo Monterrey", State: "MX-NLE", StartsOn: models.MustDate("2026-12-01"),
		EndsOn: models.MustDate("2026-12-02"), OrganiserID: e.users[models.RoleOrganiser].ID}
	if err := st.CreateJobFair(ctx, &e.fair); err != nil {
		t.Fatal(err)
	}
	return e
}

var rfcCounter int

// uniqueRFC makes a well-formed company RFC that no other test used, since tests of a
// package share one PostgreSQL database.
func uniqueRFC(prefix string) string {
	rfcCounter++
	id := strings.ToUpper(models.NewID())
	return prefix + "0101" + string(rune('0'+rfcCounter%3)) + string(rune('1'+rfcCounter%9)) + id[len(id)-3:]
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// do sends one request; body may be nil, a string (sent as it is) or a value to encode.
func (e *env) do(method, path, token string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.server.Handler().ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func (e *env) as(role models.Role) string { return e.tokens[role] }

// must checks the status and returns the decoded body.
func (e *env) must(status int, r response) map[string]any {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if len(r.body) == 0 {
		return nil
	}
	return r.json(e.t)
}

func vacancyBody(employerID string) map[string]any {
	return map[string]any{
		"employer_id": employerID, "title": "Operador de montacargas", "description": "Carga y descarga en almacén",
		"skills": []map[string]any{{"name": "manejo de montacargas", "required": true}}, "languages": []any{},
		"min_experience_years": 1, "education_level": "secondary", "state": "MX-NLE", "municipality": "Apodaca",
		"salary_min": 11000, "salary_max": 13000, "positions": 2, "start_date": "2027-01-15", "relocation_support": true,
	}
}

func candidateBody() map[string]any {
	return map[string]any{
		"full_name": "Jean-Baptiste Pierre", "nationality": "HT", "birth_date": "1991-04-12", "gender": "M",
		"phone": "+529621110001", "email": "jb.pierre@example.org", "current_state": "MX-CHP", "municipality": "Tapachula",
		"hub": "Tapachula", "willing_to_relocate": true, "preferred_states": []string{"MX-NLE"},
		"languages":       []map[string]any{{"code": "ht", "level": "native"}, {"code": "es", "level": "B1"}},
		"skills":          []map[string]any{{"name": "bòs mason", "years": 8}},
		"experience":      []map[string]any{{"title": "maçon", "occupation_code": "7112", "years": 8, "country": "HT"}},
		"education_level": "secondary", "available_from": "2026-12-01", "desired_occupations": []string{"albañil"},
		"consent": map[string]any{"share_profile": true},
		"documents": []map[string]any{{"type": "visitante_razones_humanitarias", "number": "TVRH-CHP-2026-018842",
			"issued_on": "2026-07-01", "expires_on": "2027-07-01"}},
	}
}

func newToken() (string, string) { return api.NewToken() }
