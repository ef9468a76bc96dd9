package models

import (
	"encoding/json"
	"time"
)

// WebhookEvent names a kind of event an employer's HR system may subscribe to.
type WebhookEvent string

// The events Vincula sends to employers' webhooks.
const (
	// EventReferralStage: a referral to one of the employer's vacancies was created or
	// moved to another stage (including withdrawn automatically when the vacancy filled).
	EventReferralStage WebhookEvent = "referral.stage_changed"
	// EventVacancyFilled: the last position of one of the employer's vacancies was filled.
	EventVacancyFilled WebhookEvent = "vacancy.filled"
	// EventCandidatesQualified: people who were not on an open vacancy's list of
	// matches before now are (registered, their documents or consent changed, or the
	// vacancy changed); sent by the alert sweep, at most once per person and vacancy.
	EventCandidatesQualified WebhookEvent = "candidates.qualified"
	// EventImportFinished: a bulk import that wrote some of the employer's vacancies
	// finished (succeeded or failed).
	EventImportFinished WebhookEvent = "import.finished"
	// EventSearchAlert: one of the employer's saved searches found people it had not
	// announced before (at most once a day per search).
	EventSearchAlert WebhookEvent = "search.alert"
)

// WebhookEvents lists every event, in the order the documentation shows them.
var WebhookEvents = []WebhookEvent{EventReferralStage, EventVacancyFilled, EventCandidatesQualified, EventImportFinished, EventSearchAlert}

// WebhookStatus says whether an endpoint receives deliveries.
type WebhookStatus string

// An endpoint is active, or disabled after failing for too long (deliveries wait until
// it is re-enabled).
const (
	WebhookActive   WebhookStatus = "active"
	WebhookDisabled WebhookStatus = "disabled"
)

// Webhook is an employer's registered endpoint. Its signing secret is shown once, at
// registration, and never again.
type Webhook struct {
	ID                  string         `json:"id"`
	EmployerID          string         `json:"employer_id"`
	URL                 string         `json:"url"`
	Events              []WebhookEvent `json:"events"`
	Status              WebhookStatus  `json:"status"`
	DisabledReason      string         `json:"disabled_reason,omitempty"`
	FailingSince        *time.Time     `json:"failing_since,omitempty"`
	ConsecutiveFailures int            `json:"consecutive_failures"`
	CreatedBy           string         `json:"created_by"`
	CreatedAt           time.Time      `json:"created_at"`
	UpdatedAt           time.Time      `json:"updated_at"`
}

// Wants says whether the endpoint subscribed to the event.
func (w Webhook) Wants(ev WebhookEvent) bool {
	for _, e := range w.Events {
		if e == ev {
			return true
		}
	}
	return false
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// A delivery is pending until a receiver answers 2xx.
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliveryDelivered DeliveryStatus = "delivered"
)

// WebhookDelivery is one event sent (or to be sent) to one endpoint; the log of them is
// what a client lists and replays. EventID is the same for every delivery of one event,
// replays included, so a receiver can drop what it already processed.
type WebhookDelivery struct {
	ID            string          `json:"id"`
	WebhookID     string          `json:"webhook_id"`
	EventID       string          `json:"event_id"`
	Event         WebhookEvent    `json:"event"`
	Payload       json.RawMessage `json:"payload"`
	Status        DeliveryStatus  `json:"status"`
	Attempts      int             `json:"attempts"`
	NextAttemptAt *time.Time      `json:"next_attempt_at,omitempty"`
	LastStatus    int             `json:"last_status,omitempty"`
	LastError     string          `json:"last_error,omitempty"`
	CreatedAt     time.Time       `json:"created_at"`
	DeliveredAt   *time.Time      `json:"delivered_at,omitempty"`
}

// WebhookPayload is the body of every delivery. Data is ReferralStageData,
// VacancyFilledData, CandidatesQualifiedData, ImportFinishedData or SearchAlertData, as
// Event says.
type WebhookPayload struct {
	EventID    string       `json:"event_id"`
	Event      WebhookEvent `json:"event"`
	OccurredAt time.Time    `json:"occurred_at"`
	EmployerID string       `json:"employer_id"`
	Data       any          `json:"data"`
}

// ReferralStageData is the data of referral.stage_changed: identifiers and stages only
// (From is empty when the referral was created). The employer may already read this
// referral; the person's profile stays behind GET /api/v1/candidates/{id}, which gives
// the employer its minimised view and audits the read. The note of the move is not
// sent: counsellors write contact details there.
type ReferralStageData struct {
	ReferralID  string         `json:"referral_id"`
	VacancyID   string         `json:"vacancy_id"`
	CandidateID string         `json:"candidate_id"`
	From        ReferralStatus `json:"from"`
	To          ReferralStatus `json:"to"`
}

// VacancyFilledData is the data of vacancy.filled.
type VacancyFilledData struct {
	VacancyID       string `json:"vacancy_id"`
	Positions       int    `json:"positions"`
	PositionsFilled int    `json:"positions_filled"`
}

// CandidatesQualifiedData is the data of candidates.qualified: the IDs of the people
// newly on the vacancy's list of matches, which the employer may already read there
// (GET /api/v1/vacancies/{id}/matches, the minimised view); nothing else of them.
type CandidatesQualifiedData struct {
	VacancyID    string   `json:"vacancy_id"`
	CandidateIDs []string `json:"candidate_ids"`
	Count        int      `json:"count"`
}

// ImportFinishedData is the data of import.finished: the job, its outcome and how many
// of this employer's vacancies it wrote (other employers' rows are not counted here).
type ImportFinishedData struct {
	ImportID  string       `json:"import_id"`
	JobFairID string       `json:"job_fair_id"`
	Status    ImportStatus `json:"status"`
	Vacancies int          `json:"vacancies"`
}

// SearchAlertData is the data of search.alert: the saved search and the IDs of the
// people it found that it had not announced before (the employer sees them in the
// search's results, minimised).
type SearchAlertData struct {
	SearchID     string   `json:"search_id"`
	Name         string   `json:"name"`
	CandidateIDs []string `json:"candidate_ids"`
	Count        int      `json:"count"`
}
