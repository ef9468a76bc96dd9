// Package storetest gives test packages real databases: an SQLite file per test and a
// freshly created PostgreSQL database per test package. There is no mocked database.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/vincula/vincula/store"
)

// DefaultServerURL is the local PostgreSQL that tests use unless
// VINCULA_TEST_DATABASE_URL names another.
const DefaultServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Key is the fixed secret key of test stores.
var Key = []byte("vincula-test-key-0123456789abcde")

var (
	pgURL     string // the package's own database, once created
	pgErr     error
	pgDBName  string
	serverURL string
	once      sync.Once
)

// Main runs a test package's tests and then drops the PostgreSQL database they used.
// Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if pgDBName != "" {
		if err := dropDatabase(serverURL, pgDBName); err != nil {
			fmt.Fprintf(os.Stderr, "storetest: drop %s: %v\n", pgDBName, err)
		}
	}
	os.Exit(code)
}

// Epoch is where every test store's clock starts: 2026-11-22 at noon in Mexico City.
// Tests never read the calendar; a test that needs time to pass moves its store's clock.
var Epoch = time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC)

// Clock is a clock a test moves by hand. It is safe for concurrent use, since servers
// read it from their request goroutines and background workers.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

var (
	clocksMu sync.Mutex
	clocks   = map[*store.Store]*Clock{}
)

// ClockOf returns the clock of a store opened by Open or OpenExisting, so that a test
// can move the time its store, and the server on it, read.
func ClockOf(t testing.TB, s *store.Store) *Clock {
	t.Helper()
	clocksMu.Lock()
	defer clocksMu.Unlock()
	c, ok := clocks[s]
	if !ok {
		t.Fatal("storetest: the store was not opened by storetest")
	}
	return c
}

// openWithClock opens a store whose clock is a new Clock at Epoch, remembered for
// ClockOf until the test ends.
func openWithClock(t testing.TB, cfg store.Config) (*store.Store, error) {
	c := NewClock(Epoch)
	if cfg.Now == nil {
		cfg.Now = c.Now
	}
	s, err := store.Open(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	clocksMu.Lock()
	clocks[s] = c
	clocksMu.Unlock()
	t.Cleanup(func() {
		s.Close()
		clocksMu.Lock()
		delete(clocks, s)
		clocksMu.Unlock()
	})
	return s, nil
}

// Backends lists the engines every store and API test runs on.
var Backends = []store.Dialect{store.SQLite, store.Postgres}

// Each runs fn once per backend, as subtests named after it.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, b := range Backends {
		t.Run(string(b), func(t *testing.T) { fn(t, Open(t, b)) })
	}
}

