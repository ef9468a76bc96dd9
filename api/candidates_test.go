package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestEmployerGetsTheMinimisedCandidateView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		created := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), candidateBody()))
		id := created["id"].(string)

		// Staff see everything, with documents verified by the hub staff who registered them.
		full := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+id, e.as(C), nil))
		docs := full["documents"].([]any)
		doc := docs[0].(map[string]any)
		if doc["number"] != "TVRH-CHP-2026-018842" || doc["verified"] != true || doc["verified_by"] != e.users[H].ID {
			t.Fatalf("staff view of the document: %v", doc)
		}
		if full["eligibility"] == nil {
			t.Fatal("staff view lacks the eligibility summary")
		}

		resp := e.do("GET", "/api/v1/candidates/"+id, e.as(E), nil)
		view := e.must(http.StatusOK, resp)
		for _, hidden := range []string{"documents", "nationality", "gender", "birth_date", "phone", "email", "curp", "full_name", "eligibility"} {
			if _, ok := view[hidden]; ok {
				t.Errorf("employer view shows %q", hidden)
			}
		}
		for _, secret := range []string{"TVRH-CHP-2026-018842", "visitante_razones_humanitarias", "HT\"", "1991-04-12", "+529621110001", "jb.pierre", "Jean-Baptiste Pierre"} {
			if strings.Contains(string(resp.body), secret) {
				t.Errorf("employer view contains %q: %s", secret, resp.body)
			}
		}
		if view["display_name"] != "Jean-Baptiste P." || view["current_state"] != "MX-CHP" {
			t.Errorf("employer view: %v", view)
		}
		audit, err := st.AuditFor(context.Background(), "candidate", id)
		if err != nil || len(audit) != 1 || audit[0].Action != models.AuditCandidateViewed || audit[0].ActorID != e.users[E].ID {
			t.Fatalf("the employer's view was not audited: %v %+v", err, audit)
		}

		// Without consent the profile does not exist for employers.
		e.must(http.StatusOK, e.do("PATCH", "/api/v1/candidates/"+id, e.as(H), map[string]any{"consent": map[string]any{"share_profile": false}}))
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/candidates/"+id, e.as(E), nil))
	})
}

func TestCandidatePatchListAndErase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		body := candidateBody()
		body["full_name"] = "Roselène Joseph " + models.NewID()[20:]
		created := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), body))
		id := created["id"].(string)

		patched := e.must(http.StatusOK, e.do("PATCH", "/api/v1/candidates/"+id, e.as(C), map[string]any{
			"skills": []map[string]any{{"name": "cocina"}}, "municipality": "Palenque"}))
		skills := patched["skills"].([]any)
		if len(skills) != 1 || skills[0].(map[string]any)["name"] != "cocina" || patched["municipality"] != "Palenque" ||
			patched["full_name"] != body["full_name"] || len(patched["documents"].([]any)) != 1 {
			t.Fatalf("patch: %v", patched)
		}
		doc := patched["documents"].([]any)[0].(map[string]any)
		if doc["verified_by"] != e.users[H].ID {
			t.Fatalf("an unchanged document lost its verification: %v", doc)
		}

		list := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates?q=roselene&state=MX-CHP", e.as(C), nil))
		if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != id {
			t.Fatalf("list by name ignoring accents: %v", list)
		}

		e.must(http.StatusForbidden, e.do("DELETE", "/api/v1/candidates/"+id, e.as(H), nil))
		e.must(http.StatusNoContent, e.do("DELETE", "/api/v1/candidates/"+id, e.as(C), nil))
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/candidates/"+id, e.as(C), nil))
		e.must(http.StatusNotFound, e.do("DELETE", "/api/v1/candidates/"+id, e.as(C), nil))
	})
}

func TestCandidateValidationNamesFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		body := candidateBody()
		body["current_state"] = "MX-XXX"
		body["curp"] = "GOMA850312HCSMRN07"
		body["documents"] = []map[string]any{{"type": "residente_temporal", "number": "RT-1", "issued_on": "2026-05-01", "expires_on": "2026-04-01"}}
		body["languages"] = []map[string]any{{"code": "ht", "level": "fluent"}}
		resp := e.do("POST", "/api/v1/candidates", e.as(H), body)
		p := e.must(http.StatusUnprocessableEntity, resp)
		if ct := resp.header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("content type %q", ct)
		}
		fields := map[string]bool{}
		for _, fe := range p["errors"].([]any) {
			fields[fe.(map[string]any)["field"].(string)] = true
		}
		for _, want := range []string{"current_state", "curp", "documents[0].expires_on", "languages[0].level"} {
			if !fields[want] {
				t.Errorf("no error for %s in %v", want, p["errors"])
			}
		}
	})
}
