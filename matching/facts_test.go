package matching_test

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/scripts/datagen"
)

// TestFactsAgreeWithEligibility checks, on generated profiles with the hubs' documents
// (some made children, adolescents or undated, some with broken or reordered documents)
// and random places, days and employers, that the compiled facts decide exactly as
// Eligibility and Summarize do, and that a Profile scores exactly as Score.
func TestFactsAgreeWithEligibility(t *testing.T) {
	today := models.NewDate(2026, 11, 22)
	n := 3000
	if testing.Short() {
		n = 600
	}
	g := datagen.New(datagen.Config{Seed: 5, Today: today, Candidates: n})
	r := rand.New(rand.NewPCG(5, 6))
	states := models.StateCodes()
	employers := g.Employers()
	var vacancies []models.Vacancy
	for i := range 30 {
		vacancies = append(vacancies, g.Vacancy(i))
	}
	minors, eligible := 0, 0
	for i := range n {
		c := g.Candidate(i)
		switch r.IntN(10) {
		case 0: // a child or an adolescent, some born on 29 February
			c.BirthDate = today.AddYears(-(12 + r.IntN(7))).AddDays(r.IntN(365))
			if r.IntN(4) == 0 {
				c.BirthDate = models.NewDate(2008+4*r.IntN(3), 2, 29)
			}
			minors++
		case 1:
			c.BirthDate = models.Date{}
		case 2:
			if len(c.Documents) > 0 {
				d := c.Documents[0]
				d.EmployerID = employers[r.IntN(len(employers))].ID
				d.WorkPermission = !d.WorkPermission
				c.Documents = append(c.Documents, d)
			}
		case 3:
			c.CURP = "  "
		}
		f := matching.NewFacts(&c, nil)
		for range 8 {
			q := matching.Query{State: states[r.IntN(len(states))], Date: today.AddDays(r.IntN(900) - 300)}
			if r.IntN(3) == 0 {
				q.EmployerID = employers[r.IntN(len(employers))].ID
			}
			if r.IntN(20) == 0 {
				q.State = "MX-XXX"
			}
			if r.IntN(2) == 0 {
				// A vacancy's conditions decide for adolescents (issue 19).
				v := vacancies[r.IntN(len(vacancies))]
				q = matching.VacancyQuery(&v, q.Date)
			}
			want := matching.Eligibility(&c, q, nil).Eligible
			if got := f.Eligible(q); got != want {
				t.Fatalf("candidate %s, %+v: facts say %v, Eligibility %v", c.ID, q, got, want)
			}
			if want {
				eligible++
			}
			if got, want := f.EligibleSomewhere(q.Date), matching.Summarize(&c, q.Date, nil).EligibleSomewhere; got != want {
				t.Fatalf("candidate %s on %s: facts say eligible somewhere %v, Summarize %v", c.ID, q.Date, got, want)
			}
		}
		v := vacancies[i%len(vacancies)]
		s := matching.NewScorer(&v, nil, nil)
		text := r.Float64()
		want := matching.Score(&v, &c, text, nil, nil)
		p := matching.NewProfile(&c, nil)
		if got := s.ScoreProfile(p, text); !reflect.DeepEqual(got, want) {
			t.Fatalf("candidate %s for vacancy %s: profile scores %+v, Score %+v", c.ID, v.ID, got, want)
		}
		if got := s.ScoreOf(p, text); got != want.Score {
			t.Fatalf("candidate %s for vacancy %s: ScoreOf %v, Score %v", c.ID, v.ID, got, want.Score)
		}
		if b := s.Bound(p, text); b < want.Score {
			t.Fatalf("candidate %s for vacancy %s: bound %v below the score %v", c.ID, v.ID, b, want.Score)
		}
	}
	if minors == 0 || eligible == 0 {
		t.Fatalf("the data should hold minors (%d) and eligible pairs (%d)", minors, eligible)
	}
}
