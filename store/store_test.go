package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

func newEmployer(t *testing.T, s *store.Store, rfc string) models.Employer {
	t.Helper()
	e := models.Employer{Name: "Maquiladora del Norte", RFC: rfc, State: "MX-NLE"}
	if err := s.CreateEmployer(ctx, &e); err != nil {
		t.Fatalf("create employer: %v", err)
	}
	return e
}

func newVacancy(employerID string) models.Vacancy {
	min, max := 9000, 12000
	return models.Vacancy{EmployerID: employerID, Title: "Operador de producción", Description: "Línea de ensamble",
		Skills: []models.VacancySkill{{Name: "ensamble", Required: true}}, EducationLevel: "secondary",
		State: "MX-NLE", Municipality: "Apodaca", SalaryMin: &min, SalaryMax: &max, Positions: 3,
		StartDate: models.MustDate("2027-01-15"), Status: models.VacancyOpen}
}

func newCandidate(number string) models.Candidate {
	given := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	return models.Candidate{FullName: "María José Pérez", Nationality: "HN", BirthDate: models.MustDate("1994-03-02"),
		Phone: "+529621234567", CURP: "PEMM940302MNEXRR08", CurrentState: "MX-CHP", Hub: "Tapachula",
		Languages:      []models.LanguageSkill{{Code: "es", Level: "native"}},
		Skills:         []models.CandidateSkill{{Name: "costura"}},
		EducationLevel: "secondary", Consent: models.Consent{ShareProfile: true, GivenAt: &given},
		Status: models.CandidateActive,
		Documents: []models.Document{{Type: models.DocVisitanteRazonesHumanitarias, Number: number,
			IssuedOn: models.MustDate("2026-05-01"), ExpiresOn: models.MustDate("2027-05-01")}}}
}

func TestEmployerRFCIsUnique(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		newEmployer(t, s, "MNO010101AB1")
		dup := models.Employer{Name: "Other", RFC: "MNO010101AB1", State: "MX-COA"}
		err := s.CreateEmployer(ctx, &dup)
		if !models.IsKind(err, models.ErrConflict) {
			t.Fatalf("duplicate RFC: got %v, want a conflict", err)
		}
	})
}

func TestVacancyRoundTripAndFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEmployer(t, s, "VRT010101AB1")
		before, err := s.LatestSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		v := newVacancy(e.ID)
		if err := s.CreateVacancy(ctx, &v); err != nil {
			t.Fatalf("create: %v", err)
		}
		got, err := s.Vacancy(ctx, v.ID)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if got.Title != "Operador de producción" || *got.SalaryMax != 12000 || got.StartDate.String() != "2027-01-15" ||
			len(got.Skills) != 1 || !got.Skills[0].Required || got.EndDate.String() != "" {
			t.Fatalf("round trip changed the vacancy: %+v", got)
		}
		got.Title = "Operadora de producción"
		got.SalaryMin = nil
		if err := s.UpdateVacancy(ctx, &got); err != nil {
			t.Fatalf("update: %v", err)
		}
		again, _ := s.Vacancy(ctx, v.ID)
		if again.Title != "Operadora de producción" || again.SalaryMin != nil {
			t.Fatalf("update not stored (zero values must be written too): %+v", again)
		}
		if err := s.DeleteVacancy(ctx, v.ID); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := s.Vacancy(ctx, v.ID); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("after delete: got %v, want not found", err)
		}
		changes, err := s.ChangesSince(ctx, before, 100)
		if err != nil {
			t.Fatal(err)
		}
		want := []models.ChangeOp{models.ChangeUpsert, models.ChangeUpsert, models.ChangeDelete}
		if len(changes) != len(want) {
			t.Fatalf("got %d changes, want %d: %+v", len(changes), len(want), changes)
		}
		for i, c := range changes {
			if c.Entity != models.ChangeVacancy || c.EntityID != v.ID || c.Op != want[i] {
				t.Errorf("change %d = %+v, want vacancy %s %s", i, c, v.ID, want[i])
			}
		}
	})
}

func TestVacancyForUnknownEmployerIsInvalid(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		v := newVacancy("no-such-employer")
		err := s.CreateVacancy(ctx, &v)
		e, ok := models.AsError(err)
		if !ok || !models.IsKind(err, models.ErrInvalid) || len(e.Fields) != 1 || e.Fields[0].Field != "employer_id" {
			t.Fatalf("got %v, want an invalid employer_id", err)
		}
	})
}

