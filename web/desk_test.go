package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// send posts a form with the CSRF token of the page at from and returns the answer's
// status, body and Location.
func (cl *client) send(from, path string, form url.Values) (int, string, string) {
	cl.c.t.Helper()
	_, page := cl.get(from)
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		cl.c.t.Fatalf("no CSRF token on %s", from)
	}
	form.Set("csrf", m[1])
	res, err := cl.http.PostForm(cl.c.srv.URL+path, form)
	if err != nil {
		cl.c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header.Get("Location")
}

// wilsonCURP is a well-formed CURP of a man born abroad on 8 March 1994.
var wilsonCURP = models.CompleteCURP("JOXW940308HNESLS0")

func wilsonForm(today models.Date) url.Values {
	return url.Values{"full_name": {"Wilson Joseph"}, "nationality": {"HT"}, "birth_date": {"1994-03-08"}, "gender": {"M"},
		"curp": {wilsonCURP}, "phone": {"+52 962 555 0199"}, "current_state": {"MX-CHP"}, "municipality": {"Tapachula"},
		"hub": {"Tapachula"}, "preferred_states": {"MX-NLE"}, "willing_to_relocate": {"1"}, "education_level": {"secondary"},
		"lang_code_0": {"ht"}, "lang_level_0": {"native"}, "lang_code_1": {"es"}, "lang_level_1": {"B1"},
		"skill_0": {"bòs mason"}, "skill_years_0": {"6"}, "occupation_0": {"albañil"},
		"doc_type_0": {"visitante_razones_humanitarias"}, "doc_number_0": {"TVRH-CHP-2026-020202"},
		"doc_issued_0": {today.AddDays(-20).String()}, "doc_expires_0": {today.AddDays(345).String()}, "share_profile": {"1"}}
}

