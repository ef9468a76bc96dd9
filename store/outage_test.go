package store_test

import (
	"net"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestUnavailableClassifiesRealFailures: errors of a database that cannot serve, as the
// drivers really return them, are classified unavailable; request faults and domain
// errors are not.
func TestUnavailableClassifiesRealFailures(t *testing.T) {
	// A port on 127.0.0.1 that nothing listens on: connection refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := storetest.Config(t, store.SQLite)
	cfg.SQLitePath, cfg.DatabaseURL = "", "postgres://postgres@"+addr+"/postgres?sslmode=disable&connect_timeout=5"
	if _, err := store.Open(ctx, cfg); err == nil || !store.Unavailable(err) {
		t.Fatalf("refused connection: %v, want an unavailable error", err)
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, err := st.SQL().ExecContext(ctx, "SELEC 1")
		if err == nil || store.Unavailable(err) {
			t.Fatalf("a syntax error %v is classified unavailable", err)
		}
		_, err = st.Employer(ctx, models.NewID())
		if !models.IsKind(err, models.ErrNotFound) || store.Unavailable(err) {
			t.Fatalf("not found %v is classified unavailable", err)
		}
		if store.Unavailable(nil) {
			t.Fatal("nil is unavailable")
		}
	})
	t.Run("postgres terminated", func(t *testing.T) {
		url, name := storetest.OwnPostgres(t)
		cfg := storetest.Config(t, store.Postgres)
		cfg.DatabaseURL = url
		st := storetest.OpenConfig(t, cfg)
		conn, err := st.SQL().Conn(ctx) // one connection kept across the outage
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		storetest.RefuseConnections(t, name, true)
		if _, err := conn.ExecContext(ctx, "SELECT 1"); err == nil || !store.Unavailable(err) {
			t.Fatalf("query on a terminated backend: %v, want an unavailable error", err)
		}
		if err := st.Ping(ctx); err == nil || !store.Unavailable(err) {
			t.Fatalf("new connection to a database refusing them: %v, want an unavailable error", err)
		}
		storetest.RefuseConnections(t, name, false)
		if err := st.Ping(ctx); err != nil {
			t.Fatalf("after the outage: %v", err)
		}
	})
}
