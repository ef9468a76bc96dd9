package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vincula/vincula/models"
)

// jsonCol stores a list or small struct as JSON text, the same on both engines.
type jsonCol[T any] struct{ V T }

func (j jsonCol[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.V)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return "[]", nil
	}
	return string(b), nil
}

func (j *jsonCol[T]) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("store: cannot read JSON column from %T", src)
	}
	return json.Unmarshal(b, &j.V)
}

func jsonOf[T any](v T) jsonCol[T] { return jsonCol[T]{V: v} }

type employerRow struct {
	ID                      string
	Name                    string
	RFC                     string `gorm:"column:rfc"`
	State                   string
	Municipality            string
	Sector                  string
	ContactEmail            string
	INMEmployerRegistration string `gorm:"column:inm_employer_registration"`
	CreatedAt               time.Time
}

func (employerRow) TableName() string { return "employers" }

func toEmployerRow(e *models.Employer) employerRow {
	return employerRow{ID: e.ID, Name: e.Name, RFC: e.RFC, State: e.State, Municipality: e.Municipality,
		Sector: e.Sector, ContactEmail: e.ContactEmail, INMEmployerRegistration: e.INMEmployerRegistration, CreatedAt: e.CreatedAt}
}

func (r employerRow) toModel() models.Employer {
	return models.Employer{ID: r.ID, Name: r.Name, RFC: r.RFC, State: r.State, Municipality: r.Municipality,
		Sector: r.Sector, ContactEmail: r.ContactEmail, INMEmployerRegistration: r.INMEmployerRegistration, CreatedAt: r.CreatedAt}
}

