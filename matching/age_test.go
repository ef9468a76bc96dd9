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

// adolescentReady is a permanent resident who finished secondary school and holds a
// guardian's authorisation checked by staff, so that only age and the vacancy decide.
func adolescentReady(born string) *models.Candidate {
	c := permanentResident(born)
	c.EducationLevel = "secondary"
	c.Documents = append(c.Documents, models.Document{ID: "tutor", Type: models.DocAutorizacionTutor, IssuedOn: models.MustDate("2020-01-01"), Verified: true})
	return c
}

// shop is a daytime shop job of 30 hours a week: work a person of 15 to 17 may take.
func shop() *models.Vacancy {
	no := false
	return &models.Vacancy{ID: "v-shop", EmployerID: "e1", Title: "Ayudante de tienda", OccupationCode: "5223", State: "MX-NLE",
		Hazardous: &no, HoursPerWeek: 30}
}

// TestAgeGateAroundBirthdays: on the day before, the day of and the day after turning
// 15 and 18, judged on the work date, for a person who has what the law asks of an
// adolescent. Under 15 is never eligible and is marked for the protection pathway; 15
// to 17 is eligible with the restrictions listed; from 18 none apply.
func TestAgeGateAroundBirthdays(t *testing.T) {
	for _, tc := range []struct {
		name, born, on string
		eligible       bool
		child          bool
		until          string // the date the next step or the restrictions name
	}{
		{"13 years old", "2013-03-01", "2027-01-10", false, true, "2028-03-01"},
		{"the day before turning 15", "2012-03-01", "2027-02-28", false, true, "2027-03-01"},
		{"the day of turning 15", "2012-03-01", "2027-03-01", true, false, "2030-03-01"},
		{"the day after turning 15", "2012-03-01", "2027-03-02", true, false, "2030-03-01"},
		{"16 years old", "2010-06-15", "2026-12-01", true, false, "2028-06-15"},
		{"the day before turning 18", "2009-03-01", "2027-02-28", true, false, "2027-03-01"},
		{"the day of turning 18", "2009-03-01", "2027-03-01", true, false, ""},
		{"the day after turning 18", "2009-03-01", "2027-03-02", true, false, ""},
		{"born on 29 February, 28 February of the 18th year", "2008-02-29", "2026-02-28", true, false, "2026-03-01"},
		{"born on 29 February, 1 March of the 18th year", "2008-02-29", "2026-03-01", true, false, ""},
		{"born on 29 February, 15th birthday in a leap year", "2012-02-29", "2027-02-28", false, true, "2027-03-01"},
		{"an adult", "1990-05-05", "2026-12-01", true, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := adolescentReady(tc.born)
			on := models.MustDate(tc.on)
			d := matching.Eligibility(c, matching.Query{State: "MX-NLE", Date: on}, nil)
			if d.Eligible != tc.eligible || d.ProtectionPathway != tc.child {
				t.Fatalf("eligible %v, protection pathway %v; want %v, %v (%v)", d.Eligible, d.ProtectionPathway, tc.eligible, tc.child, d.Reasons)
			}
			sum := matching.Summarize(c, on, nil)
			if sum.EligibleSomewhere != tc.eligible {
				t.Fatalf("the staff summary says eligible somewhere = %v: %+v", sum.EligibleSomewhere, sum)
			}
			if tc.child {
				if len(d.Reasons) != 1 || !strings.Contains(d.Reasons[0], "Ley Federal del Trabajo") || d.Basis != nil {
					t.Fatalf("the refusal should give the age reason with its source: %+v", d)
				}
				if len(d.NextSteps) != 1 || !strings.Contains(d.NextSteps[0], tc.until) || !strings.Contains(d.NextSteps[0], "DIF") {
					t.Fatalf("next steps %q should name the protection pathway and %s", d.NextSteps, tc.until)
				}
				return
			}
			if d.Basis == nil || len(d.Reasons) != 0 {
				t.Fatalf("a person with a permanent residence card: %+v", d)
			}
			if tc.until == "" {
				if len(d.Restrictions) != 0 {
					t.Fatalf("an adult has no restrictions: %q", d.Restrictions)
				}
				return
			}
			if len(d.Restrictions) != 4 {
				t.Fatalf("an adolescent's decision lists the four restrictions: %q", d.Restrictions)
			}
			for _, r := range d.Restrictions {
				if !strings.Contains(r, tc.until) {
					t.Fatalf("restriction %q should say it ends on %s", r, tc.until)
				}
			}
		})
	}
}

