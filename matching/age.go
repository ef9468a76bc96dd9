package matching

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vincula/vincula/models"
)

// ageRules are the legal age limits on work, read from the "age" section of the rules
// file. Age only gates: it never moves a score.
type ageRules struct {
	minimum int // below it, work is prohibited
	adult   int // from it, no age condition applies
	// guardianUntil is the age until which an adolescent also needs a parent's or
	// guardian's authorisation (LFT art. 22: people of 15).
	guardianUntil int
	// basicEducation is the lowest education_level that counts as finished basic
	// education (LFT art. 22 Bis).
	basicEducation string
	// maxHours is the most hours a week an adolescent may work (LFT art. 177: six a day).
	maxHours int
	source   string
	// The texts of the decisions; "{date}" stands for the day the person reaches the
	// next age limit, "{hours}" for the hours a vacancy asks.
	childReason, childStep         string
	educationReason, educationStep string
	guardianReason, guardianStep   string
	unverifiedStep                 string
	adultStep                      string
	restrictions                   []restriction
	// translations holds the texts in the other languages of decisions: language,
	// then the text's key (a field name, or "restriction.", "refusal." or "unstated."
	// and a condition).
	translations map[string]map[string]string
}

// text returns the text under key in lang, or english when it has no translation.
func (a ageRules) text(lang, key, english string) string {
	if t := a.translations[lang][key]; t != "" {
		return t
	}
	return english
}

// ageTextKeys are the keys a translation of the age section may have.
func ageTextKeys() []string {
	keys := []string{"child_reason", "child_next_step", "education_reason", "education_next_step", "guardian_reason",
		"guardian_next_step", "unverified_next_step", "adult_next_step", "unstated." + condHours}
	for _, c := range conditions {
		keys = append(keys, "restriction."+c, "refusal."+c)
	}
	return keys
}

// The conditions of a vacancy an adolescent's work depends on.
const (
	condHazardous     = "hazardous"
	condNightWork     = "night_work"
	condServesAlcohol = "serves_alcohol"
	condHours         = "hours_per_week"
)

var conditions = []string{condHazardous, condNightWork, condServesAlcohol, condHours}

// restriction is one limit on the work of people of 15 to 17: what it is, for the
// decision's list, and the refusal when a vacancy breaks it.
type restriction struct {
	Condition string `json:"condition"`
	Text      string `json:"restriction"`
	Refusal   string `json:"refusal"`
	// Unstated is the refusal when the vacancy does not say (hours only).
	Unstated string `json:"unstated,omitempty"`
}

type ageFile struct {
	MinimumAge      int           `json:"minimum_age"`
	AdultAge        int           `json:"adult_age"`
	GuardianUntil   int           `json:"guardian_until_age"`
	BasicEducation  string        `json:"basic_education"`
	MaxHours        int           `json:"max_hours_per_week"`
	Source          string        `json:"source"`
	ChildReason     string        `json:"child_reason"`
	ChildStep       string        `json:"child_next_step"`
	EducationReason string        `json:"education_reason"`
	EducationStep   string        `json:"education_next_step"`
	GuardianReason  string        `json:"guardian_reason"`
	GuardianStep    string        `json:"guardian_next_step"`
	UnverifiedStep  string        `json:"unverified_next_step"`
	AdultStep       string        `json:"adult_next_step"`
	Restrictions    []restriction `json:"restrictions"`
	// Translations maps a language (es, fr, ht) to its texts, by the keys of
	// ageTextKeys.
	Translations map[string]map[string]string `json:"translations"`
	Notes        string                       `json:"notes"`
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
		panic("matching: the embedded age rules are invalid: " + fe.Err().Error())
	}
	return a
})

