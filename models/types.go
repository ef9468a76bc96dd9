package models

import "time"

// Role is what a user may do; every API route and every object check is written
// against these.
type Role string

// The roles of DESIGN.md ("Users").
const (
	RoleMigrant    Role = "migrant"
	RoleEmployer   Role = "employer"
	RoleCounsellor Role = "counsellor"
	RoleHubStaff   Role = "hub_staff"
	RoleOrganiser  Role = "organiser"
	RoleAdmin      Role = "admin"
)

// Roles lists every role, for validation and for the role × endpoint tests.
var Roles = []Role{RoleMigrant, RoleEmployer, RoleCounsellor, RoleHubStaff, RoleOrganiser, RoleAdmin}

// User is someone who calls the API. Scope fields tie a role to its objects: an employer
// user to one employer, a counsellor to an office (and a Counsellor record), a migrant to
// one candidate profile.
type User struct {
	ID           string
	Name         string
	Email        string
	Role         Role
	EmployerID   string
	OfficeID     string
	CounsellorID string
	CandidateID  string
	CreatedAt    time.Time
	// TokenExpiresAt is when the user's bearer token stops being accepted; zero when
	// none was recorded (a staff user created before tokens had a lifetime).
	TokenExpiresAt time.Time
}

// Employer is a company or person that posts vacancies.
type Employer struct {
	ID                      string    `json:"id"`
	Name                    string    `json:"name"`
	RFC                     string    `json:"rfc"`
	State                   string    `json:"state"`
	Municipality            string    `json:"municipality,omitempty"`
	Sector                  string    `json:"sector,omitempty"`
	ContactEmail            string    `json:"contact_email,omitempty"`
	INMEmployerRegistration string    `json:"inm_employer_registration,omitempty"`
	CreatedAt               time.Time `json:"created_at"`
}

// VacancyStatus is where a vacancy stands; only open vacancies are matched.
type VacancyStatus string

// The vacancy statuses of API.md.
const (
	VacancyOpen   VacancyStatus = "open"
	VacancyPaused VacancyStatus = "paused"
	VacancyFilled VacancyStatus = "filled"
	VacancyClosed VacancyStatus = "closed"
)

// VacancyStatuses lists the valid statuses.
var VacancyStatuses = []VacancyStatus{VacancyOpen, VacancyPaused, VacancyFilled, VacancyClosed}

// EducationLevels lists the values of education_level, lowest first; the order is used
// when a candidate's level is compared with a vacancy's.
var EducationLevels = []string{"none", "primary", "secondary", "upper_secondary", "technical", "university"}

// VacancySkill is a skill a vacancy asks for.
type VacancySkill struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

// LanguageSkill is an ISO 639 language code with a CEFR level (A1..C2) or "native".
type LanguageSkill struct {
	Code  string `json:"code"`
	Level string `json:"level"`
}

