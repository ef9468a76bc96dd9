package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

// credentialRow is a migrant's login: their phone as a keyed hash and their PIN as an
// argon2id hash. Failed logins are counted in login_throttles (throttle.go); the
// failure columns here are no longer written.
type credentialRow struct {
	CandidateID    string `gorm:"primaryKey"`
	PhoneKey       string
	PINHash        string `gorm:"column:pin_hash"`
	FailedAttempts int
	// LastFailedAt and LockedUntil are on the API's clock, which passes them in.
	LastFailedAt *time.Time
	LockedUntil  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (credentialRow) TableName() string { return "migrant_credentials" }

// MigrantLogin is what a login by phone checks.
type MigrantLogin struct {
	CandidateID string
	// PINHash is the argon2id hash of the PIN, in its encoded form.
	PINHash string
}

func (r credentialRow) toLogin() MigrantLogin {
	return MigrantLogin{CandidateID: r.CandidateID, PINHash: r.PINHash}
}

// MigrantAccount is what is held about a migrant's login, for their data export. The
// PIN hash is left out: it is a secret, not information about the person.
type MigrantAccount struct {
	// UserID is the migrant's user, empty before their first login.
	UserID string
	// TokenExpiresAt is when their current token ends.
	TokenExpiresAt   *time.Time
	FailedAttempts   int
	LockedUntil      *time.Time
	CredentialsSince time.Time
}

// phoneKeyLabel names the one key this store derives from its secret key.
const phoneKeyLabel = "vincula migrant phone key v1"

// derive returns a 32-byte key for label from the AES key the box was built with. The
// store keeps only the AEAD, not the raw key, so the derivation goes through it: a
// GCM seal under the all-zero nonce (which random nonces never reach in practice) is
// the AES keystream, a secret function of the key, mixed into SHA-256 with the label.
func (c *cipherBox) derive(label string) []byte {
	nonce := make([]byte, c.aead.NonceSize())
	sealed := c.aead.Seal(nil, nonce, []byte(label), nil)
	h := sha256.New()
	h.Write([]byte(label))
	h.Write(sealed)
	return h.Sum(nil)
}

// PhoneKey is the keyed hash under which a phone number is stored and looked up: the
// same number however it is written ("+52 962 111 0001", "529621110001") gives the same
// key, and without the secret key the keys cannot be turned back into numbers by trying
// every phone number. An empty phone gives "".
func (s *Store) PhoneKey(phone string) string {
	p := strings.TrimPrefix(models.NormalizePhone(strings.TrimSpace(phone)), "+")
	if p == "" {
		return ""
	}
	mac := hmac.New(sha256.New, s.cipher.derive(phoneKeyLabel))
	mac.Write([]byte(p))
	return hex.EncodeToString(mac.Sum(nil))
}

// errPhoneTaken is the conflict of a phone that another migrant logs in with. Its
// words say no more than needed: whose phone it is stays private.
func errPhoneTaken() error {
	return models.Errorf(models.ErrConflict,
		"this phone cannot be registered; if it is yours, log in or ask hub staff to reset your PIN")
}

// RegisterMigrant creates a self-registered profile, the person's migrant user holding
// the hash of their first token (valid for ttl) and their login credentials (the phone
// of the profile and the argon2id hash of their PIN, hashed by the caller outside the
// transaction), in one transaction with the change feed. It returns when the token
// expires. A phone that another migrant logs in with is a conflict.
func (s *Store) RegisterMigrant(ctx context.Context, c *models.Candidate, u *models.User, tokenHash, pinHash string, ttl time.Duration) (time.Time, error) {
	key := s.PhoneKey(c.Phone)
	if key == "" {
		return time.Time{}, invalidField("phone", "is required: migrants log in with their phone number")
	}
	if c.ID == "" {
		c.ID = models.NewID()
	}
	c.CreatedAt = s.now()
	c.UpdatedAt = c.CreatedAt
	assignDocumentIDs(c)
	row, docs := s.toCandidateRows(c)
	u.Role, u.CandidateID = models.RoleMigrant, c.ID
	expires := c.CreatedAt.Add(ttl)
	err := s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		if err := phoneFree(tx, key, ""); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if len(docs) > 0 {
			if err := tx.Create(&docs).Error; err != nil {
				return err
			}
		}
		cred := credentialRow{CandidateID: c.ID, PhoneKey: key, PINHash: pinHash, CreatedAt: c.CreatedAt, UpdatedAt: c.CreatedAt}
		if err := tx.Create(&cred).Error; err != nil {
			return err
		}
		if err := s.createUser(tx, u, tokenHash); err != nil {
			return err
		}
		if err := tx.Model(&userRow{}).Where("id = ?", u.ID).Update("expires_at", expires).Error; err != nil {
			return err
		}
		f.add(models.ChangeCandidate, c.ID, models.ChangeUpsert)
		return nil
	})
	if models.IsKind(err, models.ErrConflict) {
		// Two registrations of one phone at once: the unique key stopped the second.
		return time.Time{}, errPhoneTaken()
	}
	return expires, err
}