// A write and its change-feed row commit together or not at all.
func TestChangeFeedSharesTheTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEmployer(t, s, "TXN010101AB1")
		v := newVacancy(e.ID)
		if err := s.CreateVacancy(ctx, &v); err != nil {
			t.Fatal(err)
		}
		seq, _ := s.LatestSeq(ctx)

		// A failing entity write (duplicate ID) leaves no change row.
		dup := newVacancy(e.ID)
		dup.ID = v.ID
		if err := s.CreateVacancy(ctx, &dup); err == nil {
			t.Fatal("duplicate vacancy ID was accepted")
		}
		if after, _ := s.LatestSeq(ctx); after != seq {
			t.Fatalf("a failed write left a change row: seq %d → %d", seq, after)
		}

		// A failing change-feed write leaves no entity row.
		storetest.BreakChangeFeed(t, s)
		lost := newVacancy(e.ID)
		if err := s.CreateVacancy(ctx, &lost); err == nil {
			t.Fatal("vacancy created although its change row could not be written")
		}
		if _, err := s.Vacancy(ctx, lost.ID); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("the vacancy row survived a failed change-feed write: %v", err)
		}
	})
}

func TestCandidateDocumentsEncryptedAtRest(t *testing.T) {
	const number = "TVRH-UNIQUE-7731-QX"
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCandidate(number)
		if err := s.CreateCandidate(ctx, &c); err != nil {
			t.Fatalf("create: %v", err)
		}
		got, err := s.Candidate(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Documents) != 1 || got.Documents[0].Number != number || got.CURP != "PEMM940302MNEXRR08" {
			t.Fatalf("decrypted values differ: %+v", got.Documents)
		}
		raw := storetest.RawText(t, s, "SELECT number_enc FROM documents WHERE candidate_id = ?", c.ID)
		if bytes.Contains([]byte(raw), []byte(number)) || raw == "" {
			t.Fatalf("document number stored in plain text: %q", raw)
		}
		if s.Dialect() == store.SQLite {
			storetest.Checkpoint(t, s)
			for _, suffix := range []string{"", "-wal"} {
				b, err := os.ReadFile(filepath.Join(storetest.SQLiteDir(t, s), "vincula.db"+suffix))
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				for _, secret := range []string{number, "PEMM940302MNEXRR08"} {
					if bytes.Contains(b, []byte(secret)) {
						t.Fatalf("%q found in plain text in vincula.db%s", secret, suffix)
					}
				}
			}
		}
	})
}

func TestCandidateUpdateListAndErase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := newCandidate("A-1")
		c.FullName = "Ximena Ñúñez Calderón"
		if err := s.CreateCandidate(ctx, &c); err != nil {
			t.Fatal(err)
		}
		c.Documents = append(c.Documents, models.Document{Type: models.DocResidentePermanente, Number: "RP-2"})
		c.Skills = nil
		if err := s.UpdateCandidate(ctx, &c); err != nil {
			t.Fatalf("update: %v", err)
		}
		got, _ := s.Candidate(ctx, c.ID)
		if len(got.Documents) != 2 || got.Documents[1].Number != "RP-2" || len(got.Skills) != 0 {
			t.Fatalf("update not stored: %+v", got)
		}
		list, _, err := s.ListCandidates(ctx, store.CandidateFilter{Q: "ximena nunez", State: "MX-CHP"})
		if err != nil || len(list) != 1 || list[0].ID != c.ID {
			t.Fatalf("accent-insensitive name search: %v %+v", err, list)
		}
		if err := s.EraseCandidate(ctx, c.ID, models.AuditEvent{ActorID: "u1", ActorRole: models.RoleAdmin,
			Action: models.AuditCandidateErased, SubjectType: "candidate", SubjectID: c.ID}); err != nil {
			t.Fatalf("erase: %v", err)
		}
		if _, err := s.Candidate(ctx, c.ID); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("erased candidate still readable: %v", err)
		}
		if n := storetest.RawText(t, s, "SELECT COUNT(*) FROM documents WHERE candidate_id = ?", c.ID); n != "0" {
			t.Fatalf("documents survive erasure: %s", n)
		}
		audit, _ := s.AuditFor(ctx, "candidate", c.ID)
		if len(audit) != 1 || audit[0].Action != models.AuditCandidateErased {
			t.Fatalf("erasure not audited: %+v", audit)
		}
	})
}

