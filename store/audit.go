package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

type auditRow struct {
	ID          string
	At          time.Time
	ActorID     string
	ActorRole   string
	Action      string
	SubjectType string
	SubjectID   string
	Detail      string
}

func (auditRow) TableName() string { return "audit_events" }

func (s *Store) insertAudit(tx *gorm.DB, events ...models.AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	rows := make([]auditRow, len(events))
	for i, e := range events {
		if e.ID == "" {
			e.ID = models.NewID()
		}
		if e.At.IsZero() {
			e.At = s.now()
		}
		rows[i] = auditRow{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorRole: string(e.ActorRole),
			Action: e.Action, SubjectType: e.SubjectType, SubjectID: e.SubjectID, Detail: e.Detail}
	}
	return tx.CreateInBatches(rows, 500).Error
}

// RecordAudit writes audit entries (who saw or changed personal data).
func (s *Store) RecordAudit(ctx context.Context, events ...models.AuditEvent) error {
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error { return s.insertAudit(tx, events...) })
}

// AuditFor returns the audit entries about one subject, oldest first.
func (s *Store) AuditFor(ctx context.Context, subjectType, subjectID string) ([]models.AuditEvent, error) {
	var rows []auditRow
	err := s.db.WithContext(ctx).Where("subject_type = ? AND subject_id = ?", subjectType, subjectID).
		Order("at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]models.AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = models.AuditEvent{ID: r.ID, At: r.At, ActorID: r.ActorID, ActorRole: models.Role(r.ActorRole),
			Action: r.Action, SubjectType: r.SubjectType, SubjectID: r.SubjectID, Detail: r.Detail}
	}
	return out, nil
}