// Vacancy is a job offer at one place from one start date.
type Vacancy struct {
	ID                 string          `json:"id"`
	EmployerID         string          `json:"employer_id"`
	Title              string          `json:"title"`
	Description        string          `json:"description"`
	OccupationCode     string          `json:"occupation_code,omitempty"`
	Skills             []VacancySkill  `json:"skills"`
	Languages          []LanguageSkill `json:"languages"`
	MinExperienceYears float64         `json:"min_experience_years"`
	EducationLevel     string          `json:"education_level"`
	State              string          `json:"state"`
	Municipality       string          `json:"municipality,omitempty"`
	SalaryMin          *int            `json:"salary_min,omitempty"`
	SalaryMax          *int            `json:"salary_max,omitempty"`
	Positions          int             `json:"positions"`
	PositionsFilled    int             `json:"positions_filled"`
	StartDate          Date            `json:"start_date"`
	EndDate            Date            `json:"end_date"`
	RelocationSupport  bool            `json:"relocation_support"`
	// Hazardous, NightWork, ServesAlcohol and HoursPerWeek are the conditions of the
	// work that decide whether a person of 15 to 17 may take it (Ley Federal del Trabajo
	// arts. 175 to 177). Hazardous left out means "as the occupation says": a vacancy
	// whose occupation is on DangerousOccupations is hazardous; once stored it is never
	// null. HoursPerWeek 0 means not stated.
	Hazardous     *bool         `json:"hazardous"`
	NightWork     bool          `json:"night_work"`
	ServesAlcohol bool          `json:"serves_alcohol"`
	HoursPerWeek  int           `json:"hours_per_week"`
	Status        VacancyStatus `json:"status"`
	JobFairID     string        `json:"job_fair_id,omitempty"`
	ExternalID    string        `json:"external_id,omitempty"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
}

// DocumentType is the kind of immigration document; the eligibility rules are keyed by it.
type DocumentType string

// The document types of DESIGN.md ("Legal eligibility").
const (
	DocResidentePermanente             DocumentType = "residente_permanente"
	DocResidenteTemporal               DocumentType = "residente_temporal"
	DocVisitanteRazonesHumanitarias    DocumentType = "visitante_razones_humanitarias"
	DocVisitanteTrabajadorFronterizo   DocumentType = "visitante_trabajador_fronterizo"
	DocVisitanteActividadesRemuneradas DocumentType = "visitante_actividades_remuneradas"
	DocVisitanteRegional               DocumentType = "visitante_regional"
	DocConstanciaCOMAR                 DocumentType = "constancia_comar"
	// DocOther is any other identity or immigration paper (a passport, an expired
	// form); it is recorded but never a basis for work.
	DocOther DocumentType = "otro"
	// DocAprobacionAutoridadLaboral and DocAutorizacionTutor are not immigration
	// documents but the records Ley Federal del Trabajo asks of people of 15 to 17: the
	// labour authority's approval to work without finished basic education (art. 22 Bis)
	// and, at 15, the authorisation of a parent or guardian (art. 22). They are never a
	// basis for work; verified by staff, they open the way for an adolescent.
	DocAprobacionAutoridadLaboral DocumentType = "aprobacion_autoridad_laboral"
	DocAutorizacionTutor          DocumentType = "autorizacion_tutor"
)

// DocumentTypes lists the valid document types.
var DocumentTypes = []DocumentType{
	DocResidentePermanente, DocResidenteTemporal, DocVisitanteRazonesHumanitarias,
	DocVisitanteTrabajadorFronterizo, DocVisitanteActividadesRemuneradas,
	DocVisitanteRegional, DocConstanciaCOMAR, DocOther,
	DocAprobacionAutoridadLaboral, DocAutorizacionTutor,
}

// ForMinors reports whether t is one of the records an adolescent's work needs rather
// than an immigration document.
func (t DocumentType) ForMinors() bool {
	return t == DocAprobacionAutoridadLaboral || t == DocAutorizacionTutor
}

// Document is an immigration document a candidate holds. Number is sensitive: it is
// encrypted at rest, never indexed and never shown to employers.
type Document struct {
	ID             string       `json:"id"`
	Type           DocumentType `json:"type"`
	Number         string       `json:"number"`
	IssuedOn       Date         `json:"issued_on"`
	ExpiresOn      Date         `json:"expires_on"`
	WorkPermission bool         `json:"work_permission"`
	// State is where a COMAR claim was filed.
	State string `json:"state,omitempty"`
	// EmployerID is the employer named on a visitante_actividades_remuneradas permit.
	EmployerID string     `json:"employer_id,omitempty"`
	Verified   bool       `json:"verified"`
	VerifiedBy string     `json:"verified_by,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
}

// CandidateSkill is a skill a candidate declares, with years of practice when known.
type CandidateSkill struct {
	Name  string   `json:"name"`
	Years *float64 `json:"years,omitempty"`
}

// Experience is a past job.
type Experience struct {
	Title          string  `json:"title"`
	OccupationCode string  `json:"occupation_code,omitempty"`
	Years          float64 `json:"years"`
	Country        string  `json:"country,omitempty"`
}

// Consent records whether the person allows their profile to be shown to employers.
type Consent struct {
	ShareProfile bool       `json:"share_profile"`
	GivenAt      *time.Time `json:"given_at"`
}

// CandidateStatus says whether a profile takes part in matching.
type CandidateStatus string

// Candidate statuses: only active candidates are matched.
const (
	CandidateActive   CandidateStatus = "active"
	CandidateInactive CandidateStatus = "inactive"
	CandidatePlaced   CandidateStatus = "placed"
)

// CandidateStatuses lists the valid candidate statuses.
var CandidateStatuses = []CandidateStatus{CandidateActive, CandidateInactive, CandidatePlaced}

