package api

import (
	"time"

	"github.com/vincula/vincula/models"
)

// The request types: what clients may send. They are separate from the domain types
// so a client can never set an ID, a timestamp or a verification flag.

type userRequest struct {
	Name       string      `json:"name"`
	Email      string      `json:"email"`
	Role       models.Role `json:"role"`
	EmployerID string      `json:"employer_id,omitempty"`
	OfficeID   string      `json:"office_id,omitempty"`
}

type userCreated struct {
	ID         string      `json:"id"`
	Role       models.Role `json:"role"`
	Token      string      `json:"token"`
	EmployerID string      `json:"employer_id,omitempty"`
	OfficeID   string      `json:"office_id,omitempty"`
	// TokenExpiresAt is when the token stops being accepted (Config.TokenTTL).
	TokenExpiresAt time.Time `json:"token_expires_at"`
}

type employerRequest struct {
	Name                    string `json:"name"`
	RFC                     string `json:"rfc"`
	State                   string `json:"state"`
	Municipality            string `json:"municipality,omitempty"`
	Sector                  string `json:"sector,omitempty"`
	ContactEmail            string `json:"contact_email,omitempty"`
	INMEmployerRegistration string `json:"inm_employer_registration,omitempty"`
}

func (r employerRequest) toModel() models.Employer {
	return models.Employer{Name: r.Name, RFC: r.RFC, State: r.State, Municipality: r.Municipality,
		Sector: r.Sector, ContactEmail: r.ContactEmail, INMEmployerRegistration: r.INMEmployerRegistration}
}

type vacancyRequest struct {
	EmployerID         string                 `json:"employer_id"`
	Title              string                 `json:"title"`
	Description        string                 `json:"description"`
	OccupationCode     string                 `json:"occupation_code,omitempty"`
	Skills             []models.VacancySkill  `json:"skills"`
	Languages          []models.LanguageSkill `json:"languages"`
	MinExperienceYears float64                `json:"min_experience_years"`
	EducationLevel     string                 `json:"education_level"`
	State              string                 `json:"state"`
	Municipality       string                 `json:"municipality,omitempty"`
	SalaryMin          *int                   `json:"salary_min,omitempty"`
	SalaryMax          *int                   `json:"salary_max,omitempty"`
	Positions          int                    `json:"positions"`
	StartDate          models.Date            `json:"start_date"`
	EndDate            models.Date            `json:"end_date"`
	RelocationSupport  bool                   `json:"relocation_support"`
	Hazardous          *bool                  `json:"hazardous,omitempty"`
	NightWork          bool                   `json:"night_work"`
	ServesAlcohol      bool                   `json:"serves_alcohol"`
	HoursPerWeek       int                    `json:"hours_per_week"`
	Status             models.VacancyStatus   `json:"status,omitempty"`
	JobFairID          string                 `json:"job_fair_id,omitempty"`
	ExternalID         string                 `json:"external_id,omitempty"`
}

func toVacancyRequest(v models.Vacancy) vacancyRequest {
	return vacancyRequest{EmployerID: v.EmployerID, Title: v.Title, Description: v.Description,
		OccupationCode: v.OccupationCode, Skills: v.Skills, Languages: v.Languages,
		MinExperienceYears: v.MinExperienceYears, EducationLevel: v.EducationLevel, State: v.State,
		Municipality: v.Municipality, SalaryMin: v.SalaryMin, SalaryMax: v.SalaryMax, Positions: v.Positions,
		StartDate: v.StartDate, EndDate: v.EndDate, RelocationSupport: v.RelocationSupport,
		Hazardous: v.Hazardous, NightWork: v.NightWork, ServesAlcohol: v.ServesAlcohol, HoursPerWeek: v.HoursPerWeek,
		Status: v.Status, JobFairID: v.JobFairID, ExternalID: v.ExternalID}
}

// apply copies the request onto v, keeping what a client may not set (ID, counts,
// timestamps).
func (r vacancyRequest) apply(v *models.Vacancy) {
	v.EmployerID, v.Title, v.Description, v.OccupationCode = r.EmployerID, r.Title, r.Description, r.OccupationCode
	v.Skills, v.Languages, v.MinExperienceYears = r.Skills, r.Languages, r.MinExperienceYears
	v.EducationLevel, v.State, v.Municipality = r.EducationLevel, r.State, r.Municipality
	v.SalaryMin, v.SalaryMax, v.Positions = r.SalaryMin, r.SalaryMax, r.Positions
	v.StartDate, v.EndDate, v.RelocationSupport = r.StartDate, r.EndDate, r.RelocationSupport
	v.Hazardous, v.NightWork, v.ServesAlcohol, v.HoursPerWeek = r.Hazardous, r.NightWork, r.ServesAlcohol, r.HoursPerWeek
	v.Status, v.JobFairID, v.ExternalID = r.Status, r.JobFairID, r.ExternalID
}

type documentRequest struct {
	Type           models.DocumentType `json:"type"`
	Number         string              `json:"number"`
	IssuedOn       models.Date         `json:"issued_on"`
	ExpiresOn      models.Date         `json:"expires_on"`
	WorkPermission bool                `json:"work_permission"`
	State          string              `json:"state,omitempty"`
	EmployerID     string              `json:"employer_id,omitempty"`
}

type consentRequest struct {
	ShareProfile bool       `json:"share_profile"`
	GivenAt      *time.Time `json:"given_at,omitempty"`
}

