package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// throttleRow counts the failed logins of one (phone, client address) pair or of one
// client address.
type throttleRow struct {
	Key          string `gorm:"column:throttle_key;primaryKey"`
	PhoneKey     *string
	Failures     int
	LastFailedAt time.Time
	LockedUntil  *time.Time
	SweepAfter   int64
}

func (throttleRow) TableName() string { return "login_throttles" }

// throttleKeyLabel names the key the throttle keys are derived under.
const throttleKeyLabel = "vincula login throttle key v1"

// Throttle is one count of failed logins: Limit failures within Window lock it for
// Window.
type Throttle struct {
	// Key is the keyed hash of what is counted (LoginThrottles makes it).
	Key string
	// PhoneKey is the phone's login key on a (phone, address) count, "" on an address's.
	PhoneKey string
	Limit    int
	Window   time.Duration
}

// LoginThrottles returns the two counts a login from address naming phone falls
// under: the pair's (limit perPair) and the address's (limit perAddress), both over
// window. A phone no migrant logs in with gets its counts as a registered one does.
func (s *Store) LoginThrottles(phone, address string, perPair, perAddress int, window time.Duration) []Throttle {
	mac := func(kind, value string) string {
		m := hmac.New(sha256.New, s.cipher.derive(throttleKeyLabel))
		m.Write([]byte(kind + "\x00" + value))
		return hex.EncodeToString(m.Sum(nil))
	}
	pk := s.PhoneKey(phone)
	return []Throttle{
		{Key: mac("pair", pk+"\x00"+address), PhoneKey: pk, Limit: perPair, Window: window},
		{Key: mac("address", address), Limit: perAddress, Window: window},
	}
}

// LoginLockedUntil returns when the last of the counts' locks ends: a time not after
// at when none is locked.
func (s *Store) LoginLockedUntil(ctx context.Context, counts []Throttle, at time.Time) (time.Time, error) {
	keys := make([]string, len(counts))
	for i, c := range counts {
		keys[i] = c.Key
	}
	var rows []throttleRow
	if err := s.db.WithContext(ctx).Where("throttle_key IN ?", keys).Find(&rows).Error; err != nil {
		return time.Time{}, translate(err)
	}
	var until time.Time
	for _, r := range rows {
		// Compared here rather than in SQL, where SQLite would compare timestamps as text.
		if r.LockedUntil != nil && r.LockedUntil.After(at) && r.LockedUntil.After(until) {
			until = *r.LockedUntil
		}
	}
	return until, nil
}

// RecordLoginFailure counts a failed login at time at in each of counts. Failures older
// than a count's window are forgotten; its limit-th failure locks it until at+window
// and starts the count again. It returns when the last lock ends (not after at when
// none is locked). Counts that no longer matter are deleted on the way.
func (s *Store) RecordLoginFailure(ctx context.Context, counts []Throttle, at time.Time) (time.Time, error) {
	at = at.UTC().Truncate(time.Microsecond)
	var until time.Time
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		if err := tx.Where("sweep_after < ?", at.Unix()).Delete(&throttleRow{}).Error; err != nil {
			return err
		}
		for _, c := range counts {
			fresh := throttleRow{Key: c.Key, PhoneKey: nullable(c.PhoneKey), LastFailedAt: at, SweepAfter: at.Unix()}
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&fresh).Error; err != nil {
				return err
			}
			q := tx.Where("throttle_key = ?", c.Key)
			if s.dialect == Postgres {
				q = q.Clauses(clause.Locking{Strength: "UPDATE"})
			}
			var row throttleRow
			if err := q.Take(&row).Error; err != nil {
				return err
			}
			if row.LastFailedAt.Before(at.Add(-c.Window)) {
				row.Failures = 0
			}
			row.Failures++
			row.LastFailedAt = at
			if row.Failures >= c.Limit {
				lock := at.Add(c.Window)
				row.Failures, row.LockedUntil = 0, &lock
			}
			sweep := at.Add(c.Window)
			if row.LockedUntil != nil && row.LockedUntil.After(sweep) {
				sweep = *row.LockedUntil
			}
			row.SweepAfter = sweep.Unix() + 1
			if row.LockedUntil != nil && row.LockedUntil.After(until) {
				until = *row.LockedUntil
			}
			if err := tx.Model(&throttleRow{}).Where("throttle_key = ?", c.Key).Updates(map[string]any{"failures": row.Failures,
				"last_failed_at": row.LastFailedAt, "locked_until": row.LockedUntil, "sweep_after": row.SweepAfter}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return until, err
}

// ClearLoginFailures forgets the failures of a count (after a successful login).
func (s *Store) ClearLoginFailures(ctx context.Context, c Throttle) error {
	return translate(s.db.WithContext(ctx).Where("throttle_key = ?", c.Key).Delete(&throttleRow{}).Error)
}

// clearPhoneThrottles forgets the failures and locks of a phone at every address (a PIN
// reset, an erasure).
func clearPhoneThrottles(tx *gorm.DB, phoneKey string) error {
	if phoneKey == "" {
		return nil
	}
	return tx.Where("phone_key = ?", phoneKey).Delete(&throttleRow{}).Error
}

// phoneThrottles sums a phone's failures counted now and the end of its last lock, at
// every address, for the person's data export.
func phoneThrottles(tx *gorm.DB, phoneKey string, at time.Time) (failures int, lockedUntil *time.Time, err error) {
	var rows []throttleRow
	if err := tx.Where("phone_key = ?", phoneKey).Find(&rows).Error; err != nil {
		return 0, nil, err
	}
	for _, r := range rows {
		if at.Unix() > r.SweepAfter {
			continue
		}
		failures += r.Failures
		if r.LockedUntil != nil && r.LockedUntil.After(at) && (lockedUntil == nil || r.LockedUntil.After(*lockedUntil)) {
			l := *r.LockedUntil
			lockedUntil = &l
		}
	}
	return failures, lockedUntil, nil
}
