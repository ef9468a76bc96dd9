package api_test

import (
	"bufio"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// loggedEnv is an env whose server logs as JSON, at debug level, into the returned buffer.
func loggedEnv(t *testing.T, st *store.Store) (*env, *syncBuffer) {
	t.Helper()
	e := newEnv(t, st)
	out := &syncBuffer{}
	ix, err := search.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	srv, err := api.New(st, api.Config{AdminToken: adminToken, Index: ix, TokenTTL: 100 * 365 * 24 * time.Hour},
		slog.New(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	e.server, e.index, e.follow = srv, ix, search.NewFollower(ix, st, workSpan, nil)
	return e, out
}

// accessLines returns the access log's lines, decoded.
func accessLines(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("a log line is not JSON: %v: %s", err, sc.Text())
		}
		if line["msg"] == "request" {
			out = append(out, line)
		}
	}
	return out
}

// TestLogsCarryNoPersonalData: a migrant registers and logs in (phone, PIN), hub staff
// register a person with a phone, an email, a CURP and a document number, and
// requests carry those values in paths, queries, headers and tokens. Every request
// gets one JSON access line with its request ID and route template, and no line of
// the log holds any token, PIN, phone, email, CURP or document number.
func TestLogsCarryNoPersonalData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, log := loggedEnv(t, st)
		const (
			phone  = "+529621234987"
			pin    = "604213"
			email  = "roselene.joseph@example.org"
			curp   = "GOMA850312HCSMRN02"
			docNum = "TVRH-CHP-2026-774411"
		)
		requests := 0
		do := func(method, path, token string, body any) response {
			requests++
			return e.do(method, path, token, body)
		}
		registered := e.must(http.StatusCreated, do("POST", "/api/v1/migrants/register", "", migrantBody(phone, pin)))["token"].(string)
		do("POST", "/api/v1/migrants/login", "", map[string]any{"phone": phone, "pin": "999999"})
		migrantToken := e.must(http.StatusOK, do("POST", "/api/v1/migrants/login", "", map[string]any{"phone": phone, "pin": pin}))["token"].(string)
		e.must(http.StatusOK, do("GET", "/api/v1/me", migrantToken, nil))

		body := candidateBody()
		body["full_name"], body["phone"], body["email"], body["curp"], body["birth_date"] = "Guadalupe Ortiz", "+529621234988", email, curp, "1985-03-12"
		body["documents"] = []map[string]any{{"type": "constancia_comar", "number": docNum, "issued_on": "2026-07-01",
			"expires_on": "2027-07-01", "state": "MX-CHP"}}
		id := e.must(http.StatusCreated, do("POST", "/api/v1/candidates", e.as(H), body))["id"].(string)
		do("POST", "/api/v1/candidates", e.as(H), `{"full_name": "`+email+`", "phone": "`+phone+`", "curp": `) // malformed
		do("GET", "/api/v1/candidates?q="+email, e.as(C), nil)
		do("GET", "/api/v1/candidates/search?q="+curp+"&state=MX-NLE", e.as(E), nil)
		do("GET", "/api/v1/candidates/"+email, e.as(C), nil)
		do("GET", "/no/such/"+curp+"/"+docNum, "", nil)
		do("GET", "/api/v1/candidates/"+id, "not-a-token-"+phone, nil)
		do("GET", "/api/v1/candidates/"+id, e.as(A), nil)
		for _, rid := range []string{curp, "529621234987", email, "../" + docNum} {
			requests++
			req := httptest.NewRequest("GET", "/api/v1/candidates/"+id, nil)
			req.Header.Set("X-Request-ID", rid)
			req.Header.Set("Authorization", "Bearer "+e.as(C))
			rec := httptest.NewRecorder()
			e.server.Handler().ServeHTTP(rec, req)
			if got := rec.Header().Get("X-Request-ID"); got == rid || got == "" {
				t.Errorf("request ID %q was taken as it is (answer's X-Request-ID %q)", rid, got)
			}
		}

		text := log.String()
		secrets := map[string]string{"phone": phone, "phone digits": strings.TrimPrefix(phone, "+"), "national phone": phone[3:],
			"other phone": "9621234988", "pin": pin, "email": email, "curp": curp, "document number": docNum, "migrant token": migrantToken, "registration token": registered,
			"admin token": adminToken}
		for role, tok := range e.tokens {
			secrets["token of "+string(role)] = tok
		}
		for what, v := range secrets {
			if strings.Contains(text, v) {
				t.Errorf("the log holds the %s %q", what, v)
			}
		}
		lines := accessLines(t, text)
		if len(lines) != requests {
			t.Errorf("%d access lines for %d requests:\n%s", len(lines), requests, text)
		}
		ids := map[string]bool{}
		for _, l := range lines {
			rid, _ := l["request_id"].(string)
			if rid == "" || ids[rid] || l["route"] == nil || l["status"] == nil || l["method"] == nil || l["duration_ms"] == nil {
				t.Errorf("access line without a fresh request ID, route, status, method or duration: %v", l)
			}
			ids[rid] = true
		}
		if t.Failed() {
			t.Logf("log:\n%s", text)
		}
	})
}

