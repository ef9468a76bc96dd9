package placement_test

import (
	"context"
	"slices"
	"testing"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/placement"
	"github.com/vincula/vincula/ranking"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// matchesOf returns the matches use case over a search index brought up to date with
// the store's change feed.
func matchesOf(t *testing.T, st *store.Store, w world) *placement.Matches {
	t.Helper()
	ix, err := search.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	f := search.NewFollower(ix, st, func(c *models.Candidate) search.WorkSpan {
		s := matching.WorkSpan(c, nil)
		return search.WorkSpan{AllStates: s.AllStates, States: s.States, Until: s.Until, NeedsEmployer: s.NeedsEmployer}
	}, nil)
	if _, err := f.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	return placement.NewMatches(w.svc, ranking.New(st, ix, nil, nil))
}

// TestMatches: a vacancy's ranked candidates with each score's parts in the weights
// file's order; staff see the person and the document the eligibility rests on, the
// vacancy's employer a shortened name and no document, and each look of it is audited;
// other roles and other employers see nothing; an ended vacancy matches nobody; a
// referral asked from the list goes through the referral rules.
func TestMatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := setup(t, st, true)
		// The list is of people whose profile speaks of the vacancy's work.
		w.candidate.DesiredOccupations = []string{"cortador de café"}
		w.candidate.Skills = []models.CandidateSkill{{Name: "corte de café"}}
		if err := st.UpdateCandidate(ctx, &w.candidate); err != nil {
			t.Fatal(err)
		}
		m := matchesOf(t, st, w)
		for _, u := range []models.User{w.hub, w.otherEmployer, {ID: "u-org", Role: models.RoleOrganiser}} {
			if _, err := m.For(ctx, u, w.vacancy.ID, "", 10); !models.IsKind(err, models.ErrForbidden) {
				t.Fatalf("%s saw the matches: %v", u.Role, err)
			}
		}
		if _, err := m.For(ctx, w.ana, "nope", "", 10); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("matches of an unknown vacancy: %v", err)
		}
		if _, err := m.For(ctx, w.ana, w.vacancy.ID, "not-a-cursor", 10); !models.IsKind(err, models.ErrInvalid) {
			t.Fatalf("a broken cursor: %v", err)
		}
		p, err := m.For(ctx, w.ana, w.vacancy.ID, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 1 || len(p.Items) != 1 || p.ForEmployer || !p.MayRefer || p.Ended {
			t.Fatalf("staff's page: %+v", p)
		}
		got := p.Items[0]
		var names []string
		for _, part := range got.Parts {
			names = append(names, part.Name)
			if part.Value < 0 || part.Value > 1 {
				t.Fatalf("part %s = %v, outside 0..1", part.Name, part.Value)
			}
		}
		if got.CandidateID != w.candidate.ID || got.Name != "Jean Pierre" || got.Basis != models.DocVisitanteRazonesHumanitarias ||
			!got.BasisVerified || got.ValidUntil.IsZero() || !slices.Equal(names, []string{"text", "skills", "occupation", "experience", "languages", "location", "availability"}) {
			t.Fatalf("staff's match: %+v", got)
		}
		ep, err := m.For(ctx, w.employer, w.vacancy.ID, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if e := ep.Items[0]; !ep.ForEmployer || e.Name != "Jean P." || e.Basis != "" || !e.BasisVerified || e.Score != got.Score {
			t.Fatalf("employer's match: %+v", e)
		}
		audit, err := st.AuditFor(ctx, "candidate", w.candidate.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(audit, func(a models.AuditEvent) bool {
			return a.Action == models.AuditCandidateMatched && a.ActorID == w.employer.ID
		}) {
			t.Fatalf("the employer's look was not audited: %+v", audit)
		}
		if _, err := m.Refer(ctx, w.hub, w.vacancy.ID, w.candidate.ID, "x"); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("hub staff referred from the list: %v", err)
		}
		r, err := m.Refer(ctx, w.ana, w.vacancy.ID, w.candidate.ID, "buen perfil")
		if err != nil || r.CandidateID != w.candidate.ID || r.VacancyID != w.vacancy.ID || r.Status != models.ReferralPending {
			t.Fatalf("refer: %+v %v", r, err)
		}
		if _, err := m.Refer(ctx, w.ana, w.vacancy.ID, w.candidate.ID, "otra vez"); !models.IsKind(err, models.ErrConflict) {
			t.Fatalf("a second open referral of the same person: %v", err)
		}
		if p, err := m.For(ctx, w.ana, w.vacancy.ID, "", 10); err != nil || p.Items[0].Referral != r.ID {
			t.Fatalf("the open referral is not on the list: %+v %v", p.Items, err)
		}
		// The vacancies whose matches each reader may open.
		if vs, _, err := m.Vacancies(ctx, w.otherEmployer, "", "", 10); err != nil || len(vs) != 0 {
			t.Fatalf("another employer's vacancies: %v %v", vs, err)
		}
		if vs, _, err := m.Vacancies(ctx, w.ana, "MX-CHP", "", 10); err != nil || len(vs) != 1 || vs[0].ID != w.vacancy.ID {
			t.Fatalf("a counsellor's vacancies: %v %v", vs, err)
		}
		if _, _, err := m.Vacancies(ctx, w.hub, "", "", 10); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("hub staff listed vacancies for matching: %v", err)
		}
		// Once its end date has passed, a vacancy matches nobody.
		v := w.vacancy
		v.EndDate = w.svc.Today().AddDays(-1)
		v.StartDate = w.svc.Today().AddDays(-30)
		if err := st.UpdateVacancy(ctx, &v); err != nil {
			t.Fatal(err)
		}
		if p, err := m.For(ctx, w.ana, v.ID, "", 10); err != nil || !p.Ended || len(p.Items) != 0 || p.MayRefer {
			t.Fatalf("an ended vacancy: %+v %v", p, err)
		}
	})
}
