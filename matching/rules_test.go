package matching

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
)

// TestEmbeddedRules guards DefaultRules, which panics if the shipped file is broken.
func TestEmbeddedRules(t *testing.T) {
	r, err := LoadRules(defaultRulesJSON)
	if err != nil {
		t.Fatalf("the embedded rules file is refused: %v", err)
	}
	if r.Version() != "2026-11-01" {
		t.Errorf("version = %q, want 2026-11-01", r.Version())
	}
	if DefaultRules().Version() != "2026-11-01" {
		t.Errorf("DefaultRules().Version() = %q", DefaultRules().Version())
	}
	if DefaultRules() != DefaultRules() {
		t.Error("DefaultRules parses the file again on each call")
	}
	mayWork := map[models.DocumentType]bool{
		models.DocResidentePermanente: true, models.DocResidenteTemporal: true, models.DocVisitanteRazonesHumanitarias: true,
		models.DocVisitanteTrabajadorFronterizo: true, models.DocVisitanteActividadesRemuneradas: true,
		models.DocVisitanteRegional: false, models.DocConstanciaCOMAR: true, models.DocOther: false,
	}
	for typ, want := range mayWork {
		ru := r.byType[typ]
		if ru == nil {
			t.Errorf("no rule for %s", typ)
			continue
		}
		if ru.mayWork != want {
			t.Errorf("%s: may_work = %v, want %v", typ, ru.mayWork, want)
		}
		if !strings.Contains(ru.source, "Ley") {
			t.Errorf("%s: source %q cites no law", typ, ru.source)
		}
		if !want && len(ru.steps) == 0 {
			t.Errorf("%s forbids work but gives no next step", typ)
		}
	}
}

// editedDefault returns the embedded rules file with edit applied to its generic form, as
// a deployment would edit its own copy.
func editedDefault(t *testing.T, edit func(file map[string]any, rule func(typ string) map[string]any)) []byte {
	t.Helper()
	var file map[string]any
	if err := json.Unmarshal(defaultRulesJSON, &file); err != nil {
		t.Fatal(err)
	}
	rule := func(typ string) map[string]any {
		for _, r := range file["rules"].([]any) {
			if m := r.(map[string]any); m["document_type"] == typ {
				return m
			}
		}
		t.Fatalf("no rule for %s in the embedded file", typ)
		return nil
	}
	edit(file, rule)
	b, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeploymentRulesChangeDecisions(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(file map[string]any, rule func(string) map[string]any)
		c      *models.Candidate
		q      Query
		before want
		after  want
	}{
		{
			name: "tvtf allowed in yucatan too",
			edit: func(_ map[string]any, rule func(string) map[string]any) {
				rule("visitante_trabajador_fronterizo")["states"] = []string{"MX-CHP", "MX-CAM", "MX-TAB", "MX-ROO", "MX-YUC"}
			},
			c: person("", tvtf), q: Query{State: "MX-YUC", Date: day("2026-09-01")},
			before: want{allowed: southern, reasons: 1, reason: "not in Yucatán (MX-YUC)"},
			after: want{eligible: true, basis: models.DocVisitanteTrabajadorFronterizo, basisID: "tvtf", verified: true, validUntil: "2027-03-01",
				allowed: []string{"MX-CAM", "MX-CHP", "MX-ROO", "MX-TAB", "MX-YUC"}},
		},
		{
			name: "visitante regional may work in the south",
			edit: func(_ map[string]any, rule func(string) map[string]any) {
				r := rule("visitante_regional")
				r["may_work"] = true
				r["states"] = southern
				r["until"] = "expires_on"
				r["requires"] = []string{"expires_on"}
			},
			c: person("", tvr), q: Query{State: "MX-TAB", Date: day("2026-07-01")},
			before: want{reasons: 1, reason: "TVR (visitante regional): does not allow paid work"},
			after:  want{eligible: true, basis: models.DocVisitanteRegional, basisID: "tvr", verified: true, validUntil: "2030-06-01", allowed: southern},
		},
		{
			name: "residente temporal without a work permit",
			edit: func(_ map[string]any, rule func(string) map[string]any) {
				rule("residente_temporal")["requires"] = []string{"expires_on"}
			},
			c: person("", with(rt, func(d *models.Document) { d.WorkPermission = false })), q: Query{State: "MX-NLE", Date: day("2026-06-15")},
			before: want{reasons: 1, reason: "no INM work permit on it"},
			after:  want{eligible: true, basis: models.DocResidenteTemporal, basisID: "rt", verified: true, validUntil: "2026-12-31", allowed: allStates},
		},
		{
			name: "a shorter limit on the named-employer permit",
			edit: func(_ map[string]any, rule func(string) map[string]any) {
				rule("visitante_actividades_remuneradas")["max_validity_days"] = 90
			},
			c: person("", varp), q: Query{State: "MX-NLE", Date: day("2026-08-15"), EmployerID: "emp-1"},
			before: want{eligible: true, basis: models.DocVisitanteActividadesRemuneradas, basisID: "var", verified: true, validUntil: "2026-10-28", allowed: allStates},
			after:  want{reasons: 1, reason: "valid at most 90 days from its issue on 2026-05-01, that is until 2026-07-30 (not 2026-10-28 as entered)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkDecision(t, Eligibility(tc.c, tc.q, DefaultRules()), tc.q, tc.before)
			r, err := LoadRules(editedDefault(t, tc.edit))
			if err != nil {
				t.Fatalf("edited rules refused: %v", err)
			}
			checkDecision(t, Eligibility(tc.c, tc.q, r), tc.q, tc.after)
		})
	}
}

