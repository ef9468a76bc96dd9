package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vincula/vincula/webhooks"
)

// hookReceiver is an HR system's endpoint on 127.0.0.1 for the kill test. It verifies
// every signature; answers 500 to the first request (so retries are seen); holds the
// hold-th request without answering until released (the server is killed meanwhile);
// and records the event IDs it accepted with a 204.
type hookReceiver struct {
	srv      *httptest.Server
	mu       sync.Mutex
	secret   string
	requests int
	hold     int
	held     chan string // the held request's event ID, once it arrived
	release  chan struct{}
	attempts map[string]int // requests per event ID
	got      map[string]map[string]any
	failed   string // the event ID answered 500
	badSig   int
}

func newHookReceiver(t *testing.T, hold int) *hookReceiver {
	r := &hookReceiver{hold: hold, held: make(chan string, 1), release: make(chan struct{}),
		attempts: map[string]int{}, got: map[string]map[string]any{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.requests++
		n := r.requests
		if err := webhooks.Verify(r.secret, req.Header.Get(webhooks.SignatureHeader), body, time.Now(), 5*time.Minute); err != nil {
			r.badSig++
			r.mu.Unlock()
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			r.mu.Unlock()
			t.Errorf("payload is not JSON: %s", body)
			return
		}
		id, _ := m["event_id"].(string)
		r.attempts[id]++
		switch {
		case n == 1:
			r.failed = id
			r.mu.Unlock()
			http.Error(w, "down for maintenance", http.StatusInternalServerError)
			return
		case n == r.hold:
			r.mu.Unlock()
			r.held <- id
			<-r.release // the sender is killed meanwhile: this answer reaches no one
			return
		}
		r.got[id] = m
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(func() {
		select {
		case <-r.release:
		default:
			close(r.release)
		}
		r.srv.Close()
	})
	return r
}

func (r *hookReceiver) has(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.got[id] != nil
}

// apiClient calls the running server's API as one bearer token.
type apiClient struct {
	t     *testing.T
	base  string
	token string
}

func (c apiClient) call(method, path string, body any, want int) map[string]any {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	var m map[string]any
	if len(b) > 0 {
		json.Unmarshal(b, &m)
	}
	return m
}

// waitHealthy waits until the server answers: it logs "vincula serving" just before it
// listens.
func waitHealthy(t *testing.T, p *serverProcess) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if status, _ := p.get("/healthz"); status == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not answer /healthz within 30 s of saying it serves")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func killTestCandidate(name, phone string) map[string]any {
	return map[string]any{
		"full_name": name, "nationality": "HT", "birth_date": "1991-04-12", "phone": phone,
		"current_state": "MX-CHP", "municipality": "Tapachula", "hub": "Tapachula", "willing_to_relocate": true,
		"languages": []map[string]any{{"code": "es", "level": "B1"}}, "skills": []map[string]any{{"name": "albañilería", "years": 5}},
		"experience": []any{}, "education_level": "secondary", "available_from": "2026-01-01", "desired_occupations": []string{},
		"consent":   map[string]any{"share_profile": true},
		"documents": []map[string]any{{"type": "residente_permanente", "number": "RP-" + phone}},
	}
}

func killTestVacancy(title string) map[string]any {
	return map[string]any{"title": title, "description": "Obra", "skills": []map[string]any{{"name": "albañilería", "required": true}},
		"languages": []any{}, "min_experience_years": 0, "education_level": "primary", "state": "MX-CHP", "municipality": "Tapachula",
		"positions": 10, "start_date": "2027-06-01", "relocation_support": false}
}

// TestWebhooksSurviveAKill runs the real binary: employer A's receiver gets every
// event of A's referrals, signed, at least once, though it answered 500 once and the
// server was killed (SIGKILL) while a delivery was in flight; the restarted server
// sends what was in flight again. Employer B's receiver gets B's events only.
func TestWebhooksSurviveAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	const admin = "kill-test-admin-token"
	env := map[string]string{"VINCULA_DATA_DIR": t.TempDir(), "VINCULA_ADDR": freeAddr(t), "VINCULA_SECRET_KEY": testKeyHex,
		"VINCULA_ADMIN_TOKEN": admin, "VINCULA_WEBHOOKS_ALLOW_LOOPBACK_HTTP": "1",
		"VINCULA_WEBHOOKS_FIRST_RETRY": "1s", "VINCULA_WEBHOOKS_LEASE": "3s"}
	p := startServer(t, env)
	p.waitFor(t, "vincula serving", 60*time.Second)
	waitHealthy(t, p)
	adm := apiClient{t: t, base: "http://" + env["VINCULA_ADDR"], token: admin}

	empA := adm.call("POST", "/api/v1/employers", map[string]any{"name": "Constructora del Soconusco", "rfc": "CSO010111AB1", "state": "MX-CHP"}, 201)["id"].(string)
	empB := adm.call("POST", "/api/v1/employers", map[string]any{"name": "Obras de Palenque", "rfc": "OPA010112CD2", "state": "MX-CHP"}, 201)["id"].(string)
	office := adm.call("POST", "/api/v1/offices", map[string]any{"name": "SNE Chiapas", "state": "MX-CHP", "coverage_states": []string{"MX-CHP"}}, 201)["id"].(string)
	adm.call("POST", "/api/v1/counsellors", map[string]any{"name": "Ana", "email": "ana@sne.example", "office_id": office,
		"languages": []string{"es"}, "capacity": 100}, 201)
	asA := adm
	asA.token = adm.call("POST", "/api/v1/users", map[string]any{"name": "rrhh A", "email": "a@a.example", "role": "employer", "employer_id": empA}, 201)["token"].(string)
	asB := adm
	asB.token = adm.call("POST", "/api/v1/users", map[string]any{"name": "rrhh B", "email": "b@b.example", "role": "employer", "employer_id": empB}, 201)["token"].(string)
	vacA := asA.call("POST", "/api/v1/vacancies", killTestVacancy("Albañil"), 201)["id"].(string)
	vacB := asB.call("POST", "/api/v1/vacancies", killTestVacancy("Ayudante de albañil"), 201)["id"].(string)

	const n = 8
	recvA, recvB := newHookReceiver(t, 4), newHookReceiver(t, 0)
	events := []string{"referral.stage_changed", "vacancy.filled"}
	hookA := asA.call("POST", "/api/v1/webhooks", map[string]any{"url": recvA.srv.URL + "/hooks", "events": events}, 201)
	recvA.secret = hookA["secret"].(string)
	hookB := asB.call("POST", "/api/v1/webhooks", map[string]any{"url": recvB.srv.URL + "/hooks", "events": events}, 201)
	recvB.secret = hookB["secret"].(string)

	var refsA []string
	for i := 0; i < n; i++ {
		cand := adm.call("POST", "/api/v1/candidates", killTestCandidate(fmt.Sprintf("Persona %c", 'A'+i), fmt.Sprintf("+52962111%04d", i)), 201)["id"].(string)
		refsA = append(refsA, asA.call("POST", "/api/v1/referrals", map[string]any{"candidate_id": cand, "vacancy_id": vacA}, 201)["id"].(string))
		if i == 0 {
			asB.call("POST", "/api/v1/referrals", map[string]any{"candidate_id": cand, "vacancy_id": vacB}, 201)
		}
	}

	// The fourth request to A's receiver is held; the server dies while it waits.
	var inFlight string
	select {
	case inFlight = <-recvA.held:
	case <-time.After(60 * time.Second):
		t.Fatal("no delivery reached the receiver within a minute")
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	close(recvA.release)

	// Restarted, the server sends what was in flight and the rest, and new events too.
	p = startServer(t, env)
	p.waitFor(t, "vincula serving", 60*time.Second)
	waitHealthy(t, p)
	adm.call("POST", "/api/v1/referrals/"+refsA[0]+"/transitions", map[string]any{"to": "contacted"}, 200)

	log := adm.call("GET", "/api/v1/webhooks/"+hookA["id"].(string)+"/deliveries?limit=100", nil, 200)["items"].([]any)
	if len(log) != n+1 {
		t.Fatalf("A's delivery log holds %d deliveries, want %d", len(log), n+1)
	}
	want := map[string]bool{}
	for _, d := range log {
		want[d.(map[string]any)["event_id"].(string)] = true
	}
	if !want[inFlight] {
		t.Fatalf("the delivery in flight at the kill (%s) is not in the log", inFlight)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		missing := 0
		for id := range want {
			if !recvA.has(id) {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d events never reached A's receiver", missing, len(want))
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.stop(t)

	recvA.mu.Lock()
	defer recvA.mu.Unlock()
	if recvA.badSig != 0 {
		t.Errorf("%d requests had a bad signature", recvA.badSig)
	}
	if recvA.attempts[recvA.failed] < 2 {
		t.Errorf("the event answered 500 (%s) was not retried: %d attempts", recvA.failed, recvA.attempts[recvA.failed])
	}
	if recvA.attempts[inFlight] < 2 {
		t.Errorf("the event in flight at the kill was not sent again: %d attempts", recvA.attempts[inFlight])
	}
	for id, m := range recvA.got {
		data := m["data"].(map[string]any)
		if m["employer_id"] != empA || data["vacancy_id"] != vacA {
			t.Errorf("A's receiver got another employer's event %s: %v", id, m)
		}
	}
	recvB.mu.Lock()
	defer recvB.mu.Unlock()
	if len(recvB.got) == 0 {
		t.Error("B's receiver got nothing of B's own referral")
	}
	for id, m := range recvB.got {
		if m["employer_id"] != empB || m["data"].(map[string]any)["vacancy_id"] != vacB {
			t.Errorf("B's receiver got another employer's event %s: %v", id, m)
		}
	}
	t.Logf("A: %d events, %d requests (one answered 500, one cut off by the kill)", len(recvA.got), recvA.requests)
}
