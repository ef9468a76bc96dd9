package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func init() {
	for key, roles := range map[string][]models.Role{
		"POST /api/v1/migrants/register":                       nil,
		"POST /api/v1/migrants/login":                          nil,
		"GET /api/v1/me":                                       {M},
		"PATCH /api/v1/me":                                     {M},
		"DELETE /api/v1/me":                                    {M},
		"GET /api/v1/me/eligibility":                           {M},
		"GET /api/v1/me/matches":                               {M},
		"GET /api/v1/me/referrals":                             {M},
		"PUT /api/v1/me/consent":                               {M},
		"GET /api/v1/me/export":                                {M},
		"POST /api/v1/candidates/:id/documents/:doc_id/verify": {H, C},
		"POST /api/v1/candidates/:id/pin-reset":                {H},
	} {
		allowed[key] = roles
	}
}

func withMigrants(m api.MigrantConfig) envOption { return func(cfg *api.Config) { cfg.Migrants = m } }

// roomy lifts the rate limits for tests about something else.
var roomy = withMigrants(api.MigrantConfig{RegisterPerAddress: 1000, LoginPerAddress: 1000, PerPhone: 1000,
	LockAfter: 1000, FailuresPerAddress: 1000})

// call is one request with the headers a migrant's phone or a proxy would send.
type call struct {
	method, path, token string
	body                any
	lang                string
	remote              string // client address (host:port); httptest's 192.0.2.1:1234 when empty
	forwardedFor        string
}

func (e *env) send(c call) response {
	e.t.Helper()
	var rd io.Reader
	switch b := c.body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(c.method, c.path, rd)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	if c.remote != "" {
		req.RemoteAddr = c.remote
	}
	if c.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", c.forwardedFor)
	}
	rec := httptest.NewRecorder()
	e.server.Handler().ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// migrantBody is a self-registration: a forklift operator from Haiti in Tapachula,
// with no documents yet.
func migrantBody(phone, pin string) map[string]any {
	return map[string]any{
		"full_name": "Roselène Joseph", "nationality": "HT", "birth_date": "1994-03-08", "phone": phone,
		"current_state": "MX-CHP", "municipality": "Tapachula", "willing_to_relocate": true, "preferred_states": []string{"MX-NLE"},
		"languages":       []map[string]any{{"code": "ht", "level": "native"}, {"code": "es", "level": "B1"}},
		"skills":          []map[string]any{{"name": "manejo de montacargas", "years": 3}},
		"experience":      []map[string]any{{"title": "operador de montacargas", "occupation_code": "8344", "years": 3, "country": "HT"}},
		"education_level": "secondary", "available_from": "2026-12-01", "desired_occupations": []string{"operador de montacargas"},
		"consent": map[string]any{"share_profile": true}, "pin": pin,
	}
}

// register signs a migrant up and returns their candidate ID and token.
func (e *env) register(phone, pin string) (id, token string) {
	e.t.Helper()
	got := e.must(http.StatusCreated, e.do("POST", "/api/v1/migrants/register", "", migrantBody(phone, pin)))
	return got["candidate_id"].(string), got["token"].(string)
}

func (e *env) login(phone, pin string) response {
	e.t.Helper()
	return e.do("POST", "/api/v1/migrants/login", "", map[string]any{"phone": phone, "pin": pin})
}

// candidateIDs lists the candidate IDs of a search or match page.
func candidateIDs(page map[string]any) []string {
	var ids []string
	for _, it := range page["items"].([]any) {
		ids = append(ids, it.(map[string]any)["candidate"].(map[string]any)["id"].(string))
	}
	return ids
}

