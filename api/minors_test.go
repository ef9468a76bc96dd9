package api_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// shopVacancy is a daytime shop job of 30 hours a week starting on 2027-01-15, declared
// not hazardous: work a person of 15 to 17 may take. change makes the variants.
func shopVacancy(employerID, id string, change func(v *models.Vacancy)) models.Vacancy {
	no := false
	v := models.Vacancy{ID: id, EmployerID: employerID, Title: "Ayudante de tienda", OccupationCode: "5223",
		Skills:         []models.VacancySkill{{Name: "ventas", Required: true}, {Name: "atención al cliente"}},
		EducationLevel: "none", State: "MX-NLE", Municipality: "Monterrey", Positions: 3,
		StartDate: models.MustDate("2027-01-15"), Status: models.VacancyOpen, Hazardous: &no, HoursPerWeek: 30}
	change(&v)
	return v
}

// shopPerson is a permanent resident at the Tapachula hub, willing to move to Nuevo
// León, who sells in shops, with the education and records the case is about.
func shopPerson(id, born, education string, records ...models.Document) models.Candidate {
	c := twin(id, "Persona "+id[len(id)-5:], "GT", "F", born,
		models.Document{Type: models.DocResidentePermanente, Number: "RP-" + id, IssuedOn: models.MustDate("2024-01-01"), Verified: true})
	c.Skills = []models.CandidateSkill{{Name: "ventas"}, {Name: "atención al cliente"}}
	c.Experience = []models.Experience{{Title: "ayudante de tienda", OccupationCode: "5223", Years: 1}}
	c.DesiredOccupations = []string{"ayudante de tienda"}
	c.EducationLevel = education
	c.Documents = append(c.Documents, records...)
	return c
}

func verifiedRecord(t models.DocumentType) models.Document {
	return models.Document{Type: t, IssuedOn: models.MustDate("2026-10-01"), Verified: true}
}

// TestMinorsAreMatchedOnlyToWorkTheLawAllows (issue 19): the store's clock says
// 2026-11-22; the shop vacancies start on 2027-01-15. A 13-year-old is in no match list,
// cannot be referred and is marked for the protection pathway; a 16-year-old who
// finished secondary school is matched to the daytime 30-hour shop job and not to a
// hazardous, a night or a 48-hour one; one who did not is matched to none without the
// labour authority's approval, and with it to the shop job; a 14-year-old with a
// guardian's authorisation who turns 15 before the start is matched to it, one without
// is not; a 17-year-old is matched to a hazardous vacancy that starts after the 18th
// birthday. Employers never see a birth date, an age or the restrictions.
func TestMinorsAreMatchedOnlyToWorkTheLawAllows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		yes := true
		vacancies := []models.Vacancy{
			shopVacancy(e.empA.ID, "vac-shop-30h", func(*models.Vacancy) {}),
			shopVacancy(e.empA.ID, "vac-shop-hazard", func(v *models.Vacancy) { v.Hazardous = &yes }),
			shopVacancy(e.empA.ID, "vac-shop-night", func(v *models.Vacancy) { v.NightWork = true }),
			shopVacancy(e.empA.ID, "vac-shop-48h", func(v *models.Vacancy) { v.HoursPerWeek = 48 }),
			shopVacancy(e.empA.ID, "vac-shop-alcohol", func(v *models.Vacancy) { v.ServesAlcohol = true }),
			shopVacancy(e.empA.ID, "vac-shop-later", func(v *models.Vacancy) {
				v.Hazardous, v.StartDate = &yes, models.MustDate("2027-03-01")
			}),
		}
		if err := st.BulkCreateVacancies(ctx, vacancies); err != nil {
			t.Fatal(err)
		}
		people := []models.Candidate{
			shopPerson("cand-age-adult1", "1990-04-02", "primary"),
			shopPerson("cand-age-child1", "2013-03-01", "primary"),
			shopPerson("cand-age-16secn", "2010-06-15", "secondary"),
			shopPerson("cand-age-16prim", "2010-05-10", "primary"),
			shopPerson("cand-age-16appr", "2010-04-10", "primary", verifiedRecord(models.DocAprobacionAutoridadLaboral)),
			shopPerson("cand-age-14tutr", "2012-01-10", "secondary", verifiedRecord(models.DocAutorizacionTutor)),
			shopPerson("cand-age-14none", "2012-01-11", "secondary"),
			shopPerson("cand-age-17year", "2009-02-20", "secondary"),
		}
		if err := st.BulkCreateCandidates(ctx, people); err != nil {
			t.Fatal(err)
		}
		e.sync()

		want := map[string]string{
			"vac-shop-30h":     "cand-age-14tutr cand-age-16appr cand-age-16secn cand-age-17year cand-age-adult1",
			"vac-shop-hazard":  "cand-age-adult1",
			"vac-shop-night":   "cand-age-adult1",
			"vac-shop-48h":     "cand-age-adult1",
			"vac-shop-alcohol": "cand-age-adult1",
			"vac-shop-later":   "cand-age-17year cand-age-adult1",
		}
		for _, role := range []models.Role{C, E} {
			for vid, ids := range want {
				r := e.do("GET", "/api/v1/vacancies/"+vid+"/matches?limit=50", e.as(role), nil)
				page := e.must(http.StatusOK, r)
				var got []string
				for _, it := range page["items"].([]any) {
					got = append(got, it.(map[string]any)["candidate"].(map[string]any)["id"].(string))
				}
				sort.Strings(got)
				if strings.Join(got, " ") != ids {
					t.Errorf("%s sees for %s: %v; want %s", role, vid, got, ids)
				}
				if role == E {
					for _, leak := range []string{"birth_date", "restrictions", "2010-", "2012-", "2009-", "age"} {
						if strings.Contains(strings.ToLower(string(r.body)), `"`+leak) {
							t.Errorf("an employer's match list for %s carries %q: %s", vid, leak, r.body)
						}
					}
				}
			}
		}
		// From the person's side, the same answers.
		for id, vids := range map[string]string{
			"cand-age-child1": "", "cand-age-16prim": "", "cand-age-14none": "",
			"cand-age-16secn": "vac-shop-30h", "cand-age-17year": "vac-shop-30h vac-shop-later",
		} {
			page := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+id+"/matches?limit=50", e.as(C), nil))
			var got []string
			for _, it := range page["items"].([]any) {
				got = append(got, it.(map[string]any)["vacancy"].(map[string]any)["id"].(string))
			}
			sort.Strings(got)
			if strings.Join(got, " ") != vids {
				t.Errorf("vacancies offered to %s: %v; want %q", id, got, vids)
			}
		}
		for _, ref := range []struct{ cand, vac string }{
			{"cand-age-child1", "vac-shop-30h"}, {"cand-age-16secn", "vac-shop-hazard"},
			{"cand-age-16secn", "vac-shop-night"}, {"cand-age-16prim", "vac-shop-30h"},
		} {
			r := e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": ref.cand, "vacancy_id": ref.vac})
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("referring %s to %s: %d %s; want 422", ref.cand, ref.vac, r.status, r.body)
			}
		}
		e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": "cand-age-16secn", "vacancy_id": "vac-shop-30h"}))

		d := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/cand-age-child1/eligibility?state=MX-NLE&date=2027-01-15", e.as(C), nil))
		if d["eligible"] != false || d["protection_pathway"] != true || !strings.Contains(d["next_steps"].([]any)[0].(string), "DIF") {
			t.Fatalf("the 13-year-old's eligibility: %v", d)
		}
		d = e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/cand-age-16secn/eligibility?state=MX-NLE&date=2027-01-15", e.as(C), nil))
		if d["eligible"] != true || len(d["restrictions"].([]any)) != 4 || !strings.Contains(d["restrictions"].([]any)[0].(string), "2028-06-15") {
			t.Fatalf("the 16-year-old's eligibility should list the restrictions until 2028-06-15: %v", d)
		}
		d = e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/cand-age-16prim/eligibility?state=MX-NLE&date=2027-01-15", e.as(C), nil))
		if d["eligible"] != false || !strings.Contains(strings.Join(stringsOf(d["next_steps"]), " "), "aprobacion_autoridad_laboral") {
			t.Fatalf("the 16-year-old without secondary school: %v", d)
		}
	})
}

