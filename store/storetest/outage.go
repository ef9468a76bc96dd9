package storetest

import (
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/vincula/vincula/store"
)

// OpenConfig opens a migrated store with a configuration the test adjusted (from
// Config), its clock at Epoch as Open's; it is closed when the test ends.
func OpenConfig(t testing.TB, cfg store.Config) *store.Store {
	t.Helper()
	s, err := openWithClock(t, cfg)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return s
}

// OwnPostgres creates a PostgreSQL database for this test alone (dropped when it ends),
// for tests that take the database away from a store (RefuseConnections), which the
// package's shared database must never suffer. It returns its URL and name.
func OwnPostgres(t testing.TB) (url, name string) {
	t.Helper()
	PostgresURL(t) // skips (or fails in CI) when the server cannot be reached
	var suffix [4]byte
	rand.Read(suffix[:])
	name = "vincula_outage_" + hex.EncodeToString(suffix[:])
	if err := createDatabase(serverURL, name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(serverURL, name); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	url, err := withDatabase(serverURL, name)
	if err != nil {
		t.Fatal(err)
	}
	return url, name
}

// RefuseConnections takes a database of OwnPostgres away from its clients as a restart
// does: new connections are refused and every open one is terminated
// (pg_terminate_backend, SQLSTATE 57P01 to a client in a query). With refuse false it
// accepts connections again.
func RefuseConnections(t testing.TB, name string, refuse bool) {
	t.Helper()
	db, done, err := admin(serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	allow := "true"
	if refuse {
		allow = "false"
	}
	if err := db.Exec("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + allow).Error; err != nil {
		t.Fatalf("ALTER DATABASE %s: %v", name, err)
	}
	if !refuse {
		return
	}
	if err := db.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()", name).Error; err != nil {
		t.Fatalf("terminate the backends of %s: %v", name, err)
	}
}
