package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/scripts/datagen"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
)

const testKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

// TestKilledWhileApplyingTheFeed kills the server (SIGKILL) in the middle of applying
// a large change feed; after a restart its index equals a fresh rebuild from the
// database.
func TestKilledWhileApplyingTheFeed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	env := map[string]string{"VINCULA_DATA_DIR": dir, "VINCULA_ADDR": freeAddr(t), "VINCULA_SECRET_KEY": testKeyHex,
		"VINCULA_LOG_LEVEL": "debug"}

	// A first run creates the database and an empty index.
	p := startServer(t, env)
	p.waitFor(t, "vincula serving", 60*time.Second)
	p.stop(t)

	// While it is down, a large feed builds up: thousands of new profiles and
	// vacancies, then some erased and some changed.
	ctx := context.Background()
	key, _ := store.ParseKey(testKeyHex)
	st, err := store.Open(ctx, store.Config{SQLitePath: filepath.Join(dir, "vincula.db"), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	g := datagen.New(datagen.Config{Seed: 5, Today: models.NewDate(2026, 11, 22), Candidates: 6000})
	if err := st.BulkCreateEmployers(ctx, g.Employers()); err != nil {
		t.Fatal(err)
	}
	var cs []models.Candidate
	for i := 0; i < 6000; i++ {
		cs = append(cs, g.Candidate(i))
	}
	if err := st.BulkCreateCandidates(ctx, cs); err != nil {
		t.Fatal(err)
	}
	var vs []models.Vacancy
	for i := 0; i < 300; i++ {
		vs = append(vs, g.Vacancy(i))
	}
	if err := st.BulkCreateVacancies(ctx, vs); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6000; i += 97 {
		if err := st.EraseCandidate(ctx, cs[i].ID, models.AuditEvent{ActorID: "test", ActorRole: models.RoleAdmin,
			Action: models.AuditCandidateErased, SubjectType: "candidate", SubjectID: cs[i].ID}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i < 6000; i += 101 {
		if i%97 == 0 {
			continue // erased above
		}
		c := cs[i]
		c.Skills = append(c.Skills, models.CandidateSkill{Name: "soldadura MIG"})
		if err := st.UpdateCandidate(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	latest, _ := st.LatestSeq(ctx)

	// Restart and kill it after a few batches of the feed, before it has caught up.
	p = startServer(t, env)
	var through int64
	for applied := 0; applied < 3; applied++ {
		line := p.waitFor(t, "search: changes applied", 60*time.Second)
		fmt.Sscanf(line[strings.Index(line, "through_seq=")+len("through_seq="):], "%d", &through)
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	if through >= latest {
		t.Fatalf("the server had applied the whole feed (through %d of %d) before it was killed; the test needs a larger feed", through, latest)
	}
	t.Logf("killed after applying the feed through %d of %d", through, latest)

	// The next run catches up and serves.
	p = startServer(t, env)
	p.waitFor(t, "vincula serving", 120*time.Second)
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, metrics := p.get("/metrics")
		if strings.Contains(metrics, "vincula_index_lag_changes 0\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the restarted server never caught up:\n%s", metrics)
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.stop(t)

	// Its index equals one rebuilt from scratch from the database.
	rules := matching.DefaultRules()
	opts := search.Options{DataVersion: dataVersion(rules)}
	ix, info, err := search.Open(filepath.Join(dir, "index"), opts)
	if err != nil {
		t.Fatal(err)
	}
	if info.Rebuilt {
		t.Fatalf("the recovered index was not usable and was rebuilt on open: %s", info.Reason)
	}
	got, err := ix.Snapshot()
	ix.Close()
	if err != nil {
		t.Fatal(err)
	}
	fresh, _, err := search.Open(filepath.Join(t.TempDir(), "fresh"), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if err := search.Rebuild(ctx, fresh, st, spanFunc(rules), nil); err != nil {
		t.Fatal(err)
	}
	want, err := fresh.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("the recovered index holds %d documents, a fresh rebuild %d", len(got), len(want))
	}
	for id, h := range want {
		if got[id] != h {
			t.Fatalf("document %s differs from a fresh rebuild (%q vs %q)", id, got[id], h)
		}
	}
	st.Close()
}
