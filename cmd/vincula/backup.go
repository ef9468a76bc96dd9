package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
)

// backup is `vincula backup FILE`: a consistent copy of the embedded SQLite store,
// taken while the server runs.
func (m *Main) backup(cfg config, args []string) error {
	if len(args) != 1 {
		fmt.Fprint(m.stderr, "usage: vincula backup FILE\n")
		return exitError(2)
	}
	if cfg.DatabaseURL != "" {
		return errors.New("backup copies the embedded SQLite store; with PostgreSQL (VINCULA_DATABASE_URL) use pg_dump, as the README shows")
	}
	path, err := filepath.Abs(args[0])
	if err != nil {
		return err
	}
	st, err := openStore(m, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	start := m.now()
	if err := st.Backup(m.ctx, path); err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "backed up %s to %s (%d bytes in %s)\n", st.SQLitePath(), path, info.Size(), m.now().Sub(start).Round(time.Millisecond))
	fmt.Fprintf(m.stdout, "the key that encrypts document numbers is not in the backup: keep %s apart from it, as the README says\n", keyPlace(cfg))
	return nil
}

// keyPlace names where this deployment's secret key is.
func keyPlace(cfg config) string {
	if cfg.SecretKey != "" {
		return "VINCULA_SECRET_KEY"
	}
	return filepath.Join(cfg.DataDir, "secret.key")
}

// restore is `vincula restore FILE`: the backup replaces the embedded SQLite store
// (the server must be stopped), and the search index is rebuilt from it.
func (m *Main) restore(cfg config, args []string) error {
	if len(args) != 1 {
		fmt.Fprint(m.stderr, "usage: vincula restore FILE\n")
		return exitError(2)
	}
	if cfg.DatabaseURL != "" {
		return errors.New("restore brings back the embedded SQLite store; with PostgreSQL (VINCULA_DATABASE_URL) use pg_restore, as the README shows")
	}
	from, err := filepath.Abs(args[0])
	if err != nil {
		return err
	}
	if _, err := os.Stat(from); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if cfg.SecretKey == "" {
		// A key generated now could open nothing in the backup.
		if _, err := os.Stat(filepath.Join(cfg.DataDir, "secret.key")); err != nil {
			return fmt.Errorf("restore: there is no key at %s and VINCULA_SECRET_KEY is not set: put the key that went with the backup there first",
				filepath.Join(cfg.DataDir, "secret.key"))
		}
	}
	key, err := secretKey(m, cfg)
	if err != nil {
		return err
	}
	rules, err := loadRules(cfg)
	if err != nil {
		return err
	}
	// The index's lock tells whether a server runs on this data directory: the database
	// must not be replaced under it.
	dir := indexDir(cfg)
	ix, _, err := search.Open(dir, search.Options{DataVersion: dataVersion(rules), BoltTimeout: time.Second})
	if err != nil {
		return fmt.Errorf("restore: the index at %s is in use (%v): stop the server on this data directory first", dir, err)
	}
	defer ix.Close()
	sc := store.Config{SQLitePath: filepath.Join(cfg.DataDir, "vincula.db"), Key: key, Logger: m.log, Now: m.now}
	done, err := store.RestoreSQLite(m.ctx, from, sc)
	if errors.Is(err, store.ErrWrongKey) {
		return fmt.Errorf("%w: the backup was written under another key; restore the key that went with it (%s)", err, keyPlace(cfg))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "restored %s to %s\n", from, sc.SQLitePath)
	if done.Replaced != "" {
		fmt.Fprintf(m.stdout, "the database it replaced is at %s (remove it once the restore is checked)\n", done.Replaced)
	}
	st, err := openStore(m, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := m.rebuildWithBar(ix, st, spanFunc(rules), "rebuilding the index"); err != nil {
		return err
	}
	n, _ := ix.Count()
	fmt.Fprintf(m.stdout, "index rebuilt at %s: %d documents\n", dir, n)
	return nil
}