// TestRequestIDIsTakenEchoedAndQuoted: a sane X-Request-ID is kept, echoed in the
// response and quoted by a problem+json body and the access line; without one (or with
// one too long or of odd characters) an ID is generated and echoed, and the problem
// keeps the shape API.md gives.
func TestRequestIDIsTakenEchoedAndQuoted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, log := loggedEnv(t, st)
		send := func(id string) *httptest.ResponseRecorder {
			req := httptest.NewRequest("GET", "/api/v1/vacancies/no-such-vacancy", nil)
			if id != "" {
				req.Header.Set("X-Request-ID", id)
			}
			req.Header.Set("Authorization", "Bearer "+e.as(E))
			rec := httptest.NewRecorder()
			e.server.Handler().ServeHTTP(rec, req)
			return rec
		}
		const given = "3f2b8c1e-7d4a-4e2b-9c1f-0a5b6d7e8f90"
		rec := send(given)
		var p map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		if rec.Code != http.StatusNotFound || rec.Header().Get("X-Request-ID") != given || p["request_id"] != given ||
			p["type"] == nil || p["title"] == nil || p["status"] != 404.0 || p["detail"] == nil {
			t.Fatalf("answer %d %v: %s", rec.Code, rec.Header(), rec.Body)
		}
		lines := accessLines(t, log.String())
		if last := lines[len(lines)-1]; last["request_id"] != given || last["route"] != "/api/v1/vacancies/:id" || last["status"] != 404.0 ||
			last["role"] != "employer" {
			t.Fatalf("access line %v", last)
		}
		for _, id := range []string{"", strings.Repeat("a", 129), "hello world", "id\"quoted"} {
			rec := send(id)
			got := rec.Header().Get("X-Request-ID")
			if got == "" || got == id || strings.Contains(rec.Body.String(), "request_id") {
				t.Errorf("request ID %q: answered with %q and %s", id, got, rec.Body)
			}
		}
		// Health answers carry one too, and their lines are at debug level.
		if rec := send(""); rec.Header().Get("X-Request-ID") == "" {
			t.Fatal("no X-Request-ID")
		}
		e.must(http.StatusOK, e.do("GET", "/healthz", "", nil))
		lines = accessLines(t, log.String())
		if last := lines[len(lines)-1]; last["route"] != "/healthz" || last["level"] != "DEBUG" {
			t.Fatalf("health line %v", last)
		}
	})
}

// TestWrappedHandlerIsLoggedAndCounted: a handler beside the API (the console) gets a
// request ID, an access line and request metrics under its one route label, whatever
// its paths hold.
func TestWrappedHandlerIsLoggedAndCounted(t *testing.T) {
	e, log := loggedEnv(t, storetest.Open(t, store.SQLite))
	pages := e.server.Wrap("/console/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusSeeOther)
		w.Write([]byte("see other"))
	}))
	const email = "roselene.joseph@example.org"
	for _, p := range []string{"/console/candidates/" + email, "/console/x?q=" + email} {
		rec := httptest.NewRecorder()
		pages.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("X-Request-ID") == "" {
			t.Fatalf("%s: %d %v", p, rec.Code, rec.Header())
		}
	}
	lines := accessLines(t, log.String())
	if len(lines) != 2 || lines[0]["route"] != "/console/" || lines[0]["status"] != 303.0 || lines[0]["bytes"] != 9.0 {
		t.Fatalf("access lines %v", lines)
	}
	if strings.Contains(log.String(), email) {
		t.Fatalf("the log holds the email:\n%s", log)
	}
	var counted float64
	for _, m := range e.scrape()["vincula_http_requests_total"].GetMetric() {
		if label(m, "route") == "/console/" {
			counted += m.GetCounter().GetValue()
		}
	}
	if counted != 2 {
		t.Fatalf("counted %v console requests, want 2", counted)
	}
}
