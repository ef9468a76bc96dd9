package placement_test

import (
	"context"
	"slices"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/placement"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

type world struct {
	svc                        *placement.Service
	ana, otherOffice, employer models.User
	otherEmployer, admin, hub  models.User
	vacancy                    models.Vacancy
	candidate                  models.Candidate
}

func setup(t *testing.T, st *store.Store, verified bool) world {
	t.Helper()
	ctx := context.Background()
	w := world{svc: placement.New(st, nil, st.Now(), nil)}
	emp := models.Employer{Name: "Cafetalera", RFC: "CSO050815PL2", State: "MX-CHP"}
	emp2 := models.Employer{Name: "Otra", RFC: "ASA101122RT7", State: "MX-COA"}
	for _, e := range []*models.Employer{&emp, &emp2} {
		if err := st.CreateEmployer(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	chp := models.Office{Name: "SNE Chiapas", State: "MX-CHP", CoverageStates: []string{"MX-CHP"}}
	nle := models.Office{Name: "SNE Nuevo León", State: "MX-NLE", CoverageStates: []string{"MX-NLE"}}
	for _, o := range []*models.Office{&chp, &nle} {
		if err := st.CreateOffice(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	counsellor := func(o models.Office, name string) models.User {
		co := models.Counsellor{Name: name, Email: name + "@sne.example", OfficeID: o.ID, Languages: []string{"es"}, Capacity: 10}
		u := models.User{Name: name, Role: models.RoleCounsellor}
		if err := st.CreateCounsellor(ctx, &co, &u, "hash-"+name); err != nil {
			t.Fatal(err)
		}
		u.CounsellorID, u.OfficeID = co.ID, o.ID
		return u
	}
	w.ana, w.otherOffice = counsellor(chp, "ana"), counsellor(nle, "patricia")
	w.employer = models.User{ID: "u-emp", Role: models.RoleEmployer, EmployerID: emp.ID}
	w.otherEmployer = models.User{ID: "u-emp2", Role: models.RoleEmployer, EmployerID: emp2.ID}
	w.admin = models.User{ID: "u-admin", Role: models.RoleAdmin}
	w.hub = models.User{ID: "u-hub", Role: models.RoleHubStaff}
	today := w.svc.Today()
	w.vacancy = models.Vacancy{EmployerID: emp.ID, Title: "Cortador de café", State: "MX-CHP", Positions: 2, Status: models.VacancyOpen,
		StartDate: today.AddDays(3), EducationLevel: "none"}
	w.vacancy.Normalize()
	if err := st.CreateVacancy(ctx, &w.vacancy); err != nil {
		t.Fatal(err)
	}
	doc := models.Document{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-1", IssuedOn: today.AddDays(-10), ExpiresOn: today.AddDays(200)}
	if verified {
		at := st.Now()()
		doc.Verified, doc.VerifiedBy, doc.VerifiedAt = true, "u-hub", &at
	}
	given := st.Now()()
	w.candidate = models.Candidate{FullName: "Jean Pierre", Nationality: "HT", BirthDate: models.MustDate("1991-04-12"), Phone: "+529621110001",
		CurrentState: "MX-CHP", Hub: "Tapachula", Status: models.CandidateActive, Languages: []models.LanguageSkill{{Code: "es", Level: "B1"}},
		Consent: models.Consent{ShareProfile: true, GivenAt: &given}, Documents: []models.Document{doc}}
	w.candidate.Normalize()
	if err := st.CreateCandidate(ctx, &w.candidate); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestReferralLifecycle walks a referral from its creation to a hire through the use
// cases alone: who sees it, which moves each reader is offered, the contact details an
// employer gets only from interviewing on, and the history with its notes.
func TestReferralLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := setup(t, st, true)
		if _, err := w.svc.Create(ctx, w.hub, w.candidate.ID, w.vacancy.ID, ""); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("hub staff created a referral: %v", err)
		}
		if _, err := w.svc.Create(ctx, w.otherEmployer, w.candidate.ID, w.vacancy.ID, ""); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("another employer asked for a referral to this vacancy: %v", err)
		}
		if _, err := w.svc.Create(ctx, w.ana, "nobody", w.vacancy.ID, ""); !models.IsKind(err, models.ErrInvalid) {
			t.Fatalf("a referral of an unknown candidate: %v", err)
		}
		r, err := w.svc.Create(ctx, w.ana, w.candidate.ID, w.vacancy.ID, "habla español")
		if err != nil {
			t.Fatal(err)
		}
		if r.CounsellorID != w.ana.CounsellorID || r.Status != models.ReferralPending {
			t.Fatalf("routed to %q, %s; want ana's caseload, pending", r.CounsellorID, r.Status)
		}
		// Visibility: ana's caseload has it, the other office's does not, nor may they read it.
		mine, _, err := w.svc.List(ctx, w.ana, placement.Filter{})
		if err != nil || len(mine) != 1 || mine[0].ID != r.ID {
			t.Fatalf("ana's caseload: %v %v", mine, err)
		}
		if theirs, _, err := w.svc.List(ctx, w.otherOffice, placement.Filter{}); err != nil || len(theirs) != 0 {
			t.Fatalf("another office's caseload: %v %v", theirs, err)
		}
		if _, _, err := w.svc.List(ctx, w.otherOffice, placement.Filter{Office: w.ana.OfficeID}); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("another office's queue: %v", err)
		}
		if _, err := w.svc.Get(ctx, w.otherOffice, r.ID); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("another office read the referral: %v", err)
		}
		if _, err := w.svc.Move(ctx, w.otherEmployer, r.ID, models.ReferralContacted, ""); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("another employer moved the referral: %v", err)
		}
		got, err := w.svc.Get(ctx, w.ana, r.ID)
		if err != nil || !got.ContactVisible || got.ForEmployer || !slices.Equal(got.Moves, []models.ReferralStatus{models.ReferralContacted, models.ReferralWithdrawn}) {
			t.Fatalf("ana's view: moves %v contact %v employer %v, %v", got.Moves, got.ContactVisible, got.ForEmployer, err)
		}
		emp, err := w.svc.Get(ctx, w.employer, r.ID)
		if err != nil || emp.ContactVisible || !emp.ForEmployer || len(emp.Moves) != 0 {
			t.Fatalf("the employer's view of a pending referral: moves %v contact %v, %v", emp.Moves, emp.ContactVisible, err)
		}
		for _, step := range []struct {
			who  models.User
			to   models.ReferralStatus
			note string
		}{
			{w.ana, models.ReferralContacted, "llamada"},
			{w.ana, models.ReferralSentToEmployer, "enviado"},
			{w.employer, models.ReferralInterviewing, "entrevista el lunes"},
			{w.employer, models.ReferralHired, "contratado"},
		} {
			if r, err = w.svc.Move(ctx, step.who, r.ID, step.to, step.note); err != nil {
				t.Fatalf("move to %s: %v", step.to, err)
			}
			if step.to == models.ReferralInterviewing {
				if v, _ := w.svc.Get(ctx, w.employer, r.ID); !v.ContactVisible {
					t.Fatal("the employer does not see the contact details at interviewing")
				}
			}
		}
		got, err = w.svc.Get(ctx, w.ana, r.ID)
		if err != nil || got.Status != models.ReferralHired || len(got.History) != 5 || got.History[4].Note != "contratado" || len(got.Moves) != 0 {
			t.Fatalf("after the hire: %s, history %+v, moves %v, %v", got.Status, got.History, got.Moves, err)
		}
	})
}

