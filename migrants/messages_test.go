package migrants

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
)

var verbs = regexp.MustCompile(`%[sdvq]`)

// TestCatalogueComplete: every message is written in all four languages with the same
// format verbs in the same order, and every situation, document type, school level and
// referral stage the pages name has its words.
func TestCatalogueComplete(t *testing.T) {
	for key, tr := range texts {
		want := verbs.FindAllString(tr[1], -1)
		for i, l := range Languages {
			if strings.TrimSpace(tr[i]) == "" {
				t.Errorf("%s has no %s text", key, l)
			}
			if got := verbs.FindAllString(tr[i], -1); !slices.Equal(got, want) {
				t.Errorf("%s in %s formats %v, English %v", key, l, got, want)
			}
			if got := T(l, key); len(want) == 0 && strings.Contains(got, "%!") {
				t.Errorf("%s in %s: %q", key, l, got)
			}
		}
	}
	var need []string
	for _, code := range []string{"no_document", "expired", "not_yet_issued", "missing_expires_on", "missing_issued_on",
		"missing_work_permission", "missing_curp", "missing_filing_state", "missing_named_employer", "outside_states",
		"other_employer", "not_allowed", "unverified", "other",
		"under_working_age", "minor_schooling", "minor_guardian", "minor_work_conditions"} {
		need = append(need, "why."+code, "step."+code)
	}
	for _, d := range models.DocumentTypes {
		if !d.ForMinors() {
			need = append(need, "doc."+string(d), "docx."+string(d))
		}
	}
	for _, e := range models.EducationLevels {
		need = append(need, "edu."+e)
	}
	for _, s := range models.ReferralStatuses {
		need = append(need, "stage."+string(s))
	}
	for m := 1; m <= 12; m++ {
		need = append(need, "month."+strconv.Itoa(m))
	}
	for _, k := range need {
		if !Has(k) {
			t.Errorf("the catalogue has no %s", k)
		}
	}
}

// TestCataloguePrinters: T formats in the language asked, falls back to Spanish for a
// language the pages do not speak, and Lang prefers the language chosen, then the
// browser's.
func TestCataloguePrinters(t *testing.T) {
	if got := T("ht", "home.hello", "Rose"); got != "Bonjou, Rose" {
		t.Errorf("ht: %q", got)
	}
	if got := T("de", "nav.data"); got != "Mis datos" {
		t.Errorf("de: %q", got)
	}
	for _, c := range []struct{ chosen, header, want string }{
		{"fr", "es", "fr"}, {"", "ht,fr;q=0.5", "ht"}, {"xx", "de, en;q=0.3", "en"}, {"", "en;q=0, fr", "fr"}, {"", "", "es"},
	} {
		if got := Lang(c.chosen, c.header); got != c.want {
			t.Errorf("Lang(%q, %q) = %q, want %q", c.chosen, c.header, got, c.want)
		}
	}
}
