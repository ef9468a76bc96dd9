package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// sweep runs the alert sweep at the test clock's now, after the index caught up.
func (e referralEnv) sweep(clock *storetest.Clock) {
	e.t.Helper()
	e.sync()
	if _, err := e.server.SweepAlerts(context.Background(), clock.Now()); err != nil {
		e.t.Fatalf("alert sweep: %v", err)
	}
}

// alertIDs returns the candidate IDs of every event of kind the receiver got, in order.
func alertIDs(r *receiver, kind string) [][]string {
	var out [][]string
	for _, m := range r.events() {
		if m["event"] != kind {
			continue
		}
		var ids []string
		for _, id := range m["data"].(map[string]any)["candidate_ids"].([]any) {
			ids = append(ids, id.(string))
		}
		out = append(out, ids)
	}
	return out
}

func (e referralEnv) noticeIDs(token string) [][]string {
	e.t.Helper()
	var out [][]string
	for _, n := range e.must(http.StatusOK, e.do("GET", "/api/v1/notices", token, nil))["items"].([]any) {
		var ids []string
		for _, id := range n.(map[string]any)["candidate_ids"].([]any) {
			ids = append(ids, id.(string))
		}
		out = append(out, ids)
	}
	return out
}

// TestSavedSearchAlerts: an employer's and a counsellor's saved searches, on a moved
// clock: the people found at saving are the baseline; a new qualifying person alerts
// once (a search.alert webhook to the employer, a notice to the counsellor); a second
// sweep sends nothing again; a person found within the day waits for the next day and
// comes alone; a deleted search alerts no more. Another employer gets nothing.
func TestSavedSearchAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := hookEnv(t, st, 1)
		clock := storetest.ClockOf(t, st)
		recvA, recvB := newReceiver(t, clock.Now), newReceiver(t, clock.Now)
		e.register(e.as(E), "", recvA, "search.alert")
		e.register(adminToken, e.empB.ID, recvB, "search.alert", "candidates.qualified", "referral.stage_changed")
		w := worker(st)

		before := e.candidate("Jean-Baptiste Pierre")
		e.sync()
		query := map[string]any{"q": "mason", "state": "MX-CHP"}
		mine := e.must(http.StatusCreated, e.do("POST", "/api/v1/saved-searches", e.as(E),
			map[string]any{"name": "Albañiles en Chiapas", "query": query}))
		theirs := e.must(http.StatusCreated, e.do("POST", "/api/v1/saved-searches", e.as(C),
			map[string]any{"name": "Albañiles", "query": query, "shared": true}))
		if mine["owner_role"] != "employer" || mine["shared"] != false || theirs["office_id"] != e.office.ID {
			t.Fatalf("saved: %v / %v", mine, theirs)
		}
		// Employers must name the state, as in the search itself.
		e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/saved-searches", e.as(E),
			map[string]any{"name": "x", "query": map[string]any{"q": "mason"}}))
		e.must(http.StatusForbidden, e.do("POST", "/api/v1/saved-searches", e.as(H), map[string]any{"name": "x", "query": query}))

		e.sweep(clock)
		runWorker(t, w)
		if got := alertIDs(recvA, "search.alert"); len(got) != 0 {
			t.Fatalf("the baseline alerted: %v", got)
		}

		// A new qualifying person alerts once, to each owner.
		first := e.candidate("Wilson Morales")
		e.sweep(clock)
		runWorker(t, w)
		e.sweep(clock)
		runWorker(t, w)
		if got := alertIDs(recvA, "search.alert"); len(got) != 1 || !slices.Equal(got[0], []string{first}) {
			t.Fatalf("employer alerts after one new person: %v (the person: %s, before: %s)", got, first, before)
		}
		if got := e.noticeIDs(e.as(C)); len(got) != 1 || !slices.Equal(got[0], []string{first}) {
			t.Fatalf("counsellor notices: %v", got)
		}

		// Within the day, a newcomer waits; the next day it comes, alone.
		second := e.candidate("Marie Joseph")
		clock.Advance(time.Hour)
		e.sweep(clock)
		runWorker(t, w)
		if got := alertIDs(recvA, "search.alert"); len(got) != 1 {
			t.Fatalf("a second alert within the day: %v", got)
		}
		clock.Advance(24 * time.Hour)
		e.sweep(clock)
		runWorker(t, w)
		e.sweep(clock)
		runWorker(t, w)
		if got := alertIDs(recvA, "search.alert"); len(got) != 2 || !slices.Equal(got[1], []string{second}) {
			t.Fatalf("alerts after the day: %v (second: %s)", got, second)
		}
		if got := e.noticeIDs(e.as(C)); len(got) != 2 || !slices.Equal(got[1], []string{second}) {
			t.Fatalf("counsellor notices after the day: %v", got)
		}

		// Renamed, shared; another employer neither sees nor changes it.
		id := mine["id"].(string)
		e.must(http.StatusOK, e.do("PATCH", "/api/v1/saved-searches/"+id, e.as(E), map[string]any{"name": "Albañiles (Tapachula)"}))
		if got := e.must(http.StatusOK, e.do("GET", "/api/v1/saved-searches/"+id, e.as(E), nil)); got["name"] != "Albañiles (Tapachula)" {
			t.Fatalf("renamed: %v", got)
		}
		tokenB, hashB := newToken()
		userB := models.User{Name: "rrhh B", Role: models.RoleEmployer, EmployerID: e.empB.ID}
		if err := st.CreateUser(context.Background(), &userB, hashB); err != nil {
			t.Fatal(err)
		}
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/saved-searches/"+id, tokenB, nil))
		e.must(http.StatusNotFound, e.do("DELETE", "/api/v1/saved-searches/"+id, tokenB, nil))
		if items := e.must(http.StatusOK, e.do("GET", "/api/v1/saved-searches", tokenB, nil))["items"].([]any); len(items) != 0 {
			t.Fatalf("employer B lists others' searches: %v", items)
		}
		// The counsellor's shared search is visible to the office, changed only by its owner.
		colleague := e.must(http.StatusCreated, e.do("POST", "/api/v1/counsellors", adminToken, map[string]any{
			"name": "Luis", "email": "luis@sne.example", "office_id": e.office.ID, "languages": []string{"es"}, "capacity": 5}))["token"].(string)
		if items := e.must(http.StatusOK, e.do("GET", "/api/v1/saved-searches", colleague, nil))["items"].([]any); len(items) != 1 ||
			items[0].(map[string]any)["id"] != theirs["id"] {
			t.Fatalf("a colleague of the office lists %v, want the shared search only", items)
		}
		e.must(http.StatusForbidden, e.do("PATCH", "/api/v1/saved-searches/"+theirs["id"].(string), colleague, map[string]any{"name": "mío"}))
		e.must(http.StatusForbidden, e.do("DELETE", "/api/v1/saved-searches/"+theirs["id"].(string), colleague, nil))
		if items := e.must(http.StatusOK, e.do("GET", "/api/v1/saved-searches", adminToken, nil))["items"].([]any); len(items) != 2 {
			t.Fatalf("admin lists %d searches", len(items))
		}

		// Deleting stops the alerts.
		e.must(http.StatusNoContent, e.do("DELETE", "/api/v1/saved-searches/"+id, e.as(E), nil))
		e.must(http.StatusNoContent, e.do("DELETE", "/api/v1/saved-searches/"+theirs["id"].(string), e.as(C), nil))
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/saved-searches/"+id, e.as(E), nil))
		e.candidate("Rose Dupont")
		clock.Advance(24 * time.Hour)
		e.sweep(clock)
		runWorker(t, w)
		if got := alertIDs(recvA, "search.alert"); len(got) != 2 {
			t.Fatalf("a deleted search alerted: %v", got)
		}
		if got := e.noticeIDs(e.as(C)); len(got) != 2 {
			t.Fatalf("a deleted search left a notice: %v", got)
		}
		if got := recvB.events(); len(got) != 0 {
			t.Fatalf("employer B received another employer's events: %v", got)
		}
	})
}

