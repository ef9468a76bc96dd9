package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/importer"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func init() {
	allowed["POST /api/v1/job-fairs/:id/imports"] = []models.Role{O, A}
	allowed["GET /api/v1/imports/:id"] = []models.Role{O, A}
}

// importEnv is an API environment whose uploads go to a directory of the test, and
// whose background imports are stopped before the database closes.
func importEnv(t *testing.T, st *store.Store, opts ...envOption) (*env, string) {
	t.Helper()
	dir := t.TempDir()
	opts = append([]envOption{func(c *api.Config) { c.UploadDir = dir }}, opts...)
	e := newEnv(t, st, opts...)
	t.Cleanup(e.server.Close)
	return e, dir
}

// upload posts a multipart form: the fields, then (when name is not empty) the file.
func (e *env) upload(path, token string, fields map[string]string, name string, content []byte) response {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := w.WriteField(k, fields[k]); err != nil {
			e.t.Fatal(err)
		}
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			e.t.Fatal(err)
		}
		fw.Write(content)
	}
	if err := w.Close(); err != nil {
		e.t.Fatal(err)
	}
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	e.server.Handler().ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func testFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "importer", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// importFile uploads a file to the env's fair as the organiser, expects 202, and waits
// for the background import to finish.
func (e *env) importFile(name string, content []byte, fields map[string]string) models.ImportJob {
	e.t.Helper()
	r := e.upload("/api/v1/job-fairs/"+e.fair.ID+"/imports", e.as(O), fields, name, content)
	accepted := e.must(http.StatusAccepted, r)
	if accepted["status"] != "queued" || accepted["id"] == "" {
		e.t.Fatalf("202 body: %s", r.body)
	}
	if loc := r.header.Get("Location"); loc != "/api/v1/imports/"+accepted["id"].(string) {
		e.t.Fatalf("Location %q", loc)
	}
	return e.waitImport(accepted["id"].(string))
}

// waitImport polls GET /imports/{id} until the import has an outcome.
func (e *env) waitImport(id string) models.ImportJob {
	e.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		r := e.do("GET", "/api/v1/imports/"+id, e.as(O), nil)
		if r.status != http.StatusOK {
			e.t.Fatalf("GET import: %d %s", r.status, r.body)
		}
		var job models.ImportJob
		if err := json.Unmarshal(r.body, &job); err != nil {
			e.t.Fatal(err)
		}
		if job.Status == models.ImportSucceeded || job.Status == models.ImportFailed {
			if job.FinishedAt == nil || job.ID != id || job.JobFairID != e.fair.ID || job.CreatedBy != e.users[O].ID {
				e.t.Fatalf("finished job: %s", r.body)
			}
			return job
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("import %s still %s after 60 s", id, job.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fairVacancies lists the titles of the fair's vacancies through the API, paging.
func (e *env) fairVacancies(fairID string) []models.Vacancy {
	e.t.Helper()
	var out []models.Vacancy
	cursor := ""
	for {
		path := "/api/v1/vacancies?limit=100&job_fair_id=" + fairID
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		var page struct {
			Items      []models.Vacancy `json:"items"`
			NextCursor *string          `json:"next_cursor"`
		}
		r := e.do("GET", path, e.as(O), nil)
		if r.status != http.StatusOK {
			e.t.Fatalf("list the fair's vacancies: %d %s", r.status, r.body)
		}
		if err := json.Unmarshal(r.body, &page); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, page.Items...)
		if page.NextCursor == nil {
			return out
		}
		cursor = *page.NextCursor
	}
}

func titles(vs []models.Vacancy) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Title
	}
	sort.Strings(out)
	return out
}

const (
	notDate  = " is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
	notState = " is not a Mexican state (write its name, like Nuevo León, or its code, like MX-NLE)"
	reRun    = "fix them and import the file again: rows already imported are updated, not duplicated"
	takeGood = "fix the rows listed and import the file again, or import it with mode valid_rows to take the good rows now"
)

