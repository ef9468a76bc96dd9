package fairs_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vincula/vincula/fairs"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// sheet has two good rows and one with a month 13 and no title.
const sheet = "employer_name,rfc,title,state,municipality,positions,start_date\n" +
	"Cafetalera del Soconusco,CSO050815PL2,Cortador de café,MX-CHP,Tapachula,10,2026-12-15\n" +
	"Cafetalera del Soconusco,CSO050815PL2,,MX-CHP,Tapachula,2,2026-13-01\n" +
	"Constructora Sur,CTR120404QW8,Albañil,MX-CHP,Palenque,4,2026-12-20\n"

func wait(t *testing.T, svc *fairs.Service, u models.User, id string) models.ImportJob {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		job, err := svc.Job(context.Background(), u, id)
		if err != nil {
			t.Fatal(err)
		}
		if job.Status == models.ImportSucceeded || job.Status == models.ImportFailed {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("import still %s", job.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestImportDryRunThenGoodRows: an organiser's dry run lists the bad row and writes
// nothing; the import in valid_rows mode writes the two good rows; another organiser
// may neither import into the fair nor read its jobs.
func TestImportDryRunThenGoodRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := fairs.New(st, "", 1, nil)
		defer svc.Close()
		org := models.User{ID: "u-org", Role: models.RoleOrganiser}
		other := models.User{ID: "u-org2", Role: models.RoleOrganiser}
		fair := models.JobFair{Name: "Feria Tapachula", State: "MX-CHP", StartsOn: models.MustDate("2026-12-01"), EndsOn: models.MustDate("2026-12-02"), OrganiserID: org.ID}
		if err := st.CreateJobFair(ctx, &fair); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ImportInto(ctx, other, fair.ID); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("another organiser may import: %v", err)
		}
		if _, err := svc.ImportInto(ctx, models.User{ID: "c", Role: models.RoleCounsellor}, fair.ID); !models.IsKind(err, models.ErrForbidden) {
			t.Fatalf("a counsellor may import: %v", err)
		}
		start := func(dry bool, mode models.ImportMode) models.ImportJob {
			f, err := svc.ImportInto(ctx, org, fair.ID)
			if err != nil {
				t.Fatal(err)
			}
			id := fairs.NewJobID()
			path := filepath.Join(t.TempDir(), id+".csv")
			if err := os.WriteFile(path, []byte(sheet), 0o600); err != nil {
				t.Fatal(err)
			}
			job, err := svc.Start(ctx, org, f, id, fairs.Upload{Path: path, Name: "feria.csv", DryRun: dry, Mode: mode})
			if err != nil {
				t.Fatal(err)
			}
			return wait(t, svc, org, job.ID)
		}
		dry := start(true, models.ImportAllOrNothing)
		if dry.Status != models.ImportFailed || dry.Failed != 1 || dry.TotalRows != 3 || len(dry.Errors) < 2 {
			t.Fatalf("dry run: %s, %d of %d failed, errors %+v", dry.Status, dry.Failed, dry.TotalRows, dry.Errors)
		}
		for _, e := range dry.Errors {
			if e.Row != 3 || e.Column == "" || e.Message == "" {
				t.Fatalf("row error %+v: want row 3 with its column and message", e)
			}
		}
		if _, err := svc.Job(ctx, other, dry.ID); !models.IsKind(err, models.ErrNotFound) {
			t.Fatalf("another organiser read the job: %v", err)
		}
		if vs, _, _ := st.ListVacancies(ctx, store.VacancyFilter{JobFairID: fair.ID}); len(vs) != 0 {
			t.Fatalf("the dry run wrote %d vacancies", len(vs))
		}
		real := start(false, models.ImportValidRows)
		if real.Status != models.ImportSucceeded || real.Created != 2 || real.Failed != 1 {
			t.Fatalf("valid_rows import: %s, created %d, failed %d", real.Status, real.Created, real.Failed)
		}
		if vs, _, _ := st.ListVacancies(ctx, store.VacancyFilter{JobFairID: fair.ID}); len(vs) != 2 {
			t.Fatalf("the import wrote %d vacancies, want 2", len(vs))
		}
	})
}