// TestAdolescentPrerequisites: people of 15 to 17 need finished basic education or the
// labour authority's approval, and at 15 also a guardian's authorisation, each checked by
// staff and in force on the work date; around the 16th birthday the authorisation stops
// being needed.
func TestAdolescentPrerequisites(t *testing.T) {
	record := func(typ models.DocumentType, verified bool, expires string) models.Document {
		d := models.Document{ID: string(typ), Type: typ, IssuedOn: models.MustDate("2026-01-01"), Verified: verified}
		if expires != "" {
			d.ExpiresOn = models.MustDate(expires)
		}
		return d
	}
	for _, tc := range []struct {
		name, born, on, education string
		records                   []models.Document
		eligible                  bool
		reasonHas, stepHas        string
	}{
		{"16, secondary finished", "2010-06-15", "2026-12-01", "secondary", nil, true, "", ""},
		{"16, university", "2010-06-15", "2026-12-01", "university", nil, true, "", ""},
		{"16, primary only", "2010-06-15", "2026-12-01", "primary", nil, false, "basic education", "2028-06-15"},
		{"16, no education on file", "2010-06-15", "2026-12-01", "", nil, false, "basic education", "aprobacion_autoridad_laboral"},
		{"16, primary, approval not yet checked", "2010-06-15", "2026-12-01", "primary",
			[]models.Document{record(models.DocAprobacionAutoridadLaboral, false, "")}, false, "basic education", "nobody has checked"},
		{"16, primary, approval checked", "2010-06-15", "2026-12-01", "primary",
			[]models.Document{record(models.DocAprobacionAutoridadLaboral, true, "")}, true, "", ""},
		{"16, primary, approval expired before the work date", "2010-06-15", "2026-12-01", "primary",
			[]models.Document{record(models.DocAprobacionAutoridadLaboral, true, "2026-11-30")}, false, "basic education", ""},
		{"15, secondary, no guardian", "2011-06-15", "2026-12-01", "secondary", nil, false, "parent or guardian", "2027-06-15"},
		{"15, secondary, guardian not yet checked", "2011-06-15", "2026-12-01", "secondary",
			[]models.Document{record(models.DocAutorizacionTutor, false, "")}, false, "parent or guardian", "nobody has checked"},
		{"15, secondary, guardian checked", "2011-06-15", "2026-12-01", "secondary",
			[]models.Document{record(models.DocAutorizacionTutor, true, "")}, true, "", ""},
		{"the day before turning 16, no guardian", "2010-12-02", "2026-12-01", "secondary", nil, false, "parent or guardian", "2026-12-02"},
		{"the day of turning 16, no guardian", "2010-12-01", "2026-12-01", "secondary", nil, true, "", ""},
		{"15, neither", "2011-06-15", "2026-12-01", "none", nil, false, "basic education", "parent or guardian"},
		{"18, primary, no records", "2008-06-15", "2026-12-01", "primary", nil, true, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := permanentResident(tc.born)
			c.EducationLevel = tc.education
			c.Documents = append(c.Documents, tc.records...)
			d := matching.Eligibility(c, matching.Query{State: "MX-NLE", Date: models.MustDate(tc.on)}, nil)
			if d.Eligible != tc.eligible {
				t.Fatalf("eligible = %v, want %v: %q %q", d.Eligible, tc.eligible, d.Reasons, d.NextSteps)
			}
			if tc.eligible {
				if d.Basis == nil || d.Basis.DocumentType != models.DocResidentePermanente {
					t.Fatalf("the basis must be the residence card, never an adolescent's record: %+v", d.Basis)
				}
				return
			}
			if d.ProtectionPathway {
				t.Fatal("an adolescent is not on the protection pathway")
			}
			all := strings.Join(d.Reasons, " | ")
			if !strings.Contains(all, tc.reasonHas) || !strings.Contains(all, "Ley Federal del Trabajo") {
				t.Fatalf("reasons %q should say %q and cite the law", d.Reasons, tc.reasonHas)
			}
			steps := strings.Join(append(d.NextSteps, d.Reasons...), " | ")
			if !strings.Contains(steps, tc.stepHas) {
				t.Fatalf("reasons and next steps %q should say %q", steps, tc.stepHas)
			}
			if sum := matching.Summarize(c, models.MustDate(tc.on), nil); sum.EligibleSomewhere {
				t.Fatalf("the staff summary says eligible somewhere: %+v", sum)
			}
		})
	}
}

