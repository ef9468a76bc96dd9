package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

type webhookRow struct {
	ID                  string
	EmployerID          string
	URL                 string `gorm:"column:url"`
	Events              jsonCol[[]models.WebhookEvent]
	Secret              string
	Status              string
	DisabledReason      string
	FailingSince        *time.Time
	ConsecutiveFailures int
	CreatedBy           string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (webhookRow) TableName() string { return "webhook_endpoints" }

func (r webhookRow) toModel() models.Webhook {
	ev := r.Events.V
	if ev == nil {
		ev = []models.WebhookEvent{}
	}
	return models.Webhook{ID: r.ID, EmployerID: r.EmployerID, URL: r.URL, Events: ev, Status: models.WebhookStatus(r.Status),
		DisabledReason: r.DisabledReason, FailingSince: r.FailingSince, ConsecutiveFailures: r.ConsecutiveFailures,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type deliveryRow struct {
	ID            string
	EndpointID    string
	EventID       string
	Event         string
	Payload       string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastStatus    int
	LastError     string
	CreatedAt     time.Time
	DeliveredAt   *time.Time
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

func (r deliveryRow) toModel() models.WebhookDelivery {
	d := models.WebhookDelivery{ID: r.ID, WebhookID: r.EndpointID, EventID: r.EventID, Event: models.WebhookEvent(r.Event),
		Payload: json.RawMessage(r.Payload), Status: models.DeliveryStatus(r.Status), Attempts: r.Attempts,
		LastStatus: r.LastStatus, LastError: r.LastError, CreatedAt: r.CreatedAt, DeliveredAt: r.DeliveredAt}
	if d.Status == models.DeliveryPending {
		t := r.NextAttemptAt
		d.NextAttemptAt = &t
	}
	return d
}

// CreateWebhook registers an endpoint with its signing secret (stored encrypted, since
// signing needs it in clear).
func (s *Store) CreateWebhook(ctx context.Context, w *models.Webhook, secret string) error {
	t := s.now()
	w.ID, w.Status, w.CreatedAt, w.UpdatedAt = models.NewID(), models.WebhookActive, t, t
	row := webhookRow{ID: w.ID, EmployerID: w.EmployerID, URL: w.URL, Events: jsonOf(w.Events), Secret: s.cipher.seal(secret),
		Status: string(w.Status), CreatedBy: w.CreatedBy, CreatedAt: t, UpdatedAt: t}
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		if err := s.requireEmployer(tx, w.EmployerID); err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
}

// Webhook returns one endpoint (without its secret).
func (s *Store) Webhook(ctx context.Context, id string) (models.Webhook, error) {
	var row webhookRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.Webhook{}, notFound(err, "webhook %s", id)
	}
	return row.toModel(), nil
}

// ListWebhooks returns a page of endpoints, one employer's when employerID is set.
func (s *Store) ListWebhooks(ctx context.Context, employerID string, p Page) ([]models.Webhook, bool, error) {
	q := s.db.WithContext(ctx).Model(&webhookRow{})
	if employerID != "" {
		q = q.Where("employer_id = ?", employerID)
	}
	var rows []webhookRow
	if err := p.apply(q).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, p)
	out := make([]models.Webhook, len(rows))
	for i, r := range rows {
		out[i] = r.toModel()
	}
	return out, more, nil
}

// DeleteWebhook removes an endpoint and its delivery log.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		if err := tx.Where("endpoint_id = ?", id).Delete(&deliveryRow{}).Error; err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&webhookRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ErrNotFound, "webhook %s not found", id)
		}
		return nil
	})
}

// EnableWebhook makes a disabled endpoint active again with a clean failure record;
// the deliveries that waited while it was disabled become due at once.
func (s *Store) EnableWebhook(ctx context.Context, id string) (models.Webhook, error) {
	t := s.now()
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		res := tx.Model(&webhookRow{}).Where("id = ?", id).Updates(map[string]any{"status": string(models.WebhookActive),
			"disabled_reason": "", "failing_since": nil, "consecutive_failures": 0, "updated_at": t})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ErrNotFound, "webhook %s not found", id)
		}
		return tx.Model(&deliveryRow{}).Where("endpoint_id = ? AND status = ?", id, string(models.DeliveryPending)).
			Update("next_attempt_at", t).Error
	})
	if err != nil {
		return models.Webhook{}, err
	}
	return s.Webhook(ctx, id)
}

