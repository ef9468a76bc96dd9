package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
	"github.com/vincula/vincula/webhooks"
)

// receiver is an HR system's endpoint on 127.0.0.1: it verifies each signature against
// the test clock and records what arrived; fail answers 500 to the next fail requests.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	now    func() time.Time
	got    []map[string]any
	hits   int
	fail   int
	badSig int
}

func newReceiver(t *testing.T, now func() time.Time) *receiver {
	r := &receiver{t: t, now: now}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.hits++
		if err := webhooks.Verify(r.secret, req.Header.Get(webhooks.SignatureHeader), body, r.now(), 5*time.Minute); err != nil {
			r.badSig++
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if r.fail > 0 {
			r.fail--
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Errorf("payload is not JSON: %s", body)
		}
		if m["event_id"] != req.Header.Get("Vincula-Event-Id") || m["event"] != req.Header.Get("Vincula-Event") {
			t.Errorf("headers %v do not match payload %s", req.Header, body)
		}
		r.got = append(r.got, m)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) events() []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]any(nil), r.got...)
}

func allowLoopback(c *api.Config) { c.WebhooksAllowLoopbackHTTP = true }

// hookEnv is referralEnv on a server that accepts receivers on 127.0.0.1.
func hookEnv(t *testing.T, st *store.Store, positions int) referralEnv {
	e := referralEnv{env: newEnv(t, st, allowLoopback)}
	body := vacancyBody("")
	body["state"], body["municipality"], body["positions"] = "MX-CHP", "Tapachula", positions
	e.vacancy = e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), body))["id"].(string)
	return e
}

func (e referralEnv) register(token, employerID string, r *receiver, events ...string) string {
	body := map[string]any{"url": r.srv.URL + "/hooks/vincula", "events": events}
	if employerID != "" {
		body["employer_id"] = employerID
	}
	w := e.must(http.StatusCreated, e.do("POST", "/api/v1/webhooks", token, body))
	secret, _ := w["secret"].(string)
	if !strings.HasPrefix(secret, "whsec_") || w["status"] != "active" {
		e.t.Fatalf("registration: %v", w)
	}
	r.secret = secret
	return w["id"].(string)
}

func worker(st *store.Store) *webhooks.Worker {
	return &webhooks.Worker{Store: st, Client: &http.Client{Timeout: 5 * time.Second}}
}

func runWorker(t *testing.T, w *webhooks.Worker) (int, int) {
	t.Helper()
	ok, failed, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("worker: %v", err)
	}
	return ok, failed
}

// TestWebhookEachChangeOnce: every stage change of a referral to employer A's vacancy,
// and the vacancy filling, reach A's receiver once, signed, with identifiers only;
// employer B's receiver gets nothing of A's.
func TestWebhookEachChangeOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := hookEnv(t, st, 1)
		clock := storetest.ClockOf(t, st)
		recvA, recvB := newReceiver(t, clock.Now), newReceiver(t, clock.Now)
		hookA := e.register(e.as(E), "", recvA, "referral.stage_changed", "vacancy.filled")
		e.register(adminToken, e.empB.ID, recvB, "referral.stage_changed", "vacancy.filled")
		w := worker(st)

		cand, other := e.candidate("Jean-Baptiste Pierre"), e.candidate("Wilson Morales")
		ref := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": cand, "vacancy_id": e.vacancy}))["id"].(string)
		e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": other, "vacancy_id": e.vacancy}))
		if ok, failed := runWorker(t, w); ok != 2 || failed != 0 {
			t.Fatalf("after two referrals: %d delivered, %d failed", ok, failed)
		}
		for _, to := range []string{"contacted", "sent_to_employer"} {
			e.must(http.StatusOK, e.move(ref, e.as(C), to, "llamada al +52 962 111 0001"))
		}
		e.must(http.StatusOK, e.move(ref, e.as(E), "interviewing", ""))
		e.must(http.StatusOK, e.move(ref, e.as(E), "hired", ""))
		runWorker(t, w)
		if ok, _ := runWorker(t, w); ok != 0 {
			t.Fatalf("a second pass sent %d deliveries again", ok)
		}

		got := recvA.events()
		// 2 creations, 4 moves, the other referral withdrawn automatically, the vacancy filled.
		var stages []string
		ids := map[string]bool{}
		filled := 0
		for _, m := range got {
			ids[m["event_id"].(string)] = true
			if m["employer_id"] != e.empA.ID {
				t.Errorf("event for another employer: %v", m)
			}
			data := m["data"].(map[string]any)
			switch m["event"] {
			case "referral.stage_changed":
				if data["referral_id"] == ref {
					stages = append(stages, data["from"].(string)+">"+data["to"].(string))
				} else if data["to"] != "pending" && data["to"] != "withdrawn" {
					t.Errorf("other referral moved to %v", data["to"])
				}
			case "vacancy.filled":
				filled++
				if data["vacancy_id"] != e.vacancy || data["positions_filled"] != 1.0 {
					t.Errorf("filled: %v", data)
				}
			}
			raw, _ := json.Marshal(m)
			// Whole values only: a fragment such as the phone's "962" turns up by chance
			// inside the random record IDs the payload does carry.
			for _, secret := range []string{"Jean-Baptiste", "Pierre", "+529621110001", "9621110001", "jb.pierre", "TVRH"} {
				if strings.Contains(string(raw), secret) {
					t.Errorf("payload carries personal data %q: %s", secret, raw)
				}
			}
		}
		if len(got) != 8 || len(ids) != 8 || filled != 1 {
			t.Fatalf("%d deliveries with %d distinct events (%d filled), want 8: %v", len(got), len(ids), filled, got)
		}
		if want := ">pending pending>contacted contacted>sent_to_employer sent_to_employer>interviewing interviewing>hired"; strings.Join(stages, " ") != want {
			t.Errorf("stages of the referral: %v", stages)
		}
		if len(recvB.events()) != 0 || recvA.badSig+recvB.badSig != 0 {
			t.Fatalf("employer B received %d of A's events; bad signatures %d", len(recvB.events()), recvA.badSig+recvB.badSig)
		}

		// The log lists the deliveries; B cannot read A's endpoint.
		log := e.must(http.StatusOK, e.do("GET", "/api/v1/webhooks/"+hookA+"/deliveries?limit=100", e.as(E), nil))
		if items := log["items"].([]any); len(items) != 8 || items[0].(map[string]any)["status"] != "delivered" {
			t.Fatalf("delivery log: %v", log)
		}
		tokB, hashB := newToken()
		ub := models.User{Name: "rh B", Role: models.RoleEmployer, EmployerID: e.empB.ID}
		if err := st.CreateUser(context.Background(), &ub, hashB); err != nil {
			t.Fatal(err)
		}
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/webhooks/"+hookA, tokB, nil))
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/webhooks/"+hookA+"/deliveries", tokB, nil))
		if l := e.must(http.StatusOK, e.do("GET", "/api/v1/webhooks", tokB, nil)); len(l["items"].([]any)) != 1 {
			t.Fatalf("B lists %v", l)
		}
		e.must(http.StatusForbidden, e.do("GET", "/api/v1/webhooks", e.as(C), nil))
	})
}

