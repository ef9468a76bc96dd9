package migrants_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/migrants"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/ranking"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func workSpan(c *models.Candidate) search.WorkSpan {
	s := matching.WorkSpan(c, nil)
	return search.WorkSpan{AllStates: s.AllStates, States: s.States, Until: s.Until, NeedsEmployer: s.NeedsEmployer}
}

// TestMigrantStory: a person registers with an unverified card, may work everywhere on
// it (and is told it is unchecked, by code), finds the vacancy that fits, is in the
// employer's ranked list until they withdraw consent, exports what is held about them
// (the export listing itself) and erases themselves; then neither a login nor the
// profile is found.
func TestMigrantStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ix, err := search.OpenMem()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		follow := search.NewFollower(ix, st, workSpan, nil)
		sync := func() {
			if _, err := follow.CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
		}
		rk := ranking.New(st, ix, nil, nil)
		svc := migrants.New(st, nil, rk, st.Now(), nil, migrants.Config{})
		today := svc.Today()
		emp := models.Employer{Name: "Empacadora del Sur", RFC: "EDS050815PL2", State: "MX-CHP"}
		if err := st.CreateEmployer(ctx, &emp); err != nil {
			t.Fatal(err)
		}
		v := models.Vacancy{EmployerID: emp.ID, Title: "Empacador de plátano", State: "MX-CHP", Positions: 2, Status: models.VacancyOpen,
			StartDate: today.AddDays(5), EducationLevel: "none", Skills: []models.VacancySkill{{Name: "empaque", Required: true}}}
		v.Normalize()
		if err := st.CreateVacancy(ctx, &v); err != nil {
			t.Fatal(err)
		}
		at := st.Now()()
		profile := models.Candidate{FullName: "Rose-Marie Joseph", Nationality: "HT", BirthDate: models.MustDate("1990-01-20"),
			Phone: "+529625550777", CurrentState: "MX-CHP", EducationLevel: "secondary", Consent: models.Consent{ShareProfile: true, GivenAt: &at},
			Skills: []models.CandidateSkill{{Name: "empaque"}}, Experience: []models.Experience{{Title: "Empacador de plátano", Years: 3}},
			Documents: []models.Document{{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-1", IssuedOn: today.AddDays(-10),
				ExpiresOn: today.AddDays(200), Verified: true, VerifiedBy: "self"}}}
		if _, err := svc.Register(ctx, migrants.Registration{Profile: profile, PIN: "123456", ConsentAnswered: true}); !models.IsKind(err, models.ErrInvalid) {
			t.Fatalf("a run of digits as PIN: %v", err)
		}
		reg, err := svc.Register(ctx, migrants.Registration{Profile: profile, PIN: "582914", ConsentAnswered: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Register(ctx, migrants.Registration{Profile: profile, PIN: "582914", ConsentAnswered: true}); !models.IsKind(err, models.ErrConflict) {
			t.Fatalf("the same phone twice: %v", err)
		}
		u, err := svc.Resume(ctx, reg.Token)
		if err != nil || u.CandidateID != reg.CandidateID {
			t.Fatalf("resume: %+v %v", u, err)
		}
		me, err := svc.Profile(ctx, u)
		if err != nil || me.Documents[0].Verified {
			t.Fatalf("a document typed in by the person is unverified: %+v %v", me.Documents, err)
		}
		d, err := svc.Eligibility(ctx, u, "MX-NLE", today, "ht")
		if err != nil || !d.Eligible || !slices.Equal(d.Codes, []string{"unverified"}) {
			t.Fatalf("eligibility: %+v %v", d, err)
		}
		sync()
		page, err := svc.Matches(ctx, u, "", 10)
		if err != nil || len(page.Items) != 1 || page.Items[0].Vacancy.ID != v.ID {
			t.Fatalf("matches: %+v %v", page, err)
		}
		listed := func() bool {
			sync()
			p, err := rk.CandidatesFor(ctx, &v, today, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(p.Items, func(c ranking.Candidate) bool { return c.Candidate.ID == reg.CandidateID })
		}
		if !listed() {
			t.Fatal("a consenting person is missing from the employer's list")
		}
		if c, err := svc.SetConsent(ctx, u, false); err != nil || c.ShareProfile {
			t.Fatalf("withdraw: %+v %v", c, err)
		}
		if listed() {
			t.Fatal("a person who withdrew consent is still in the employer's list")
		}
		ex, err := svc.Export(ctx, u)
		if err != nil || ex.Profile.ID != reg.CandidateID || ex.Login == nil ||
			!slices.ContainsFunc(ex.Audit, func(a models.AuditEvent) bool { return a.Action == models.AuditCandidateExport }) {
			t.Fatalf("export: %+v %v", ex, err)
		}
		if err := svc.Erase(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Login(ctx, "192.0.2.1", "+529625550777", "582914"); !errors.Is(err, migrants.ErrLoginFailed) {
			t.Fatalf("login after erasure: %v", err)
		}
		if _, err := st.Candidate(ctx, reg.CandidateID); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("the profile after erasure: %v", err)
		}
	})
}

// TestMigrantLoginLimits: logins from one address are limited per minute, failures
// lock the phone at that address (not elsewhere), and a reset PIN clears the lock.
func TestMigrantLoginLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		clock := storetest.ClockOf(t, st)
		svc := migrants.New(st, nil, nil, st.Now(), nil, migrants.Config{LoginPerAddress: 3, LockAfter: 2})
		for range 3 {
			if err := svc.AdmitLogin("198.51.100.1"); err != nil {
				t.Fatal(err)
			}
		}
		var th *migrants.Throttled
		if err := svc.AdmitLogin("198.51.100.1"); !errors.As(err, &th) || th.Locked || th.Wait <= 0 {
			t.Fatalf("the fourth login in a minute: %v", err)
		}
		if err := svc.AdmitLogin("198.51.100.2"); err != nil {
			t.Fatalf("another address: %v", err)
		}
		at := st.Now()()
		c := models.Candidate{FullName: "Jean Baptiste", Nationality: "HT", BirthDate: models.MustDate("1988-05-05"), Phone: "+529625550888",
			CurrentState: "MX-CHP", EducationLevel: "primary", Consent: models.Consent{ShareProfile: true, GivenAt: &at}}
		if _, err := svc.Register(ctx, migrants.Registration{Profile: c, PIN: "582914", ConsentAnswered: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Login(ctx, "198.51.100.3", "+529625550888", "000000"); !errors.Is(err, migrants.ErrLoginFailed) {
			t.Fatalf("first wrong PIN: %v", err)
		}
		if _, err := svc.Login(ctx, "198.51.100.3", "+529625550888", "000000"); !errors.As(err, &th) || !th.Locked {
			t.Fatalf("second wrong PIN locks: %v", err)
		}
		if _, err := svc.Login(ctx, "198.51.100.4", "+529625550888", "582914"); err != nil {
			t.Fatalf("the owner elsewhere: %v", err)
		}
		if _, err := svc.Login(ctx, "198.51.100.3", "+529625550888", "582914"); !errors.As(err, &th) || !th.Locked {
			t.Fatalf("the right PIN at the locked address: %v", err)
		}
		clock.Advance(16 * time.Minute)
		if _, err := svc.Login(ctx, "198.51.100.3", "+529625550888", "582914"); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
	})
}
