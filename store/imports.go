package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/vincula/vincula/models"
)

type importJobRow struct {
	ID            string
	JobFairID     string
	Status        string
	Mode          string
	DryRun        bool
	FileName      string
	FilePath      string
	TotalRows     int
	ProcessedRows int
	Created       int
	Updated       int
	Failed        int
	Errors        jsonCol[[]models.ImportError]
	Message       string
	CreatedBy     string
	CreatedAt     time.Time
	FinishedAt    *time.Time
	LeaseUntil    *time.Time
}

func (importJobRow) TableName() string { return "import_jobs" }

func (r importJobRow) toModel() models.ImportJob {
	return models.ImportJob{ID: r.ID, JobFairID: r.JobFairID, Status: models.ImportStatus(r.Status),
		Mode: models.ImportMode(r.Mode), DryRun: r.DryRun, FileName: r.FileName, TotalRows: r.TotalRows,
		ProcessedRows: r.ProcessedRows, Created: r.Created, Updated: r.Updated, Failed: r.Failed,
		Errors: nonNil(r.Errors.V), Message: r.Message, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		FinishedAt: r.FinishedAt}
}

// ImportLease is how long a queued or running import job stays its process's after
// the process last renewed it. The process holding a job renews it every quarter of
// this (RenewImportLease); a job whose lease ran out was left by a process that
// stopped (FailInterruptedImports).
const ImportLease = time.Minute

// CreateImportJob records a queued import of the file at filePath, leased to the
// calling process for ImportLease.
func (s *Store) CreateImportJob(ctx context.Context, j *models.ImportJob, filePath string) error {
	if j.ID == "" {
		j.ID = models.NewID()
	}
	j.CreatedAt = s.now()
	if j.Status == "" {
		j.Status = models.ImportQueued
	}
	lease := j.CreatedAt.Add(ImportLease)
	row := importJobRow{ID: j.ID, JobFairID: j.JobFairID, Status: string(j.Status), Mode: string(j.Mode),
		DryRun: j.DryRun, FileName: j.FileName, FilePath: filePath, Errors: jsonOf(j.Errors),
		CreatedBy: j.CreatedBy, CreatedAt: j.CreatedAt, LeaseUntil: &lease}
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error { return tx.Create(&row).Error })
}

// ImportJob returns the job and the path of its uploaded file.
func (s *Store) ImportJob(ctx context.Context, id string) (models.ImportJob, string, error) {
	var row importJobRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return models.ImportJob{}, "", notFound(err, "import %s", id)
	}
	return row.toModel(), row.FilePath, nil
}

// SaveImportProgress writes the job's status, counts, errors and message.
func (s *Store) SaveImportProgress(ctx context.Context, j *models.ImportJob) error {
	return s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
		// The first time a real import's outcome is written, the employers whose
		// vacancies it wrote are told, in the same transaction (import.finished).
		if j.Status == models.ImportSucceeded || j.Status == models.ImportFailed {
			var before importJobRow
			if err := tx.Where("id = ?", j.ID).Take(&before).Error; err != nil {
				return notFound(err, "import %s", j.ID)
			}
			if !before.DryRun && before.Status != string(models.ImportSucceeded) && before.Status != string(models.ImportFailed) {
				if err := s.importFinishedEvents(tx, before, j.Status); err != nil {
					return err
				}
			}
		}
		return tx.Model(&importJobRow{}).Where("id = ?", j.ID).Updates(map[string]any{
			"status": string(j.Status), "total_rows": j.TotalRows, "processed_rows": j.ProcessedRows,
			"created": j.Created, "updated": j.Updated, "failed": j.Failed, "errors": jsonOf(j.Errors),
			"message": j.Message, "finished_at": j.FinishedAt,
		}).Error
	})
}

// RenewImportLease extends the lease of a queued or running job to ImportLease from
// now. The process holding the job calls it every quarter of ImportLease.
func (s *Store) RenewImportLease(ctx context.Context, id string) error {
	lease := s.now().Add(ImportLease)
	return translate(s.db.WithContext(ctx).Model(&importJobRow{}).
		Where("id = ? AND status IN ?", id, []string{string(models.ImportQueued), string(models.ImportRunning)}).
		Update("lease_until", &lease).Error)
}

