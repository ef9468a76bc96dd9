package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeReportsItsFollower: the server's readiness carries its index follower's
// report, and /metrics the follower's lag, changes set aside and failures in a row.
func TestServeReportsItsFollower(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	m, _, errOut := newMain(t, ctx, map[string]string{"VINCULA_DATA_DIR": t.TempDir(), "VINCULA_ADDR": addr})
	done := make(chan error, 1)
	go func() { done <- m.Run([]string{"serve", "--demo"}) }()
	defer func() { cancel(); <-done }()
	base := "http://" + addr
	var resp *http.Response
	var err error
	for range 200 {
		if resp, err = http.Get(base + "/readyz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, errOut)
	}
	var ready map[string]any
	err = json.NewDecoder(resp.Body).Decode(&ready)
	resp.Body.Close()
	report, _ := ready["index_follower"].(map[string]any)
	if err != nil || resp.StatusCode != http.StatusOK || ready["index"] != "ok" || report == nil ||
		report["failing"] != false || report["consecutive_failures"] != 0.0 || report["skipped_total"] != 0.0 {
		t.Fatalf("readyz %d: %v (%v)", resp.StatusCode, ready, err)
	}
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, line := range []string{"vincula_index_lag_changes ", "vincula_index_skipped_changes_total 0", "vincula_index_follower_consecutive_failures 0"} {
		if !strings.Contains(string(body), "\n"+line) {
			t.Errorf("/metrics has no %q line", line)
		}
	}
}