type vacancyRow struct {
	ID                 string
	EmployerID         string
	Title              string
	Description        string
	OccupationCode     string
	Skills             jsonCol[[]models.VacancySkill]
	Languages          jsonCol[[]models.LanguageSkill]
	MinExperienceYears float64
	EducationLevel     string
	State              string
	Municipality       string
	SalaryMin          *int
	SalaryMax          *int
	Positions          int
	PositionsFilled    int
	StartDate          models.Date
	EndDate            models.Date
	RelocationSupport  bool
	Hazardous          *bool
	NightWork          bool
	ServesAlcohol      bool
	HoursPerWeek       int
	Status             string
	JobFairID          *string
	ExternalKey        *string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (vacancyRow) TableName() string { return "vacancies" }

func toVacancyRow(v *models.Vacancy) vacancyRow {
	return vacancyRow{ID: v.ID, EmployerID: v.EmployerID, Title: v.Title, Description: v.Description,
		OccupationCode: v.OccupationCode, Skills: jsonOf(v.Skills), Languages: jsonOf(v.Languages),
		MinExperienceYears: v.MinExperienceYears, EducationLevel: v.EducationLevel, State: v.State,
		Municipality: v.Municipality, SalaryMin: v.SalaryMin, SalaryMax: v.SalaryMax, Positions: v.Positions,
		PositionsFilled: v.PositionsFilled, StartDate: v.StartDate, EndDate: v.EndDate,
		RelocationSupport: v.RelocationSupport, Hazardous: resolvedHazard(v), NightWork: v.NightWork,
		ServesAlcohol: v.ServesAlcohol, HoursPerWeek: v.HoursPerWeek, Status: string(v.Status), JobFairID: nullable(v.JobFairID),
		ExternalKey: nullable(v.ExternalID), CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}

// resolvedHazard is the hazardous flag to store: as declared or, when nothing was (the
// bulk paths of the demo data and the generator), as the occupation says, so that only
// rows written before the column existed are NULL.
func resolvedHazard(v *models.Vacancy) *bool {
	if v.Hazardous != nil {
		return v.Hazardous
	}
	h := v.IsHazardous()
	return &h
}

func (r vacancyRow) toModel() models.Vacancy {
	return models.Vacancy{ID: r.ID, EmployerID: r.EmployerID, Title: r.Title, Description: r.Description,
		OccupationCode: r.OccupationCode, Skills: nonNil(r.Skills.V), Languages: nonNil(r.Languages.V),
		MinExperienceYears: r.MinExperienceYears, EducationLevel: r.EducationLevel, State: r.State,
		Municipality: r.Municipality, SalaryMin: r.SalaryMin, SalaryMax: r.SalaryMax, Positions: r.Positions,
		PositionsFilled: r.PositionsFilled, StartDate: r.StartDate, EndDate: r.EndDate,
		RelocationSupport: r.RelocationSupport, Hazardous: r.Hazardous, NightWork: r.NightWork,
		ServesAlcohol: r.ServesAlcohol, HoursPerWeek: r.HoursPerWeek, Status: models.VacancyStatus(r.Status),
		JobFairID: deref(r.JobFairID), ExternalID: deref(r.ExternalKey), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type candidateRow struct {
	ID                 string
	FullName           string
	NameFolded         string
	Nationality        string
	BirthDate          models.Date
	Gender             string
	Phone              string
	Email              string
	CURPEnc            string `gorm:"column:curp_enc"`
	CurrentState       string
	Municipality       string
	Hub                string
	WillingToRelocate  bool
	PreferredStates    jsonCol[[]string]
	Languages          jsonCol[[]models.LanguageSkill]
	Skills             jsonCol[[]models.CandidateSkill]
	Experience         jsonCol[[]models.Experience]
	EducationLevel     string
	AvailableFrom      models.Date
	DesiredOccupations jsonCol[[]string]
	ConsentShare       bool
	ConsentGivenAt     *time.Time
	Status             string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (candidateRow) TableName() string { return "candidates" }

type documentRow struct {
	ID             string
	CandidateID    string
	Position       int
	Type           string
	NumberEnc      string
	IssuedOn       models.Date
	ExpiresOn      models.Date
	WorkPermission bool
	State          string
	EmployerID     string
	Verified       bool
	VerifiedBy     string
	VerifiedAt     *time.Time
}

func (documentRow) TableName() string { return "documents" }

func (s *Store) toCandidateRows(c *models.Candidate) (candidateRow, []documentRow) {
	row := candidateRow{ID: c.ID, FullName: c.FullName, NameFolded: models.Fold(c.FullName),
		Nationality: c.Nationality, BirthDate: c.BirthDate, Gender: c.Gender, Phone: c.Phone, Email: c.Email,
		CURPEnc: s.cipher.seal(c.CURP), CurrentState: c.CurrentState, Municipality: c.Municipality, Hub: c.Hub,
		WillingToRelocate: c.WillingToRelocate, PreferredStates: jsonOf(c.PreferredStates),
		Languages: jsonOf(c.Languages), Skills: jsonOf(c.Skills), Experience: jsonOf(c.Experience),
		EducationLevel: c.EducationLevel, AvailableFrom: c.AvailableFrom,
		DesiredOccupations: jsonOf(c.DesiredOccupations), ConsentShare: c.Consent.ShareProfile,
		ConsentGivenAt: c.Consent.GivenAt, Status: string(c.Status), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	docs := make([]documentRow, len(c.Documents))
	for i, d := range c.Documents {
		docs[i] = documentRow{ID: d.ID, CandidateID: c.ID, Position: i, Type: string(d.Type),
			NumberEnc: s.cipher.seal(d.Number), IssuedOn: d.IssuedOn, ExpiresOn: d.ExpiresOn,
			WorkPermission: d.WorkPermission, State: d.State, EmployerID: d.EmployerID, Verified: d.Verified,
			VerifiedBy: d.VerifiedBy, VerifiedAt: d.VerifiedAt}
	}
	return row, docs
}

func (s *Store) toCandidate(r candidateRow, docs []documentRow) (models.Candidate, error) {
	curp, err := s.cipher.open(r.CURPEnc)
	if err != nil {
		return models.Candidate{}, err
	}
	c := models.Candidate{ID: r.ID, FullName: r.FullName, Nationality: r.Nationality, BirthDate: r.BirthDate,
		Gender: r.Gender, Phone: r.Phone, Email: r.Email, CURP: curp, CurrentState: r.CurrentState,
		Municipality: r.Municipality, Hub: r.Hub, WillingToRelocate: r.WillingToRelocate,
		PreferredStates: nonNil(r.PreferredStates.V), Languages: nonNil(r.Languages.V),
		Skills: nonNil(r.Skills.V), Experience: nonNil(r.Experience.V), EducationLevel: r.EducationLevel,
		AvailableFrom: r.AvailableFrom, DesiredOccupations: nonNil(r.DesiredOccupations.V),
		Consent: models.Consent{ShareProfile: r.ConsentShare, GivenAt: r.ConsentGivenAt},
		Status:  models.CandidateStatus(r.Status), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Documents: make([]models.Document, 0, len(docs))}
	for _, d := range docs {
		number, err := s.cipher.open(d.NumberEnc)
		if err != nil {
			return models.Candidate{}, err
		}
		c.Documents = append(c.Documents, models.Document{ID: d.ID, Type: models.DocumentType(d.Type),
			Number: number, IssuedOn: d.IssuedOn, ExpiresOn: d.ExpiresOn, WorkPermission: d.WorkPermission,
			State: d.State, EmployerID: d.EmployerID, Verified: d.Verified, VerifiedBy: d.VerifiedBy,
			VerifiedAt: d.VerifiedAt})
	}
	return c, nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