// FailInterruptedImports marks failed every queued or running import whose lease ran
// out before at (or that never had one): its process stopped without finishing it.
// Jobs whose process still renews the lease (an import the command line is running
// while the server starts, say) are left alone. The server calls it with the current
// time at start and then every half minute; re-running a failed import is safe because
// rows are upserted by key. It returns how many it marked.
//
// The leases are compared in Go, not in SQL, because SQLite keeps times as text; each
// job is then updated only if its lease is still the one read, so a job renewed in
// between stays with its process.
func (s *Store) FailInterruptedImports(ctx context.Context, at time.Time) (int64, error) {
	pending := []string{string(models.ImportQueued), string(models.ImportRunning)}
	var rows []importJobRow
	if err := s.db.WithContext(ctx).Select("id", "lease_until", "created", "updated").Where("status IN ?", pending).Find(&rows).Error; err != nil {
		return 0, translate(err)
	}
	var n int64
	for _, r := range rows {
		if r.LeaseUntil != nil && !r.LeaseUntil.Before(at) {
			continue
		}
		err := s.tx(ctx, func(tx *gorm.DB, _ *feed) error {
			t := s.now()
			q := tx.Model(&importJobRow{}).Where("id = ? AND status IN ?", r.ID, pending)
			if r.LeaseUntil == nil {
				q = q.Where("lease_until IS NULL")
			} else {
				q = q.Where("lease_until = ?", r.LeaseUntil)
			}
			// The counts are the committed ones: each batch adds to them as it commits.
			written := ""
			switch w := r.Created + r.Updated; {
			case w == 1:
				written = " after 1 row was written"
			case w > 1:
				written = fmt.Sprintf(" after %d rows were written", w)
			}
			res := q.Updates(map[string]any{"status": string(models.ImportFailed), "finished_at": &t,
				"message": "interrupted (the process running it stopped during the import)" + written +
					"; re-run it: rows already imported are updated, not duplicated"})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			n += res.RowsAffected
			var job importJobRow
			if err := tx.Where("id = ?", r.ID).Take(&job).Error; err != nil {
				return err
			}
			if job.DryRun {
				return nil
			}
			return s.importFinishedEvents(tx, job, models.ImportFailed)
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// ImportFile is the uploaded file recorded with an import job.
type ImportFile struct{ JobID, Path string }

// FinishedImportFiles returns the files still recorded for jobs that have an outcome
// (succeeded or failed): an upload whose process stopped before it could remove the
// file once the job was done, or whose job was marked failed after its lease ran out.
func (s *Store) FinishedImportFiles(ctx context.Context) ([]ImportFile, error) {
	var rows []importJobRow
	err := s.db.WithContext(ctx).Select("id", "file_path").
		// A dry run's file waits for the organiser to confirm the import of its good rows.
		Where("status IN ? AND file_path <> '' AND NOT dry_run", []string{string(models.ImportSucceeded), string(models.ImportFailed)}).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]ImportFile, len(rows))
	for i, r := range rows {
		out[i] = ImportFile{JobID: r.ID, Path: r.FilePath}
	}
	return out, nil
}

// ForgetImportFile clears the file recorded with a finished job, once it is removed.
func (s *Store) ForgetImportFile(ctx context.Context, jobID string) error {
	return translate(s.db.WithContext(ctx).Model(&importJobRow{}).Where("id = ?", jobID).Update("file_path", "").Error)
}

// ImportBatch upserts one batch of validated import rows in one transaction: employers
// are found by RFC and created when new; vacancies are found by (fair, key) and
// updated, or created. Every vacancy written gets its change-feed row. It implements
// the importer's Target.
//
// The vacancies go in as INSERT ... ON CONFLICT (job_fair_id, external_key) DO UPDATE
// ... RETURNING id, whether the rows are new or not. Looking the keys up first cost a
// query that PostgreSQL planned as a sequential scan while the table grew faster than
// autovacuum analysed it (a second per batch at 30,000 rows), and updating existing
// rows one UPDATE at a time cost a round trip per row. A row is new when the ID
// returned for its key is the one proposed for it.
func (s *Store) ImportBatch(ctx context.Context, fairID string, rows []models.ImportRow) (created, updated int, err error) {
	err = s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		var err error
		created, updated, err = s.importBatch(tx, f, fairID, rows)
		return err
	})
	return created, updated, err
}

