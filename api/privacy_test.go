package api_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestEmployerLearnsNoImmigrationStatus: an employer asking for a referral of a person
// who may not work at its vacancy learns only that they cannot be referred; staff get
// the reasons, which name the document.
func TestEmployerLearnsNoImmigrationStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newReferralEnv(t, st, 3)
		people := map[string]string{
			"visitante regional": e.candidate("Roselène Joseph", map[string]any{"type": "visitante_regional", "number": "TVR-9",
				"issued_on": "2026-10-01", "expires_on": "2027-10-01"}),
			"expired": e.candidate("Wilson Morales", map[string]any{"type": "visitante_razones_humanitarias", "number": "TVRH-1",
				"issued_on": "2025-01-01", "expires_on": "2026-01-01"}),
		}
		for what, id := range people {
			body := map[string]any{"candidate_id": id, "vacancy_id": e.vacancy}
			got := e.do("POST", "/api/v1/referrals", e.as(E), body)
			p := e.must(http.StatusUnprocessableEntity, got)
			want := map[string]any{"type": "https://vincula.example/problems/not-referable", "title": "Cannot be referred",
				"status": float64(422), "detail": "this person cannot be referred to this vacancy", "instance": "/api/v1/referrals"}
			if !jsonEqual(p, want) {
				t.Fatalf("%s: the employer got %s", what, got.body)
			}
			for _, leak := range []string{"visitante", "TVR", "humanitarias", "expired", "COMAR", "reasons"} {
				if strings.Contains(strings.ToLower(string(got.body)), strings.ToLower(leak)) {
					t.Fatalf("%s: the employer's answer names %q: %s", what, leak, got.body)
				}
			}
			for _, staff := range []string{e.as(C), e.as(A)} {
				sp := e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/referrals", staff, body))
				reasons, _ := sp["reasons"].([]any)
				if sp["type"] != "https://vincula.example/problems/not-eligible" || len(reasons) == 0 {
					t.Fatalf("%s: staff must keep the reasons: %v", what, sp)
				}
			}
		}
	})
}

// TestEmployerCannotTellNonConsentingFromAbsent: asking to refer a person who has not
// agreed to be shown gets the answer a read of a person that does not exist gets.
func TestEmployerCannotTellNonConsentingFromAbsent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newReferralEnv(t, st, 3)
		body := candidateBody()
		body["consent"] = map[string]any{"share_profile": false}
		hidden := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), body))["id"].(string)
		const absent = "01JDNOSUCHPERSON000000000"

		read := e.do("GET", "/api/v1/candidates/"+absent, e.as(E), nil)
		want := e.must(http.StatusNotFound, read)
		for _, id := range []string{hidden, absent} {
			got := e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": id, "vacancy_id": e.vacancy})
			p := e.must(http.StatusNotFound, got)
			if got.header.Get("Content-Type") != read.header.Get("Content-Type") {
				t.Fatalf("content type %q, a read gives %q", got.header.Get("Content-Type"), read.header.Get("Content-Type"))
			}
			// The same problem but for the path it answers and the ID asked for.
			norm := func(m map[string]any, id string) map[string]any {
				out := map[string]any{}
				for k, v := range m {
					if k != "instance" {
						out[k] = strings.ReplaceAll(toString(v), id, "ID")
					}
				}
				return out
			}
			if !jsonEqual(norm(p, id), norm(want, absent)) {
				t.Fatalf("referral of %s: %s; a read of an absent person: %s", id, got.body, read.body)
			}
		}
		// Staff still learn why.
		p := e.must(http.StatusConflict, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": hidden, "vacancy_id": e.vacancy}))
		if !strings.Contains(toString(p["detail"]), "agreed") {
			t.Fatalf("staff answer: %v", p)
		}
	})
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestErasureLeavesNoTraceInSQLiteFiles: after DELETE /me and after an erasure by a
// counsellor, neither the database file nor its write-ahead log holds the person's
// name, phone or email (secure_delete and a checkpoint after the erasure), though both
// held them before.
func TestErasureLeavesNoTraceInSQLiteFiles(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	e := newEnv(t, st, roomy)
	dir := storetest.SQLiteDir(t, st)
	raw := func() string {
		var all []byte
		for _, name := range []string{"vincula.db", "vincula.db-wal"} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return string(all)
	}
	person := func(name, phone, email string) map[string]any {
		body := candidateBody()
		body["full_name"], body["phone"], body["email"] = name, phone, email
		return body
	}
	traces := [][]string{
		{"Zacharie Hyppolite-Quetzal", "zacharie hyppolite", "+529625550177", "zacharie.hq@example.org"},
		{"Mirlande Théodore-Ixchel", "mirlande theodore", "+529625550178", "mirlande.ti@example.org"},
	}
	// One registers themselves, the other is registered by hub staff.
	reg := migrantBody(traces[0][2], "482916")
	reg["full_name"], reg["email"] = traces[0][0], traces[0][3]
	self := e.must(http.StatusCreated, e.do("POST", "/api/v1/migrants/register", "", reg))
	byStaff := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), person(traces[1][0], traces[1][2], traces[1][3])))["id"].(string)
	// A change of name leaves the old one behind too, unless deleted content is overwritten.
	e.must(http.StatusOK, e.do("PATCH", "/api/v1/candidates/"+byStaff, e.as(H), map[string]any{"full_name": traces[1][0] + " Pierre"}))
	before := strings.ToLower(raw())
	for _, tr := range traces {
		for _, s := range tr {
			if !strings.Contains(before, strings.ToLower(s)) {
				t.Fatalf("the files never held %q: the test reads the wrong files", s)
			}
		}
	}
	e.must(http.StatusNoContent, e.do("DELETE", "/api/v1/me", self["token"].(string), nil))
	e.must(http.StatusNoContent, e.do("DELETE", "/api/v1/candidates/"+byStaff, e.as(C), nil))
	after := strings.ToLower(raw())
	for _, tr := range traces {
		for _, s := range tr {
			if strings.Contains(after, strings.ToLower(s)) {
				t.Errorf("after the erasure the SQLite files still hold %q", s)
			}
		}
	}
}

