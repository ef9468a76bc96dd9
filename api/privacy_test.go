package api_test

import (
	"encoding/json"
	"net/http"
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