// checkAge turns a decoded "age" section into ageRules, reporting what is wrong in fe.
func checkAge(fe *models.FieldErrors, f *ageFile) ageRules {
	a := ageRules{minimum: f.MinimumAge, adult: f.AdultAge, guardianUntil: f.GuardianUntil,
		basicEducation: strings.TrimSpace(f.BasicEducation), maxHours: f.MaxHours, source: strings.TrimSpace(f.Source),
		childReason: f.ChildReason, childStep: f.ChildStep, educationReason: f.EducationReason, educationStep: f.EducationStep,
		guardianReason: f.GuardianReason, guardianStep: f.GuardianStep, unverifiedStep: f.UnverifiedStep, adultStep: f.AdultStep}
	if a.minimum < 1 || a.minimum > 18 {
		fe.Add("age.minimum_age", "%d is not a minimum working age (Mexican law says 15)", a.minimum)
	}
	if a.adult < a.minimum || a.adult > 21 {
		fe.Add("age.adult_age", "%d must be at least minimum_age and at most 21 (Mexican law says 18)", a.adult)
	}
	if a.guardianUntil < a.minimum || a.guardianUntil > a.adult {
		fe.Add("age.guardian_until_age", "%d must be between minimum_age and adult_age (Mexican law says 16: people of 15 need a guardian's authorisation)", a.guardianUntil)
	}
	if !slices.Contains(models.EducationLevels, a.basicEducation) {
		fe.Add("age.basic_education", "%q is not an education level (Mexican law: secondary)", a.basicEducation)
	}
	if a.maxHours < 1 || a.maxHours > models.MaxHoursPerWeek {
		fe.Add("age.max_hours_per_week", "%d is not a number of hours in a week (Mexican law: 36, six a day)", a.maxHours)
	}
	if a.source == "" {
		fe.Add("age.source", "is missing: say which law sets the age limits")
	}
	for _, t := range []struct{ field, text string }{{"child_reason", a.childReason}, {"child_next_step", a.childStep},
		{"education_reason", a.educationReason}, {"education_next_step", a.educationStep},
		{"guardian_reason", a.guardianReason}, {"guardian_next_step", a.guardianStep},
		{"unverified_next_step", a.unverifiedStep}, {"adult_next_step", a.adultStep}} {
		if strings.TrimSpace(t.text) == "" {
			fe.Add("age."+t.field, "is missing")
		}
	}
	seen := map[string]bool{}
	for i, r := range f.Restrictions {
		at := fmt.Sprintf("age.restrictions[%d]", i)
		switch {
		case !slices.Contains(conditions, r.Condition):
			fe.Add(at+".condition", "%q is not a vacancy condition (use %s)", r.Condition, strings.Join(conditions, ", "))
			continue
		case seen[r.Condition]:
			fe.Add(at+".condition", "%q appears twice", r.Condition)
			continue
		}
		seen[r.Condition] = true
		if strings.TrimSpace(r.Text) == "" || strings.TrimSpace(r.Refusal) == "" {
			fe.Add(at, "needs both the restriction and the refusal text")
		}
		if r.Condition == condHours && strings.TrimSpace(r.Unstated) == "" {
			fe.Add(at+".unstated", "is missing: what to say when a vacancy does not state its hours")
		}
		a.restrictions = append(a.restrictions, r)
	}
	for _, c := range conditions {
		if !seen[c] {
			// A missing restriction would let an adolescent into work the law forbids.
			fe.Add("age.restrictions", "has no entry for %q: every condition needs one", c)
		}
	}
	keys := ageTextKeys()
	for l, byKey := range f.Translations {
		at := "age.translations." + l
		if l == "en" || !validLang(l) {
			fe.Add(at, "%q is not a language to translate into (one of %s)", l, strings.Join(translatedLanguages, ", "))
			continue
		}
		for k, t := range byKey {
			switch {
			case !slices.Contains(keys, k):
				fe.Add(at+"."+k, "is not a text of the age section (one of %s)", strings.Join(keys, ", "))
			case strings.TrimSpace(t) == "":
				fe.Add(at+"."+k, "is empty")
			}
		}
	}
	a.translations = f.Translations
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

// gate applies the age limits on the work date before the documents are looked at. It
// refuses a person below the minimum age; a person of 15 to 17 without finished basic
// education or the labour authority's approval, or at 15 without a guardian's
// authorisation; and a person of 15 to 17 for a vacancy whose conditions they may not
// work under (q.Vacancy). It writes the reasons and the dated next steps into dec and
// reports true when it refused. For an adolescent it lets through, it lists the
// restrictions that apply in dec.Restrictions. A profile without a birth date is
// decided on its documents (the birth date is required on every profile, so this only
// concerns records made before it was).
// The situations of the age gate's refusals, in Decision.Codes (a page explains them in
// its own words).
const (
	whenUnderWorkingAge = "under_working_age"
	whenMinorSchooling  = "minor_schooling"
	whenMinorGuardian   = "minor_guardian"
	whenMinorConditions = "minor_work_conditions"
)

func (a ageRules) gate(c *models.Candidate, q Query, dec *Decision) bool {
	if c == nil || c.BirthDate.IsZero() {
		return false
	}
	on, lang := q.Date, q.Lang
	age := AgeOn(c.BirthDate, on)
	adultOn := c.BirthDate.AddYears(a.adult).String()
	dated := func(s, date string) string { return strings.ReplaceAll(s, "{date}", date) }
	if age < a.minimum {
		dec.ProtectionPathway = true
		dec.Codes = append(dec.Codes, whenUnderWorkingAge)
		dec.Reasons = append(dec.Reasons, fmt.Sprintf("%s (%s)", a.text(lang, "child_reason", a.childReason), a.source))
		dec.NextSteps = append(dec.NextSteps, dated(a.text(lang, "child_next_step", a.childStep), c.BirthDate.AddYears(a.minimum).String()))
		return true
	}
	if age >= a.adult {
		return false
	}
	refused := false
	refuse := func(code, reason, step string) {
		refused = true
		if !slices.Contains(dec.Codes, code) {
			dec.Codes = append(dec.Codes, code)
		}
		dec.Reasons = append(dec.Reasons, reason)
		if step != "" && !slices.Contains(dec.NextSteps, step) {
			dec.NextSteps = append(dec.NextSteps, step)
		}
	}
	if !a.educated(c) {
		if ok, unverified := hasRecord(c, models.DocAprobacionAutoridadLaboral, on); !ok {
			refuse(whenMinorSchooling, a.text(lang, "education_reason", a.educationReason), dated(a.text(lang, "education_next_step", a.educationStep), adultOn))
			if unverified {
				dec.NextSteps = append(dec.NextSteps, a.text(lang, "unverified_next_step", a.unverifiedStep))
			}
		}
	}
	if age < a.guardianUntil {
		if ok, unverified := hasRecord(c, models.DocAutorizacionTutor, on); !ok {
			refuse(whenMinorGuardian, a.text(lang, "guardian_reason", a.guardianReason), dated(a.text(lang, "guardian_next_step", a.guardianStep), c.BirthDate.AddYears(a.guardianUntil).String()))
			if step := a.text(lang, "unverified_next_step", a.unverifiedStep); unverified && !slices.Contains(dec.NextSteps, step) {
				dec.NextSteps = append(dec.NextSteps, step)
			}
		}
	}
	for _, r := range a.restrictions {
		dec.Restrictions = append(dec.Restrictions, dated(a.text(lang, "restriction."+r.Condition, r.Text), adultOn))
	}
	if v := q.Vacancy; v != nil && !refused {
		for _, r := range a.restrictions {
			refusal := a.text(lang, "refusal."+r.Condition, r.Refusal)
			switch r.Condition {
			case condHazardous:
				if v.IsHazardous() {
					refuse(whenMinorConditions, dated(refusal, adultOn), "")
				}
			case condNightWork:
				if v.NightWork {
					refuse(whenMinorConditions, dated(refusal, adultOn), "")
				}
			case condServesAlcohol:
				if v.ServesAlcohol {
					refuse(whenMinorConditions, dated(refusal, adultOn), "")
				}
			case condHours:
				switch {
				case v.HoursPerWeek == 0:
					refuse(whenMinorConditions, dated(a.text(lang, "unstated."+condHours, r.Unstated), adultOn), "")
				case v.HoursPerWeek > a.maxHours:
					refuse(whenMinorConditions, strings.ReplaceAll(dated(refusal, adultOn), "{hours}", strconv.Itoa(v.HoursPerWeek)), "")
				}
			}
		}
	}
	if refused {
		for i := range dec.Reasons {
			dec.Reasons[i] += " (" + a.source + ")"
		}
		dec.NextSteps = append(dec.NextSteps, dated(a.text(lang, "adult_next_step", a.adultStep), adultOn))
	}
	return refused
}

// educated reports whether c finished basic education.
func (a ageRules) educated(c *models.Candidate) bool {
	return slices.Index(models.EducationLevels, c.EducationLevel) >= slices.Index(models.EducationLevels, a.basicEducation)
}

// hasRecord reports whether c holds a verified record of type t that is in force on day
// on (issued by then, not expired), and whether an unverified one is waiting for staff.
func hasRecord(c *models.Candidate, t models.DocumentType, on models.Date) (ok, unverified bool) {
	for _, d := range c.Documents {
		if d.Type != t || (!d.IssuedOn.IsZero() && d.IssuedOn.After(on)) || (!d.ExpiresOn.IsZero() && on.After(d.ExpiresOn)) {
			continue
		}
		if d.Verified {
			return true, false
		}
		unverified = true
	}
	return false, unverified
}
