package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrWrongKey is returned by Open when the database was written with another secret
// key than the one given: every encrypted value would fail to open.
var ErrWrongKey = errors.New("store: the secret key does not open this database: it was written with another key; " +
	"start every server and command on this database with the key it was created with (VINCULA_SECRET_KEY, " +
	"or the secret.key file of the data directory that first used it)")

// keyCheckLabel is what the key check value authenticates. It never changes: a new
// scheme would take a new label and a new meta name.
const keyCheckLabel = "vincula key check v1"

// keyCheckName is the meta row that holds the key check value.
const keyCheckName = "key_check"

type metaRow struct {
	Name      string `gorm:"primaryKey"`
	Value     string
	CreatedAt time.Time
}

func (metaRow) TableName() string { return "meta" }

// keyCheckValue is the HMAC-SHA256 of keyCheckLabel under key, in hex. It proves which
// key wrote the database without revealing the key.
func keyCheckValue(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(keyCheckLabel))
	return hex.EncodeToString(m.Sum(nil))
}

// checkKey makes sure the store's key is the one the database was written with. The
// first start records the key check value (a database from before the check is first
// tried on one of its encrypted values); later starts compare with it. Two servers
// starting at once on an empty database both insert-or-ignore, then both compare with
// the value that won.
func (s *Store) checkKey(ctx context.Context, key []byte) error {
	want := keyCheckValue(key)
	db := s.db.WithContext(ctx)
	var rows []metaRow
	if err := db.Where("name = ?", keyCheckName).Find(&rows).Error; err != nil {
		return fmt.Errorf("store: read the key check value: %w", err)
	}
	if len(rows) == 0 {
		if err := s.openSomeValue(db); err != nil {
			return err
		}
		row := metaRow{Name: keyCheckName, Value: want, CreatedAt: s.now()}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("store: record the key check value: %w", err)
		}
		if err := db.Where("name = ?", keyCheckName).Find(&rows).Error; err != nil || len(rows) == 0 {
			return fmt.Errorf("store: read back the key check value: %v", err)
		}
	}
	if !hmac.Equal([]byte(rows[0].Value), []byte(want)) {
		return ErrWrongKey
	}
	return nil
}

// openSomeValue tries the key on one encrypted value, if the database holds any: a
// database written before the key check existed must not get the check value of a
// key that cannot read it.
func (s *Store) openSomeValue(db *gorm.DB) error {
	for _, q := range []string{
		"SELECT number_enc FROM documents WHERE number_enc <> '' LIMIT 1",
		"SELECT curp_enc FROM candidates WHERE curp_enc <> '' LIMIT 1",
	} {
		var values []string
		if err := db.Raw(q).Scan(&values).Error; err != nil {
			return fmt.Errorf("store: read an encrypted value to check the key: %w", err)
		}
		if len(values) == 0 {
			continue
		}
		if _, err := s.cipher.open(values[0]); err != nil {
			return ErrWrongKey
		}
		return nil
	}
	return nil
}
