package store_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// sameDatabase is the configuration of another process on the database st uses,
// with its own key.
func sameDatabase(t *testing.T, st *store.Store, key []byte) store.Config {
	t.Helper()
	cfg := store.Config{Key: key, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: st.Now()}
	if st.Dialect() == store.SQLite {
		cfg.SQLitePath = st.SQLitePath()
	} else {
		cfg.DatabaseURL = storetest.PostgresURL(t)
	}
	return cfg
}

func openAgain(t *testing.T, cfg store.Config) (*store.Store, error) {
	t.Helper()
	s, err := store.Open(context.Background(), cfg)
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

// TestKeyCheck: the database records which key wrote it. A second store (another
// server) with another key is refused at Open, naming the problem; one with the same
// key opens and reads what the first wrote.
func TestKeyCheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := newCandidate("TVRH-KEY-0001")
		if err := st.CreateCandidate(ctx, &c); err != nil {
			t.Fatal(err)
		}
		check := storetest.RawText(t, st, "SELECT value FROM meta WHERE name = ?", "key_check")
		if len(check) != 64 || strings.Contains(check, string(storetest.Key)) {
			t.Fatalf("key check value %q: want 64 hex digits of an HMAC", check)
		}

		other := []byte("another-key-0123456789abcdefghij")
		_, err := openAgain(t, sameDatabase(t, st, other))
		if !errors.Is(err, store.ErrWrongKey) || !strings.Contains(err.Error(), "VINCULA_SECRET_KEY") {
			t.Fatalf("a store with another key: %v, want ErrWrongKey naming VINCULA_SECRET_KEY", err)
		}

		same, err := openAgain(t, sameDatabase(t, st, storetest.Key))
		if err != nil {
			t.Fatalf("a store with the same key: %v", err)
		}
		got, err := same.Candidate(ctx, c.ID)
		if err != nil || len(got.Documents) != 1 || got.Documents[0].Number != "TVRH-KEY-0001" {
			t.Fatalf("the second store reads %+v, %v", got.Documents, err)
		}
		if again := storetest.RawText(t, same, "SELECT value FROM meta WHERE name = ?", "key_check"); again != check {
			t.Fatalf("the key check value changed from %q to %q", check, again)
		}
	})
}

// TestKeyCheckOnADatabaseFromBefore: a database written before the key check existed
// has encrypted values but no check value. A key that cannot open them is refused and
// records nothing; the right key records the check value.
func TestKeyCheckOnADatabaseFromBefore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := newCandidate("TVRH-KEY-0002")
		if err := st.CreateCandidate(ctx, &c); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SQL().Exec("DELETE FROM meta"); err != nil {
			t.Fatal(err)
		}
		// The package's other tests expect the check value back (PostgreSQL keeps it
		// between tests).
		t.Cleanup(func() {
			if s, err := openAgain(t, sameDatabase(t, st, storetest.Key)); err != nil {
				t.Errorf("restore the key check value: %v", err)
			} else {
				s.Close()
			}
		})
		_, err := openAgain(t, sameDatabase(t, st, []byte("another-key-0123456789abcdefghij")))
		if !errors.Is(err, store.ErrWrongKey) {
			t.Fatalf("another key on a database without a check value: %v, want ErrWrongKey", err)
		}
		if n := storetest.RawText(t, st, "SELECT COUNT(*) FROM meta WHERE name <> ?", ""); n != "0" {
			t.Fatalf("the refused key recorded %s check values", n)
		}
		if _, err := openAgain(t, sameDatabase(t, st, storetest.Key)); err != nil {
			t.Fatalf("the right key: %v", err)
		}
		if n := storetest.RawText(t, st, "SELECT COUNT(*) FROM meta WHERE name = ?", "key_check"); n != "1" {
			t.Fatalf("check values after the right key opened it: %s", n)
		}
	})
}