// TestMigrantWholeStory: register → log in → add a document (unverified) → eligibility
// rests on an unverified basis → hub staff verify it → matches show the vacancy →
// withdraw consent → an employer's search no longer finds them → the export holds all
// of it → erase → login fails and the index no longer holds them.
func TestMigrantWholeStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		vac := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), vacancyBody("")))
		vacID := vac["id"].(string)

		// Register at a kiosk, writing the phone with spaces; the profile is theirs.
		id, first := e.register("+52 962 555 0101", "482916")
		me := e.must(http.StatusOK, e.do("GET", "/api/v1/me", first, nil))
		if me["id"] != id || me["phone"] != "+529625550101" || len(me["documents"].([]any)) != 0 {
			t.Fatalf("own profile after registering: %v", me)
		}

		// Log in from their phone, writing the number without spaces.
		session := e.must(http.StatusOK, e.login("+529625550101", "482916"))
		token := session["token"].(string)
		expires, err := time.Parse(time.RFC3339Nano, session["expires_at"].(string))
		if err != nil || !expires.Equal(storetest.ClockOf(t, st).Now().Add(24*time.Hour)) {
			t.Fatalf("the token should last 24 hours: expires_at %v (%v)", session["expires_at"], err)
		}
		if session["candidate_id"] != id {
			t.Fatalf("login answered for %v, want %s", session["candidate_id"], id)
		}
		// One live token per person: the kiosk's token ended with the new login.
		e.must(http.StatusUnauthorized, e.do("GET", "/api/v1/me", first, nil))

		// They add their humanitarian visa card themselves: it stays unverified.
		patched := e.must(http.StatusOK, e.do("PATCH", "/api/v1/me", token, map[string]any{"documents": []map[string]any{{
			"type": "visitante_razones_humanitarias", "number": "TVRH-CHP-2026-020202", "issued_on": "2026-07-01", "expires_on": "2027-07-01"}}}))
		doc := patched["documents"].([]any)[0].(map[string]any)
		docID := doc["id"].(string)
		if doc["verified"] != false || doc["verified_by"] != nil {
			t.Fatalf("a document the migrant added is verified: %v", doc)
		}

		decision := e.must(http.StatusOK, e.do("GET", "/api/v1/me/eligibility?state=MX-NLE&date=2027-01-15", token, nil))
		basis, _ := decision["basis"].(map[string]any)
		if decision["eligible"] != true || basis["verified"] != false || basis["document_type"] != "visitante_razones_humanitarias" {
			t.Fatalf("decision before verification: %v", decision)
		}
		summary := e.must(http.StatusOK, e.do("GET", "/api/v1/me/eligibility", token, nil))
		if summary["eligible_somewhere"] != true || summary["basis_verified"] != false || summary["date"] != "2026-11-22" ||
			len(summary["states"].([]any)) != 32 {
			t.Fatalf("summary without a state: %v", summary)
		}

		// A counsellor refers them, but cannot send them to the employer on an unverified basis.
		ref := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": id, "vacancy_id": vacID}))
		refPath := "/api/v1/referrals/" + ref["id"].(string) + "/transitions"
		e.must(http.StatusOK, e.do("POST", refPath, e.as(C), map[string]any{"to": "contacted", "note": "llamada por WhatsApp"}))
		refused := e.must(http.StatusConflict, e.do("POST", refPath, e.as(C), map[string]any{"to": "sent_to_employer"}))
		if !strings.Contains(refused["detail"].(string), "not verified") {
			t.Fatalf("refusal: %v", refused)
		}

		// The migrant cannot verify their own card; hub staff can, after seeing it.
		verifyPath := "/api/v1/candidates/" + id + "/documents/" + docID + "/verify"
		e.must(http.StatusForbidden, e.do("POST", verifyPath, token, nil))
		verified := e.must(http.StatusOK, e.do("POST", verifyPath, e.as(H), nil))
		doc = verified["documents"].([]any)[0].(map[string]any)
		if doc["verified"] != true || doc["verified_by"] != e.users[H].ID || !sameInstant(doc["verified_at"], fixedNow) {
			t.Fatalf("verified document: %v", doc)
		}
		decision = e.must(http.StatusOK, e.do("GET", "/api/v1/me/eligibility?state=MX-NLE&date=2027-01-15", token, nil))
		if decision["basis"].(map[string]any)["verified"] != true {
			t.Fatalf("decision after verification: %v", decision)
		}
		// Changing their skills keeps the checked document verified.
		again := e.must(http.StatusOK, e.do("PATCH", "/api/v1/me", token, map[string]any{"skills": []map[string]any{
			{"name": "manejo de montacargas", "years": 4}, {"name": "inventarios"}}}))
		if again["documents"].([]any)[0].(map[string]any)["verified"] != true {
			t.Fatalf("an unchanged document lost its verification: %v", again["documents"])
		}
		e.must(http.StatusOK, e.do("POST", refPath, e.as(C), map[string]any{"to": "sent_to_employer"}))

		// Matches show the vacancy in Nuevo León, on a verified basis.
		e.sync()
		matches := e.must(http.StatusOK, e.do("GET", "/api/v1/me/matches", token, nil))
		items := matches["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["vacancy"].(map[string]any)["id"] != vacID ||
			items[0].(map[string]any)["eligibility"].(map[string]any)["basis_verified"] != true {
			t.Fatalf("matches: %v", matches)
		}

		// The employer finds them, looks at the profile (audited), and sees a verified basis.
		found := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/search?state=MX-NLE&q=montacargas", e.as(E), nil))
		if ids := candidateIDs(found); !slices.Contains(ids, id) {
			t.Fatalf("the employer's search does not find them: %v", ids)
		}
		for _, it := range found["items"].([]any) {
			m := it.(map[string]any)
			if m["candidate"].(map[string]any)["id"] == id && m["eligibility"].(map[string]any)["basis_verified"] != true {
				t.Fatalf("employer-facing entry should say the basis is verified: %v", m)
			}
		}
		e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+id, e.as(E), nil))
		ranked := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+vacID+"/matches", e.as(E), nil))
		if ids := candidateIDs(ranked); !slices.Contains(ids, id) {
			t.Fatalf("the vacancy's matches do not rank them: %v", ids)
		}

		mine := e.must(http.StatusOK, e.do("GET", "/api/v1/me/referrals", token, nil))
		refs := mine["items"].([]any)
		if len(refs) != 1 {
			t.Fatalf("own referrals: %v", mine)
		}
		r := refs[0].(map[string]any)
		if r["status"] != "sent_to_employer" || len(r["history"].([]any)) != 3 ||
			r["vacancy"].(map[string]any)["title"] != "Operador de montacargas" ||
			r["vacancy"].(map[string]any)["employer_name"] != "Maquiladora Regiomontana" {
			t.Fatalf("own referral: %v", r)
		}

		// Withdrawing consent takes effect at once: the database re-check hides them even
		// before the index hears of it, and the index drops them once the feed is applied.
		consent := e.must(http.StatusOK, e.do("PUT", "/api/v1/me/consent", token, map[string]any{"share_profile": false}))
		if consent["share_profile"] != false || !sameInstant(consent["given_at"], fixedNow) {
			t.Fatalf("consent: %v", consent)
		}
		found = e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/search?state=MX-NLE&q=montacargas", e.as(E), nil))
		if ids := candidateIDs(found); slices.Contains(ids, id) {
			t.Fatalf("found right after withdrawing consent: %v", ids)
		}
		e.sync()
		found = e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/search?state=MX-NLE&q=montacargas", e.as(E), nil))
		if ids := candidateIDs(found); slices.Contains(ids, id) {
			t.Fatalf("found after the feed was applied: %v", ids)
		}
		res, err := e.index.SearchCandidates(ctx, indexQuery("montacargas"))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.ID == id {
				t.Fatal("the index still offers the profile to searches after consent was withdrawn")
			}
		}
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/candidates/"+id, e.as(E), nil))
		ranked = e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+vacID+"/matches", e.as(E), nil))
		if ids := candidateIDs(ranked); slices.Contains(ids, id) {
			t.Fatalf("the vacancy's matches still rank them after consent was withdrawn: %v", ids)
		}

		// The export holds the profile with document numbers, the referral with its
		// history, the audit of who saw them, and the export itself.
		export := e.must(http.StatusOK, e.do("GET", "/api/v1/me/export", token, nil))
		profile := export["profile"].(map[string]any)
		if profile["id"] != id || profile["documents"].([]any)[0].(map[string]any)["number"] != "TVRH-CHP-2026-020202" {
			t.Fatalf("exported profile: %v", profile)
		}
		exRefs := export["referrals"].([]any)
		if len(exRefs) != 1 || len(exRefs[0].(map[string]any)["history"].([]any)) != 3 {
			t.Fatalf("exported referrals: %v", exRefs)
		}
		login := export["login"].(map[string]any)
		if login["user_id"] == "" || login["failed_attempts"] != float64(0) {
			t.Fatalf("exported login: %v", login)
		}
		seen := map[string]string{}
		for _, a := range export["audit"].([]any) {
			ev := a.(map[string]any)
			seen[ev["action"].(string)] = ev["actor_id"].(string)
		}
		if seen[models.AuditCandidateViewed] != e.users[E].ID || seen[models.AuditCandidateMatched] != e.users[E].ID ||
			seen[models.AuditCandidateExport] != login["user_id"] {
			t.Fatalf("exported audit: %v", export["audit"])
		}

		// Erasure: the token ends, the login fails, the store and the index forget them.
		e.must(http.StatusNoContent, e.do("DELETE", "/api/v1/me", token, nil))
		e.must(http.StatusUnauthorized, e.do("GET", "/api/v1/me", token, nil))
		failed := e.must(http.StatusUnauthorized, e.login("+529625550101", "482916"))
		if failed["detail"] != "El teléfono o el PIN no son correctos." {
			t.Fatalf("login after erasure: %v", failed)
		}
		if _, err := st.Candidate(ctx, id); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("the profile survived erasure: %v", err)
		}
		e.sync()
		all := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/search?q=montacargas", e.as(C), nil))
		if ids := candidateIDs(all); slices.Contains(ids, id) {
			t.Fatalf("a counsellor's search finds the erased person: %v", ids)
		}
		snap, err := e.index.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := snap["candidate/"+id]; ok {
			t.Fatal("the index still holds the erased person")
		}
		audit, err := st.AuditFor(ctx, "candidate", id)
		if err != nil || audit[len(audit)-1].Action != models.AuditCandidateErased || audit[len(audit)-1].ActorRole != models.RoleMigrant {
			t.Fatalf("erasure not audited: %v %+v", err, audit)
		}
	})
}

