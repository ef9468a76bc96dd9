package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestMergeStory: a person registered twice (swapped surnames, no accents) is flagged
// at the second registration, to staff only; staff merge the two profiles; the
// merged-away ID redirects staff to the one kept and is unknown to employers; the
// documents, skills and referrals are on the kept profile, the person's second active
// referral to one vacancy is withdrawn, and lists count the person once; the merge is
// audited on both IDs. A third, different person marked so is no longer suggested.
func TestMergeStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newReferralEnv(t, st, 3)
		other := vacancyBody("")
		other["title"], other["state"], other["municipality"] = "Ayudante general", "MX-CHP", "Tapachula"
		vacancyW := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), other))["id"].(string)

		body := candidateBody()
		body["full_name"], body["nationality"], body["birth_date"], body["phone"] = "José Pérez García", "HN", "1990-05-01", "+52 962 123 4567"
		first := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), body))
		if dups := first["suspected_duplicates"].([]any); len(dups) != 0 {
			t.Fatalf("the first registration has suspects: %v", dups)
		}
		keep := first["id"].(string)

		body = candidateBody()
		body["full_name"], body["nationality"], body["birth_date"], body["phone"] = "Jose Garcia Perez", "HN", "1990-05-01", "9621234567"
		body["skills"] = []map[string]any{{"name": "soldadura", "years": 2}}
		body["documents"] = []map[string]any{{"type": "residente_permanente", "number": "RP-HN-0042"}}
		second := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), body))
		gone := second["id"].(string)
		dups := second["suspected_duplicates"].([]any)
		if len(dups) != 1 {
			t.Fatalf("second registration: suspects %v", dups)
		}
		if d := dups[0].(map[string]any); d["id"] != keep || d["strength"] != "suspect" {
			t.Fatalf("suspect: %v", d)
		}
		flags := e.must(http.StatusOK, e.do("GET", "/api/v1/duplicate-flags", e.as(C), nil))["items"].([]any)
		if len(flags) != 1 || flags[0].(map[string]any)["candidate_id"] != gone || flags[0].(map[string]any)["suspect_id"] != keep {
			t.Fatalf("flags: %v", flags)
		}
		e.must(http.StatusForbidden, e.do("GET", "/api/v1/duplicate-flags", e.as(E), nil))

		// A migrant registering a third time alone is not told; staff are.
		mig := migrantBody("+529629990001", "482915")
		mig["full_name"], mig["nationality"], mig["birth_date"] = "José Pérez", "HN", "1990-05-01"
		reg := e.must(http.StatusCreated, e.do("POST", "/api/v1/migrants/register", "", mig))
		if _, told := reg["suspected_duplicates"]; told || len(reg) != 3 {
			t.Fatalf("the migrant's answer says more than the registration: %v", reg)
		}
		third := reg["candidate_id"].(string)
		if n := len(e.must(http.StatusOK, e.do("GET", "/api/v1/duplicate-flags?candidate_id="+third, e.as(H), nil))["items"].([]any)); n != 2 {
			t.Fatalf("the migrant's registration flagged %d suspects, want 2", n)
		}

		// Both profiles were referred to one vacancy, and the second to another.
		e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": keep, "vacancy_id": e.vacancy}))
		dupRef := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": gone, "vacancy_id": e.vacancy}))["id"].(string)
		otherRef := e.must(http.StatusCreated, e.do("POST", "/api/v1/referrals", e.as(E), map[string]any{"candidate_id": gone, "vacancy_id": vacancyW}))["id"].(string)

		e.must(http.StatusForbidden, e.do("POST", "/api/v1/candidates/"+keep+"/merge", e.as(E), map[string]any{"other_id": gone}))
		e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/candidates/"+keep+"/merge", e.as(C), map[string]any{"other_id": keep}))
		merged := e.must(http.StatusOK, e.do("POST", "/api/v1/candidates/"+keep+"/merge", e.as(C), map[string]any{"other_id": gone, "note": "misma persona, dos módulos"}))
		cand := merged["candidate"].(map[string]any)
		if docs := cand["documents"].([]any); len(docs) != 2 {
			t.Fatalf("the kept profile has %d documents, want both: %v", len(docs), docs)
		}
		skills := map[string]bool{}
		for _, s := range cand["skills"].([]any) {
			skills[s.(map[string]any)["name"].(string)] = true
		}
		if !skills["soldadura"] || !skills["bòs mason"] {
			t.Fatalf("skills after the merge: %v", skills)
		}

		// The merged-away ID: staff are sent to the kept profile, employers learn nothing.
		r := e.do("GET", "/api/v1/candidates/"+gone, e.as(H), nil)
		if r.status != http.StatusPermanentRedirect || r.header.Get("Location") != "/api/v1/candidates/"+keep {
			t.Fatalf("staff reading the merged-away profile: %d %v %s", r.status, r.header, r.body)
		}
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/candidates/"+gone, e.as(E), nil))

		// Referrals: one active for the person and the vacancy, the other now the kept profile's.
		refs := e.must(http.StatusOK, e.do("GET", "/api/v1/referrals?vacancy_id="+e.vacancy, adminToken, nil))["items"].([]any)
		active := 0
		for _, x := range refs {
			ref := x.(map[string]any)
			if ref["candidate_id"] != keep {
				t.Errorf("a referral still names the merged-away profile: %v", ref)
			}
			if ref["status"] != "withdrawn" {
				active++
			} else if ref["id"] != dupRef {
				t.Errorf("the wrong referral was withdrawn: %v", ref)
			}
		}
		if len(refs) != 2 || active != 1 {
			t.Fatalf("referrals of the vacancy after the merge: %d, %d active: %v", len(refs), active, refs)
		}
		if got := e.must(http.StatusOK, e.do("GET", "/api/v1/referrals/"+otherRef, adminToken, nil)); got["candidate_id"] != keep || got["status"] != "pending" {
			t.Fatalf("the other referral: %v", got)
		}
		if n := len(e.must(http.StatusOK, e.do("GET", "/api/v1/referrals?candidate_id="+gone, adminToken, nil))["items"].([]any)); n != 0 {
			t.Fatalf("%d referrals still count the merged-away profile", n)
		}
		// Counted once: the list of profiles holds the person once (and the migrant).
		if n := len(e.must(http.StatusOK, e.do("GET", "/api/v1/candidates?q=perez", e.as(H), nil))["items"].([]any)); n != 2 {
			t.Fatalf("profiles named Pérez: %d, want 2 (the merged person and the migrant)", n)
		}

		// The ranked list of the vacancy holds the person once.
		e.sync()
		seen := 0
		for _, x := range e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+vacancyW+"/matches?limit=100", e.as(C), nil))["items"].([]any) {
			switch x.(map[string]any)["candidate"].(map[string]any)["id"] {
			case gone:
				t.Errorf("the merged-away profile is still ranked")
			case keep:
				seen++
			}
		}
		if seen > 1 {
			t.Errorf("the merged person is ranked %d times", seen)
		}

		// The merge is audited under both IDs; the audit of the merged-away one is kept.
		for _, id := range []string{keep, gone} {
			events, err := st.AuditFor(context.Background(), "candidate", id)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, ev := range events {
				found = found || (ev.Action == models.AuditCandidatesMerged && ev.ActorID == e.users[C].ID)
			}
			if !found {
				t.Errorf("no merge audit under %s: %v", id, events)
			}
		}
		// The settled pair is no longer flagged; the migrant still is, until marked.
		for _, f := range e.must(http.StatusOK, e.do("GET", "/api/v1/duplicate-flags", e.as(H), nil))["items"].([]any) {
			if fl := f.(map[string]any); fl["candidate_id"] == gone || fl["suspect_id"] == gone {
				t.Errorf("a flag names the merged-away profile: %v", fl)
			}
		}
		e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates/"+keep+"/duplicates/"+third+"/distinct", e.as(C), map[string]any{"note": "otra persona"}))
		for _, d := range e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+keep+"/duplicates", e.as(C), nil))["items"].([]any) {
			if d.(map[string]any)["id"] == third {
				t.Errorf("a person marked different is still suggested: %v", d)
			}
		}
		if n := len(e.must(http.StatusOK, e.do("GET", "/api/v1/duplicate-flags?candidate_id="+third, e.as(H), nil))["items"].([]any)); n != 0 {
			t.Fatalf("the migrant is still flagged after being marked different: %d", n)
		}
		e.must(http.StatusConflict, e.do("POST", "/api/v1/candidates/"+keep+"/merge", e.as(C), map[string]any{"other_id": third}))
	})
}

func init() {
	allowed["POST /api/v1/candidates/:id/merge"] = []models.Role{H, C, A}
	allowed["GET /api/v1/duplicate-flags"] = []models.Role{H, C, A}
}
