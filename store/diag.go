package store

import "database/sql"

// SQL returns the underlying connection pool, for diagnostics and for tests that must
// look at the raw stored bytes (for example that no document number is in plain text).
// Application code goes through the Store's methods.
func (s *Store) SQL() *sql.DB { return s.sqlDB }

// SQLitePath returns the database file of an SQLite store ("" on PostgreSQL).
func (s *Store) SQLitePath() string { return s.path }
