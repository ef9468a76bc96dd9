package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

type userRow struct {
	ID           string
	Name         string
	Email        string
	Role         string
	EmployerID   *string
	OfficeID     *string
	CounsellorID *string
	CandidateID  *string
	TokenHash    string
	// ExpiresAt ends the user's token: a migrant's after its lifetime or a PIN reset, a
	// staff user's after the API's token lifetime or a revocation. Nil on staff users
	// created before staff tokens had a lifetime: the API counts theirs from CreatedAt.
	ExpiresAt *time.Time
	CreatedAt time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) toModel() models.User {
	return models.User{ID: r.ID, Name: r.Name, Email: r.Email, Role: models.Role(r.Role),
		EmployerID: deref(r.EmployerID), OfficeID: deref(r.OfficeID), CounsellorID: deref(r.CounsellorID),
		CandidateID: deref(r.CandidateID), CreatedAt: r.CreatedAt, TokenExpiresAt: derefTime(r.ExpiresAt)}
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// CreateUser stores u with the hash of its bearer token; the token itself is never stored.
func (s *Store) CreateUser(ctx context.Context, u *models.User, tokenHash string) error {
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error { return s.createUser(tx, u, tokenHash) })
}

func (s *Store) createUser(tx *gorm.DB, u *models.User, tokenHash string) error {
	if u.ID == "" {
		u.ID = models.NewID()
	}
	u.CreatedAt = s.now()
	row := userRow{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), EmployerID: nullable(u.EmployerID),
		OfficeID: nullable(u.OfficeID), CounsellorID: nullable(u.CounsellorID), CandidateID: nullable(u.CandidateID),
		TokenHash: tokenHash, CreatedAt: u.CreatedAt}
	if !u.TokenExpiresAt.IsZero() {
		u.TokenExpiresAt = u.TokenExpiresAt.UTC().Truncate(time.Microsecond)
		row.ExpiresAt = &u.TokenExpiresAt
	}
	return tx.Create(&row).Error
}

// UserByTokenHash finds the user a bearer token belongs to. An expired token (a
// migrant's, after its lifetime or a PIN reset) belongs to nobody.
func (s *Store) UserByTokenHash(ctx context.Context, hash string) (models.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("token_hash = ?", hash).Take(&row).Error; err != nil {
		return models.User{}, notFound(err, "user")
	}
	// Compared here rather than in SQL, where SQLite would compare timestamps as text.
	if row.ExpiresAt != nil && !row.ExpiresAt.After(s.now()) {
		return models.User{}, models.Errorf(models.ErrNotFound, "user not found")
	}
	return row.toModel(), nil
}

// CountUsers returns how many users exist, so start-up can tell a fresh install.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&userRow{}).Count(&n).Error
	return n, translate(err)
}

// RevokeUserTokens ends the bearer token of user id at once (a token that already ended
// keeps its end), with the audit entry in the same transaction.
func (s *Store) RevokeUserTokens(ctx context.Context, id string, audit models.AuditEvent) error {
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		var row userRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return notFound(err, "user %s", id)
		}
		t := s.now()
		if row.ExpiresAt == nil || row.ExpiresAt.After(t) {
			if err := tx.Model(&userRow{}).Where("id = ?", id).Update("expires_at", t).Error; err != nil {
				return err
			}
		}
		return s.insertAudit(tx, audit)
	})
}

// ReissueUserToken gives user id a new bearer token (its hash) lasting until expires,
// in place of the last one, with the audit entry in the same transaction.
// check may refuse the user it is given.
func (s *Store) ReissueUserToken(ctx context.Context, id, tokenHash string, expires time.Time, audit models.AuditEvent,
	check func(models.User) error) (models.User, error) {
	var u models.User
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		var row userRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return notFound(err, "user %s", id)
		}
		if err := check(row.toModel()); err != nil {
			return err
		}
		expires = expires.UTC().Truncate(time.Microsecond)
		if err := tx.Model(&userRow{}).Where("id = ?", id).
			Updates(map[string]any{"token_hash": tokenHash, "expires_at": expires}).Error; err != nil {
			return err
		}
		row.TokenHash, row.ExpiresAt = tokenHash, &expires
		u = row.toModel()
		return s.insertAudit(tx, audit)
	})
	return u, err
}
