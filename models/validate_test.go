package models

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-playground/validator/v10"
)

// validCandidate is a complete, valid profile: Jean Pierre, Haitian, registered at the
// Tapachula hub, holding a humanitarian visitor card and a COMAR certificate.
func validCandidate() *Candidate {
	given := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	years := 4.0
	return &Candidate{
		FullName:           "Jean Pierre",
		Nationality:        "HT",
		BirthDate:          MustDate("1992-02-29"),
		Gender:             "M",
		Phone:              "+529621234567",
		Email:              "jean.pierre@example.org",
		CURP:               "PIXJ920229HNERXN06",
		CurrentState:       "MX-CHP",
		Municipality:       "Tapachula",
		Hub:                "Tapachula",
		WillingToRelocate:  true,
		PreferredStates:    []string{"MX-NLE", "MX-COA"},
		Languages:          []LanguageSkill{{Code: "ht", Level: "native"}, {Code: "fr", Level: "B2"}, {Code: "es", Level: "A2"}},
		Skills:             []CandidateSkill{{Name: "soldadura MIG", Years: &years}, {Name: "lectura de planos"}},
		Experience:         []Experience{{Title: "Soldador", OccupationCode: "7212", Years: 4, Country: "HT"}},
		EducationLevel:     "technical",
		AvailableFrom:      MustDate("2026-04-01"),
		DesiredOccupations: []string{"soldador"},
		Consent:            Consent{ShareProfile: true, GivenAt: &given},
		Documents: []Document{
			{Type: DocVisitanteRazonesHumanitarias, Number: "TVRH123456", IssuedOn: MustDate("2025-10-01"), ExpiresOn: MustDate("2026-10-01")},
			{Type: DocConstanciaCOMAR, Number: "COMAR-TAP-2025-0042", State: "MX-CHP", IssuedOn: MustDate("2025-09-15"), ExpiresOn: MustDate("2026-03-15")},
		},
		Status: CandidateActive,
	}
}

// validVacancy is a complete, valid vacancy for welders in Apodaca, Nuevo León.
func validVacancy() *Vacancy {
	lo, hi := 9000, 12500
	return &Vacancy{
		EmployerID:         "01jq7z5k3m8n2p4r6t8v0w2x4y",
		Title:              "Soldador MIG",
		Description:        "Soldadura de estructuras metálicas en planta.",
		OccupationCode:     "7212",
		Skills:             []VacancySkill{{Name: "soldadura MIG", Required: true}, {Name: "lectura de planos"}},
		Languages:          []LanguageSkill{{Code: "es", Level: "A2"}},
		MinExperienceYears: 1,
		EducationLevel:     "secondary",
		State:              "MX-NLE",
		Municipality:       "Apodaca",
		SalaryMin:          &lo,
		SalaryMax:          &hi,
		Positions:          5,
		PositionsFilled:    1,
		StartDate:          MustDate("2026-05-04"),
		EndDate:            MustDate("2027-05-04"),
		RelocationSupport:  true,
		Status:             VacancyOpen,
	}
}

func validEmployer() *Employer {
	return &Employer{Name: "Metalúrgica del Norte", RFC: "MNO010203AB1", State: "MX-NLE", Municipality: "Apodaca", ContactEmail: "rh@example.com"}
}

func validOffice() *Office {
	return &Office{Name: "SNE Tapachula", State: "MX-CHP", CoverageStates: []string{"MX-CHP", "MX-TAB"}}
}

func validCounsellor() *Counsellor {
	return &Counsellor{Name: "Lucía Hernández", Email: "lucia@example.gob.mx", OfficeID: "01jq7z5k3m8n2p4r6t8v0w2x4z", Languages: []string{"es", "en", "ht"}, Capacity: 40, Active: true}
}

func validJobFair() *JobFair {
	return &JobFair{Name: "Feria de Empleo Tapachula", State: "MX-CHP", Municipality: "Tapachula", StartsOn: MustDate("2026-06-10"), EndsOn: MustDate("2026-06-11")}
}

// wantFields checks that err lists exactly the given field errors, in order; no field
// errors means err must be nil.
func wantFields(t *testing.T, err error, want ...FieldError) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("got %v, want no error", err)
		}
		return
	}
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v, want an ErrInvalid", err)
	}
	e, ok := AsError(err)
	if !ok {
		t.Fatalf("got %T, want *Error", err)
	}
	if !slices.Equal(said(e.Fields), want) {
		t.Errorf("fields:\n%s\nwant:\n%s", formatFields(e.Fields), formatFields(want))
	}
}

func formatFields(fs []FieldError) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s: %s\n", f.Field, f.Message)
	}
	return b.String()
}

func fe(field, message string) FieldError { return FieldError{Field: field, Message: message} }

// said is what the user is told of fs: the fields and the messages.
func said(fs []FieldError) []FieldError {
	out := make([]FieldError, len(fs))
	for i, f := range fs {
		out[i] = fe(f.Field, f.Message)
	}
	return out
}

