package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func vacancyIDs(page map[string]any) []string {
	var ids []string
	for _, it := range page["items"].([]any) {
		it := it.(map[string]any)
		if v, ok := it["vacancy"].(map[string]any); ok {
			it = v
		}
		ids = append(ids, it["id"].(string))
	}
	return ids
}

// TestEndedVacancyIsNoLongerOffered: a vacancy whose end date has passed on the
// store's clock is left out of the migrant's matches and of the candidate's, has no
// matches of its own and takes no referral, even before the sweep; the sweep then
// closes it (audited, with a change-feed row) and the index follows.
func TestEndedVacancyIsNoLongerOffered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		short := vacancyBody("")
		short["title"], short["start_date"], short["end_date"] = "Tractorista de temporada", "2026-11-25", "2026-11-30"
		endedID := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), short))["id"].(string)
		lasting := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), vacancyBody("")))["id"].(string)

		id, _ := e.register("+529625550177", "482916")
		token := e.must(http.StatusOK, e.login("+529625550177", "482916"))["token"].(string)
		e.must(http.StatusOK, e.do("PATCH", "/api/v1/me", token, map[string]any{"documents": []map[string]any{{
			"type": "visitante_razones_humanitarias", "number": "TVRH-CHP-2026-030303", "issued_on": "2026-07-01", "expires_on": "2027-07-01"}}}))
		e.sync()

		offered := func(who string, page map[string]any, want ...string) {
			t.Helper()
			got := vacancyIDs(page)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: vacancies %v, want %v", who, got, want)
			}
		}
		offered("migrant before the end date", e.must(http.StatusOK, e.do("GET", "/api/v1/me/matches", token, nil)), endedID, lasting)
		if n := len(e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+endedID+"/matches", e.as(E), nil))["items"].([]any)); n != 1 {
			t.Fatalf("the employer's matches before the end date: %d candidates, want 1", n)
		}

		// 2026-12-01 in Mexico City: the end date (2026-11-30) has passed.
		storetest.ClockOf(t, st).Advance(9 * 24 * time.Hour)
		token = e.must(http.StatusOK, e.login("+529625550177", "482916"))["token"].(string)
		offered("migrant after the end date", e.must(http.StatusOK, e.do("GET", "/api/v1/me/matches", token, nil)), lasting)
		offered("candidate's matches after the end date", e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+id+"/matches", e.as(C), nil)), lasting)
		if items := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+endedID+"/matches", e.as(E), nil))["items"].([]any); len(items) != 0 {
			t.Fatalf("the employer's matches of an ended vacancy: %v", items)
		}
		e.must(http.StatusConflict, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": id, "vacancy_id": endedID}))

		search := "/api/v1/vacancies?status=open&q=tractorista"
		if ids := vacancyIDs(e.must(http.StatusOK, e.do("GET", search, e.as(M), nil))); !slices.Equal(ids, []string{endedID}) {
			t.Fatalf("the search before the sweep: %v, want the ended vacancy (still open)", ids)
		}
		before, err := st.LatestSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := e.server.CloseEndedVacancies(ctx); err != nil || n != 1 {
			t.Fatalf("the sweep closed %d, %v; want 1", n, err)
		}
		if got := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+endedID, e.as(E), nil)); got["status"] != "closed" {
			t.Fatalf("after the sweep the ended vacancy is %v", got["status"])
		}
		if got := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+lasting, e.as(E), nil)); got["status"] != "open" {
			t.Fatalf("the sweep touched a vacancy without an end date: %v", got["status"])
		}
		changes, err := st.ChangesSince(ctx, before, 10)
		if err != nil || len(changes) != 1 || changes[0].EntityID != endedID || changes[0].Entity != models.ChangeVacancy {
			t.Fatalf("change feed after the sweep: %+v, %v", changes, err)
		}
		audit, err := st.AuditFor(ctx, "vacancy", endedID)
		if err != nil || len(audit) != 1 || audit[0].Action != models.AuditVacancyEnded {
			t.Fatalf("audit of the closed vacancy: %+v, %v", audit, err)
		}
		e.sync()
		if ids := vacancyIDs(e.must(http.StatusOK, e.do("GET", search, e.as(M), nil))); len(ids) != 0 {
			t.Fatalf("the index still offers the closed vacancy: %v", ids)
		}
		if n, err := e.server.CloseEndedVacancies(ctx); err != nil || n != 0 {
			t.Fatalf("a second sweep closed %d, %v; want 0", n, err)
		}
		offered("migrant after the sweep", e.must(http.StatusOK, e.do("GET", "/api/v1/me/matches", token, nil)), lasting)
	})
}
