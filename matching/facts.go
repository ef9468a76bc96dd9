package matching

import (
	"slices"
	"strings"
	"sync"

	"github.com/vincula/vincula/models"
)

// Facts is what Eligibility reads of one candidate (birth date and education, whether a CURP is on
// file, nationality, documents without their numbers), with each document's date-free
// checks done once, so that the same candidate can be decided for many places and days
// in a few comparisons. Eligible and EligibleSomewhere run the same tests as
// Eligibility and Summarize, through the same functions; a candidate below the adult
// age on the day asked is decided by Eligibility (or Summarize) itself, so every age
// rule applies as written there. A Facts is never changed after NewFacts and is safe for
// concurrent use.
type Facts struct {
	rules *Rules
	c     models.Candidate
	docs  []docCheck
	// adultFrom is the day the candidate reaches the adult age (zero without a birth
	// date): AgeOn(birth, day) < adult exactly on the days before it.
	adultFrom models.Date
	// states is, per document, the states it allows work in as bits of stateBit
	// (outsideStates in a few instructions instead of 32 string comparisons).
	states []uint64
}

// stateBit numbers the state codes for Facts' bit sets.
var stateBit = sync.OnceValue(func() map[string]uint64 {
	m := map[string]uint64{}
	for i, code := range models.StateCodes() {
		m[code] = 1 << i
	}
	return m
})

// NewFacts compiles the eligibility facts of c under rules (nil means DefaultRules).
func NewFacts(c *models.Candidate, rules *Rules) *Facts {
	if rules == nil {
		rules = DefaultRules()
	}
	f := &Facts{rules: rules, c: models.Candidate{ID: c.ID, BirthDate: c.BirthDate, Nationality: c.Nationality, EducationLevel: c.EducationLevel}}
	if strings.TrimSpace(c.CURP) != "" {
		f.c.CURP = "on file" // only whether there is one is read
	}
	f.c.Documents = slices.Clone(c.Documents)
	for i := range f.c.Documents {
		f.c.Documents[i].Number, f.c.Documents[i].VerifiedBy = "", ""
	}
	if !c.BirthDate.IsZero() {
		f.adultFrom = c.BirthDate.AddYears(rules.age.adult)
	}
	f.docs = make([]docCheck, len(f.c.Documents))
	f.states = make([]uint64, len(f.c.Documents))
	for i := range f.c.Documents {
		f.docs[i] = rules.check(&f.c, i, models.Date{}, "")
		for _, st := range f.docs[i].states {
			f.states[i] |= stateBit()[st]
		}
	}
	return f
}

// Candidate is the candidate as the facts hold it: only what eligibility reads.
func (f *Facts) Candidate() *models.Candidate { return &f.c }

// minorOn reports whether the candidate is below the adult age on day on, when the age
// rules decide before the documents do.
func (f *Facts) minorOn(on models.Date) bool {
	return !f.adultFrom.IsZero() && on.Before(f.adultFrom)
}

// Eligible is Eligibility(c, q, rules).Eligible for the candidate of f.
func (f *Facts) Eligible(q Query) bool {
	if q.Date.IsZero() || !models.ValidState(q.State) {
		return false
	}
	if f.minorOn(q.Date) {
		return Eligibility(&f.c, q, f.rules).Eligible
	}
	bit := stateBit()[q.State]
	for i := range f.docs {
		d := &f.docs[i]
		// outsideStates(q): the document names states, and not q's (a valid code, so
		// one of the bits).
		outside := len(d.states) > 0 && f.states[i]&bit == 0
		if d.ok() && !d.notYetIssued(q.Date) && !d.expiredOn(q.Date) && !(d.placed() && (outside || d.otherEmployer(q))) {
			return true
		}
	}
	return false
}

// EligibleSomewhere is Summarize(c, today, rules).EligibleSomewhere for the candidate
// of f.
func (f *Facts) EligibleSomewhere(today models.Date) bool {
	if today.IsZero() {
		return false
	}
	if f.minorOn(today) {
		return Summarize(&f.c, today, f.rules).EligibleSomewhere
	}
	for i := range f.docs {
		d := &f.docs[i]
		if d.ok() && !d.notYetIssued(today) && !d.expiredOn(today) {
			return true
		}
	}
	return false
}
