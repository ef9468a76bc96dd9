package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/vincula/vincula/models"
)

// ErrNotSQLite is returned by Backup on PostgreSQL, whose backups are pg_dump's work.
var ErrNotSQLite = errors.New("store: backup and restore copy the embedded SQLite store; back up PostgreSQL with pg_dump (see the README)")

// Backup writes a consistent copy of the SQLite database to path, which must not exist,
// while the store is in use by this process or another (a running server): VACUUM INTO
// reads one snapshot, so a write committing meanwhile is either wholly in the copy or
// not at all, and writers are not held up. The copy is made beside path and renamed
// into place once complete, so a stopped backup leaves no half file under its name; it
// is readable by its owner only. VACUUM writes no free pages, so rows erased before
// the backup (ARCO) are not in it. The key that encrypts document numbers is not in the
// copy: it stays wherever the deployment keeps it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return ErrNotSQLite
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists; name a new file", path)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial-"+models.NewID())
	if err := createPrivate(tmp); err != nil {
		return err
	}
	defer os.Remove(tmp)
	if _, err := s.sqlDB.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fmt.Errorf("store: backup: %w", translate(err))
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil {
		// Linking never replaces a file that appeared meanwhile.
		return fmt.Errorf("store: backup: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

// Restored says what RestoreSQLite did.
type Restored struct {
	// Replaced is where the database that was in place now is ("" when there was none).
	Replaced string
}

// RestoreSQLite puts the backup at from in place of the SQLite database at
// cfg.SQLitePath, which no process may have open (stop the server first). The backup
// is copied beside the database, opened with cfg.Key (a backup written under another
// key is refused with ErrWrongKey, and nothing is replaced), checked with SQLite's
// integrity check and migrated to the current schema; only then is the database in
// place, with its write-ahead log, moved aside to SQLitePath+".before-restore" and the
// copy renamed into its place. The search index no longer matches the database and
// must be rebuilt.
func RestoreSQLite(ctx context.Context, from string, cfg Config) (Restored, error) {
	var done Restored
	if cfg.DatabaseURL != "" {
		return done, ErrNotSQLite
	}
	if cfg.SQLitePath == "" {
		return done, errors.New("store: restore: no SQLite path")
	}
	dst := cfg.SQLitePath
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return done, fmt.Errorf("store: restore: %w", err)
	}
	tmp := dst + ".restoring"
	removeDB(tmp)
	defer removeDB(tmp)
	if err := copyPrivate(from, tmp); err != nil {
		return done, err
	}
	check := cfg
	check.SQLitePath, check.SkipMigrations = tmp, false
	st, err := Open(ctx, check)
	if err != nil {
		return done, fmt.Errorf("store: restore: the backup %s: %w", from, err)
	}
	var result string
	if err := st.sqlDB.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		st.Close()
		return done, fmt.Errorf("store: restore: the backup %s fails SQLite's integrity check: %s %v", from, result, err)
	}
	// The copy is made whole in its main file, so that renaming that one file moves it all.
	if _, err := st.sqlDB.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		st.Close()
		return done, fmt.Errorf("store: restore: %w", err)
	}
	if err := st.Close(); err != nil {
		return done, err
	}
	if err := syncFile(tmp); err != nil {
		return done, err
	}
	if _, err := os.Stat(dst); err == nil {
		done.Replaced = dst + ".before-restore"
		removeDB(done.Replaced)
		for _, suffix := range []string{"-wal", "-shm", ""} {
			if err := os.Rename(dst+suffix, done.Replaced+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return done, fmt.Errorf("store: restore: move the database in place aside: %w", err)
			}
		}
	}
	removeDB(dst) // a stray log or shared-memory file would be applied to the new database
	if err := os.Rename(tmp, dst); err != nil {
		return done, fmt.Errorf("store: restore: %w", err)
	}
	return done, syncDir(filepath.Dir(dst))
}

// removeDB removes an SQLite database and its write-ahead log and shared memory.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// copyPrivate copies a file to a new one only its owner may read.
func copyPrivate(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("store: restore: copy %s: %w", from, err)
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	d.Sync() // some file systems cannot sync a directory; the rename is done regardless
	return nil
}
