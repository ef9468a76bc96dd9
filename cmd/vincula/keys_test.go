package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vincula/vincula/store"
)

const otherKeyHex = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100"

// TestPostgresNeedsOneKey: with PostgreSQL the key must be given (never generated per
// machine), and a second server on the database with another key refuses to start,
// naming the problem, while one with the same key starts.
func TestPostgresNeedsOneKey(t *testing.T) {
	url := ownPostgres(t)
	run := func(key string) (string, error) {
		env := map[string]string{"VINCULA_DATA_DIR": t.TempDir(), "VINCULA_DATABASE_URL": url}
		if key != "" {
			env["VINCULA_SECRET_KEY"] = key
		}
		m, _, errOut := newMain(t, context.Background(), env)
		err := m.Run([]string{"seed", "--demo"})
		return errOut.String(), err
	}
	if _, err := run(""); err == nil || !strings.Contains(err.Error(), "VINCULA_SECRET_KEY is not set") ||
		!strings.Contains(err.Error(), "PostgreSQL") {
		t.Fatalf("PostgreSQL without a key: %v, want a refusal naming VINCULA_SECRET_KEY", err)
	}
	if log, err := run(testKeyHex); err != nil {
		t.Fatalf("the first server: %v\n%s", err, log)
	}
	_, err := run(otherKeyHex)
	if !errors.Is(err, store.ErrWrongKey) || !strings.Contains(err.Error(), "VINCULA_SECRET_KEY") {
		t.Fatalf("a second server with another key: %v, want the wrong-key refusal", err)
	}
	if log, err := run(testKeyHex); err != nil {
		t.Fatalf("a second server with the same key: %v\n%s", err, log)
	}
}

// TestSQLiteKeyFileMustMatch: the embedded default still generates its key file, and a
// start with another key than the one that wrote the database is refused.
func TestSQLiteKeyFileMustMatch(t *testing.T) {
	dir := t.TempDir()
	run := func(key string) error {
		env := map[string]string{"VINCULA_DATA_DIR": dir}
		if key != "" {
			env["VINCULA_SECRET_KEY"] = key
		}
		m, _, _ := newMain(t, context.Background(), env)
		return m.Run([]string{"seed", "--demo"})
	}
	if err := run(""); err != nil {
		t.Fatalf("first start with a generated key: %v", err)
	}
	if err := run(otherKeyHex); !errors.Is(err, store.ErrWrongKey) {
		t.Fatalf("a start with another key: %v, want ErrWrongKey", err)
	}
	if err := run(""); err != nil {
		t.Fatalf("a start with the key file again: %v", err)
	}
}
