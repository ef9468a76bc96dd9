package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

// feedLockKey is the PostgreSQL advisory lock that serialises change-feed inserts.
// Held from the insert to the commit, it makes sequence order equal commit order, so
// a reader that follows "seq > last applied" never skips a row committed late.
const feedLockKey = 0x76696e63756c61 // "vincula"

type changeRow struct {
	Seq      int64 `gorm:"primaryKey;autoIncrement"`
	Entity   string
	EntityID string
	Op       string
	At       time.Time
}

func (changeRow) TableName() string { return "changes" }

// feed collects the change rows of one transaction.
type feed struct{ changes []changeRow }

func (f *feed) add(entity models.ChangeEntity, id string, op models.ChangeOp) {
	f.changes = append(f.changes, changeRow{Entity: string(entity), EntityID: id, Op: string(op)})
}

func (s *Store) writeFeed(tx *gorm.DB, f *feed) error {
	if len(f.changes) == 0 {
		return nil
	}
	if s.dialect == Postgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", feedLockKey).Error; err != nil {
			return fmt.Errorf("change feed lock: %w", err)
		}
	}
	t := s.now()
	for i := range f.changes {
		f.changes[i].At = t
	}
	// Four columns a row: on SQLite, whose driver binds parameters in quadratic time
	// (see sqliteBulkBatch), 200 rows a statement; elsewhere 500.
	batch := 500
	if s.dialect == SQLite {
		batch = 200
	}
	if err := tx.CreateInBatches(f.changes, batch).Error; err != nil {
		return fmt.Errorf("change feed: %w", err)
	}
	return nil
}

// ChangesSince returns up to limit change-feed rows after seq, in order.
func (s *Store) ChangesSince(ctx context.Context, seq int64, limit int) ([]models.Change, error) {
	var rows []changeRow
	err := s.db.WithContext(ctx).Where("seq > ?", seq).Order("seq").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]models.Change, len(rows))
	for i, r := range rows {
		out[i] = models.Change{Seq: r.Seq, Entity: models.ChangeEntity(r.Entity), EntityID: r.EntityID, Op: models.ChangeOp(r.Op), At: r.At}
	}
	return out, nil
}

// LatestSeq returns the newest sequence number of the feed (0 when empty).
func (s *Store) LatestSeq(ctx context.Context) (int64, error) {
	var seq *int64
	if err := s.db.WithContext(ctx).Model(&changeRow{}).Select("MAX(seq)").Scan(&seq).Error; err != nil {
		return 0, translate(err)
	}
	if seq == nil {
		return 0, nil
	}
	return *seq, nil
}

// RequestReindex asks every server to rebuild its index from the database: it writes
// one change-feed row that the followers treat as "rebuild", and returns its sequence.
func (s *Store) RequestReindex(ctx context.Context) (int64, error) {
	var written *feed
	err := s.tx(ctx, func(_ *gorm.DB, f *feed) error {
		f.add(models.ChangeIndex, "", models.ChangeRebuild)
		written = f
		return nil
	})
	if err != nil {
		return 0, err
	}
	return written.changes[0].Seq, nil
}