// TestWebhookRetriesBackoffDisable: a receiver answering 500 sees the delivery again
// after 30 s, then 1 min (on the test clock, not before); failing for a day disables
// the endpoint with the reason; re-enabling sends what waited; a replay re-sends the
// same event.
func TestWebhookRetriesBackoffDisable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := hookEnv(t, st, 3)
		clock := storetest.ClockOf(t, st)
		recv := newReceiver(t, clock.Now)
		hook := e.register(e.as(E), "", recv, "referral.stage_changed")
		w := worker(st)
		recv.fail = 2
		e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": e.candidate("Wilson Morales"), "vacancy_id": e.vacancy}))

		if ok, failed := runWorker(t, w); ok != 0 || failed != 1 {
			t.Fatalf("first attempt: %d ok %d failed", ok, failed)
		}
		clock.Advance(29 * time.Second)
		if ok, failed := runWorker(t, w); ok+failed != 0 {
			t.Fatal("retried before the 30 s backoff")
		}
		clock.Advance(time.Second)
		if _, failed := runWorker(t, w); failed != 1 {
			t.Fatal("no second attempt after 30 s")
		}
		clock.Advance(59 * time.Second)
		runWorker(t, w)
		clock.Advance(time.Second)
		if ok, _ := runWorker(t, w); ok != 1 {
			t.Fatal("no third attempt after 1 min")
		}
		if recv.hits != 3 || len(recv.events()) != 1 {
			t.Fatalf("receiver saw %d requests, accepted %d", recv.hits, len(recv.events()))
		}
		d := e.must(http.StatusOK, e.do("GET", "/api/v1/webhooks/"+hook+"/deliveries", e.as(E), nil))["items"].([]any)[0].(map[string]any)
		if d["attempts"] != 3.0 || d["status"] != "delivered" || d["last_status"] != 204.0 {
			t.Fatalf("log entry: %v", d)
		}

		// Replay: the same event again, as a new delivery.
		rep := e.must(http.StatusAccepted, e.do("POST", "/api/v1/webhooks/"+hook+"/deliveries/"+d["id"].(string)+"/replay", e.as(E), nil))
		if rep["event_id"] != d["event_id"] || rep["id"] == d["id"] {
			t.Fatalf("replay: %v of %v", rep, d)
		}
		runWorker(t, w)
		if got := recv.events(); len(got) != 2 || got[1]["event_id"] != d["event_id"] {
			t.Fatalf("replay not received: %v", got)
		}

		// Down for good: after a day of failures the endpoint is disabled.
		recv.fail = 1 << 30
		e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": e.candidate("Rosa Hernández"), "vacancy_id": e.vacancy}))
		for i := 0; i < 40; i++ {
			runWorker(t, w)
			clock.Advance(time.Hour)
		}
		hk := e.must(http.StatusOK, e.do("GET", "/api/v1/webhooks/"+hook, e.as(E), nil))
		if hk["status"] != "disabled" || !strings.Contains(hk["disabled_reason"].(string), "/enable") {
			t.Fatalf("after a day of failures: %v", hk)
		}
		hits := recv.hits
		clock.Advance(time.Hour)
		runWorker(t, w)
		if recv.hits != hits {
			t.Fatal("a disabled endpoint was still called")
		}
		recv.fail = 0
		if hk := e.must(http.StatusOK, e.do("POST", "/api/v1/webhooks/"+hook+"/enable", e.as(E), nil)); hk["status"] != "active" {
			t.Fatalf("enable: %v", hk)
		}
		if ok, _ := runWorker(t, w); ok != 1 || len(recv.events()) != 3 {
			t.Fatalf("the waiting delivery was not sent on re-enable: %d", ok)
		}
	})
}