// WebhookDeliveries returns a page of an endpoint's delivery log, oldest first.
func (s *Store) WebhookDeliveries(ctx context.Context, endpointID string, p Page) ([]models.WebhookDelivery, bool, error) {
	var rows []deliveryRow
	if err := p.apply(s.db.WithContext(ctx).Where("endpoint_id = ?", endpointID)).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, p)
	out := make([]models.WebhookDelivery, len(rows))
	for i, r := range rows {
		out[i] = r.toModel()
	}
	return out, more, nil
}

// ReplayDelivery queues a new delivery of the same event (same event_id and payload)
// to the same endpoint, due now.
func (s *Store) ReplayDelivery(ctx context.Context, endpointID, deliveryID string) (models.WebhookDelivery, error) {
	var out deliveryRow
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		var orig deliveryRow
		if err := tx.Where("id = ? AND endpoint_id = ?", deliveryID, endpointID).Take(&orig).Error; err != nil {
			return notFound(err, "delivery %s of webhook %s", deliveryID, endpointID)
		}
		t := s.now()
		out = deliveryRow{ID: models.NewID(), EndpointID: endpointID, EventID: orig.EventID, Event: orig.Event,
			Payload: orig.Payload, Status: string(models.DeliveryPending), NextAttemptAt: t, CreatedAt: t}
		return tx.Create(&out).Error
	})
	return out.toModel(), err
}

// enqueueEvent writes one delivery of the event for each active endpoint of the
// employer that subscribed to it, inside tx: the delivery commits with the change or
// not at all. Disabled endpoints get nothing new (they are told so, and may read the
// missed changes from the API once re-enabled).
func (s *Store) enqueueEvent(tx *gorm.DB, employerID string, ev models.WebhookEvent, data any) error {
	var eps []webhookRow
	if err := tx.Where("employer_id = ? AND status = ?", employerID, string(models.WebhookActive)).Order("id").Find(&eps).Error; err != nil {
		return err
	}
	var want []webhookRow
	for _, e := range eps {
		if e.toModel().Wants(ev) {
			want = append(want, e)
		}
	}
	if len(want) == 0 {
		return nil
	}
	t, eventID := s.now(), models.NewID()
	body, err := json.Marshal(models.WebhookPayload{EventID: eventID, Event: ev, OccurredAt: t, EmployerID: employerID, Data: data})
	if err != nil {
		return err
	}
	for _, e := range want {
		row := deliveryRow{ID: models.NewID(), EndpointID: e.ID, EventID: eventID, Event: string(ev), Payload: string(body),
			Status: string(models.DeliveryPending), NextAttemptAt: t, CreatedAt: t}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("webhook outbox: %w", err)
		}
	}
	return nil
}

func (s *Store) referralStageEvent(tx *gorm.DB, employerID string, ref referralRow, from, to models.ReferralStatus) error {
	return s.enqueueEvent(tx, employerID, models.EventReferralStage, models.ReferralStageData{ReferralID: ref.ID,
		VacancyID: ref.VacancyID, CandidateID: ref.CandidateID, From: from, To: to})
}

func (s *Store) vacancyFilledEvent(tx *gorm.DB, v vacancyRow, filled int) error {
	return s.enqueueEvent(tx, v.EmployerID, models.EventVacancyFilled, models.VacancyFilledData{VacancyID: v.ID,
		Positions: v.Positions, PositionsFilled: filled})
}

// DueDelivery is a claimed delivery with what the worker needs to send it.
type DueDelivery struct {
	models.WebhookDelivery
	URL    string
	Secret string
}

