package profiles_test

import (
	"context"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/profiles"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// TestProfileAndVerify: staff read a profile with where the person may work and why
// not elsewhere, and verify a document, which is recorded with who and when; employers
// and organisers read no profile or document.
func TestProfileAndVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := profiles.New(st, nil, st.Now(), nil)
		today := models.DateOf(st.Now()())
		at := st.Now()()
		c := models.Candidate{FullName: "Yessenia Pérez", Nationality: "GT", BirthDate: models.MustDate("2000-06-30"), Phone: "+529621110004",
			CurrentState: "MX-CHP", PreferredStates: []string{"MX-NLE"}, Status: models.CandidateActive,
			Languages: []models.LanguageSkill{{Code: "es", Level: "native"}}, Consent: models.Consent{ShareProfile: true, GivenAt: &at},
			Documents: []models.Document{{Type: models.DocVisitanteTrabajadorFronterizo, Number: "TVTF-1", IssuedOn: today.AddDays(-9), ExpiresOn: today.AddDays(200)}}}
		c.Normalize()
		if err := st.CreateCandidate(ctx, &c); err != nil {
			t.Fatal(err)
		}
		for _, role := range []models.Role{models.RoleEmployer, models.RoleOrganiser, models.RoleMigrant} {
			u := models.User{ID: "u-" + string(role), Role: role}
			if _, err := svc.Get(ctx, u, c.ID); !models.IsKind(err, models.ErrForbidden) {
				t.Fatalf("%s read the profile: %v", role, err)
			}
			if _, err := svc.VerifyDocument(ctx, u, c.ID, c.Documents[0].ID); !models.IsKind(err, models.ErrForbidden) {
				t.Fatalf("%s verified a document: %v", role, err)
			}
		}
		hub := models.User{ID: "u-hub", Role: models.RoleHubStaff}
		p, err := svc.Get(ctx, hub, c.ID)
		if err != nil || len(p.Eligibility) != 2 {
			t.Fatalf("profile: %d decisions, %v", len(p.Eligibility), err)
		}
		// A border worker's card allows work in Chiapas, not in Nuevo León, and says why.
		if chp, nle := p.Eligibility[0], p.Eligibility[1]; !chp.Eligible || chp.State != "MX-CHP" || nle.Eligible || len(nle.Reasons) == 0 {
			t.Fatalf("eligibility: %+v / %+v", chp, nle)
		}
		if p.Eligibility[0].Basis.Verified {
			t.Fatal("an unchecked document reads as verified")
		}
		if _, err := svc.VerifyDocument(ctx, hub, c.ID, "nope"); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("verify an unknown document: %v", err)
		}
		got, err := svc.VerifyDocument(ctx, hub, c.ID, c.Documents[0].ID)
		if err != nil || !got.Documents[0].Verified || got.Documents[0].VerifiedBy != hub.ID || got.Documents[0].VerifiedAt == nil {
			t.Fatalf("verified: %+v %v", got.Documents[0], err)
		}
		p, _ = svc.Get(ctx, hub, c.ID)
		if !p.Eligibility[0].Basis.Verified || len(p.Views) == 0 || p.Views[len(p.Views)-1].Action != "document.verified" {
			t.Fatalf("after verification: basis %+v, audit %+v", p.Eligibility[0].Basis, p.Views)
		}
	})
}