// TestDeskRegister: hub staff register a person at the desk. A wrong CURP is refused
// next to its field, with what was typed kept and nothing saved; the right one saves
// the profile, whose page then says where and until when the person may work, on the
// document the staff member saw (recorded as verified by them). The edit form shows
// what is stored and keeps it.
func TestDeskRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newConsole(t, st)
		ctx := context.Background()
		hub := c.signIn(models.RoleHubStaff)
		form := wilsonForm(c.place.Today())
		form.Set("curp", wilsonCURP[:17]+"X")
		status, body, _ := hub.send("/console/desk/new", "/console/desk/new", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="err-curp"`) || !strings.Contains(body, "La CURP no es válida") ||
			!strings.Contains(body, `value="Wilson Joseph"`) || !strings.Contains(body, `value="bòs mason"`) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("a wrong CURP: %d\n%s", status, body)
		}
		if list, _, _ := st.ListCandidates(ctx, store.CandidateFilter{Q: "Wilson", Page: store.Page{Limit: 10}}); len(list) != 0 {
			t.Fatal("a refused form saved the profile")
		}
		form.Set("curp", wilsonCURP)
		status, _, to := hub.send("/console/desk/new", "/console/desk/new", form)
		if status != http.StatusSeeOther || !strings.HasPrefix(to, "/console/candidates/") || !strings.HasSuffix(to, "?saved=1") {
			t.Fatalf("register: %d to %q", status, to)
		}
		id := strings.TrimSuffix(strings.TrimPrefix(to, "/console/candidates/"), "?saved=1")
		_, page := hub.get(to)
		for _, want := range []string{"Perfil guardado", "Puede trabajar en MX-CHP hasta " + c.place.Today().AddDays(345).String(), "Puede trabajar en MX-NLE hasta"} {
			if !strings.Contains(page, want) {
				t.Fatalf("the profile after registration lacks %q:\n%s", want, page)
			}
		}
		got, err := st.Candidate(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.CURP != wilsonCURP || got.Phone != "+529625550199" || len(got.Documents) != 1 || !got.Documents[0].Verified ||
			got.Documents[0].VerifiedBy != c.users[models.RoleHubStaff].ID || !got.Consent.ShareProfile || *got.Skills[0].Years != 6 {
			t.Fatalf("stored: %+v", got)
		}
		// The edit form holds what is stored; saving it unchanged keeps the verification.
		status, edit := hub.get("/console/candidates/" + id + "/edit")
		if status != http.StatusOK || !strings.Contains(edit, `value="`+wilsonCURP+`"`) || !strings.Contains(edit, `value="TVRH-CHP-2026-020202"`) {
			t.Fatalf("edit form: %d", status)
		}
		form.Set("municipality", "Huixtla")
		status, _, to = hub.send("/console/candidates/"+id+"/edit", "/console/candidates/"+id+"/edit", form)
		if status != http.StatusSeeOther || to != "/console/candidates/"+id+"?saved=1" {
			t.Fatalf("edit: %d to %q", status, to)
		}
		after, _ := st.Candidate(ctx, id)
		if after.Municipality != "Huixtla" || !after.Documents[0].VerifiedAt.Equal(*got.Documents[0].VerifiedAt) {
			t.Fatalf("after the edit: %+v", after)
		}
		// Nothing personal went into a URL.
		if strings.Contains(to, wilsonCURP) || strings.Contains(to, "Wilson") {
			t.Fatalf("personal data in the URL %q", to)
		}
		// The same person registered again is flagged on the new profile.
		form.Set("full_name", "Wilson Josef")
		status, _, again := hub.send("/console/desk/new", "/console/desk/new", form)
		if status != http.StatusSeeOther {
			t.Fatalf("a second registration: %d", status)
		}
		if _, page := hub.get(again); !strings.Contains(page, `id="dup-h"`) || !strings.Contains(page, "/console/candidates/"+id) ||
			!strings.Contains(page, "probablemente la misma persona") || !strings.Contains(page, "misma CURP") {
			t.Fatalf("the second registration is not flagged as the same person:\n%s", page)
		}
		// Roles that may not write profiles are refused by the use case.
		org := c.signIn(models.RoleOrganiser)
		if status, _, _ := org.send("/console/fairs", "/console/desk/new", wilsonForm(c.place.Today())); status != http.StatusForbidden {
			t.Fatalf("an organiser registered a person: %d", status)
		}
	})
}

// TestDeskSuggestions: the desk's autocomplete answers from the vocabulary in the
// person's language, with the Spanish label.
func TestDeskSuggestions(t *testing.T) {
	c := newConsole(t, storetest.Open(t, store.SQLite))
	hub := c.signIn(models.RoleHubStaff)
	status, body := hub.get("/console/vocabulary/occupations?q=" + url.QueryEscape("bòs mas") + "&lang=ht")
	var items []struct{ Label, Es string }
	if err := json.Unmarshal([]byte(body), &items); status != http.StatusOK || err != nil || len(items) == 0 {
		t.Fatalf("suggestions: %d %v %s", status, err, body)
	}
	if items[0].Label != "bòs mason" || items[0].Es != "albañil" {
		t.Fatalf("first suggestion %+v", items[0])
	}
	// The desk in Spanish, then in English on the switch.
	if _, page := hub.get("/console/desk/new"); !strings.Contains(page, "Registrar persona") || !strings.Contains(page, "Documentos migratorios") {
		t.Fatal("the desk is not in Spanish by default")
	}
	if res, err := hub.http.Get(c.srv.URL + "/console/lang/en?back=/console/desk/new"); err == nil {
		res.Body.Close()
	}
	if _, page := hub.get("/console/desk/new"); !strings.Contains(page, "Register a person") || !strings.Contains(page, "Immigration documents") ||
		!strings.Contains(page, `data-curp-ok="The CURP is well formed."`) {
		t.Fatal("the desk is not in English after the switch")
	}
}

// TestMatchesPage: a counsellor opens a vacancy's matches: each candidate with the
// score and its breakdown as bars with their values in text, and refers one with a
// note; a second referral of the same person is refused on the page. The employer's
// page shows shortened names and no document; hub staff may not refer.
func TestMatchesPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newConsole(t, st)
		ctx := context.Background()
		at := st.Now()()
		today := c.place.Today()
		jean := models.Candidate{FullName: "Jean Baptiste Louis", Nationality: "HT", BirthDate: models.MustDate("1990-01-02"), CurrentState: "MX-CHP",
			Status: models.CandidateActive, Languages: []models.LanguageSkill{{Code: "ht", Level: "native"}}, EducationLevel: "primary",
			Skills: []models.CandidateSkill{{Name: "corte de café"}}, Consent: models.Consent{ShareProfile: true, GivenAt: &at},
			Documents: []models.Document{{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-9", IssuedOn: today.AddDays(-3), ExpiresOn: today.AddDays(200),
				Verified: true, VerifiedBy: "u-hub", VerifiedAt: &at}}}
		jean.Normalize()
		if err := st.CreateCandidate(ctx, &jean); err != nil {
			t.Fatal(err)
		}
		c.sync()
		path := "/console/vacancies/" + c.vacancy.ID + "/matches"
		co := c.signIn(models.RoleCounsellor)
		status, page := co.get(path)
		if status != http.StatusOK {
			t.Fatalf("matches: %d", status)
		}
		for _, want := range []string{"Jean Baptiste Louis", "Yessenia Marisol Pérez", "2 personas pueden trabajar", `class="fill w`, `data-part="skills"`,
			"Habilidades", "Canalizar a Jean Baptiste Louis", "Visitante por razones humanitarias"} {
			if !strings.Contains(page, want) {
				t.Fatalf("the matches page lacks %q:\n%s", want, page)
			}
		}
		status, _, to := co.send(path, "/console/vacancies/"+c.vacancy.ID+"/refer", url.Values{"candidate_id": {jean.ID}, "note": {"cortó café en Huehuetenango"}})
		if status != http.StatusSeeOther || !strings.Contains(to, "referred=") {
			t.Fatalf("refer: %d to %q", status, to)
		}
		refID, _ := url.ParseQuery(strings.SplitN(strings.TrimSuffix(to, "#referred"), "?", 2)[1])
		r, err := c.place.Get(ctx, c.users[models.RoleAdmin], refID.Get("referred"))
		if err != nil || r.CandidateID != jean.ID || r.VacancyID != c.vacancy.ID || r.Status != models.ReferralPending ||
			len(r.History) == 0 || r.History[0].Note != "cortó café en Huehuetenango" {
			t.Fatalf("the referral: %+v %v", r, err)
		}
		if _, page := co.get(to); !strings.Contains(page, `id="referred"`) || !strings.Contains(page, "Ya tiene una canalización abierta a esta vacante") {
			t.Fatal("the page does not say the referral was made, or still offers another")
		}
		status, page, _ = co.send(path, "/console/vacancies/"+c.vacancy.ID+"/refer", url.Values{"candidate_id": {jean.ID}, "note": {"otra vez"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="refer-error"`) {
			t.Fatalf("a second referral of the same person: %d", status)
		}
		emp := c.signIn(models.RoleEmployer)
		_, page = emp.get(path)
		if !strings.Contains(page, "Jean L.") || strings.Contains(page, "Jean Baptiste Louis") || strings.Contains(page, "Visitante por razones") ||
			strings.Contains(page, "/console/candidates/") {
			t.Fatalf("the employer's matches page shows more than the minimised view:\n%s", page)
		}
		audit, _ := st.AuditFor(ctx, "candidate", jean.ID)
		if !slices.ContainsFunc(audit, func(a models.AuditEvent) bool {
			return a.Action == models.AuditCandidateMatched && a.ActorID == c.users[models.RoleEmployer].ID
		}) {
			t.Fatal("the employer's look at the matches is not audited")
		}
		hub := c.signIn(models.RoleHubStaff)
		if status, _, _ := hub.send("/console/candidates", "/console/vacancies/"+c.vacancy.ID+"/refer", url.Values{"candidate_id": {jean.ID}}); status != http.StatusForbidden {
			t.Fatalf("hub staff referred: %d", status)
		}
		// English on the switch.
		if res, err := co.http.Get(c.srv.URL + "/console/lang/en?back=" + path); err == nil {
			res.Body.Close()
		}
		if _, page := co.get(path); !strings.Contains(page, "2 people may legally work") || !strings.Contains(page, "Skills") {
			t.Fatal("the matches page is not in English after the switch")
		}
	})
}