// ClaimDueDeliveries claims up to limit pending deliveries of active endpoints whose
// time has come, oldest first: each claim counts an attempt and pushes the next attempt
// a lease ahead, so another worker leaves it alone and, should this one die before
// recording the outcome, the delivery is sent again once the lease runs out.
func (s *Store) ClaimDueDeliveries(ctx context.Context, limit int, lease time.Duration) ([]DueDelivery, error) {
	t := s.now()
	db := s.db.WithContext(ctx)
	var rows []deliveryRow
	err := db.Where("status = ? AND next_attempt_at <= ? AND endpoint_id IN (?)", string(models.DeliveryPending), t,
		db.Model(&webhookRow{}).Select("id").Where("status = ?", string(models.WebhookActive))).
		Order("next_attempt_at, id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	secrets := map[string]webhookRow{}
	var out []DueDelivery
	for _, r := range rows {
		res := db.Model(&deliveryRow{}).Where("id = ? AND attempts = ? AND status = ?", r.ID, r.Attempts, string(models.DeliveryPending)).
			Updates(map[string]any{"attempts": r.Attempts + 1, "next_attempt_at": t.Add(lease)})
		if res.Error != nil {
			return out, translate(res.Error)
		}
		if res.RowsAffected == 0 {
			continue // another worker took it
		}
		ep, ok := secrets[r.EndpointID]
		if !ok {
			if err := db.Where("id = ?", r.EndpointID).Take(&ep).Error; err != nil {
				continue // deleted meanwhile; its deliveries went with it
			}
			secrets[r.EndpointID] = ep
		}
		secret, err := s.cipher.open(ep.Secret)
		if err != nil {
			return out, err
		}
		r.Attempts++
		out = append(out, DueDelivery{WebhookDelivery: r.toModel(), URL: ep.URL, Secret: secret})
	}
	return out, nil
}

// DeliverySucceeded records a 2xx answer: the delivery is done and the endpoint's
// failure record is cleared.
func (s *Store) DeliverySucceeded(ctx context.Context, d DueDelivery, status int) error {
	t := s.now()
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		if err := tx.Model(&deliveryRow{}).Where("id = ?", d.ID).Updates(map[string]any{"status": string(models.DeliveryDelivered),
			"last_status": status, "last_error": "", "delivered_at": t}).Error; err != nil {
			return err
		}
		return tx.Model(&webhookRow{}).Where("id = ?", d.WebhookID).
			Updates(map[string]any{"failing_since": nil, "consecutive_failures": 0}).Error
	})
}

// DeliveryFailed records a failed attempt and when to try again. An endpoint that has
// failed without a success in between for at least disableAfter (and at least
// minFailures times) is disabled, with the reason; it reports whether that happened.
func (s *Store) DeliveryFailed(ctx context.Context, d DueDelivery, status int, reason string, retryAt time.Time,
	disableAfter time.Duration, minFailures int) (disabled bool, err error) {
	t := s.now()
	if len(reason) > 500 {
		reason = reason[:500]
	}
	err = s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		if err := tx.Model(&deliveryRow{}).Where("id = ? AND status = ?", d.ID, string(models.DeliveryPending)).
			Updates(map[string]any{"last_status": status, "last_error": reason, "next_attempt_at": retryAt}).Error; err != nil {
			return err
		}
		var ep webhookRow
		if err := tx.Where("id = ?", d.WebhookID).Take(&ep).Error; err != nil {
			return notFound(err, "webhook %s", d.WebhookID)
		}
		since := t
		if ep.FailingSince != nil {
			since = *ep.FailingSince
		}
		n := ep.ConsecutiveFailures + 1
		updates := map[string]any{"failing_since": since, "consecutive_failures": n}
		if ep.Status == string(models.WebhookActive) && n >= minFailures && t.Sub(since) >= disableAfter {
			disabled = true
			updates["status"] = string(models.WebhookDisabled)
			updates["updated_at"] = t
			updates["disabled_reason"] = fmt.Sprintf("disabled at %s after %d failed deliveries since %s (last: %s); "+
				"fix the receiver and POST /api/v1/webhooks/%s/enable: waiting deliveries are then sent",
				t.Format(time.RFC3339), n, since.Format(time.RFC3339), reason, ep.ID)
			// Whoever registered it is told too, where the console and GET
			// /api/v1/notices show it.
			if ep.CreatedBy != "" {
				if err := tx.Create(&noticeRow{ID: models.NewID(), UserID: ep.CreatedBy, Kind: models.NoticeWebhookDisabled,
					SubjectID: ep.ID, Message: "webhook " + ep.URL + " " + updates["disabled_reason"].(string), CreatedAt: t}).Error; err != nil {
					return err
				}
			}
		}
		return tx.Model(&webhookRow{}).Where("id = ?", ep.ID).Updates(updates).Error
	})
	return disabled, err
}
