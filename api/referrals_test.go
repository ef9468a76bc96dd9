package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// referralEnv adds to env a vacancy of the employer's own in Chiapas (so the Chiapas
// office and its counsellor take the referrals) and a helper to register candidates.
type referralEnv struct {
	*env
	vacancy string
}

func newReferralEnv(t *testing.T, st *store.Store, positions int) referralEnv {
	e := newEnv(t, st)
	body := vacancyBody("")
	body["state"], body["municipality"], body["positions"] = "MX-CHP", "Tapachula", positions
	v := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), body))
	return referralEnv{env: e, vacancy: v["id"].(string)}
}

func (e referralEnv) candidate(name string, docs ...map[string]any) string {
	body := candidateBody()
	body["full_name"] = name
	if docs != nil {
		body["documents"] = docs
	}
	return e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), body))["id"].(string)
}

func (e referralEnv) move(id, token, to, note string) response {
	return e.do("POST", "/api/v1/referrals/"+id+"/transitions", token, map[string]any{"to": to, "note": note})
}

// TestReferralWholeStory: employer asks → routed counsellor contacts → sends → employer
// reports interviewing (and now sees contact details) → hired → vacancy filled.
func TestReferralWholeStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newReferralEnv(t, st, 1)
		cand := e.candidate("Jean-Baptiste Pierre")
		other := e.candidate("Wilson Morales")

		r := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": cand, "vacancy_id": e.vacancy}))
		id := r["id"].(string)
		if r["status"] != "pending" || r["counsellor_id"] != e.counsel.ID || r["office_id"] != e.office.ID {
			t.Fatalf("routing: %v", r)
		}
		if !strings.Contains(r["routing_reason"].(string), "ht") {
			t.Errorf("the reason should say the counsellor speaks the candidate's Haitian Creole: %v", r["routing_reason"])
		}
		if r["contact"] != nil {
			t.Fatalf("the employer sees contact details while pending: %v", r["contact"])
		}
		e.must(http.StatusConflict, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": cand, "vacancy_id": e.vacancy}))
		second := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": other, "vacancy_id": e.vacancy}))

		// An illegal move names the allowed ones.
		p := e.must(http.StatusConflict, e.move(id, e.as(C), "hired", ""))
		if allowed := fmt.Sprint(p["allowed"]); allowed != "[contacted withdrawn]" {
			t.Fatalf("allowed = %s: %v", allowed, p)
		}
		e.must(http.StatusForbidden, e.move(id, e.as(E), "contacted", ""))

		e.must(http.StatusOK, e.move(id, e.as(C), "contacted", "llamada al +52 962, acepta reubicarse"))
		e.must(http.StatusOK, e.move(id, e.as(C), "sent_to_employer", ""))
		seen := e.must(http.StatusOK, e.do("GET", "/api/v1/referrals/"+id, e.as(E), nil))
		if seen["contact"] != nil {
			t.Fatalf("contact details before interviewing: %v", seen["contact"])
		}
		got := e.must(http.StatusOK, e.move(id, e.as(E), "interviewing", "entrevista el lunes"))
		contact, _ := got["contact"].(map[string]any)
		if contact == nil || contact["phone"] != "+529621110001" || contact["full_name"] != "Jean-Baptiste Pierre" {
			t.Fatalf("the employer should see contact details from interviewing on: %v", got["contact"])
		}
		hired := e.must(http.StatusOK, e.move(id, e.as(E), "hired", ""))
		history := hired["history"].([]any)
		var path []string
		for _, h := range history {
			ev := h.(map[string]any)
			path = append(path, fmt.Sprint(ev["to"]))
			if ev["by"] == "" || ev["at"] == nil {
				t.Errorf("history entry without who or when: %v", ev)
			}
		}
		if strings.Join(path, ",") != "pending,contacted,sent_to_employer,interviewing,hired" {
			t.Fatalf("history %v", path)
		}

		v := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+e.vacancy, e.as(E), nil))
		if v["status"] != "filled" || v["positions_filled"] != float64(1) {
			t.Fatalf("vacancy after the hire of its only position: %v", v)
		}
		w := e.must(http.StatusOK, e.do("GET", "/api/v1/referrals/"+second["id"].(string), e.as(C), nil))
		if w["status"] != "withdrawn" || !strings.Contains(fmt.Sprint(w["history"]), "last position was filled") {
			t.Fatalf("the other open referral was not withdrawn with a reason: %v", w)
		}
		// A filled vacancy takes no new referrals.
		e.must(http.StatusConflict, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": other, "vacancy_id": e.vacancy}))
	})
}

func TestReferralRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newReferralEnv(t, st, 3)
		tvr := e.candidate("Roselène Joseph", map[string]any{"type": "visitante_regional", "number": "TVR-9", "issued_on": "2026-10-01", "expires_on": "2027-10-01"})
		p := e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": tvr, "vacancy_id": e.vacancy}))
		if reasons, _ := p["reasons"].([]any); len(reasons) == 0 {
			t.Fatalf("a refusal for eligibility must list the reasons: %v", p)
		}
		e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": "nobody", "vacancy_id": e.vacancy}))

		// Another employer may not ask for referrals to this vacancy, nor see them.
		cand := e.candidate("Carlos Ramírez")
		r := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": cand, "vacancy_id": e.vacancy}))
		token, hash := newToken()
		u := models.User{Name: "other employer", Role: models.RoleEmployer, EmployerID: e.empB.ID}
		if err := st.CreateUser(context.Background(), &u, hash); err != nil {
			t.Fatal(err)
		}
		e.must(http.StatusForbidden, e.do("POST", "/api/v1/referrals", token, map[string]any{"candidate_id": cand, "vacancy_id": e.vacancy}))
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/referrals/"+r["id"].(string), token, nil))
		list := e.must(http.StatusOK, e.do("GET", "/api/v1/referrals", token, nil))
		if len(list["items"].([]any)) != 0 {
			t.Fatalf("another employer lists this employer's referrals: %v", list)
		}
		mine := e.must(http.StatusOK, e.do("GET", "/api/v1/referrals?vacancy_id="+e.vacancy, e.as(E), nil))
		if len(mine["items"].([]any)) != 1 {
			t.Fatalf("the owner employer's list: %v", mine)
		}
		// A note is required to withdraw.
		e.must(http.StatusUnprocessableEntity, e.move(r["id"].(string), e.as(C), "withdrawn", ""))
		e.must(http.StatusOK, e.move(r["id"].(string), e.as(C), "withdrawn", "la persona ya encontró empleo"))
	})
}

// TestUnverifiedBasisCannotBeSent: a document added without a staff check (as a migrant
// does) leaves the decision on an unverified basis, which blocks sending to the employer.
func TestUnverifiedBasisCannotBeSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newReferralEnv(t, st, 2)
		id := e.candidate("María Fernanda López")
		ctx := context.Background()
		c, err := st.Candidate(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		c.Documents[0].Verified, c.Documents[0].VerifiedBy, c.Documents[0].VerifiedAt = false, "", nil
		if err := st.UpdateCandidate(ctx, &c); err != nil {
			t.Fatal(err)
		}
		r := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": id, "vacancy_id": e.vacancy}))
		e.must(http.StatusOK, e.move(r["id"].(string), e.as(C), "contacted", ""))
		p := e.must(http.StatusConflict, e.move(r["id"].(string), e.as(C), "sent_to_employer", ""))
		if !strings.Contains(p["detail"].(string), "not verified") {
			t.Fatalf("detail %v", p["detail"])
		}
	})
}

// TestQueueAndDeactivation: with every counsellor full, a referral waits unassigned and
// is assigned when capacity frees; deactivating a counsellor re-routes their referrals.
func TestQueueAndDeactivation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newReferralEnv(t, st, 10)
		path := "/api/v1/counsellors/" + e.counsel.ID
		e.must(http.StatusOK, e.do("PATCH", path, adminToken, map[string]any{"capacity": 1}))
		first := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": e.candidate("Uno"), "vacancy_id": e.vacancy}))
		queued := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(C), map[string]any{"candidate_id": e.candidate("Dos"), "vacancy_id": e.vacancy}))
		if first["counsellor_id"] != e.counsel.ID || queued["counsellor_id"] != "" {
			t.Fatalf("capacity 1: first → %v, second → %v (want the queue)", first["counsellor_id"], queued["counsellor_id"])
		}
		e.must(http.StatusOK, e.move(first["id"].(string), e.as(C), "withdrawn", "duplicado"))
		got := e.must(http.StatusOK, e.do("GET", "/api/v1/referrals/"+queued["id"].(string), e.as(C), nil))
		if got["counsellor_id"] != e.counsel.ID || !strings.Contains(got["routing_reason"].(string), "queue") {
			t.Fatalf("freed capacity did not take the queued referral: %v", got)
		}

		// A second counsellor joins; deactivating the first moves their open referral over.
		co := e.must(http.StatusCreated, e.do("POST", "/api/v1/counsellors", adminToken, map[string]any{
			"name": "Jorge Méndez", "email": "jorge@sne.example", "office_id": e.office.ID, "languages": []string{"es"}, "capacity": 5}))
		e.must(http.StatusOK, e.do("PATCH", path, adminToken, map[string]any{"active": false}))
		got = e.must(http.StatusOK, e.do("GET", "/api/v1/referrals/"+queued["id"].(string), co["token"].(string), nil))
		if got["counsellor_id"] != co["id"] {
			t.Fatalf("after deactivation the referral went to %v, want %v", got["counsellor_id"], co["id"])
		}
		if c := e.must(http.StatusOK, e.do("GET", path, adminToken, nil)); c["active"] != false || c["open_referrals"] != float64(0) {
			t.Fatalf("deactivated counsellor: %v", c)
		}
	})
}
