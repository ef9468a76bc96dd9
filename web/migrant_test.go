package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/fairs"
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/migrants"
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

// migrantSite is a running console with the migrants' pages over a store holding an
// employer and one open vacancy in Chiapas that a coffee picker fits.
type migrantSite struct {
	t       *testing.T
	st      *store.Store
	srv     *httptest.Server
	svc     *migrants.Service
	rank    *ranking.Service
	follow  *search.Follower
	vacancy models.Vacancy
	place   *placement.Service
	// counsellor is an SNE counsellor of the office covering Chiapas.
	counsellor models.User
}

func workSpan(c *models.Candidate) search.WorkSpan {
	s := matching.WorkSpan(c, nil)
	return search.WorkSpan{AllStates: s.AllStates, States: s.States, Until: s.Until, NeedsEmployer: s.NeedsEmployer}
}

func newMigrantSite(t *testing.T, st *store.Store) *migrantSite {
	t.Helper()
	ctx := context.Background()
	ix, err := search.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	m := &migrantSite{t: t, st: st, rank: ranking.New(st, ix, nil, nil), follow: search.NewFollower(ix, st, workSpan, nil)}
	m.svc = migrants.New(st, nil, m.rank, st.Now(), nil, migrants.Config{RegisterPerAddress: 1000, LoginPerAddress: 1000, PerPhone: 1000})
	place := placement.New(st, nil, st.Now(), nil)
	m.place = place
	office := models.Office{Name: "SNE Chiapas", State: "MX-CHP", CoverageStates: []string{"MX-CHP"}}
	if err := st.CreateOffice(ctx, &office); err != nil {
		t.Fatal(err)
	}
	m.counsellor = models.User{Name: "Ana", Role: models.RoleCounsellor}
	co := models.Counsellor{Name: "Ana", Email: "ana.m@sne.example", OfficeID: office.ID, Languages: []string{"es", "ht"}, Capacity: 50}
	_, hash := accounts.NewToken()
	if err := st.CreateCounsellor(ctx, &co, &m.counsellor, hash); err != nil {
		t.Fatal(err)
	}
	m.counsellor.CounsellorID, m.counsellor.OfficeID = co.ID, office.ID
	emp := models.Employer{Name: "Finca La Esperanza", RFC: "FES050815PL2", State: "MX-CHP"}
	if err := st.CreateEmployer(ctx, &emp); err != nil {
		t.Fatal(err)
	}
	m.vacancy = models.Vacancy{EmployerID: emp.ID, Title: "Cortador de café", Description: "Corte de café en finca",
		State: "MX-CHP", Municipality: "Tapachula", Positions: 4, Status: models.VacancyOpen, StartDate: place.Today().AddDays(7),
		EducationLevel: "none", Skills: []models.VacancySkill{{Name: "corte de café", Required: true}}}
	low, high := 7500, 9000
	m.vacancy.SalaryMin, m.vacancy.SalaryMax = &low, &high
	m.vacancy.Normalize()
	if err := st.CreateVacancy(ctx, &m.vacancy); err != nil {
		t.Fatal(err)
	}
	fs := fairs.New(st, "", 1, nil)
	t.Cleanup(fs.Close)
	acc := accounts.New(st, st.Now(), accounts.Config{})
	w, err := web.New(web.Config{Accounts: acc, Placement: place, Fairs: fs,
		Profiles: profiles.New(st, nil, st.Now(), nil), Offices: offices.New(st, acc),
		Programme: programme.New(st, nil, st.Now(), programmetest.Mexico),
		Migrants:  m.svc, Now: st.Now(), UploadDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	m.srv = httptest.NewServer(w.Handler())
	t.Cleanup(m.srv.Close)
	m.sync()
	return m
}

// sync applies the change feed to the index, as the server's follower does.
func (m *migrantSite) sync() {
	m.t.Helper()
	if _, err := m.follow.CatchUp(context.Background()); err != nil {
		m.t.Fatal(err)
	}
}

// matched says whether candidate id is in the vacancy's ranked list, as an employer
// asking for its matches would see it.
func (m *migrantSite) matched(id string) bool {
	m.t.Helper()
	m.sync()
	page, err := m.rank.CandidatesFor(context.Background(), &m.vacancy, models.DateOf(m.st.Now()()), "", 100)
	if err != nil {
		m.t.Fatal(err)
	}
	return slices.ContainsFunc(page.Items, func(c ranking.Candidate) bool { return c.Candidate.ID == id })
}

// phone is a browser on the migrants' pages: a cookie jar, redirects not followed.
type phone struct {
	m    *migrantSite
	http *http.Client
}

func (m *migrantSite) phone(lang string) *phone {
	jar, _ := cookiejar.New(nil)
	p := &phone{m: m, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if lang != "" {
		p.get("/m/lang?to=" + lang + "&back=/m/")
	}
	return p
}

type page struct {
	status int
	header http.Header
	body   string
}

func (p *phone) do(req *http.Request) page {
	p.m.t.Helper()
	res, err := p.http.Do(req)
	if err != nil {
		p.m.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Header, string(b)}
}

func (p *phone) get(path string) page {
	p.m.t.Helper()
	req, _ := http.NewRequest("GET", p.m.srv.URL+path, nil)
	return p.do(req)
}

var mCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// post sends a form with the CSRF token of the page at from.
func (p *phone) post(from, path string, form url.Values) page {
	p.m.t.Helper()
	got := p.get(from)
	tok := mCSRF.FindStringSubmatch(got.body)
	if tok == nil {
		p.m.t.Fatalf("no form token on %s (%d)", from, got.status)
	}
	form.Set("csrf", tok[1])
	req, _ := http.NewRequest("POST", p.m.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return p.do(req)
}

// registration is a coffee picker from Guatemala with a humanitarian visitor card, who
// lets employers see the profile.
func (m *migrantSite) registration(phoneNumber string) url.Values {
	today := models.DateOf(m.st.Now()())
	return url.Values{"full_name": {"Marvin Orlando López"}, "phone": {phoneNumber}, "pin": {"482916"},
		"birth_date": {"1994-03-12"}, "nationality": {"GT"}, "current_state": {"MX-CHP"}, "education_level": {"primary"},
		"doc_type": {"visitante_razones_humanitarias"}, "doc_number": {"TVRH-2026-55821"},
		"doc_issued": {today.AddDays(-30).String()}, "doc_expires": {today.AddDays(300).String()}, "consent": {"yes"}}
}

// migrantPaths are the pages a signed-in person can open.
var migrantPaths = []string{"/m/home", "/m/work", "/m/vacancies", "/m/referrals", "/m/profile", "/m/data"}

// TestMigrantPagesSpeakOneLanguage renders every migrant page in Spanish, French and
// Haitian Creole and checks that no English-only text of the catalogue shows (the
// languages' own names in the language switch excepted), that each page is in the
// language chosen, and that the browser's Accept-Language is the first guess.
func TestMigrantPagesSpeakOneLanguage(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	m := newMigrantSite(t, st)
	english := englishOnly()
	if len(english) < 150 {
		t.Fatalf("only %d English-only texts to look for", len(english))
	}
	for i, lang := range []string{"es", "fr", "ht"} {
		t.Run(lang, func(t *testing.T) {
			ph := m.phone(lang)
			pages := map[string]string{}
			for _, path := range []string{"/m/", "/m/register", "/m/signin"} {
				pages[path] = ph.get(path).body
			}
			bad := m.registration("+52962555010" + string(rune('1'+i)))
			bad.Set("pin", "123456")
			bad.Del("consent")
			got := ph.post("/m/register", "/m/register", bad)
			if got.status != http.StatusUnprocessableEntity {
				t.Fatalf("a run of digits as PIN, no consent: %d", got.status)
			}
			pages["/m/register (refused)"] = got.body
			if got := ph.post("/m/register", "/m/register", m.registration("+52962555010"+string(rune('1'+i)))); got.status != http.StatusSeeOther {
				t.Fatalf("register: %d %s", got.status, got.body)
			}
			m.sync()
			login, err := st.MigrantLoginByPhone(context.Background(), "+52962555010"+string(rune('1'+i)))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.place.Create(context.Background(), m.counsellor, login.CandidateID, m.vacancy.ID, "corte de café"); err != nil {
				t.Fatal(err)
			}
			for _, path := range migrantPaths {
				got := ph.get(path)
				if got.status != http.StatusOK {
					t.Fatalf("%s: %d", path, got.status)
				}
				if got.header.Get("Content-Language") != lang {
					t.Errorf("%s: Content-Language %q", path, got.header.Get("Content-Language"))
				}
				pages[path] = got.body
			}
			if !strings.Contains(pages["/m/vacancies"], "Cortador de café") {
				t.Errorf("the fitting vacancy is not listed: %s", visibleText(pages["/m/vacancies"]))
			}
			if want := migrants.T(lang, "refs.stage", migrants.T(lang, "stage.pending")); !strings.Contains(visibleText(pages["/m/referrals"]), want) {
				t.Errorf("the referral's stage is not told (%q): %s", want, visibleText(pages["/m/referrals"]))
			}
			pages["/m/erase"] = ph.post("/m/data", "/m/erase", url.Values{"confirm": {"yes"}}).body
			for path, body := range pages {
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("%s is not marked as %s", path, lang)
				}
				text := visibleText(body)
				for _, en := range english {
					if strings.Contains(text, en) {
						t.Errorf("%s in %s shows the English %q", path, lang, en)
					}
				}
			}
		})
	}
	for header, want := range map[string]string{"fr-CA,fr;q=0.9,en;q=0.5": "fr", "ht": "ht", "de,en;q=0.8": "en", "de": "es", "": "es"} {
		req, _ := http.NewRequest("GET", m.srv.URL+"/m/", nil)
		req.Header.Set("Accept-Language", header)
		got := m.phone("").do(req)
		if !strings.Contains(got.body, `<html lang="`+want+`">`) {
			t.Errorf("Accept-Language %q: not in %s", header, want)
		}
	}
}

// englishOnly lists the catalogue's English texts that differ from every other
// language's text of the same message, cut at their first format verb; the names of
// languages are left out, since the language switch names each language in itself.
func englishOnly() []string {
	var out []string
	for _, msg := range migrants.Messages() {
		if strings.HasPrefix(msg.Key, "lang.") {
			continue
		}
		en := msg.Text["en"]
		if i := strings.Index(en, "%"); i >= 0 {
			en = en[:i]
		}
		en = strings.TrimSpace(en)
		if len(en) < 4 {
			continue
		}
		shared := false
		for _, l := range []string{"es", "fr", "ht"} {
			if strings.Contains(msg.Text[l], en) {
				shared = true
			}
		}
		if !shared {
			out = append(out, en)
		}
	}
	return out
}

var tags = regexp.MustCompile(`(?s)<[^>]*>`)

// visibleText is a page's text without its markup, entities decoded, spaces joined.
func visibleText(body string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(body, " "))), " ")
}