func TestPaginationIsStable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEmployer(t, s, "PAG010101AB1")
		var ids []string
		for i := 0; i < 7; i++ {
			v := newVacancy(e.ID)
			if err := s.CreateVacancy(ctx, &v); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, v.ID)
		}
		var seen []string
		page := store.Page{Limit: 3}
		for {
			items, more, err := s.ListVacancies(ctx, store.VacancyFilter{EmployerID: e.ID, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range items {
				seen = append(seen, v.ID)
			}
			if !more {
				break
			}
			page.After = items[len(items)-1].ID
		}
		if len(seen) != 7 {
			t.Fatalf("paged through %d vacancies, want 7", len(seen))
		}
		for i := range seen {
			found := false
			for _, id := range ids {
				found = found || id == seen[i]
			}
			if !found || (i > 0 && seen[i] <= seen[i-1]) {
				t.Fatalf("pages not in order or with strangers: %v", seen)
			}
		}
	})
}

func TestImportBatchIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		organiser := "org-1"
		fair := models.JobFair{Name: "Feria del Empleo Monterrey", State: "MX-NLE", StartsOn: models.MustDate("2026-12-01"),
			EndsOn: models.MustDate("2026-12-02"), OrganiserID: organiser}
		if err := s.CreateJobFair(ctx, &fair); err != nil {
			t.Fatal(err)
		}
		rows := func(salary int) []models.ImportRow {
			var out []models.ImportRow
			for i, key := range []string{"A-1", "A-2", "B-1"} {
				rfc := "IMP010101AB1"
				if i == 2 {
					rfc = "IMQ010101AB1"
				}
				v := newVacancy("")
				v.SalaryMax = &salary
				out = append(out, models.ImportRow{Line: i + 2, Key: key,
					Employer: models.Employer{Name: "Empresa " + rfc, RFC: rfc, State: "MX-NLE"}, Vacancy: v})
			}
			return out
		}
		created, updated, err := s.ImportBatch(ctx, fair.ID, rows(12000))
		if err != nil || created != 3 || updated != 0 {
			t.Fatalf("first import: created %d updated %d err %v", created, updated, err)
		}
		created, updated, err = s.ImportBatch(ctx, fair.ID, rows(15000))
		if err != nil || created != 0 || updated != 3 {
			t.Fatalf("second import: created %d updated %d err %v", created, updated, err)
		}
		list, _, _ := s.ListVacancies(ctx, store.VacancyFilter{JobFairID: fair.ID, Page: store.Page{Limit: 100}})
		if len(list) != 3 {
			t.Fatalf("re-import duplicated vacancies: %d", len(list))
		}
		for _, v := range list {
			if *v.SalaryMax != 15000 {
				t.Fatalf("re-import did not update %s: %d", v.ExternalID, *v.SalaryMax)
			}
		}
		emps, _, _ := s.ListEmployers(ctx, store.EmployerFilter{RFC: "IMP010101AB1"})
		if len(emps) != 1 {
			t.Fatalf("employer by RFC created %d times", len(emps))
		}
	})
}