// indexQuery asks the index itself for searchable people who may work in Nuevo León.
func indexQuery(text string) search.CandidateQuery {
	return search.CandidateQuery{Text: text, WorkState: "MX-NLE", Limit: 100}
}

// sameInstant reports whether a JSON timestamp is the instant want.
func sameInstant(got any, want time.Time) bool {
	s, _ := got.(string)
	t, err := time.Parse(time.RFC3339Nano, s)
	return err == nil && t.Equal(want)
}

// TestMigrantLockoutAndPINReset: the fifth wrong PIN locks the phone for 15 minutes
// (429 with Retry-After, even for the right PIN); the lock ends by itself, or when hub
// staff set a new PIN after seeing the person.
func TestMigrantLockoutAndPINReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		clock := storetest.ClockOf(t, st)
		e := newEnv(t, st)
		id, _ := e.register("+529625550102", "482916")

		for i := 1; i <= 4; i++ {
			p := e.must(http.StatusUnauthorized, e.login("+529625550102", "000001"))
			if p["detail"] != "El teléfono o el PIN no son correctos." {
				t.Fatalf("failure %d: %v", i, p)
			}
			clock.Advance(15 * time.Second)
		}
		fifth := e.login("+529625550102", "000001")
		p := e.must(http.StatusTooManyRequests, fifth)
		if p["type"] != "https://vincula.example/problems/locked" || fifth.header.Get("Retry-After") != "900" ||
			p["detail"] != "Hubo demasiados intentos fallidos. Vuelva a intentarlo en 15 minutos o pida al personal del centro que restablezca su PIN." {
			t.Fatalf("fifth failure: %v (Retry-After %q)", p, fifth.header.Get("Retry-After"))
		}
		clock.Advance(5 * time.Minute)
		locked := e.login("+529625550102", "482916")
		e.must(http.StatusTooManyRequests, locked)
		if locked.header.Get("Retry-After") != "600" {
			t.Fatalf("Retry-After while locked: %q", locked.header.Get("Retry-After"))
		}
		clock.Advance(10*time.Minute + time.Second)
		e.must(http.StatusOK, e.login("+529625550102", "482916"))

		// Locked again; hub staff reset the PIN: the lock, the old PIN and the live token end.
		for range 5 {
			clock.Advance(15 * time.Second)
			e.login("+529625550102", "000001")
		}
		clock.Advance(15 * time.Second)
		e.must(http.StatusTooManyRequests, e.login("+529625550102", "482916"))
		reset := "/api/v1/candidates/" + id + "/pin-reset"
		e.must(http.StatusUnprocessableEntity, e.do("POST", reset, e.as(H), map[string]any{"pin": "111111"}))
		e.must(http.StatusForbidden, e.do("POST", reset, e.as(C), map[string]any{"pin": "739164"}))
		e.must(http.StatusNoContent, e.do("POST", reset, e.as(H), map[string]any{"pin": "739164"}))
		clock.Advance(15 * time.Second)
		e.must(http.StatusUnauthorized, e.login("+529625550102", "482916"))
		clock.Advance(15 * time.Second)
		token := e.must(http.StatusOK, e.login("+529625550102", "739164"))["token"].(string)
		e.must(http.StatusOK, e.do("GET", "/api/v1/me", token, nil))
		audit, err := st.AuditFor(context.Background(), "candidate", id)
		if err != nil || len(audit) != 1 || audit[0].Action != models.AuditMigrantPINReset || audit[0].ActorID != e.users[H].ID {
			t.Fatalf("the reset is not audited: %v %+v", err, audit)
		}

		// A profile hub staff registered gets its first login through a reset.
		staffMade := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), candidateBody()))["id"].(string)
		e.must(http.StatusUnauthorized, e.login("+529621110001", "739164"))
		e.must(http.StatusNoContent, e.do("POST", "/api/v1/candidates/"+staffMade+"/pin-reset", e.as(H), map[string]any{"pin": "739164"}))
		own := e.must(http.StatusOK, e.login("+529621110001", "739164"))
		me := e.must(http.StatusOK, e.do("GET", "/api/v1/me", own["token"].(string), nil))
		if me["id"] != staffMade || me["documents"].([]any)[0].(map[string]any)["verified"] != true {
			t.Fatalf("staff-registered profile seen by its owner: %v", me)
		}
	})
}