// TestMigrantPageWeight: every migrant page, its HTML with the stylesheet (the only
// other thing it loads), weighs under 60 KB, in each language.
func TestMigrantPageWeight(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	m := newMigrantSite(t, st)
	css := m.phone("").get("/m/m.css")
	if css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: %d %s", css.status, css.header.Get("Content-Type"))
	}
	const limit = 60 << 10
	for i, lang := range migrants.Languages {
		ph := m.phone(lang)
		sizes := map[string]int{}
		for _, path := range []string{"/m/", "/m/register", "/m/signin"} {
			sizes[path] = len(ph.get(path).body)
		}
		if got := ph.post("/m/register", "/m/register", m.registration("+52962555020"+string(rune('1'+i)))); got.status != http.StatusSeeOther {
			t.Fatalf("register: %d %s", got.status, regexp.MustCompile(`class="(err|flash)"[^>]*>[^<]*`).FindAllString(got.body, -1))
		}
		m.sync()
		for _, path := range migrantPaths {
			sizes[path] = len(ph.get(path).body)
		}
		for path, n := range sizes {
			if total := n + len(css.body); total >= limit || n == 0 {
				t.Errorf("%s in %s: %d bytes with the stylesheet, limit %d", path, lang, total, limit)
			}
		}
		t.Logf("%s: %v bytes (+ %d of stylesheet)", lang, sizes, len(css.body))
	}
}

