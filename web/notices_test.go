package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/alerts"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestNoticesPage shows a counsellor the alert of their saved search in the console: a
// person who qualifies after the search was saved is listed with a link to the profile,
// and nobody else sees the counsellor's notice.
func TestNoticesPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := newConsole(t, st)
		clock := storetest.ClockOf(t, st)
		counsellor := c.users[models.RoleCounsellor]
		if _, err := c.alerts.Save(ctx, counsellor, alerts.Input{Name: "Albañiles en Chiapas",
			Query: models.SearchQuery{Q: "albañil", State: "MX-CHP"}}, clock.Now()); err != nil {
			t.Fatal(err)
		}
		cl := c.signIn(models.RoleCounsellor)
		if status, body := cl.get("/console/notices"); status != 200 || !strings.Contains(body, "No tiene avisos.") {
			t.Fatalf("before any alert: %d\n%s", status, body)
		}

		at, years := clock.Now(), 8.0
		today := c.place.Today()
		mason := models.Candidate{FullName: "Jean-Baptiste Pierre", Nationality: "HT", BirthDate: models.MustDate("1990-02-11"),
			Phone: "+529621110099", CurrentState: "MX-CHP", Hub: "Tapachula", Status: models.CandidateActive,
			Languages: []models.LanguageSkill{{Code: "ht", Level: "native"}, {Code: "es", Level: "intermediate"}},
			Consent:   models.Consent{ShareProfile: true, GivenAt: &at},
			Skills:    []models.CandidateSkill{{Name: "albañilería", Years: &years}}, DesiredOccupations: []string{"albañil"},
			Documents: []models.Document{{Type: models.DocResidentePermanente, Number: "RP-2025-77001", IssuedOn: today.AddDays(-300),
				Verified: true, VerifiedBy: c.users[models.RoleHubStaff].ID, VerifiedAt: &at}}}
		mason.Normalize()
		if err := st.CreateCandidate(ctx, &mason); err != nil {
			t.Fatal(err)
		}
		c.sync()
		clock.Advance(time.Hour)
		if _, err := c.alerts.Sweep(ctx, clock.Now()); err != nil {
			t.Fatal(err)
		}

		// The hour passed ends the idle session: sign in again.
		cl = c.signIn(models.RoleCounsellor)
		status, body := cl.get("/console/notices")
		if status != 200 || !strings.Contains(body, "Personas nuevas para una búsqueda guardada: 1") ||
			!strings.Contains(body, `href="/console/candidates/`+mason.ID+`"`) {
			t.Fatalf("after the alert: %d\n%s", status, body)
		}
		if strings.Contains(body, c.candidate.ID) {
			t.Errorf("the baseline's person is in the alert:\n%s", body)
		}
		other := c.signIn(models.RoleHubStaff)
		if status, body := other.get("/console/notices"); status != 200 || strings.Contains(body, mason.ID) {
			t.Errorf("another user sees the counsellor's notice: %d\n%s", status, body)
		}
	})
}
