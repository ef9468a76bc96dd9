package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

// bulkBatch is how many records go in one INSERT on PostgreSQL; BLEVE-NOTES measured
// gorm's CreateInBatches(1000) at over 100k rows/s here.
const bulkBatch = 1000

// sqliteBulkBatch is the same on SQLite, smaller because the driver finds each
// parameter's argument by a linear search: binding an INSERT costs the square of its
// parameters (a profile of BulkCreateCandidates at 1,000 rows a statement: 58% of the
// CPU in the driver's bind).
const sqliteBulkBatch = 50

// batch is how many records one bulk INSERT takes on this store's engine.
func (s *Store) batch() int {
	if s.dialect == SQLite {
		return sqliteBulkBatch
	}
	return bulkBatch
}

// BulkCreateCandidates inserts many profiles (keeping IDs they already have) with
// their documents and change-feed rows, in one transaction. It serves data generators
// and benchmarks; the API creates profiles one at a time.
func (s *Store) BulkCreateCandidates(ctx context.Context, cs []models.Candidate) error {
	t := s.now()
	rows := make([]candidateRow, 0, len(cs))
	var docs []documentRow
	for i := range cs {
		c := &cs[i]
		if c.ID == "" {
			c.ID = models.NewID()
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt, c.UpdatedAt = t, t
		}
		assignDocumentIDs(c)
		row, ds := s.toCandidateRows(c)
		rows = append(rows, row)
		docs = append(docs, ds...)
	}
	return s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		if err := tx.CreateInBatches(rows, s.batch()).Error; err != nil {
			return err
		}
		if len(docs) > 0 {
			if err := tx.CreateInBatches(docs, s.batch()).Error; err != nil {
				return err
			}
		}
		for _, c := range cs {
			f.add(models.ChangeCandidate, c.ID, models.ChangeUpsert)
		}
		return nil
	})
}

// BulkCreateVacancies inserts many vacancies (keeping IDs they already have) with their
// change-feed rows, in one transaction.
func (s *Store) BulkCreateVacancies(ctx context.Context, vs []models.Vacancy) error {
	t := s.now()
	rows := make([]vacancyRow, len(vs))
	for i := range vs {
		v := &vs[i]
		if v.ID == "" {
			v.ID = models.NewID()
		}
		if v.CreatedAt.IsZero() {
			v.CreatedAt, v.UpdatedAt = t, t
		}
		rows[i] = toVacancyRow(v)
	}
	return s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		if err := tx.CreateInBatches(rows, s.batch()).Error; err != nil {
			return err
		}
		for _, v := range vs {
			f.add(models.ChangeVacancy, v.ID, models.ChangeUpsert)
		}
		return nil
	})
}

// BulkCreateEmployers inserts many employers (keeping their IDs) in one transaction.
func (s *Store) BulkCreateEmployers(ctx context.Context, es []models.Employer) error {
	t := s.now()
	rows := make([]employerRow, len(es))
	for i := range es {
		if es[i].ID == "" {
			es[i].ID = models.NewID()
		}
		es[i].CreatedAt = t
		rows[i] = toEmployerRow(&es[i])
	}
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error { return tx.CreateInBatches(rows, s.batch()).Error })
}

// Analyze refreshes the query planner's statistics of the tables bulk loads fill. Call
// it after a bulk load: until PostgreSQL has statistics for a freshly filled table it
// may plan a look-up by key as a full scan (measured at 100,000 profiles: a window's
// documents read as a parallel sequential scan took 16 ms instead of 1.3 ms, and ten
// times that at 1,000,000). Autovacuum gets there too, but only a minute or more
// later. On SQLite it samples at most 1,000 rows of each index (analysis_limit), so it
// stays quick at any size.
func (s *Store) Analyze(ctx context.Context) error {
	if s.dialect == Postgres {
		return translate(s.db.WithContext(ctx).Exec("ANALYZE candidates, documents, vacancies, employers").Error)
	}
	// analysis_limit belongs to the connection, so both statements must use the same one.
	return translate(s.db.WithContext(ctx).Connection(func(tx *gorm.DB) error {
		if err := tx.Exec("PRAGMA analysis_limit = 1000").Error; err != nil {
			return err
		}
		return tx.Exec("ANALYZE").Error
	}))
}
