package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

// CloseEndedVacancies closes every open or paused vacancy whose end date is before
// today (the calendar day where the vacancies are, which the caller reckons from the
// store's clock), in one transaction: each gets status closed, an audit entry saying
// why and a change-feed row, so every server's index stops offering it. It returns the
// IDs it closed, oldest first. Matching excludes such vacancies at query time as well,
// so nothing is offered between the end date and the sweep.
func (s *Store) CloseEndedVacancies(ctx context.Context, today models.Date) ([]string, error) {
	var closed []string
	err := s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		closed = closed[:0]
		pending := []string{string(models.VacancyOpen), string(models.VacancyPaused)}
		var rows []vacancyRow
		if err := tx.Select("id", "end_date").
			Where("status IN ? AND end_date IS NOT NULL AND end_date <> '' AND end_date < ?", pending, today.String()).
			Order("id").Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		t := s.now()
		events := make([]models.AuditEvent, 0, len(rows))
		for _, r := range rows {
			// One at a time and only if still open or paused: another server sweeping
			// at the same moment closes each vacancy once between them.
			res := tx.Model(&vacancyRow{}).Where("id = ? AND status IN ?", r.ID, pending).
				Updates(map[string]any{"status": string(models.VacancyClosed), "updated_at": t})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue
			}
			closed = append(closed, r.ID)
			f.add(models.ChangeVacancy, r.ID, models.ChangeUpsert)
			events = append(events, models.AuditEvent{At: t, ActorID: "system", Action: models.AuditVacancyEnded,
				SubjectType: "vacancy", SubjectID: r.ID, Detail: "closed: its end date " + r.EndDate.String() + " has passed"})
		}
		return s.insertAudit(tx, events...)
	})
	if err != nil {
		return nil, err
	}
	return closed, nil
}
