package accounts_test

import (
	"context"
	"testing"
	"time"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestUsersAndInvitations: admins list staff users with their roles and whether they
// sign in, and the invitations still open (without their links); revoking one kills
// its link and is audited; nobody else may do any of it.
func TestUsersAndInvitations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		clock := storetest.ClockOf(t, st)
		svc := accounts.New(st, st.Now(), accounts.Config{})
		counsellor := models.User{ID: "c", Role: models.RoleCounsellor}
		if _, _, err := svc.Users(ctx, counsellor, store.UserFilter{}); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("a counsellor listed users: %v", err)
		}
		if _, err := svc.OpenInvitations(ctx, counsellor); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("a counsellor listed invitations: %v", err)
		}
		if _, err := svc.RevokeInvitation(ctx, counsellor, "0123456789abcdef"); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("a counsellor revoked: %v", err)
		}
		eva, err := svc.Invite(ctx, admin, models.User{Name: "Eva", Email: "eva@sne.example", Role: models.RoleHubStaff})
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
		olga, err := svc.Invite(ctx, admin, models.User{Name: "Olga", Email: "olga@sne.example", Role: models.RoleOrganiser})
		if err != nil {
			t.Fatal(err)
		}
		migrant := models.User{Name: "Persona", Role: models.RoleMigrant}
		if err := st.CreateUser(ctx, &migrant, "hash-migrant"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Accept(ctx, eva.Token, "correcto-caballo-bateria"); err != nil {
			t.Fatal(err)
		}
		users, _, err := svc.Users(ctx, admin, store.UserFilter{})
		if err != nil || len(users) != 2 || users[0].Name != "Eva" || !users[0].SignsIn || users[0].SignInEmail != "eva@sne.example" || users[1].Role != models.RoleOrganiser || users[1].SignsIn {
			t.Fatalf("users (no migrants): %+v %v", users, err)
		}
		open, err := svc.OpenInvitations(ctx, admin)
		if err != nil || len(open) != 1 || open[0].UserID != olga.UserID || open[0].Role != models.RoleOrganiser || len(open[0].ID) != 16 {
			t.Fatalf("open invitations: %+v %v", open, err)
		}
		if open[0].ID == olga.Token[:16] || accounts.HashToken(olga.Token)[:16] != open[0].ID {
			t.Fatal("the handle is not the hash's prefix")
		}
		if _, err := svc.RevokeInvitation(ctx, admin, "zz"); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("a bad handle: %v", err)
		}
		if _, err := svc.RevokeInvitation(ctx, admin, open[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.OpenInvitation(ctx, olga.Token); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("a revoked invitation still opens: %v", err)
		}
		if _, err := svc.Accept(ctx, olga.Token, "correcto-caballo-bateria"); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("a revoked invitation set a password: %v", err)
		}
		if _, err := svc.RevokeInvitation(ctx, admin, open[0].ID); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("revoked twice: %v", err)
		}
		if open, _ := svc.OpenInvitations(ctx, admin); len(open) != 0 {
			t.Fatalf("still open: %+v", open)
		}
		audit, _ := st.AuditFor(ctx, "user", olga.UserID)
		if len(audit) != 2 || audit[1].Action != "invitation_revoked" || audit[1].ActorID != admin.ID || audit[1].Detail != "" {
			t.Fatalf("audit: %+v", audit)
		}
		// An invitation past its time is not listed as open.
		if _, err := svc.Invite(ctx, admin, models.User{ID: olga.UserID, Email: "olga@sne.example"}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(73 * time.Hour)
		if open, _ := svc.OpenInvitations(ctx, admin); len(open) != 0 {
			t.Fatalf("an expired invitation is listed: %+v", open)
		}
	})
}
