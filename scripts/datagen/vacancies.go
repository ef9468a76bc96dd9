package datagen

import (
	"fmt"
	"strings"
	"time"

	"github.com/vincula/vincula/models"
)

var vacancyStatuses = newWeighted(
	choice[models.VacancyStatus]{models.VacancyOpen, 85},
	choice[models.VacancyStatus]{models.VacancyPaused, 5},
	choice[models.VacancyStatus]{models.VacancyFilled, 5},
	choice[models.VacancyStatus]{models.VacancyClosed, 5},
)

// titleSuffixes are what employers add to an occupation to make a job title.
var titleSuffixes = newWeighted(
	choice[string]{"", 70}, choice[string]{" (turno matutino)", 6}, choice[string]{" (turno nocturno)", 6},
	choice[string]{" con experiencia", 6}, choice[string]{" (temporada)", 6}, choice[string]{" — contratación inmediata", 6},
)

// spanishLevels is the Spanish a vacancy asks for; "" asks for none.
var spanishLevels = newWeighted(choice[string]{"A2", 55}, choice[string]{"B1", 30}, choice[string]{"", 15})

// Vacancy returns the i-th vacancy (i from 0), posted by one of Employers(). Like
// Candidate, it depends only on the Config and i.
func (g *Generator) Vacancy(i int) models.Vacancy {
	r := g.rng(streamVacancy, i)
	v := &g.vocab
	today := g.today
	e := &g.employers[r.IntN(len(g.employers))]

	// Most vacancies are at the employer's own site; some are at another plant.
	home := employerStateIndex(e.State)
	stIdx := home
	if chance(r, 15) {
		stIdx = employerStateTable.pick(r)
	}
	st := &employerStates[stIdx]
	muni := oneOf(r, st.municipalities)
	if stIdx == home && chance(r, 70) {
		muni = e.Municipality
	}
	sector := e.Sector
	if chance(r, 15) {
		sector = sectorsByRegion[st.region].pick(r)
	}

	lang := "es"
	if chance(r, 10) {
		lang = "en"
	}
	occ := oneOf(r, v.occupations[sector])
	vac := models.Vacancy{
		ID:                 fmt.Sprintf("vac-%07d", i),
		EmployerID:         e.ID,
		Title:              capitalise(v.label(r, occ, lang)) + titleSuffixes.pick(r),
		OccupationCode:     v.occupationCode(occ),
		MinExperienceYears: float64(r.IntN(4)),
		EducationLevel:     models.EducationLevels[vacancyEducation.pick(r)],
		State:              st.code,
		Municipality:       muni,
		Positions:          1 + r.IntN(1+r.IntN(40)),
		StartDate:          today.AddDays(r.IntN(61)),
		Status:             vacancyStatuses.pick(r),
	}
	// Managers and professionals (ISCO major groups 1 and 2) are hired with a degree,
	// technicians (3) with at least a technical diploma.
	switch code := v.concepts[occ].ISCO; code[0] {
	case '1', '2':
		vac.EducationLevel = "university"
	case '3':
		if vac.EducationLevel != "university" {
			vac.EducationLevel = "technical"
		}
	}

	n := 2 + r.IntN(4)
	var buf [6]int
	skills := buf[:0]
	if rel := v.relatedSkills[occ]; len(rel) > 0 {
		skills = pickDistinct(r, skills, rel, 1)
	}
	skills = pickDistinct(r, skills, v.skills[sector], n-len(skills))
	skills = pickDistinct(r, skills, v.generic, n-len(skills))
	vac.Skills = make([]models.VacancySkill, 0, len(skills))
	required := max(1, len(skills)/2)
	for k, s := range skills {
		vac.Skills = append(vac.Skills, models.VacancySkill{Name: v.label(r, s, lang), Required: k < required})
	}

	vac.Languages = []models.LanguageSkill{}
	if lvl := spanishLevels.pick(r); lvl != "" {
		vac.Languages = append(vac.Languages, models.LanguageSkill{Code: "es", Level: lvl})
	}
	englishShare := 10
	if st.region == regionResort || sector == "hospitality" {
		englishShare = 40
	}
	if chance(r, englishShare) {
		vac.Languages = append(vac.Languages, models.LanguageSkill{Code: "en", Level: "B1"})
	}

	switch x := r.IntN(100); {
	case x < 10: // no salary stated
	case x < 20:
		lo := 7500 + 500*r.IntN(26)
		vac.SalaryMin = &lo
	default:
		lo := 7500 + 500*r.IntN(26)
		hi := min(lo+500*r.IntN(11), 25000)
		vac.SalaryMin, vac.SalaryMax = &lo, &hi
	}
	if chance(r, 60) {
		vac.EndDate = vac.StartDate.AddDays(90 + r.IntN(276))
	}
	relocation := 8
	if st.region == regionNorth || st.region == regionCentre {
		relocation = 30
	}
	vac.RelocationSupport = chance(r, relocation)
	switch vac.Status {
	case models.VacancyFilled:
		vac.PositionsFilled = vac.Positions
	case models.VacancyOpen:
		vac.PositionsFilled = r.IntN(1 + vac.Positions/3)
	default:
		vac.PositionsFilled = r.IntN(1 + vac.Positions/2)
	}
	vac.Description = description(&vac, st.code)

	daysAgo := r.IntN(45)
	vac.CreatedAt = today.Time().Add(-time.Duration(daysAgo)*day + time.Duration(8+r.IntN(10))*time.Hour + time.Duration(r.IntN(60))*time.Minute)
	vac.UpdatedAt = vac.CreatedAt.Add(time.Duration(r.IntN(daysAgo+1)) * day)
	workConditions(i, &vac)
	return vac
}

// workConditions states the conditions an adolescent's work depends on, by i alone so
// the rest of the vacancy draws what it did before they existed: most jobs are the
// 48-hour legal week, some part-time, some not stated; a few are at night or where
// alcohol is served. hazardous is left to the occupation.
func workConditions(i int, v *models.Vacancy) {
	v.HoursPerWeek = []int{48, 48, 48, 40, 36, 30, 24, 0}[i%8]
	v.NightWork = i%11 == 3
	v.ServesAlcohol = i%17 == 5
}

// description writes the short Spanish text employers put under a title.
func description(v *models.Vacancy, state string) string {
	var b strings.Builder
	b.Grow(256)
	b.WriteString(v.Title)
	b.WriteString(" en ")
	b.WriteString(v.Municipality)
	if s, ok := models.StateByCode(state); ok {
		b.WriteString(", ")
		b.WriteString(s.Name)
	}
	b.WriteString(". Se requiere: ")
	for k, s := range v.Skills {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.Name)
	}
	switch {
	case v.MinExperienceYears == 1:
		b.WriteString("; 1 año de experiencia")
	case v.MinExperienceYears > 0:
		fmt.Fprintf(&b, "; %g años de experiencia", v.MinExperienceYears)
	}
	b.WriteString(". Ofrecemos prestaciones de ley")
	if v.RelocationSupport {
		b.WriteString(", apoyo para reubicación y transporte")
	}
	b.WriteString(".")
	return b.String()
}
