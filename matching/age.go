package matching

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/vincula/vincula/models"
)

// ageRules are the legal age limits on work, read from the "age" section of the rules
// file. Age only gates: it never moves a score.
type ageRules struct {
	minimum int // below it, work is prohibited
	adult   int // from it, no age condition applies
	source  string
	// The texts of the decisions; "{date}" stands for the day the person reaches the
	// next age limit.
	childReason, childStep, adolescentReason, adolescentStep string
}

type ageFile struct {
	MinimumAge       int    `json:"minimum_age"`
	AdultAge         int    `json:"adult_age"`
	Source           string `json:"source"`
	ChildReason      string `json:"child_reason"`
	ChildStep        string `json:"child_next_step"`
	AdolescentReason string `json:"adolescent_reason"`
	AdolescentStep   string `json:"adolescent_next_step"`
	Notes            string `json:"notes"`
}

// parseAge checks the "age" section. A file without one takes the embedded file's, so
// a deployment that forgets the section still protects children; the embedded file must
// have it.
func parseAge(fe *models.FieldErrors, f *ageFile, embedded bool) ageRules {
	if f == nil {
		if embedded {
			fe.Add("age", "is missing: the embedded rules must carry the legal age limits")
			return ageRules{}
		}
		return embeddedAge()
	}
	return checkAge(fe, f)
}

// embeddedAge is the age section of the embedded rules file, read on its own so that
// other files can borrow it without loading the whole embedded file first.
var embeddedAge = sync.OnceValue(func() ageRules {
	var f struct {
		Age *ageFile `json:"age"`
	}
	var fe models.FieldErrors
	if err := json.Unmarshal(defaultRulesJSON, &f); err != nil || f.Age == nil {
		panic("matching: the embedded eligibility rules have no age section")
	}
	a := checkAge(&fe, f.Age)
	if len(fe) > 0 {
		panic("matching: the embedded age rules are invalid")
	}
	return a
})

// checkAge turns a decoded "age" section into ageRules, reporting what is wrong in fe.
func checkAge(fe *models.FieldErrors, f *ageFile) ageRules {
	a := ageRules{minimum: f.MinimumAge, adult: f.AdultAge, source: strings.TrimSpace(f.Source),
		childReason: f.ChildReason, childStep: f.ChildStep, adolescentReason: f.AdolescentReason, adolescentStep: f.AdolescentStep}
	if a.minimum < 1 || a.minimum > 18 {
		fe.Add("age.minimum_age", "%d is not a minimum working age (Mexican law says 15)", a.minimum)
	}
	if a.adult < a.minimum || a.adult > 21 {
		fe.Add("age.adult_age", "%d must be at least minimum_age and at most 21 (Mexican law says 18)", a.adult)
	}
	if a.source == "" {
		fe.Add("age.source", "is missing: say which law sets the age limits")
	}
	for _, t := range []struct{ field, text string }{{"child_reason", a.childReason}, {"child_next_step", a.childStep},
		{"adolescent_reason", a.adolescentReason}, {"adolescent_next_step", a.adolescentStep}} {
		if strings.TrimSpace(t.text) == "" {
			fe.Add("age."+t.field, "is missing")
		}
	}
	return a
}

// AgeOn returns the age in whole years of a person born on birth, on day on. A person
// born on 29 February turns a year older on 1 March in years without that day (as
// models.Date.AddYears counts), so the age and the birthday the decisions name agree.
func AgeOn(birth, on models.Date) int {
	bt, ot := birth.Time(), on.Time()
	years := ot.Year() - bt.Year()
	if on.Before(birth.AddYears(years)) {
		years--
	}
	return years
}

// gate refuses, on the work date, a person below the minimum age or, while vacancies do
// not declare the conditions adolescents may work under, below the adult age, writing
// the reason and the dated next step into dec. It reports true when it refused, and
// false when the person's age lets the decision go on to the documents;
// a profile without a birth date is decided on its documents (the birth date is
// required on every profile, so this only concerns records made before it was).
func (a ageRules) gate(c *models.Candidate, on models.Date, dec *Decision) bool {
	if c == nil || c.BirthDate.IsZero() {
		return false
	}
	age := AgeOn(c.BirthDate, on)
	switch {
	case age < a.minimum:
		dec.ProtectionPathway = true
		dec.Reasons = append(dec.Reasons, fmt.Sprintf("%s (%s)", a.childReason, a.source))
		dec.NextSteps = append(dec.NextSteps, strings.ReplaceAll(a.childStep, "{date}", c.BirthDate.AddYears(a.minimum).String()))
		return true
	case age < a.adult:
		dec.Reasons = append(dec.Reasons, fmt.Sprintf("%s (%s)", a.adolescentReason, a.source))
		dec.NextSteps = append(dec.NextSteps, strings.ReplaceAll(a.adolescentStep, "{date}", c.BirthDate.AddYears(a.adult).String()))
		return true
	}
	return false
}