// Candidate is a migrant job seeker's profile.
type Candidate struct {
	ID                 string           `json:"id"`
	FullName           string           `json:"full_name"`
	Nationality        string           `json:"nationality"`
	BirthDate          Date             `json:"birth_date"`
	Gender             string           `json:"gender,omitempty"`
	Phone              string           `json:"phone,omitempty"`
	Email              string           `json:"email,omitempty"`
	CURP               string           `json:"curp,omitempty"`
	CurrentState       string           `json:"current_state"`
	Municipality       string           `json:"municipality,omitempty"`
	Hub                string           `json:"hub,omitempty"`
	WillingToRelocate  bool             `json:"willing_to_relocate"`
	PreferredStates    []string         `json:"preferred_states"`
	Languages          []LanguageSkill  `json:"languages"`
	Skills             []CandidateSkill `json:"skills"`
	Experience         []Experience     `json:"experience"`
	EducationLevel     string           `json:"education_level"`
	AvailableFrom      Date             `json:"available_from"`
	DesiredOccupations []string         `json:"desired_occupations"`
	Consent            Consent          `json:"consent"`
	Documents          []Document       `json:"documents"`
	Status             CandidateStatus  `json:"status"`
	CreatedAt          time.Time        `json:"created_at"`
	UpdatedAt          time.Time        `json:"updated_at"`
}

// TotalExperienceYears sums the years of every past job.
func (c *Candidate) TotalExperienceYears() float64 {
	var y float64
	for _, e := range c.Experience {
		y += e.Years
	}
	return y
}

// Office is an SNE office; it takes the referrals of candidates living in the states it
// covers. The national office (National true) takes what no other office covers.
type Office struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	State          string    `json:"state"`
	CoverageStates []string  `json:"coverage_states"`
	National       bool      `json:"national"`
	CreatedAt      time.Time `json:"created_at"`
}

// Counsellor is an SNE counsellor who carries referrals to a hire.
type Counsellor struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	OfficeID  string   `json:"office_id"`
	Languages []string `json:"languages"`
	// Capacity is the most open referrals the counsellor may hold at once.
	Capacity       int        `json:"capacity"`
	Active         bool       `json:"active"`
	OpenReferrals  int        `json:"open_referrals"`
	LastAssignedAt *time.Time `json:"last_assigned_at,omitempty"`
	UserID         string     `json:"user_id,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// ReferralStatus is a state of the referral state machine of DESIGN.md ("Referrals").
type ReferralStatus string

// Referral states.
const (
	ReferralPending        ReferralStatus = "pending"
	ReferralContacted      ReferralStatus = "contacted"
	ReferralSentToEmployer ReferralStatus = "sent_to_employer"
	ReferralInterviewing   ReferralStatus = "interviewing"
	ReferralHired          ReferralStatus = "hired"
	ReferralNotHired       ReferralStatus = "not_hired"
	ReferralWithdrawn      ReferralStatus = "withdrawn"
)

// ReferralStatuses lists every referral state in lifecycle order.
var ReferralStatuses = []ReferralStatus{
	ReferralPending, ReferralContacted, ReferralSentToEmployer, ReferralInterviewing,
	ReferralHired, ReferralNotHired, ReferralWithdrawn,
}

// Open reports whether a referral in this state is still being worked on.
func (s ReferralStatus) Open() bool {
	switch s {
	case ReferralHired, ReferralNotHired, ReferralWithdrawn:
		return false
	}
	return true
}

// Referral joins one candidate and one vacancy and is carried by one counsellor.
type Referral struct {
	ID           string         `json:"id"`
	CandidateID  string         `json:"candidate_id"`
	VacancyID    string         `json:"vacancy_id"`
	OfficeID     string         `json:"office_id"`
	CounsellorID string         `json:"counsellor_id"`
	Status       ReferralStatus `json:"status"`
	Note         string         `json:"note,omitempty"`
	// RoutingReason says who the referral was routed to and why.
	RoutingReason string          `json:"routing_reason"`
	RequestedBy   string          `json:"requested_by"`
	History       []ReferralEvent `json:"history"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
}

// ReferralEvent is one transition of a referral: who moved it, when, and why.
type ReferralEvent struct {
	From ReferralStatus `json:"from"`
	To   ReferralStatus `json:"to"`
	By   string         `json:"by"`
	At   time.Time      `json:"at"`
	Note string         `json:"note,omitempty"`
}

// JobFair is an event whose vacancies an organiser imports in bulk.
type JobFair struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	State        string    `json:"state"`
	Municipality string    `json:"municipality,omitempty"`
	StartsOn     Date      `json:"starts_on"`
	EndsOn       Date      `json:"ends_on"`
	OrganiserID  string    `json:"organiser_id"`
	CreatedAt    time.Time `json:"created_at"`
}

// ImportStatus is where a bulk import stands.
type ImportStatus string