// The test files of the importer, with the errors its own tests assert
// (importer/files_test.go) and the titles of their good rows.
var importFiles = []struct {
	file    string
	total   int
	errors  []models.ImportError
	good    []string
	unknown string // the message's note on ignored columns
}{
	{
		file:  "vacantes_feria.xlsx",
		total: 11,
		errors: []models.ImportError{
			{Row: 5, Column: "Fecha de inicio", Message: `"31/02/2026"` + notDate},
			{Row: 6, Column: "Salario máximo (MXN)", Message: `12000 is less than "Salario mínimo (MXN)" (15000)`},
			{Row: 7, Column: "Estado", Message: `"Texas"` + notState},
			{Row: 8, Column: "Vacantes", Message: `"0": must be at least 1`},
			{Row: 9, Column: "Puesto", Message: "is empty; every vacancy needs it"},
			{Row: 10, Column: "RFC", Message: `"ABC123": has 6 characters; an RFC has 12 (a company) or 13 (a person)`},
		},
		good:    []string{"Albañil", "Ayudante de cocina", "Guardia de seguridad", "Operador de producción", "Recamarista"},
		unknown: `; columns Vincula does not know were ignored: "Observaciones"`,
	},
	{
		file:  "vacantes_cp1252.csv",
		total: 10,
		errors: []models.ImportError{
			{Row: 5, Column: "Fecha de inicio", Message: `"32/03/2026"` + notDate},
			{Row: 6, Column: "Sueldo máximo", Message: `9000 is less than "Sueldo mínimo" (10000)`},
			{Row: 7, Column: "Entidad", Message: `"Potosí"` + notState},
			{Row: 8, Column: "Número de vacantes", Message: `"0": must be at least 1`},
			{Row: 9, Column: "Nombre del puesto", Message: "is empty; every vacancy needs it"},
			{Row: 10, Column: "RFC", Message: `"PLE": has 3 characters; an RFC has 12 (a company) or 13 (a person)`},
			{Row: 11, Message: `duplicates row 2: both have the same "RFC", "Nombre del puesto", "Entidad", "Ciudad" and "Fecha de inicio"; if they are different vacancies, add an "ID externo" column and give each its own`},
		},
		good: []string{"Costurera", "Mecánico diésel", "Señalero"},
	},
	{
		file:  "vacantes.json",
		total: 9,
		errors: []models.ImportError{
			{Row: 3, Column: "fecha de inicio", Message: `"2026-02-30"` + notDate},
			{Row: 4, Column: "salario máximo", Message: `10000 is less than "salario_minimo" (12000)`},
			{Row: 5, Column: "estado", Message: `"Sinaloa del Norte"` + notState},
			{Row: 6, Column: "vacantes", Message: `"0": must be at least 1`},
			{Row: 7, Column: "puesto", Message: "is empty; every vacancy needs it"},
			{Row: 8, Column: "rfc", Message: `"GPA13131": has 8 characters; an RFC has 12 (a company) or 13 (a person)`},
		},
		good:    []string{"Cortador de tomate", "Tractorista", "Velador"},
		unknown: `; columns Vincula does not know were ignored: "comentario"`,
	},
}

func TestImportTestFilesThroughTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		for _, tc := range importFiles {
			t.Run(tc.file, func(t *testing.T) {
				e, dir := importEnv(t, st)
				content := testFile(t, tc.file)
				failed := len(tc.errors)

				// All or nothing (the default): the bad rows stop the whole file.
				job := e.importFile(tc.file, content, nil)
				want := models.ImportJob{ID: job.ID, JobFairID: e.fair.ID, Status: models.ImportFailed, Mode: models.ImportAllOrNothing,
					FileName: tc.file, TotalRows: tc.total, ProcessedRows: tc.total, Failed: failed, Errors: tc.errors,
					Message:   fmt.Sprintf("%d of %d rows have errors, so nothing was imported (mode all_or_nothing): %s%s", failed, tc.total, takeGood, tc.unknown),
					CreatedBy: e.users[O].ID, CreatedAt: job.CreatedAt, FinishedAt: job.FinishedAt}
				if !reflect.DeepEqual(job, want) {
					t.Fatalf("all_or_nothing job:\n got %+v\nwant %+v", job, want)
				}
				if got := e.fairVacancies(e.fair.ID); len(got) != 0 {
					t.Fatalf("all_or_nothing wrote %v", titles(got))
				}

				// Valid rows: the good rows go in, the bad ones are listed.
				job = e.importFile(tc.file, content, map[string]string{"mode": "valid_rows", "dry_run": "false"})
				want.ID, want.CreatedAt, want.FinishedAt = job.ID, job.CreatedAt, job.FinishedAt
				want.Status, want.Mode, want.Created = models.ImportSucceeded, models.ImportValidRows, len(tc.good)
				want.Message = fmt.Sprintf("%d rows with errors were left out; %s%s", failed, reRun, tc.unknown)
				if !reflect.DeepEqual(job, want) {
					t.Fatalf("valid_rows job:\n got %+v\nwant %+v", job, want)
				}
				got := e.fairVacancies(e.fair.ID)
				if !reflect.DeepEqual(titles(got), tc.good) {
					t.Fatalf("imported %q, want %q", titles(got), tc.good)
				}
				for _, v := range got {
					if v.JobFairID != e.fair.ID || v.ExternalID == "" || v.EmployerID == "" {
						t.Fatalf("imported vacancy %+v", v)
					}
				}
				// The uploaded files are removed once their imports are done.
				if left, _ := os.ReadDir(dir); len(left) != 0 {
					t.Fatalf("upload directory still holds %d files", len(left))
				}
			})
		}
	})
}

func TestImportDryRunWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st)
		var changesBefore int
		if err := st.SQL().QueryRow("SELECT COUNT(*) FROM changes").Scan(&changesBefore); err != nil {
			t.Fatal(err)
		}
		job := e.importFile("vacantes_cp1252.csv", testFile(t, "vacantes_cp1252.csv"), map[string]string{"mode": "valid_rows", "dry_run": "true"})
		if job.Status != models.ImportSucceeded || !job.DryRun || job.TotalRows != 10 || job.Failed != 7 || job.Created != 0 || len(job.Errors) != 7 ||
			job.Message != "7 rows with errors would be left out; dry run: nothing was written" {
			t.Fatalf("dry run job: %+v", job)
		}
		job = e.importFile("vacantes_feria.xlsx", testFile(t, "vacantes_feria.xlsx"), map[string]string{"dry_run": "true"})
		if job.Status != models.ImportFailed || job.Failed != 6 ||
			job.Message != `6 of 11 rows have errors, so an import would write nothing (mode all_or_nothing): `+takeGood+`; dry run: nothing was written; columns Vincula does not know were ignored: "Observaciones"` {
			t.Fatalf("all_or_nothing dry run job: %+v", job)
		}
		if got := e.fairVacancies(e.fair.ID); len(got) != 0 {
			t.Fatalf("a dry run wrote %v", titles(got))
		}
		var employers, changesAfter int
		if err := st.SQL().QueryRow("SELECT COUNT(*) FROM employers WHERE rfc IN ('CMZ030303DD3', 'TQU070707EE7', 'MNO120315AB1')").Scan(&employers); err != nil {
			t.Fatal(err)
		}
		if err := st.SQL().QueryRow("SELECT COUNT(*) FROM changes").Scan(&changesAfter); err != nil {
			t.Fatal(err)
		}
		if employers != 0 || changesAfter != changesBefore {
			t.Fatalf("a dry run created %d employers and %d change-feed rows", employers, changesAfter-changesBefore)
		}
	})
}

// correctedJSON is vacantes.json with row 3's impossible date fixed and row 1's
// positions changed from 50 to 60.
func correctedJSON(t *testing.T) []byte {
	t.Helper()
	b := testFile(t, "vacantes.json")
	for _, r := range []struct{ old, new string }{
		{`"fecha de inicio": "2026-02-30"`, `"fecha de inicio": "2026-03-02"`},
		{`"vacantes": 50,`, `"vacantes": 60,`},
	} {
		if bytes.Count(b, []byte(r.old)) != 1 {
			t.Fatalf("vacantes.json should hold %s once", r.old)
		}
		b = bytes.Replace(b, []byte(r.old), []byte(r.new), 1)
	}
	return b
}