// TestCandidatesQualifiedEvent: people newly on an open vacancy's list of matches are
// announced to its employer, each once, by ID only; an import's end is announced to
// the employers whose vacancies it wrote.
func TestCandidatesQualifiedEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := hookEnv(t, st, 1)
		clock := storetest.ClockOf(t, st)
		recvA := newReceiver(t, clock.Now)
		e.register(e.as(E), "", recvA, "candidates.qualified")
		w := worker(st)
		body := vacancyBody("")
		body["title"], body["description"], body["state"], body["municipality"] = "Albañil", "Obra negra y acabados", "MX-CHP", "Tapachula"
		body["skills"], body["min_experience_years"] = []map[string]any{{"name": "albañilería", "required": true}}, 0
		vacancy := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), body))["id"].(string)

		first := e.candidate("Jean-Baptiste Pierre")
		e.sweep(clock)
		e.sweep(clock)
		runWorker(t, w)
		second := e.candidate("Wilson Morales")
		e.sweep(clock)
		runWorker(t, w)
		e.sweep(clock)
		runWorker(t, w)
		got := alertIDs(recvA, "candidates.qualified")
		if len(got) != 2 || !slices.Equal(got[0], []string{first}) || !slices.Equal(got[1], []string{second}) {
			t.Fatalf("candidates.qualified: %v (want [[%s] [%s]])", got, first, second)
		}
		doc := e.must(http.StatusOK, e.do("GET", "/api/v1/openapi.json", "", nil))
		hooks, _ := doc["x-webhooks"].(map[string]any)
		for _, ev := range []string{"candidates.qualified", "import.finished", "search.alert"} {
			if hooks[ev] == nil {
				t.Errorf("the OpenAPI document does not describe %s", ev)
			}
		}
		for _, m := range recvA.events() {
			data := m["data"].(map[string]any)
			if data["vacancy_id"] != vacancy || data["count"] != 1.0 || len(data) != 3 {
				t.Errorf("payload carries more than the vacancy and IDs: %v", data)
			}
		}
	})
}