// TestMigrantRateLimits: per client address (only trusted proxies' X-Forwarded-For
// counts), and registrations per phone; the clock refills the buckets.
func TestMigrantRateLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		clock := storetest.ClockOf(t, st)
		e := newEnv(t, st)
		register := call{method: "POST", path: "/api/v1/migrants/register", body: map[string]any{}}
		for i := range 10 {
			if got := e.send(register); got.status != http.StatusUnprocessableEntity {
				t.Fatalf("registration %d: %d %s", i+1, got.status, got.body)
			}
		}
		limited := e.send(register)
		p := e.must(http.StatusTooManyRequests, limited)
		if limited.header.Get("Retry-After") != "6" || p["type"] != "https://vincula.example/problems/rate-limited" ||
			p["detail"] != "Espere 6 segundos y vuelva a intentarlo." {
			t.Fatalf("11th registration in a minute: %v (Retry-After %q)", p, limited.header.Get("Retry-After"))
		}
		// A forged X-Forwarded-For from an untrusted peer changes nothing.
		spoofed := register
		spoofed.forwardedFor = "203.0.113.77"
		e.must(http.StatusTooManyRequests, e.send(spoofed))
		other := register
		other.remote = "198.51.100.7:5555"
		e.must(http.StatusUnprocessableEntity, e.send(other))
		clock.Advance(6 * time.Second)
		e.must(http.StatusUnprocessableEntity, e.send(register))
		e.must(http.StatusTooManyRequests, e.send(register))

		login := call{method: "POST", path: "/api/v1/migrants/login", body: map[string]any{}}
		for range 20 {
			e.must(http.StatusUnprocessableEntity, e.send(login))
		}
		e.must(http.StatusTooManyRequests, e.send(login))

		// Logins are not limited per phone alone (whoever knows a number could keep its owner
		// out): tries on one number from many addresses are each answered on their own.
		for i := range 6 {
			e.must(http.StatusUnauthorized, e.send(call{method: "POST", path: "/api/v1/migrants/login",
				remote: fmt.Sprintf("198.51.100.%d:4000", 10+i), body: map[string]any{"phone": "+52 (962) 555-0199", "pin": "482916"}}))
		}
	})
}