// Import statuses.
const (
	ImportQueued    ImportStatus = "queued"
	ImportRunning   ImportStatus = "running"
	ImportSucceeded ImportStatus = "succeeded"
	ImportFailed    ImportStatus = "failed"
)

// ImportMode says what happens to the good rows when some rows are bad.
type ImportMode string

// Import modes of API.md.
const (
	ImportAllOrNothing ImportMode = "all_or_nothing"
	ImportValidRows    ImportMode = "valid_rows"
)

// ImportError names one bad cell or row of an import, for an organiser to fix.
type ImportError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// ImportJob is one bulk import of a fair's vacancies.
type ImportJob struct {
	ID            string        `json:"id"`
	JobFairID     string        `json:"job_fair_id"`
	Status        ImportStatus  `json:"status"`
	Mode          ImportMode    `json:"mode"`
	DryRun        bool          `json:"dry_run"`
	FileName      string        `json:"file_name"`
	TotalRows     int           `json:"total_rows"`
	ProcessedRows int           `json:"processed_rows"`
	Created       int           `json:"created"`
	Updated       int           `json:"updated"`
	Failed        int           `json:"failed"`
	Errors        []ImportError `json:"errors"`
	Message       string        `json:"message,omitempty"`
	CreatedBy     string        `json:"created_by"`
	CreatedAt     time.Time     `json:"created_at"`
	FinishedAt    *time.Time    `json:"finished_at,omitempty"`
}

// AuditEvent records who saw or changed personal data.
type AuditEvent struct {
	ID          string    `json:"id"`
	At          time.Time `json:"at"`
	ActorID     string    `json:"actor_id"`
	ActorRole   Role      `json:"actor_role"`
	Action      string    `json:"action"`
	SubjectType string    `json:"subject_type"`
	SubjectID   string    `json:"subject_id"`
	Detail      string    `json:"detail,omitempty"`
}

// Audit actions.
const (
	AuditCandidateViewed  = "candidate.viewed"
	AuditCandidateErased  = "candidate.erased"
	AuditCandidateExport  = "candidate.exported"
	AuditCandidateMatched = "candidate.listed_in_matches"
	// AuditMigrantPINReset records that hub staff set a migrant's PIN after checking
	// their identity in person.
	AuditMigrantPINReset = "migrant.pin_reset"
	// AuditUserTokensRevoked records that an admin ended every token of a user;
	// AuditUserTokenIssued that an admin gave a user a new token.
	AuditUserTokensRevoked = "user.tokens_revoked"
	AuditUserTokenIssued   = "user.token_issued"
	// AuditVacancyEnded records that a vacancy was closed because its end date passed.
	AuditVacancyEnded = "vacancy.ended"
)

// Offered reports whether a vacancy may be offered on day today: it is open and its
// end date, when it has one, has not passed.
func (v *Vacancy) Offered(today Date) bool {
	return v.Status == VacancyOpen && (v.EndDate.IsZero() || !v.EndDate.Before(today))
}

// ChangeEntity names what a change-feed row is about.
type ChangeEntity string

// Entities in the change feed.
const (
	ChangeVacancy   ChangeEntity = "vacancy"
	ChangeCandidate ChangeEntity = "candidate"
)

// ChangeOp is what happened to the entity.
type ChangeOp string

// Change operations: an upsert means "read the current record and index it", a delete
// means "remove it from the index".
const (
	ChangeUpsert ChangeOp = "upsert"
	ChangeDelete ChangeOp = "delete"
)

// Change is one row of the change feed (the outbox). Seq grows strictly; each server
// applies the feed to its own index in Seq order and remembers the last Seq applied.
type Change struct {
	Seq      int64        `json:"seq"`
	Entity   ChangeEntity `json:"entity"`
	EntityID string       `json:"entity_id"`
	Op       ChangeOp     `json:"op"`
	At       time.Time    `json:"at"`
}

// ImportRow is one validated row of a bulk import: the employer it names (found by RFC,
// created when new) and the vacancy. Key identifies the vacancy within its fair across
// uploads: the row's external_id, or a hash of its content when it has none, so that a
// re-upload updates rather than duplicates.
type ImportRow struct {
	Line     int
	Key      string
	Employer Employer
	Vacancy  Vacancy
}

// ChangeIndex with ChangeRebuild is a request, written by `vincula reindex` while a
// server holds the index, that every follower rebuild its index from the database.
const (
	ChangeIndex   ChangeEntity = "index"
	ChangeRebuild ChangeOp     = "rebuild"
)
