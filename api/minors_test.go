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

// TestMinorsAreNeverMatched: age is judged on the vacancy's start date (2027-01-15). A
// 13-year-old with permanent residence is in no match list, cannot be referred, and is
// marked for the protection pathway in the staff's eligibility answer; a 16-year-old is
// not matched while vacancies cannot declare the conditions adolescents may work under;
// a 17-year-old who turns 18 before the start is matched, as is an adult.
func TestMinorsAreNeverMatched(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		v := forkliftVacancy(e.empA.ID)
		if err := st.BulkCreateVacancies(ctx, []models.Vacancy{v}); err != nil {
			t.Fatal(err)
		}
		doc := func(n string) models.Document {
			return models.Document{Type: models.DocResidentePermanente, Number: "RP-" + n, IssuedOn: models.MustDate("2024-01-01"), Verified: true}
		}
		people := []models.Candidate{
			twin("cand-age-000001", "Adulto Pérez", "GT", "M", "1990-04-02", doc("1")),
			twin("cand-age-000013", "Niño Pérez", "GT", "M", "2013-03-01", doc("2")),
			twin("cand-age-000016", "Adolescente Pérez", "GT", "F", "2010-06-15", doc("3")),
			twin("cand-age-000017", "Casi Adulta Pérez", "GT", "F", "2009-01-10", doc("4")),
		}
		if err := st.BulkCreateCandidates(ctx, people); err != nil {
			t.Fatal(err)
		}
		e.sync()

		for _, role := range []models.Role{C, E} {
			page := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+v.ID+"/matches", e.as(role), nil))
			var ids []string
			for _, it := range page["items"].([]any) {
				ids = append(ids, it.(map[string]any)["candidate"].(map[string]any)["id"].(string))
			}
			sort.Strings(ids)
			if strings.Join(ids, " ") != "cand-age-000001 cand-age-000017" {
				t.Fatalf("%s sees matches %v; want the adult and the person who is 18 on the start date", role, ids)
			}
		}
		for _, id := range []string{"cand-age-000013", "cand-age-000016"} {
			page := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+id+"/matches", e.as(C), nil))
			if items := page["items"].([]any); len(items) != 0 {
				t.Fatalf("vacancies offered to minor %s: %v", id, items)
			}
			r := e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": id, "vacancy_id": v.ID})
			if r.status < 400 || r.status >= 500 {
				t.Fatalf("referring minor %s: %d %s", id, r.status, r.body)
			}
		}
		d := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/cand-age-000013/eligibility?state=MX-NLE&date=2027-01-15", e.as(C), nil))
		if d["eligible"] != false || d["protection_pathway"] != true || !strings.Contains(d["next_steps"].([]any)[0].(string), "DIF") {
			t.Fatalf("the 13-year-old's eligibility: %v", d)
		}
		d = e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/cand-age-000016/eligibility?state=MX-NLE&date=2027-01-15", e.as(C), nil))
		if d["eligible"] != false || d["protection_pathway"] != nil || !strings.Contains(d["next_steps"].([]any)[0].(string), "2028-06-15") {
			t.Fatalf("the 16-year-old's eligibility: %v", d)
		}
	})
}