func TestImportTwiceUpdatesInsteadOfDuplicating(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st)
		validRows := map[string]string{"mode": "valid_rows"}
		for _, tc := range []struct {
			file    string
			content []byte
			created int
			updated int
			failed  int
			titles  []string
		}{
			// Keys from the folio column.
			{"vacantes.json", testFile(t, "vacantes.json"), 3, 0, 6, []string{"Cortador de tomate", "Tractorista", "Velador"}},
			{"vacantes.json", testFile(t, "vacantes.json"), 0, 3, 6, []string{"Cortador de tomate", "Tractorista", "Velador"}},
			// The corrected file: one row more, one changed.
			{"vacantes-corregido.json", correctedJSON(t), 1, 3, 5, []string{"Cortador de tomate", "Empacador", "Tractorista", "Velador"}},
			// Keys from the content of the rows (the CSV has no ID column).
			{"vacantes_cp1252.csv", testFile(t, "vacantes_cp1252.csv"), 3, 0, 7, []string{"Cortador de tomate", "Costurera", "Empacador", "Mecánico diésel", "Señalero", "Tractorista", "Velador"}},
			{"vacantes_cp1252.csv", testFile(t, "vacantes_cp1252.csv"), 0, 3, 7, []string{"Cortador de tomate", "Costurera", "Empacador", "Mecánico diésel", "Señalero", "Tractorista", "Velador"}},
		} {
			job := e.importFile(tc.file, tc.content, validRows)
			if job.Status != models.ImportSucceeded || job.Created != tc.created || job.Updated != tc.updated || job.Failed != tc.failed {
				t.Fatalf("%s: %s, created %d, updated %d, failed %d; want succeeded, %d, %d, %d",
					tc.file, job.Status, job.Created, job.Updated, job.Failed, tc.created, tc.updated, tc.failed)
			}
			if got := titles(e.fairVacancies(e.fair.ID)); !reflect.DeepEqual(got, tc.titles) {
				t.Fatalf("after %s the fair has %q, want %q", tc.file, got, tc.titles)
			}
		}
		for _, v := range e.fairVacancies(e.fair.ID) {
			if v.Title == "Cortador de tomate" && (v.Positions != 60 || v.ExternalID != "J-1") {
				t.Fatalf("the corrected row was not updated: %+v", v)
			}
		}
		// Every field survives the trip through the store, and an update keeps the
		// vacancy's ID and creation time.
		byTitle := func() map[string]models.Vacancy {
			m := map[string]models.Vacancy{}
			for _, v := range e.fairVacancies(e.fair.ID) {
				m[v.Title] = v
			}
			return m
		}
		before := byTitle()
		e.importFile("vacantes.json", testFile(t, "vacantes.json"), validRows)
		after := byTitle()
		for _, title := range []string{"Tractorista", "Velador"} {
			if after[title].ID != before[title].ID || !after[title].CreatedAt.Equal(before[title].CreatedAt) {
				t.Fatalf("%s changed identity: %+v, was %+v", title, after[title], before[title])
			}
		}
		tractor, velador := after["Tractorista"], after["Velador"]
		if tractor.ExternalID != "2" || fmt.Sprint(tractor.Skills) != "[{manejo de tractor true} {mecánica básica false}]" ||
			fmt.Sprint(tractor.Languages) != "[{es native}]" || tractor.MinExperienceYears != 2 || tractor.EducationLevel != "secondary" ||
			tractor.State != "MX-SIN" || tractor.Municipality != "Navolato" || tractor.SalaryMin == nil || *tractor.SalaryMin != 11000 ||
			tractor.SalaryMax == nil || *tractor.SalaryMax != 13500 || tractor.Positions != 4 || tractor.StartDate.String() != "2026-03-16" ||
			tractor.EndDate.String() != "2026-09-30" || tractor.RelocationSupport || tractor.Status != models.VacancyOpen {
			t.Fatalf("Tractorista read back as %+v", tractor)
		}
		if velador.ExternalID != "J-9" || len(velador.Skills) != 0 || len(velador.Languages) != 0 || velador.SalaryMin != nil ||
			velador.SalaryMax != nil || !velador.EndDate.IsZero() || velador.Positions != 1 || velador.StartDate.String() != "2026-03-09" {
			t.Fatalf("Velador read back as %+v", velador)
		}
		// Another fair is another set of vacancies: the same file there creates its own.
		other := models.JobFair{Name: "Feria de Culiacán", State: "MX-SIN", StartsOn: models.MustDate("2026-12-05"),
			EndsOn: models.MustDate("2026-12-05"), OrganiserID: e.users[O].ID}
		if err := st.CreateJobFair(context.Background(), &other); err != nil {
			t.Fatal(err)
		}
		r := e.upload("/api/v1/job-fairs/"+other.ID+"/imports", e.as(O), validRows, "vacantes.json", testFile(t, "vacantes.json"))
		job := e.waitImportOf(other, e.must(http.StatusAccepted, r)["id"].(string))
		if job.Created != 3 || job.Updated != 0 {
			t.Fatalf("the other fair: created %d, updated %d", job.Created, job.Updated)
		}
		if n := len(e.fairVacancies(e.fair.ID)); n != 7 {
			t.Fatalf("the first fair has %d vacancies, want 7", n)
		}
	})
}

// waitImportOf waits for an import into another fair than the env's.
func (e *env) waitImportOf(fair models.JobFair, id string) models.ImportJob {
	e.t.Helper()
	saved := e.fair
	e.fair = fair
	defer func() { e.fair = saved }()
	return e.waitImport(id)
}

