package importer

import (
	"fmt"
	"strings"

	"github.com/vincula/vincula/models"
)

// column is one of the canonical columns an import row may have.
type column int

const (
	colExternalID column = iota
	colEmployerName
	colRFC
	colEmployerState
	colTitle
	colDescription
	colOccupationCode
	colSkills
	colRequiredSkills
	colOptionalSkills
	colLanguages
	colMinExperience
	colEducation
	colState
	colMunicipality
	colSalaryMin
	colSalaryMax
	colPositions
	colStartDate
	colEndDate
	colRelocation
	colHazardous
	colNightWork
	colServesAlcohol
	colHoursPerWeek
	colStatus
	numColumns
)

// columnSpec names a canonical column: its API name (also accepted as a header), the
// Spanish name used in messages about a missing column, and the other headers that
// mean it. Headers are compared folded (models.Fold) and without spaces, so accents,
// case, punctuation and spacing do not matter.
type columnSpec struct {
	name    string
	spanish string
	aliases []string
}

var columnSpecs = [numColumns]columnSpec{
	colExternalID:     {"external_id", "ID externo", []string{"id externo", "id", "folio", "clave", "clave de la vacante", "id de la vacante", "id vacante", "external id"}},
	colEmployerName:   {"employer_name", "Empresa", []string{"empresa", "employer", "employer name", "company", "razón social", "nombre de la empresa", "nombre empresa", "empleador"}},
	colRFC:            {"rfc", "RFC", []string{"rfc de la empresa", "rfc empresa", "employer rfc"}},
	colEmployerState:  {"employer_state", "Estado de la empresa", []string{"estado de la empresa", "entidad de la empresa", "estado empresa", "employer state"}},
	colTitle:          {"title", "Puesto", []string{"puesto", "vacante", "nombre del puesto", "nombre de la vacante", "job title", "cargo"}},
	colDescription:    {"description", "Descripción", []string{"descripción", "funciones", "descripción del puesto", "actividades"}},
	colOccupationCode: {"occupation_code", "Código de ocupación", []string{"código de ocupación", "ocupación isco", "isco", "isco 08", "código isco", "occupation code"}},
	colSkills:         {"skills", "Habilidades", []string{"habilidades", "competencias"}},
	colRequiredSkills: {"required_skills", "Habilidades requeridas", []string{"habilidades requeridas", "competencias requeridas", "required skills"}},
	colOptionalSkills: {"optional_skills", "Habilidades deseables", []string{"habilidades deseables", "competencias deseables", "optional skills"}},
	colLanguages:      {"languages", "Idiomas", []string{"idiomas", "idioma", "lenguas"}},
	colMinExperience:  {"min_experience_years", "Experiencia mínima", []string{"experiencia mínima", "años de experiencia", "experiencia", "experience", "years of experience", "min experience years"}},
	colEducation:      {"education_level", "Escolaridad", []string{"escolaridad", "nivel educativo", "nivel de estudios", "estudios", "education", "education level"}},
	colState:          {"state", "Estado", []string{"estado", "entidad", "entidad federativa"}},
	colMunicipality:   {"municipality", "Municipio", []string{"municipio", "ciudad", "city"}},
	colSalaryMin:      {"salary_min", "Salario mínimo", []string{"salario mínimo", "sueldo mínimo", "salario min", "sueldo min", "salary min", "minimum salary"}},
	colSalaryMax:      {"salary_max", "Salario máximo", []string{"salario máximo", "sueldo máximo", "salario max", "sueldo max", "salary max", "maximum salary"}},
	colPositions:      {"positions", "Vacantes", []string{"vacantes", "plazas", "número de vacantes", "número de plazas", "no de vacantes", "núm de vacantes", "openings"}},
	colStartDate:      {"start_date", "Fecha de inicio", []string{"fecha de inicio", "inicio", "fecha inicio", "start date"}},
	colEndDate:        {"end_date", "Fecha de término", []string{"fecha de término", "fecha fin", "fecha de fin", "fecha término", "fin", "end date"}},
	colRelocation:     {"relocation_support", "Apoyo de reubicación", []string{"apoyo de reubicación", "reubicación", "apoyo para reubicación", "relocation", "relocation support"}},
	colHazardous:      {"hazardous", "Trabajo peligroso", []string{"trabajo peligroso", "peligroso", "actividad peligrosa", "peligrosa o insalubre", "trabajo peligroso o insalubre", "hazardous work"}},
	colNightWork:      {"night_work", "Trabajo nocturno", []string{"trabajo nocturno", "nocturno", "turno nocturno", "turno de noche", "night work", "night shift"}},
	colServesAlcohol:  {"serves_alcohol", "Venta de alcohol", []string{"venta de alcohol", "vende alcohol", "sirve alcohol", "venta de bebidas alcohólicas", "bebidas alcohólicas", "alcohol", "serves alcohol"}},
	colHoursPerWeek:   {"hours_per_week", "Horas por semana", []string{"horas por semana", "horas semanales", "horas a la semana", "jornada semanal", "horas", "hours per week", "weekly hours", "hours"}},
	colStatus:         {"status", "Estatus", []string{"estatus", "estado de la vacante"}},
}