// TestImportFinishedEvent: an import's end reaches the employers whose vacancies it
// wrote, once, with their own count; a dry run tells no one.
func TestImportFinishedEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st, allowLoopback)
		r := referralEnv{env: e}
		clock := storetest.ClockOf(t, st)
		recvA, recvB := newReceiver(t, clock.Now), newReceiver(t, clock.Now)
		r.register(e.as(E), "", recvA, "import.finished")
		r.register(adminToken, e.empB.ID, recvB, "import.finished")
		csv := "Razón social;RFC;Nombre del puesto;Descripción;Entidad;Ciudad;Número de vacantes;Fecha de inicio\n" +
			e.empA.Name + ";" + e.empA.RFC + ";Soldador;Soldadura MIG;Nuevo León;Apodaca;2;01/02/2027\n" +
			e.empA.Name + ";" + e.empA.RFC + ";Pintor;Pintura industrial;Nuevo León;Apodaca;1;01/02/2027\n"
		e.importFile("vacantes.csv", []byte(csv), map[string]string{"dry_run": "true"})
		job := e.importFile("vacantes.csv", []byte(csv), nil)
		if job.Status != models.ImportSucceeded || job.Created != 2 {
			t.Fatalf("import: %+v", job)
		}
		runWorker(t, worker(st))
		got := recvA.events()
		if len(got) != 1 || got[0]["event"] != "import.finished" {
			t.Fatalf("employer A got %v", got)
		}
		data := got[0]["data"].(map[string]any)
		if data["import_id"] != job.ID || data["status"] != "succeeded" || data["vacancies"] != 2.0 || data["job_fair_id"] != e.fair.ID {
			t.Fatalf("import.finished data: %v", data)
		}
		if len(recvB.events()) != 0 {
			t.Fatalf("employer B was told of another employer's import: %v", recvB.events())
		}
	})
}

// TestWebhookDisabledNotice: the user who registered an endpoint that failed for a day
// finds a notice saying it was disabled and how to re-enable it.
func TestWebhookDisabledNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := hookEnv(t, st, 1)
		clock := storetest.ClockOf(t, st)
		recv := newReceiver(t, clock.Now)
		hook := e.register(e.as(E), "", recv, "referral.stage_changed")
		recv.fail = 1 << 30
		e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": e.candidate("Rosa Hernández"), "vacancy_id": e.vacancy}))
		w := worker(st)
		for i := 0; i < 40; i++ {
			runWorker(t, w)
			clock.Advance(time.Hour)
		}
		notices := e.must(http.StatusOK, e.do("GET", "/api/v1/notices", e.as(E), nil))["items"].([]any)
		if len(notices) != 1 {
			t.Fatalf("notices: %v", notices)
		}
		n := notices[0].(map[string]any)
		if n["kind"] != "webhook.disabled" || n["subject_id"] != hook || !strings.Contains(n["message"].(string), "/api/v1/webhooks/"+hook+"/enable") {
			t.Fatalf("notice: %v", n)
		}
		if got := e.must(http.StatusOK, e.do("GET", "/api/v1/notices", e.as(C), nil))["items"].([]any); len(got) != 0 {
			t.Fatalf("another user sees the employer's notice: %v", got)
		}
	})
}

func init() {
	for _, r := range []string{"POST /api/v1/saved-searches", "GET /api/v1/saved-searches", "GET /api/v1/saved-searches/:id",
		"PATCH /api/v1/saved-searches/:id", "DELETE /api/v1/saved-searches/:id"} {
		allowed[r] = []models.Role{E, C, A}
	}
	allowed["GET /api/v1/notices"] = []models.Role{M, E, C, H, O, A}
}
