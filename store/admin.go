package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

// OfficeUpdate is what an admin changes on an office: nil fields stay as they are.
type OfficeUpdate struct {
	Name           *string
	CoverageStates *[]string
}

// UpdateOffice changes an office's name or the states it covers, with the audit entry
// in the same transaction. It takes the referral lock, so a routing in progress sees
// the office either before or after the change.
func (s *Store) UpdateOffice(ctx context.Context, id string, up OfficeUpdate, audit models.AuditEvent) (models.Office, error) {
	var out models.Office
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		if err := s.lockReferrals(tx); err != nil {
			return err
		}
		var row officeRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return notFound(err, "office %s", id)
		}
		set := map[string]any{}
		if up.Name != nil {
			row.Name, set["name"] = *up.Name, *up.Name
		}
		if up.CoverageStates != nil {
			row.CoverageStates = jsonOf(*up.CoverageStates)
			set["coverage_states"] = row.CoverageStates
		}
		if len(set) > 0 {
			if err := tx.Model(&officeRow{}).Where("id = ?", id).Updates(set).Error; err != nil {
				return err
			}
		}
		out = row.toModel()
		return s.insertAudit(tx, audit)
	})
	return out, err
}

// UserLine is a user as the admin's list shows it: who, with which role and scope,
// and whether they sign in to the console.
type UserLine struct {
	models.User
	// SignsIn is true when the user has a console password; SignInEmail is the
	// address they sign in with.
	SignsIn     bool
	SignInEmail string
}

// UserFilter narrows Users.
type UserFilter struct {
	// Role keeps one role; empty keeps every role but migrants (who are people in the
	// programme, not its staff).
	Role string
	Page
}

// Users returns a page of users in creation order.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]UserLine, bool, error) {
	q := s.db.WithContext(ctx).Model(&userRow{})
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	} else {
		q = q.Where("role <> ?", string(models.RoleMigrant))
	}
	var rows []userRow
	if err := f.Page.apply(q).Find(&rows).Error; err != nil {
		return nil, false, translate(err)
	}
	rows, more := trim(rows, f.Page)
	out := make([]UserLine, len(rows))
	if len(rows) == 0 {
		return out, more, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var creds []staffCredentialRow
	if err := s.db.WithContext(ctx).Select("user_id, email").Where("user_id IN ?", ids).Find(&creds).Error; err != nil {
		return nil, false, translate(err)
	}
	email := map[string]string{}
	for _, c := range creds {
		email[c.UserID] = c.Email
	}
	for i, r := range rows {
		e, ok := email[r.ID]
		out[i] = UserLine{User: r.toModel(), SignsIn: ok, SignInEmail: e}
	}
	return out, more, nil
}

// OpenInvitation is an invitation not yet used, as the admin's list shows it. ID is an
// opaque handle (a prefix of the token's hash), never the link's token.
type OpenInvitation struct {
	ID, UserID, Email, InvitedBy string
	Role                         models.Role
	Name                         string
	CreatedAt, ExpiresAt         time.Time
}

// invitationHandle is how long a prefix of the token hash names an invitation: 16 hex
// digits are 64 bits, unique among the few invitations that exist.
const invitationHandle = 16

// OpenInvitations returns the invitations not yet used whose link is still valid at
// at, newest first (at most 200).
func (s *Store) OpenInvitations(ctx context.Context, at time.Time) ([]OpenInvitation, error) {
	var rows []staffInvitationRow
	if err := s.db.WithContext(ctx).Where("used_at IS NULL AND expires_at > ?", at.UTC()).
		Order("created_at DESC").Limit(200).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]OpenInvitation, 0, len(rows))
	for _, r := range rows {
		u, err := s.User(ctx, r.UserID)
		if err != nil && !models.IsKind(err, models.ErrNotFound) {
			return nil, err
		}
		out = append(out, OpenInvitation{ID: r.TokenHash[:invitationHandle], UserID: r.UserID, Email: r.Email, InvitedBy: r.InvitedBy,
			Role: u.Role, Name: u.Name, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt})
	}
	return out, nil
}

// RevokeInvitation deletes the open invitation of handle id (OpenInvitation.ID), so its
// link no longer works, with the audit entry in the same transaction. A used or
// unknown invitation is ErrNotFound. It returns what was revoked.
func (s *Store) RevokeInvitation(ctx context.Context, id string, audit func(OpenInvitation) models.AuditEvent) (OpenInvitation, error) {
	var out OpenInvitation
	if len(id) != invitationHandle || strings.Trim(id, "0123456789abcdef") != "" {
		return out, models.Errorf(models.ErrNotFound, "invitation not found")
	}
	err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		var rows []staffInvitationRow
		if err := tx.Where("token_hash LIKE ? AND used_at IS NULL", id+"%").Limit(2).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) != 1 {
			return models.Errorf(models.ErrNotFound, "invitation not found")
		}
		r := rows[0]
		out = OpenInvitation{ID: id, UserID: r.UserID, Email: r.Email, InvitedBy: r.InvitedBy, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt}
		if err := tx.Where("token_hash = ?", r.TokenHash).Delete(&staffInvitationRow{}).Error; err != nil {
			return err
		}
		return s.insertAudit(tx, audit(out))
	})
	return out, err
}