func TestImportedVacanciesAreSearchable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st)
		job := e.importFile("vacantes_cp1252.csv", testFile(t, "vacantes_cp1252.csv"), map[string]string{"mode": "valid_rows"})
		if job.Created != 3 {
			t.Fatalf("created %d", job.Created)
		}
		// The store wrote the change feed with the rows; the index sees them once the
		// feed is applied, as a running server's follower does.
		e.sync()
		for q, want := range map[string]string{"senalero": "Señalero", "mecanico diesel": "Mecánico diésel", "costurera": "Costurera"} {
			body := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies?q="+strings.ReplaceAll(q, " ", "+"), e.as(E), nil))
			items := body["items"].([]any)
			if len(items) == 0 {
				t.Fatalf("q=%s found nothing", q)
			}
			first := items[0].(map[string]any)
			if first["title"] != want || first["job_fair_id"] != e.fair.ID {
				t.Fatalf("q=%s found %v first, want %s", q, first["title"], want)
			}
		}
	})
}

func TestImportRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, dir := importEnv(t, st, func(c *api.Config) { c.MaxUploadBytes = 12 << 10 })
		ctx := context.Background()
		token, hash := newToken()
		rival := models.User{Name: "otra organizadora", Role: models.RoleOrganiser}
		if err := st.CreateUser(ctx, &rival, hash); err != nil {
			t.Fatal(err)
		}
		csv := testFile(t, "vacantes_cp1252.csv")
		path := "/api/v1/job-fairs/" + e.fair.ID + "/imports"

		problem := func(r response, status int, field, message string) {
			t.Helper()
			body := e.must(status, r)
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
			if field == "" {
				if !strings.Contains(body["detail"].(string), message) {
					t.Fatalf("detail %q lacks %q", body["detail"], message)
				}
				return
			}
			errs, _ := body["errors"].([]any)
			if len(errs) != 1 || errs[0].(map[string]any)["field"] != field || errs[0].(map[string]any)["message"] != message {
				t.Fatalf("errors %v, want %s: %s", errs, field, message)
			}
		}
		// Someone else's fair, a fair that does not exist.
		problem(e.upload(path, token, nil, "vacantes.csv", csv), http.StatusForbidden, "", "belongs to another organiser")
		problem(e.upload("/api/v1/job-fairs/"+id+"/imports", e.as(O), nil, "vacantes.csv", csv), http.StatusNotFound, "", "")
		problem(e.upload("/api/v1/job-fairs/"+id+"/imports", adminToken, nil, "vacantes.csv", csv), http.StatusNotFound, "", "")
		// No file, or no multipart body at all.
		problem(e.upload(path, e.as(O), map[string]string{"mode": "valid_rows"}, "", nil), http.StatusUnprocessableEntity,
			"file", "is required: send the spreadsheet in a part named file")
		problem(e.do("POST", path, e.as(O), map[string]any{"file": "vacantes.csv"}), http.StatusUnprocessableEntity,
			"file", "is required: send the spreadsheet as multipart/form-data in a part named file (curl -F file=@vacantes.csv)")
		// Bad fields.
		problem(e.upload(path, e.as(O), map[string]string{"mode": "some_rows"}, "vacantes.csv", csv), http.StatusUnprocessableEntity,
			"mode", "must be all_or_nothing or valid_rows")
		problem(e.upload(path, e.as(O), map[string]string{"dry_run": "maybe"}, "vacantes.csv", csv), http.StatusUnprocessableEntity,
			"dry_run", "must be true or false")
		// A file type the importer does not read is refused at upload.
		problem(e.upload(path, e.as(O), nil, "vacantes.pdf", []byte("%PDF-1.7")), http.StatusUnprocessableEntity,
			"file", `"vacantes.pdf" is not a file Vincula reads: upload a CSV, an Excel workbook (.xlsx) or a JSON array`)
		problem(e.upload(path, e.as(O), nil, "vacantes.xls", []byte{0xD0, 0xCF, 0x11, 0xE0}), http.StatusUnprocessableEntity,
			"file", "old Excel .xls files cannot be read: save the sheet as .xlsx or CSV and upload it again")
		// Too large: announced by Content-Length, or found while streaming.
		big := bytes.Repeat([]byte("x"), 13<<10)
		problem(e.upload(path, e.as(O), nil, "vacantes.csv", big), http.StatusRequestEntityTooLarge, "", "an upload may be at most 12 KiB")
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, _ := w.CreateFormFile("file", "vacantes.csv")
		fw.Write(big)
		w.Close()
		req := httptest.NewRequest("POST", path, bufio.NewReader(&body)) // no Content-Length
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+e.as(O))
		rec := httptest.NewRecorder()
		e.server.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || req.ContentLength != -1 {
			t.Fatalf("streamed oversize upload: %d (content length %d)", rec.Code, req.ContentLength)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Fatalf("refused uploads left %d files", len(left))
		}
		// The default cap is 64 MiB, judged from Content-Length before reading anything.
		def, _ := importEnv(t, st)
		req = httptest.NewRequest("POST", "/api/v1/job-fairs/"+def.fair.ID+"/imports", strings.NewReader("--x--"))
		req.ContentLength = 64<<20 + 1
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		req.Header.Set("Authorization", "Bearer "+def.as(O))
		rec = httptest.NewRecorder()
		def.server.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "an upload may be at most 64 MiB") {
			t.Fatalf("upload over the default cap: %d %s", rec.Code, rec.Body)
		}

		// A workbook from old Excel renamed .csv is only found out by reading it: the job
		// fails and says why.
		job := e.importFile("vacantes.csv", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, nil)
		if job.Status != models.ImportFailed || job.TotalRows != 0 || len(job.Errors) != 0 ||
			job.Message != "the file could not be imported: this looks like an old Excel .xls file or a password-protected workbook, which cannot be read: save the sheet as .xlsx (without a password) or CSV and upload it again" {
			t.Fatalf("job of an .xls renamed .csv: %+v", job)
		}
		// A sheet without a required column fails as a whole.
		job = e.importFile("otra.csv", []byte("Puesto,Estado\nSoldador,Nuevo León\n"), nil)
		if job.Status != models.ImportFailed || !strings.HasPrefix(job.Message, "the file could not be imported: ") {
			t.Fatalf("job of a sheet without RFC: %+v", job)
		}

		// The sheet field names the workbook's sheet to read.
		job = e.importFile("vacantes_feria.xlsx", testFile(t, "vacantes_feria.xlsx"), map[string]string{"sheet": "Hoja 9"})
		if job.Status != models.ImportFailed ||
			job.Message != `the file could not be imported: the workbook has no sheet "Hoja 9" (its sheets are "Vacantes", "Notas")` {
			t.Fatalf("job of a missing sheet: %+v", job)
		}

		// An import is private to its fair's organiser and the admins.
		e.must(http.StatusOK, e.do("GET", "/api/v1/imports/"+job.ID, adminToken, nil))
		problem(e.do("GET", "/api/v1/imports/"+job.ID, token, nil), http.StatusNotFound, "", "")
		problem(e.do("GET", "/api/v1/imports/"+id, e.as(O), nil), http.StatusNotFound, "", "")
		problem(e.do("GET", "/api/v1/imports/"+job.ID, e.as(E), nil), http.StatusForbidden, "", "")
	})
}

