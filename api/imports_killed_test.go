package api_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/importer"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestKilledImportReportsCommittedRowsAndLosesItsFile: an import stops dead after its
// first batch has committed (no progress save after it, as when the process is
// killed). Once its lease has run out the job is failed and reports the rows that were
// committed, and the next server on the upload directory removes the uploaded file.
func TestKilledImportReportsCommittedRowsAndLosesItsFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, dir := importEnv(t, st)
		ctx := context.Background()
		path := filepath.Join(dir, models.NewID()+".csv")
		if err := os.WriteFile(path, bigCSV(6000), 0o600); err != nil {
			t.Fatal(err)
		}
		job := models.ImportJob{JobFairID: e.fair.ID, Mode: models.ImportValidRows, Status: models.ImportQueued,
			FileName: "grande.csv", CreatedBy: e.users[O].ID}
		if err := st.CreateImportJob(ctx, &job, path); err != nil {
			t.Fatal(err)
		}
		runCtx, kill := context.WithCancel(ctx)
		defer kill()
		progress := func(p importer.Progress) {
			if p.ProcessedRows > 0 {
				kill() // the first batch has committed: stop before anything else is saved
			}
		}
		if _, err := api.RunImportJob(runCtx, st, &job, path, e.fair, importer.Options{Progress: progress}, nil); err == nil {
			t.Fatal("the import ran to the end; it should have been cut off after its first batch")
		}
		var committed int
		if err := st.SQL().QueryRow("SELECT COUNT(*) FROM vacancies WHERE job_fair_id = '" + e.fair.ID + "'").Scan(&committed); err != nil {
			t.Fatal(err)
		}
		if committed == 0 || committed == 6000 {
			t.Fatalf("%d rows committed; the test wants the import cut off part-way", committed)
		}

		clock := storetest.ClockOf(t, st)
		clock.Advance(store.ImportLease + time.Second)
		if n, err := st.FailInterruptedImports(ctx, clock.Now()); err != nil || n != 1 {
			t.Fatalf("FailInterruptedImports: %d, %v", n, err)
		}
		got, _, err := st.ImportJob(ctx, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != models.ImportFailed || got.ProcessedRows != committed || got.Created != committed || got.Updated != 0 {
			t.Fatalf("the failed job reports processed %d, created %d, updated %d (%s); %d rows were committed",
				got.ProcessedRows, got.Created, got.Updated, got.Status, committed)
		}
		if want := "interrupted (the process running it stopped during the import) after " + strconv.Itoa(committed) + " rows were written"; !strings.HasPrefix(got.Message, want) {
			t.Fatalf("message %q, want it to begin %q", got.Message, want)
		}
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("the file went before a server looked: %v", err)
		}

		// A server starting on the upload directory removes the failed job's file; a
		// file in the directory that no finished job names stays.
		stray := filepath.Join(dir, "not-a-job.csv")
		if err := os.WriteFile(stray, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		importEnv2(t, st, dir)
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, statErr := os.Stat(path)
			_, left, err := st.ImportJob(ctx, job.ID)
			if err != nil {
				t.Fatal(err)
			}
			if os.IsNotExist(statErr) && left == "" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the next server left the failed import's file behind (stat: %v; the job names %q)", statErr, left)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if _, err := os.Stat(stray); err != nil {
			t.Fatalf("a file no finished job names was removed: %v", err)
		}
	})
}

// importEnv2 starts another server whose uploads go to dir.
func importEnv2(t *testing.T, st *store.Store, dir string) *env {
	t.Helper()
	e := newEnv(t, st, func(c *api.Config) { c.UploadDir = dir })
	t.Cleanup(e.server.Close)
	return e
}