// TestInterruptedImportsAreFailed: an import whose process stopped (its lease ran out,
// or it never had one) is marked failed; one whose process still renews its lease is
// left alone.
func TestInterruptedImportsAreFailed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fair := models.JobFair{Name: "Feria", State: "MX-CHP", StartsOn: models.MustDate("2026-12-01"),
			EndsOn: models.MustDate("2026-12-01"), OrganiserID: "o"}
		if err := s.CreateJobFair(ctx, &fair); err != nil {
			t.Fatal(err)
		}
		newJob := func(status models.ImportStatus) models.ImportJob {
			j := models.ImportJob{JobFairID: fair.ID, Mode: models.ImportValidRows, Status: status, CreatedBy: "o"}
			if err := s.CreateImportJob(ctx, &j, "/tmp/"+string(status)+".csv"); err != nil {
				t.Fatal(err)
			}
			return j
		}
		status := func(j models.ImportJob) models.ImportStatus {
			got, _, err := s.ImportJob(ctx, j.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Status
		}
		clock := storetest.ClockOf(t, s)
		running, queued, renewed := newJob(models.ImportRunning), newJob(models.ImportQueued), newJob(models.ImportRunning)
		// Just created: every lease is current, so a server starting now leaves them.
		if n, err := s.FailInterruptedImports(ctx, clock.Now()); err != nil || n != 0 {
			t.Fatalf("with current leases: marked %d, err %v", n, err)
		}
		// One process renews its job a moment later, so its lease outlasts the others'.
		clock.Advance(5 * time.Millisecond)
		if err := s.RenewImportLease(ctx, renewed.ID); err != nil {
			t.Fatal(err)
		}
		expired := renewed.CreatedAt.Add(store.ImportLease).Add(2 * time.Millisecond)
		n, err := s.FailInterruptedImports(ctx, expired)
		if err != nil || n != 2 {
			t.Fatalf("after the leases ran out: marked %d, err %v; want the running and the queued job", n, err)
		}
		for _, j := range []models.ImportJob{running, queued} {
			got, path, _ := s.ImportJob(ctx, j.ID)
			if got.Status != models.ImportFailed || got.FinishedAt == nil || path != "/tmp/"+string(j.Status)+".csv" ||
				!strings.HasPrefix(got.Message, "interrupted") {
				t.Fatalf("interrupted import: %+v", got)
			}
		}
		if got := status(renewed); got != models.ImportRunning {
			t.Fatalf("the renewed job is %s, want running", got)
		}
		// A failed job's lease is not renewed back to life.
		if err := s.RenewImportLease(ctx, running.ID); err != nil || status(running) != models.ImportFailed {
			t.Fatalf("renewing a failed job: %v, %s", err, status(running))
		}
		// A job from before leases existed has none: it is failed at once.
		legacy := newJob(models.ImportRunning)
		if _, err := s.SQL().ExecContext(ctx, "UPDATE import_jobs SET lease_until = NULL WHERE id = '"+legacy.ID+"'"); err != nil {
			t.Fatal(err)
		}
		if n, err := s.FailInterruptedImports(ctx, clock.Now()); err != nil || n != 1 || status(legacy) != models.ImportFailed {
			t.Fatalf("a job without a lease: marked %d, err %v, status %s", n, err, status(legacy))
		}
	})
}

func TestBulkCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEmployer(t, s, "BLK010101AB1")
		before, _ := s.LatestSeq(ctx)
		var cs []models.Candidate
		for i := 0; i < 1500; i++ {
			c := newCandidate(fmt.Sprintf("BULK-%04d", i))
			c.ID = fmt.Sprintf("bulk-cand-%04d", i)
			cs = append(cs, c)
		}
		if err := s.BulkCreateCandidates(ctx, cs); err != nil {
			t.Fatal(err)
		}
		vs := []models.Vacancy{newVacancy(e.ID), newVacancy(e.ID)}
		if err := s.BulkCreateVacancies(ctx, vs); err != nil {
			t.Fatal(err)
		}
		got, err := s.Candidate(ctx, "bulk-cand-1499")
		if err != nil || got.Documents[0].Number != "BULK-1499" {
			t.Fatalf("bulk candidate: %v %+v", err, got.Documents)
		}
		changes, _ := s.ChangesSince(ctx, before, 5000)
		if len(changes) != 1502 || changes[1499].EntityID != "bulk-cand-1499" || changes[1500].Entity != models.ChangeVacancy {
			t.Fatalf("%d changes written, want one per record (1502)", len(changes))
		}

		// After a bulk load the planner must know the tables' sizes: without that,
		// PostgreSQL read a window's documents by a sequential scan.
		if err := s.Analyze(ctx); err != nil {
			t.Fatalf("analyze: %v", err)
		}
		var rows float64
		q := "SELECT reltuples FROM pg_class WHERE relname = 'documents'"
		if s.Dialect() == store.SQLite {
			q = "SELECT CAST(substr(stat, 1, instr(stat, ' ') - 1) AS REAL) FROM sqlite_stat1 WHERE tbl = 'documents' AND idx = 'documents_candidate'"
		}
		if err := s.SQL().QueryRowContext(ctx, q).Scan(&rows); err != nil || rows != 1500 {
			t.Fatalf("statistics of documents after Analyze: %v rows (%v), want 1500", rows, err)
		}
	})
}
