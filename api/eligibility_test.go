package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestEligibilityEndpoint asks the endpoint about realistic profiles; every expected
// answer is written by hand from DESIGN.md's table.
func TestEligibilityEndpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		profile := func(curp string, docs ...map[string]any) string {
			body := candidateBody()
			body["documents"] = docs
			if curp != "" {
				body["curp"] = curp
				body["birth_date"] = "1985-03-12"
			}
			return e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(H), body))["id"].(string)
		}
		tvrh := profile("", map[string]any{"type": "visitante_razones_humanitarias", "number": "TVRH-1", "issued_on": "2026-07-01", "expires_on": "2027-07-01"})
		tvtf := profile("", map[string]any{"type": "visitante_trabajador_fronterizo", "number": "TVTF-1", "issued_on": "2026-06-01", "expires_on": "2027-05-31"})
		comarNoCURP := profile("", map[string]any{"type": "constancia_comar", "number": "COMAR-1", "issued_on": "2026-09-01", "expires_on": "2027-03-01", "state": "MX-CHP"})
		comar := profile("GOMA850312HCSMRN02", map[string]any{"type": "constancia_comar", "number": "COMAR-2", "issued_on": "2026-09-01", "expires_on": "2027-03-01", "state": "MX-CHP"})
		rtNoPermit := profile("", map[string]any{"type": "residente_temporal", "number": "RT-1", "issued_on": "2026-01-10", "expires_on": "2027-01-10", "work_permission": false})
		tvr := profile("", map[string]any{"type": "visitante_regional", "number": "TVR-1", "issued_on": "2026-10-01", "expires_on": "2027-10-01"})

		cases := []struct {
			name, id, query string
			eligible        bool
			basis, until    string
			reason          string
		}{
			{"TVRH in Nuevo León", tvrh, "state=MX-NLE&date=2027-01-15", true, "visitante_razones_humanitarias", "2027-07-01", ""},
			{"TVRH on its expiry day", tvrh, "state=MX-NLE&date=2027-07-01", true, "visitante_razones_humanitarias", "2027-07-01", ""},
			{"TVRH the day after", tvrh, "state=MX-NLE&date=2027-07-02", false, "", "", "expired"},
			{"TVTF in Chiapas", tvtf, "state=MX-CHP&date=2027-01-15", true, "visitante_trabajador_fronterizo", "2027-05-31", ""},
			{"TVTF in Nuevo León", tvtf, "state=MX-NLE&date=2027-01-15", false, "", "", "MX-CHP"},
			{"COMAR without CURP", comarNoCURP, "state=MX-CHP&date=2026-12-01", false, "", "", "CURP"},
			{"COMAR with CURP where filed", comar, "state=MX-CHP&date=2026-12-01", true, "constancia_comar", "2027-03-01", ""},
			{"COMAR with CURP elsewhere", comar, "state=MX-NLE&date=2026-12-01", false, "", "", "MX-CHP"},
			{"temporary resident without permit", rtNoPermit, "state=MX-NLE&date=2026-12-01", false, "", "", "work permit"},
			{"TVR holder", tvr, "state=MX-CHP&date=2026-12-01", false, "", "", "visitante regional"},
			{"date defaults to today (2026-11-22)", tvrh, "state=MX-COA", true, "visitante_razones_humanitarias", "2027-07-01", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				d := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/"+tc.id+"/eligibility?"+tc.query, e.as(C), nil))
				if d["eligible"] != tc.eligible {
					t.Fatalf("eligible = %v, want %v: %v", d["eligible"], tc.eligible, d)
				}
				if d["rules_version"] == "" || d["rules_version"] == nil {
					t.Errorf("no rules_version: %v", d)
				}
				if tc.eligible {
					basis := d["basis"].(map[string]any)
					if basis["document_type"] != tc.basis || d["valid_until"] != tc.until {
						t.Fatalf("basis %v until %v, want %s until %s", basis, d["valid_until"], tc.basis, tc.until)
					}
					if strings.Contains(tc.query, "date=") == false && d["date"] != "2026-11-22" {
						t.Fatalf("date defaulted to %v, want 2026-11-22 (Mexico City)", d["date"])
					}
					return
				}
				if d["basis"] != nil {
					t.Fatalf("a refusal has a basis: %v", d["basis"])
				}
				found := false
				for _, r := range d["reasons"].([]any) {
					found = found || strings.Contains(strings.ToLower(r.(string)), strings.ToLower(tc.reason))
				}
				if !found {
					t.Fatalf("no reason mentions %q: %v", tc.reason, d["reasons"])
				}
				if len(d["next_steps"].([]any)) == 0 {
					t.Fatalf("a refusal without next steps: %v", d)
				}
			})
		}

		for _, bad := range []string{"state=MX-XYZ", "state=MX-NLE&date=2027-02-30", "state=MX-NLE&date=15/01/2027", ""} {
			resp := e.do("GET", "/api/v1/candidates/"+tvrh+"/eligibility?"+bad, e.as(C), nil)
			if resp.status != http.StatusUnprocessableEntity {
				t.Errorf("?%s: %d, want 422", bad, resp.status)
			}
		}
		e.must(http.StatusNotFound, e.do("GET", "/api/v1/candidates/unknown/eligibility?state=MX-NLE", e.as(C), nil))
	})
}