// TestMigrantRateLimitBehindTrustedProxy: behind a trusted proxy each forwarded client
// has its own bucket.
func TestMigrantRateLimitBehindTrustedProxy(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	e := newEnv(t, st, func(cfg *api.Config) { cfg.TrustedProxies = []string{"192.0.2.1"} },
		withMigrants(api.MigrantConfig{RegisterPerAddress: 2}))
	first := call{method: "POST", path: "/api/v1/migrants/register", body: map[string]any{}, forwardedFor: "203.0.113.5"}
	e.must(http.StatusUnprocessableEntity, e.send(first))
	e.must(http.StatusUnprocessableEntity, e.send(first))
	e.must(http.StatusTooManyRequests, e.send(first))
	second := first
	second.forwardedFor = "203.0.113.6"
	e.must(http.StatusUnprocessableEntity, e.send(second))
}

// TestMigrantDuplicatePhone: a phone registers once; the 409 names no one.
func TestMigrantDuplicatePhone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, roomy)
		first, _ := e.register("+529625550103", "482916")
		// Neither the phone nor the PIN is stored as typed.
		key := storetest.RawText(t, st, "SELECT phone_key FROM migrant_credentials WHERE candidate_id = ?", first)
		pin := storetest.RawText(t, st, "SELECT pin_hash FROM migrant_credentials WHERE candidate_id = ?", first)
		if len(key) != 64 || strings.Contains(key, "9625550103") ||
			!strings.HasPrefix(pin, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(pin, "482916") {
			t.Fatalf("stored login: phone_key %q, pin_hash %q", key, pin)
		}
		body := migrantBody("+52 962 555 0103", "583027")
		body["full_name"] = "Otra Persona"
		resp := e.send(call{method: "POST", path: "/api/v1/migrants/register", body: body, lang: "en"})
		p := e.must(http.StatusConflict, resp)
		if p["detail"] != "This phone cannot be registered. If it is yours, log in or ask hub staff to reset your PIN." ||
			strings.Contains(string(resp.body), "Roselène") {
			t.Fatalf("duplicate phone: %s", resp.body)
		}
		// The first registration is untouched and the second left nothing behind.
		list := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates", e.as(H), nil))
		if n := len(list["items"].([]any)); n != 1 {
			t.Fatalf("%d profiles, want 1", n)
		}
	})
}

// TestMigrantCannotReachAnotherProfile: the /me routes take the profile from the
// token; every route naming a profile by ID refuses migrants.
func TestMigrantCannotReachAnotherProfile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, roomy)
		a, tokenA := e.register("+529625550104", "482916")
		body := migrantBody("+529625550105", "583027")
		body["full_name"] = "Wilson Morales"
		body["documents"] = []map[string]any{{"type": "residente_permanente", "number": "RP-555", "issued_on": "2024-01-10"}}
		b := e.must(http.StatusCreated, e.do("POST", "/api/v1/migrants/register", "", body))["candidate_id"].(string)

		if me := e.must(http.StatusOK, e.do("GET", "/api/v1/me", tokenA, nil)); me["id"] != a {
			t.Fatalf("/me answered %v, want %s", me["id"], a)
		}
		other := "/api/v1/candidates/" + b
		for _, r := range []struct{ method, path string }{
			{"GET", other}, {"PATCH", other}, {"DELETE", other}, {"GET", other + "/eligibility?state=MX-NLE"},
			{"GET", other + "/matches"}, {"POST", other + "/pin-reset"}, {"GET", "/api/v1/candidates?q=wilson"},
			{"POST", "/api/v1/candidates"}, {"GET", "/api/v1/referrals?candidate_id=" + b},
		} {
			t.Run(r.method+" "+r.path, func(t *testing.T) {
				got := e.do(r.method, r.path, tokenA, map[string]any{"full_name": "cambiado"})
				if got.status != http.StatusForbidden {
					t.Fatalf("%d, want 403: %s", got.status, got.body)
				}
			})
		}
		// No field of /me names another profile.
		e.must(http.StatusUnprocessableEntity, e.do("PATCH", "/api/v1/me", tokenA, map[string]any{"id": b, "full_name": "cambiado"}))
		// Taking over the other person's phone (their login) is refused too.
		e.must(http.StatusConflict, e.do("PATCH", "/api/v1/me", tokenA, map[string]any{"phone": "+529625550105"}))

		seen := e.must(http.StatusOK, e.do("GET", other, e.as(H), nil))
		if seen["full_name"] != "Wilson Morales" || seen["phone"] != "+529625550105" {
			t.Fatalf("the other profile changed: %v", seen)
		}
		// Their registered document stayed unverified, and they cannot verify it themselves.
		doc := seen["documents"].([]any)[0].(map[string]any)
		if doc["verified"] != false {
			t.Fatalf("a self-registered document is verified: %v", doc)
		}
		tokenB := e.must(http.StatusOK, e.login("+529625550105", "583027"))["token"].(string)
		e.must(http.StatusForbidden, e.do("POST", other+"/documents/"+doc["id"].(string)+"/verify", tokenB, nil))
		// Nor can a migrant mark a document verified through the profile.
		withFlag := e.do("PATCH", "/api/v1/me", tokenB, map[string]any{"documents": []map[string]any{
			{"type": "residente_permanente", "number": "RP-555", "issued_on": "2024-01-10", "verified": true}}})
		e.must(http.StatusUnprocessableEntity, withFlag)
		if e.must(http.StatusOK, e.do("GET", other, e.as(H), nil))["documents"].([]any)[0].(map[string]any)["verified"] != false {
			t.Fatal("the document became verified")
		}

		// A changed phone becomes the login phone.
		e.must(http.StatusOK, e.do("PATCH", "/api/v1/me", tokenA, map[string]any{"phone": "+52 962 555 0106"}))
		e.must(http.StatusUnauthorized, e.login("+529625550104", "482916"))
		e.must(http.StatusOK, e.login("+529625550106", "482916"))
	})
}