// TestSendToEmployerNeedsVerifiedBasis: a person whose right to work rests on a document
// nobody has checked is not sent to an employer.
func TestSendToEmployerNeedsVerifiedBasis(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := setup(t, st, false)
		r, err := w.svc.Create(ctx, w.admin, w.candidate.ID, w.vacancy.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Move(ctx, w.admin, r.ID, models.ReferralContacted, ""); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.Move(ctx, w.admin, r.ID, models.ReferralSentToEmployer, "")
		if !models.IsKind(err, models.ErrConflict) {
			t.Fatalf("sent on an unverified document: %v", err)
		}
		if got, _ := w.svc.Get(ctx, w.admin, r.ID); got.Status != models.ReferralContacted {
			t.Fatalf("the refused move changed the status to %s", got.Status)
		}
	})
}

// TestCaseloadLines: a caseload's lines name the person for staff, not for the employer
// before the interview, with the vacancy's title and the reader's moves.
func TestCaseloadLines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := setup(t, st, true)
		if _, err := w.svc.Create(ctx, w.ana, w.candidate.ID, w.vacancy.ID, ""); err != nil {
			t.Fatal(err)
		}
		mine, _, err := w.svc.Caseload(ctx, w.ana, placement.Filter{})
		if err != nil || len(mine) != 1 || mine[0].CandidateName != w.candidate.FullName || mine[0].VacancyTitle != w.vacancy.Title ||
			!slices.Equal(mine[0].Moves, []models.ReferralStatus{models.ReferralContacted, models.ReferralWithdrawn}) {
			t.Fatalf("ana's line: %+v %v", mine, err)
		}
		emp, _, err := w.svc.Caseload(ctx, w.employer, placement.Filter{})
		if err != nil || len(emp) != 1 || emp[0].CandidateName != "" || len(emp[0].Moves) != 0 {
			t.Fatalf("the employer's line of a pending referral: %+v %v", emp, err)
		}
		if none, _, err := w.svc.Caseload(ctx, w.otherOffice, placement.Filter{}); err != nil || len(none) != 0 {
			t.Fatalf("another office's caseload: %+v %v", none, err)
		}
	})
}