// ImportJobBatch is ImportBatch for the rows of import job jobID: the same
// transaction adds the batch to the job's processed, created and updated counts, so
// a job cut off by a crash reports every row that was committed, whenever its
// progress was last saved.
func (s *Store) ImportJobBatch(ctx context.Context, jobID, fairID string, rows []models.ImportRow) (created, updated int, err error) {
	err = s.tx(ctx, func(tx *gorm.DB, f *feed) error {
		var err error
		if created, updated, err = s.importBatch(tx, f, fairID, rows); err != nil {
			return err
		}
		if err := s.countImportEmployers(tx, jobID, rows); err != nil {
			return err
		}
		return tx.Model(&importJobRow{}).Where("id = ?", jobID).Updates(map[string]any{
			"processed_rows": gorm.Expr("processed_rows + ?", len(rows)),
			"created":        gorm.Expr("created + ?", created),
			"updated":        gorm.Expr("updated + ?", updated),
		}).Error
	})
	return created, updated, err
}

func (s *Store) importBatch(tx *gorm.DB, f *feed, fairID string, rows []models.ImportRow) (created, updated int, err error) {
	err = func() error {
		created, updated = 0, 0
		employerIDs, err := s.ensureEmployers(tx, rows)
		if err != nil {
			return err
		}
		t := s.now()
		proposed := make(map[string]string, len(rows))
		vrows := make([]vacancyRow, len(rows))
		for i, r := range rows {
			v := r.Vacancy
			v.EmployerID = employerIDs[r.Employer.RFC]
			v.JobFairID, v.ExternalID = fairID, r.Key
			v.ID, v.CreatedAt, v.UpdatedAt = models.NewID(), t, t
			proposed[r.Key] = v.ID
			vrows[i] = toVacancyRow(&v)
		}
		var written []upserted
		if s.dialect == Postgres {
			written, err = upsertVacanciesPostgres(tx, vrows)
		} else {
			written, err = upsertVacanciesSQLite(tx, vrows)
		}
		if err != nil {
			return err
		}
		// RETURNING gives back each row's ID and key together, so the pairing holds
		// whatever order the database returns them in.
		for _, w := range written {
			switch proposed[w.ExternalKey] {
			case "":
				return fmt.Errorf("import upsert returned the unknown key %q", w.ExternalKey)
			case w.ID:
				created++
			default:
				updated++
			}
			f.add(models.ChangeVacancy, w.ID, models.ChangeUpsert)
		}
		if created+updated != len(rows) {
			return fmt.Errorf("import upsert wrote %d of %d rows", created+updated, len(rows))
		}
		return nil
	}()
	return created, updated, err
}

// upserted is what the vacancy upsert returns of each row.
type upserted struct{ ID, ExternalKey string }

// vacancyUpdates are the columns an imported row changes in the vacancy of the same
// fair and key. Positions already filled through referrals and the status are not the
// sheet's to reset; the ID and creation time stay those of the first import.
var vacancyUpdates = []string{"employer_id", "title", "description", "occupation_code", "skills",
	"languages", "min_experience_years", "education_level", "state", "municipality", "salary_min", "salary_max",
	"positions", "start_date", "end_date", "relocation_support", "hazardous", "night_work", "serves_alcohol",
	"hours_per_week", "updated_at"}

// vacancyUpsert is the statement both engines run, around their own way of turning one
// parameter per column (PostgreSQL: an array) or per batch (SQLite: a JSON array of
// rows) into the rows to insert. Sending the whole batch in a few parameters instead of
// 23 a row is what makes it fast: PostgreSQL and its driver bind arrays many times
// faster than thousands of scalars, and the SQLite driver matches each parameter to
// its argument by a linear search, so its cost grows with the square of their number.
func vacancyUpsert(rows string) string {
	sets := make([]string, len(vacancyUpdates))
	for i, c := range vacancyUpdates {
		sets[i] = c + " = excluded." + c
	}
	return `INSERT INTO vacancies (id, employer_id, title, description, occupation_code, skills, languages,
	min_experience_years, education_level, state, municipality, salary_min, salary_max, positions,
	positions_filled, start_date, end_date, relocation_support, status, job_fair_id, external_key,
	created_at, updated_at, hazardous, night_work, serves_alcohol, hours_per_week)
` + rows + `
ON CONFLICT (job_fair_id, external_key) WHERE external_key IS NOT NULL DO UPDATE SET ` + strings.Join(sets, ", ") + `
RETURNING id, external_key`
}

