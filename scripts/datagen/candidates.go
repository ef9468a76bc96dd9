package datagen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/vincula/vincula/models"
)

const day = 24 * time.Hour

// docKinds is the order of the per-candidate document weights below.
var docKinds = [...]models.DocumentType{
	models.DocResidentePermanente, models.DocResidenteTemporal, models.DocVisitanteRazonesHumanitarias,
	models.DocVisitanteTrabajadorFronterizo, models.DocVisitanteActividadesRemuneradas,
	models.DocVisitanteRegional, models.DocConstanciaCOMAR, models.DocOther,
}

// baseDocWeights is the document mix of the hubs (in docKinds order): humanitarian
// visas and COMAR constancias above all, residents (many of them recognised refugees)
// next. The border documents depend on nationality and place and are added per person.
var baseDocWeights = [len(docKinds)]int{10, 12, 30, 0, 3, 1, 26, 6}

// docPrefixes start document numbers, one per type, so that a number is unique across
// the data set (prefix, then the candidate and document index).
var docPrefixes = [len(docKinds)]string{"RP", "RT", "RH", "TF", "AR", "VR", "CM", "P"}

// comarStates are where asylum claims are filed: COMAR's Tapachula office takes most.
var comarStates = newWeighted(
	choice[string]{"MX-CHP", 75}, choice[string]{"MX-TAB", 10}, choice[string]{"MX-VER", 7}, choice[string]{"MX-CMX", 8},
)

// borderStates are where the visitante trabajador fronterizo card allows work.
var borderStates = []string{"MX-CHP", "MX-TAB", "MX-CAM", "MX-ROO"}

var candidateStatuses = newWeighted(
	choice[models.CandidateStatus]{models.CandidateActive, 92},
	choice[models.CandidateStatus]{models.CandidateInactive, 5},
	choice[models.CandidateStatus]{models.CandidatePlaced, 3},
)

var genders = newWeighted(choice[string]{"F", 45}, choice[string]{"M", 54}, choice[string]{"X", 1})

// preferredCounts and desiredCounts are how many preferred states (of people willing to
// relocate) and desired occupations a profile lists.
var (
	preferredCounts = newWeighted(choice[int]{0, 15}, choice[int]{1, 35}, choice[int]{2, 30}, choice[int]{3, 20})
	desiredCounts   = newWeighted(choice[int]{0, 25}, choice[int]{1, 50}, choice[int]{2, 25})
)

// Candidate returns the i-th candidate (i from 0). It depends only on the Config and i,
// not on which other candidates were drawn, so callers may stream or parallelise.
func (g *Generator) Candidate(i int) models.Candidate {
	r := g.rng(streamCandidate, i)
	today := g.today
	nat := nationalities.pick(r)
	indigenous := nat.code == "GT" && chance(r, 30)
	place := candidatePlaces.pick(r)

	c := models.Candidate{
		ID:           fmt.Sprintf("cand-%08d", i),
		Nationality:  nat.code,
		Gender:       genders.pick(r),
		CurrentState: place.state,
		Municipality: place.municipality,
	}
	given, s1, s2 := personName(r, nat.culture, indigenous, c.Gender)
	c.FullName = strings.Join(slices.DeleteFunc([]string{given, s1, s2}, func(s string) bool { return s == "" }), " ")

	// Skewed towards people in their twenties and thirties, from 18 to 59; families
	// register their children too (see minorAge).
	age := 18 + min(r.IntN(42), r.IntN(42))
	if a, ok := minorAge(i); ok {
		age = a
	}
	c.BirthDate = today.AddYears(-age).AddDays(-r.IntN(365))

	daysAgo := r.IntN(540)
	created := today.Time().Add(-time.Duration(daysAgo)*day + time.Duration(8+r.IntN(10))*time.Hour + time.Duration(r.IntN(60))*time.Minute)
	c.CreatedAt = created
	c.UpdatedAt = created.Add(time.Duration(r.IntN(daysAgo+1)) * day)

	if chance(r, 92) {
		c.Hub = place.hub
	}
	if chance(r, 95) {
		c.Phone = phone(r, place.lada)
	}
	if chance(r, 30) {
		c.Email = email(r, given, s1)
	}

	c.Documents = g.documents(r, i, &c, place.state, age, created)
	needsCURP := false
	for _, d := range c.Documents {
		switch d.Type {
		case models.DocConstanciaCOMAR:
			needsCURP = needsCURP || chance(r, 85)
		case models.DocResidenteTemporal, models.DocResidentePermanente:
			needsCURP = needsCURP || chance(r, 90)
		}
	}
	if needsCURP {
		c.CURP = buildCURP(r, given, s1, s2, c.BirthDate, c.Gender)
	}

	c.WillingToRelocate = chance(r, 60)
	c.PreferredStates = []string{}
	if c.WillingToRelocate {
		n := preferredCounts.pick(r)
		for tries := 0; len(c.PreferredStates) < n && tries < 12; tries++ {
			s := preferredStates.pick(r)
			if s != c.CurrentState && !slices.Contains(c.PreferredStates, s) {
				c.PreferredStates = append(c.PreferredStates, s)
			}
		}
	}

	c.Languages = languages(r, nat, indigenous)
	g.trade(r, &c, nat, age)
	c.EducationLevel = models.EducationLevels[candidateEducation.pick(r)]
	c.AvailableFrom = today.AddDays(r.IntN(61) - 30)
	given0 := created
	c.Consent = models.Consent{ShareProfile: chance(r, 90), GivenAt: &given0}
	c.Status = candidateStatuses.pick(r)
	if age < 18 {
		minorRecords(i, age, &c)
	}
	return c
}

