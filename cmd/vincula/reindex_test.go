package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestReindexOfflineAndThroughARunningServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	env := map[string]string{"VINCULA_DATA_DIR": dir, "VINCULA_ADDR": freeAddr(t), "VINCULA_SECRET_KEY": testKeyHex,
		"VINCULA_LOG_LEVEL": "debug"}

	// Offline: nobody holds the index, so reindex rebuilds it in place.
	m, out, errOut := newMain(t, context.Background(), env)
	if err := m.Run([]string{"seed", "--demo"}); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut)
	}
	m, out, errOut = newMain(t, context.Background(), env)
	if err := m.Run([]string{"reindex"}); err != nil {
		t.Fatalf("reindex: %v\n%s", err, errOut)
	}
	if !strings.Contains(out.String(), "index rebuilt at") || !strings.Contains(out.String(), ": 16 documents") {
		t.Fatalf("offline reindex said %q (want 9 candidates + 7 vacancies)", out)
	}

	// Online: the server holds the index; reindex asks it through the change feed.
	p := startServer(t, env)
	p.waitFor(t, "vincula serving", 60*time.Second)
	m, out, errOut = newMain(t, context.Background(), env)
	if err := m.Run([]string{"reindex"}); err != nil {
		t.Fatalf("reindex with a running server: %v\n%s", err, errOut)
	}
	if !strings.Contains(out.String(), "requested a rebuild through the change feed") {
		t.Fatalf("online reindex said %q", out)
	}
	p.waitFor(t, "rebuilding the index as requested through the change feed", 30*time.Second)
	p.stop(t)
}