// TestFieldErrorsKeepTheRule: a failed rule of Vincula's own is kept with the value at
// fault, so the API can say it in the migrant's language; other problems carry none.
func TestFieldErrorsKeepTheRule(t *testing.T) {
	c := validCandidate()
	c.Nationality, c.CurrentState, c.FullName = "XK", "MX-GTM", ""
	e, _ := AsError(c.Validate())
	got := map[string]string{}
	for _, f := range e.Fields {
		got[f.Field] = f.Rule + "=" + f.Value
	}
	want := map[string]string{"full_name": "=", "nationality": "nationality=XK", "current_state": "mxstate=MX-GTM"}
	if !maps.Equal(got, want) {
		t.Fatalf("rules and values: %v, want %v", got, want)
	}
}

const (
	msgRequired  = "is required"
	msgNegative  = "must not be negative"
	msgEmail     = "is not a valid email address"
	msgPhone     = "should be 10 to 15 digits, with an optional + in front, such as +529621234567"
	msgConsent   = "is required: when the person agreed, or refused, to have their profile shown to employers"
	msgCOMAR     = "is required for a constancia_comar: the state where the asylum claim was filed, the only one where it allows work"
	msgVAR       = "is required for a visitante_actividades_remuneradas permit: the employer named on it, the only one it allows work for"
	msgEduLevels = "use none, primary, secondary, upper_secondary, technical or university"
)

func msgState(v string) string {
	return fmt.Sprintf("%q is not a Mexican state: use an ISO 3166-2:MX code such as MX-CHP (Chiapas) or MX-NLE (Nuevo León)", v)
}

func msgCountry(v string) string {
	return fmt.Sprintf("%q is not an ISO 3166-1 country code such as GT, HN, HT or VE", v)
}

func msgNationality(v string) string {
	return fmt.Sprintf("%q is not an ISO 3166-1 country code such as GT, HN, HT or VE, nor XX for a stateless person or one whose nationality is not established", v)
}

func TestCandidateValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Candidate)
		want   []FieldError
	}{
		{"complete profile", func(*Candidate) {}, nil},
		{"only the required fields", func(c *Candidate) {
			*c = Candidate{FullName: "Ana", Nationality: "VE", BirthDate: MustDate("2000-01-01"), CurrentState: "MX-BCN",
				EducationLevel: "none", Consent: c.Consent, Status: CandidateActive}
		}, nil},
		{"everything missing", func(c *Candidate) { *c = Candidate{} }, []FieldError{
			fe("full_name", msgRequired),
			fe("nationality", msgRequired),
			fe("birth_date", msgRequired),
			fe("current_state", msgRequired),
			fe("education_level", msgRequired),
			fe("consent.given_at", msgConsent),
			fe("status", msgRequired),
		}},
		{"blank name", func(c *Candidate) { c.FullName = "   " }, []FieldError{fe("full_name", msgRequired)}},
		{"unassigned country code", func(c *Candidate) { c.Nationality = "XK" }, []FieldError{fe("nationality", msgNationality("XK"))}},
		{"lower-case country code", func(c *Candidate) { c.Nationality = "ht" }, []FieldError{fe("nationality", msgNationality("ht"))}},
		{"three-letter country code", func(c *Candidate) { c.Nationality = "HTI" }, []FieldError{fe("nationality", msgNationality("HTI"))}},
		{"stateless", func(c *Candidate) { c.Nationality = "XX" }, nil},
		{"ICAO's stateless code", func(c *Candidate) { c.Nationality = "XXA" }, []FieldError{fe("nationality", msgNationality("XXA"))}},
		{"born 1 January 1900", func(c *Candidate) { c.CURP = ""; c.BirthDate = MustDate("1900-01-01") }, nil},
		{"born before 1900", func(c *Candidate) { c.CURP = ""; c.BirthDate = MustDate("1899-12-31") },
			[]FieldError{fe("birth_date", "1899-12-31 is before 1900")}},
		// Validate reads no clock, so a future birth date passes it; ValidateAt catches it
		// (TestCandidateValidateAt).
		{"born in the future, no clock", func(c *Candidate) { c.CURP = ""; c.BirthDate = MustDate("2099-01-01") }, nil},
		{"gender F", func(c *Candidate) { c.Gender = "F" }, nil},
		{"gender X", func(c *Candidate) { c.Gender = "X" }, nil},
		{"gender left out", func(c *Candidate) { c.Gender = "" }, nil},
		{"gender in words", func(c *Candidate) { c.Gender = "male" },
			[]FieldError{fe("gender", `"male" is not F, M or X; leave it out if the person prefers not to say`)}},
		{"phone with ten digits, no +", func(c *Candidate) { c.Phone = "9621234567" }, nil},
		{"phone with 15 digits", func(c *Candidate) { c.Phone = "+123456789012345" }, nil},
		{"phone with 9 digits", func(c *Candidate) { c.Phone = "+52962123" }, []FieldError{fe("phone", msgPhone)}},
		{"phone with 16 digits", func(c *Candidate) { c.Phone = "+1234567890123456" }, []FieldError{fe("phone", msgPhone)}},
		{"phone with spaces, not normalised", func(c *Candidate) { c.Phone = "962 123 4567" }, []FieldError{fe("phone", msgPhone)}},
		{"phone with + in the middle", func(c *Candidate) { c.Phone = "52+9621234567" }, []FieldError{fe("phone", msgPhone)}},
		{"phone left out", func(c *Candidate) { c.Phone = "" }, nil},
		{"email without domain", func(c *Candidate) { c.Email = "jean.pierre@" }, []FieldError{fe("email", msgEmail)}},
		{"email left out", func(c *Candidate) { c.Email = "" }, nil},
		{"CURP left out", func(c *Candidate) { c.CURP = "" }, nil},
		{"CURP with a wrong check digit", func(c *Candidate) { c.CURP = "PIXJ920229HNERXN01" },
			[]FieldError{fe("curp", "check digit should be 6, not '1': the last character does not match the first 17")}},
		{"CURP of another birth date", func(c *Candidate) { c.BirthDate = MustDate("1992-03-01") },
			[]FieldError{fe("curp", "holds the birth date 1992-02-29, but birth_date is 1992-03-01")}},
		{"no current state", func(c *Candidate) { c.CurrentState = "" }, []FieldError{fe("current_state", msgRequired)}},
		{"current state without MX-", func(c *Candidate) { c.CurrentState = "CHP" }, []FieldError{fe("current_state", msgState("CHP"))}},
		{"bad preferred state", func(c *Candidate) { c.PreferredStates = []string{"MX-NLE", "MX-XYZ", ""} },
			[]FieldError{fe("preferred_states[1]", msgState("MX-XYZ")), fe("preferred_states[2]", msgRequired)}},
		{"unknown language code", func(c *Candidate) { c.Languages[0].Code = "kreyol" },
			[]FieldError{fe("languages[0].code", `"kreyol" is not a known ISO 639 language code such as es, en, fr, ht or quc`)}},
		{"unknown language level", func(c *Candidate) { c.Languages[1].Level = "B3" },
			[]FieldError{fe("languages[1].level", `"B3" is not a language level: use A1, A2, B1, B2, C1, C2 or native`)}},
		{"language without level", func(c *Candidate) { c.Languages[2].Level = "" },
			[]FieldError{fe("languages[2].level", msgRequired)}},
		{"language listed twice", func(c *Candidate) { c.Languages = append(c.Languages, LanguageSkill{Code: "ht", Level: "C1"}) },
			[]FieldError{fe("languages[3].code", `"ht" is already listed as languages[0]; give each language once, at its best level`)}},
		{"skill without name", func(c *Candidate) { c.Skills[1].Name = "" }, []FieldError{fe("skills[1].name", msgRequired)}},
		{"skill with negative years", func(c *Candidate) { y := -1.0; c.Skills[0].Years = &y },
			[]FieldError{fe("skills[0].years", msgNegative)}},
		{"skill with zero years", func(c *Candidate) { y := 0.0; c.Skills[0].Years = &y }, nil},
		{"bad experience", func(c *Candidate) {
			c.Experience = append(c.Experience, Experience{Title: " ", OccupationCode: "72121", Years: -2, Country: "Haiti"})
		}, []FieldError{
			fe("experience[1].title", msgRequired),
			fe("experience[1].occupation_code", `"72121" is not an ISCO-08 occupation code (1 to 4 digits, such as 7212)`),
			fe("experience[1].years", msgNegative),
			fe("experience[1].country", msgCountry("Haiti")),
		}},
		{"experience at major-group level, no country", func(c *Candidate) {
			c.Experience[0].OccupationCode = "7"
			c.Experience[0].Country = ""
		}, nil},
		{"unknown education level", func(c *Candidate) { c.EducationLevel = "college" },
			[]FieldError{fe("education_level", `"college" is not an education level: `+msgEduLevels)}},
		{"blank desired occupation", func(c *Candidate) { c.DesiredOccupations = append(c.DesiredOccupations, " ") },
			[]FieldError{fe("desired_occupations[1]", msgRequired)}},
		{"no consent record", func(c *Candidate) { c.Consent = Consent{ShareProfile: true} },
			[]FieldError{fe("consent.given_at", msgConsent)}},
		{"consent refused, with its date", func(c *Candidate) { c.Consent.ShareProfile = false }, nil},
		{"document expires before it was issued", func(c *Candidate) { c.Documents[0].ExpiresOn = MustDate("2025-09-30") },
			[]FieldError{fe("documents[0].expires_on", "2025-09-30 is before issued_on (2025-10-01)")}},
		{"document expires the day it was issued", func(c *Candidate) { c.Documents[0].ExpiresOn = c.Documents[0].IssuedOn }, nil},
		{"document with no dates", func(c *Candidate) { c.Documents[0].IssuedOn = Date{}; c.Documents[0].ExpiresOn = Date{} }, nil},
		{"COMAR certificate without state", func(c *Candidate) { c.Documents[1].State = "" },
			[]FieldError{fe("documents[1].state", msgCOMAR)}},
		{"COMAR certificate with a bad state", func(c *Candidate) { c.Documents[1].State = "Chiapas" },
			[]FieldError{fe("documents[1].state", msgState("Chiapas"))}},
		{"unknown document type", func(c *Candidate) { c.Documents[0].Type = "pasaporte" },
			[]FieldError{fe("documents[0].type", `"pasaporte" is not a document type: use residente_permanente, residente_temporal, visitante_razones_humanitarias, visitante_trabajador_fronterizo, visitante_actividades_remuneradas, visitante_regional, constancia_comar, otro, aprobacion_autoridad_laboral or autorizacion_tutor`)}},
		{"document without number", func(c *Candidate) { c.Documents[0].Number = "" },
			[]FieldError{fe("documents[0].number", msgRequired)}},
		{"no documents", func(c *Candidate) { c.Documents = nil }, nil},
		{"status left empty", func(c *Candidate) { c.Status = "" }, []FieldError{fe("status", msgRequired)}},
		{"unknown status", func(c *Candidate) { c.Status = "deleted" },
			[]FieldError{fe("status", `"deleted" is not a candidate status: use active, inactive or placed`)}},
		{"placed", func(c *Candidate) { c.Status = CandidatePlaced }, nil},
		{"several problems, all reported in field order", func(c *Candidate) {
			c.FullName = ""
			c.CurrentState = "MX-XX"
			c.Documents[1].Number = ""
			c.Status = "gone"
		}, []FieldError{
			fe("full_name", msgRequired),
			fe("current_state", msgState("MX-XX")),
			fe("documents[1].number", msgRequired),
			fe("status", `"gone" is not a candidate status: use active, inactive or placed`),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCandidate()
			tt.change(c)
			wantFields(t, c.Validate(), tt.want...)
		})
	}
}