// TestWebhookAtLeastOnceAfterCrash: a worker that claimed a delivery and died before
// recording the outcome leaves it to be sent once its lease runs out.
func TestWebhookAtLeastOnceAfterCrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := hookEnv(t, st, 1)
		clock := storetest.ClockOf(t, st)
		recv := newReceiver(t, clock.Now)
		e.register(e.as(E), "", recv, "referral.stage_changed")
		e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": e.candidate("Wilson Morales"), "vacancy_id": e.vacancy}))
		claimed, err := st.ClaimDueDeliveries(context.Background(), 10, 2*time.Minute) // the worker that dies
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		w := worker(st)
		if ok, _ := runWorker(t, w); ok != 0 {
			t.Fatal("a claimed delivery was sent by a second worker within the lease")
		}
		clock.Advance(2 * time.Minute)
		if ok, _ := runWorker(t, w); ok != 1 || len(recv.events()) != 1 {
			t.Fatal("the abandoned delivery was lost")
		}
	})
}

// TestWebhookRegistrationChecks: https only (plain http to 127.0.0.1 only with the
// flag), known events, an employer only for itself.
func TestWebhookRegistrationChecks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		for _, body := range []map[string]any{
			{"url": "http://127.0.0.1:9/x", "events": []string{"vacancy.filled"}},
			{"url": "http://hr.example.com/x", "events": []string{"vacancy.filled"}},
			{"url": "https://hr.example.com/x", "events": []string{"candidate.viewed"}},
			{"url": "https://hr.example.com/x", "events": []string{}},
			{"url": "https://hr.example.com/x", "events": []string{"vacancy.filled"}, "employer_id": e.empB.ID},
		} {
			e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/webhooks", e.as(E), body))
		}
		e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/webhooks", adminToken, map[string]any{"url": "https://hr.example.com/x", "events": []string{"vacancy.filled"}}))
		w := e.must(http.StatusCreated, e.do("POST", "/api/v1/webhooks", e.as(E), map[string]any{"url": "https://hr.example.com/x", "events": []string{"vacancy.filled"}}))
		got := e.must(http.StatusOK, e.do("GET", "/api/v1/webhooks/"+w["id"].(string), e.as(E), nil))
		if _, shown := got["secret"]; shown || got["employer_id"] != e.empA.ID {
			t.Fatalf("read back: %v", got)
		}
		e.must(http.StatusNoContent, e.do("DELETE", "/api/v1/webhooks/"+w["id"].(string), e.as(E), nil))

		doc := e.must(http.StatusOK, e.do("GET", "/api/v1/openapi.json", "", nil))
		paths := doc["paths"].(map[string]any)
		for _, p := range []string{"/api/v1/webhooks", "/api/v1/webhooks/{id}/enable", "/api/v1/webhooks/{id}/deliveries/{delivery_id}/replay"} {
			if paths[p] == nil {
				t.Errorf("OpenAPI lacks %s", p)
			}
		}
		hooks, _ := doc["x-webhooks"].(map[string]any)
		stage, _ := json.Marshal(hooks["referral.stage_changed"])
		if !strings.Contains(string(stage), "candidate_id") || hooks["vacancy.filled"] == nil {
			t.Errorf("OpenAPI does not describe the payloads: %s", stage)
		}
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/webhooks/"+w["id"].(string), e.as(E), nil))
	})
}

func init() {
	for _, r := range []string{"POST /api/v1/webhooks", "GET /api/v1/webhooks", "GET /api/v1/webhooks/:id", "DELETE /api/v1/webhooks/:id",
		"POST /api/v1/webhooks/:id/enable", "GET /api/v1/webhooks/:id/deliveries", "POST /api/v1/webhooks/:id/deliveries/:delivery_id/replay"} {
		allowed[r] = []models.Role{E, A}
	}
}