// TestAdolescentVacancyConditions: a person of 15 to 17 is matched only to vacancies
// that are not hazardous, not night work, not in places serving alcohol and of at most
// 36 hours a week, each restriction on its own; a dangerous occupation makes a vacancy
// hazardous unless declared otherwise; a vacancy that starts after the 18th birthday
// has no such limits.
func TestAdolescentVacancyConditions(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name     string
		born, on string
		vacancy  func(v *models.Vacancy)
		eligible bool
		says     string
	}{
		{"a daytime shop job of 30 hours", "2010-06-15", "2026-12-01", func(*models.Vacancy) {}, true, ""},
		{"36 hours, the limit", "2010-06-15", "2026-12-01", func(v *models.Vacancy) { v.HoursPerWeek = 36 }, true, ""},
		{"37 hours", "2010-06-15", "2026-12-01", func(v *models.Vacancy) { v.HoursPerWeek = 37 }, false, "37 hours a week"},
		{"48 hours", "2010-06-15", "2026-12-01", func(v *models.Vacancy) { v.HoursPerWeek = 48 }, false, "48 hours a week"},
		{"hours not stated", "2010-06-15", "2026-12-01", func(v *models.Vacancy) { v.HoursPerWeek = 0 }, false, "does not say how many hours"},
		{"declared hazardous", "2010-06-15", "2026-12-01", func(v *models.Vacancy) { v.Hazardous = &yes }, false, "dangerous or unhealthy"},
		{"night work", "2010-06-15", "2026-12-01", func(v *models.Vacancy) { v.NightWork = true }, false, "night work"},
		{"serves alcohol", "2010-06-15", "2026-12-01", func(v *models.Vacancy) { v.ServesAlcohol = true }, false, "serves alcohol"},
		{"a forklift job not declared: hazardous by its occupation", "2010-06-15", "2026-12-01",
			func(v *models.Vacancy) { v.Title, v.OccupationCode, v.Hazardous = "Montacarguista", "8344", nil }, false, "dangerous or unhealthy"},
		{"a welder by title only: hazardous by the vocabulary", "2010-06-15", "2026-12-01",
			func(v *models.Vacancy) { v.Title, v.OccupationCode, v.Hazardous = "Soldador", "", nil }, false, "dangerous or unhealthy"},
		{"a forklift job an admin declared not hazardous", "2010-06-15", "2026-12-01",
			func(v *models.Vacancy) { v.Title, v.OccupationCode, v.Hazardous = "Montacarguista", "8344", &no }, true, ""},
		{"hazardous, the day before turning 18", "2009-03-01", "2027-02-28", func(v *models.Vacancy) { v.Hazardous = &yes }, false, "2027-03-01"},
		{"hazardous, the day of turning 18", "2009-03-01", "2027-03-01", func(v *models.Vacancy) { v.Hazardous = &yes }, true, ""},
		{"48 hours at night in a bar, an adult", "1999-03-01", "2027-03-01",
			func(v *models.Vacancy) { v.HoursPerWeek, v.NightWork, v.ServesAlcohol = 48, true, true }, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := shop()
			tc.vacancy(v)
			on := models.MustDate(tc.on)
			d := matching.Eligibility(adolescentReady(tc.born), matching.VacancyQuery(v, on), nil)
			if d.Eligible != tc.eligible {
				t.Fatalf("eligible = %v, want %v: %q", d.Eligible, tc.eligible, d.Reasons)
			}
			if !tc.eligible {
				all := strings.Join(append(d.Reasons, d.NextSteps...), " | ")
				if !strings.Contains(all, tc.says) || !strings.Contains(all, "Ley Federal del Trabajo") {
					t.Fatalf("the refusal %q should say %q and cite the law", all, tc.says)
				}
			}
			// Without the vacancy the same person on the same day is eligible: only
			// the vacancy's conditions refused.
			if d := matching.Eligibility(adolescentReady(tc.born), matching.Query{State: v.State, Date: on, EmployerID: v.EmployerID}, nil); !d.Eligible {
				t.Fatalf("without the vacancy: %q", d.Reasons)
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
