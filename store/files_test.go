package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestFilesArePrivate: the SQLite database, its write-ahead log and a generated secret
// key are readable by their owner only, in a data directory only the owner may enter.
func TestFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	cfg := storetest.Config(t, store.SQLite)
	cfg.SQLitePath = filepath.Join(dir, "vincula.db")
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A write, so that the log exists.
	newEmployer(t, s, "MDN010101AB1")
	_, keyPath, created, err := store.LoadOrCreateKey(dir)
	if err != nil || !created {
		t.Fatalf("key: created %v, %v", created, err)
	}
	want := map[string]os.FileMode{dir: os.ModeDir | 0o700, cfg.SQLitePath: 0o600, cfg.SQLitePath + "-wal": 0o600, keyPath: 0o600}
	for path, mode := range want {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != mode {
			t.Errorf("%s: mode %v, want %v", filepath.Base(path), fi.Mode(), mode)
		}
	}
}
