package offices_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/offices"
	"github.com/vincula/vincula/placement"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// TestOfficesAndCounsellors: only admins create offices, change the states they cover
// and change counsellors; each change is audited; a deactivated counsellor's open
// referral goes back to routing and they take no new one until reactivated.
func TestOfficesAndCounsellors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := offices.New(st, accounts.New(st, st.Now(), accounts.Config{}))
		admin := models.User{ID: "u-admin", Role: models.RoleAdmin}
		for _, role := range []models.Role{models.RoleCounsellor, models.RoleHubStaff, models.RoleOrganiser, models.RoleEmployer, models.RoleMigrant} {
			u := models.User{ID: "u-" + string(role), Role: role}
			if _, err := svc.Offices(ctx, u); !models.IsKind(err, models.ErrForbidden) {
				t.Fatalf("%s listed the offices: %v", role, err)
			}
			if _, err := svc.CreateOffice(ctx, u, models.Office{Name: "x", State: "MX-CHP"}); !models.IsKind(err, models.ErrForbidden) {
				t.Fatalf("%s created an office: %v", role, err)
			}
		}
		if _, err := svc.CreateOffice(ctx, admin, models.Office{Name: "SNE Tabasco", State: "MX-TAB", CoverageStates: []string{"MX-XXX"}}); !models.IsKind(err, models.ErrInvalid) {
			t.Fatalf("an unknown state: %v", err)
		}
		o, err := svc.CreateOffice(ctx, admin, models.Office{Name: "SNE Chiapas", State: "MX-CHP", CoverageStates: []string{"mx-chp", "MX-CHP", " MX-TAB"}})
		if err != nil || len(o.CoverageStates) != 2 || o.CoverageStates[0] != "MX-CHP" || o.National {
			t.Fatalf("create: %+v %v", o, err)
		}
		if _, err := svc.SetCoverage(ctx, models.User{ID: "c", Role: models.RoleCounsellor}, o.ID, nil); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("a counsellor changed the coverage: %v", err)
		}
		o, err = svc.SetCoverage(ctx, admin, o.ID, []string{"MX-ROO", "MX-CHP", "MX-CAM"})
		if err != nil || len(o.CoverageStates) != 3 || o.CoverageStates[0] != "MX-CAM" {
			t.Fatalf("coverage: %+v %v", o, err)
		}
		if got, _ := st.Office(ctx, o.ID); len(got.CoverageStates) != 3 {
			t.Fatalf("coverage not stored: %+v", got)
		}
		audit, _ := st.AuditFor(ctx, "office", o.ID)
		if len(audit) != 2 || audit[1].Action != "office_states_changed" || audit[1].Detail != "covers MX-CAM,MX-CHP,MX-ROO" || audit[1].ActorID != admin.ID {
			t.Fatalf("office audit: %+v", audit)
		}

		// A counsellor with one open referral.
		co := models.Counsellor{Name: "Ana", Email: "ana@sne.example", OfficeID: o.ID, Languages: []string{"es"}, Capacity: 5}
		cu := models.User{Name: "Ana", Role: models.RoleCounsellor}
		if err := st.CreateCounsellor(ctx, &co, &cu, "hash-ana"); err != nil {
			t.Fatal(err)
		}
		emp := models.Employer{Name: "Cafetalera", RFC: "CSO050815PL2", State: "MX-CHP"}
		if err := st.CreateEmployer(ctx, &emp); err != nil {
			t.Fatal(err)
		}
		pl := placement.New(st, nil, st.Now(), nil)
		v := models.Vacancy{EmployerID: emp.ID, Title: "Corte de café", State: "MX-CHP", Positions: 5, Status: models.VacancyOpen,
			StartDate: pl.Today().AddDays(3), EducationLevel: "none"}
		v.Normalize()
		if err := st.CreateVacancy(ctx, &v); err != nil {
			t.Fatal(err)
		}
		at := st.Now()()
		newCandidate := func(name string) models.Candidate {
			c := models.Candidate{FullName: name, Nationality: "GT", BirthDate: models.MustDate("1990-01-01"), CurrentState: "MX-CHP",
				Status: models.CandidateActive, Consent: models.Consent{ShareProfile: true, GivenAt: &at},
				Documents: []models.Document{{Type: models.DocVisitanteRazonesHumanitarias, Number: "TVRH-" + name, ExpiresOn: pl.Today().AddDays(300)}}}
			c.Normalize()
			if err := st.CreateCandidate(ctx, &c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		r, err := pl.Create(ctx, admin, newCandidate("Uno").ID, v.ID, "")
		if err != nil || r.CounsellorID != co.ID {
			t.Fatalf("referral: %+v %v", r.Referral, err)
		}
		if _, err := svc.ChangeCounsellor(ctx, models.User{ID: "h", Role: models.RoleHubStaff}, co.ID, offices.CounsellorChange{}); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("hub staff changed a counsellor: %v", err)
		}
		zero := 0
		if _, err := svc.ChangeCounsellor(ctx, admin, co.ID, offices.CounsellorChange{Capacity: &zero}); !models.IsKind(err, models.ErrInvalid) {
			t.Fatalf("capacity 0: %v", err)
		}
		capacity, langs, off := 8, []string{"es", "ht", "fr", ""}, false
		got, err := svc.ChangeCounsellor(ctx, admin, co.ID, offices.CounsellorChange{Capacity: &capacity, Languages: &langs, Active: &off})
		if err != nil || got.Active || got.Capacity != 8 || len(got.Languages) != 3 || got.OpenReferrals != 0 {
			t.Fatalf("deactivate: %+v %v", got, err)
		}
		if moved, _ := pl.Get(ctx, admin, r.ID); moved.CounsellorID == co.ID {
			t.Fatal("the deactivated counsellor kept their open referral")
		}
		if r2, err := pl.Create(ctx, admin, newCandidate("Dos").ID, v.ID, ""); err != nil || r2.CounsellorID == co.ID {
			t.Fatalf("a deactivated counsellor got a new referral: %+v %v", r2.Referral, err)
		}
		on := true
		if got, err = svc.ChangeCounsellor(ctx, admin, co.ID, offices.CounsellorChange{Active: &on}); err != nil || !got.Active {
			t.Fatalf("reactivate: %+v %v", got, err)
		}
		if r3, err := pl.Create(ctx, admin, newCandidate("Tres").ID, v.ID, ""); err != nil || r3.CounsellorID != co.ID {
			t.Fatalf("a reactivated counsellor got no referral: %+v %v", r3.Referral, err)
		}
		audit, _ = st.AuditFor(ctx, "counsellor", co.ID)
		if len(audit) != 2 || audit[0].Detail != "capacity 5 to 8; languages es,ht,fr; deactivated" || audit[1].Detail != "reactivated" {
			t.Fatalf("counsellor audit: %+v", audit)
		}
		// A counsellor created from the console is invited to it.
		if _, _, err := svc.CreateCounsellor(ctx, models.User{ID: "o", Role: models.RoleOrganiser}, models.Counsellor{Name: "X", Email: "x@sne.example",
			OfficeID: o.ID, Capacity: 3}); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("an organiser created a counsellor: %v", err)
		}
		if _, _, err := svc.CreateCounsellor(ctx, admin, models.Counsellor{Name: "Luis", Email: "luis@sne.example", OfficeID: "nope", Capacity: 3}); !models.IsKind(err, models.ErrInvalid) {
			t.Fatalf("an unknown office: %v", err)
		}
		luis, inv, err := svc.CreateCounsellor(ctx, admin, models.Counsellor{Name: "Luis", Email: "Luis@SNE.example", OfficeID: o.ID,
			Languages: []string{"es", "en", "es"}, Capacity: 12})
		if err != nil || !luis.Active || luis.UserID == "" || strings.Join(luis.Languages, ",") != "es,en" || inv.UserID != luis.UserID {
			t.Fatalf("create a counsellor: %+v %+v %v", luis, inv, err)
		}
		acc := accounts.New(st, st.Now(), accounts.Config{})
		u, err := acc.Accept(ctx, inv.Token, "correcto-caballo-bateria")
		if err != nil || u.Role != models.RoleCounsellor || u.CounsellorID != luis.ID || u.OfficeID != o.ID {
			t.Fatalf("the new counsellor's invitation: %+v %v", u, err)
		}
		if _, err := acc.SignIn(ctx, "luis@sne.example", "correcto-caballo-bateria", "127.0.0.1"); err != nil {
			t.Fatalf("the new counsellor signs in: %v", err)
		}
		if audit, _ := st.AuditFor(ctx, "counsellor", luis.ID); len(audit) != 1 || audit[0].Action != "counsellor_created" {
			t.Fatalf("creation audit: %+v", audit)
		}
		list, err := svc.Offices(ctx, admin)
		if err != nil || len(list) < 1 {
			t.Fatalf("offices: %v", err)
		}
		for _, l := range list {
			if l.ID == o.ID && (len(l.Counsellors) != 2 || l.Counsellors[0].ID != co.ID) {
				t.Fatalf("the office's counsellors: %+v", l.Counsellors)
			}
		}
	})
}
