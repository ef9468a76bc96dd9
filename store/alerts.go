package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/vincula/vincula/models"
)

type savedSearchRow struct {
	ID          string
	OwnerID     string
	OwnerRole   string
	EmployerID  string
	OfficeID    string
	Name        string
	Query       jsonCol[models.SearchQuery]
	Shared      bool
	LastAlertAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (savedSearchRow) TableName() string { return "saved_searches" }

func (r savedSearchRow) toModel() models.SavedSearch {
	return models.SavedSearch{ID: r.ID, OwnerID: r.OwnerID, OwnerRole: models.Role(r.OwnerRole), EmployerID: r.EmployerID,
		OfficeID: r.OfficeID, Name: r.Name, Query: r.Query.V, Shared: r.Shared, LastAlertAt: r.LastAlertAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type alertMarkRow struct {
	Source      string `gorm:"primaryKey"`
	CandidateID string `gorm:"primaryKey"`
	AlertedAt   time.Time
}

func (alertMarkRow) TableName() string { return "alert_marks" }

type noticeRow struct {
	ID        string
	UserID    string
	Kind      string
	SubjectID string
	Message   string
	Data      jsonCol[[]string]
	CreatedAt time.Time
	ReadAt    *time.Time
}

func (noticeRow) TableName() string { return "notices" }

func (r noticeRow) toModel() models.Notice {
	return models.Notice{ID: r.ID, UserID: r.UserID, Kind: r.Kind, SubjectID: r.SubjectID, Message: r.Message,
		CandidateIDs: r.Data.V, CreatedAt: r.CreatedAt, ReadAt: r.ReadAt}
}

// SearchSource is the alert_marks source of a saved search.
func SearchSource(id string) string { return "search:" + id }

// VacancySource is the alert_marks source of a vacancy's candidates.qualified events.
func VacancySource(id string) string { return "vacancy:" + id }

// CreateSavedSearch stores a saved search and, in the same transaction, marks the
// people it finds now (baseline) as announced: only people who qualify later alert.
func (s *Store) CreateSavedSearch(ctx context.Context, ss *models.SavedSearch, baseline []string) error {
	t := s.now()
	ss.ID, ss.CreatedAt, ss.UpdatedAt = models.NewID(), t, t
	row := savedSearchRow{ID: ss.ID, OwnerID: ss.OwnerID, OwnerRole: string(ss.OwnerRole), EmployerID: ss.EmployerID,
		OfficeID: ss.OfficeID, Name: ss.Name, Query: jsonOf(ss.Query), Shared: ss.Shared, CreatedAt: t, UpdatedAt: t}
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		_, err := s.insertMarks(tx, SearchSource(ss.ID), baseline, t)
		return err
	})
}

// SavedSearch returns one saved search.
func (s *Store) SavedSearch(ctx context.Context, id string) (models.SavedSearch, error) {
	var row savedSearchRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.SavedSearch{}, notFound(err, "saved search %s", id)
	}
	return row.toModel(), nil
}

// SavedSearchFilter says whose saved searches a list holds: the owner's own, and the
// ones shared with the employer or the office (an empty field matches nothing); All
// lists every saved search (admins, the alert sweep).
type SavedSearchFilter struct {
	OwnerID    string
	EmployerID string
	OfficeID   string
	All        bool
	Page
}

// ListSavedSearches returns a page of saved searches, by ID.
func (s *Store) ListSavedSearches(ctx context.Context, f SavedSearchFilter) ([]models.SavedSearch, bool, error) {
	db := s.db.WithContext(ctx)
	q := db.Model(&savedSearchRow{})
	if !f.All {
		vis := db.Where("owner_id = ?", f.OwnerID)
		if f.EmployerID != "" {
			vis = vis.Or("shared = ? AND employer_id = ?", true, f.EmployerID)
		}
		if f.OfficeID != "" {
			vis = vis.Or("shared = ? AND office_id = ?", true, f.OfficeID)
		}
		q = q.Where(vis)
	}
	var rows []savedSearchRow
	if err := f.Page.apply(q).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, f.Page)
	out := make([]models.SavedSearch, len(rows))
	for i, r := range rows {
		out[i] = r.toModel()
	}
	return out, more, nil
}