// minorAge makes one profile in 40 a person of 13 to 17, as families register their
// children at the hubs. It is decided by i alone, so the rest of the profile draws the
// same numbers as an adult's would.
func minorAge(i int) (int, bool) {
	if i%40 != 13 {
		return 0, false
	}
	return 13 + (i/40)%5, true
}

// minorRecords gives a minor's profile what the age rules read: no more schooling than
// the age allows (some 15 to 17-year-olds finished secondary school, some did not), and
// for some the labour authority's approval or a guardian's authorisation, checked by
// staff or not yet.
func minorRecords(i, age int, c *models.Candidate) {
	switch {
	case age < 15 || (i/40)%3 == 0:
		c.EducationLevel = "primary"
	default:
		c.EducationLevel = "secondary"
	}
	if age < 15 {
		return
	}
	on := models.DateOf(c.CreatedAt)
	record := func(typ models.DocumentType, kind string, verified bool) models.Document {
		d := models.Document{ID: fmt.Sprintf("doc-%08d-%s", i, kind), Type: typ, Number: fmt.Sprintf("%s-%08d", strings.ToUpper(kind), i), IssuedOn: on}
		if verified {
			at := c.CreatedAt.Add(time.Hour)
			d.Verified, d.VerifiedBy, d.VerifiedAt = true, fmt.Sprintf("hub-staff-%d", 1+i%60), &at
		}
		return d
	}
	if (i/40)%2 == 0 {
		c.Documents = append(c.Documents, record(models.DocAutorizacionTutor, "tutor", (i/40)%4 != 2))
	}
	if c.EducationLevel == "primary" && (i/40)%5 == 1 {
		c.Documents = append(c.Documents, record(models.DocAprobacionAutoridadLaboral, "stps", true))
	}
}

// personName draws a given name and one or two surnames of the person's culture. Some
// Guatemalans carry Mayan surnames; people with an X gender get a name of either list.
func personName(r *rand.Rand, cult culture, indigenous bool, gender string) (given, s1, s2 string) {
	nl := &names[cult]
	switch {
	case gender == "F", gender == "X" && chance(r, 50):
		given = oneOf(r, nl.female)
	default:
		given = oneOf(r, nl.male)
	}
	s1 = oneOf(r, nl.surnames)
	if indigenous {
		s1 = oneOf(r, mayanSurnames)
	}
	if nl.twoSurnames {
		s2 = oneOf(r, nl.surnames)
		if indigenous && chance(r, 50) {
			s2 = oneOf(r, mayanSurnames)
		}
	}
	return given, s1, s2
}

