package models

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/go-playground/validator/v10/non-standard/validators"
)

// The Validate methods below check one record as a client sent it, after Normalize,
// and report every problem at once: nil, or an *Error of kind ErrInvalid with one
// FieldError per problem, named by its JSON path ("documents[0].expires_on") and
// explained in words a hub worker or an HR clerk can act on. The models carry no
// `validate` struct tags (their fields are shared with the store and the API), so each
// field is checked with validator's Var against the tags of stringRules; rules that
// join two fields (dates in order, salary range) are plain Go.

// stringRule is one of Vincula's own validator tags: a check on a string (or a string
// enum such as DocumentType) and what to tell the user when it fails.
type stringRule struct {
	valid   func(string) bool
	message func(value string) string
}

// stringRules are the tags RegisterValidations adds to a validator.
var stringRules = map[string]stringRule{
	"mxstate": {ValidState, func(v string) string {
		return fmt.Sprintf("%q is not a Mexican state: use an ISO 3166-2:MX code such as MX-CHP (Chiapas) or MX-NLE (Nuevo León)", v)
	}},
	"curp": {func(v string) bool { return curpProblem(v) == "" }, curpProblem},
	"rfc":  {func(v string) bool { return rfcProblem(v) == "" }, rfcProblem},
	"langcode": {ValidLanguageCode, func(v string) string {
		return fmt.Sprintf("%q is not a known ISO 639 language code such as es, en, fr, ht or quc", v)
	}},
	"langlevel": {ValidLanguageLevel, func(v string) string {
		return fmt.Sprintf("%q is not a language level: use %s", v, orList(LanguageLevels))
	}},
	"country": {ValidCountryCode, func(v string) string {
		return fmt.Sprintf("%q is not an ISO 3166-1 country code such as GT, HN, HT or VE", v)
	}},
	"nationality": {ValidNationality, func(v string) string {
		return fmt.Sprintf("%q is not an ISO 3166-1 country code such as GT, HN, HT or VE, nor %s for a stateless person or one whose nationality is not established", v, Stateless)
	}},
	"phone": {validPhone, func(string) string {
		return "should be 10 to 15 digits, with an optional + in front, such as +529621234567"
	}},
	"gender": {func(v string) bool { return v == "F" || v == "M" || v == "X" }, func(v string) string {
		return fmt.Sprintf("%q is not F, M or X; leave it out if the person prefers not to say", v)
	}},
	"isco": {ValidOccupationCode, func(v string) string {
		if scheme, _ := ParseOccupationCode(v); scheme != SchemeISCO08 {
			return fmt.Sprintf("%q is not an occupation code: write an ISCO-08 group (7212, or isco08:7212) or a SINCO 2019 unit group of INEGI's table (sinco2019:7211)", v)
		}
		return fmt.Sprintf("%q is not an ISCO-08 occupation code (1 to 4 digits, such as 7212)", v)
	}},
	"doctype": {func(v string) bool { return slices.Contains(DocumentTypes, DocumentType(v)) }, func(v string) string {
		return fmt.Sprintf("%q is not a document type: use %s", v, orList(DocumentTypes))
	}},
	"edulevel": {func(v string) bool { return slices.Contains(EducationLevels, v) }, func(v string) string {
		return fmt.Sprintf("%q is not an education level: use %s", v, orList(EducationLevels))
	}},
	"vacancystatus": {func(v string) bool { return slices.Contains(VacancyStatuses, VacancyStatus(v)) }, func(v string) string {
		return fmt.Sprintf("%q is not a vacancy status: use %s", v, orList(VacancyStatuses))
	}},
	"candidatestatus": {func(v string) bool { return slices.Contains(CandidateStatuses, CandidateStatus(v)) }, func(v string) string {
		return fmt.Sprintf("%q is not a candidate status: use %s", v, orList(CandidateStatuses))
	}},
}

// NewValidator returns a go-playground validator that knows Vincula's tags (see
// RegisterValidations) and names fields by their JSON names, so that errors on the api
// package's request types read "documents[0].expires_on", as the Validate methods do,
// rather than "Documents[0].ExpiresOn". It is safe for concurrent use; build one and
// share it, since it caches what it learns about each type.
func NewValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(jsonFieldName)
	if err := RegisterValidations(v); err != nil {
		// The tags are literals of this file: failing to register one is a bug here.
		panic("models: " + err.Error())
	}
	return v
}

