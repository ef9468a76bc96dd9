package matching_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
)

// permanentResident is a person whose documents allow work anywhere, so that only age
// decides.
func permanentResident(born string) *models.Candidate {
	return &models.Candidate{ID: "c", BirthDate: models.MustDate(born), Documents: []models.Document{
		{ID: "rp", Type: models.DocResidentePermanente, Number: "RP1", Verified: true}}}
}

// TestAgeGateAroundBirthdays: on the day before, the day of and the day after turning
// 15 and 18, judged on the work date. Under 15 is never eligible and is marked for the
// protection pathway; 15 to 17 is not matched while vacancies cannot declare the
// conditions adolescents may work under; from 18 the documents decide.
func TestAgeGateAroundBirthdays(t *testing.T) {
	for _, tc := range []struct {
		name, born, on string
		eligible       bool
		child          bool
		stepFrom       string // the date the next step names
	}{
		{"13 years old", "2013-03-01", "2027-01-10", false, true, "2028-03-01"},
		{"the day before turning 15", "2012-03-01", "2027-02-28", false, true, "2027-03-01"},
		{"the day of turning 15", "2012-03-01", "2027-03-01", false, false, "2030-03-01"},
		{"the day after turning 15", "2012-03-01", "2027-03-02", false, false, "2030-03-01"},
		{"16 years old", "2010-06-15", "2026-12-01", false, false, "2028-06-15"},
		{"the day before turning 18", "2009-03-01", "2027-02-28", false, false, "2027-03-01"},
		{"the day of turning 18", "2009-03-01", "2027-03-01", true, false, ""},
		{"the day after turning 18", "2009-03-01", "2027-03-02", true, false, ""},
		{"born on 29 February, 28 February of the 18th year", "2008-02-29", "2026-02-28", false, false, "2026-03-01"},
		{"born on 29 February, 1 March of the 18th year", "2008-02-29", "2026-03-01", true, false, ""},
		{"born on 29 February, 15th birthday in a leap year", "2012-02-29", "2027-02-28", false, true, "2027-03-01"},
		{"an adult", "1990-05-05", "2026-12-01", true, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := permanentResident(tc.born)
			d := matching.Eligibility(c, matching.Query{State: "MX-NLE", Date: models.MustDate(tc.on)}, nil)
			if d.Eligible != tc.eligible || d.ProtectionPathway != tc.child {
				t.Fatalf("eligible %v, protection pathway %v; want %v, %v (%v)", d.Eligible, d.ProtectionPathway, tc.eligible, tc.child, d.Reasons)
			}
			if tc.eligible {
				if len(d.Reasons) != 0 || d.Basis == nil {
					t.Fatalf("an adult with a permanent residence card: %+v", d)
				}
				return
			}
			if len(d.Reasons) != 1 || !strings.Contains(d.Reasons[0], "Ley Federal del Trabajo") || d.Basis != nil {
				t.Fatalf("the refusal should give the age reason with its source: %+v", d)
			}
			if len(d.NextSteps) != 1 || !strings.Contains(d.NextSteps[0], tc.stepFrom) {
				t.Fatalf("next steps %q should name %s", d.NextSteps, tc.stepFrom)
			}
			if tc.child != strings.Contains(d.NextSteps[0], "DIF") {
				t.Fatalf("the protection pathway is for children under 15 only: %q", d.NextSteps)
			}
			if sum := matching.Summarize(c, models.MustDate(tc.on), nil); sum.EligibleSomewhere || len(sum.States) != 0 {
				t.Fatalf("the staff summary says eligible somewhere: %+v", sum)
			}
		})
	}
}

func TestAgeOn(t *testing.T) {
	for _, tc := range []struct {
		born, on string
		want     int
	}{
		{"2000-01-01", "2000-01-01", 0},
		{"2000-01-02", "2018-01-01", 17},
		{"2000-01-02", "2018-01-02", 18},
		{"2004-02-29", "2005-02-28", 0},
		{"2004-02-29", "2005-03-01", 1},
		{"2004-02-29", "2008-02-29", 4},
	} {
		if got := matching.AgeOn(models.MustDate(tc.born), models.MustDate(tc.on)); got != tc.want {
			t.Errorf("born %s, on %s: %d, want %d", tc.born, tc.on, got, tc.want)
		}
	}
}

// TestAgeRulesAreData: a rules file may set its own age limits and must say where they
// come from; one without an age section takes the embedded limits.
func TestAgeRulesAreData(t *testing.T) {
	base := string(embeddedRules(t))
	bad := strings.Replace(base, `"minimum_age": 15`, `"minimum_age": 0`, 1)
	if _, err := matching.LoadRules([]byte(bad)); err == nil || !strings.Contains(err.Error()+fieldsOf(err), "age.minimum_age") {
		t.Fatalf("a minimum age of 0 was accepted: %v", err)
	}
	start, end := strings.Index(base, `  "age": {`), strings.Index(base, `  "rules": [`)
	without, err := matching.LoadRules([]byte(base[:start] + base[end:]))
	if err != nil {
		t.Fatal(err)
	}
	d := matching.Eligibility(permanentResident("2013-03-01"), matching.Query{State: "MX-NLE", Date: models.MustDate("2027-01-10")}, without)
	if d.Eligible || !d.ProtectionPathway {
		t.Fatalf("rules without an age section let a 13-year-old work: %+v", d)
	}
}

func embeddedRules(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("rules/eligibility.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// fieldsOf lists the field names of a validation error.
func fieldsOf(err error) string {
	var e *models.Error
	if !errors.As(err, &e) {
		return ""
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Field)
	}
	return strings.Join(names, " ")
}