// TestMigrantPagesKeepTheRules: the pages refuse a form without its token, send a
// person who is not signed in to the sign-in page, lock a phone out after failed
// PINs as the API does, and an erased person's session ends.
func TestMigrantPagesKeepTheRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		m := newMigrantSite(t, st)
		anon := m.phone("es")
		if got := anon.get("/m/work"); got.status != http.StatusSeeOther || got.header.Get("Location") != "/m/signin" {
			t.Fatalf("not signed in: %d %s", got.status, got.header.Get("Location"))
		}
		req, _ := http.NewRequest("POST", m.srv.URL+"/m/signin", strings.NewReader("phone=1&pin=2"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if got := anon.do(req); got.status != http.StatusForbidden {
			t.Fatalf("a form without its token: %d", got.status)
		}
		ph := m.phone("es")
		if got := ph.post("/m/register", "/m/register", m.registration("+529625550301")); got.status != http.StatusSeeOther {
			t.Fatalf("register: %d %s", got.status, regexp.MustCompile(`class="(err|flash)"[^>]*>[^<]*`).FindAllString(got.body, -1))
		}
		if got := m.phone("es").post("/m/register", "/m/register", m.registration("+529625550301")); got.status != http.StatusUnprocessableEntity ||
			!strings.Contains(got.body, migrants.T("es", "err.phone_taken")) {
			t.Fatalf("a phone registered twice: %d", got.status)
		}
		other := m.phone("es")
		for i := 0; i < m.svc.Config().LockAfter-1; i++ {
			if got := other.post("/m/signin", "/m/signin", url.Values{"phone": {"+529625550301"}, "pin": {"000001"}}); got.status != http.StatusUnauthorized ||
				!strings.Contains(got.body, migrants.T("es", "err.login")) {
				t.Fatalf("wrong PIN %d: %d", i+1, got.status)
			}
		}
		got := other.post("/m/signin", "/m/signin", url.Values{"phone": {"+529625550301"}, "pin": {"000001"}})
		if got.status != http.StatusTooManyRequests || !strings.Contains(got.body, "15 minutos") {
			t.Fatalf("the last failure locks the phone here: %d %s", got.status, visibleText(got.body))
		}
		if got := other.post("/m/signin", "/m/signin", url.Values{"phone": {"+529625550301"}, "pin": {"482916"}}); got.status != http.StatusTooManyRequests {
			t.Fatalf("the right PIN while locked: %d", got.status)
		}
		storetest.ClockOf(t, st).Advance(16 * time.Minute)
		if got := other.post("/m/signin", "/m/signin", url.Values{"phone": {"+529625550301"}, "pin": {"482916"}}); got.status != http.StatusSeeOther {
			t.Fatalf("the right PIN after the lock: %d", got.status)
		}
		// A migrant has one live token: signing in on the other phone ended the first session.
		if got := ph.get("/m/home"); got.status != http.StatusSeeOther {
			t.Fatalf("the session replaced by a new sign-in: %d", got.status)
		}
		if got := other.post("/m/data", "/m/erase", url.Values{}); got.status != http.StatusSeeOther {
			t.Fatalf("erase without the box ticked: %d", got.status)
		}
		if got := other.get("/m/data?done=confirm"); got.status != http.StatusOK || !strings.Contains(got.body, migrants.T("es", "data.erase_need")) {
			t.Fatalf("not erased without the box: %d", got.status)
		}
		if got := other.post("/m/data", "/m/erase", url.Values{"confirm": {"yes"}}); got.status != http.StatusOK ||
			!strings.Contains(got.body, migrants.T("es", "erased.text")) {
			t.Fatalf("erase: %d", got.status)
		}
		if got := other.get("/m/home"); got.status != http.StatusSeeOther {
			t.Fatalf("the session of an erased person: %d", got.status)
		}
		if _, err := m.svc.Login(context.Background(), "192.0.2.9", "+529625550301", "482916"); err != migrants.ErrLoginFailed {
			t.Fatalf("an erased person logs in: %v", err)
		}
	})
}

