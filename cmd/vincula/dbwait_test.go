package main

import (
	"context"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vincula/vincula/store/storetest"
)

// waitingMain is a Main whose pauses between attempts to reach the database move its
// clock instead of sleeping, and are recorded; onPause, when set, runs at each.
func waitingMain(t *testing.T, env map[string]string, onPause func(n int)) (*Main, *[]time.Duration, *strings.Builder) {
	t.Helper()
	m, _, errOut := newMain(t, context.Background(), env)
	clock := storetest.NewClock(storetest.Epoch)
	m.now = clock.Now
	pauses := &[]time.Duration{}
	m.sleep = func(ctx context.Context, d time.Duration) error {
		*pauses = append(*pauses, d)
		clock.Advance(d)
		if onPause != nil {
			onPause(len(*pauses))
		}
		return nil
	}
	logs := &strings.Builder{}
	m.stderr = io.MultiWriter(errOut, logs)
	return m, pauses, logs
}

// TestStartWaitsForTheDatabase: an unreachable database (nothing listens on the port)
// is retried with pauses that double up to VINCULA_DB_WAIT, then start-up gives up
// naming the wait; a database that comes up during the wait is used; with
// VINCULA_DB_WAIT=0 start-up fails at the first attempt.
func TestStartWaitsForTheDatabase(t *testing.T) {
	addr := freeAddr(t)
	unreachable := "postgres://postgres@" + addr + "/vincula?sslmode=disable"
	m, pauses, logs := waitingMain(t, map[string]string{"VINCULA_DATA_DIR": t.TempDir(), "VINCULA_DATABASE_URL": unreachable,
		"VINCULA_DB_WAIT": "10s"}, nil)
	err := m.Run([]string{"migrate"})
	if err == nil || !strings.Contains(err.Error(), "gave up after 10s and 7 attempts (VINCULA_DB_WAIT") {
		t.Fatalf("migrate against %s: %v, want it to give up after the wait", addr, err)
	}
	want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 2250 * time.Millisecond}
	if len(*pauses) != len(want) {
		t.Fatalf("pauses %v, want %v", *pauses, want)
	}
	for i := range want {
		if (*pauses)[i] != want[i] {
			t.Fatalf("pauses %v, want %v", *pauses, want)
		}
	}
	if !strings.Contains(logs.String(), "database unreachable; retrying") {
		t.Fatalf("no retry in the log:\n%s", logs)
	}

	m, pauses, _ = waitingMain(t, map[string]string{"VINCULA_DATA_DIR": t.TempDir(), "VINCULA_DATABASE_URL": unreachable,
		"VINCULA_DB_WAIT": "0"}, nil)
	if err := m.Run([]string{"migrate"}); err == nil || len(*pauses) != 0 || !strings.Contains(err.Error(), "1 attempts") {
		t.Fatalf("with no wait: %v after %v", err, *pauses)
	}

	// The database comes up (a proxy to the test server starts listening on the port)
	// during the second pause.
	own, _ := storetest.OwnPostgres(t)
	u, err := url.Parse(own)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	u.Host = freeAddr(t)
	m, pauses, logs = waitingMain(t, map[string]string{"VINCULA_DATA_DIR": t.TempDir(), "VINCULA_DATABASE_URL": u.String()},
		func(n int) {
			if n == 2 {
				proxy(t, u.Host, target)
			}
		})
	if err := m.Run([]string{"migrate"}); err != nil {
		t.Fatalf("migrate once the database came up: %v\n%s", err, logs)
	}
	if len(*pauses) != 2 || !strings.Contains(logs.String(), "database reached") {
		t.Fatalf("pauses %v; log:\n%s", *pauses, logs)
	}
}

// proxy forwards the TCP connections made to addr to target until the test ends.
func proxy(t *testing.T, addr, target string) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			wg.Add(2)
			go func() { defer wg.Done(); io.Copy(s, c); s.Close() }()
			go func() { defer wg.Done(); io.Copy(c, s); c.Close() }()
		}
	}()
}

// TestOverloadSettingsFromEnv: the wait for the database and the admission limits are
// read from the environment, and a bad value stops start-up naming the variable.
func TestOverloadSettingsFromEnv(t *testing.T) {
	env := map[string]string{"VINCULA_DB_WAIT": "2m", "VINCULA_MAX_IN_FLIGHT": "16", "VINCULA_MAX_QUEUED": "0"}
	cfg, err := configFromEnv(func(k string) string { return env[k] })
	if err != nil || cfg.DBWait != 2*time.Minute || cfg.MaxInFlight != 16 || cfg.MaxQueued != -1 {
		t.Fatalf("%+v %v", cfg, err)
	}
	if cfg, err := configFromEnv(func(string) string { return "" }); err != nil || cfg.DBWait != defaultDBWait ||
		cfg.MaxInFlight != 0 || cfg.MaxQueued != 0 {
		t.Fatalf("unset: %+v %v", cfg, err)
	}
	for name, bad := range map[string]string{"VINCULA_DB_WAIT": "soon", "VINCULA_MAX_IN_FLIGHT": "0", "VINCULA_MAX_QUEUED": "-3"} {
		_, err := configFromEnv(func(k string) string {
			if k == name {
				return bad
			}
			return ""
		})
		if err == nil || !strings.HasPrefix(err.Error(), name+": ") {
			t.Errorf("%s=%q: %v, want an error naming the variable", name, bad, err)
		}
	}
}
