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
)

// WebhookEvents lists every event, in the order the documentation shows them.
var WebhookEvents = []WebhookEvent{EventReferralStage, EventVacancyFilled}

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

// WebhookPayload is the body of every delivery. Data is ReferralStageData or
// VacancyFilledData, as Event says.
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