type candidateRequest struct {
	FullName           string                  `json:"full_name"`
	Nationality        string                  `json:"nationality"`
	BirthDate          models.Date             `json:"birth_date"`
	Gender             string                  `json:"gender,omitempty"`
	Phone              string                  `json:"phone,omitempty"`
	Email              string                  `json:"email,omitempty"`
	CURP               string                  `json:"curp,omitempty"`
	CurrentState       string                  `json:"current_state"`
	Municipality       string                  `json:"municipality,omitempty"`
	Hub                string                  `json:"hub,omitempty"`
	WillingToRelocate  bool                    `json:"willing_to_relocate"`
	PreferredStates    []string                `json:"preferred_states"`
	Languages          []models.LanguageSkill  `json:"languages"`
	Skills             []models.CandidateSkill `json:"skills"`
	Experience         []models.Experience     `json:"experience"`
	EducationLevel     string                  `json:"education_level"`
	AvailableFrom      models.Date             `json:"available_from"`
	DesiredOccupations []string                `json:"desired_occupations"`
	Consent            *consentRequest         `json:"consent"`
	Documents          []documentRequest       `json:"documents"`
	Status             models.CandidateStatus  `json:"status,omitempty"`
}

func toCandidateRequest(c models.Candidate) candidateRequest {
	r := candidateRequest{FullName: c.FullName, Nationality: c.Nationality, BirthDate: c.BirthDate,
		Gender: c.Gender, Phone: c.Phone, Email: c.Email, CURP: c.CURP, CurrentState: c.CurrentState,
		Municipality: c.Municipality, Hub: c.Hub, WillingToRelocate: c.WillingToRelocate,
		PreferredStates: c.PreferredStates, Languages: c.Languages, Skills: c.Skills, Experience: c.Experience,
		EducationLevel: c.EducationLevel, AvailableFrom: c.AvailableFrom, DesiredOccupations: c.DesiredOccupations,
		Consent: &consentRequest{ShareProfile: c.Consent.ShareProfile, GivenAt: c.Consent.GivenAt}, Status: c.Status}
	for _, d := range c.Documents {
		r.Documents = append(r.Documents, documentRequest{Type: d.Type, Number: d.Number, IssuedOn: d.IssuedOn,
			ExpiresOn: d.ExpiresOn, WorkPermission: d.WorkPermission, State: d.State, EmployerID: d.EmployerID})
	}
	return r
}

// apply copies the request onto c. Documents that are unchanged keep their ID and
// verification; new or changed ones are verified by verifier when verifier is not
// empty (staff saw the original) and unverified otherwise (a migrant's own change).
func (r candidateRequest) apply(c *models.Candidate, verifier string, at time.Time) {
	c.FullName, c.Nationality, c.BirthDate, c.Gender = r.FullName, r.Nationality, r.BirthDate, r.Gender
	c.Phone, c.Email, c.CURP, c.CurrentState = r.Phone, r.Email, r.CURP, r.CurrentState
	c.Municipality, c.Hub, c.WillingToRelocate = r.Municipality, r.Hub, r.WillingToRelocate
	c.PreferredStates, c.Languages, c.Skills, c.Experience = r.PreferredStates, r.Languages, r.Skills, r.Experience
	c.EducationLevel, c.AvailableFrom, c.DesiredOccupations = r.EducationLevel, r.AvailableFrom, r.DesiredOccupations
	c.Status = r.Status
	if r.Consent != nil {
		// given_at records when the current choice was made: kept while the choice
		// stands, set to now when it changes or was never recorded.
		given := r.Consent.GivenAt
		if given == nil {
			if c.Consent.GivenAt != nil && c.Consent.ShareProfile == r.Consent.ShareProfile {
				given = c.Consent.GivenAt
			} else {
				t := at
				given = &t
			}
		}
		c.Consent = models.Consent{ShareProfile: r.Consent.ShareProfile, GivenAt: given}
	}
	old := c.Documents
	c.Documents = make([]models.Document, 0, len(r.Documents))
	for _, d := range r.Documents {
		doc := models.Document{Type: d.Type, Number: d.Number, IssuedOn: d.IssuedOn, ExpiresOn: d.ExpiresOn,
			WorkPermission: d.WorkPermission, State: d.State, EmployerID: d.EmployerID}
		if prev, ok := sameDocument(old, doc); ok {
			doc = prev
		} else if verifier != "" {
			t := at
			doc.Verified, doc.VerifiedBy, doc.VerifiedAt = true, verifier, &t
		}
		c.Documents = append(c.Documents, doc)
	}
}

func sameDocument(docs []models.Document, d models.Document) (models.Document, bool) {
	for _, o := range docs {
		if o.Type == d.Type && o.Number == d.Number && o.IssuedOn.Equal(d.IssuedOn) && o.ExpiresOn.Equal(d.ExpiresOn) &&
			o.WorkPermission == d.WorkPermission && o.State == d.State && o.EmployerID == d.EmployerID {
			return o, true
		}
	}
	return models.Document{}, false
}

type officeRequest struct {
	Name           string   `json:"name"`
	State          string   `json:"state"`
	CoverageStates []string `json:"coverage_states"`
	National       bool     `json:"national,omitempty"`
}

type counsellorRequest struct {
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	OfficeID  string   `json:"office_id"`
	Languages []string `json:"languages"`
	Capacity  int      `json:"capacity"`
}

type counsellorCreated struct {
	models.Counsellor
	Token          string    `json:"token"`
	TokenExpiresAt time.Time `json:"token_expires_at"`
}

type jobFairRequest struct {
	Name         string      `json:"name"`
	State        string      `json:"state"`
	Municipality string      `json:"municipality,omitempty"`
	StartsOn     models.Date `json:"starts_on"`
	EndsOn       models.Date `json:"ends_on"`
	// OrganiserID lets an admin create a fair on an organiser's behalf.
	OrganiserID string `json:"organiser_id,omitempty"`
}
