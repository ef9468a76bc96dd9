package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/vincula/vincula/models"
)

// keyColumns are the columns whose values identify a vacancy that has no external ID:
// the employer, the job, the place and the start. Salary, positions, description and
// the rest are left out on purpose, because they are what an organiser corrects
// between uploads, and a corrected row must update its vacancy, not create a second.
var keyColumns = []column{colRFC, colTitle, colState, colMunicipality, colStartDate}

// cellError is one problem found in a row; col is -1 for a problem with the row as a
// whole.
type cellError struct {
	col column
	msg string
}

// parsed is one row read and checked.
type parsed struct {
	row  models.ImportRow
	errs []models.ImportError
	// byExternalID says the key is the row's external_id rather than a content hash.
	byExternalID bool
	// keyComplete says every value of a content key was read without error.
	keyComplete bool
}

// parseRow turns the cells of one row into an ImportRow and checks it with the same
// rules as the API. Errors name the column as the file's header writes it.
func (l *layout) parseRow(line int, cells []string, fairID string) parsed {
	var errs []cellError
	failed := [numColumns]bool{}
	fail := func(c column, err error) {
		errs = append(errs, cellError{c, err.Error()})
		failed[c] = true
	}
	get := func(c column) string { return l.cell(cells, c) }

	v := models.Vacancy{
		JobFairID:      fairID,
		Title:          get(colTitle),
		Description:    get(colDescription),
		OccupationCode: get(colOccupationCode),
		Municipality:   get(colMunicipality),
		EducationLevel: "none",
		Status:         models.VacancyOpen,
	}
	e := models.Employer{Name: get(colEmployerName), RFC: get(colRFC)}

	if s := get(colState); s != "" {
		if code, err := parseState(s); err != nil {
			fail(colState, err)
		} else {
			v.State = code
		}
	}
	e.State = v.State
	if s := get(colEmployerState); s != "" {
		if code, err := parseState(s); err != nil {
			fail(colEmployerState, err)
		} else {
			e.State = code
		}
	}
	var skills []models.VacancySkill
	skills = append(skills, parseSkills(get(colSkills), false)...)
	skills = append(skills, parseSkills(get(colRequiredSkills), true)...)
	skills = append(skills, parseSkills(get(colOptionalSkills), false)...)
	v.Skills = mergeSkills(skills)
	if s := get(colLanguages); s != "" {
		if langs, err := parseLanguages(s); err != nil {
			fail(colLanguages, err)
		} else {
			v.Languages = langs
		}
	}
	if s := get(colMinExperience); s != "" {
		if y, err := parseYears(s); err != nil {
			fail(colMinExperience, err)
		} else {
			v.MinExperienceYears = y
		}
	}
	// A vacancy that states no education asks for none.
	if s := get(colEducation); s != "" {
		if lvl, err := parseEducation(s); err != nil {
			fail(colEducation, err)
		} else {
			v.EducationLevel = lvl
		}
	}
	for _, m := range []struct {
		c   column
		dst **int
	}{{colSalaryMin, &v.SalaryMin}, {colSalaryMax, &v.SalaryMax}} {
		if s := get(m.c); s != "" {
			if n, err := parseMoney(s); err != nil {
				fail(m.c, err)
			} else {
				*m.dst = &n
			}
		}
	}
	if s := get(colPositions); s != "" {
		if n, err := parseCount(s); err != nil {
			fail(colPositions, err)
		} else {
			v.Positions = n
		}
	}
	if s := get(colStartDate); s != "" {
		if d, err := parseDate(s, l.date1904); err != nil {
			fail(colStartDate, err)
		} else {
			v.StartDate = d
		}
	}
	if s := get(colEndDate); s != "" {
		if d, err := parseDate(s, l.date1904); err != nil {
			fail(colEndDate, err)
		} else {
			v.EndDate = d
		}
	}
	if s := get(colRelocation); s != "" {
		if b, err := parseBool(s); err != nil {
			fail(colRelocation, err)
		} else {
			v.RelocationSupport = b
		}
	}
	if s := get(colHazardous); s != "" {
		if b, err := parseBool(s); err != nil {
			fail(colHazardous, err)
		} else {
			v.Hazardous = &b
		}
	}
	for _, m := range []struct {
		c   column
		dst *bool
	}{{colNightWork, &v.NightWork}, {colServesAlcohol, &v.ServesAlcohol}} {
		if s := get(m.c); s != "" {
			if b, err := parseBool(s); err != nil {
				fail(m.c, err)
			} else {
				*m.dst = b
			}
		}
	}
	if s := get(colHoursPerWeek); s != "" {
		if n, err := parseCount(s); err != nil {
			fail(colHoursPerWeek, err)
		} else {
			v.HoursPerWeek = n
		}
	}
	if s := get(colStatus); s != "" {
		if st, err := parseStatus(s); err != nil {
			fail(colStatus, err)
		} else {
			v.Status = st
		}
	}

	e.Normalize()
	// The employer's ID is not known until the store finds or creates it by RFC; the
	// placeholder satisfies the API's rule that a vacancy names its employer.
	v.EmployerID = "rfc:" + e.RFC
	v.Normalize()
	employerCols := employerFields
	if get(colEmployerState) == "" {
		// The employer's state was taken from the vacancy's; so are its errors.
		employerCols = employerFieldsFromVacancyState
	}
	eerr := e.Validate()
	errs = append(errs, l.validationErrors(cells, eerr, employerCols, failed)...)
	verr := v.Validate()
	if verr == nil && !failed[colHazardous] {
		// An import is never an admin's word: a sheet may declare work hazardous, not
		// clear a dangerous occupation (an admin does that on the vacancy).
		verr = v.ResolveHazard(false, nil)
	}
	errs = append(errs, l.validationErrors(cells, verr, vacancyFields, failed)...)
	// The API's bounds (lengths, counts, numbers, dates) hold for imported rows too; a
	// field the rules above already blamed gets no second message.
	errs = append(errs, l.validationErrors(cells, unblamed(models.CheckBounds(&e), eerr), employerCols, failed)...)
	errs = append(errs, l.validationErrors(cells, unblamed(models.CheckBounds(&v), verr), vacancyFields, failed)...)

	p := parsed{row: models.ImportRow{Line: line, Employer: e, Vacancy: v}}
	if id := get(colExternalID); id != "" {
		p.row.Key, p.byExternalID = id, true
	} else {
		p.row.Key = contentKey(e, v)
		p.keyComplete = e.RFC != "" && v.Title != "" && v.State != "" && !v.StartDate.IsZero()
		for _, c := range keyColumns {
			p.keyComplete = p.keyComplete && !failed[c]
		}
	}
	p.row.Vacancy.ExternalID = p.row.Key
	p.errs = l.importErrors(line, errs)
	return p
}