// phoneFree fails with errPhoneTaken when a migrant other than candidateID logs in with
// the phone of key.
func phoneFree(tx *gorm.DB, key, candidateID string) error {
	var n int64
	if err := tx.Model(&credentialRow{}).Where("phone_key = ? AND candidate_id <> ?", key, candidateID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return errPhoneTaken()
	}
	return nil
}

func invalidField(field, format string, args ...any) error {
	var fe models.FieldErrors
	fe.Add(field, format, args...)
	return fe.Err()
}

// MigrantLoginByPhone finds the login of a phone number, however it is written.
func (s *Store) MigrantLoginByPhone(ctx context.Context, phone string) (MigrantLogin, error) {
	key := s.PhoneKey(phone)
	if key == "" {
		return MigrantLogin{}, models.Errorf(models.ErrNotFound, "login not found")
	}
	var row credentialRow
	if err := s.db.WithContext(ctx).Where("phone_key = ?", key).Take(&row).Error; err != nil {
		return MigrantLogin{}, notFound(err, "login")
	}
	return row.toLogin(), nil
}

// StartMigrantSession records a successful login: the failures are forgotten and the
// migrant's user gets the new token (valid for ttl) in place of the last one, so one
// person holds one live token. The user is created when hub staff set the first PIN of
// a profile they registered. It returns the user and when the token expires.
func (s *Store) StartMigrantSession(ctx context.Context, candidateID, tokenHash string, ttl time.Duration) (models.User, time.Time, error) {
	t := s.now()
	expires := t.Add(ttl)
	var u models.User
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		res := tx.Model(&credentialRow{}).Where("candidate_id = ?", candidateID).
			Updates(map[string]any{"failed_attempts": 0, "last_failed_at": nil, "locked_until": nil, "updated_at": t})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ErrNotFound, "login of candidate %s not found", candidateID)
		}
		var row userRow
		err := tx.Where("candidate_id = ? AND role = ?", candidateID, string(models.RoleMigrant)).Take(&row).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			u = models.User{Name: "migrant self-service", Role: models.RoleMigrant, CandidateID: candidateID}
			if err := s.createUser(tx, &u, tokenHash); err != nil {
				return err
			}
			return tx.Model(&userRow{}).Where("id = ?", u.ID).Update("expires_at", expires).Error
		case err != nil:
			return err
		}
		u = row.toModel()
		return tx.Model(&userRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"token_hash": tokenHash, "expires_at": expires}).Error
	})
	return u, expires, err
}

// ResetMigrantPIN sets a new PIN after hub staff checked the person's identity: the
// lockout is cleared, the live token ends (whoever held it must log in again) and the
// login phone becomes the profile's current phone. A profile registered by staff gets
// its first login this way. The audit entry is written in the same transaction.
func (s *Store) ResetMigrantPIN(ctx context.Context, candidateID, pinHash string, audit models.AuditEvent) error {
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		var cand candidateRow
		if err := tx.Select("id", "phone").Where("id = ?", candidateID).Take(&cand).Error; err != nil {
			return notFound(err, "candidate %s", candidateID)
		}
		key := s.PhoneKey(cand.Phone)
		if key == "" {
			return invalidField("phone", "the profile has no phone number, which the person logs in with: add it first")
		}
		if err := phoneFree(tx, key, candidateID); err != nil {
			return err
		}
		// The failures and locks of the phone, old and new, end with the reset.
		var old credentialRow
		if err := tx.Select("phone_key").Where("candidate_id = ?", candidateID).Take(&old).Error; err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		for _, k := range []string{old.PhoneKey, key} {
			if err := clearPhoneThrottles(tx, k); err != nil {
				return err
			}
		}
		t := s.now()
		res := tx.Model(&credentialRow{}).Where("candidate_id = ?", candidateID).Updates(map[string]any{
			"phone_key": key, "pin_hash": pinHash, "failed_attempts": 0, "last_failed_at": nil, "locked_until": nil, "updated_at": t})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			cred := credentialRow{CandidateID: candidateID, PhoneKey: key, PINHash: pinHash, CreatedAt: t, UpdatedAt: t}
			if err := tx.Create(&cred).Error; err != nil {
				return err
			}
		}
		if err := tx.Model(&userRow{}).Where("candidate_id = ? AND role = ?", candidateID, string(models.RoleMigrant)).
			Update("expires_at", t).Error; err != nil {
			return err
		}
		return s.insertAudit(tx, audit)
	})
}

