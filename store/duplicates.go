package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

type distinctRow struct {
	CandidateA string `gorm:"primaryKey"`
	CandidateB string `gorm:"primaryKey"`
	MarkedBy   string
	Note       string
	MarkedAt   time.Time
}

func (distinctRow) TableName() string { return "distinct_people" }

// DuplicatePool returns the candidate and the people duplicate detection compares it
// with: those born the same day, and those whose phone ends in the same ten digits,
// without their documents (phoneKey holds digits only); and the IDs staff marked as different people from it.
func (s *Store) DuplicatePool(ctx context.Context, id string, phoneKey string) (models.Candidate, []models.Candidate, map[string]bool, error) {
	db := s.db.WithContext(ctx)
	var row candidateRow
	if err := db.Where("id = ?", id).Take(&row).Error; err != nil {
		return models.Candidate{}, nil, nil, notFound(err, "candidate %s", id)
	}
	me, err := s.toCandidate(row, nil)
	if err != nil {
		return models.Candidate{}, nil, nil, err
	}
	q := db.Where("id <> ?", id).Where("birth_date = ?", row.BirthDate)
	if phoneKey != "" {
		q = db.Where("id <> ?", id).Where(db.Where("birth_date = ?", row.BirthDate).
			Or("phone LIKE ?", "%"+phoneKey))
	}
	var rows []candidateRow
	if err := q.Order("id").Limit(1000).Find(&rows).Error; err != nil {
		return models.Candidate{}, nil, nil, translate(err)
	}
	pool := make([]models.Candidate, 0, len(rows))
	for _, r := range rows {
		c, err := s.toCandidate(r, nil)
		if err != nil {
			return models.Candidate{}, nil, nil, err
		}
		pool = append(pool, c)
	}
	var marks []distinctRow
	if err := db.Where("candidate_a = ? OR candidate_b = ?", id, id).Find(&marks).Error; err != nil {
		return models.Candidate{}, nil, nil, translate(err)
	}
	distinct := map[string]bool{}
	for _, m := range marks {
		distinct[m.CandidateA], distinct[m.CandidateB] = true, true
	}
	delete(distinct, id)
	return me, pool, distinct, nil
}

// MarkDistinct records that two profiles are different people, with the audit entries.
// Marking a pair again keeps the first record.
func (s *Store) MarkDistinct(ctx context.Context, a, b, by, note string, audit ...models.AuditEvent) (models.DistinctPair, error) {
	if strings.Compare(a, b) > 0 {
		a, b = b, a
	}
	row := distinctRow{CandidateA: a, CandidateB: b, MarkedBy: by, Note: note, MarkedAt: s.now()}
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		var n int64
		if err := tx.Model(&candidateRow{}).Where("id IN ?", []string{a, b}).Count(&n).Error; err != nil {
			return err
		}
		if n != 2 {
			return models.Errorf(models.ErrNotFound, "candidate %s or %s not found", a, b)
		}
		var old []distinctRow
		if err := tx.Where("candidate_a = ? AND candidate_b = ?", a, b).Find(&old).Error; err != nil {
			return err
		}
		if len(old) > 0 {
			row = old[0]
			return nil
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.insertAudit(tx, audit...)
	})
	return models.DistinctPair{CandidateA: row.CandidateA, CandidateB: row.CandidateB, MarkedBy: row.MarkedBy,
		Note: row.Note, MarkedAt: row.MarkedAt}, err
}