// TestMigrantErrorLanguages: the migrant endpoints answer in Spanish by default and in
// English, French or Haitian Creole by Accept-Language; the rest of the API stays in
// English.
func TestMigrantErrorLanguages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, roomy)
		badPIN := migrantBody("+529625550107", "123456")
		cases := []struct {
			name, lang                      string
			req                             call
			status                          int
			title, detail, field, fieldText string
		}{
			{name: "login es by default", req: call{method: "POST", path: "/api/v1/migrants/login", body: map[string]any{"phone": "+529625550000", "pin": "482916"}},
				status: 401, title: "No autorizado", detail: "El teléfono o el PIN no son correctos."},
			{name: "login en", lang: "en-US,en;q=0.9", req: call{method: "POST", path: "/api/v1/migrants/login", body: map[string]any{"phone": "+529625550000", "pin": "482916"}},
				status: 401, title: "Unauthorized", detail: "The phone number or the PIN is not correct."},
			{name: "login fr", lang: "fr-CA", req: call{method: "POST", path: "/api/v1/migrants/login", body: map[string]any{"phone": "+529625550000", "pin": "482916"}},
				status: 401, title: "Non autorisé", detail: "Le numéro de téléphone ou le code PIN est incorrect."},
			{name: "login ht", lang: "ht", req: call{method: "POST", path: "/api/v1/migrants/login", body: map[string]any{"phone": "+529625550000", "pin": "482916"}},
				status: 401, title: "Pa otorize", detail: "Nimewo telefòn nan oswa PIN nan pa kòrèk."},
			{name: "unknown language falls back to es", lang: "de-DE", req: call{method: "POST", path: "/api/v1/migrants/login", body: map[string]any{"phone": "+529625550000", "pin": "482916"}},
				status: 401, title: "No autorizado", detail: "El teléfono o el PIN no son correctos."},
			{name: "q-values choose fr", lang: "en;q=0, de;q=0.9, fr;q=0.3", req: call{method: "POST", path: "/api/v1/migrants/login", body: map[string]any{"phone": "+529625550000", "pin": "482916"}},
				status: 401, title: "Non autorisé", detail: "Le numéro de téléphone ou le code PIN est incorrect."},
			{name: "validation es", req: call{method: "POST", path: "/api/v1/migrants/register", body: badPIN},
				status: 422, title: "Datos no válidos", detail: "Revise los campos indicados y vuelva a intentarlo.",
				field: "pin", fieldText: "no debe ser una serie de dígitos, como 123456 o 654321"},
			{name: "validation en", lang: "en", req: call{method: "POST", path: "/api/v1/migrants/register", body: badPIN},
				status: 422, title: "Validation failed", detail: "Check the fields listed and try again.",
				field: "pin", fieldText: "must not be a run of digits, such as 123456 or 654321"},
			{name: "validation fr", lang: "fr", req: call{method: "POST", path: "/api/v1/migrants/register", body: badPIN},
				status: 422, title: "Données non valides", detail: "Vérifiez les champs indiqués et réessayez.",
				field: "pin", fieldText: "ne doit pas être une suite de chiffres, comme 123456 ou 654321"},
			{name: "validation ht", lang: "ht-HT", req: call{method: "POST", path: "/api/v1/migrants/register", body: badPIN},
				status: 422, title: "Done yo pa valab", detail: "Tcheke chan ki make yo epi eseye ankò.",
				field: "pin", fieldText: "pa dwe yon seri chif youn apre lòt, tankou 123456 oswa 654321"},
			{name: "no token ht", lang: "ht", req: call{method: "GET", path: "/api/v1/me"},
				status: 401, title: "Pa otorize", detail: "Konekte ak nimewo telefòn ou ak PIN ou pou kontinye."},
			{name: "expired or unknown token en", lang: "en", req: call{method: "GET", path: "/api/v1/me/export", token: "vin_not-a-token"},
				status: 401, title: "Unauthorized", detail: "Log in with your phone number and PIN to continue."},
			{name: "staff token fr", lang: "fr", req: call{method: "GET", path: "/api/v1/me", token: e.as(H)},
				status: 403, title: "Accès refusé", detail: "Cette partie est réservée aux personnes migrantes connectées avec leur téléphone."},
			{name: "malformed es", req: call{method: "POST", path: "/api/v1/migrants/login", body: "{not json"},
				status: 400, title: "Solicitud mal formada", detail: "El cuerpo de la solicitud debe ser un objeto JSON válido."},
			{name: "unknown field ht", lang: "ht", req: call{method: "POST", path: "/api/v1/migrants/login", body: map[string]any{"telefono": "1"}},
				status: 422, title: "Done yo pa valab", detail: "Tcheke chan ki make yo epi eseye ankò.", field: "telefono", fieldText: "se pa yon chan nou konnen"},
			{name: "rest of the API stays English", lang: "es", req: call{method: "GET", path: "/api/v1/candidates"},
				status: 401, title: "Unauthorized", detail: "send a bearer token: Authorization: Bearer <token>"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				tc.req.lang = tc.lang
				resp := e.send(tc.req)
				p := e.must(tc.status, resp)
				if p["title"] != tc.title || p["detail"] != tc.detail {
					t.Fatalf("title %q, detail %q; want %q, %q", p["title"], p["detail"], tc.title, tc.detail)
				}
				if ct := resp.header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("content type %q", ct)
				}
				if tc.field == "" {
					return
				}
				for _, fe := range p["errors"].([]any) {
					if f := fe.(map[string]any); f["field"] == tc.field {
						if f["message"] != tc.fieldText {
							t.Fatalf("%s: %q, want %q", tc.field, f["message"], tc.fieldText)
						}
						return
					}
				}
				t.Fatalf("no error for %s: %v", tc.field, p["errors"])
			})
		}
	})
}

