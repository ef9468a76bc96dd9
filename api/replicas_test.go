package api_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// replicas are API servers on one PostgreSQL database, each with its own connection
// pool, index and follower, as separate processes would be; each follower is woken by
// its store's listener (Store.Listen) and otherwise polls every poll.
func replicas(t *testing.T, n int, poll time.Duration, listen bool) []*env {
	envs := make([]*env, n)
	for i := range envs {
		var st *store.Store
		if i == 0 {
			st = storetest.Open(t, store.Postgres)
		} else {
			st = storetest.OpenExisting(t, store.Postgres)
		}
		envs[i] = newEnv(t, st)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, e := range envs {
		wg.Add(1)
		if listen {
			wg.Add(1)
			go func() { defer wg.Done(); e.store.Listen(ctx) }()
		}
		go func() { defer wg.Done(); e.follow.Run(ctx, e.store.Changed(), poll) }()
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
	return envs
}

// convergence writes n profiles through the first replica, one after the other, and
// measures for each how long after the write's answer a search through every other
// replica finds it. It returns the delays, sorted, and fails when one is not found
// within limit.
func convergence(t *testing.T, envs []*env, n int, limit time.Duration) []time.Duration {
	writer := envs[0]
	var delays []time.Duration
	for i := range n {
		word := fmt.Sprintf("replicaword%s", letters(i))
		body := candidateBody()
		body["full_name"], body["phone"] = "Replica "+word, fmt.Sprintf("+52962%07d", 3000000+i)
		body["skills"] = []map[string]any{{"name": word, "years": 2}}
		r := writer.do("POST", "/api/v1/candidates", writer.as(H), body)
		if r.status != http.StatusCreated {
			t.Fatalf("write %d: %d %s", i, r.status, r.body)
		}
		id := r.json(t)["id"].(string)
		written := time.Now()
		for _, e := range envs[1:] {
			for {
				page := e.do("GET", "/api/v1/candidates/search?q="+word, e.as(C), nil)
				if page.status == http.StatusOK && slices.Contains(candidateIDs(page.json(t)), id) {
					break
				}
				if time.Since(written) > limit {
					t.Fatalf("write %d was not found through another replica within %s", i, limit)
				}
				time.Sleep(time.Millisecond)
			}
		}
		delays = append(delays, time.Since(written))
	}
	slices.Sort(delays)
	return delays
}

// letters spells i in lowercase letters, so that each profile has a word of its own
// that the analyzers keep whole.
func letters(i int) string {
	s := ""
	for {
		s = string(rune('a'+i%26)) + s
		i /= 26
		if i == 0 {
			return s
		}
	}
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// TestReplicasConvergeOnCommit: three servers on one PostgreSQL, whose followers would
// poll only once a minute: 50 profiles written through one, each found by a search
// through both others, so each was applied on notification (LISTEN/NOTIFY on the
// change feed), not by the poll. The delays are logged (-v); VINCULA_REPLICA_WRITES
// sets how many writes to measure, and VINCULA_REPLICA_POLL_ONLY=1 measures the
// followers without their listeners, polling once a second as before (BENCHMARKS.md has
// the figures and the command).
func TestReplicasConvergeOnCommit(t *testing.T) {
	writes := 50
	if v := os.Getenv("VINCULA_REPLICA_WRITES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("VINCULA_REPLICA_WRITES=%q", v)
		}
		writes = n
	}
	listen, poll := true, time.Minute
	if os.Getenv("VINCULA_REPLICA_POLL_ONLY") == "1" {
		listen, poll = false, time.Second
	}
	envs := replicas(t, 3, poll, listen)
	delays := convergence(t, envs, writes, 20*time.Second)
	t.Logf("write through one replica → found through both others (listening %v, poll %s), %d writes: p50 %s, p90 %s, p99 %s, max %s",
		listen, poll, len(delays), quantile(delays, 0.5).Round(100*time.Microsecond), quantile(delays, 0.9).Round(100*time.Microsecond),
		quantile(delays, 0.99).Round(100*time.Microsecond), delays[len(delays)-1].Round(100*time.Microsecond))
}

// TestReplicaListenerReconnects: when PostgreSQL drops the listeners' connections,
// each reconnects, and writes made after are again found through the other replicas
// without waiting for the poll.
func TestReplicaListenerReconnects(t *testing.T) {
	envs := replicas(t, 2, time.Minute, true)
	convergence(t, envs, 1, 20*time.Second)
	// The write above proves the reader's listener is up, not the writer's: wait until
	// PostgreSQL shows both listening (each connects on its own, as a server starts).
	for deadline := time.Now().Add(20 * time.Second); ; {
		var n int
		if err := envs[0].store.SQL().QueryRow("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d listeners connected after 20 s, want 2", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	res, err := envs[0].store.SQL().Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 2 {
		t.Fatalf("terminated %d listeners, want 2", n)
	}
	convergence(t, envs, 3, 20*time.Second)
}