var (
	// SQLite needs the WHERE: without it, ON CONFLICT would be read as part of the join.
	vacancyUpsertSQLite = vacancyUpsert(`SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5,
	value->>6, value->>7, value->>8, value->>9, value->>10, value->>11, value->>12, value->>13, value->>14,
	value->>15, value->>16, value->>17, value->>18, value->>19, value->>20, value->>21, value->>22,
	value->>23, value->>24, value->>25, value->>26
FROM jsonb_each(?) WHERE true`)
	vacancyUpsertPostgres = vacancyUpsert(`SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
	$5::text[], $6::text[], $7::text[], $8::float8[], $9::text[], $10::text[], $11::text[], $12::int4[],
	$13::int4[], $14::int4[], $15::int4[], $16::text[], $17::text[], $18::bool[], $19::text[], $20::text[],
	$21::text[], $22::timestamptz[], $23::timestamptz[], $24::bool[], $25::bool[], $26::bool[], $27::int4[])`)
)

// sqliteTime is how the SQLite driver writes (and reads back) a time.
const sqliteTime = "2006-01-02 15:04:05.999999999-07:00"

func upsertVacanciesSQLite(tx *gorm.DB, vrows []vacancyRow) ([]upserted, error) {
	b := make([]byte, 0, 512*len(vrows))
	b = append(b, '[')
	for i, r := range vrows {
		sk, err := r.Skills.Value()
		if err != nil {
			return nil, err
		}
		lg, err := r.Languages.Value()
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		// The columns in the order of the INSERT.
		b = append(b, '[')
		for _, v := range []string{r.ID, r.EmployerID, r.Title, r.Description, r.OccupationCode, sk.(string), lg.(string)} {
			b = appendJSONString(b, v)
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, r.MinExperienceYears, 'g', -1, 64)
		for _, v := range []string{r.EducationLevel, r.State, r.Municipality} {
			b = append(b, ',')
			b = appendJSONString(b, v)
		}
		for _, v := range []*int{r.SalaryMin, r.SalaryMax, &r.Positions, &r.PositionsFilled} {
			b = append(b, ',')
			if v == nil {
				b = append(b, "null"...)
			} else {
				b = strconv.AppendInt(b, int64(*v), 10)
			}
		}
		b = append(b, ',')
		b = appendJSONString(b, r.StartDate.String())
		b = append(b, ',')
		if r.EndDate.IsZero() {
			b = append(b, "null"...)
		} else {
			b = appendJSONString(b, r.EndDate.String())
		}
		b = append(b, ',')
		b = strconv.AppendBool(b, r.RelocationSupport)
		for _, v := range []string{r.Status, deref(r.JobFairID), deref(r.ExternalKey), r.CreatedAt.Format(sqliteTime), r.UpdatedAt.Format(sqliteTime)} {
			b = append(b, ',')
			b = appendJSONString(b, v)
		}
		b = append(b, ',')
		if r.Hazardous == nil {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendBool(b, *r.Hazardous)
		}
		b = append(b, ',')
		b = strconv.AppendBool(b, r.NightWork)
		b = append(b, ',')
		b = strconv.AppendBool(b, r.ServesAlcohol)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(r.HoursPerWeek), 10)
		b = append(b, ']')
	}
	b = append(b, ']')
	return scanUpserted(tx.Statement.ConnPool.QueryContext(tx.Statement.Context, vacancyUpsertSQLite, string(b)))
}

// appendJSONString appends s as a JSON string; bytes that are not UTF-8 become U+FFFD,
// as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
			i++
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			i++
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
		}
	}
	return append(b, '"')
}

