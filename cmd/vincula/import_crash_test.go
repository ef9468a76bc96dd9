package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestImportKilledMidwayThenRerun kills `vincula import` (SIGKILL, as a crash or the
// OOM killer would) once a quarter of the rows have committed, then runs it again: every row
// ends up imported exactly once, the second run updates what the first committed and
// creates the rest, the first job stays running until its lease has run out and a
// server marks it failed.
func TestImportKilledMidwayThenRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	const rows = 60_000
	bin := vinculaBinary(t)
	file := writeBigCSV(t, t.TempDir(), rows)
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			st, env, fair := importEnv(t, d)
			run := func() *exec.Cmd {
				cmd := exec.Command(bin, "import", "--fair", fair.ID, file)
				cmd.Env = os.Environ()
				for k, v := range env {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
				return cmd
			}

			first := run()
			var firstOut bytes.Buffer
			first.Stdout, first.Stderr = &firstOut, &firstOut
			if err := first.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- first.Wait() }()
			deadline := time.Now().Add(30 * time.Second)
			for {
				// A quarter in: batches have committed and the next is being written.
				if n, _ := countFair(t, st, fair.ID); n >= rows/4 {
					break
				}
				select {
				case err := <-exited:
					t.Fatalf("the first import ended (%v) before it could be killed:\n%s", err, firstOut.String())
				default:
				}
				if time.Now().After(deadline) {
					t.Fatalf("no batch committed within 30 s:\n%s", firstOut.String())
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := first.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			<-exited
			// The killed process renewed its job's lease at most a quarter of a lease
			// before this moment (its clock is the real one), so the lease still runs
			// then, however long the re-run below takes on a busy machine.
			killedAt := time.Now()
			committed, keys := countFair(t, st, fair.ID)
			if committed == 0 || committed >= rows || keys != committed {
				t.Fatalf("after the kill: %d vacancies with %d keys; want some but not all of %d", committed, keys, rows)
			}
			t.Logf("killed with %d of %d rows committed", committed, rows)
			if got := importJobs(t, st, fair.ID); strings.Join(got, ", ") != "running cli" {
				t.Fatalf("import jobs after the kill: %q", got)
			}

			second := run()
			out, err := second.CombinedOutput()
			if err != nil {
				t.Fatalf("the second import: %v\n%s", err, out)
			}
			want := fmt.Sprintf("imported %s into fair %s: %d rows, %d created, %d updated, 0 failed\n", "feria-60000.csv", fair.ID, rows, rows-committed, committed)
			if got := pace.ReplaceAllString(string(out), ""); got != want {
				t.Fatalf("the second import said:\n%s\nwant:\n%s", got, want)
			}
			if n, keys := countFair(t, st, fair.ID); n != rows || keys != rows {
				t.Fatalf("after the re-run: %d vacancies with %d distinct keys, want %d of each", n, keys, rows)
			}
			if got := importJobs(t, st, fair.ID); strings.Join(got, ", ") != "running cli, succeeded cli" {
				t.Fatalf("import jobs after the re-run: %q", got)
			}
			// What a server does with the job the crash left behind: nothing while its
			// lease may still be renewed, then it marks it failed.
			if n, err := st.FailInterruptedImports(t.Context(), killedAt); err != nil || n != 0 {
				t.Fatalf("FailInterruptedImports within the lease: %d, %v", n, err)
			}
			if got := importJobs(t, st, fair.ID); strings.Join(got, ", ") != "running cli, succeeded cli" {
				t.Fatalf("import jobs within the lease: %q", got)
			}
			if n, err := st.FailInterruptedImports(t.Context(), time.Now().Add(store.ImportLease)); err != nil || n != 1 {
				t.Fatalf("FailInterruptedImports after the lease: %d, %v", n, err)
			}
			if got := importJobs(t, st, fair.ID); strings.Join(got, ", ") != "failed cli, succeeded cli" {
				t.Fatalf("import jobs after a server start: %q", got)
			}
		})
	}
}