func TestCandidateValidateAt(t *testing.T) {
	today := MustDate("2026-03-02")
	tests := []struct {
		name string
		born Date
		want []FieldError
	}{
		{"born long ago", MustDate("1970-06-01"), nil},
		{"born today", today, nil},
		{"born tomorrow", MustDate("2026-03-03"), []FieldError{fe("birth_date", "2026-03-03 is in the future")}},
		{"born before 1900", MustDate("1850-01-01"), []FieldError{fe("birth_date", "1850-01-01 is before 1900")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCandidate()
			c.CURP = ""
			c.BirthDate = tt.born
			wantFields(t, c.ValidateAt(today), tt.want...)
		})
	}
}

func TestDocumentValidate(t *testing.T) {
	tests := []struct {
		name string
		doc  Document
		want []FieldError
	}{
		{"permanent resident card", Document{Type: DocResidentePermanente, Number: "RP123"}, nil},
		{"temporary resident with permission", Document{Type: DocResidenteTemporal, Number: "RT1", WorkPermission: true, ExpiresOn: MustDate("2027-01-01")}, nil},
		{"paid-activities visitor with employer", Document{Type: DocVisitanteActividadesRemuneradas, Number: "VAR1", EmployerID: "emp1"}, nil},
		{"paid-activities visitor without employer", Document{Type: DocVisitanteActividadesRemuneradas, Number: "VAR1", EmployerID: " "},
			[]FieldError{fe("employer_id", msgVAR)}},
		{"border worker with a state it need not have", Document{Type: DocVisitanteTrabajadorFronterizo, Number: "TF1", State: "MX-CHP"}, nil},
		{"bad state on any document", Document{Type: DocOther, Number: "P1", State: "MX-CH"},
			[]FieldError{fe("state", msgState("MX-CH"))}},
		{"COMAR without state", Document{Type: DocConstanciaCOMAR, Number: "C1"}, []FieldError{fe("state", msgCOMAR)}},
		{"empty", Document{}, []FieldError{fe("type", msgRequired), fe("number", msgRequired)}},
		{"dates reversed", Document{Type: DocVisitanteRazonesHumanitarias, Number: "H1", IssuedOn: MustDate("2026-01-10"), ExpiresOn: MustDate("2026-01-09")},
			[]FieldError{fe("expires_on", "2026-01-09 is before issued_on (2026-01-10)")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFields(t, tt.doc.Validate(), tt.want...)
		})
	}
}

func TestVacancyValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(v *Vacancy)
		want   []FieldError
	}{
		{"complete vacancy", func(*Vacancy) {}, nil},
		{"only the required fields", func(v *Vacancy) {
			*v = Vacancy{EmployerID: "e1", Title: "Cocinero", EducationLevel: "none", State: "MX-ROO", Positions: 1,
				StartDate: MustDate("2026-07-01"), Status: VacancyOpen}
		}, nil},
		{"everything missing", func(v *Vacancy) { *v = Vacancy{} }, []FieldError{
			fe("employer_id", msgRequired),
			fe("title", msgRequired),
			fe("education_level", msgRequired),
			fe("state", msgRequired),
			fe("positions", "must be at least 1"),
			fe("start_date", msgRequired),
			fe("status", msgRequired),
		}},
		{"blank title", func(v *Vacancy) { v.Title = "\t" }, []FieldError{fe("title", msgRequired)}},
		{"bad occupation code", func(v *Vacancy) { v.OccupationCode = "welder" },
			[]FieldError{fe("occupation_code", `"welder" is not an ISCO-08 occupation code (1 to 4 digits, such as 7212)`)}},
		{"skill without name", func(v *Vacancy) { v.Skills[1].Name = "" }, []FieldError{fe("skills[1].name", msgRequired)}},
		{"bad language", func(v *Vacancy) { v.Languages = append(v.Languages, LanguageSkill{Code: "en", Level: "fluent"}) },
			[]FieldError{fe("languages[1].level", `"fluent" is not a language level: use A1, A2, B1, B2, C1, C2 or native`)}},
		{"negative experience", func(v *Vacancy) { v.MinExperienceYears = -0.5 }, []FieldError{fe("min_experience_years", msgNegative)}},
		{"bad education level", func(v *Vacancy) { v.EducationLevel = "Secondary" },
			[]FieldError{fe("education_level", `"Secondary" is not an education level: `+msgEduLevels)}},
		{"bad state", func(v *Vacancy) { v.State = "NL" }, []FieldError{fe("state", msgState("NL"))}},
		{"salary range reversed", func(v *Vacancy) { lo := 15000; v.SalaryMin = &lo },
			[]FieldError{fe("salary_max", "12500 is less than salary_min (15000)")}},
		{"equal salaries", func(v *Vacancy) { lo := 12500; v.SalaryMin = &lo }, nil},
		{"negative salaries", func(v *Vacancy) { lo, hi := -1, -1; v.SalaryMin, v.SalaryMax = &lo, &hi },
			[]FieldError{fe("salary_min", msgNegative), fe("salary_max", msgNegative)}},
		{"only a maximum salary", func(v *Vacancy) { v.SalaryMin = nil }, nil},
		{"zero salary", func(v *Vacancy) { z := 0; v.SalaryMin = &z }, nil},
		{"no positions", func(v *Vacancy) { v.Positions = 0; v.PositionsFilled = 0 }, []FieldError{fe("positions", "must be at least 1")}},
		{"negative positions", func(v *Vacancy) { v.Positions = -3; v.PositionsFilled = 0 }, []FieldError{fe("positions", "must be at least 1")}},
		{"more filled than offered", func(v *Vacancy) { v.PositionsFilled = 6 },
			[]FieldError{fe("positions_filled", "is 6, more than the 5 positions offered")}},
		{"all filled", func(v *Vacancy) { v.PositionsFilled = 5; v.Status = VacancyFilled }, nil},
		{"negative filled", func(v *Vacancy) { v.PositionsFilled = -1 }, []FieldError{fe("positions_filled", msgNegative)}},
		{"no start date", func(v *Vacancy) { v.StartDate = Date{} }, []FieldError{fe("start_date", msgRequired)}},
		{"ends before it starts", func(v *Vacancy) { v.EndDate = MustDate("2026-05-03") },
			[]FieldError{fe("end_date", "2026-05-03 is before start_date (2026-05-04)")}},
		{"one-day job", func(v *Vacancy) { v.EndDate = v.StartDate }, nil},
		{"no end date", func(v *Vacancy) { v.EndDate = Date{} }, nil},
		{"status left empty", func(v *Vacancy) { v.Status = "" }, []FieldError{fe("status", msgRequired)}},
		{"unknown status", func(v *Vacancy) { v.Status = "archived" },
			[]FieldError{fe("status", `"archived" is not a vacancy status: use open, paused, filled or closed`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := validVacancy()
			tt.change(v)
			wantFields(t, v.Validate(), tt.want...)
		})
	}
}

func TestEmployerValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(e *Employer)
		want   []FieldError
	}{
		{"company", func(*Employer) {}, nil},
		{"person with an RFC of 13", func(e *Employer) { e.RFC = "GODE561231GR8" }, nil},
		{"no contact email", func(e *Employer) { e.ContactEmail = "" }, nil},
		{"everything missing", func(e *Employer) { *e = Employer{} },
			[]FieldError{fe("name", msgRequired), fe("rfc", msgRequired), fe("state", msgRequired)}},
		{"RFC with a bad date", func(e *Employer) { e.RFC = "MNO011301AB1" },
			[]FieldError{fe("rfc", "the date 011301 (characters 4 to 9) is not a real date")}},
		{"RFC too short", func(e *Employer) { e.RFC = "MNO0102" },
			[]FieldError{fe("rfc", "has 7 characters; an RFC has 12 (a company) or 13 (a person)")}},
		{"bad state", func(e *Employer) { e.State = "Nuevo León" }, []FieldError{fe("state", msgState("Nuevo León"))}},
		{"bad email", func(e *Employer) { e.ContactEmail = "rh at example.com" }, []FieldError{fe("contact_email", msgEmail)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEmployer()
			tt.change(e)
			wantFields(t, e.Validate(), tt.want...)
		})
	}
}

func TestOfficeValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(o *Office)
		want   []FieldError
	}{
		{"office", func(*Office) {}, nil},
		{"no coverage states", func(o *Office) { o.CoverageStates = nil }, nil},
		{"everything missing", func(o *Office) { *o = Office{} }, []FieldError{fe("name", msgRequired), fe("state", msgRequired)}},
		{"bad coverage state", func(o *Office) { o.CoverageStates = []string{"MX-CHP", "MX-TAB", "MX-GTM"} },
			[]FieldError{fe("coverage_states[2]", msgState("MX-GTM"))}},
		{"empty coverage state", func(o *Office) { o.CoverageStates[0] = "" },
			[]FieldError{fe("coverage_states[0]", msgRequired)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := validOffice()
			tt.change(o)
			wantFields(t, o.Validate(), tt.want...)
		})
	}
}

func TestCounsellorValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Counsellor)
		want   []FieldError
	}{
		{"counsellor", func(*Counsellor) {}, nil},
		{"speaks only Spanish, listed as spa", func(c *Counsellor) { c.Languages = []string{"spa"} }, nil},
		{"no languages listed", func(c *Counsellor) { c.Languages = nil }, nil},
		{"everything missing", func(c *Counsellor) { *c = Counsellor{} }, []FieldError{
			fe("name", msgRequired), fe("email", msgRequired), fe("office_id", msgRequired), fe("capacity", "must be at least 1"),
		}},
		{"bad email", func(c *Counsellor) { c.Email = "lucia" }, []FieldError{fe("email", msgEmail)}},
		{"bad language", func(c *Counsellor) { c.Languages[1] = "english" },
			[]FieldError{fe("languages[1]", `"english" is not a known ISO 639 language code such as es, en, fr, ht or quc`)}},
		{"zero capacity", func(c *Counsellor) { c.Capacity = 0 }, []FieldError{fe("capacity", "must be at least 1")}},
		{"capacity of one", func(c *Counsellor) { c.Capacity = 1 }, nil},
		{"negative open referrals", func(c *Counsellor) { c.OpenReferrals = -1 }, []FieldError{fe("open_referrals", msgNegative)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCounsellor()
			tt.change(c)
			wantFields(t, c.Validate(), tt.want...)
		})
	}
}

func TestJobFairValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *JobFair)
		want   []FieldError
	}{
		{"two-day fair", func(*JobFair) {}, nil},
		{"one-day fair", func(f *JobFair) { f.EndsOn = f.StartsOn }, nil},
		{"everything missing", func(f *JobFair) { *f = JobFair{} }, []FieldError{
			fe("name", msgRequired), fe("state", msgRequired), fe("starts_on", msgRequired), fe("ends_on", msgRequired),
		}},
		{"ends before it starts", func(f *JobFair) { f.EndsOn = MustDate("2026-06-09") },
			[]FieldError{fe("ends_on", "2026-06-09 is before starts_on (2026-06-10)")}},
		{"bad state", func(f *JobFair) { f.State = "MX-DF" }, []FieldError{fe("state", msgState("MX-DF"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validJobFair()
			tt.change(f)
			wantFields(t, f.Validate(), tt.want...)
		})
	}
}

func TestValidateNil(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"candidate", (*Candidate)(nil).Validate(), "no candidate was given"},
		{"document", (*Document)(nil).Validate(), "no document was given"},
		{"vacancy", (*Vacancy)(nil).Validate(), "no vacancy was given"},
		{"employer", (*Employer)(nil).Validate(), "no employer was given"},
		{"office", (*Office)(nil).Validate(), "no office was given"},
		{"counsellor", (*Counsellor)(nil).Validate(), "no counsellor was given"},
		{"job fair", (*JobFair)(nil).Validate(), "no job fair was given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, ErrInvalid) || tt.err.Error() != tt.want {
				t.Errorf("got %v, want ErrInvalid %q", tt.err, tt.want)
			}
		})
	}
}

func TestCandidateNormalize(t *testing.T) {
	c := validCandidate()
	c.FullName = "  Jean   Pierre "
	c.Nationality = " ht"
	c.Gender = "m"
	c.Phone = "+52 (962) 123-45.67"
	c.Email = " Jean.Pierre@Example.ORG "
	c.CURP = "pixj920229hnerxn06 "
	c.CurrentState = "mx-chp"
	c.PreferredStates = []string{" mx-nle", "MX-coa"}
	c.Languages = []LanguageSkill{{Code: "HAT", Level: "Native"}, {Code: "fr-HT", Level: " b2"}, {Code: "spa", Level: "a2"}}
	c.Skills[0].Name = " soldadura  MIG"
	c.Experience[0].Title = "Soldador "
	c.Experience[0].Country = "ht"
	c.EducationLevel = "Technical"
	c.DesiredOccupations = []string{" soldador "}
	c.Documents[0].Type = " Visitante_Razones_Humanitarias"
	c.Documents[0].Number = " TVRH123456 "
	c.Documents[1].State = "mx-chp"
	c.Status = ""

	c.Normalize()

	want := validCandidate()
	want.Status = CandidateActive
	if c.FullName != want.FullName || c.Nationality != want.Nationality || c.Gender != want.Gender ||
		c.Phone != want.Phone || c.Email != want.Email || c.CURP != want.CURP || c.CurrentState != want.CurrentState ||
		c.EducationLevel != want.EducationLevel || c.Status != want.Status {
		t.Errorf("scalars after Normalize:\n got %q %q %q %q %q %q %q %q %q", c.FullName, c.Nationality, c.Gender, c.Phone, c.Email, c.CURP, c.CurrentState, c.EducationLevel, c.Status)
	}
	if !slices.Equal(c.PreferredStates, want.PreferredStates) {
		t.Errorf("preferred_states = %q, want %q", c.PreferredStates, want.PreferredStates)
	}
	if !slices.Equal(c.Languages, want.Languages) {
		t.Errorf("languages = %v, want %v", c.Languages, want.Languages)
	}
	if c.Skills[0].Name != "soldadura MIG" || c.Experience[0].Title != "Soldador" || c.Experience[0].Country != "HT" {
		t.Errorf("skills/experience = %q %q %q", c.Skills[0].Name, c.Experience[0].Title, c.Experience[0].Country)
	}
	if !slices.Equal(c.DesiredOccupations, []string{"soldador"}) {
		t.Errorf("desired_occupations = %q", c.DesiredOccupations)
	}
	if c.Documents[0].Type != DocVisitanteRazonesHumanitarias || c.Documents[0].Number != "TVRH123456" || c.Documents[1].State != "MX-CHP" {
		t.Errorf("documents = %+v", c.Documents)
	}
	wantFields(t, c.Validate())

	// A status that was given is kept.
	c.Status = " Placed "
	c.Normalize()
	if c.Status != CandidatePlaced {
		t.Errorf("status = %q, want placed", c.Status)
	}
}