// RegisterValidations adds Vincula's own tags to v: mxstate, curp, rfc, langcode,
// langlevel, country, nationality, phone, gender, isco, doctype, edulevel, vacancystatus,
// candidatestatus, and notblank (required, and not only spaces). It is separate from
// NewValidator so that a validator built elsewhere (gin's binding validator) can name
// the same tags. Each tag accepts strings and string-based types and fails on others.
func RegisterValidations(v *validator.Validate) error {
	if err := v.RegisterValidation("notblank", validators.NotBlank); err != nil {
		return err
	}
	for _, tag := range slices.Sorted(maps.Keys(stringRules)) {
		valid := stringRules[tag].valid
		err := v.RegisterValidation(tag, func(fl validator.FieldLevel) bool {
			f := fl.Field()
			return f.Kind() == reflect.String && valid(f.String())
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// FieldErrorsOf turns the errors of a validator built by NewValidator into
// FieldErrors: each field is named by its JSON path without the name of the top-level
// type ("documents[0].expires_on"), and each message is in plain words.
func FieldErrorsOf(errs validator.ValidationErrors) FieldErrors {
	out := make(FieldErrors, 0, len(errs))
	for _, fe := range errs {
		path := fe.Namespace()
		if _, rest, ok := strings.Cut(path, "."); ok {
			path = rest
		}
		out.addRule(path, fe.Tag(), fe.Param(), fe.Value())
	}
	return out
}

// addRule records that value failed the validator tag, with the rule and the value
// kept beside the message for tags of Vincula's own (stringRules).
func (fe *FieldErrors) addRule(field, tag, param string, value any) {
	f := FieldError{Field: field, Message: ruleMessage(tag, param, value)}
	if _, ok := stringRules[tag]; ok {
		if rv := reflect.ValueOf(value); rv.Kind() == reflect.String {
			f.Rule, f.Value = tag, rv.String()
		}
	}
	*fe = append(*fe, f)
}

// ruleMessage says in plain words why a value failed a validator tag.
func ruleMessage(tag, param string, value any) string {
	if r, ok := stringRules[tag]; ok {
		var s string
		if rv := reflect.ValueOf(value); rv.Kind() == reflect.String {
			s = rv.String()
		}
		return r.message(s)
	}
	switch tag {
	case "required", "notblank":
		return "is required"
	case "email":
		return "is not a valid email address"
	case "min", "gte":
		return "must be at least " + param
	case "max", "lte":
		return "must be at most " + param
	case "gt":
		return "must be more than " + param
	case "lt":
		return "must be less than " + param
	case "oneof":
		return "must be one of " + param
	}
	return fmt.Sprintf("is not valid (rule %s)", tag)
}

// jsonFieldName names a struct field as its JSON encoding does; an empty answer makes
// the validator fall back to the Go name.
func jsonFieldName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// sharedValidator is built once: a validator caches parsed tags, and its rules are
// constants of this package, not configuration.
var sharedValidator = sync.OnceValue(NewValidator)

// fieldCheck collects the problems of one record in the order of its fields.
type fieldCheck struct {
	v    *validator.Validate
	errs FieldErrors
}

func newFieldCheck() *fieldCheck { return &fieldCheck{v: sharedValidator()} }

// str checks a string against validator tags and records the first tag it fails.
func (c *fieldCheck) str(field, value, tags string) {
	err := c.v.Var(value, tags)
	if err == nil {
		return
	}
	var fails validator.ValidationErrors
	if !errors.As(err, &fails) || len(fails) == 0 {
		panic(fmt.Sprintf("models: checking %s with %q: %v", field, tags, err))
	}
	c.errs.addRule(field, fails[0].Tag(), fails[0].Param(), value)
}

func (c *fieldCheck) add(field, format string, args ...any) { c.errs.Add(field, format, args...) }

// languages checks a list of languages with levels; a language listed twice is an
// error because ranking could not tell which level to believe.
func (c *fieldCheck) languages(field string, langs []LanguageSkill) {
	first := make(map[string]int, len(langs))
	for i, l := range langs {
		p := fmt.Sprintf("%s[%d].", field, i)
		c.str(p+"code", l.Code, "required,langcode")
		c.str(p+"level", l.Level, "required,langlevel")
		if j, seen := first[l.Code]; seen && l.Code != "" {
			c.add(p+"code", "%q is already listed as %s[%d]; give each language once, at its best level", l.Code, field, j)
		} else {
			first[l.Code] = i
		}
	}
}

// dateOrder records an error on prefix+laterName when both dates are given and it is
// the earlier one; the message names the other date as a sibling field.
func (c *fieldCheck) dateOrder(prefix, earlierName string, earlier Date, laterName string, later Date) {
	if !earlier.IsZero() && !later.IsZero() && later.Before(earlier) {
		c.add(prefix+laterName, "%s is before %s (%s)", later, earlierName, earlier)
	}
}

// earliestBirthDate bounds birth_date from below: an earlier date is a typo.
var earliestBirthDate = NewDate(1900, 1, 1)

// Validate checks a candidate profile. It does not read the clock, so birth_date is
// only checked to be from 1900 on; handlers should call ValidateAt with today's date,
// which also refuses a birth date in the future. Validate suits places with no "today",
// such as re-checking stored records.
func (c *Candidate) Validate() error { return c.ValidateAt(Date{}) }

// ValidateAt is Validate plus the one check that needs today's date, passed in so that
// the result depends on nothing but its arguments: birth_date must not be after today.
// The zero Date skips that check.
func (c *Candidate) ValidateAt(today Date) error {
	if c == nil {
		return Errorf(ErrInvalid, "no candidate was given")
	}
	ch := newFieldCheck()
	ch.str("full_name", c.FullName, "notblank")
	ch.str("nationality", c.Nationality, "required,nationality")
	switch {
	case c.BirthDate.IsZero():
		ch.add("birth_date", "is required")
	case c.BirthDate.Before(earliestBirthDate):
		ch.add("birth_date", "%s is before 1900", c.BirthDate)
	case !today.IsZero() && c.BirthDate.After(today):
		ch.add("birth_date", "%s is in the future", c.BirthDate)
	}
	ch.str("gender", c.Gender, "omitempty,gender")
	ch.str("phone", c.Phone, "omitempty,phone")
	ch.str("email", c.Email, "omitempty,email")
	ch.str("curp", c.CURP, "omitempty,curp")
	if curpProblem(c.CURP) == "" && !c.BirthDate.IsZero() {
		// A CURP is built from the birth date, so a mismatch means one of them is a typo.
		if born, _ := curpBirthDate([]rune(c.CURP)); !born.Equal(c.BirthDate) {
			ch.add("curp", "holds the birth date %s, but birth_date is %s", born, c.BirthDate)
		}
	}
	ch.str("current_state", c.CurrentState, "required,mxstate")
	for i, s := range c.PreferredStates {
		ch.str(fmt.Sprintf("preferred_states[%d]", i), s, "required,mxstate")
	}
	ch.languages("languages", c.Languages)
	for i, s := range c.Skills {
		p := fmt.Sprintf("skills[%d].", i)
		ch.str(p+"name", s.Name, "notblank")
		if s.Years != nil && *s.Years < 0 {
			ch.add(p+"years", "must not be negative")
		}
	}
	for i, e := range c.Experience {
		p := fmt.Sprintf("experience[%d].", i)
		ch.str(p+"title", e.Title, "notblank")
		ch.str(p+"occupation_code", e.OccupationCode, "omitempty,isco")
		if e.Years < 0 {
			ch.add(p+"years", "must not be negative")
		}
		ch.str(p+"country", e.Country, "omitempty,country")
	}
	ch.str("education_level", c.EducationLevel, "required,edulevel")
	for i, o := range c.DesiredOccupations {
		ch.str(fmt.Sprintf("desired_occupations[%d]", i), o, "notblank")
	}
	if c.Consent.GivenAt == nil || c.Consent.GivenAt.IsZero() {
		ch.add("consent.given_at", "is required: when the person agreed, or refused, to have their profile shown to employers")
	}
	for i := range c.Documents {
		c.Documents[i].check(ch, fmt.Sprintf("documents[%d].", i))
	}
	ch.str("status", string(c.Status), "required,candidatestatus")
	return ch.errs.Err()
}

// Validate checks one immigration document on its own, naming fields as the document
// does ("expires_on"); within a candidate they are named "documents[i].expires_on".
func (d *Document) Validate() error {
	if d == nil {
		return Errorf(ErrInvalid, "no document was given")
	}
	ch := newFieldCheck()
	d.check(ch, "")
	return ch.errs.Err()
}

func (d *Document) check(ch *fieldCheck, prefix string) {
	ch.str(prefix+"type", string(d.Type), "required,doctype")
	if !d.Type.ForMinors() {
		// An approval or an authorisation is recorded by date and issuer, often without
		// a folio.
		ch.str(prefix+"number", d.Number, "notblank")
	}
	ch.dateOrder(prefix, "issued_on", d.IssuedOn, "expires_on", d.ExpiresOn)
	// The eligibility rules read these two fields for these two types; without them the
	// document could never be a basis for work, which the person would not expect.
	if d.Type == DocConstanciaCOMAR && d.State == "" {
		ch.add(prefix+"state", "is required for a constancia_comar: the state where the asylum claim was filed, the only one where it allows work")
	} else {
		ch.str(prefix+"state", d.State, "omitempty,mxstate")
	}
	if d.Type == DocVisitanteActividadesRemuneradas && strings.TrimSpace(d.EmployerID) == "" {
		ch.add(prefix+"employer_id", "is required for a visitante_actividades_remuneradas permit: the employer named on it, the only one it allows work for")
	}
}

// Validate checks a vacancy as an employer or an organiser sent it.
func (v *Vacancy) Validate() error {
	if v == nil {
		return Errorf(ErrInvalid, "no vacancy was given")
	}
	ch := newFieldCheck()
	ch.str("employer_id", v.EmployerID, "notblank")
	ch.str("title", v.Title, "notblank")
	ch.str("occupation_code", v.OccupationCode, "omitempty,isco")
	for i, s := range v.Skills {
		ch.str(fmt.Sprintf("skills[%d].name", i), s.Name, "notblank")
	}
	ch.languages("languages", v.Languages)
	if v.MinExperienceYears < 0 {
		ch.add("min_experience_years", "must not be negative")
	}
	ch.str("education_level", v.EducationLevel, "required,edulevel")
	ch.str("state", v.State, "required,mxstate")
	if v.SalaryMin != nil && *v.SalaryMin < 0 {
		ch.add("salary_min", "must not be negative")
	}
	if v.SalaryMax != nil && *v.SalaryMax < 0 {
		ch.add("salary_max", "must not be negative")
	}
	if v.SalaryMin != nil && v.SalaryMax != nil && *v.SalaryMax < *v.SalaryMin {
		ch.add("salary_max", "%d is less than salary_min (%d)", *v.SalaryMax, *v.SalaryMin)
	}
	if v.Positions < 1 {
		ch.add("positions", "must be at least 1")
	}
	switch {
	case v.PositionsFilled < 0:
		ch.add("positions_filled", "must not be negative")
	case v.Positions >= 1 && v.PositionsFilled > v.Positions:
		ch.add("positions_filled", "is %d, more than the %d positions offered", v.PositionsFilled, v.Positions)
	}
	if v.StartDate.IsZero() {
		ch.add("start_date", "is required")
	}
	ch.dateOrder("", "start_date", v.StartDate, "end_date", v.EndDate)
	checkHours(ch, v.HoursPerWeek)
	ch.str("status", string(v.Status), "required,vacancystatus")
	return ch.errs.Err()
}

// Validate checks an employer.
func (e *Employer) Validate() error {
	if e == nil {
		return Errorf(ErrInvalid, "no employer was given")
	}
	ch := newFieldCheck()
	ch.str("name", e.Name, "notblank")
	ch.str("rfc", e.RFC, "required,rfc")
	ch.str("state", e.State, "required,mxstate")
	ch.str("contact_email", e.ContactEmail, "omitempty,email")
	return ch.errs.Err()
}

// Validate checks an SNE office.
func (o *Office) Validate() error {
	if o == nil {
		return Errorf(ErrInvalid, "no office was given")
	}
	ch := newFieldCheck()
	ch.str("name", o.Name, "notblank")
	ch.str("state", o.State, "required,mxstate")
	for i, s := range o.CoverageStates {
		ch.str(fmt.Sprintf("coverage_states[%d]", i), s, "required,mxstate")
	}
	return ch.errs.Err()
}

// Validate checks a counsellor.
func (c *Counsellor) Validate() error {
	if c == nil {
		return Errorf(ErrInvalid, "no counsellor was given")
	}
	ch := newFieldCheck()
	ch.str("name", c.Name, "notblank")
	ch.str("email", c.Email, "required,email")
	ch.str("office_id", c.OfficeID, "notblank")
	for i, l := range c.Languages {
		ch.str(fmt.Sprintf("languages[%d]", i), l, "required,langcode")
	}
	if c.Capacity < 1 {
		ch.add("capacity", "must be at least 1")
	}
	if c.OpenReferrals < 0 {
		ch.add("open_referrals", "must not be negative")
	}
	return ch.errs.Err()
}

// Validate checks a job fair; both of its dates are required.
func (f *JobFair) Validate() error {
	if f == nil {
		return Errorf(ErrInvalid, "no job fair was given")
	}
	ch := newFieldCheck()
	ch.str("name", f.Name, "notblank")
	ch.str("state", f.State, "required,mxstate")
	if f.StartsOn.IsZero() {
		ch.add("starts_on", "is required")
	}
	if f.EndsOn.IsZero() {
		ch.add("ends_on", "is required")
	}
	ch.dateOrder("", "starts_on", f.StartsOn, "ends_on", f.EndsOn)
	return ch.errs.Err()
}

// Normalize tidies a candidate as typed by a person, before Validate: spaces trimmed
// (and runs of spaces in names made one), codes in the case they are stored in (CURP,
// nationality, states and gender upper case; email, language codes and enums lower
// case; language levels as A1..C2 or native), the phone reduced to + and digits, and an
// empty status made active.
func (c *Candidate) Normalize() {
	if c == nil {
		return
	}
	c.FullName = oneLine(c.FullName)
	c.Nationality = upper(c.Nationality)
	c.Gender = upper(c.Gender)
	c.Phone = NormalizePhone(c.Phone)
	c.Email = lower(c.Email)
	c.CURP = upper(c.CURP)
	c.CurrentState = upper(c.CurrentState)
	c.Municipality = oneLine(c.Municipality)
	c.Hub = oneLine(c.Hub)
	for i := range c.PreferredStates {
		c.PreferredStates[i] = upper(c.PreferredStates[i])
	}
	normalizeLanguages(c.Languages)
	for i := range c.Skills {
		c.Skills[i].Name = oneLine(c.Skills[i].Name)
	}
	for i := range c.Experience {
		e := &c.Experience[i]
		e.Title = oneLine(e.Title)
		e.OccupationCode = strings.TrimSpace(e.OccupationCode)
		e.Country = upper(e.Country)
	}
	c.EducationLevel = lower(c.EducationLevel)
	for i := range c.DesiredOccupations {
		c.DesiredOccupations[i] = oneLine(c.DesiredOccupations[i])
	}
	for i := range c.Documents {
		c.Documents[i].Normalize()
	}
	c.Status = CandidateStatus(lower(string(c.Status)))
	if c.Status == "" {
		c.Status = CandidateActive
	}
}

// Normalize tidies a document before Validate: the type lower case, the state upper
// case, spaces trimmed. The number keeps its case, as printed on the card.
func (d *Document) Normalize() {
	if d == nil {
		return
	}
	d.Type = DocumentType(lower(string(d.Type)))
	d.Number = strings.TrimSpace(d.Number)
	d.State = upper(d.State)
	d.EmployerID = strings.TrimSpace(d.EmployerID)
}

// Normalize tidies a vacancy before Validate and makes an empty status open. Positions
// get no default: how many people to hire is the employer's to say.
func (v *Vacancy) Normalize() {
	if v == nil {
		return
	}
	v.EmployerID = strings.TrimSpace(v.EmployerID)
	v.Title = oneLine(v.Title)
	v.Description = strings.TrimSpace(v.Description)
	v.OccupationCode = strings.TrimSpace(v.OccupationCode)
	for i := range v.Skills {
		v.Skills[i].Name = oneLine(v.Skills[i].Name)
	}
	normalizeLanguages(v.Languages)
	v.EducationLevel = lower(v.EducationLevel)
	v.State = upper(v.State)
	v.Municipality = oneLine(v.Municipality)
	v.Status = VacancyStatus(lower(string(v.Status)))
	if v.Status == "" {
		v.Status = VacancyOpen
	}
}

// rfcSeparators drops the spaces and dashes people type inside an RFC. It is built
// once: a bulk import normalises an employer per row.
var rfcSeparators = strings.NewReplacer(" ", "", "-", "")

// Normalize tidies an employer before Validate. The RFC is upper-cased and loses the
// spaces and hyphens people write into it ("ABC-010203-XY1"), so that one employer is
// found by one RFC however it was typed.
func (e *Employer) Normalize() {
	if e == nil {
		return
	}
	e.Name = oneLine(e.Name)
	e.RFC = rfcSeparators.Replace(upper(e.RFC))
	e.State = upper(e.State)
	e.Municipality = oneLine(e.Municipality)
	e.Sector = oneLine(e.Sector)
	e.ContactEmail = lower(e.ContactEmail)
	e.INMEmployerRegistration = strings.TrimSpace(e.INMEmployerRegistration)
}

// Normalize tidies an office before Validate.
func (o *Office) Normalize() {
	if o == nil {
		return
	}
	o.Name = oneLine(o.Name)
	o.State = upper(o.State)
	for i := range o.CoverageStates {
		o.CoverageStates[i] = upper(o.CoverageStates[i])
	}
}

// Normalize tidies a counsellor before Validate; language codes become canonical (see
// CanonicalLanguageCode) so routing compares them with candidates' codes as equals.
func (c *Counsellor) Normalize() {
	if c == nil {
		return
	}
	c.Name = oneLine(c.Name)
	c.Email = lower(c.Email)
	c.OfficeID = strings.TrimSpace(c.OfficeID)
	for i := range c.Languages {
		c.Languages[i] = CanonicalLanguageCode(c.Languages[i])
	}
}

// Normalize tidies a job fair before Validate.
func (f *JobFair) Normalize() {
	if f == nil {
		return
	}
	f.Name = oneLine(f.Name)
	f.State = upper(f.State)
	f.Municipality = oneLine(f.Municipality)
}

// NormalizePhone reduces a phone number as people write it ("+52 (962) 123-45-67") to
// an optional leading + and digits, the form Vincula stores. The migrant login must
// apply it too, so that the number typed there finds the one stored.
func NormalizePhone(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '(', ')', '\t':
			return -1
		}
		return r
	}, s)
}

// normalizeLanguages makes language codes canonical and levels A1..C2 or native.
func normalizeLanguages(langs []LanguageSkill) {
	for i := range langs {
		langs[i].Code = CanonicalLanguageCode(langs[i].Code)
		level := strings.TrimSpace(langs[i].Level)
		if strings.EqualFold(level, "native") {
			langs[i].Level = "native"
		} else {
			langs[i].Level = strings.ToUpper(level)
		}
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
func upper(s string) string   { return strings.ToUpper(strings.TrimSpace(s)) }
func lower(s string) string   { return strings.ToLower(strings.TrimSpace(s)) }

var (
	phonePattern = regexp.MustCompile(`^\+?[0-9]{10,15}$`)
)

func validPhone(s string) bool { return phonePattern.MatchString(s) }

// orList writes values as "a, b or c" for messages.
func orList[T ~string](values []T) string {
	var b strings.Builder
	for i, v := range values {
		switch {
		case i == 0:
		case i == len(values)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(string(v))
	}
	return b.String()
}

// ValidCountryCode reports whether code is an assigned ISO 3166-1 alpha-2 country code,
// in upper case. User-assigned codes such as XK (Kosovo) are not accepted.
func ValidCountryCode(code string) bool { return countryCodes[code] }

// Stateless is the nationality of a stateless person, or of one whose nationality is not
// established (COMAR and the hubs meet both). It is from ISO 3166-1's user-assigned
// range, as the ICAO travel-document codes for stateless persons (XXA) are.
const Stateless = "XX"

// ValidNationality reports whether code may be a candidate's nationality: an assigned
// ISO 3166-1 alpha-2 code, or Stateless.
func ValidNationality(code string) bool { return code == Stateless || countryCodes[code] }

// countryCodes holds the 249 assigned ISO 3166-1 alpha-2 codes.
var countryCodes = wordSet(
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ",
	"BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR",
	"CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR",
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU",
	"ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ",
	"LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ",
	"MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF",
	"PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI",
	"SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR",
	"TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW",
)
