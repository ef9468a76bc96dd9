// Package store keeps Vincula's records in SQLite (the embedded default, pure Go) or
// PostgreSQL through gorm, with versioned migrations for both and the change feed
// (outbox) that keeps every server's search index current. gorm types and errors never
// leave this package: callers see models types and models errors.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/vincula/vincula/models"
)

//go:embed migrations
var migrationFiles embed.FS

// Dialect names the database engine behind a Store.
type Dialect string

// The two supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Config says where the data lives. With DatabaseURL empty the store is an SQLite file
// at SQLitePath.
type Config struct {
	DatabaseURL string
	SQLitePath  string
	// Key is the 32-byte AES key that encrypts document numbers and CURPs at rest.
	Key    []byte
	Logger *slog.Logger
	// SkipMigrations leaves the schema as it is (for `vincula migrate` to run them itself
	// with reporting, or for tests that prepare a schema by hand), and skips the key
	// check (ErrWrongKey), which needs the schema.
	SkipMigrations bool
	// Now is the clock that stamps every row; cmd/vincula injects it, tests move it.
	// Without it the store reads the system clock.
	Now func() time.Time
	// BusyTimeout is how long an SQLite statement waits for another writer's lock before
	// it fails (and the API answers 503); 0 means 10 seconds.
	BusyTimeout time.Duration
}

// Store is the one entry point to the database.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	dialect Dialect
	path    string
	cipher  *cipherBox
	log     *slog.Logger
	// changed is signalled (without blocking) after a commit that wrote to the change
	// feed, so the server's own index applies it at once instead of at the next poll.
	changed chan struct{}
	clock   func() time.Time
	// url is the PostgreSQL URL, for the change-feed listener's own connection.
	url string
}

// Open connects, applies pending migrations and returns the store.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	box, err := newCipher(cfg.Key)
	if err != nil {
		return nil, err
	}
	clock := cfg.Now
	if clock == nil {
		clock = time.Now
	}
	s := &Store{cipher: box, log: log, changed: make(chan struct{}, 1), clock: clock, url: cfg.DatabaseURL}
	gcfg := &gorm.Config{
		TranslateError: true,
		Logger:         logger.Default.LogMode(logger.Silent),
		NowFunc:        s.now,
	}
	if cfg.DatabaseURL != "" {
		s.dialect = Postgres
		s.db, err = gorm.Open(postgres.Open(cfg.DatabaseURL), gcfg)
	} else {
		s.dialect = SQLite
		s.path = cfg.SQLitePath
		if cfg.SQLitePath == "" {
			return nil, errors.New("store: no database configured (set a PostgreSQL URL or an SQLite path)")
		}
		if err := os.MkdirAll(filepath.Dir(cfg.SQLitePath), 0o700); err != nil {
			return nil, fmt.Errorf("store: create data directory: %w", err)
		}
		if err := createPrivate(cfg.SQLitePath); err != nil {
			return nil, err
		}
		s.db, err = gorm.Open(sqlite.Open(sqliteDSN(cfg.SQLitePath, cfg.BusyTimeout)), gcfg)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", s.dialect, err)
	}
	s.sqlDB, err = s.db.DB()
	if err != nil {
		return nil, err
	}
	if s.dialect == SQLite {
		// One writer at a time is SQLite's rule; a small pool keeps readers concurrent
		// under WAL while busy_timeout absorbs the rest.
		s.sqlDB.SetMaxOpenConns(4)
	} else {
		s.sqlDB.SetMaxOpenConns(20)
		s.sqlDB.SetMaxIdleConns(10)
	}
	if err := s.sqlDB.PingContext(ctx); err != nil {
		s.sqlDB.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", s.dialect, err)
	}
	if !cfg.SkipMigrations {
		if _, err := s.Migrate(ctx); err != nil {
			s.sqlDB.Close()
			return nil, err
		}
		// After the migrations, which create the meta table; a store opened to run
		// them itself (`vincula migrate`) reads no encrypted value and skips it.
		if err := s.checkKey(ctx, cfg.Key); err != nil {
			s.sqlDB.Close()
			return nil, err
		}
	}
	return s, nil
}

// sqliteDSN turns on WAL, a busy timeout, foreign keys and immediate transactions, so
// that a writer takes the write lock when it begins instead of failing half-way, and
// secure_delete, so that deleted rows are overwritten instead of left in free pages.
func sqliteDSN(path string, busy time.Duration) string {
	if busy <= 0 {
		busy = 10 * time.Second
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "secure_delete(ON)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Migrate applies every pending migration and returns the versions it applied.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if s.dialect == Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	sub, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(dialect, s.sqlDB, sub)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	var applied []int64
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// Dialect says which engine the store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close releases the connections.
func (s *Store) Close() error { return s.sqlDB.Close() }

// Ping checks that the database answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error { return s.sqlDB.PingContext(ctx) }

// Changed is signalled after each commit of this store that wrote to the change feed,
// and, while Listen runs, after each such commit of any process on the same
// PostgreSQL database.
func (s *Store) Changed() <-chan struct{} { return s.changed }

// tx runs fn in one transaction. When fn queued change-feed rows (through
// recordChanges) they are written last, under the feed lock, just before commit.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB, feed *feed) error) error {
	f := &feed{}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx, f); err != nil {
			return err
		}
		return s.writeFeed(tx, f)
	})
	if err != nil {
		return translate(err)
	}
	if len(f.changes) > 0 {
		s.signalChanged()
	}
	return nil
}

// translate turns gorm and driver errors into domain errors; anything else is wrapped
// as it is and reaches users only as "internal error".
func translate(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := models.AsError(err); ok {
		return err
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return models.Errorf(models.ErrNotFound, "not found")
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return models.Errorf(models.ErrConflict, "a record with the same unique values already exists")
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return models.Errorf(models.ErrInvalid, "a referenced record does not exist")
	}
	return fmt.Errorf("store: %w", err)
}

// now is the store's clock, in UTC and truncated to the microsecond that both engines
// keep, so a time written reads back equal.
func (s *Store) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// Now returns the store's clock: the one every stamp it writes comes from. The API
// and the use cases default to it, so one clock runs the whole process.
func (s *Store) Now() func() time.Time { return s.clock }