// TestStatelessMigrantRegisters: a person without a nationality (XX) can register, and
// the profile reads back with it.
func TestStatelessMigrantRegisters(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	e := newEnv(t, st, roomy)
	body := migrantBody("+529625550110", "482916")
	body["nationality"] = "xx" // normalised to upper case, as every country code
	got := e.must(http.StatusCreated, e.do("POST", "/api/v1/migrants/register", "", body))
	me := e.must(http.StatusOK, e.do("GET", "/api/v1/me", got["token"].(string), nil))
	if me["nationality"] != models.Stateless {
		t.Fatalf("nationality read back: %v, want %s", me["nationality"], models.Stateless)
	}
}

// TestMigrantRuleMessagesTranslated: the messages of failed rules that quote the value
// at fault are in the migrant's language too, the value quoted as checked (after
// normalising: language levels are upper-cased).
func TestMigrantRuleMessagesTranslated(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	e := newEnv(t, st, roomy)
	body := migrantBody("+529625550109", "482916")
	body["nationality"], body["current_state"], body["education_level"] = "XK", "MX-GTM", "bachillerato"
	body["languages"] = []map[string]any{{"code": "ht", "level": "nativo"}}
	want := map[string]map[string]string{
		"es": {
			"nationality":        `"XK" no es un código de país ISO 3166-1, como GT, HN, HT o VE, ni XX para una persona apátrida o cuya nacionalidad no está establecida`,
			"current_state":      `"MX-GTM" no es un estado de México: use un código ISO 3166-2:MX como MX-CHP (Chiapas) o MX-NLE (Nuevo León)`,
			"languages[0].level": `"NATIVO" no es un nivel de idioma: use A1, A2, B1, B2, C1, C2 o native`,
			"education_level":    `"bachillerato" no es un nivel de estudios: use none, primary, secondary, upper_secondary, technical o university`,
		},
		"fr": {
			"current_state":      `"MX-GTM" n'est pas un État du Mexique : utilisez un code ISO 3166-2:MX comme MX-CHP (Chiapas) ou MX-NLE (Nuevo León)`,
			"languages[0].level": `"NATIVO" n'est pas un niveau de langue : utilisez A1, A2, B1, B2, C1, C2 ou native`,
		},
		"ht": {
			"education_level": `"bachillerato" se pa yon nivo etid: sèvi ak none, primary, secondary, upper_secondary, technical oswa university`,
		},
		"en": {
			"nationality":     `"XK" is not an ISO 3166-1 country code such as GT, HN, HT or VE, nor XX for a stateless person or one whose nationality is not established`,
			"education_level": `"bachillerato" is not an education level: use none, primary, secondary, upper_secondary, technical or university`,
		},
	}
	for lang, fields := range want {
		p := e.must(http.StatusUnprocessableEntity, e.send(call{method: "POST", path: "/api/v1/migrants/register", lang: lang, body: body}))
		got := map[string]string{}
		for _, fe := range p["errors"].([]any) {
			f := fe.(map[string]any)
			got[f["field"].(string)] = f["message"].(string)
		}
		for field, msg := range fields {
			if got[field] != msg {
				t.Errorf("%s, %s: %q\nwant %q", lang, field, got[field], msg)
			}
		}
	}
}