func TestSmallRulesFile(t *testing.T) {
	data, err := os.ReadFile("testdata/small_rules.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := LoadRules(data)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		c          *models.Candidate
		q          Query
		eligible   bool
		validUntil string
		reason     string
		nextSteps  []string
	}{
		{"tvtf cut to 30 days", person("", tvtf), Query{State: "MX-CHP", Date: day("2026-03-31")}, true, "2026-03-31", "", []string{}},
		{"tvtf past its 30 days", person("", tvtf), Query{State: "MX-CHP", Date: day("2026-04-01")}, false, "",
			"visitante trabajador fronterizo: valid at most 30 days from its issue on 2026-03-01, that is until 2026-03-31 (not 2027-03-01 as entered), before the date asked (2026-04-01)", []string{"Talk to a counsellor."}},
		{"tvtf needs an issue date here", person("", with(tvtf, func(d *models.Document) { d.IssuedOn = models.Date{} })), Query{State: "MX-CHP", Date: day("2026-04-01")}, false, "",
			"visitante trabajador fronterizo: no issue date (issued_on) on file", []string{"Talk to a counsellor."}},
		{"tvtf only in chiapas here", person("", tvtf), Query{State: "MX-TAB", Date: day("2026-03-15")}, false, "",
			"visitante trabajador fronterizo: allows work only in Chiapas (MX-CHP), not in Tabasco (MX-TAB)", []string{"Talk to a counsellor."}},
		{"tvrh does not count here", person("", tvrh), Query{State: "MX-NLE", Date: day("2026-06-01")}, false, "",
			"visitante razones humanitarias: does not allow paid work", []string{"Talk to a counsellor."}},
		{"plain string step of a rule", person("", rt), Query{State: "MX-NLE", Date: day("2026-06-01")}, false, "",
			"residente temporal: does not allow paid work", []string{"Residente temporal does not count in this test file.", "Talk to a counsellor."}},
		{"step for a nationality", &models.Candidate{Nationality: "GT", Documents: []models.Document{tvr}}, Query{State: "MX-CHP", Date: day("2026-06-01")}, false, "",
			"visitante regional: does not allow paid work", []string{"Guatemalans and Belizeans: ask about a TVTF.", "Talk to a counsellor."}},
		{"step for a nationality in a state", &models.Candidate{Nationality: "HN", Documents: []models.Document{tvr}}, Query{State: "MX-CHP", Date: day("2026-06-01")}, false, "",
			"visitante regional: does not allow paid work", []string{"Hondurans in Chiapas: ask COMAR.", "Talk to a counsellor."}},
		{"step for a nationality elsewhere", &models.Candidate{Nationality: "HN", Documents: []models.Document{tvr}}, Query{State: "MX-NLE", Date: day("2026-06-01")}, false, "",
			"visitante regional: does not allow paid work", []string{"Talk to a counsellor."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Eligibility(tc.c, tc.q, r)
			if got.Eligible != tc.eligible || got.ValidUntil.String() != tc.validUntil {
				t.Fatalf("eligible, valid_until = %v, %q; want %v, %q (reasons %q)", got.Eligible, got.ValidUntil, tc.eligible, tc.validUntil, got.Reasons)
			}
			if got.RulesVersion != "test-small-1" {
				t.Errorf("rules_version = %q", got.RulesVersion)
			}
			if tc.reason != "" && !slices.ContainsFunc(got.Reasons, func(s string) bool { return strings.Contains(s, tc.reason) }) {
				t.Errorf("no reason contains %q: %q", tc.reason, got.Reasons)
			}
			if !slices.Equal(got.NextSteps, tc.nextSteps) {
				t.Errorf("next steps = %q, want %q", got.NextSteps, tc.nextSteps)
			}
		})
	}
}

