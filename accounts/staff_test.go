package accounts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vincula/vincula/accounts"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var admin = models.User{ID: "admin-token", Role: models.RoleAdmin}

// TestInviteSignInExpire: an admin's invitation sets a password once and expires;
// the password opens a session that ends when idle, at its absolute expiry and at
// sign-out; wrong passwords are throttled.
func TestInviteSignInExpire(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		clock := storetest.ClockOf(t, st)
		svc := accounts.New(st, st.Now(), accounts.Config{})
		if _, err := svc.Invite(ctx, models.User{ID: "x", Role: models.RoleCounsellor}, models.User{Name: "Eva", Email: "eva@sne.example", Role: models.RoleHubStaff}); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("a counsellor invited: %v", err)
		}
		inv, err := svc.Invite(ctx, admin, models.User{Name: "Eva", Email: " Eva@SNE.example ", Role: models.RoleHubStaff})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Accept(ctx, inv.Token, "short"); !models.IsKind(err, models.ErrInvalid) {
			t.Fatalf("a short password: %v", err)
		}
		u, err := svc.Accept(ctx, inv.Token, "correcto-caballo-bateria")
		if err != nil || u.Role != models.RoleHubStaff || u.ID != inv.UserID {
			t.Fatalf("accept: %+v %v", u, err)
		}
		if _, err := svc.Accept(ctx, inv.Token, "otra-contrasena-larga"); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("an invitation used twice: %v", err)
		}
		late, err := svc.Invite(ctx, admin, models.User{ID: u.ID, Email: "eva@sne.example"})
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(svc.Config().InvitationTTL + time.Second)
		if _, err := svc.OpenInvitation(ctx, late.Token); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("an expired invitation is open: %v", err)
		}
		if _, err := svc.Accept(ctx, late.Token, "otra-contrasena-larga"); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("an expired invitation was accepted: %v", err)
		}

		if _, err := svc.SignIn(ctx, "eva@sne.example", "wrong-password", "10.0.0.1"); !models.IsKind(err, models.ErrUnauthorized) {
			t.Fatalf("a wrong password: %v", err)
		}
		s, err := svc.SignIn(ctx, "EVA@sne.example", "correcto-caballo-bateria", "10.0.0.1")
		if err != nil || s.User.ID != u.ID || s.Token == "" || s.CSRF == "" {
			t.Fatalf("sign in: %+v %v", s, err)
		}
		// Idle: used within the idle timeout it lives; left alone longer it ends.
		for range 3 {
			clock.Advance(svc.Config().IdleTimeout - time.Minute)
			if _, err := svc.Resume(ctx, s.Token); err != nil {
				t.Fatalf("a session used within the idle timeout: %v", err)
			}
		}
		clock.Advance(svc.Config().IdleTimeout)
		if _, err := svc.Resume(ctx, s.Token); !models.IsKind(err, models.ErrUnauthorized) {
			t.Fatalf("an idle session: %v", err)
		}
		// Absolute: used all along, it still ends.
		s, err = svc.SignIn(ctx, "eva@sne.example", "correcto-caballo-bateria", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		for elapsed := time.Duration(0); elapsed < svc.Config().AbsoluteTimeout-20*time.Minute; elapsed += 20 * time.Minute {
			clock.Advance(20 * time.Minute)
			if _, err := svc.Resume(ctx, s.Token); err != nil {
				t.Fatalf("after %s: %v", elapsed, err)
			}
		}
		clock.Advance(25 * time.Minute)
		if _, err := svc.Resume(ctx, s.Token); !models.IsKind(err, models.ErrUnauthorized) {
			t.Fatalf("a session past its absolute expiry: %v", err)
		}
		s, _ = svc.SignIn(ctx, "eva@sne.example", "correcto-caballo-bateria", "10.0.0.1")
		if err := svc.SignOut(ctx, s.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Resume(ctx, s.Token); !models.IsKind(err, models.ErrUnauthorized) {
			t.Fatalf("a signed-out session: %v", err)
		}

		// Throttling: five failures lock the address out, even with the right password,
		// until the lock has passed.
		for range svc.Config().MaxFailures {
			svc.SignIn(ctx, "eva@sne.example", "wrong-password", "10.0.0.2")
		}
		var th *accounts.ErrThrottled
		if _, err := svc.SignIn(ctx, "eva@sne.example", "correcto-caballo-bateria", "10.0.0.3"); !errors.As(err, &th) {
			t.Fatalf("after %d failures: %v", svc.Config().MaxFailures, err)
		}
		clock.Advance(svc.Config().LockFor + time.Second)
		if _, err := svc.SignIn(ctx, "eva@sne.example", "correcto-caballo-bateria", "10.0.0.3"); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
	})
}
