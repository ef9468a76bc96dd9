package accounts

import (
	"context"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// Users returns a page of the programme's users (all roles but migrants, or one role)
// for an admin, each saying whether they sign in to the console.
func (s *Service) Users(ctx context.Context, by models.User, f store.UserFilter) ([]store.UserLine, bool, error) {
	if err := s.MayInvite(by); err != nil {
		return nil, false, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 200
	}
	return s.store.Users(ctx, f)
}

// OpenInvitations returns the invitations whose link may still be used, newest first,
// for an admin. Their links are never shown again: only a handle to revoke them.
func (s *Service) OpenInvitations(ctx context.Context, by models.User) ([]store.OpenInvitation, error) {
	if err := s.MayInvite(by); err != nil {
		return nil, err
	}
	return s.store.OpenInvitations(ctx, s.now())
}

// RevokeInvitation ends an open invitation (by its handle) so that its link no longer
// works; an admin only, audited.
func (s *Service) RevokeInvitation(ctx context.Context, by models.User, id string) (store.OpenInvitation, error) {
	if err := s.MayInvite(by); err != nil {
		return store.OpenInvitation{}, err
	}
	return s.store.RevokeInvitation(ctx, id, func(inv store.OpenInvitation) models.AuditEvent {
		return models.AuditEvent{ActorID: by.ID, ActorRole: by.Role, Action: "invitation_revoked", SubjectType: "user",
			SubjectID: inv.UserID}
	})
}