// TestMigrantWorkPageSaysWhyNot: a person whose card does not allow paid work, or who
// has no document on file, reads that they may work nowhere, why, and what to do, in
// their language; a border worker card allows Chiapas but not Nuevo León, and the page
// says which states it does allow.
func TestMigrantWorkPageSaysWhyNot(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	m := newMigrantSite(t, st)
	today := models.DateOf(st.Now()())
	for i, c := range []struct {
		lang, doc string
		// years and days, when set, are the person's age on the day.
		years, days int
		want        []string
	}{
		{"ht", "visitante_regional", 0, 0, []string{"work.nowhere", "why.not_allowed", "step.not_allowed", "docx.visitante_regional"}},
		{"es", "", 0, 0, []string{"work.nowhere", "why.no_document", "step.no_document"}},
		{"fr", "visitante_trabajador_fronterizo", 0, 0, []string{"why.outside_states", "step.outside_states"}},
		// The age rules, in the catalogue's plain words too: a child of 13, and a
		// 15-year-old with primary school and no guardian's consent on file.
		{"ht", "residente_permanente", 13, 40, []string{"work.nowhere", "why.under_working_age", "step.under_working_age"}},
		{"fr", "residente_permanente", 15, 10, []string{"work.nowhere", "why.minor_schooling", "step.minor_schooling", "why.minor_guardian", "step.minor_guardian"}},
	} {
		ph := m.phone(c.lang)
		form := m.registration(fmt.Sprintf("+5296255507%02d", i))
		if c.years > 0 {
			form.Set("birth_date", today.AddYears(-c.years).AddDays(-c.days).String())
			form.Del("doc_expires")
		}
		form.Set("doc_type", c.doc)
		if c.doc == "" {
			form.Del("doc_number")
		}
		if got := ph.post("/m/register", "/m/register", form); got.status != http.StatusSeeOther {
			t.Fatalf("%s: register %d", c.doc, got.status)
		}
		if c.doc == "visitante_trabajador_fronterizo" {
			ph.post("/m/profile", "/m/profile", url.Values{"education_level": {"primary"}, "relocate": {"yes"}, "preferred_states": {"MX-NLE"}})
		}
		text := visibleText(ph.get("/m/work").body)
		for _, key := range c.want {
			if want := migrants.T(c.lang, key); !strings.Contains(text, want) {
				t.Errorf("%s in %s: no %s (%q) in %s", c.doc, c.lang, key, want, text)
			}
		}
		if c.doc == "visitante_trabajador_fronterizo" {
			for _, want := range []string{migrants.T(c.lang, "work.no", "Nuevo León"), migrants.T(c.lang, "work.yes", "Chiapas"), "Campeche, Chiapas, Quintana Roo"} {
				if !strings.Contains(text, want) {
					t.Errorf("border worker card: no %q in %s", want, text)
				}
			}
		}
	}
}
