// Package programmetest plants a small programme in a test store, whose dashboard
// figures are known: people registered, eligible or not, referred, interviewed and
// hired in two states over two months, with genders and nationalities chosen so that
// the dashboard must suppress cells, some of them only to protect another.
package programmetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/placement"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// Mexico is the zone the planted months are reckoned in (Mexico City, UTC-6 all year).
var Mexico = time.FixedZone("UTC-6", -6*3600)

// Planted is what Plant put in the store.
type Planted struct {
	Admin models.User
	// Months are the two months of the hires (YYYY-MM), the first at the store's clock.
	Months [2]string
	// Funnel is the true count of each stage, before suppression.
	Funnel map[string]int
}

// hire is one person hired: their gender, nationality, the vacancy's state and month.
type hire struct {
	gender, nationality, state string
	month                      int
}

// Hires are the planted placements: by state and month 6 (NLE, first month), 2 (CHP,
// first), 7 (NLE, second) and 5 (CHP, second); by gender 10 F, 9 M, 1 X; by
// nationality 15 GT, 4 HN, 1 HT. 20 people hired in all.
func hires() []hire {
	var hs []hire
	add := func(n int, h hire) {
		for range n {
			hs = append(hs, h)
		}
	}
	add(6, hire{"F", "GT", "MX-NLE", 0})
	add(2, hire{"M", "HN", "MX-CHP", 0})
	add(4, hire{"F", "GT", "MX-NLE", 1})
	add(2, hire{"M", "HN", "MX-NLE", 1})
	add(1, hire{"M", "HT", "MX-NLE", 1})
	add(4, hire{"M", "GT", "MX-CHP", 1})
	add(1, hire{"X", "GT", "MX-CHP", 1})
	return hs
}

// Plant fills st: 20 people hired (Hires), 2 interviewed and not hired, 3 referred and
// still pending, 1 eligible never referred, and 4 who may not work (an expired card, a
// regional visitor's card, a temporary resident without a work permit, a child of 14),
// so 30 registered, 26 eligible, 25 referred, 22 interviewed, 20 hired. The clock ends
// in the second month.
func Plant(t testing.TB, st *store.Store) Planted {
	t.Helper()
	ctx := context.Background()
	clock := storetest.ClockOf(t, st)
	pl := placement.New(st, nil, st.Now(), Mexico)
	admin := models.User{Name: "Administración", Role: models.RoleAdmin}
	must(t, st.CreateUser(ctx, &admin, "hash-admin-programmetest"))
	emp := models.Employer{Name: "Maquiladora de Prueba", RFC: "MPR990301KX4", State: "MX-NLE"}
	must(t, st.CreateEmployer(ctx, &emp))
	office := models.Office{Name: "SNE de prueba", State: "MX-CHP", CoverageStates: []string{"MX-CHP"}}
	must(t, st.CreateOffice(ctx, &office))
	co := models.Counsellor{Name: "Consejera de prueba", Email: "consejera@prueba.example", OfficeID: office.ID, Languages: []string{"es"}, Capacity: 100}
	cu := models.User{Name: co.Name, Role: models.RoleCounsellor}
	must(t, st.CreateCounsellor(ctx, &co, &cu, "hash-counsellor-programmetest"))
	today := pl.Today()
	vacancy := map[string]string{}
	for _, state := range []string{"MX-NLE", "MX-CHP"} {
		v := models.Vacancy{EmployerID: emp.ID, Title: "Operador(a) " + state, State: state, Positions: 100, Status: models.VacancyOpen,
			StartDate: today.AddDays(3), EducationLevel: "none"}
		v.Normalize()
		must(t, st.CreateVacancy(ctx, &v))
		vacancy[state] = v.ID
	}
	n := 0
	person := func(gender, nationality string, birth models.Date, doc models.Document) models.Candidate {
		n++
		at := st.Now()()
		c := models.Candidate{FullName: fmt.Sprintf("Persona %02d", n), Nationality: nationality, Gender: gender, BirthDate: birth,
			CurrentState: "MX-CHP", Status: models.CandidateActive, Languages: []models.LanguageSkill{{Code: "es", Level: "native"}},
			Consent: models.Consent{ShareProfile: true, GivenAt: &at}, Documents: []models.Document{doc}}
		c.Normalize()
		must(t, st.CreateCandidate(ctx, &c))
		return c
	}
	adult := models.MustDate("1995-03-14")
	tvrh := func() models.Document {
		at := st.Now()()
		return models.Document{Type: models.DocVisitanteRazonesHumanitarias, Number: fmt.Sprintf("TVRH-%04d", n), IssuedOn: today.AddDays(-30),
			ExpiresOn: today.AddDays(400), Verified: true, VerifiedBy: admin.ID, VerifiedAt: &at}
	}
	refer := func(c models.Candidate, state string, to ...models.ReferralStatus) {
		r, err := pl.Create(ctx, admin, c.ID, vacancy[state], "")
		must(t, err)
		for _, s := range to {
			if _, err := pl.Move(ctx, admin, r.ID, s, "paso "+string(s)); err != nil {
				t.Fatalf("move %s to %s: %v", c.FullName, s, err)
			}
		}
	}
	toHire := []models.ReferralStatus{models.ReferralContacted, models.ReferralSentToEmployer, models.ReferralInterviewing, models.ReferralHired}
	p := Planted{Admin: admin}
	p.Months[0] = st.Now()().In(Mexico).Format("2006-01")
	for month := range 2 {
		if month == 1 {
			clock.Advance(20 * 24 * time.Hour)
			p.Months[1] = st.Now()().In(Mexico).Format("2006-01")
		}
		for _, h := range hires() {
			if h.month == month {
				refer(person(h.gender, h.nationality, adult, tvrh()), h.state, toHire...)
			}
		}
	}
	for range 2 {
		refer(person("F", "SV", adult, tvrh()), "MX-NLE", models.ReferralContacted, models.ReferralSentToEmployer,
			models.ReferralInterviewing, models.ReferralNotHired)
	}
	for range 3 {
		refer(person("M", "VE", adult, tvrh()), "MX-NLE")
	}
	person("F", "CU", adult, tvrh())
	expired := tvrh()
	expired.IssuedOn, expired.ExpiresOn = today.AddDays(-400), today.AddDays(-1)
	person("F", "HN", adult, expired)
	regional := tvrh()
	regional.Type, regional.ExpiresOn = models.DocVisitanteRegional, today.AddDays(100)
	person("M", "GT", adult, regional)
	temporal := tvrh()
	temporal.Type, temporal.WorkPermission = models.DocResidenteTemporal, false
	person("M", "CO", adult, temporal)
	person("F", "GT", models.DateOf(st.Now()()).AddYears(-14), tvrh())
	p.Funnel = map[string]int{"registered": 30, "eligible": 26, "referred": 25, "interviewing": 22, "hired": 20}
	return p
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
