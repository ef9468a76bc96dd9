package api_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// twin returns a candidate like the template but for the traits that must never
// influence ranking: nationality, gender, age, document type (and number, name, contact).
func twin(id, name, nationality, gender, birth string, doc models.Document) models.Candidate {
	given := fixedNow
	return models.Candidate{ID: id, FullName: name, Nationality: nationality, Gender: gender, BirthDate: models.MustDate(birth),
		Phone: "+5296211" + id[len(id)-5:], CurrentState: "MX-CHP", Municipality: "Tapachula", Hub: "Tapachula",
		WillingToRelocate: true, PreferredStates: []string{"MX-NLE"},
		Languages:  []models.LanguageSkill{{Code: "es", Level: "B2"}},
		Skills:     []models.CandidateSkill{{Name: "manejo de montacargas"}, {Name: "almacén"}},
		Experience: []models.Experience{{Title: "montacarguista", OccupationCode: "8344", Years: 3}}, EducationLevel: "secondary",
		DesiredOccupations: []string{"montacarguista"}, Status: models.CandidateActive,
		Consent: models.Consent{ShareProfile: true, GivenAt: &given}, Documents: []models.Document{doc}}
}

func forkliftVacancy(employerID string) models.Vacancy {
	return models.Vacancy{ID: "vac-forklift-" + models.NewID(), EmployerID: employerID, Title: "Operador de montacargas",
		Skills:         []models.VacancySkill{{Name: "manejo de montacargas", Required: true}},
		EducationLevel: "secondary", State: "MX-NLE", Municipality: "Apodaca", Positions: 3, MinExperienceYears: 1,
		StartDate: models.MustDate("2027-01-15"), Status: models.VacancyOpen, RelocationSupport: true}
}

// TestFairness: two people identical but for nationality, gender, age and document
// type get identical scores and breakdowns through the whole pipeline.
func TestFairness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		v := forkliftVacancy(e.empA.ID)
		if err := st.BulkCreateVacancies(ctx, []models.Vacancy{v}); err != nil {
			t.Fatal(err)
		}
		a := twin("cand-twin-00001", "Wilson Morales", "VE", "M", "1993-11-15",
			models.Document{Type: models.DocResidentePermanente, Number: "RP-1", IssuedOn: models.MustDate("2024-01-01"), Verified: true})
		b := twin("cand-twin-00002", "Roselène Joseph", "HT", "F", "1971-02-08",
			models.Document{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-2", IssuedOn: models.MustDate("2026-06-01"),
				ExpiresOn: models.MustDate("2027-06-01"), Verified: true})
		if err := st.BulkCreateCandidates(ctx, []models.Candidate{a, b}); err != nil {
			t.Fatal(err)
		}
		e.sync()
		page := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+v.ID+"/matches", e.as(C), nil))
		items := page["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("%d matches, want both twins: %v", len(items), page)
		}
		x, y := items[0].(map[string]any), items[1].(map[string]any)
		if x["score"] != y["score"] || !reflect.DeepEqual(x["breakdown"], y["breakdown"]) {
			t.Fatalf("twins scored differently: %v %v / %v %v", x["score"], x["breakdown"], y["score"], y["breakdown"])
		}
		if x["score"].(float64) <= 0.5 {
			t.Fatalf("a forklift operator scores only %v for a forklift vacancy", x["score"])
		}
	})
}