// UpdateMigrantProfile is UpdateCandidate for the person's own changes: their login
// phone follows the profile's phone, in the same transaction. A phone another migrant
// logs in with is a conflict, and a migrant's profile must keep a phone.
func (s *Store) UpdateMigrantProfile(ctx context.Context, c *models.Candidate) error {
	key := s.PhoneKey(c.Phone)
	if key == "" {
		return invalidField("phone", "is required: migrants log in with their phone number")
	}
	c.UpdatedAt = s.now()
	assignDocumentIDs(c)
	row, docs := s.toCandidateRows(c)
	err := s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		if err := phoneFree(tx, key, c.ID); err != nil {
			return err
		}
		if err := replaceCandidate(tx, c.ID, &row, docs); err != nil {
			return err
		}
		if err := tx.Model(&credentialRow{}).Where("candidate_id = ?", c.ID).
			Updates(map[string]any{"phone_key": key}).Error; err != nil {
			return err
		}
		f.add(models.ChangeCandidate, c.ID, models.ChangeUpsert)
		return nil
	})
	if models.IsKind(err, models.ErrConflict) {
		return errPhoneTaken()
	}
	return err
}

// VerifyDocument marks one document of a candidate as checked against the original by
// verifier at time at, with the change-feed row, and returns the profile.
func (s *Store) VerifyDocument(ctx context.Context, candidateID, documentID, verifier string, at time.Time) (models.Candidate, error) {
	var out models.Candidate
	at = at.UTC()
	err := s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		res := tx.Model(&documentRow{}).Where("id = ? AND candidate_id = ?", documentID, candidateID).
			Updates(map[string]any{"verified": true, "verified_by": verifier, "verified_at": at})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ErrNotFound, "candidate %s has no document %s", candidateID, documentID)
		}
		if err := tx.Model(&candidateRow{}).Where("id = ?", candidateID).Update("updated_at", s.now()).Error; err != nil {
			return err
		}
		c, err := s.candidateTx(tx, candidateID)
		if err != nil {
			return err
		}
		out = c
		f.add(models.ChangeCandidate, candidateID, models.ChangeUpsert)
		return nil
	})
	return out, err
}

// ReferralsOfCandidate returns every referral of one candidate with its history,
// oldest first, in two queries.
func (s *Store) ReferralsOfCandidate(ctx context.Context, candidateID string) ([]models.Referral, error) {
	db := s.db.WithContext(ctx)
	var rows []referralRow
	if err := db.Where("candidate_id = ?", candidateID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]models.Referral, len(rows))
	for i, r := range rows {
		out[i] = r.toModel()
	}
	if err := withHistories(db, out); err != nil {
		return nil, err
	}
	return out, nil
}

// MigrantAccount returns what is held about a candidate's login; a profile without
// one (registered by staff, never given a PIN) is not found.
func (s *Store) MigrantAccount(ctx context.Context, candidateID string) (MigrantAccount, error) {
	db := s.db.WithContext(ctx)
	var cred credentialRow
	if err := db.Where("candidate_id = ?", candidateID).Take(&cred).Error; err != nil {
		return MigrantAccount{}, notFound(err, "login of candidate %s", candidateID)
	}
	acc := MigrantAccount{CredentialsSince: cred.CreatedAt}
	var err error
	if acc.FailedAttempts, acc.LockedUntil, err = phoneThrottles(db, cred.PhoneKey, s.now()); err != nil {
		return MigrantAccount{}, translate(err)
	}
	var u userRow
	err = db.Where("candidate_id = ? AND role = ?", candidateID, string(models.RoleMigrant)).Take(&u).Error
	switch {
	case err == nil:
		acc.UserID, acc.TokenExpiresAt = u.ID, u.ExpiresAt
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return MigrantAccount{}, translate(err)
	}
	return acc, nil
}