// bigCSV writes a sheet of n good rows, each with its own folio.
func bigCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Folio;Razón social;RFC;Puesto;Estado;Municipio;Vacantes;Fecha de inicio\n")
	for i := range n {
		fmt.Fprintf(&b, "F-%d;Maquiladora del Norte;MNO120315AB1;Operador %d;Nuevo León;Apodaca;%d;01/02/2027\n", i, i, 1+i%9)
	}
	return b.Bytes()
}

// TestSlowUploadOutlastsServerTimeouts sends an upload that takes longer to arrive than
// the HTTP server's read and write timeouts: the import endpoint gives uploads their own
// time (Config.UploadTimeout), so it is accepted, while the same server still cuts
// off any other request that slow.
func TestSlowUploadOutlastsServerTimeouts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		hs := &http.Server{Handler: e.server.Handler(), ReadHeaderTimeout: time.Second,
			ReadTimeout: 300 * time.Millisecond, WriteTimeout: 300 * time.Millisecond}
		go hs.Serve(ln)
		t.Cleanup(func() { hs.Close() })
		base := "http://" + ln.Addr().String()

		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, _ := w.CreateFormFile("file", "lenta.csv")
		fw.Write(bigCSV(200))
		w.Close()
		// slowly sends b in ten pieces over about a second, three times the timeouts.
		slowly := func(path, contentType string, b []byte) (int, error) {
			pr, pw := io.Pipe()
			go func() {
				step := (len(b) + 9) / 10
				for i := 0; i < len(b); i += step {
					time.Sleep(100 * time.Millisecond)
					if _, err := pw.Write(b[i:min(i+step, len(b))]); err != nil {
						return
					}
				}
				pw.Close()
			}()
			req, _ := http.NewRequest("POST", base+path, pr)
			req.ContentLength = int64(len(b))
			req.Header.Set("Content-Type", contentType)
			req.Header.Set("Authorization", "Bearer "+e.as(O))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				pr.CloseWithError(err)
				return 0, err
			}
			defer resp.Body.Close()
			io.Copy(io.Discard, resp.Body)
			return resp.StatusCode, nil
		}
		if code, err := slowly("/api/v1/job-fairs/"+e.fair.ID+"/imports", w.FormDataContentType(), body.Bytes()); err != nil || code != http.StatusAccepted {
			t.Fatalf("a slow upload: status %d, %v; want 202", code, err)
		}
		// Another endpoint as slow is still cut off by the server's timeouts.
		fair := []byte(`{"name": "Feria lenta", "state": "MX-CHP", "starts_on": "2026-12-01", "ends_on": "2026-12-02"}`)
		if code, err := slowly("/api/v1/job-fairs", "application/json", fair); err == nil && code < 400 {
			t.Fatalf("a slow JSON body got status %d: the server's read timeout no longer applies", code)
		}
	})
}