func TestVacancyNormalize(t *testing.T) {
	v := validVacancy()
	v.Title = " Soldador   MIG\n"
	v.State = "mx-nle "
	v.EducationLevel = " SECONDARY"
	v.Languages = []LanguageSkill{{Code: " ES", Level: "a2"}}
	v.Skills[0].Name = "soldadura MIG "
	v.Status = ""
	v.Positions = 0

	v.Normalize()

	if v.Title != "Soldador MIG" || v.State != "MX-NLE" || v.EducationLevel != "secondary" || v.Skills[0].Name != "soldadura MIG" {
		t.Errorf("after Normalize: %q %q %q %q", v.Title, v.State, v.EducationLevel, v.Skills[0].Name)
	}
	if !slices.Equal(v.Languages, []LanguageSkill{{Code: "es", Level: "A2"}}) {
		t.Errorf("languages = %v", v.Languages)
	}
	if v.Status != VacancyOpen {
		t.Errorf("status = %q, want open", v.Status)
	}
	// Positions have no default: the employer must say how many people to hire.
	if v.Positions != 0 {
		t.Errorf("positions = %d, want 0 left as given", v.Positions)
	}
	v.Status = "PAUSED"
	v.Normalize()
	if v.Status != VacancyPaused {
		t.Errorf("status = %q, want paused", v.Status)
	}
}

func TestEmployerNormalize(t *testing.T) {
	tests := []struct{ rfc, want string }{
		{"mno010203ab1", "MNO010203AB1"},
		{" MNO-010203-AB1 ", "MNO010203AB1"},
		{"MNO 010203 AB1", "MNO010203AB1"},
		{"muña790101kl2", "MUÑA790101KL2"},
	}
	for _, tt := range tests {
		t.Run(tt.rfc, func(t *testing.T) {
			e := validEmployer()
			e.RFC = tt.rfc
			e.Name = " Metalúrgica  del Norte "
			e.State = "mx-nle"
			e.ContactEmail = "RH@Example.com"
			e.Normalize()
			if e.RFC != tt.want || e.Name != "Metalúrgica del Norte" || e.State != "MX-NLE" || e.ContactEmail != "rh@example.com" {
				t.Errorf("after Normalize: %q %q %q %q", e.RFC, e.Name, e.State, e.ContactEmail)
			}
			wantFields(t, e.Validate())
		})
	}
}

func TestOfficeCounsellorJobFairNormalize(t *testing.T) {
	o := &Office{Name: " SNE  Tapachula", State: "mx-chp", CoverageStates: []string{"mx-chp ", " Mx-Tab"}}
	o.Normalize()
	if o.Name != "SNE Tapachula" || o.State != "MX-CHP" || !slices.Equal(o.CoverageStates, []string{"MX-CHP", "MX-TAB"}) {
		t.Errorf("office after Normalize: %+v", o)
	}

	c := &Counsellor{Name: "Lucía  Hernández ", Email: " Lucia@Example.gob.mx", OfficeID: " o1 ", Languages: []string{"SPA", "en-US", "fre", "quc"}, Capacity: 3}
	c.Normalize()
	if c.Name != "Lucía Hernández" || c.Email != "lucia@example.gob.mx" || c.OfficeID != "o1" || !slices.Equal(c.Languages, []string{"es", "en", "fr", "quc"}) {
		t.Errorf("counsellor after Normalize: %+v", c)
	}

	f := &JobFair{Name: " Feria  2026 ", State: " mx-bcn", Municipality: " Tijuana "}
	f.Normalize()
	if f.Name != "Feria 2026" || f.State != "MX-BCN" || f.Municipality != "Tijuana" {
		t.Errorf("job fair after Normalize: %+v", f)
	}
}