// unblamed is fe without the fields that err already names.
func unblamed(fe models.FieldErrors, err error) error {
	me, ok := models.AsError(err)
	if !ok {
		return fe.Err()
	}
	var out models.FieldErrors
	for _, f := range fe {
		if !slices.ContainsFunc(me.Fields, func(b models.FieldError) bool { return b.Field == f.Field }) {
			out = append(out, f)
		}
	}
	return out.Err()
}

// contentKey hashes the identifying values of a row (see keyColumns) after they were
// parsed and normalised, so "Nuevo León" and "MX-NLE", or "01/02/2026" and 46054, give
// the same key.
func contentKey(e models.Employer, v models.Vacancy) string {
	parts := []string{"v1", e.RFC, models.Fold(v.Title), v.State, models.Fold(v.Municipality), v.StartDate.String()}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// employerFields and vacancyFields map the JSON field names of validation errors to
// the columns they come from. A field the import cannot get wrong (employer_id,
// positions_filled) is absent and reported against the row.
var (
	employerFields                 = map[string]column{"name": colEmployerName, "rfc": colRFC, "state": colEmployerState}
	employerFieldsFromVacancyState = map[string]column{"name": colEmployerName, "rfc": colRFC, "state": colState}
	vacancyFields                  = map[string]column{
		"employer_id": colRFC, "title": colTitle, "description": colDescription,
		"occupation_code": colOccupationCode, "skills": colSkills, "languages": colLanguages,
		"min_experience_years": colMinExperience, "education_level": colEducation,
		"state": colState, "municipality": colMunicipality, "salary_min": colSalaryMin,
		"salary_max": colSalaryMax, "positions": colPositions, "start_date": colStartDate,
		"end_date": colEndDate, "relocation_support": colRelocation, "hazardous": colHazardous,
		"night_work": colNightWork, "serves_alcohol": colServesAlcohol, "hours_per_week": colHoursPerWeek,
		"status": colStatus,
	}
)

// fieldNames finds JSON field names inside validation messages ("9000 is less than
// salary_min (12000)") so they can be replaced by the organiser's own headers. Only
// names with an underscore are looked for: "state" or "title" in a message may be
// plain English.
var fieldNames = func() *regexp.Regexp {
	var names []string
	for _, spec := range columnSpecs {
		if strings.Contains(spec.name, "_") {
			names = append(names, regexp.QuoteMeta(spec.name))
		}
	}
	return regexp.MustCompile(`\b(` + strings.Join(names, "|") + `)\b`)
}()

// validationErrors turns an error of a Validate method into cell errors. Fields whose
// cell already failed to parse are skipped: the organiser needs one message per cell,
// the first and most precise.
func (l *layout) validationErrors(cells []string, err error, fields map[string]column, failed [numColumns]bool) []cellError {
	if err == nil {
		return nil
	}
	me, ok := models.AsError(err)
	if !ok || len(me.Fields) == 0 {
		return []cellError{{-1, err.Error()}}
	}
	var out []cellError
	for _, fe := range me.Fields {
		name := fe.Field
		if i := strings.IndexAny(name, "[."); i >= 0 {
			name = name[:i]
		}
		c, ok := fields[name]
		if !ok {
			out = append(out, cellError{-1, fe.Field + " " + fe.Message})
			continue
		}
		c = l.source(c)
		if failed[c] {
			continue
		}
		out = append(out, cellError{c, l.explain(c, l.cell(cells, c), fe.Message)})
	}
	return out
}

// source returns the column a value really came from: skills may come from any of
// three columns.
func (l *layout) source(c column) column {
	if c == colSkills && !l.has(colSkills) {
		for _, alt := range []column{colRequiredSkills, colOptionalSkills} {
			if l.has(alt) {
				return alt
			}
		}
	}
	return c
}

// explain rewrites a validation message for an organiser: an empty cell is called
// empty, the cell's value is quoted when the message does not already show it, and
// JSON field names become the file's headers.
func (l *layout) explain(c column, value, msg string) string {
	msg = fieldNames.ReplaceAllStringFunc(msg, func(name string) string {
		for i, spec := range columnSpecs {
			if spec.name == name {
				return fmt.Sprintf("%q", l.name(l.source(column(i))))
			}
		}
		return name
	})
	switch {
	case value == "":
		if msg == "is required" || strings.HasPrefix(msg, "must be at least") {
			return "is empty; every vacancy needs it"
		}
		return msg
	case strings.Contains(msg, value):
		return msg
	case msg != "" && msg[0] >= '0' && msg[0] <= '9':
		// The message starts with the value as read ("9000 is less than ..."); quoting
		// the cell as typed ("$9,000") in front would say it twice.
		return msg
	}
	return fmt.Sprintf("%q: %s", value, msg)
}

// importErrors orders a row's errors by the position of their column in the file, so
// they read left to right as the organiser sees the row, with one message per cell.
func (l *layout) importErrors(line int, errs []cellError) []models.ImportError {
	if len(errs) == 0 {
		return nil
	}
	pos := func(c column) int {
		if c < 0 || !l.has(c) {
			return len(l.header) + int(c) + 2
		}
		return l.index[c]
	}
	sort.SliceStable(errs, func(i, j int) bool { return pos(errs[i].col) < pos(errs[j].col) })
	out := make([]models.ImportError, 0, len(errs))
	seen := map[column]bool{}
	for _, e := range errs {
		if e.col >= 0 && seen[e.col] {
			continue
		}
		name := ""
		if e.col >= 0 {
			seen[e.col] = true
			name = l.name(e.col)
		}
		out = append(out, models.ImportError{Row: line, Column: name, Message: e.msg})
	}
	return out
}

// FormatError writes an import error as one line for a log or a terminal:
// row 7, column "Fecha de inicio": "31/02/2026" is not a date (use YYYY-MM-DD or DD/MM/YYYY).
func FormatError(e models.ImportError) string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Message)
	}
	return fmt.Sprintf("row %d, column %q: %s", e.Row, e.Column, e.Message)
}