// TestImportLeaseIsRenewed: while a process renews its job's lease, no server marks the
// job failed, however long the import takes; once it stops renewing, the job is failed
// when the lease runs out.
func TestImportLeaseIsRenewed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st)
		ctx := context.Background()
		job := models.ImportJob{JobFairID: e.fair.ID, Mode: models.ImportValidRows, Status: models.ImportRunning, CreatedBy: "cli"}
		if err := st.CreateImportJob(ctx, &job, "/tmp/feria.csv"); err != nil {
			t.Fatal(err)
		}
		clock := storetest.ClockOf(t, st)
		renewed := make(chan string, 64)
		api.OnLeaseRenewed(t, func(id string) {
			select {
			case renewed <- id:
			default:
			}
		})
		// waitRenewals waits for two renewals, so at least one read the clock as it is
		// now (a renewal under way when the clock moved may have read the old time).
		waitRenewals := func(id string) {
			t.Helper()
			for seen := 0; seen < 2; {
				select {
				case got := <-renewed:
					if got == id {
						seen++
					}
				case <-time.After(30 * time.Second):
					t.Fatalf("no renewal of the lease of %s", id)
				}
			}
		}
		stop := api.KeepImportLease(st, job.ID, 10*time.Millisecond)
		clock.Advance(store.ImportLease / 2)
		waitRenewals(job.ID)
		// The lease given at creation has run out by then; the renewed one has not.
		if n, err := st.FailInterruptedImports(ctx, job.CreatedAt.Add(store.ImportLease).Add(time.Second)); err != nil || n != 0 {
			stop()
			t.Fatalf("a job whose lease is renewed was marked failed: %d %v", n, err)
		}
		stop()
		clock.Advance(2 * store.ImportLease)
		if n, err := st.FailInterruptedImports(ctx, clock.Now()); err != nil || n != 1 {
			t.Fatalf("after the renewals stopped and the lease ran out: marked %d, %v", n, err)
		}
		got, _, _ := st.ImportJob(ctx, job.ID)
		if got.Status != models.ImportFailed {
			t.Fatalf("job after its lease ran out: %s", got.Status)
		}

		// RunImportJob, which `vincula import` and the server run, renews the lease of
		// the job it runs: a server looking while the first batch is written leaves it.
		api.SetLeaseRenewal(t, 10*time.Millisecond)
		path := filepath.Join(t.TempDir(), "feria.csv")
		if err := os.WriteFile(path, bigCSV(10), 0o600); err != nil {
			t.Fatal(err)
		}
		run := models.ImportJob{JobFairID: e.fair.ID, Mode: models.ImportValidRows, Status: models.ImportQueued, CreatedBy: "cli"}
		if err := st.CreateImportJob(ctx, &run, path); err != nil {
			t.Fatal(err)
		}
		var during []int64
		progress := func(importer.Progress) {
			if during != nil {
				return
			}
			clock.Advance(store.ImportLease / 2)
			waitRenewals(run.ID)
			n, err := st.FailInterruptedImports(ctx, run.CreatedAt.Add(store.ImportLease).Add(time.Second))
			if err != nil {
				t.Error(err)
			}
			during = append(during, n)
		}
		if _, err := api.RunImportJob(ctx, st, &run, path, e.fair, importer.Options{Progress: progress}, nil); err != nil {
			t.Fatal(err)
		}
		if len(during) != 1 || during[0] != 0 || run.Status != models.ImportSucceeded {
			t.Fatalf("a running import's lease was not renewed: marked %v while it ran, ended %s", during, run.Status)
		}
	})
}

