package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// mustUnavailable checks a 503 problem with Retry-After, as a database outage gives.
func mustUnavailable(t *testing.T, r response, retryAfter string) {
	t.Helper()
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503: %s", r.status, r.body)
	}
	if got := r.header.Get("Retry-After"); got != retryAfter {
		t.Fatalf("Retry-After %q, want %q", got, retryAfter)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json", ct)
	}
	if p := r.json(t); p["status"] != float64(http.StatusServiceUnavailable) || p["title"] == "" {
		t.Fatalf("not a 503 problem: %v", p)
	}
}

// TestDatabaseOutageIs503: while PostgreSQL refuses connections and has terminated the
// open ones (as a restart does), requests get 503 with Retry-After instead of 500, on
// the staff and the migrants' endpoints alike, and readiness fails; once it accepts
// connections again the same requests succeed without a restart of the server.
func TestDatabaseOutageIs503(t *testing.T) {
	url, name := storetest.OwnPostgres(t)
	cfg := storetest.Config(t, store.Postgres)
	cfg.DatabaseURL = url
	st := storetest.OpenConfig(t, cfg)
	e := newEnv(t, st)
	staffToken := e.as(models.RoleHubStaff) // looked up in the database on each request
	e.must(http.StatusOK, e.do("GET", "/api/v1/employers", staffToken, nil))

	storetest.RefuseConnections(t, name, true)
	mustUnavailable(t, e.do("GET", "/api/v1/employers", staffToken, nil), api.RetryAfterUnavailable)
	mustUnavailable(t, e.do("GET", "/api/v1/vacancies", adminToken, nil), api.RetryAfterUnavailable)
	mustUnavailable(t, e.do("POST", "/api/v1/employers", adminToken,
		map[string]any{"name": "Empacadora del Norte", "rfc": uniqueRFC("ENO"), "state": "MX-NLE"}), api.RetryAfterUnavailable)
	login := map[string]any{"phone": "+529621110001", "pin": "839201"}
	mustUnavailable(t, e.do("POST", "/api/v1/migrants/login", "", login), api.RetryAfterUnavailable)
	if r := e.do("GET", "/readyz", "", nil); r.status != http.StatusServiceUnavailable {
		t.Fatalf("readyz %d during the outage, want 503", r.status)
	}

	storetest.RefuseConnections(t, name, false)
	e.must(http.StatusOK, e.do("GET", "/api/v1/employers", staffToken, nil))
	e.must(http.StatusCreated, e.do("POST", "/api/v1/employers", adminToken,
		map[string]any{"name": "Empacadora del Norte", "rfc": uniqueRFC("ENO"), "state": "MX-NLE"}))
	e.must(http.StatusUnauthorized, e.do("POST", "/api/v1/migrants/login", "", login))
	e.must(http.StatusOK, e.do("GET", "/readyz", "", nil))
}

// TestSQLiteLockedIs503: SQLite's equivalent of an unreachable server is a database
// another writer keeps locked (a backup, a stuck process): a write that waited its busy
// timeout out gets 503 with Retry-After, reads go on under WAL, and once the lock is
// released writes succeed again. A closed pool is classified the same way.
func TestSQLiteLockedIs503(t *testing.T) {
	cfg := storetest.Config(t, store.SQLite)
	cfg.BusyTimeout = 50 * time.Millisecond
	st := storetest.OpenConfig(t, cfg)
	e := newEnv(t, st)
	ctx := context.Background()
	holder, err := st.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := holder.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	employer := func() map[string]any {
		return map[string]any{"name": "Empacadora del Norte", "rfc": uniqueRFC("ENO"), "state": "MX-NLE"}
	}
	mustUnavailable(t, e.do("POST", "/api/v1/employers", adminToken, employer()), api.RetryAfterUnavailable)
	e.must(http.StatusOK, e.do("GET", "/api/v1/employers", e.as(models.RoleHubStaff), nil))
	if _, err := holder.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	e.must(http.StatusCreated, e.do("POST", "/api/v1/employers", adminToken, employer()))

	st.Close()
	_, _, err = st.ListEmployers(ctx, store.EmployerFilter{})
	if err == nil || !store.Unavailable(err) {
		t.Fatalf("a closed store's error %v is not classified unavailable", err)
	}
}

// TestAbandonedRequestIs499: a request whose client went away is logged and counted as
// 499, not as a 500 "internal error", on both engines.
func TestAbandonedRequestIs499(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ix, err := search.OpenMem()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		var logs syncBuffer
		srv, err := api.New(st, api.Config{AdminToken: adminToken, Index: ix},
			slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		token, hash := api.NewToken()
		if err := st.CreateUser(context.Background(), &models.User{Name: "staff", Role: models.RoleHubStaff}, hash); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for _, tk := range []string{token, adminToken} { // the token lookup, then the list itself
			req := httptest.NewRequest("GET", "/api/v1/vacancies", nil).WithContext(ctx)
			req.Header.Set("Authorization", "Bearer "+tk)
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != api.StatusClientClosed {
				t.Fatalf("status %d for an abandoned request, want 499: %s", rec.Code, rec.Body)
			}
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		metrics := rec.Body.String()
		if !strings.Contains(metrics, `route="/api/v1/vacancies",status="499"} 2`) || strings.Contains(metrics, `status="500"`) {
			t.Fatalf("metrics do not count the abandoned requests as 499 only:\n%s", metrics)
		}
		if l := logs.String(); strings.Contains(l, "internal error") || !strings.Contains(l, "client closed the request") {
			t.Fatalf("log:\n%s", l)
		}
	})
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines to log into.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
