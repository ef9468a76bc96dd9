package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

// CreateVacancy inserts v and its change-feed row in one transaction.
func (s *Store) CreateVacancy(ctx context.Context, v *models.Vacancy) error {
	if v.ID == "" {
		v.ID = models.NewID()
	}
	v.CreatedAt = s.now()
	v.UpdatedAt = v.CreatedAt
	row := toVacancyRow(v)
	return s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		if err := s.requireEmployer(tx, v.EmployerID); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		f.add(models.ChangeVacancy, v.ID, models.ChangeUpsert)
		return nil
	})
}

func (s *Store) requireEmployer(tx *gorm.DB, id string) error {
	var n int64
	if err := tx.Model(&employerRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return &models.Error{Kind: models.ErrInvalid, Message: "validation failed",
			Fields: []models.FieldError{{Field: "employer_id", Message: "no employer with this id"}}}
	}
	return nil
}

// Vacancy returns the vacancy with the given ID.
func (s *Store) Vacancy(ctx context.Context, id string) (models.Vacancy, error) {
	var row vacancyRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.Vacancy{}, notFound(err, "vacancy %s", id)
	}
	return row.toModel(), nil
}

// UpdateVacancy replaces every field of the stored vacancy with v's (the caller has
// merged the patch and validated the result) and writes its change-feed row.
func (s *Store) UpdateVacancy(ctx context.Context, v *models.Vacancy) error {
	v.UpdatedAt = s.now()
	row := toVacancyRow(v)
	return s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		var before vacancyRow
		if err := tx.Select("id", "status").Where("id = ?", v.ID).Take(&before).Error; err != nil {
			return notFound(err, "vacancy %s", v.ID)
		}
		res := tx.Model(&vacancyRow{}).Where("id = ?", v.ID).Select("*").Omit("id", "created_at").Updates(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ErrNotFound, "vacancy %s not found", v.ID)
		}
		f.add(models.ChangeVacancy, v.ID, models.ChangeUpsert)
		if before.Status != string(models.VacancyFilled) && v.Status == models.VacancyFilled {
			return s.vacancyFilledEvent(tx, row, row.PositionsFilled)
		}
		return nil
	})
}

// DeleteVacancy removes the vacancy (and, by cascade, its referrals).
func (s *Store) DeleteVacancy(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		res := tx.Where("id = ?", id).Delete(&vacancyRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ErrNotFound, "vacancy %s not found", id)
		}
		f.add(models.ChangeVacancy, id, models.ChangeDelete)
		return nil
	})
}

// VacancyFilter narrows ListVacancies.
type VacancyFilter struct {
	State      string
	Status     string
	EmployerID string
	JobFairID  string
	Page
}

// ListVacancies returns a page of vacancies and whether more follow.
func (s *Store) ListVacancies(ctx context.Context, f VacancyFilter) ([]models.Vacancy, bool, error) {
	q := s.db.WithContext(ctx).Model(&vacancyRow{})
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.EmployerID != "" {
		q = q.Where("employer_id = ?", f.EmployerID)
	}
	if f.JobFairID != "" {
		q = q.Where("job_fair_id = ?", f.JobFairID)
	}
	var rows []vacancyRow
	if err := f.Page.apply(q).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, f.Page)
	return vacanciesOf(rows), more, nil
}

// VacanciesByID returns the vacancies with the given IDs that still exist, in the
// order of ids. Search answers are re-read through it so results are never stale.
func (s *Store) VacanciesByID(ctx context.Context, ids []string) ([]models.Vacancy, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []vacancyRow
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	byID := make(map[string]vacancyRow, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]models.Vacancy, 0, len(rows))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r.toModel())
		}
	}
	return out, nil
}

// EachVacancy calls fn for every vacancy in ID order, a batch at a time, for rebuilding
// the index without holding the whole table in memory.
func (s *Store) EachVacancy(ctx context.Context, batch int, fn func([]models.Vacancy) error) error {
	after := ""
	for {
		var rows []vacancyRow
		if err := s.db.WithContext(ctx).Where("id > ?", after).Order("id").Limit(batch).Find(&rows).Error; err != nil {
			return translate(err)
		}
		if len(rows) == 0 {
			return nil
		}
		if err := fn(vacanciesOf(rows)); err != nil {
			return err
		}
		after = rows[len(rows)-1].ID
	}
}

func vacanciesOf(rows []vacancyRow) []models.Vacancy {
	out := make([]models.Vacancy, len(rows))
	for i, r := range rows {
		out[i] = r.toModel()
	}
	return out
}