// TestCloseCutsImportsOff stops the server in the middle of an import: the job stays
// running (or queued) with its file kept, the next start marks it failed, and running
// the file again ends with every row imported once.
func TestCloseCutsImportsOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, dir := importEnv(t, st, func(c *api.Config) { c.MaxUploadBytes = 8 << 20 })
		const rows = 2_000
		content := bigCSV(rows)
		r := e.upload("/api/v1/job-fairs/"+e.fair.ID+"/imports", e.as(O), nil, "grande.csv", content)
		id := e.must(http.StatusAccepted, r)["id"].(string)
		e.server.Close()

		job, _, err := st.ImportJob(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if job.Status != models.ImportRunning && job.Status != models.ImportQueued {
			t.Fatalf("after Close the job is %s (created %d), want running or queued", job.Status, job.Created)
		}
		if left, _ := os.ReadDir(dir); len(left) != 1 {
			t.Fatalf("the cut-off import's file should stay: %d files", len(left))
		}
		// A server starting at once leaves the job: its lease may belong to a live
		// process. Once the lease has run out, the job is marked failed.
		clock := storetest.ClockOf(t, st)
		if n, err := st.FailInterruptedImports(context.Background(), clock.Now()); err != nil || n != 0 {
			t.Fatalf("FailInterruptedImports within the lease: %d %v", n, err)
		}
		clock.Advance(store.ImportLease + time.Second)
		if n, err := st.FailInterruptedImports(context.Background(), clock.Now()); err != nil || n != 1 {
			t.Fatalf("FailInterruptedImports after the lease: %d %v", n, err)
		}
		job, _, _ = st.ImportJob(context.Background(), id)
		if job.Status != models.ImportFailed || !strings.HasPrefix(job.Message, "interrupted") {
			t.Fatalf("after restart: %+v", job)
		}

		e2, _ := importEnv(t, st)
		e2.fair, e2.users, e2.tokens = e.fair, e.users, e.tokens
		job = e2.importFile("grande.csv", content, nil)
		if job.Status != models.ImportSucceeded || job.Created+job.Updated != rows {
			t.Fatalf("re-run: %+v", job)
		}
		var count, keys int
		// The ID is one the store made, safe to write into the query.
		if err := st.SQL().QueryRow("SELECT COUNT(*), COUNT(DISTINCT external_key) FROM vacancies WHERE job_fair_id = '"+e.fair.ID+"'").Scan(&count, &keys); err != nil {
			t.Fatal(err)
		}
		if count != rows || keys != rows {
			t.Fatalf("%d vacancies with %d keys, want %d of each", count, keys, rows)
		}
	})
}

// TestImportKeepsTextExactly sends text that needs escaping on its way to the database
// (quotes, backslashes, a tab, a line break, accents, an emoji) and reads it back.
func TestImportKeepsTextExactly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st)
		title := `Operador "A" \ turno nocturno ñandú 🚜`
		description := "Línea uno\tcon tabulador\nLínea dos: \"comillas\" y \\barra\\"
		csv := "Folio,Empresa,RFC,Puesto,Descripción,Estado,Vacantes,Fecha de inicio,Salario mínimo\n" +
			`T-1,"Maquiladora ""Norte""",MNO120315AB1,"` + strings.ReplaceAll(title, `"`, `""`) + `","` +
			strings.ReplaceAll(description, `"`, `""`) + `",Nuevo León,2,01/02/2027,1000000` + "\n"
		job := e.importFile("texto.csv", []byte(csv), nil)
		if job.Status != models.ImportSucceeded || job.Created != 1 {
			t.Fatalf("job: %+v", job)
		}
		vs := e.fairVacancies(e.fair.ID)
		if len(vs) != 1 || vs[0].Title != title || vs[0].Description != description || vs[0].SalaryMin == nil ||
			*vs[0].SalaryMin != 1000000 || vs[0].SalaryMax != nil || vs[0].CreatedAt.IsZero() {
			t.Fatalf("read back %+v", vs)
		}
		emp := e.must(http.StatusOK, e.do("GET", "/api/v1/employers/"+vs[0].EmployerID, e.as(O), nil))
		if emp["name"] != `Maquiladora "Norte"` || emp["rfc"] != "MNO120315AB1" {
			t.Fatalf("employer %v", emp)
		}
	})
}
