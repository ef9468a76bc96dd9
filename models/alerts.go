package models

import "time"

// SearchQuery is what a saved search asks: the filters of GET /api/v1/candidates/search.
type SearchQuery struct {
	Q                  string   `json:"q,omitempty"`
	State              string   `json:"state,omitempty"`
	Skills             []string `json:"skills,omitempty"`
	Languages          []string `json:"languages,omitempty"`
	MinExperienceYears float64  `json:"min_experience_years,omitempty"`
}

// SavedSearch is a candidate search an employer or a counsellor keeps. Shared searches
// are visible to the owner's office: the other users of the same employer, or the
// counsellors of the same SNE office.
type SavedSearch struct {
	ID          string      `json:"id"`
	OwnerID     string      `json:"owner_id"`
	OwnerRole   Role        `json:"owner_role"`
	EmployerID  string      `json:"employer_id,omitempty"`
	OfficeID    string      `json:"office_id,omitempty"`
	Name        string      `json:"name"`
	Query       SearchQuery `json:"query"`
	Shared      bool        `json:"shared"`
	LastAlertAt *time.Time  `json:"last_alert_at,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

// Notice is a message the console shows one user (a counsellor's saved-search alert).
type Notice struct {
	ID           string     `json:"id"`
	UserID       string     `json:"user_id"`
	Kind         string     `json:"kind"`
	SubjectID    string     `json:"subject_id,omitempty"`
	Message      string     `json:"message"`
	CandidateIDs []string   `json:"candidate_ids,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	ReadAt       *time.Time `json:"read_at,omitempty"`
}

// The kinds of notices: a saved search's alert, and a webhook endpoint disabled after
// failing too long (the message says how to re-enable it).
const (
	NoticeSearchAlert     = "search.alert"
	NoticeWebhookDisabled = "webhook.disabled"
)
