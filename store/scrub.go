package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
)

// createPrivate creates an SQLite database file readable by its owner only (0600)
// before SQLite opens it, which would create it with the umask's mode; SQLite gives its
// -wal and -shm files the mode of the database file. An existing file is left as it is.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	return f.Close()
}

// scrubLog runs after an erasure on SQLite: with secure_delete the erased rows were
// overwritten in the pages written to the write-ahead log, but the log still holds the
// frames with the rows as they were. A TRUNCATE checkpoint copies the pages into the
// database file and empties the log. A checkpoint that readers keep from finishing is
// logged; the next one (SQLite checkpoints on its own every 1000 pages) completes it.
func (s *Store) scrubLog(ctx context.Context) {
	if s.dialect != SQLite {
		return
	}
	var busy, logFrames, moved int
	err := s.sqlDB.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &moved)
	if err == nil && busy != 0 {
		err = errors.New("readers kept the checkpoint from finishing")
	}
	if err != nil {
		s.log.Warn("the write-ahead log still holds erased rows until the next checkpoint", slog.Any("err", err))
	}
}
