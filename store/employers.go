package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

// CreateEmployer inserts e, giving it an ID and creation time. An RFC already on file
// is a conflict.
func (s *Store) CreateEmployer(ctx context.Context, e *models.Employer) error {
	if e.ID == "" {
		e.ID = models.NewID()
	}
	e.CreatedAt = s.now()
	row := toEmployerRow(e)
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error { return tx.Create(&row).Error })
	if err != nil {
		if models.IsKind(err, models.ErrConflict) {
			return models.Errorf(models.ErrConflict, "an employer with RFC %s already exists", e.RFC)
		}
		return err
	}
	return nil
}

// Employer returns the employer with the given ID.
func (s *Store) Employer(ctx context.Context, id string) (models.Employer, error) {
	var row employerRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.Employer{}, notFound(err, "employer %s", id)
	}
	return row.toModel(), nil
}

// EmployerFilter narrows ListEmployers.
type EmployerFilter struct {
	RFC   string
	State string
	// Q matches part of the name, ignoring case.
	Q string
	Page
}

// ListEmployers returns a page of employers and whether more follow.
func (s *Store) ListEmployers(ctx context.Context, f EmployerFilter) ([]models.Employer, bool, error) {
	q := s.db.WithContext(ctx).Model(&employerRow{})
	if f.RFC != "" {
		q = q.Where("rfc = ?", f.RFC)
	}
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if f.Q != "" {
		q = q.Where(`LOWER(name) LIKE ? ESCAPE '\'`, "%"+escapeLike(lower(f.Q))+"%")
	}
	var rows []employerRow
	if err := f.Page.apply(q).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, f.Page)
	out := make([]models.Employer, len(rows))
	for i, r := range rows {
		out[i] = r.toModel()
	}
	return out, more, nil
}