func stringsOf(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

// TestVacancyHazardousFlag: a vacancy whose occupation is on the dangerous list is
// hazardous when it says nothing, and only an admin can declare it otherwise; the
// decision survives other edits and is judged afresh when the occupation changes.
func TestVacancyHazardousFlag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		body := vacancyBody(e.empA.ID)
		body["title"], body["occupation_code"] = "Operador de montacargas", "8344"
		v := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), body))
		if v["hazardous"] != true || v["night_work"] != false || v["hours_per_week"] != float64(0) {
			t.Fatalf("a forklift vacancy that says nothing: %v", v)
		}
		body["hazardous"] = false
		r := e.do("POST", "/api/v1/vacancies", e.as(E), body)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "hazardous") || !strings.Contains(string(r.body), "only an admin") {
			t.Fatalf("an employer declared a forklift job not hazardous: %d %s", r.status, r.body)
		}
		body["hours_per_week"] = 169
		r = e.do("POST", "/api/v1/vacancies", e.as(A), body)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "hours_per_week") {
			t.Fatalf("169 hours a week: %d %s", r.status, r.body)
		}
		body["hours_per_week"] = 30
		cleared := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(A), body))
		id := cleared["id"].(string)
		if cleared["hazardous"] != false || cleared["hours_per_week"] != float64(30) {
			t.Fatalf("the admin's decision: %v", cleared)
		}
		// The employer edits the salary: the admin's decision stays.
		p := e.must(http.StatusOK, e.do("PATCH", "/api/v1/vacancies/"+id, e.as(E), map[string]any{"salary_min": 9000}))
		if p["hazardous"] != false {
			t.Fatalf("an unrelated edit undid the admin's decision: %v", p)
		}
		// Sending it back unchanged is allowed too.
		p = e.must(http.StatusOK, e.do("PATCH", "/api/v1/vacancies/"+id, e.as(E), map[string]any{"hazardous": false, "night_work": true}))
		if p["hazardous"] != false || p["night_work"] != true {
			t.Fatalf("a round trip of the admin's decision: %v", p)
		}
		// A new occupation is judged afresh: a welder is hazardous again.
		p = e.must(http.StatusOK, e.do("PATCH", "/api/v1/vacancies/"+id, e.as(E), map[string]any{"title": "Soldador", "occupation_code": "7212"}))
		if p["hazardous"] != true {
			t.Fatalf("a welder vacancy after the change: %v", p)
		}
		// And a cashier is not.
		p = e.must(http.StatusOK, e.do("PATCH", "/api/v1/vacancies/"+id, e.as(E), map[string]any{"title": "Cajera", "occupation_code": "5230"}))
		if p["hazardous"] != false {
			t.Fatalf("a cashier vacancy after the change: %v", p)
		}
		got := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+id, e.as(E), nil))
		if got["hazardous"] != false || got["night_work"] != true || got["hours_per_week"] != float64(30) {
			t.Fatalf("stored: %v", got)
		}
	})
}
