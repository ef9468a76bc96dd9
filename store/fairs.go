package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

type jobFairRow struct {
	ID           string
	Name         string
	State        string
	Municipality string
	StartsOn     models.Date
	EndsOn       models.Date
	OrganiserID  string
	CreatedAt    time.Time
}

func (jobFairRow) TableName() string { return "job_fairs" }

func (r jobFairRow) toModel() models.JobFair {
	return models.JobFair{ID: r.ID, Name: r.Name, State: r.State, Municipality: r.Municipality,
		StartsOn: r.StartsOn, EndsOn: r.EndsOn, OrganiserID: r.OrganiserID, CreatedAt: r.CreatedAt}
}

// CreateJobFair inserts a job fair.
func (s *Store) CreateJobFair(ctx context.Context, f *models.JobFair) error {
	if f.ID == "" {
		f.ID = models.NewID()
	}
	f.CreatedAt = s.now()
	row := jobFairRow{ID: f.ID, Name: f.Name, State: f.State, Municipality: f.Municipality,
		StartsOn: f.StartsOn, EndsOn: f.EndsOn, OrganiserID: f.OrganiserID, CreatedAt: f.CreatedAt}
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error { return tx.Create(&row).Error })
}

// JobFair returns the fair with the given ID.
func (s *Store) JobFair(ctx context.Context, id string) (models.JobFair, error) {
	var row jobFairRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.JobFair{}, notFound(err, "job fair %s", id)
	}
	return row.toModel(), nil
}

// ListJobFairs returns a page of fairs, optionally only one organiser's.
func (s *Store) ListJobFairs(ctx context.Context, organiserID string, p Page) ([]models.JobFair, bool, error) {
	q := s.db.WithContext(ctx).Model(&jobFairRow{})
	if organiserID != "" {
		q = q.Where("organiser_id = ?", organiserID)
	}
	var rows []jobFairRow
	if err := p.apply(q).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, p)
	out := make([]models.JobFair, len(rows))
	for i, r := range rows {
		out[i] = r.toModel()
	}
	return out, more, nil
}
