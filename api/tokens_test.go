package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func init() {
	allowed["POST /api/v1/users/:id/revoke-tokens"] = []models.Role{A}
	allowed["POST /api/v1/users/:id/token"] = []models.Role{A}
}

func withTokenTTL(d time.Duration) envOption { return func(cfg *api.Config) { cfg.TokenTTL = d } }

// TestStaffTokensExpire: staff and employer tokens last the configured lifetime, those
// issued through the API and those created before tokens had one alike (counted from
// the user's creation); a migrant's token keeps its own lifetime; an admin gives a user
// a new token, which ends the old one.
func TestStaffTokensExpire(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		clock := storetest.ClockOf(t, st)
		e := newEnv(t, st, roomy, withTokenTTL(time.Hour))
		made := e.must(http.StatusCreated, e.do("POST", "/api/v1/users", adminToken,
			map[string]any{"name": "Recursos Humanos", "role": "employer", "employer_id": e.empA.ID}))
		if got, want := made["token_expires_at"], storetest.Epoch.Add(time.Hour).Format(time.RFC3339); got != want {
			t.Fatalf("token_expires_at %v, want %s", got, want)
		}
		co := e.must(http.StatusCreated, e.do("POST", "/api/v1/counsellors", adminToken,
			map[string]any{"name": "Luis", "email": "luis@sne.example", "office_id": e.office.ID, "languages": []string{"es"}, "capacity": 5}))
		_, migrant := e.register("+529625550150", "482916")
		clock.Advance(30 * time.Minute)
		fresh := e.must(http.StatusCreated, e.do("POST", "/api/v1/users", adminToken, map[string]any{"name": "Ventanilla", "role": "hub_staff"}))

		clock.Advance(30*time.Minute - time.Second)
		for _, tok := range []string{made["token"].(string), co["token"].(string), e.as(H), e.as(E)} {
			e.must(http.StatusOK, e.do("GET", "/api/v1/job-fairs", tok, nil))
		}
		clock.Advance(time.Second)
		for _, tok := range []string{made["token"].(string), co["token"].(string), e.as(H), e.as(E), e.as(A)} {
			p := e.must(http.StatusUnauthorized, e.do("GET", "/api/v1/job-fairs", tok, nil))
			if p["detail"] != "the bearer token is not valid" {
				t.Fatalf("expired token: %v", p)
			}
		}
		e.must(http.StatusOK, e.do("GET", "/api/v1/candidates", fresh["token"].(string), nil))
		e.must(http.StatusOK, e.do("GET", "/api/v1/me", migrant, nil))

		// The admin gives the employer user a new token with a new lifetime.
		reissue := "/api/v1/users/" + made["id"].(string) + "/token"
		again := e.must(http.StatusCreated, e.do("POST", reissue, adminToken, nil))
		if again["expires_at"] != clock.Now().Add(time.Hour).UTC().Format(time.RFC3339) || again["role"] != "employer" {
			t.Fatalf("reissued: %v", again)
		}
		e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies", again["token"].(string), nil))
		e.must(http.StatusUnauthorized, e.do("GET", "/api/v1/vacancies", made["token"].(string), nil))
		newer := e.must(http.StatusCreated, e.do("POST", reissue, adminToken, nil))
		e.must(http.StatusUnauthorized, e.do("GET", "/api/v1/vacancies", again["token"].(string), nil))
		e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies", newer["token"].(string), nil))
		e.must(http.StatusNotFound, e.do("POST", "/api/v1/users/nobody/token", adminToken, nil))
		audit, err := st.AuditFor(context.Background(), "user", made["id"].(string))
		if err != nil || len(audit) != 2 || audit[0].Action != models.AuditUserTokenIssued || audit[0].ActorRole != models.RoleAdmin {
			t.Fatalf("reissues not audited: %v %+v", err, audit)
		}
	})
}

// TestRevokeTokens: an admin ends every token of a user at once, audited; the revoked
// token gets 401 on every route; a migrant revoked logs in again.
func TestRevokeTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		clock := storetest.ClockOf(t, st)
		e := newEnv(t, st, roomy)
		co := e.must(http.StatusCreated, e.do("POST", "/api/v1/counsellors", e.as(A),
			map[string]any{"name": "Luis", "email": "luis@sne.example", "office_id": e.office.ID, "languages": []string{"es"}, "capacity": 5}))
		token := co["token"].(string)
		e.must(http.StatusOK, e.do("GET", "/api/v1/referrals", token, nil))
		u, err := st.UserByTokenHash(context.Background(), api.HashToken(token))
		if err != nil {
			t.Fatal(err)
		}
		revoke := "/api/v1/users/" + u.ID + "/revoke-tokens"
		for _, role := range []models.Role{E, C, H, O} {
			e.must(http.StatusForbidden, e.do("POST", revoke, e.as(role), nil))
		}
		e.must(http.StatusOK, e.do("GET", "/api/v1/referrals", token, nil))
		e.must(http.StatusNoContent, e.do("POST", revoke, e.as(A), nil))
		for _, path := range []string{"/api/v1/referrals", "/api/v1/counsellors", "/api/v1/candidates"} {
			e.must(http.StatusUnauthorized, e.do("GET", path, token, nil))
		}
		// Revoking again changes nothing but is audited again; an unknown user is a 404.
		clock.Advance(time.Minute)
		e.must(http.StatusNoContent, e.do("POST", revoke, adminToken, nil))
		e.must(http.StatusUnauthorized, e.do("GET", "/api/v1/referrals", token, nil))
		e.must(http.StatusNotFound, e.do("POST", "/api/v1/users/nobody/revoke-tokens", e.as(A), nil))
		audit, err := st.AuditFor(context.Background(), "user", u.ID)
		if err != nil || len(audit) != 2 || audit[0].Action != models.AuditUserTokensRevoked || audit[0].ActorID != e.users[A].ID ||
			audit[1].ActorID != "admin-token" {
			t.Fatalf("revocations not audited: %v %+v", err, audit)
		}
		// Other users keep their tokens.
		e.must(http.StatusOK, e.do("GET", "/api/v1/referrals", e.as(C), nil))

		// A migrant: the live token ends; logging in gives a new one.
		_, mt := e.register("+529625550151", "482916")
		export := e.must(http.StatusOK, e.do("GET", "/api/v1/me/export", mt, nil))
		mid := export["login"].(map[string]any)["user_id"].(string)
		e.must(http.StatusNoContent, e.do("POST", "/api/v1/users/"+mid+"/revoke-tokens", e.as(A), nil))
		e.must(http.StatusUnauthorized, e.do("GET", "/api/v1/me", mt, nil))
		e.must(http.StatusConflict, e.do("POST", "/api/v1/users/"+mid+"/token", e.as(A), nil))
		again := e.must(http.StatusOK, e.login("+529625550151", "482916"))["token"].(string)
		e.must(http.StatusOK, e.do("GET", "/api/v1/me", again, nil))
	})
}