// TestMatchesOnlyTheEligibleAndPageStably: only people legally able to work in Nuevo
// León on the start date appear; pages join into the same list every time.
func TestMatchesOnlyTheEligibleAndPageStably(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		v := forkliftVacancy(e.empA.ID)
		if err := st.BulkCreateVacancies(ctx, []models.Vacancy{v}); err != nil {
			t.Fatal(err)
		}
		docs := map[string]models.Document{
			"ok-tvrh":     {Type: models.DocVisitanteRazonesHumanitarias, Number: "N1", IssuedOn: models.MustDate("2026-06-01"), ExpiresOn: models.MustDate("2027-06-01")},
			"ok-onexpiry": {Type: models.DocVisitanteRazonesHumanitarias, Number: "N2", IssuedOn: models.MustDate("2026-01-15"), ExpiresOn: models.MustDate("2027-01-15")},
			"no-expired":  {Type: models.DocVisitanteRazonesHumanitarias, Number: "N3", IssuedOn: models.MustDate("2026-01-14"), ExpiresOn: models.MustDate("2027-01-14")},
			"no-tvtf":     {Type: models.DocVisitanteTrabajadorFronterizo, Number: "N4", IssuedOn: models.MustDate("2026-06-01"), ExpiresOn: models.MustDate("2027-05-01")},
			"no-rt":       {Type: models.DocResidenteTemporal, Number: "N5", IssuedOn: models.MustDate("2026-06-01"), ExpiresOn: models.MustDate("2028-06-01")},
			"ok-rt":       {Type: models.DocResidenteTemporal, Number: "N6", IssuedOn: models.MustDate("2026-06-01"), ExpiresOn: models.MustDate("2028-06-01"), WorkPermission: true},
			"no-comar":    {Type: models.DocConstanciaCOMAR, Number: "N7", IssuedOn: models.MustDate("2026-10-01"), ExpiresOn: models.MustDate("2027-03-01"), State: "MX-CHP"},
			"ok-permit":   {Type: models.DocVisitanteActividadesRemuneradas, Number: "N8", IssuedOn: models.MustDate("2026-10-01"), ExpiresOn: models.MustDate("2027-03-01"), EmployerID: e.empA.ID},
			"no-permit":   {Type: models.DocVisitanteActividadesRemuneradas, Number: "N9", IssuedOn: models.MustDate("2026-10-01"), ExpiresOn: models.MustDate("2027-03-01"), EmployerID: e.empB.ID},
			"ok-rp":       {Type: models.DocResidentePermanente, Number: "N10", IssuedOn: models.MustDate("2020-01-01")},
		}
		var cs []models.Candidate
		for key, d := range docs {
			for i := 0; i < 3; i++ {
				c := twin(fmt.Sprintf("cand-%s-%d0000", key, i), "Persona "+key, "GT", "F", "1990-01-01", d)
				c.Documents[0].Number = fmt.Sprintf("%s-%d", d.Number, i)
				cs = append(cs, c)
			}
		}
		withdrawn := twin("cand-noconsent-00000", "Sin Consentimiento", "HN", "M", "1990-01-01", docs["ok-rp"])
		withdrawn.Consent.ShareProfile = false
		inactive := twin("cand-inactive-00000", "Inactiva", "HN", "F", "1990-01-01", docs["ok-rp"])
		inactive.Status = models.CandidateInactive
		cs = append(cs, withdrawn, inactive)
		if err := st.BulkCreateCandidates(ctx, cs); err != nil {
			t.Fatal(err)
		}
		e.sync()

		collect := func(token string) []string {
			var ids []string
			path := "/api/v1/vacancies/" + v.ID + "/matches?limit=4"
			for path != "" {
				page := e.must(http.StatusOK, e.do("GET", path, token, nil))
				for _, it := range page["items"].([]any) {
					ids = append(ids, it.(map[string]any)["candidate"].(map[string]any)["id"].(string))
				}
				path = ""
				if cur, ok := page["next_cursor"].(string); ok {
					path = "/api/v1/vacancies/" + v.ID + "/matches?limit=4&cursor=" + cur
				}
			}
			return ids
		}
		first := collect(e.as(C))
		if again := collect(e.as(E)); !reflect.DeepEqual(first, again) {
			t.Fatalf("pages differ between two passes:\n%v\n%v", first, again)
		}
		got := map[string]int{}
		for _, id := range first {
			got[strings.SplitN(strings.TrimPrefix(id, "cand-"), "-", 3)[0]+"-"+strings.SplitN(strings.TrimPrefix(id, "cand-"), "-", 3)[1]]++
		}
		want := map[string]int{"ok-tvrh": 3, "ok-onexpiry": 3, "ok-rt": 3, "ok-permit": 3, "ok-rp": 3}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("matched %v, want %v", got, want)
		}

		// The employer's listing is audited, one entry per person shown.
		audit, err := st.AuditFor(ctx, "candidate", first[0])
		if err != nil || len(audit) != 1 || audit[0].Action != models.AuditCandidateMatched {
			t.Fatalf("employer listing not audited: %v %+v", err, audit)
		}
		e.must(http.StatusForbidden, e.do("GET", "/api/v1/vacancies/"+v.ID+"/matches", e.tokenFor(t, e.empB), nil))
	})
}

// tokenFor makes an employer user of emp and returns its token.
func (e *env) tokenFor(t *testing.T, emp models.Employer) string {
	t.Helper()
	token, hash := newToken()
	u := models.User{Name: "HR " + emp.Name, Role: models.RoleEmployer, EmployerID: emp.ID}
	if err := e.store.CreateUser(context.Background(), &u, hash); err != nil {
		t.Fatal(err)
	}
	return token
}

func TestCandidateSearchAndCandidateMatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		tvtf := twin("cand-tvtf-00001", "Yessenia Pérez", "GT", "F", "2000-06-30",
			models.Document{Type: models.DocVisitanteTrabajadorFronterizo, Number: "TVTF-1", IssuedOn: models.MustDate("2026-06-01"), ExpiresOn: models.MustDate("2027-05-01"), Verified: true})
		tvtf.Skills = []models.CandidateSkill{{Name: "corte de café"}}
		tvtf.Experience = []models.Experience{{Title: "jornalera agrícola", Years: 4}}
		tvtf.DesiredOccupations = nil
		rp := twin("cand-rp-00001", "Wilson Morales", "VE", "M", "1993-11-15",
			models.Document{Type: models.DocResidentePermanente, Number: "RP-1", IssuedOn: models.MustDate("2024-01-01"), Verified: true})
		if err := st.BulkCreateCandidates(ctx, []models.Candidate{tvtf, rp}); err != nil {
			t.Fatal(err)
		}
		nl := forkliftVacancy(e.empA.ID)
		cafe := models.Vacancy{ID: "vac-cafe-0001", EmployerID: e.empB.ID, Title: "Cortador de café", Skills: []models.VacancySkill{{Name: "corte de café", Required: true}},
			EducationLevel: "none", State: "MX-CHP", Municipality: "Tapachula", Positions: 20, StartDate: models.MustDate("2026-12-01"), Status: models.VacancyOpen}
		if err := st.BulkCreateVacancies(ctx, []models.Vacancy{nl, cafe}); err != nil {
			t.Fatal(err)
		}
		e.sync()

		e.must(http.StatusUnprocessableEntity, e.do("GET", "/api/v1/candidates/search?q=montacargas", e.as(E), nil))
		e.must(http.StatusUnprocessableEntity, e.do("GET", "/api/v1/candidates/search?q=montacargas&state=Nuevo+Leon", e.as(E), nil))
		ids := func(page map[string]any, key string) []string {
			var out []string
			for _, it := range page["items"].([]any) {
				out = append(out, it.(map[string]any)[key].(map[string]any)["id"].(string))
			}
			return out
		}
		// Accent-free search finds "montacarguista" people eligible in Nuevo León only.
		resp := e.do("GET", "/api/v1/candidates/search?q=montacarguista&state=MX-NLE&date=2027-01-15", e.as(E), nil)
		page := e.must(http.StatusOK, resp)
		if got := ids(page, "candidate"); !reflect.DeepEqual(got, []string{"cand-rp-00001"}) {
			t.Fatalf("employer search in MX-NLE: %v", got)
		}
		if strings.Contains(string(resp.body), "residente_permanente") || strings.Contains(string(resp.body), "Wilson Morales") {
			t.Fatalf("the employer's search shows the document type or full name: %s", resp.body)
		}
		page = e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/search?q=cafe&state=MX-CHP&date=2026-12-01", e.as(C), nil))
		if got := ids(page, "candidate"); !reflect.DeepEqual(got, []string{"cand-tvtf-00001"}) {
			t.Fatalf("counsellor search for café without the accent in Chiapas: %v", got)
		}
		page = e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/search?q=cafe&state=MX-NLE&date=2026-12-01", e.as(C), nil))
		if got := ids(page, "candidate"); len(got) != 0 {
			t.Fatalf("a TVTF holder found for Nuevo León: %v", got)
		}
		page = e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/search?state=MX-NLE&languages=es&min_experience_years=2", e.as(C), nil))
		if got := ids(page, "candidate"); !reflect.DeepEqual(got, []string{"cand-rp-00001"}) {
			t.Fatalf("filters only: %v", got)
		}

		// Candidate → vacancies: only where the person may legally work.
		page = e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/cand-tvtf-00001/matches", e.as(H), nil))
		if got := ids(page, "vacancy"); !reflect.DeepEqual(got, []string{"vac-cafe-0001"}) {
			t.Fatalf("TVTF holder's matches: %v (the Nuevo León vacancy is not for them)", got)
		}
		page = e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/cand-rp-00001/matches", e.as(C), nil))
		if got := ids(page, "vacancy"); len(got) == 0 || got[0] != nl.ID {
			t.Fatalf("a forklift operator's best vacancy: %v", got)
		}

		// The vacancy list's q goes through the index, accents folded.
		page = e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies?q=cafe", e.as(M), nil))
		if got := page["items"].([]any); len(got) != 1 || got[0].(map[string]any)["id"] != "vac-cafe-0001" {
			t.Fatalf("vacancy search: %v", got)
		}
	})
}
