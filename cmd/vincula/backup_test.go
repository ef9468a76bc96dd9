package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// writeVacancies creates vacancies through st until stop is closed, and returns how
// many it wrote.
func writeVacancies(t *testing.T, st *store.Store, stop <-chan struct{}) func() int {
	t.Helper()
	ctx := context.Background()
	emp := models.Employer{Name: "Maquiladora Regiomontana", RFC: "MRE0101011A3", State: "MX-NLE"}
	if err := st.CreateEmployer(ctx, &emp); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var n int
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			v := models.Vacancy{EmployerID: emp.ID, Title: fmt.Sprintf("Operador de producción %d", n), Description: "Línea de ensamble",
				Skills: []models.VacancySkill{{Name: "ensamble", Required: true}}, EducationLevel: "secondary", State: "MX-NLE",
				Positions: 1, StartDate: models.MustDate("2027-01-15"), Status: models.VacancyOpen}
			if err := st.CreateVacancy(ctx, &v); err != nil {
				werr = err
				return
			}
			n++
		}
	}()
	return func() int {
		wg.Wait()
		if werr != nil {
			t.Fatalf("writer: %v", werr)
		}
		return n
	}
}

// indexedKeys returns the documents a rebuild from st would hold, and the records of
// the database, as "entity/id" keys.
func recordKeys(t *testing.T, st *store.Store) []string {
	t.Helper()
	var keys []string
	ctx := context.Background()
	if err := st.EachCandidate(ctx, 500, func(cs []models.Candidate) error {
		for _, c := range cs {
			keys = append(keys, "candidate/"+c.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.EachVacancy(ctx, 500, func(vs []models.Vacancy) error {
		for _, v := range vs {
			keys = append(keys, "vacancy/"+v.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

// TestBackupUnderWritesAndRestore: `vincula backup` copies the SQLite store while
// another connection (a running server) keeps writing vacancies; the copy passes
// SQLite's integrity check and is one moment of the database (every vacancy in it has
// its change-feed row and every change its vacancy). `vincula restore` puts it in a new
// data directory, with the key, and rebuilds the index, which holds exactly the
// restored records and equals a fresh rebuild from them; a restore under the wrong key,
// or while a server holds the index, is refused and replaces nothing.
func TestBackupUnderWritesAndRestore(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"VINCULA_DATA_DIR": dir, "VINCULA_SECRET_KEY": testKeyHex}
	m, out, errOut := newMain(t, context.Background(), env)
	if err := m.Run([]string{"seed", "--demo"}); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut)
	}
	key, _ := store.ParseKey(testKeyHex)
	live, err := store.Open(context.Background(), store.Config{SQLitePath: filepath.Join(dir, "vincula.db"), Key: key,
		Now: storetest.NewClock(storetest.Epoch).Now})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	wait := writeVacancies(t, live, stop)
	backups := t.TempDir()
	for i := range 3 {
		m, out, errOut = newMain(t, context.Background(), env)
		file := filepath.Join(backups, fmt.Sprintf("vincula-%d.db", i))
		if err := m.Run([]string{"backup", file}); err != nil {
			t.Fatalf("backup: %v\n%s", err, errOut)
		}
		if !strings.Contains(out.String(), "backed up") || !strings.Contains(out.String(), "not in the backup") {
			t.Fatalf("backup said %q", out)
		}
		if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("backup file: %v %v", info, err)
		}
	}
	close(stop)
	written := wait()
	m, _, _ = newMain(t, context.Background(), env)
	if err := m.Run([]string{"backup", filepath.Join(backups, "vincula-0.db")}); err == nil {
		t.Fatal("a backup over an existing file was not refused")
	}
	live.Close()

	// PostgreSQL is pg_dump's: both commands say so before touching anything.
	for _, cmd := range []string{"backup", "restore"} {
		m, _, _ = newMain(t, context.Background(), map[string]string{"VINCULA_DATABASE_URL": "postgres://127.0.0.1:1/none", "VINCULA_SECRET_KEY": testKeyHex})
		if err := m.Run([]string{cmd, filepath.Join(backups, "pg.db")}); err == nil || !strings.Contains(err.Error(), "pg_") {
			t.Fatalf("%s with PostgreSQL: %v", cmd, err)
		}
	}

	file := filepath.Join(backups, "vincula-2.db")
	restoredDir := t.TempDir()
	renv := map[string]string{"VINCULA_DATA_DIR": restoredDir, "VINCULA_SECRET_KEY": testKeyHex}

	// Under another key: refused, nothing put in place.
	m, _, _ = newMain(t, context.Background(), map[string]string{"VINCULA_DATA_DIR": restoredDir,
		"VINCULA_SECRET_KEY": strings.Repeat("ab", 32)})
	if err := m.Run([]string{"restore", file}); !errors.Is(err, store.ErrWrongKey) {
		t.Fatalf("restore under another key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(restoredDir, "vincula.db")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused restore left a database: %v", err)
	}

	m, out, errOut = newMain(t, context.Background(), renv)
	if err := m.Run([]string{"restore", file}); err != nil {
		t.Fatalf("restore: %v\n%s", err, errOut)
	}
	if !strings.Contains(out.String(), "restored "+file) || !strings.Contains(out.String(), "index rebuilt at") {
		t.Fatalf("restore said %q", out)
	}
	st, err := store.Open(context.Background(), store.Config{SQLitePath: filepath.Join(restoredDir, "vincula.db"), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var result string
	if err := st.SQL().QueryRow("PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		t.Fatalf("integrity check: %q %v", result, err)
	}
	var vacancies, unfed, orphans int
	st.SQL().QueryRow("SELECT COUNT(*) FROM vacancies").Scan(&vacancies)
	st.SQL().QueryRow("SELECT COUNT(*) FROM vacancies v WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.entity = 'vacancy' AND c.entity_id = v.id)").Scan(&unfed)
	st.SQL().QueryRow("SELECT COUNT(*) FROM changes c WHERE c.entity = 'vacancy' AND NOT EXISTS (SELECT 1 FROM vacancies v WHERE v.id = c.entity_id)").Scan(&orphans)
	if unfed != 0 || orphans != 0 {
		t.Fatalf("the backup is not one moment: %d vacancies without their change, %d changes without their vacancy", unfed, orphans)
	}
	const demoVacancies = 7
	if vacancies <= demoVacancies || vacancies > demoVacancies+written {
		t.Fatalf("the backup holds %d vacancies; the demo has %d and the writer added %d", vacancies, demoVacancies, written)
	}
	t.Logf("backup taken under writes: %d of the writer's %d vacancies in it", vacancies-demoVacancies, written)

	ix, _, err := search.Open(filepath.Join(restoredDir, "index"), search.Options{DataVersion: dataVersion(matching.DefaultRules())})
	if err != nil {
		t.Fatal(err)
	}
	restored, err := ix.Snapshot()
	ix.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Sorted(maps.Keys(restored)), recordKeys(t, st); !slices.Equal(got, want) {
		t.Fatalf("the restored index holds %d documents, the database %d records", len(got), len(want))
	}
	fresh, err := search.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if err := search.Rebuild(context.Background(), fresh, st, spanFunc(matching.DefaultRules()), nil); err != nil {
		t.Fatal(err)
	}
	if want, _ := fresh.Snapshot(); !maps.Equal(restored, want) {
		t.Fatal("the restored index differs from a fresh rebuild of the restored database")
	}

	// Over the original data directory, while a server would hold its index: refused.
	held, _, err := search.Open(filepath.Join(dir, "index"), search.Options{DataVersion: dataVersion(matching.DefaultRules())})
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ = newMain(t, context.Background(), env)
	if err := m.Run([]string{"restore", file}); err == nil || !strings.Contains(err.Error(), "stop the server") {
		t.Fatalf("restore under a running server: %v", err)
	}
	held.Close()
	m, out, errOut = newMain(t, context.Background(), env)
	if err := m.Run([]string{"restore", file}); err != nil {
		t.Fatalf("restore over the data directory: %v\n%s", err, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "vincula.db.before-restore")); err != nil || !strings.Contains(out.String(), "before-restore") {
		t.Fatalf("the replaced database was not kept: %v %q", err, out)
	}
}
