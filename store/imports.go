package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

type importJobRow struct {
	ID            string
	JobFairID     string
	Status        string
	Mode          string
	DryRun        bool
	FileName      string
	FilePath      string
	TotalRows     int
	ProcessedRows int
	Created       int
	Updated       int
	Failed        int
	Errors        jsonCol[[]models.ImportError]
	Message       string
	CreatedBy     string
	CreatedAt     time.Time
	FinishedAt    *time.Time
}

func (importJobRow) TableName() string { return "import_jobs" }

func (r importJobRow) toModel() models.ImportJob {
	return models.ImportJob{ID: r.ID, JobFairID: r.JobFairID, Status: models.ImportStatus(r.Status),
		Mode: models.ImportMode(r.Mode), DryRun: r.DryRun, FileName: r.FileName, TotalRows: r.TotalRows,
		ProcessedRows: r.ProcessedRows, Created: r.Created, Updated: r.Updated, Failed: r.Failed,
		Errors: nonNil(r.Errors.V), Message: r.Message, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		FinishedAt: r.FinishedAt}
}

// CreateImportJob records a queued import of the file at filePath.
func (s *Store) CreateImportJob(ctx context.Context, j *models.ImportJob, filePath string) error {
	if j.ID == "" {
		j.ID = models.NewID()
	}
	j.CreatedAt = now()
	if j.Status == "" {
		j.Status = models.ImportQueued
	}
	row := importJobRow{ID: j.ID, JobFairID: j.JobFairID, Status: string(j.Status), Mode: string(j.Mode),
		DryRun: j.DryRun, FileName: j.FileName, FilePath: filePath, Errors: jsonOf(j.Errors),
		CreatedBy: j.CreatedBy, CreatedAt: j.CreatedAt}
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error { return tx.Create(&row).Error })
}

// ImportJob returns the job and the path of its uploaded file.
func (s *Store) ImportJob(ctx context.Context, id string) (models.ImportJob, string, error) {
	var row importJobRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.ImportJob{}, "", notFound(err, "import %s", id)
	}
	return row.toModel(), row.FilePath, nil
}

// SaveImportProgress writes the job's status, counts, errors and message.
func (s *Store) SaveImportProgress(ctx context.Context, j *models.ImportJob) error {
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		return tx.Model(&importJobRow{}).Where("id = ?", j.ID).Updates(map[string]any{
			"status": string(j.Status), "total_rows": j.TotalRows, "processed_rows": j.ProcessedRows,
			"created": j.Created, "updated": j.Updated, "failed": j.Failed, "errors": jsonOf(j.Errors),
			"message": j.Message, "finished_at": j.FinishedAt,
		}).Error
	})
}

// FailInterruptedImports marks every queued or running import as failed: at start-up
// no import is running, so those were cut off by a crash. Re-running one is safe
// because rows are upserted by key. It returns how many it marked.
func (s *Store) FailInterruptedImports(ctx context.Context) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		t := now()
		res := tx.Model(&importJobRow{}).Where("status IN ?", []string{string(models.ImportQueued), string(models.ImportRunning)}).
			Updates(map[string]any{"status": string(models.ImportFailed), "finished_at": &t,
				"message": "interrupted (the server stopped during the import); re-run it: rows already imported are updated, not duplicated"})
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}

// ImportBatch upserts one batch of validated import rows in one transaction: employers
// are found by RFC and created when new; vacancies are found by (fair, key) and
// updated, or created. Every vacancy written gets its change-feed row. It implements
// the importer's Target.
func (s *Store) ImportBatch(ctx context.Context, fairID string, rows []models.ImportRow) (created, updated int, err error) {
	err = s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		created, updated = 0, 0
		employerIDs, err := s.ensureEmployers(tx, rows)
		if err != nil {
			return err
		}
		keys := make([]string, len(rows))
		for i, r := range rows {
			keys[i] = r.Key
		}
		var existing []struct {
			ID          string
			ExternalKey string
			CreatedAt   time.Time
		}
		if err := tx.Model(&vacancyRow{}).Select("id, external_key, created_at").
			Where("job_fair_id = ? AND external_key IN ?", fairID, keys).Scan(&existing).Error; err != nil {
			return err
		}
		byKey := make(map[string]int, len(existing))
		for i, e := range existing {
			byKey[e.ExternalKey] = i
		}
		t := now()
		var inserts []vacancyRow
		for _, r := range rows {
			v := r.Vacancy
			v.EmployerID = employerIDs[r.Employer.RFC]
			v.JobFairID, v.ExternalID = fairID, r.Key
			v.UpdatedAt = t
			if i, ok := byKey[r.Key]; ok {
				v.ID, v.CreatedAt = existing[i].ID, existing[i].CreatedAt
				row := toVacancyRow(&v)
				// Positions already filled through referrals are not the sheet's to reset.
				if err := tx.Model(&vacancyRow{}).Where("id = ?", v.ID).Select("*").
					Omit("id", "created_at", "positions_filled", "status").Updates(&row).Error; err != nil {
					return err
				}
				updated++
			} else {
				v.ID, v.CreatedAt = models.NewID(), t
				inserts = append(inserts, toVacancyRow(&v))
				created++
			}
			f.add(models.ChangeVacancy, v.ID, models.ChangeUpsert)
		}
		if len(inserts) > 0 {
			return tx.CreateInBatches(inserts, 500).Error
		}
		return nil
	})
	return created, updated, err
}

// ensureEmployers returns the employer ID of every RFC in rows, creating the employers
// that are new (from the first row that names them).
func (s *Store) ensureEmployers(tx *gorm.DB, rows []models.ImportRow) (map[string]string, error) {
	rfcs := make([]string, 0, len(rows))
	first := make(map[string]models.Employer)
	for _, r := range rows {
		if _, ok := first[r.Employer.RFC]; !ok {
			first[r.Employer.RFC] = r.Employer
			rfcs = append(rfcs, r.Employer.RFC)
		}
	}
	var found []employerRow
	if err := tx.Select("id, rfc").Where("rfc IN ?", rfcs).Find(&found).Error; err != nil {
		return nil, err
	}
	ids := make(map[string]string, len(rfcs))
	for _, e := range found {
		ids[e.RFC] = e.ID
	}
	var fresh []employerRow
	for _, rfc := range rfcs {
		if _, ok := ids[rfc]; ok {
			continue
		}
		e := first[rfc]
		e.ID, e.CreatedAt = models.NewID(), now()
		ids[rfc] = e.ID
		fresh = append(fresh, toEmployerRow(&e))
	}
	if len(fresh) > 0 {
		if err := tx.CreateInBatches(fresh, 500).Error; err != nil {
			return nil, err
		}
	}
	return ids, nil
}
