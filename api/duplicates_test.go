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

// TestDuplicateSuspects: a second registration with the name reordered, unaccented and
// mistyped is a suspect; a profile with the same CURP is a suspect whatever its name;
// a sister sharing the family phone is only a hint; someone else born the same day is
// nothing. Marking a pair as different people (audited) stops the suggestion.
func TestDuplicateSuspects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		reg := func(edit func(map[string]any)) string {
			body := candidateBody()
			edit(body)
			return e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), body))["id"].(string)
		}
		curp := models.CompleteCURP("PIXJ910412HNEXRN0")
		first := reg(func(b map[string]any) { b["curp"] = curp })
		again := reg(func(b map[string]any) {
			b["full_name"], b["phone"], b["hub"] = "PIERRE Jean Baptise", "+529991234567", "Palenque"
		})
		sameCURP := reg(func(b map[string]any) {
			b["full_name"], b["curp"], b["phone"] = "Jean Bautista Pierrot Louis", curp, ""
		})
		sister := reg(func(b map[string]any) {
			b["full_name"], b["birth_date"], b["gender"], b["phone"] = "Marie Pierre", "1996-08-30", "F", "962 111 0001"
		})
		reg(func(b map[string]any) { b["full_name"], b["nationality"], b["phone"] = "Wilson Morales", "GT", "" })

		got := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+first+"/duplicates", e.as(H), nil))["items"].([]any)
		found := map[string]map[string]any{}
		for _, it := range got {
			m := it.(map[string]any)
			found[m["id"].(string)] = m
			if m["candidate"].(map[string]any)["id"] != m["id"] {
				t.Errorf("item names another profile: %v", m)
			}
		}
		if len(found) != 3 {
			t.Fatalf("suspects %v", got)
		}
		if m := found[again]; m["strength"] != "suspect" || !strings.Contains(reasons(m), "close name") {
			t.Errorf("second registration: %v", m)
		}
		if m := found[sameCURP]; m["strength"] != "suspect" || !strings.Contains(reasons(m), "same CURP") {
			t.Errorf("same CURP: %v", m)
		}
		if m := found[sister]; m["strength"] != "hint" || !strings.Contains(reasons(m), "phone") {
			t.Errorf("sister sharing the phone: %v", m)
		}
		if got[len(got)-1].(map[string]any)["strength"] != "hint" {
			t.Errorf("hints should come after suspects: %v", got)
		}
		e.must(http.StatusForbidden, e.do("GET", "/api/v1/candidates/"+first+"/duplicates", e.as(E), nil))
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/candidates/nobody/duplicates", e.as(H), nil))

		pair := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates/"+again+"/duplicates/"+first+"/distinct", e.as(C),
			map[string]any{"note": "distinto acta de nacimiento"}))
		if pair["marked_by"] != e.users[C].ID {
			t.Fatalf("pair: %v", pair)
		}
		e.must(http.StatusNotFound, e.do("POST", "/api/v1/candidates/"+first+"/duplicates/nobody/distinct", e.as(C), map[string]any{}))
		e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/candidates/"+first+"/duplicates/"+first+"/distinct", e.as(C), map[string]any{}))
		after := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+first+"/duplicates", e.as(C), nil))["items"].([]any)
		for _, it := range after {
			if it.(map[string]any)["id"] == again {
				t.Fatalf("a pair marked as different people is still suggested: %v", after)
			}
		}
		if len(after) != 2 {
			t.Fatalf("after marking: %v", after)
		}
		audit, err := st.AuditFor(context.Background(), "candidate", first)
		if err != nil {
			t.Fatal(err)
		}
		marked := false
		for _, a := range audit {
			marked = marked || (a.Action == models.AuditMarkedDistinct && a.ActorID == e.users[C].ID)
		}
		if !marked {
			t.Errorf("no audit entry of the marking: %v", audit)
		}
		// Erasing one of the pair removes the marking with it.
		e.must(http.StatusNoContent, e.do("DELETE", "/api/v1/candidates/"+again, e.as(C), nil))
		e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+first+"/duplicates", e.as(C), nil))
	})
}

func reasons(m map[string]any) string {
	var b strings.Builder
	for _, r := range m["reasons"].([]any) {
		b.WriteString(r.(string) + "; ")
	}
	return b.String()
}

func init() {
	allowed["GET /api/v1/candidates/:id/duplicates"] = []models.Role{H, C, A}
	allowed["POST /api/v1/candidates/:id/duplicates/:other_id/distinct"] = []models.Role{H, C, A}
}