// requiredColumns are the columns without which no row could be valid; a file missing
// one fails at once instead of reporting the same error on every row.
var requiredColumns = []column{colTitle, colRFC, colEmployerName, colState, colStartDate, colPositions}

var columnByAlias = func() map[string]column {
	m := map[string]column{}
	for c, spec := range columnSpecs {
		m[compactFold(spec.name)] = column(c)
		for _, a := range spec.aliases {
			m[compactFold(a)] = column(c)
		}
	}
	return m
}()

// compactFold folds s and drops the spaces, so that "R.F.C." is "rfc" and
// "salario_minimo" is "salario mínimo".
func compactFold(s string) string { return strings.ReplaceAll(models.Fold(s), " ", "") }

// lookupHeader returns the canonical column a header names. Parenthesised notes that
// organisers add to explain a column, such as "(MXN)" or "(DD/MM/AAAA)", are ignored.
func lookupHeader(h string) (column, bool) {
	if c, ok := columnByAlias[compactFold(dropParens(h))]; ok {
		return c, true
	}
	c, ok := columnByAlias[compactFold(h)]
	return c, ok
}

func dropParens(h string) string {
	var b strings.Builder
	depth := 0
	for _, r := range h {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// layout says where each canonical column is in the file and what the organiser called
// it there.
type layout struct {
	index  [numColumns]int // position in the row, or -1
	header []string
	// date1904 says serial dates count from 1904 (see parseDate).
	date1904 bool
}

// has reports whether the file has the column.
func (l *layout) has(c column) bool { return l.index[c] >= 0 }

// cell returns the trimmed text of column c in the row, or "" when the file has no
// such column or the row is short.
func (l *layout) cell(cells []string, c column) string {
	i := l.index[c]
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// name returns the header of column c as written in the file, or its Spanish name when
// the file lacks it.
func (l *layout) name(c column) string {
	if i := l.index[c]; i >= 0 {
		return strings.TrimSpace(l.header[i])
	}
	return columnSpecs[c].spanish
}

// newLayout matches the header row. It returns the unknown headers (each once) and
// fails when a required column is missing or two headers mean the same column.
func newLayout(header []string) (*layout, []string, error) {
	l := &layout{header: header}
	for i := range l.index {
		l.index[i] = -1
	}
	var unknown []string
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		c, ok := lookupHeader(h)
		if !ok {
			if !seen[h] {
				seen[h] = true
				unknown = append(unknown, h)
			}
			continue
		}
		if j := l.index[c]; j >= 0 {
			return nil, nil, fileError("the columns %q and %q both give the %s; delete or rename one of them", strings.TrimSpace(header[j]), strings.TrimSpace(h), describe(c))
		}
		l.index[c] = i
	}
	var missing []string
	for _, c := range requiredColumns {
		if !l.has(c) {
			missing = append(missing, fmt.Sprintf("%q (%s)", columnSpecs[c].spanish, columnSpecs[c].name))
		}
	}
	if len(missing) > 0 {
		return nil, nil, fileError("the header row has no column for %s; add the missing columns (Spanish or English names are both fine) and upload the file again", joinAnd(missing))
	}
	return l, unknown, nil
}

// describe names a column in a sentence.
func describe(c column) string {
	return strings.ReplaceAll(columnSpecs[c].name, "_", " ")
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
