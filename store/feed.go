package store

import (
	"context"
	"database/sql/driver"
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
	if s.dialect == Postgres {
		// Sent at commit, to every server's listener (Listen): their followers apply
		// the change at once rather than at their next poll.
		if err := tx.Exec("SELECT pg_notify(?, '')", feedChannel).Error; err != nil {
			return fmt.Errorf("change feed notification: %w", err)
		}
	}
	return nil
}

// changeReadRow is a change-feed row as it is read back. Its time is read loosely: a
// row whose time cannot be decoded (SQLite keeps any text in a DATETIME column) must
// not stop every follower at it, and followers do not need the time.
type changeReadRow struct {
	Seq      int64
	Entity   string
	EntityID string
	Op       string
	At       looseTime
}

func (changeReadRow) TableName() string { return "changes" }

// looseTime scans a time, or the zero time when the stored value is not one.
type looseTime struct{ t time.Time }

// Value makes looseTime a column type for gorm; the feed is never written through it.
func (t looseTime) Value() (driver.Value, error) { return t.t, nil }

func (t *looseTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		t.t = v
	case string:
		t.t = parseLooseTime(v)
	case []byte:
		t.t = parseLooseTime(string(v))
	default:
		t.t = time.Time{}
	}
	return nil
}

func parseLooseTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// ChangesSince returns up to limit change-feed rows after seq, in order. A row whose
// time cannot be decoded comes with a zero At.
func (s *Store) ChangesSince(ctx context.Context, seq int64, limit int) ([]models.Change, error) {
	var rows []changeReadRow
	err := s.db.WithContext(ctx).Where("seq > ?", seq).Order("seq").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]models.Change, len(rows))
	for i, r := range rows {
		out[i] = models.Change{Seq: r.Seq, Entity: models.ChangeEntity(r.Entity), EntityID: r.EntityID, Op: models.ChangeOp(r.Op), At: r.At.t}
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
