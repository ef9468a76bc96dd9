package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestReferralWithoutCoveringOfficeGoesToNationalQueue: no office covers Sonora and no
// office is national, yet the referral is made: it goes to the national queue, which
// the store creates once and then reuses.
func TestReferralWithoutCoveringOfficeGoesToNationalQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newReferralEnv(t, st, 3)
		ids := make([]string, 2)
		for i, name := range []string{"Marie Joseph", "Luis Alvarado"} {
			body := candidateBody()
			body["full_name"], body["current_state"], body["municipality"] = name, "MX-SON", "Hermosillo"
			ids[i] = e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), body))["id"].(string)
		}
		var offices []any
		for _, cand := range ids {
			r := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": cand, "vacancy_id": e.vacancy}))
			if r["office_id"] == e.office.ID || r["office_id"] == "" {
				t.Fatalf("the referral went to office %v, want the national queue", r["office_id"])
			}
			if reason, _ := r["routing_reason"].(string); !strings.Contains(reason, "no office covers MX-SON") || !strings.Contains(reason, "national queue") {
				t.Fatalf("routing reason %q", reason)
			}
			if r["counsellor_id"] != nil && r["counsellor_id"] != "" {
				t.Fatalf("the national queue has no counsellor yet, got %v", r["counsellor_id"])
			}
			offices = append(offices, r["office_id"])
		}
		if offices[0] != offices[1] {
			t.Fatalf("two national queues: %v", offices)
		}
		list := e.must(http.StatusOK, e.do("GET", "/api/v1/offices", e.as(A), nil))
		national := 0
		for _, o := range list["items"].([]any) {
			o := o.(map[string]any)
			if o["national"] == true {
				national++
				if o["id"] != offices[0] || o["name"] != store.NationalQueueName {
					t.Fatalf("national office %v, want %v named %q", o, offices[0], store.NationalQueueName)
				}
			}
		}
		if national != 1 {
			t.Fatalf("%d national offices: %v", national, list)
		}
	})
}

// TestReferralListShowsHistory: every referral of a list carries its history, as the
// referral read alone does (it was always empty in lists).
func TestReferralListShowsHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newReferralEnv(t, st, 2)
		a := e.candidate("Jean-Baptiste Pierre")
		b := e.candidate("Wilson Morales")
		first := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": a, "vacancy_id": e.vacancy, "note": "urgente"}))["id"].(string)
		e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": b, "vacancy_id": e.vacancy}))
		storetest.ClockOf(t, st).Advance(time.Minute)
		e.must(http.StatusOK, e.move(first, e.as(C), "contacted", "llamada"))

		for _, role := range []string{"counsellor", "admin"} {
			token := e.as(C)
			if role == "admin" {
				token = e.as(A)
			}
			page := e.must(http.StatusOK, e.do("GET", "/api/v1/referrals?vacancy_id="+e.vacancy, token, nil))
			items := page["items"].([]any)
			if len(items) != 2 {
				t.Fatalf("%s: %d referrals, want 2", role, len(items))
			}
			for _, it := range items {
				r := it.(map[string]any)
				one := e.must(http.StatusOK, e.do("GET", "/api/v1/referrals/"+r["id"].(string), token, nil))
				if got, want := jsonOf(t, r["history"]), jsonOf(t, one["history"]); got != want {
					t.Fatalf("%s: list history %s, the referral's own %s", role, got, want)
				}
				h := r["history"].([]any)
				if h[0].(map[string]any)["to"] != "pending" {
					t.Fatalf("%s: history does not begin with pending: %v", role, h)
				}
				if want := map[bool]int{true: 2, false: 1}[r["id"] == first]; len(h) != want {
					t.Fatalf("%s: referral %v has %d events, want %d: %v", role, r["id"], len(h), want, h)
				}
			}
		}
	})
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
