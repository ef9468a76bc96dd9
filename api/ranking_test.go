package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// rankingFixture is the hand-written fixture of the matching package: vacancies,
// candidates writing in Spanish, English, French and Haitian Creole (with and without
// accents), and for each vacancy the top three a counsellor would propose.
type rankingFixture struct {
	Vacancies  []models.Vacancy   `json:"vacancies"`
	Candidates []models.Candidate `json:"candidates"`
	Expected   []struct {
		Vacancy string   `json:"vacancy"`
		Top3    []string `json:"top3"`
		Why     string   `json:"why"`
	} `json:"expected"`
}

// TestRankingQualityThroughTheAPI runs the fixture through the whole pipeline (the
// bleve index with its text relevance, exact eligibility, Vincula's scoring) and checks
// that the counsellor's top three come first, in order.
func TestRankingQualityThroughTheAPI(t *testing.T) {
	data, err := os.ReadFile("../matching/testdata/ranking/fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	var f rankingFixture
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		var employers []models.Employer
		for _, v := range f.Vacancies {
			if !slices.ContainsFunc(employers, func(x models.Employer) bool { return x.ID == v.EmployerID }) {
				employers = append(employers, models.Employer{ID: v.EmployerID, Name: v.EmployerID, RFC: uniqueRFC("FIX"), State: v.State})
			}
		}
		if err := st.BulkCreateEmployers(ctx, employers); err != nil {
			t.Fatal(err)
		}
		if err := st.BulkCreateVacancies(ctx, f.Vacancies); err != nil {
			t.Fatal(err)
		}
		// Everyone may work everywhere (a verified humanitarian visa): the fixture tests
		// ranking, and eligibility never enters the score.
		given := fixedNow
		for i := range f.Candidates {
			f.Candidates[i].Status = models.CandidateActive
			f.Candidates[i].Consent = models.Consent{ShareProfile: true, GivenAt: &given}
			f.Candidates[i].Documents = []models.Document{{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-" + f.Candidates[i].ID,
				IssuedOn: models.MustDate("2026-06-01"), ExpiresOn: models.MustDate("2027-12-31"), Verified: true}}
		}
		if err := st.BulkCreateCandidates(ctx, f.Candidates); err != nil {
			t.Fatal(err)
		}
		e.sync()
		for _, want := range f.Expected {
			t.Run(want.Vacancy, func(t *testing.T) {
				page := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+want.Vacancy+"/matches?limit=3", e.as(C), nil))
				var got []string
				for _, it := range page["items"].([]any) {
					got = append(got, it.(map[string]any)["candidate"].(map[string]any)["id"].(string))
				}
				if !slices.Equal(got, want.Top3) {
					t.Errorf("top 3 = %v, want %v: %s", got, want.Top3, want.Why)
				}
			})
		}
	})
}