// TestMigrantPINRules: six to twelve digits, not one digit repeated, not a run.
func TestMigrantPINRules(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	e := newEnv(t, st, roomy)
	for _, tc := range []struct{ pin, message string }{
		{"", "is required: 6 or more digits"},
		{"48291", "must be 6 to 12 digits, and nothing else"},
		{"4829163750123", "must be 6 to 12 digits, and nothing else"},
		{"48 291", "must be 6 to 12 digits, and nothing else"},
		{"48291a", "must be 6 to 12 digits, and nothing else"},
		{"777777", "must not be one digit repeated, such as 111111"},
		{"123456", "must not be a run of digits, such as 123456 or 654321"},
		{"654321", "must not be a run of digits, such as 123456 or 654321"},
		{"8901234", "must not be a run of digits, such as 123456 or 654321"},
		{"3210987", "must not be a run of digits, such as 123456 or 654321"},
	} {
		t.Run(tc.pin, func(t *testing.T) {
			p := e.must(http.StatusUnprocessableEntity, e.send(call{method: "POST", path: "/api/v1/migrants/register", lang: "en",
				body: migrantBody("+529625550108", tc.pin)}))
			errs := p["errors"].([]any)
			if len(errs) != 1 || errs[0].(map[string]any)["field"] != "pin" || errs[0].(map[string]any)["message"] != tc.message {
				t.Fatalf("errors %v, want pin: %s", errs, tc.message)
			}
		})
	}
	// A phone is required of migrants, and so is an explicit consent choice.
	body := migrantBody("", "482916")
	delete(body, "consent")
	p := e.must(http.StatusUnprocessableEntity, e.send(call{method: "POST", path: "/api/v1/migrants/register", lang: "en", body: body}))
	got := map[string]string{}
	for _, fe := range p["errors"].([]any) {
		got[fe.(map[string]any)["field"].(string)] = fe.(map[string]any)["message"].(string)
	}
	if len(got) != 2 || got["phone"] != "is required: you log in with this phone number and your PIN" ||
		got["consent"] != "is required: say whether employers may see your profile, with share_profile true or false" {
		t.Fatalf("errors %v", got)
	}
}

// TestMigrantTokenExpires: a token is refused once its lifetime is over.
func TestMigrantTokenExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		clock := storetest.ClockOf(t, st)
		e := newEnv(t, st, withMigrants(api.MigrantConfig{TokenTTL: time.Hour}))
		_, token := e.register("+529625550109", "482916")
		clock.Advance(time.Hour - time.Second)
		e.must(http.StatusOK, e.do("GET", "/api/v1/me", token, nil))
		clock.Advance(time.Second)
		p := e.must(http.StatusUnauthorized, e.do("GET", "/api/v1/me", token, nil))
		if p["detail"] != "Inicie sesión con su teléfono y su PIN para continuar." {
			t.Fatalf("expired token: %v", p)
		}
		fresh := e.must(http.StatusOK, e.login("+529625550109", "482916"))["token"].(string)
		e.must(http.StatusOK, e.do("GET", "/api/v1/me/referrals", fresh, nil))
		clock.Advance(time.Hour)
		e.must(http.StatusUnauthorized, e.do("GET", "/api/v1/me/referrals", fresh, nil))
		// Staff tokens have no lifetime.
		e.must(http.StatusOK, e.do("GET", "/api/v1/candidates", e.as(H), nil))
	})
}

// TestMyEligibilitySpeaksMyLanguage (issue 15): the reasons and next steps of the
// person's own eligibility come in their language (Spanish by default), from the
// rules' and the engine's catalogue; staff read the same decision in English.
func TestMyEligibilitySpeaksMyLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, roomy)
		id, token := e.register("+529625550191", "482916")
		// No document yet: refused everywhere, with the step to register one.
		for _, tc := range []struct{ lang, reason, step string }{
			{"", "no hay ningún documento migratorio registrado", "Registre los documentos migratorios"},
			{"es-MX", "no hay ningún documento migratorio registrado", "Registre los documentos migratorios"},
			{"en", "no immigration document on file", "Register the person's immigration documents"},
			{"fr-FR,fr;q=0.9", "aucun document migratoire n'est enregistré", "Enregistrez les documents migratoires"},
			{"ht", "pa gen okenn papye imigrasyon anrejistre", "Anrejistre papye imigrasyon"},
		} {
			r := e.send(call{method: "GET", path: "/api/v1/me/eligibility?state=MX-NLE&date=2027-01-15", token: token, lang: tc.lang})
			d := e.must(http.StatusOK, r)
			if d["eligible"] != false || stringsOf(d["reasons"])[0] != tc.reason || !strings.HasPrefix(stringsOf(d["next_steps"])[0], tc.step) {
				t.Errorf("Accept-Language %q: reasons %q, next steps %q", tc.lang, d["reasons"], d["next_steps"])
			}
		}
		staff := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+id+"/eligibility?state=MX-NLE&date=2027-01-15", e.as(C), nil))
		if stringsOf(staff["reasons"])[0] != "no immigration document on file" {
			t.Errorf("staff read %q", staff["reasons"])
		}
	})
}