// TestNoStoreOnEveryAnswer: every route's answer says nosniff, and every answer of the
// API but the OpenAPI document says no-store, errors included and above all the ones
// that carry a token or a person's data.
func TestNoStoreOnEveryAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, roomy)
		check := func(what string, r response) {
			t.Helper()
			if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s: X-Content-Type-Options %q", what, got)
			}
			want := ""
			if strings.Contains(what, " /api/") && !strings.HasSuffix(what, " /api/v1/openapi.json") {
				want = "no-store"
			}
			if got := r.header.Get("Cache-Control"); got != want {
				t.Errorf("%s (%d): Cache-Control %q, want %q", what, r.status, got, want)
			}
		}
		for _, r := range e.server.Routes() {
			path := paramPattern.ReplaceAllString(r.Path, id)
			for _, token := range []string{"", e.as(A), e.as(M)} {
				check(r.Method+" "+r.Path, e.do(r.Method, path, token, nil))
			}
		}
		// The answers that carry tokens or personal data, as they succeed.
		reg := e.do("POST", "/api/v1/migrants/register", "", migrantBody("+529625550170", "482916"))
		e.must(http.StatusCreated, reg)
		check("POST /api/v1/migrants/register", reg)
		login := e.login("+529625550170", "482916")
		token := e.must(http.StatusOK, login)["token"].(string)
		check("POST /api/v1/migrants/login", login)
		for _, path := range []string{"/api/v1/me", "/api/v1/me/export"} {
			r := e.do("GET", path, token, nil)
			e.must(http.StatusOK, r)
			check("GET "+path, r)
		}
		made := e.do("POST", "/api/v1/users", e.as(A), map[string]any{"name": "Ventanilla", "role": "hub_staff"})
		check("POST /api/v1/users", made)
		again := e.do("POST", "/api/v1/users/"+e.must(http.StatusCreated, made)["id"].(string)+"/token", e.as(A), nil)
		e.must(http.StatusCreated, again)
		check("POST /api/v1/users/:id/token", again)
		cand := e.do("POST", "/api/v1/candidates", e.as(H), candidateBody())
		e.must(http.StatusCreated, cand)
		check("POST /api/v1/candidates", cand)
	})
}
