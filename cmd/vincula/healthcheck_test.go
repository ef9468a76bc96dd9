package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestHealthcheckExitStatus: `vincula healthcheck` exits 0 when /readyz answers 200,
// and 1 when it answers 503 or nobody listens; a wildcard listen address is asked on
// loopback.
func TestHealthcheckExitStatus(t *testing.T) {
	ready := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		if !ready {
			http.Error(w, `{"database":"unreachable"}`, http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{"database":"ok"}`))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	env := map[string]string{"VINCULA_ADDR": "0.0.0.0:" + port, "VINCULA_DATA_DIR": t.TempDir()}

	m, out, errOut := newMain(t, context.Background(), env)
	if err := m.Run([]string{"healthcheck"}); err != nil || !strings.HasPrefix(out.String(), "ready") {
		t.Fatalf("ready server: %v %q %q", err, out, errOut)
	}
	ready = false
	m, out, _ = newMain(t, context.Background(), env)
	var exit exitError
	if err := m.Run([]string{"healthcheck"}); !errors.As(err, &exit) || exit != 1 || !strings.Contains(out.String(), "503") {
		t.Fatalf("unready server: %v %q", err, out)
	}
	m, out, _ = newMain(t, context.Background(), env)
	if err := m.Run([]string{"healthcheck", "--url", "http://" + freeAddr(t) + "/readyz", "--timeout", "2s"}); !errors.As(err, &exit) || exit != 1 {
		t.Fatalf("nobody listening: %v %q", err, out)
	}
	for addr, want := range map[string]string{"0.0.0.0:8080": "127.0.0.1:8080", ":8080": "127.0.0.1:8080", "[::]:9": "127.0.0.1:9",
		"127.0.0.1:8080": "127.0.0.1:8080", "10.0.0.5:80": "10.0.0.5:80"} {
		if got := loopbackFor(addr); got != want {
			t.Errorf("loopbackFor(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestCountBarShowsTheTotal: the rebuild's bar, as a terminal shows it, says how many
// records of how many are done, and ends its line.
func TestCountBarShowsTheTotal(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	b := newCountBar(&buf, "reindexing", 2000, "records", func() time.Time { return clock })
	if b.on {
		t.Fatal("a bar drawn into a buffer")
	}
	b.on = true
	b.show(500)
	clock = clock.Add(time.Second)
	b.show(1000)
	b.finish()
	got := buf.String()
	for _, want := range []string{"reindexing [###############...............]  50% 1000/2000 records", "\n"} {
		if !strings.Contains(got, want) {
			t.Fatalf("bar %q lacks %q", got, want)
		}
	}
}