func TestLoadRulesRefusesBrokenFiles(t *testing.T) {
	type editFn = func(file map[string]any, rule func(string) map[string]any)
	tests := []struct {
		name string
		raw  string // used when edit is nil
		edit editFn
		// want lists substrings of the error message, each naming a problem.
		want []string
		// wantNot is a problem the message must not mention.
		wantNot string
	}{
		{name: "not json", raw: `{"version": "x",, }`,
			want: []string{"eligibility rules: not valid JSON (at byte 17)"}},
		{name: "cut short", raw: `{"version": "x", "rules": [`,
			want: []string{"eligibility rules: the file is empty or cut short"}},
		{name: "empty", raw: ``,
			want: []string{"eligibility rules: the file is empty or cut short"}},
		{name: "a list, not an object", raw: `[]`,
			want: []string{"eligibility rules: the value must be a JSON object, not array"}},
		{name: "two objects", raw: string(defaultRulesJSON) + `{}`,
			want: []string{"eligibility rules: unexpected data after the JSON object"}},
		{name: "wrong kind of value", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("residente_temporal")["may_work"] = "yes"
		}, want: []string{"eligibility rules are invalid: rules[1].may_work must be a JSON boolean (true or false), not string"}, wantNot: "no rule for"},
		{name: "unknown field in a rule", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("residente_temporal")["priority"] = 1
		}, want: []string{`eligibility rules are invalid: rules[1] has an unknown field "priority"`}, wantNot: "no rule for"},
		{name: "unknown top-level field", edit: func(file map[string]any, _ func(string) map[string]any) {
			file["valid_from"] = "2026-11-01"
		}, want: []string{`eligibility rules: the file has an unknown field "valid_from"`}},
		{name: "unknown field in a next step", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("visitante_regional")["next_steps"] = []any{map[string]any{"text": "x", "lang": "es"}}
		}, want: []string{`rules[5].next_steps[0] must be a string or an object {text, when, states, nationalities}: has an unknown field "lang" (in the rule for visitante_regional)`}},
		{name: "missing version", edit: func(file map[string]any, _ func(string) map[string]any) {
			delete(file, "version")
		}, want: []string{"eligibility rules are invalid: version is missing"}},
		{name: "no rules", raw: `{"version": "1", "rules": []}`,
			want: []string{"rules is empty: there must be one rule per document type"}},
		{name: "unknown document type", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("otro")["document_type"] = "pasaporte"
		}, want: []string{
			`rules[7].document_type "pasaporte" is not a known document type (one of residente_permanente, residente_temporal, visitante_razones_humanitarias, visitante_trabajador_fronterizo, visitante_actividades_remuneradas, visitante_regional, constancia_comar, otro)`,
			`rules has no rule for document type "otro"`}},
		{name: "duplicate document type", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("residente_temporal")["document_type"] = "residente_permanente"
		}, want: []string{
			`rules[1].document_type "residente_permanente" appears twice (also rules[0])`,
			`rules has no rule for document type "residente_temporal"`}},
		{name: "missing document type", edit: func(_ map[string]any, rule func(string) map[string]any) {
			delete(rule("otro"), "document_type")
		}, want: []string{"rules[7].document_type is missing"}},
		{name: "bad state", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("visitante_trabajador_fronterizo")["states"] = []string{"MX-CHP", "MX-XYZ", "Tabasco"}
		}, want: []string{
			`rules[3].states "MX-XYZ" is not one of the 32 state codes (ISO 3166-2:MX, such as MX-CHP) (in the rule for visitante_trabajador_fronterizo)`,
			`rules[3].states "Tabasco" is not one of the 32 state codes`}},
		{name: "state listed twice", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("visitante_trabajador_fronterizo")["states"] = []string{"MX-CHP", "MX-CHP"}
		}, want: []string{`rules[3].states lists "MX-CHP" twice`}},
		{name: "no states", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("visitante_trabajador_fronterizo")["states"] = []string{}
		}, want: []string{"rules[3].states is an empty list"}},
		{name: "unknown states word", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("visitante_trabajador_fronterizo")["states"] = "south"
		}, want: []string{`rules[3].states "south" is not "all", "filing_state" or a list of state codes`}},
		{name: "states missing on a rule that allows work", edit: func(_ map[string]any, rule func(string) map[string]any) {
			delete(rule("visitante_razones_humanitarias"), "states")
		}, want: []string{"rules[2].states is missing: a rule that allows work must say where"}},
		{name: "missing source", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("visitante_razones_humanitarias")["source"] = "  "
		}, want: []string{"rules[2].source is missing: the rule for visitante_razones_humanitarias must cite its legal source"}},
		{name: "may_work missing", edit: func(_ map[string]any, rule func(string) map[string]any) {
			delete(rule("residente_permanente"), "may_work")
		}, want: []string{"rules[0].may_work is missing: say true or false (in the rule for residente_permanente)"}},
		{name: "may work without until", edit: func(_ map[string]any, rule func(string) map[string]any) {
			delete(rule("residente_permanente"), "until")
		}, want: []string{`rules[0].until is missing: the rule for residente_permanente allows work, so it must say until when ("expires_on" or "none")`}},
		{name: "unknown until", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("residente_permanente")["until"] = "forever"
		}, want: []string{`rules[0].until "forever" is not one of "expires_on" or "none"`}},
		{name: "unknown requirement", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("residente_temporal")["requires"] = []string{"work_permission", "expires_on", "passport"}
		}, want: []string{`rules[1].requires "passport" is not a known requirement (one of work_permission, curp, named_employer, filing_state, issued_on, expires_on) (in the rule for residente_temporal)`}},
		{name: "requirement twice", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("residente_temporal")["requires"] = []string{"work_permission", "expires_on", "work_permission"}
		}, want: []string{`rules[1].requires lists "work_permission" twice`}},
		{name: "until expires_on without requiring it", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("residente_temporal")["requires"] = []string{"work_permission"}
		}, want: []string{`rules[1].requires must list "expires_on" because until is "expires_on" (in the rule for residente_temporal)`}},
		{name: "filing state without requiring it", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("constancia_comar")["requires"] = []string{"curp", "expires_on"}
		}, want: []string{`rules[6].requires must list "filing_state" because states is "filing_state"`}},
		{name: "conditions on a rule that forbids work", edit: func(_ map[string]any, rule func(string) map[string]any) {
			r := rule("visitante_regional")
			r["states"] = "all"
			r["until"] = "none"
		}, want: []string{
			"rules[5].states is set but may_work is false, so it would have no effect (in the rule for visitante_regional)",
			"rules[5].until is set but may_work is false"}},
		{name: "bad max validity", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("visitante_actividades_remuneradas")["max_validity_days"] = 0
			rule("residente_permanente")["max_validity_days"] = 10
		}, want: []string{
			"rules[4].max_validity_days must be a positive number of days, not 0",
			`rules[0].max_validity_days only makes sense with until "expires_on"`}},
		{name: "unknown situation in a next step", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("residente_temporal")["next_steps"] = []any{map[string]any{"text": "x", "when": []string{"lost"}}}
		}, want: []string{`rules[1].next_steps[0].when "lost" is not a known situation (one of not_allowed, no_document, not_yet_issued, expired, outside_states, other_employer, unverified, missing_work_permission,`}},
		{name: "no_document in a rule", edit: func(_ map[string]any, rule func(string) map[string]any) {
			rule("otro")["next_steps"] = []any{map[string]any{"text": "x", "when": []string{"no_document"}}}
		}, want: []string{`rules[7].next_steps[0].when "no_document" belongs in the file's own next_steps`}},
		{name: "empty next step and bad conditions", edit: func(file map[string]any, _ func(string) map[string]any) {
			file["next_steps"] = []any{"", map[string]any{"text": "y", "states": []string{"Chiapas"}, "nationalities": []string{"gt"}}}
		}, want: []string{
			"next_steps[0].text is missing",
			`next_steps[1].states "Chiapas" is not one of the 32 state codes`,
			`next_steps[1].nationalities "gt" is not an ISO 3166-1 alpha-2 country code`}},
		{name: "missing rule", edit: func(file map[string]any, _ func(string) map[string]any) {
			rules := file["rules"].([]any)
			file["rules"] = rules[:len(rules)-1]
		}, want: []string{`eligibility rules are invalid: rules has no rule for document type "otro": every document type needs one`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.raw)
			if tc.edit != nil {
				data = editedDefault(t, tc.edit)
			}
			r, err := LoadRules(data)
			if err == nil {
				t.Fatalf("accepted (version %q)", r.Version())
			}
			if r != nil {
				t.Error("returned rules with an error")
			}
			if !errors.Is(err, models.ErrInvalid) {
				t.Errorf("error %v is not a models.ErrInvalid", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			if tc.wantNot != "" && strings.Contains(err.Error(), tc.wantNot) {
				t.Errorf("error says %q:\n%v", tc.wantNot, err)
			}
		})
	}
}

// TestLoadRulesReportsEveryProblem checks that an author fixing a file sees all its
// problems at once, one field error each.
func TestLoadRulesReportsEveryProblem(t *testing.T) {
	data := editedDefault(t, func(file map[string]any, rule func(string) map[string]any) {
		delete(file, "version")
		rule("residente_temporal")["source"] = ""
		rule("visitante_trabajador_fronterizo")["states"] = []string{"MX-XXX"}
	})
	_, err := LoadRules(data)
	e, ok := models.AsError(err)
	if !ok {
		t.Fatalf("error %v is not a *models.Error", err)
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	want := []string{"version", "rules[1].source", "rules[3].states"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields = %q, want %q", fields, want)
	}
}