// UpdateSavedSearch renames a saved search or shares it (nil leaves a field as it is).
func (s *Store) UpdateSavedSearch(ctx context.Context, id string, name *string, shared *bool) (models.SavedSearch, error) {
	updates := map[string]any{"updated_at": s.now()}
	if name != nil {
		updates["name"] = *name
	}
	if shared != nil {
		updates["shared"] = *shared
	}
	res := s.db.WithContext(ctx).Model(&savedSearchRow{}).Where("id = ?", id).Updates(updates)
	if res.Error != nil {
		return models.SavedSearch{}, translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return models.SavedSearch{}, models.Errorf(models.ErrNotFound, "saved search %s not found", id)
	}
	return s.SavedSearch(ctx, id)
}

// DeleteSavedSearch removes a saved search and the record of whom it announced; the
// alert sweep no longer runs it.
func (s *Store) DeleteSavedSearch(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		res := tx.Where("id = ?", id).Delete(&savedSearchRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ErrNotFound, "saved search %s not found", id)
		}
		return tx.Where("source = ?", SearchSource(id)).Delete(&alertMarkRow{}).Error
	})
}

// Unannounced returns those of ids that source has not announced yet, in their order.
func (s *Store) Unannounced(ctx context.Context, source string, ids []string) ([]string, error) {
	seen := map[string]bool{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var got []string
		if err := s.db.WithContext(ctx).Model(&alertMarkRow{}).Where("source = ? AND candidate_id IN ?", source, chunk).
			Pluck("candidate_id", &got).Error; err != nil {
			return nil, translate(err)
		}
		for _, id := range got {
			seen[id] = true
		}
	}
	out := []string{}
	for _, id := range ids {
		if !seen[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// insertMarks records that source announced ids and returns those it had not before
// (a concurrent sweep may have taken some), skipping IDs of people no longer there.
func (s *Store) insertMarks(tx *gorm.DB, source string, ids []string, t time.Time) ([]string, error) {
	var fresh []string
	for _, id := range ids {
		var n int64
		if err := tx.Model(&candidateRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			continue // erased or merged away since the search ran
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&alertMarkRow{Source: source, CandidateID: id, AlertedAt: t})
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected > 0 {
			fresh = append(fresh, id)
		}
	}
	return fresh, nil
}

// Alert is what one sweep step announces: the people source found that it had not
// announced, to an employer's webhooks (Event with EmployerID) or as a notice to a user.
type Alert struct {
	Source     string
	Candidates []string
	// SearchID, with MinInterval, limits a saved search to one alert per interval: the
	// alert is dropped (and nobody marked) when the search alerted less than
	// MinInterval ago or no longer exists.
	SearchID    string
	MinInterval time.Duration
	// Event and Data build the webhook event to EmployerID's endpoints; Data receives
	// the IDs actually announced.
	EmployerID string
	Event      models.WebhookEvent
	Data       func(ids []string) any
	// NoticeTo, when set, receives a notice instead, with Message.
	NoticeTo string
	Kind     string
	Message  func(n int) string
	// Audit, when set, is written for each person announced (an employer was shown
	// their IDs).
	Audit func(candidateID string) models.AuditEvent
}

// RecordAlert marks the alert's people as announced and writes its webhook delivery or
// notice in one transaction, so that each person is announced once whatever stops the
// process. It returns the IDs announced (none when the search alerted too recently).
func (s *Store) RecordAlert(ctx context.Context, a Alert) ([]string, error) {
	t := s.now()
	var fresh []string
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		fresh = nil
		if a.SearchID != "" {
			q := tx.Model(&savedSearchRow{}).Where("id = ?", a.SearchID)
			if a.MinInterval > 0 {
				q = q.Where("last_alert_at IS NULL OR last_alert_at <= ?", t.Add(-a.MinInterval))
			}
			res := q.Update("last_alert_at", t)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return nil
			}
		}
		var err error
		if fresh, err = s.insertMarks(tx, a.Source, a.Candidates, t); err != nil {
			return err
		}
		if len(fresh) == 0 {
			if a.SearchID != "" {
				return errNothingNew // keep last_alert_at: nothing went out
			}
			return nil
		}
		if a.NoticeTo != "" {
			row := noticeRow{ID: models.NewID(), UserID: a.NoticeTo, Kind: a.Kind, SubjectID: a.SearchID,
				Message: a.Message(len(fresh)), Data: jsonOf(fresh), CreatedAt: t}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		} else if err := s.enqueueEvent(tx, a.EmployerID, a.Event, a.Data(fresh)); err != nil {
			return err
		}
		if a.Audit != nil {
			events := make([]models.AuditEvent, len(fresh))
			for i, id := range fresh {
				events[i] = a.Audit(id)
			}
			return s.insertAudit(tx, events...)
		}
		return nil
	})
	if err == errNothingNew {
		return nil, nil
	}
	return fresh, err
}