// phone returns a Mexican mobile number in the city's area code: +52 and ten digits.
func phone(r *rand.Rand, lada string) string {
	var b strings.Builder
	b.Grow(13)
	b.WriteString("+52")
	b.WriteString(lada)
	for range 10 - len(lada) {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// email returns an address made of the person's names, as people open them at the hubs.
func email(r *rand.Rand, given, surname string) string {
	first, _, _ := strings.Cut(models.Fold(given), " ")
	last := strings.ReplaceAll(models.Fold(surname), " ", "")
	return fmt.Sprintf("%s.%s%d@%s", first, last, r.IntN(1000), emailDomains.pick(r))
}

// level draws a language level between lo and hi (indexes into models.LanguageLevels).
func level(r *rand.Rand, lo, hi int) string {
	return models.LanguageLevels[lo+r.IntN(hi-lo+1)]
}

// Indexes into models.LanguageLevels.
const (
	a1 = iota
	a2
	b1
	b2
	c1
	c2
)

// languages draws what a person speaks: their mother tongue as native, Spanish at a
// level that depends on it, and English for some.
func languages(r *rand.Rand, nat nationality, indigenous bool) []models.LanguageSkill {
	langs := make([]models.LanguageSkill, 0, 3)
	add := func(code, lvl string) { langs = append(langs, models.LanguageSkill{Code: code, Level: lvl}) }
	english := func(percent, lo, hi int) {
		if chance(r, percent) {
			add("en", level(r, lo, hi))
		}
	}
	switch nat.culture {
	case cultureHispanic:
		if indigenous {
			add(mayanLanguages.pick(r), "native")
			if chance(r, 60) {
				add("es", "native")
			} else {
				add("es", level(r, b1, c1))
			}
		} else {
			add("es", "native")
		}
		english(12, a1, b2)
	case cultureHaitian:
		add("ht", "native")
		if chance(r, 65) {
			add("fr", level(r, b1, c2))
		}
		add("es", level(r, a1, c1))
		english(25, a1, b2)
	case cultureFrancophoneAfrica:
		add("fr", "native")
		if chance(r, 85) {
			add("es", level(r, a1, b1))
		}
		english(40, a2, b2)
	case cultureLusophone:
		add("pt", "native")
		add("es", level(r, a2, c1))
		english(20, a1, b2)
	case cultureAnglophoneAfrica:
		add("ak", "native")
		add("en", level(r, c1, c2))
		add("es", level(r, a1, b1))
	}
	return langs
}

// trade fills skills, experience and desired occupations from one sector of the
// vocabulary, in the language the person writes in.
func (g *Generator) trade(r *rand.Rand, c *models.Candidate, nat nationality, age int) {
	v := &g.vocab
	sector := candidateSectors.pick(r)
	mainLang := labelLanguages[nat.culture].pick(r)
	lang := func() string {
		if chance(r, 85) {
			return mainLang
		}
		return "es"
	}
	// Half-years of working life available for one job, capped at twelve years.
	maxHalfYears := max(1, min(2*(age-17), 24)) // half a year for a minor

	var occBuf [3]int
	occs := pickDistinct(r, occBuf[:0], v.occupations[sector], 1+r.IntN(3))
	c.Experience = make([]models.Experience, 0, len(occs))
	for _, o := range occs {
		e := models.Experience{
			Title: v.label(r, o, lang()),
			Years: 0.5 * float64(1+r.IntN(maxHalfYears)),
		}
		if chance(r, 60) {
			e.OccupationCode = v.occupationCode(o)
		}
		switch x := r.IntN(100); {
		case x < 75:
			e.Country = nat.code
		case x < 90:
			e.Country = "MX"
		}
		c.Experience = append(c.Experience, e)
	}

	nSkills := 2 + r.IntN(5)
	var skillBuf [6]int
	skills := pickDistinct(r, skillBuf[:0], v.skills[sector], nSkills-r.IntN(2))
	skills = pickDistinct(r, skills, v.generic, nSkills-len(skills))
	c.Skills = make([]models.CandidateSkill, 0, len(skills))
	for _, s := range skills {
		sk := models.CandidateSkill{Name: v.label(r, s, lang())}
		if chance(r, 50) {
			y := 0.5 * float64(1+r.IntN(min(maxHalfYears, 20)))
			sk.Years = &y
		}
		c.Skills = append(c.Skills, sk)
	}

	nDesired := desiredCounts.pick(r)
	var desired []int
	for range nDesired {
		pool := v.occupations[sector]
		if chance(r, 30) {
			pool = v.allOccupations
		}
		desired = pickDistinct(r, desired, pool, 1)
	}
	c.DesiredOccupations = make([]string, 0, len(desired))
	for _, o := range desired {
		c.DesiredOccupations = append(c.DesiredOccupations, v.label(r, o, lang()))
	}
}

// documents draws 0 to 2 immigration documents. About one person in eight carries an
// expired one (an old COMAR constancia, a humanitarian card not yet renewed), and about
// one document in seven has not been checked by hub staff yet.
func (g *Generator) documents(r *rand.Rand, i int, c *models.Candidate, state string, age int, created time.Time) []models.Document {
	var n int
	switch x := r.IntN(100); {
	case x < 8:
		n = 0
	case x < 70:
		n = 1
	default:
		n = 2
	}
	if n == 0 {
		return []models.Document{}
	}
	weights := baseDocWeights
	if c.Nationality == "GT" || c.Nationality == "HN" {
		weights[3] = 1
		if slices.Contains(borderStates, state) {
			weights[3] = 8
			if c.Nationality == "GT" {
				weights[3] = 22
			}
		}
	}
	if c.Nationality == "GT" {
		weights[5] = 10
	}
	expireOne := chance(r, 14)
	today := g.today
	docs := make([]models.Document, 0, n)
	for j := range n {
		k := pickIndex(r, weights[:])
		weights[k] = 0 // nobody holds two of a kind
		d := models.Document{
			ID:     fmt.Sprintf("doc-%08d-%d", i, j),
			Type:   docKinds[k],
			Number: fmt.Sprintf("%s%09d", docPrefixes[k], 2*i+j),
		}
		var length int // days of validity; 0 for a document that does not expire
		switch d.Type {
		case models.DocResidentePermanente:
			d.WorkPermission = true
		case models.DocResidenteTemporal:
			length = 365 * (1 + r.IntN(4))
			d.WorkPermission = chance(r, 55)
		case models.DocVisitanteRazonesHumanitarias:
			length = 365
			d.WorkPermission = true
		case models.DocVisitanteTrabajadorFronterizo:
			length = 180 + r.IntN(186)
			d.WorkPermission = true
		case models.DocVisitanteActividadesRemuneradas:
			length = 30 + r.IntN(151)
			d.WorkPermission = true
			d.EmployerID = g.employers[r.IntN(len(g.employers))].ID
		case models.DocVisitanteRegional:
			length = 365 * (1 + r.IntN(5))
		case models.DocConstanciaCOMAR:
			length = 30 + r.IntN(91)
			if slices.Contains([]string{"MX-CHP", "MX-TAB", "MX-VER", "MX-CMX"}, state) && chance(r, 70) {
				d.State = state
			} else {
				d.State = comarStates.pick(r)
			}
		case models.DocOther:
			// A passport most of the time, otherwise a paper with no expiry.
			if chance(r, 70) {
				length = 365 * (5 + 5*r.IntN(2))
			}
		}
		switch {
		case length == 0:
			d.IssuedOn = today.AddDays(-1 - r.IntN(365*max(1, min(age-17, 8))))
		case expireOne && (j == n-1 || r.IntN(2) == 0):
			expireOne = false
			d.ExpiresOn = today.AddDays(-1 - r.IntN(200))
			d.IssuedOn = d.ExpiresOn.AddDays(-length)
		default:
			d.IssuedOn = today.AddDays(-r.IntN(length))
			d.ExpiresOn = d.IssuedOn.AddDays(length)
		}
		if chance(r, 85) {
			d.Verified = true
			d.VerifiedBy = fmt.Sprintf("hub-staff-%d", 1+r.IntN(60))
			// Checked in office hours when the person registered or brought a newer
			// card, never before they registered and never after today.
			first := d.IssuedOn
			if reg := models.DateOf(created); first.Before(reg) {
				first = reg
			}
			at := first.AddDays(r.IntN(3)).Time().Add(time.Duration(9*60+r.IntN(9*60)) * time.Minute)
			if at.Before(created) {
				at = created.Add(time.Duration(5+r.IntN(120)) * time.Minute)
			}
			if last := today.Time().Add(18 * time.Hour); at.After(last) && last.After(created) {
				at = last
			}
			d.VerifiedAt = &at
		}
		docs = append(docs, d)
	}
	return docs
}

// pickIndex draws an index in proportion to weights; at least one weight is positive.
func pickIndex(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}