// scanUpserted reads the RETURNING rows of an upsert.
func scanUpserted(res *sql.Rows, err error) ([]upserted, error) {
	if err != nil {
		return nil, err
	}
	defer res.Close()
	var out []upserted
	for res.Next() {
		var u upserted
		if err := res.Scan(&u.ID, &u.ExternalKey); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, res.Err()
}

func upsertVacanciesPostgres(tx *gorm.DB, vrows []vacancyRow) ([]upserted, error) {
	n := len(vrows)
	var (
		id, employer, title, description, occupation = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		skills, languages, education, state, muni    = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		status, fair, key, start                     = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		end                                          = make([]*string, n)
		experience                                   = make([]float64, n)
		salaryMin, salaryMax                         = make([]*int32, n), make([]*int32, n)
		positions, filled                            = make([]int32, n), make([]int32, n)
		relocation, night, alcohol                   = make([]bool, n), make([]bool, n), make([]bool, n)
		hazardous                                    = make([]*bool, n)
		hours                                        = make([]int32, n)
		createdAt, updatedAt                         = make([]time.Time, n), make([]time.Time, n)
	)
	for i, r := range vrows {
		sk, err := r.Skills.Value()
		if err != nil {
			return nil, err
		}
		lg, err := r.Languages.Value()
		if err != nil {
			return nil, err
		}
		id[i], employer[i], title[i], description[i], occupation[i] = r.ID, r.EmployerID, r.Title, r.Description, r.OccupationCode
		skills[i], languages[i], education[i], state[i], muni[i] = sk.(string), lg.(string), r.EducationLevel, r.State, r.Municipality
		status[i], fair[i], key[i], start[i] = r.Status, deref(r.JobFairID), deref(r.ExternalKey), r.StartDate.String()
		if !r.EndDate.IsZero() {
			e := r.EndDate.String()
			end[i] = &e
		}
		experience[i] = r.MinExperienceYears
		salaryMin[i], salaryMax[i] = int32Ptr(r.SalaryMin), int32Ptr(r.SalaryMax)
		positions[i], filled[i] = int32(r.Positions), int32(r.PositionsFilled)
		relocation[i] = r.RelocationSupport
		hazardous[i], night[i], alcohol[i], hours[i] = r.Hazardous, r.NightWork, r.ServesAlcohol, int32(r.HoursPerWeek)
		createdAt[i], updatedAt[i] = r.CreatedAt, r.UpdatedAt
	}
	// Straight to the driver: gorm would spread each slice into a list of parameters.
	return scanUpserted(tx.Statement.ConnPool.QueryContext(tx.Statement.Context, vacancyUpsertPostgres,
		id, employer, title, description, occupation, skills, languages, experience, education, state, muni,
		salaryMin, salaryMax, positions, filled, start, end, relocation, status, fair, key, createdAt, updatedAt,
		hazardous, night, alcohol, hours))
}

func int32Ptr(p *int) *int32 {
	if p == nil {
		return nil
	}
	v := int32(*p)
	return &v
}

// ensureEmployers returns the employer ID of every RFC in rows, creating the employers
// that are new (from the first row that names them).
func (s *Store) ensureEmployers(tx *gorm.DB, rows []models.ImportRow) (map[string]string, error) {
	rfcs := make([]string, 0, len(rows))
	first := make(map[string]models.Employer)
	for _, r := range rows {
		if _, ok := first[r.Employer.RFC]; !ok {
			first[r.Employer.RFC] = r.Employer
			rfcs = append(rfcs, r.Employer.RFC)
		}
	}
	var found []employerRow
	if err := tx.Select("id, rfc").Where("rfc IN ?", rfcs).Find(&found).Error; err != nil {
		return nil, err
	}
	ids := make(map[string]string, len(rfcs))
	for _, e := range found {
		ids[e.RFC] = e.ID
	}
	var fresh []employerRow
	for _, rfc := range rfcs {
		if _, ok := ids[rfc]; ok {
			continue
		}
		e := first[rfc]
		e.ID, e.CreatedAt = models.NewID(), s.now()
		ids[rfc] = e.ID
		fresh = append(fresh, toEmployerRow(&e))
	}
	if len(fresh) > 0 {
		if err := tx.CreateInBatches(fresh, 500).Error; err != nil {
			return nil, err
		}
	}
	return ids, nil
}
