package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/vincula/vincula/models"
)

type staffCredentialRow struct {
	UserID       string `gorm:"primaryKey"`
	Email        string
	PasswordHash string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (staffCredentialRow) TableName() string { return "staff_credentials" }

type staffInvitationRow struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    string
	Email     string
	InvitedBy string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

func (staffInvitationRow) TableName() string { return "staff_invitations" }

type staffSessionRow struct {
	IDHash     string `gorm:"primaryKey;column:id_hash"`
	UserID     string
	CSRFToken  string `gorm:"column:csrf_token"`
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

func (staffSessionRow) TableName() string { return "staff_sessions" }

// StaffInvitation is an admin's invitation of a user to set a password.
type StaffInvitation struct {
	UserID, Email, InvitedBy string
	ExpiresAt                time.Time
	// UsedAt is when the password was set; nil while the invitation is open.
	UsedAt *time.Time
}

// StaffSession is a console session: the SHA-256 of its cookie, its CSRF token and its
// times, all on the caller's clock.
type StaffSession struct {
	IDHash, UserID, CSRFToken        string
	CreatedAt, LastSeenAt, ExpiresAt time.Time
}

// User reads a user by id.
func (s *Store) User(ctx context.Context, id string) (models.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.User{}, notFound(err, "user %s", id)
	}
	return row.toModel(), nil
}

// CreateStaffInvitation records an invitation of the user inv.UserID, found by the
// SHA-256 of its link's token.
func (s *Store) CreateStaffInvitation(ctx context.Context, tokenHash string, inv StaffInvitation) error {
	row := staffInvitationRow{TokenHash: tokenHash, UserID: inv.UserID, Email: lower(inv.Email), InvitedBy: inv.InvitedBy,
		ExpiresAt: inv.ExpiresAt.UTC(), CreatedAt: s.now()}
	return translate(s.db.WithContext(ctx).Create(&row).Error)
}

// StaffInvitation reads the invitation of a link's token hash.
func (s *Store) StaffInvitation(ctx context.Context, tokenHash string) (StaffInvitation, error) {
	var row staffInvitationRow
	if err := s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).Take(&row).Error; err != nil {
		return StaffInvitation{}, notFound(err, "invitation")
	}
	return StaffInvitation{UserID: row.UserID, Email: row.Email, InvitedBy: row.InvitedBy, ExpiresAt: row.ExpiresAt, UsedAt: row.UsedAt}, nil
}

// AcceptStaffInvitation sets the invited user's password (its argon2id hash) and
// closes the invitation, at once: an invitation used, expired (at or after at) or
// unknown is ErrNotFound, and an e-mail address another user signs in with is
// ErrConflict.
func (s *Store) AcceptStaffInvitation(ctx context.Context, tokenHash, passwordHash string, at time.Time) (models.User, error) {
	var u models.User
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		var inv staffInvitationRow
		q := tx.Where("token_hash = ?", tokenHash)
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Take(&inv).Error; err != nil {
			return notFound(err, "invitation")
		}
		if inv.UsedAt != nil || !inv.ExpiresAt.After(at) {
			return models.Errorf(models.ErrNotFound, "this invitation has been used or has expired: ask an admin for a new one")
		}
		var urow userRow
		if err := tx.Where("id = ?", inv.UserID).Take(&urow).Error; err != nil {
			return notFound(err, "user")
		}
		var taken int64
		if err := tx.Model(&staffCredentialRow{}).Where("email = ? AND user_id <> ?", inv.Email, inv.UserID).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return models.Errorf(models.ErrConflict, "another user already signs in with %s", inv.Email)
		}
		cred := staffCredentialRow{UserID: inv.UserID, Email: inv.Email, PasswordHash: passwordHash, CreatedAt: at.UTC(), UpdatedAt: at.UTC()}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"email", "password_hash", "updated_at"})}).Create(&cred).Error; err != nil {
			return err
		}
		used := at.UTC()
		if err := tx.Model(&staffInvitationRow{}).Where("token_hash = ?", tokenHash).Update("used_at", used).Error; err != nil {
			return err
		}
		// Signing in anew ends the sessions of the old password.
		if err := tx.Where("user_id = ?", inv.UserID).Delete(&staffSessionRow{}).Error; err != nil {
			return err
		}
		u = urow.toModel()
		return nil
	})
	return u, err
}

// StaffLogin finds the user who signs in with email and their password hash.
func (s *Store) StaffLogin(ctx context.Context, email string) (models.User, string, error) {
	var cred staffCredentialRow
	if err := s.db.WithContext(ctx).Where("email = ?", lower(email)).Take(&cred).Error; err != nil {
		return models.User{}, "", notFound(err, "user")
	}
	u, err := s.User(ctx, cred.UserID)
	return u, cred.PasswordHash, err
}

// CreateStaffSession stores a new session.
func (s *Store) CreateStaffSession(ctx context.Context, ss StaffSession) error {
	row := staffSessionRow{IDHash: ss.IDHash, UserID: ss.UserID, CSRFToken: ss.CSRFToken, CreatedAt: ss.CreatedAt.UTC(),
		LastSeenAt: ss.LastSeenAt.UTC(), ExpiresAt: ss.ExpiresAt.UTC()}
	return translate(s.db.WithContext(ctx).Create(&row).Error)
}

// StaffSession reads a session and its user by the hash of its cookie.
func (s *Store) StaffSession(ctx context.Context, idHash string) (StaffSession, models.User, error) {
	var row staffSessionRow
	if err := s.db.WithContext(ctx).Where("id_hash = ?", idHash).Take(&row).Error; err != nil {
		return StaffSession{}, models.User{}, notFound(err, "session")
	}
	u, err := s.User(ctx, row.UserID)
	return StaffSession{IDHash: row.IDHash, UserID: row.UserID, CSRFToken: row.CSRFToken, CreatedAt: row.CreatedAt,
		LastSeenAt: row.LastSeenAt, ExpiresAt: row.ExpiresAt}, u, err
}

// TouchStaffSession records that a session was used at at.
func (s *Store) TouchStaffSession(ctx context.Context, idHash string, at time.Time) error {
	return translate(s.db.WithContext(ctx).Model(&staffSessionRow{}).Where("id_hash = ?", idHash).Update("last_seen_at", at.UTC()).Error)
}

// DeleteStaffSession ends a session (signing out, or an expired one).
func (s *Store) DeleteStaffSession(ctx context.Context, idHash string) error {
	return translate(s.db.WithContext(ctx).Where("id_hash = ?", idHash).Delete(&staffSessionRow{}).Error)
}

// SetStaffPassword sets the e-mail address and password hash a user signs in with
// (the demo data and `vincula user invite` set them for accounts they create).
func (s *Store) SetStaffPassword(ctx context.Context, userID, email, passwordHash string) error {
	at := s.now()
	cred := staffCredentialRow{UserID: userID, Email: lower(email), PasswordHash: passwordHash, CreatedAt: at, UpdatedAt: at}
	return translate(s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"email", "password_hash", "updated_at"})}).Create(&cred).Error)
}