var errNothingNew = fmt.Errorf("store: nothing new to announce")

// Notices returns a page of a user's notices, oldest first.
func (s *Store) Notices(ctx context.Context, userID string, p Page) ([]models.Notice, bool, error) {
	var rows []noticeRow
	if err := p.apply(s.db.WithContext(ctx).Where("user_id = ?", userID)).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, p)
	out := make([]models.Notice, len(rows))
	for i, r := range rows {
		out[i] = r.toModel()
	}
	return out, more, nil
}

// EmployersSubscribedTo returns the employers with an active endpoint that wants ev.
func (s *Store) EmployersSubscribedTo(ctx context.Context, ev models.WebhookEvent) ([]string, error) {
	var rows []webhookRow
	if err := s.db.WithContext(ctx).Where("status = ?", string(models.WebhookActive)).Order("employer_id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	var out []string
	for _, r := range rows {
		if r.toModel().Wants(ev) && (len(out) == 0 || out[len(out)-1] != r.EmployerID) {
			out = append(out, r.EmployerID)
		}
	}
	return out, nil
}

type importEmployerRow struct {
	JobID      string `gorm:"primaryKey"`
	EmployerID string `gorm:"primaryKey"`
	Vacancies  int
}

func (importEmployerRow) TableName() string { return "import_job_employers" }

// countImportEmployers adds a committed batch's rows to the count of vacancies the job
// wrote for each employer, in the batch's transaction (import.finished reports them).
func (s *Store) countImportEmployers(tx *gorm.DB, jobID string, rows []models.ImportRow) error {
	var rfcs []string
	for _, r := range rows {
		rfcs = append(rfcs, r.Employer.RFC)
	}
	var emps []employerRow
	if err := tx.Select("id", "rfc").Where("rfc IN ?", rfcs).Find(&emps).Error; err != nil {
		return err
	}
	byRFC := map[string]string{}
	for _, e := range emps {
		byRFC[e.RFC] = e.ID
	}
	counts := map[string]int{}
	for _, r := range rows {
		counts[byRFC[r.Employer.RFC]]++
	}
	for emp, n := range counts {
		if emp == "" {
			continue
		}
		row := importEmployerRow{JobID: jobID, EmployerID: emp, Vacancies: n}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "job_id"}, {Name: "employer_id"}},
			DoUpdates: clause.Assignments(map[string]any{"vacancies": gorm.Expr("import_job_employers.vacancies + excluded.vacancies")})}).
			Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}

// importFinishedEvents tells each employer whose vacancies the import wrote that it
// finished, inside the transaction that records the outcome.
func (s *Store) importFinishedEvents(tx *gorm.DB, job importJobRow, status models.ImportStatus) error {
	var counts []importEmployerRow
	if err := tx.Where("job_id = ?", job.ID).Order("employer_id").Find(&counts).Error; err != nil {
		return err
	}
	for _, c := range counts {
		if err := s.enqueueEvent(tx, c.EmployerID, models.EventImportFinished, models.ImportFinishedData{ImportID: job.ID,
			JobFairID: job.JobFairID, Status: status, Vacancies: c.Vacancies}); err != nil {
			return err
		}
	}
	return nil
}
