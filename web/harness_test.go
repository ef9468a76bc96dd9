package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/alerts"
	"github.com/vincula/vincula/fairs"
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/offices"
	"github.com/vincula/vincula/placement"
	"github.com/vincula/vincula/profiles"
	"github.com/vincula/vincula/programme"
	"github.com/vincula/vincula/programme/programmetest"
	"github.com/vincula/vincula/ranking"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
	"github.com/vincula/vincula/web"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const password = "contrasena-de-prueba"

// console is a running console over a store with one person of each staff role, an
// employer's user, a vacancy, a candidate with an unverified and a verified document,
// a fair and a referral.
type console struct {
	t         *testing.T
	st        *store.Store
	srv       *httptest.Server
	emails    map[models.Role]string
	users     map[models.Role]models.User
	referral  string
	fair      string
	office    string
	candidate models.Candidate
	vacancy   models.Vacancy
	place     *placement.Service
	follow    *search.Follower
	alerts    *alerts.Service
}

// sync applies the change feed to the console's search index, as the server's
// follower does, so that the ranking finds the records written since.
func (c *console) sync() {
	c.t.Helper()
	if _, err := c.follow.CatchUp(context.Background()); err != nil {
		c.t.Fatalf("apply the change feed: %v", err)
	}
}

func newConsole(t *testing.T, st *store.Store) *console {
	t.Helper()
	ctx := context.Background()
	c := &console{t: t, st: st, emails: map[models.Role]string{}, users: map[models.Role]models.User{}}
	acc := accounts.New(st, st.Now(), accounts.Config{})
	c.place = placement.New(st, nil, st.Now(), nil)
	fs := fairs.New(st, "", 1, nil)
	t.Cleanup(fs.Close)
	emp := models.Employer{Name: "Cafetalera del Soconusco", RFC: "CSO050815PL2", State: "MX-CHP"}
	if err := st.CreateEmployer(ctx, &emp); err != nil {
		t.Fatal(err)
	}
	office := models.Office{Name: "SNE Chiapas", State: "MX-CHP", CoverageStates: []string{"MX-CHP"}}
	if err := st.CreateOffice(ctx, &office); err != nil {
		t.Fatal(err)
	}
	c.office = office.ID
	for _, role := range []models.Role{models.RoleCounsellor, models.RoleHubStaff, models.RoleOrganiser, models.RoleAdmin, models.RoleEmployer} {
		u := models.User{Name: "Persona " + string(role), Role: role}
		_, hash := accounts.NewToken()
		var err error
		if role == models.RoleCounsellor {
			co := models.Counsellor{Name: u.Name, Email: "ana@sne.example", OfficeID: office.ID, Languages: []string{"es"}, Capacity: 10}
			err = st.CreateCounsellor(ctx, &co, &u, hash)
			u.CounsellorID, u.OfficeID = co.ID, office.ID
		} else {
			if role == models.RoleEmployer {
				u.EmployerID = emp.ID
			}
			err = st.CreateUser(ctx, &u, hash)
		}
		if err != nil {
			t.Fatal(err)
		}
		email := string(role) + "@prueba.example"
		if err := acc.SetPassword(ctx, u.ID, email, password); err != nil {
			t.Fatal(err)
		}
		c.emails[role], c.users[role] = email, u
	}
	today := c.place.Today()
	v := models.Vacancy{EmployerID: emp.ID, Title: "Cortador de café", State: "MX-CHP", Municipality: "Tapachula", Positions: 3,
		Status: models.VacancyOpen, StartDate: today.AddDays(3), EducationLevel: "none"}
	v.Normalize()
	if err := st.CreateVacancy(ctx, &v); err != nil {
		t.Fatal(err)
	}
	at := st.Now()()
	c.candidate = models.Candidate{FullName: "Yessenia Marisol Pérez", Nationality: "GT", BirthDate: models.MustDate("2000-06-30"),
		Phone: "+529621110004", CurrentState: "MX-CHP", Hub: "Tapachula", Status: models.CandidateActive,
		Languages: []models.LanguageSkill{{Code: "es", Level: "native"}}, Consent: models.Consent{ShareProfile: true, GivenAt: &at},
		Skills: []models.CandidateSkill{{Name: "corte de café"}}, DesiredOccupations: []string{"cortador de café"},
		Documents: []models.Document{
			{Type: models.DocVisitanteTrabajadorFronterizo, Number: "TVTF-2026-330017", IssuedOn: today.AddDays(-90), ExpiresOn: today.AddDays(275),
				Verified: true, VerifiedBy: c.users[models.RoleHubStaff].ID, VerifiedAt: &at},
			{Type: models.DocConstanciaCOMAR, Number: "COMAR-TAP-2026-1", IssuedOn: today.AddDays(-10), ExpiresOn: today.AddDays(100), State: "MX-CHP"},
		}}
	c.candidate.Normalize()
	if err := st.CreateCandidate(ctx, &c.candidate); err != nil {
		t.Fatal(err)
	}
	r, err := c.place.Create(ctx, c.users[models.RoleCounsellor], c.candidate.ID, v.ID, "corte de café")
	if err != nil {
		t.Fatal(err)
	}
	c.referral = r.ID
	fair := models.JobFair{Name: "Feria Tapachula", State: "MX-CHP", StartsOn: today.AddDays(10), EndsOn: today.AddDays(11),
		OrganiserID: c.users[models.RoleOrganiser].ID}
	if err := st.CreateJobFair(ctx, &fair); err != nil {
		t.Fatal(err)
	}
	c.fair = fair.ID
	c.vacancy = v
	ix, err := search.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	c.follow = search.NewFollower(ix, st, func(cand *models.Candidate) search.WorkSpan {
		s := matching.WorkSpan(cand, nil)
		return search.WorkSpan{AllStates: s.AllStates, States: s.States, Until: s.Until, NeedsEmployer: s.NeedsEmployer}
	}, nil)
	c.sync()
	rk := ranking.New(st, ix, nil, nil)
	c.alerts = alerts.New(st, rk, programmetest.Mexico)
	w, err := web.New(web.Config{Accounts: acc, Placement: c.place, Fairs: fs, Profiles: profiles.New(st, nil, st.Now(), nil),
		Offices: offices.New(st, acc), Programme: programme.New(st, nil, st.Now(), programmetest.Mexico),
		Matches: placement.NewMatches(c.place, rk), Alerts: c.alerts, Now: st.Now(), UploadDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	c.srv = httptest.NewServer(w.Handler())
	t.Cleanup(c.srv.Close)
	return c
}

// client is a browser-like HTTP client: a cookie jar, no redirects followed.
type client struct {
	c    *console
	http *http.Client
}

func (c *console) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{c: c, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get returns a page's status and body.
func (cl *client) get(path string) (int, string) {
	cl.c.t.Helper()
	res, err := cl.http.Get(cl.c.srv.URL + path)
	if err != nil {
		cl.c.t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, b.String()
}

// post sends a form with the CSRF token of the page at from.
func (cl *client) post(from, path string, form url.Values) *http.Response {
	cl.c.t.Helper()
	_, body := cl.get(from)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		cl.c.t.Fatalf("no CSRF token on %s", from)
	}
	form.Set("csrf", m[1])
	res, err := cl.http.PostForm(cl.c.srv.URL+path, form)
	if err != nil {
		cl.c.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// signIn signs a client in as the person of role.
func (c *console) signIn(role models.Role) *client {
	c.t.Helper()
	cl := c.client()
	res := cl.post("/console/signin", "/console/signin", url.Values{"email": {c.emails[role]}, "password": {password}, "next": {"/console/"}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: %d", role, res.StatusCode)
	}
	return cl
}