// Config returns the store configuration of a fresh test database of the given
// dialect: a new SQLite file, or this package's PostgreSQL database.
func Config(t testing.TB, d store.Dialect) store.Config {
	t.Helper()
	cfg := store.Config{Key: Key, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if d == store.SQLite {
		cfg.SQLitePath = filepath.Join(t.TempDir(), "vincula.db")
		return cfg
	}
	cfg.DatabaseURL = PostgresURL(t)
	return cfg
}

// Open returns a migrated store on a fresh database of the given dialect, closed when
// the test ends. Its clock stands at Epoch until the test moves it (ClockOf).
func Open(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	s, err := openWithClock(t, Config(t, d))
	if err != nil {
		t.Fatalf("open %s store: %v", d, err)
	}
	if d == store.Postgres {
		emptyTables(t, s)
	}
	return s
}

// childFirst orders the tables so that rows are deleted before the rows they refer to;
// tables missing from it (added by later migrations) are emptied last.
var childFirst = []string{"webhook_deliveries", "webhook_endpoints", "distinct_people", "login_throttles", "changes", "staff_sessions", "staff_invitations", "staff_credentials", "audit_events", "referral_events", "referrals", "documents", "migrant_credentials", "users",
	"candidates", "counsellors", "vacancies", "import_jobs", "job_fairs", "employers", "offices"}

// emptyTables empties every table of the package's PostgreSQL database but the schema's
// own (goose's versions and meta, whose key check every test store's Key passes), so each test
// starts from the state a fresh database would have (tests of a package run one at a
// time on it; none of them calls t.Parallel). DELETE is used rather than TRUNCATE, which
// costs far more on the small tables of a test.
func emptyTables(t testing.TB, s *store.Store) {
	t.Helper()
	rows, err := s.SQL().Query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('goose_db_version', 'meta')`)
	if err != nil {
		t.Fatalf("list tables: %v", err)
	}
	present := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		present[name] = true
	}
	rows.Close()
	var order []string
	for _, name := range childFirst {
		if present[name] {
			order = append(order, name)
			delete(present, name)
		}
	}
	for name := range present {
		order = append(order, name)
	}
	for _, name := range order {
		if _, err := s.SQL().Exec("DELETE FROM " + name); err != nil {
			t.Fatalf("empty %s: %v", name, err)
		}
	}
}

// OpenExisting opens another store on the same database a test already opened, without
// emptying it, as a second server process would.
func OpenExisting(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	if d != store.Postgres {
		t.Fatal("storetest: OpenExisting shares the package's PostgreSQL database only")
	}
	s, err := openWithClock(t, Config(t, d))
	if err != nil {
		t.Fatalf("open a second store: %v", err)
	}
	return s
}

// PostgresURL returns the URL of this test package's own PostgreSQL database,
// creating it on first use. When the server cannot be reached the test is skipped, or
// fails when CI is set, because CI must never pass on a skipped database.
func PostgresURL(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		serverURL = os.Getenv("VINCULA_TEST_DATABASE_URL")
		if serverURL == "" {
			serverURL = DefaultServerURL
		}
		var suffix [4]byte
		rand.Read(suffix[:])
		pgDBName = "vincula_test_" + hex.EncodeToString(suffix[:])
		pgErr = createDatabase(serverURL, pgDBName)
		if pgErr != nil {
			pgDBName = ""
			return
		}
		pgURL, pgErr = withDatabase(serverURL, pgDBName)
	})
	if pgErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL is required in CI but unreachable at %s: %v", redact(serverURL), pgErr)
		}
		t.Skipf("PostgreSQL unreachable at %s (%v); set VINCULA_TEST_DATABASE_URL or start it", redact(serverURL), pgErr)
	}
	return pgURL
}

func admin(serverURL string) (*gorm.DB, func(), error) {
	db, err := gorm.Open(postgres.Open(serverURL), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return nil, nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, nil, err
	}
	return db, func() { sqlDB.Close() }, nil
}

func createDatabase(serverURL, name string) error {
	db, done, err := admin(serverURL)
	if err != nil {
		return err
	}
	defer done()
	return db.Exec("CREATE DATABASE " + name).Error
}

func dropDatabase(serverURL, name string) error {
	db, done, err := admin(serverURL)
	if err != nil {
		return err
	}
	defer done()
	return db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error
}

func withDatabase(serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return strings.Replace(u.Redacted(), "xxxxx", "***", 1)
}

// RawText runs a one-row, one-column query with at most one argument directly on the
// database and returns the value as text.
func RawText(t testing.TB, s *store.Store, query string, args ...any) string {
	t.Helper()
	if s.Dialect() == store.Postgres {
		query = strings.Replace(query, "?", "$1", 1)
	}
	var out sql.NullString
	if err := s.SQL().QueryRow(query, args...).Scan(&out); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out.String
}

// Checkpoint moves SQLite's write-ahead log into the main file, so a test can read
// everything the database holds from disk.
func Checkpoint(t testing.TB, s *store.Store) {
	t.Helper()
	if _, err := s.SQL().Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
}

// SQLiteDir returns the directory of an SQLite store's files.
func SQLiteDir(t testing.TB, s *store.Store) string {
	t.Helper()
	return filepath.Dir(s.SQLitePath())
}

// BreakChangeFeed renames the change-feed table until the test ends, so that every
// write that must record a change fails at its last step.
func BreakChangeFeed(t testing.TB, s *store.Store) {
	t.Helper()
	if _, err := s.SQL().Exec("ALTER TABLE changes RENAME TO changes_broken"); err != nil {
		t.Fatalf("break change feed: %v", err)
	}
	t.Cleanup(func() {
		if _, err := s.SQL().Exec("ALTER TABLE changes_broken RENAME TO changes"); err != nil {
			t.Errorf("restore change feed: %v", err)
		}
	})
}
