package matching

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
)

// verbs finds the formatting verbs of a format string.
var verbs = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestEveryTextIsTranslated: each sentence of the code, each next step and each age
// text of the embedded rules has its Spanish, French and Haitian Creole text, and a
// translated format keeps the verbs of the English one in the same order.
func TestEveryTextIsTranslated(t *testing.T) {
	for key, trs := range codeTexts {
		want := strings.Join(verbs.FindAllString(key, -1), " ")
		for i, tr := range trs {
			if strings.TrimSpace(tr) == "" {
				t.Errorf("%q has no %s translation", key, translatedLanguages[i])
			}
			if got := strings.Join(verbs.FindAllString(tr, -1), " "); got != want {
				t.Errorf("%q in %s has the verbs %q, want %q", key, translatedLanguages[i], got, want)
			}
		}
	}
	r := DefaultRules()
	all := append([]nextStep(nil), r.steps...)
	for _, ru := range r.byType {
		all = append(all, ru.steps...)
	}
	for _, st := range all {
		for _, l := range translatedLanguages {
			if st.text[l] == "" {
				t.Errorf("next step %q has no %s translation", st.text["en"], l)
			}
		}
	}
	for _, l := range translatedLanguages {
		for _, k := range ageTextKeys() {
			tr := r.age.translations[l][k]
			if tr == "" {
				t.Errorf("age text %s has no %s translation", k, l)
			}
			for _, ph := range []string{"{date}", "{hours}"} {
				if english := englishAgeText(t, k); strings.Contains(english, ph) != strings.Contains(tr, ph) {
					t.Errorf("age text %s in %s: %q must keep %s as the English does", k, l, tr, ph)
				}
			}
		}
	}
}

// englishAgeText reads the English of an age text from the embedded file.
func englishAgeText(t *testing.T, key string) string {
	t.Helper()
	var f struct {
		Age map[string]json.RawMessage `json:"age"`
	}
	if err := json.Unmarshal(defaultRulesJSON, &f); err != nil {
		t.Fatal(err)
	}
	if kind, cond, ok := strings.Cut(key, "."); ok {
		var rs []restriction
		if err := json.Unmarshal(f.Age["restrictions"], &rs); err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Condition == cond {
				return map[string]string{"restriction": r.Text, "refusal": r.Refusal, "unstated": r.Unstated}[kind]
			}
		}
		t.Fatalf("no restriction %s", cond)
	}
	var s string
	if err := json.Unmarshal(f.Age[key], &s); err != nil {
		t.Fatalf("age.%s: %v", key, err)
	}
	return s
}

// TestDecisionsSpeakTheirLanguage: the same decisions in each language say the same
// things in that language, with the same dates and codes; English is the reference and
// an unknown language falls back to it.
func TestDecisionsSpeakTheirLanguage(t *testing.T) {
	day := models.MustDate
	yes := true
	cases := []struct {
		name string
		c    *models.Candidate
		q    Query
		// words that must appear, in es, fr and ht
		words [3]string
	}{
		{"an expired TVTF, in the wrong state", &models.Candidate{ID: "c1", Documents: []models.Document{{ID: "d", Type: models.DocVisitanteTrabajadorFronterizo,
			Number: "T", IssuedOn: day("2026-01-01"), ExpiresOn: day("2026-06-01"), WorkPermission: true}}},
			Query{State: "MX-NLE", Date: day("2026-12-01")}, [3]string{"venció el 2026-06-01", "expiré le 2026-06-01", "li ekspire 2026-06-01"}},
		{"no document", &models.Candidate{ID: "c2"}, Query{State: "MX-NLE", Date: day("2026-12-01")},
			[3]string{"ningún documento migratorio", "aucun document migratoire", "okenn papye imigrasyon"}},
		{"a child", &models.Candidate{ID: "c3", BirthDate: day("2014-05-01")}, Query{State: "MX-NLE", Date: day("2026-12-01")},
			[3]string{"DIF", "DIF", "DIF"}},
		{"an adolescent and a hazardous vacancy", &models.Candidate{ID: "c4", BirthDate: day("2010-05-01"), EducationLevel: "secondary",
			Documents: []models.Document{{ID: "d", Type: models.DocResidentePermanente, Number: "R", Verified: true}}},
			VacancyQuery(&models.Vacancy{State: "MX-NLE", Hazardous: &yes, HoursPerWeek: 30}, day("2026-12-01")),
			[3]string{"peligroso", "dangereux", "danjere"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			english := Eligibility(tc.c, tc.q, nil)
			q := tc.q
			q.Lang = "xx"
			if other := Eligibility(tc.c, q, nil); strings.Join(other.Reasons, "|") != strings.Join(english.Reasons, "|") {
				t.Fatalf("an unknown language should fall back to English: %q", other.Reasons)
			}
			for i, l := range translatedLanguages {
				q.Lang = l
				d := Eligibility(tc.c, q, nil)
				if d.Eligible != english.Eligible || len(d.Reasons) != len(english.Reasons) || len(d.NextSteps) != len(english.NextSteps) {
					t.Fatalf("%s: the decision differs from the English one beyond its words: %+v", l, d)
				}
				text := strings.Join(append(d.Reasons, d.NextSteps...), " | ")
				if !strings.Contains(text, tc.words[i]) {
					t.Errorf("%s: %q should say %q", l, text, tc.words[i])
				}
				for k := range d.NextSteps {
					if d.NextSteps[k] == english.NextSteps[k] {
						t.Errorf("%s: next step left in English: %q", l, d.NextSteps[k])
					}
				}
			}
		})
	}
}