func TestNormalizeNil(t *testing.T) {
	// Normalize on a nil record does nothing rather than panic.
	(*Candidate)(nil).Normalize()
	(*Document)(nil).Normalize()
	(*Vacancy)(nil).Normalize()
	(*Employer)(nil).Normalize()
	(*Office)(nil).Normalize()
	(*Counsellor)(nil).Normalize()
	(*JobFair)(nil).Normalize()
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+529621234567", "+529621234567"},
		{"+52 962 123 4567", "+529621234567"},
		{"(962) 123-45-67", "9621234567"},
		{"962.123.4567", "9621234567"},
		{" +509 3412 3456 ", "+50934123456"},
		{"962-ABC-4567", "962ABC4567"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := NormalizePhone(tt.in); got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidCountryCode(t *testing.T) {
	if got := len(countryCodes); got != 249 {
		t.Errorf("%d country codes, want the 249 ISO 3166-1 assigns", got)
	}
	tests := []struct {
		code string
		want bool
	}{
		{"MX", true}, {"GT", true}, {"HN", true}, {"SV", true}, {"HT", true}, {"VE", true},
		{"CU", true}, {"NI", true}, {"CO", true}, {"EC", true}, {"AF", true}, {"CD", true},
		{"SS", true}, {"AX", true}, {"ZW", true},
		{"", false}, {"mx", false}, {"MEX", false}, {"M", false},
		{"XK", false}, // Kosovo: user-assigned, not assigned by ISO
		{"UK", false}, // the United Kingdom is GB
		{"EU", false}, // exceptionally reserved
		{"AN", false}, // Netherlands Antilles, withdrawn
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := ValidCountryCode(tt.code); got != tt.want {
				t.Errorf("ValidCountryCode(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

// TestNewValidator checks what the api package relies on when it puts Vincula's tags on
// its own request types: JSON names in paths and plain-words messages.
func TestNewValidator(t *testing.T) {
	type document struct {
		Type      DocumentType `json:"type" validate:"required,doctype"`
		ExpiresOn string       `json:"expires_on" validate:"required"`
	}
	type request struct {
		FullName  string          `json:"full_name" validate:"notblank"`
		State     string          `json:"state" validate:"mxstate"`
		CURP      string          `json:"curp,omitempty" validate:"omitempty,curp"`
		Languages []LanguageSkill `json:"languages" validate:"dive"`
		Level     string          `json:"level" validate:"langlevel"`
		Documents []document      `json:"documents" validate:"dive"`
		PIN       string          `json:"pin" validate:"min=6"`
		Untagged  string          `validate:"required"`
	}
	err := NewValidator().Struct(request{
		FullName:  " ",
		State:     "MX-CHP",
		CURP:      "PIXJ920229HNERXN01",
		Level:     "C3",
		Documents: []document{{Type: DocResidentePermanente, ExpiresOn: "2027-01-01"}, {Type: "visa"}},
		PIN:       "123",
	})
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		t.Fatalf("Struct = %v, want validator.ValidationErrors", err)
	}
	got := FieldErrorsOf(verrs)
	want := FieldErrors{
		fe("full_name", msgRequired),
		fe("curp", "check digit should be 6, not '1': the last character does not match the first 17"),
		fe("level", `"C3" is not a language level: use A1, A2, B1, B2, C1, C2 or native`),
		fe("documents[1].type", `"visa" is not a document type: use residente_permanente, residente_temporal, visitante_razones_humanitarias, visitante_trabajador_fronterizo, visitante_actividades_remuneradas, visitante_regional, constancia_comar, otro, aprobacion_autoridad_laboral or autorizacion_tutor`),
		fe("documents[1].expires_on", msgRequired),
		fe("pin", "must be at least 6"),
		fe("Untagged", msgRequired),
	}
	if !slices.Equal(said(got), want) {
		t.Errorf("FieldErrorsOf:\n%s\nwant:\n%s", formatFields(got), formatFields(want))
	}
	// The rules of Vincula's own tags travel with the value, for translations.
	var rules []string
	for _, f := range got {
		rules = append(rules, f.Rule+"="+f.Value)
	}
	if want := []string{"=", "curp=PIXJ920229HNERXN01", "langlevel=C3", "doctype=visa", "=", "=", "="}; !slices.Equal(rules, want) {
		t.Errorf("rules and values: %q, want %q", rules, want)
	}
}

func TestRegisterValidations(t *testing.T) {
	v := validator.New()
	if err := RegisterValidations(v); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		value any
		tag   string
		ok    bool
	}{
		{"state", "MX-CHP", "mxstate", true},
		{"not a state", "MX-GTM", "mxstate", false},
		{"typed document type", DocConstanciaCOMAR, "doctype", true},
		{"typed vacancy status", VacancyClosed, "vacancystatus", true},
		{"typed candidate status", CandidateStatus("lost"), "candidatestatus", false},
		{"not a string", 5, "mxstate", false},
		{"RFC", "GODE561231GR8", "rfc", true},
		{"CURP", "GOMA850312HCSMRN02", "curp", true},
		{"language code", "quc", "langcode", true},
		{"education level", "upper_secondary", "edulevel", true},
		{"country", "SV", "country", true},
		{"stateless is no country", "XX", "country", false},
		{"stateless nationality", "XX", "nationality", true},
		{"unassigned nationality", "XK", "nationality", false},
		{"phone", "+50371234567", "phone", true},
		{"gender", "X", "gender", true},
		{"ISCO", "93", "isco", true},
		{"blank", " \t", "notblank", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Var(tt.value, tt.tag)
			if (err == nil) != tt.ok {
				t.Errorf("Var(%v, %q) = %v, want ok=%v", tt.value, tt.tag, err, tt.ok)
			}
		})
	}
}
