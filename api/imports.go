package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/vincula/vincula/importer"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

func (s *Server) importRoutes() []route {
	organisers := []models.Role{models.RoleOrganiser, models.RoleAdmin}
	return []route{
		// The body is multipart/form-data, which the OpenAPI builder does not describe;
		// the summary names the form fields instead.
		{method: "POST", path: "/api/v1/job-fairs/:id/imports",
			summary: "Import the fair's vacancies from a spreadsheet (the fair's organiser, admin). multipart/form-data: file (CSV, XLSX or JSON), mode (all_or_nothing, the default, or valid_rows), dry_run (true or false), sheet (an XLSX sheet; the first by default). Answers 202 at once; the import runs in the background",
			roles:   organisers, handle: s.createImport, response: importAccepted{}, status: http.StatusAccepted},
		{method: "GET", path: "/api/v1/imports/:id", summary: "An import's status, progress, counts and the errors of its rows (the fair's organiser, admin)",
			roles: organisers, handle: s.getImport, response: models.ImportJob{}},
	}
}

// importAccepted answers an upload: the job to follow at GET /api/v1/imports/{id}.
type importAccepted struct {
	ID     string              `json:"id"`
	Status models.ImportStatus `json:"status"`
}

// uploadExtensions are the file names an upload may have: the importer reads these
// (and sniffs the content of files without an extension). Anything else is refused
// at once rather than queued to fail, so the organiser hears it while still at the
// upload form.
var uploadExtensions = map[string]bool{"": true, ".csv": true, ".txt": true, ".tsv": true, ".xlsx": true, ".xlsm": true, ".json": true}

// importForm is what an upload sends besides the file.
type importForm struct {
	mode   models.ImportMode
	dryRun bool
	sheet  string
}

func (s *Server) createImport(c *gin.Context) {
	ctx := c.Request.Context()
	u := userOf(c)
	fair, err := s.store.JobFair(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if u.Role == models.RoleOrganiser && fair.OrganiserID != u.ID {
		s.writeError(c, models.Errorf(models.ErrForbidden, "job fair %s belongs to another organiser", fair.ID))
		return
	}
	if c.Request.ContentLength > s.cfg.MaxUploadBytes {
		s.tooLarge(c)
		return
	}
	// A spreadsheet of tens of megabytes from a hub's connection takes longer than the
	// server's read and write timeouts allow any other request. (Not every writer has
	// deadlines, a test recorder for one; then there is nothing to extend.)
	// The limit is a timer rather than a deadline computed from a clock reading, so the
	// process clock (injected, and moved by tests) never decides a network deadline.
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	expired := time.AfterFunc(s.cfg.UploadTimeout, func() {
		past := time.Unix(1, 0)
		_ = rc.SetReadDeadline(past)
		_ = rc.SetWriteDeadline(past)
	})
	defer expired.Stop()
	job := models.ImportJob{ID: models.NewID(), JobFairID: fair.ID, Status: models.ImportQueued, CreatedBy: u.ID,
		Errors: []models.ImportError{}}
	up, form, ok := s.receiveUpload(c, job.ID)
	if !ok {
		return
	}
	job.FileName, job.Mode, job.DryRun = filepath.Base(up.name), form.mode, form.dryRun
	if err := s.store.CreateImportJob(ctx, &job, up.saved); err != nil {
		os.Remove(up.saved)
		s.writeError(c, err)
		return
	}
	if !s.imports.start(job.ID, func(ctx context.Context) { s.runImport(ctx, job, up.saved, fair, form.sheet) }) {
		// The job stays queued and is marked failed once its lease has run out, like
		// any import the server could not finish.
		s.fail(c, http.StatusServiceUnavailable, "shutting-down", "Shutting down", "the server is shutting down; upload the file again in a moment")
		return
	}
	c.Header("Location", "/api/v1/imports/"+job.ID)
	s.respond(c, http.StatusAccepted, importAccepted{ID: job.ID, Status: job.Status})
}

// upload is where an uploaded file was saved and the name the client gave it.
type upload struct{ saved, name string }

// receiveUpload streams the multipart body: the file part goes straight to disk as
// <jobID><ext> in the upload directory (never whole into memory), the other parts are
// small fields. It answers the request itself and reports false on any problem,
// leaving no file behind.
func (s *Server) receiveUpload(c *gin.Context, jobID string) (upload, importForm, bool) {
	var up upload
	form := importForm{mode: models.ImportAllOrNothing}
	mediaType, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if mediaType != "multipart/form-data" {
		s.writeError(c, invalid("file", "is required: send the spreadsheet as multipart/form-data in a part named file (curl -F file=@vacantes.csv)"))
		return up, form, false
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUploadBytes)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		s.fail(c, http.StatusBadRequest, "malformed", "Malformed request", "the multipart body could not be read: "+err.Error())
		return up, form, false
	}
	var fe models.FieldErrors
	cleanup := func() {
		if up.saved != "" {
			os.Remove(up.saved)
		}
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			cleanup()
			s.uploadFailed(c, err)
			return up, form, false
		}
		switch name := part.FormName(); name {
		case "file":
			if up.saved != "" {
				fe.Add("file", "send one file per import")
				continue
			}
			up.name = part.FileName()
			ext := strings.ToLower(filepath.Ext(up.name))
			if problem := uploadNameProblem(up.name); problem != "" {
				fe.Add("file", "%s", problem)
				continue
			}
			if !uploadExtensions[ext] {
				if ext == ".xls" {
					fe.Add("file", "old Excel .xls files cannot be read: save the sheet as .xlsx or CSV and upload it again")
				} else {
					fe.Add("file", "%q is not a file Vincula reads: upload a CSV, an Excel workbook (.xlsx) or a JSON array", filepath.Base(up.name))
				}
				continue
			}
			up.saved = filepath.Join(s.cfg.UploadDir, jobID+ext)
			if err := saveUpload(part, up.saved); err != nil {
				cleanup()
				s.uploadFailed(c, err)
				return up, form, false
			}
		case "mode", "dry_run", "sheet":
			value, err := io.ReadAll(io.LimitReader(part, 1<<10))
			if err != nil {
				cleanup()
				s.uploadFailed(c, err)
				return up, form, false
			}
			v := strings.TrimSpace(string(value))
			switch name {
			case "mode":
				switch models.ImportMode(v) {
				case models.ImportAllOrNothing, models.ImportValidRows:
					form.mode = models.ImportMode(v)
				case "":
				default:
					fe.Add("mode", "must be %s or %s", models.ImportAllOrNothing, models.ImportValidRows)
				}
			case "dry_run":
				if v != "" {
					b, err := strconv.ParseBool(v)
					if err != nil {
						fe.Add("dry_run", "must be true or false")
					}
					form.dryRun = b
				}
			case "sheet":
				// Excel names a sheet in at most 31 characters.
				if !models.CleanText(v) || utf8.RuneCountInString(v) > 31 {
					fe.Add("sheet", "must be a sheet's name: at most 31 characters of UTF-8 text without NUL")
				}
				form.sheet = v
			}
		default:
			fe.Add(name, "is not a field of an import (send file, mode, dry_run and sheet)")
		}
	}
	if up.saved == "" && up.name == "" {
		fe.Add("file", "is required: send the spreadsheet in a part named file")
	}
	if err := fe.Err(); err != nil {
		cleanup()
		s.writeError(c, err)
		return up, form, false
	}
	return up, form, true
}

// saveUpload copies one uploaded file to path.
func saveUpload(r io.Reader, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// uploadFailed answers a body that could not be read: too large, cut off, or a
// server-side problem saving it.
func (s *Server) uploadFailed(c *gin.Context, err error) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.tooLarge(c)
	case errors.Is(err, io.ErrUnexpectedEOF), strings.Contains(err.Error(), "multipart"), errors.As(err, new(textproto.ProtocolError)):
		s.fail(c, http.StatusBadRequest, "malformed", "Malformed request", "the multipart body could not be read: "+err.Error())
	default:
		s.writeError(c, fmt.Errorf("save an upload: %w", err))
	}
}

func (s *Server) tooLarge(c *gin.Context) {
	s.fail(c, http.StatusRequestEntityTooLarge, "too-large", "File too large",
		fmt.Sprintf("an upload may be at most %s; split the sheet into smaller files (each import adds to the fair)", byteSize(s.cfg.MaxUploadBytes)))
}

// byteSize writes n in the largest binary unit that divides it.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func (s *Server) getImport(c *gin.Context) {
	ctx := c.Request.Context()
	job, _, err := s.store.ImportJob(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if u := userOf(c); u.Role == models.RoleOrganiser {
		// Another organiser's import is answered as if it did not exist.
		if f, err := s.store.JobFair(ctx, job.JobFairID); err != nil || f.OrganiserID != u.ID {
			s.writeError(c, models.Errorf(models.ErrNotFound, "import %s not found", job.ID))
			return
		}
	}
	s.respond(c, http.StatusOK, job)
}

// runImport is the background half of an upload. The file is removed once the job
// has an outcome; an import cut off by shutdown keeps it, and its job stays running
// until the next start marks it failed.
func (s *Server) runImport(ctx context.Context, job models.ImportJob, path string, fair models.JobFair, sheet string) {
	defer func() {
		if rec := recover(); rec != nil {
			s.log.Error("panic in an import", slog.String("import", job.ID), slog.Any("panic", rec))
			job.Status, job.Message = models.ImportFailed, "the import stopped at an internal error; re-run it: rows already imported are updated, not duplicated"
			t := s.now()
			job.FinishedAt = &t
			s.saveFinal(ctx, &job)
		}
	}()
	_, err := RunImportJob(ctx, s.store, &job, path, fair, importer.Options{Sheet: sheet}, s.log)
	if err != nil && ctx.Err() != nil {
		s.log.Warn("import cut off by shutdown; it will be marked failed at the next start", slog.String("import", job.ID))
		return
	}
	if err := os.Remove(path); err != nil {
		s.log.Warn("remove an imported file", slog.String("path", path), slog.Any("err", err))
	} else if err := s.store.ForgetImportFile(context.WithoutCancel(ctx), job.ID); err != nil {
		s.log.Warn("forget an imported file", slog.String("import", job.ID), slog.Any("err", err))
	}
}

// saveFinal records a job's outcome even when ctx has just been cancelled: the work is
// done and its report should not be lost to a shutdown.
func (s *Server) saveFinal(ctx context.Context, job *models.ImportJob) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.store.SaveImportProgress(ctx, job); err != nil {
		s.log.Error("save an import's outcome", slog.String("import", job.ID), slog.Any("err", err))
	}
}

// progressEvery is how often a running import writes its progress: often enough for a
// progress bar, rarely enough to cost nothing next to the batches themselves.
const progressEvery = 500 * time.Millisecond

// RunImportJob runs a recorded import job (queued or running) end to end: it marks the
// job running, imports the file at path into fair through the store, saves the job's
// progress as batches commit (at most every half second), and records the outcome.
// The job's Mode and DryRun override opts.Mode and opts.DryRun; opts.Progress, when
// set, is called as well (the command line draws its progress bar with it).
//
// The outcome is in job: succeeded, or failed when rows failed in all_or_nothing mode
// or the file could not be imported, with the counts, the row errors and a Message in
// plain words (also naming the columns that were ignored). The returned error is the
// importer's (nil when only rows were bad). When ctx is cancelled the job is left
// running in the database, as a crash would leave it: once its lease has run out the
// server marks it failed, and running it again is safe because rows are upserted by
// key. While it runs, it renews the job's lease (store.ImportLease), so a server
// starting meanwhile leaves the job alone.
func RunImportJob(ctx context.Context, st *store.Store, job *models.ImportJob, path string, fair models.JobFair, opts importer.Options, log *slog.Logger) (importer.Result, error) {
	if log == nil {
		log = slog.Default()
	}
	defer keepImportLease(ctx, st, job.ID, log)()
	job.Status = models.ImportRunning
	if err := st.SaveImportProgress(ctx, job); err != nil {
		return importer.Result{}, err
	}
	opts.Mode, opts.DryRun, opts.MaxErrors = job.Mode, job.DryRun, importMaxErrors
	if opts.BatchSize == 0 {
		opts.BatchSize = importBatchSize
	}
	now := st.Now()
	outer := opts.Progress
	var saved time.Time
	opts.Progress = func(p importer.Progress) {
		if outer != nil {
			outer(p)
		}
		job.TotalRows, job.ProcessedRows, job.Created, job.Updated, job.Failed = p.TotalRows, p.ProcessedRows, p.Created, p.Updated, p.Failed
		t := now()
		if t.Sub(saved) < progressEvery {
			return
		}
		saved = t
		if err := st.SaveImportProgress(ctx, job); err != nil && ctx.Err() == nil {
			log.Warn("save an import's progress", slog.String("import", job.ID), slog.Any("err", err))
		}
	}
	res, err := importer.Run(ctx, path, fair, opts, jobTarget{st, job.ID})
	if err != nil && ctx.Err() != nil {
		return res, err
	}
	finishJob(job, res, err, now())
	if err != nil && !models.IsKind(err, models.ErrInvalid) {
		log.Error("import failed", slog.String("import", job.ID), slog.Any("err", err))
	}
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if serr := st.SaveImportProgress(saveCtx, job); serr != nil {
		return res, errors.Join(err, serr)
	}
	return res, err
}

// jobTarget writes an import's batches with the job's counts (store.ImportJobBatch),
// so the counts in the database are those of the rows committed even when the
// process dies between two saves of its progress.
type jobTarget struct {
	st *store.Store
	id string
}

func (j jobTarget) ImportBatch(ctx context.Context, fairID string, rows []models.ImportRow) (int, int, error) {
	return j.st.ImportJobBatch(ctx, j.id, fairID, rows)
}

// finishJob sets the job's outcome from the importer's result and error.
func finishJob(job *models.ImportJob, res importer.Result, err error, at time.Time) {
	job.TotalRows, job.ProcessedRows, job.Created, job.Updated, job.Failed = res.TotalRows, res.ProcessedRows, res.Created, res.Updated, res.Failed
	job.Errors = res.Errors
	if job.Errors == nil {
		job.Errors = []models.ImportError{}
	}
	// Microseconds, as the databases keep them, so the job reads the same before and
	// after it is saved.
	t := at.UTC().Truncate(time.Microsecond)
	job.FinishedAt = &t
	var notes []string
	switch {
	case err != nil:
		job.Status = models.ImportFailed
		if e, ok := models.AsError(err); ok && models.IsKind(err, models.ErrInvalid) {
			notes = append(notes, "the file could not be imported: "+e.Message)
		} else {
			notes = append(notes, fmt.Sprintf("the import stopped at an internal error after %d rows were written; re-run it: rows already imported are updated, not duplicated", res.Created+res.Updated))
		}
	case res.Failed > 0 && job.Mode != models.ImportValidRows:
		job.Status = models.ImportFailed
		what := "so nothing was imported"
		if job.DryRun {
			what = "so an import would write nothing"
		}
		notes = append(notes, fmt.Sprintf("%d of %d rows %s errors, %s (mode all_or_nothing): fix the rows listed and import the file again, or import it with mode valid_rows to take the good rows now",
			res.Failed, res.TotalRows, plural(res.Failed, "has", "have"), what))
	default:
		job.Status = models.ImportSucceeded
		switch {
		case res.Failed > 0 && job.DryRun:
			notes = append(notes, fmt.Sprintf("%d %s with errors would be left out", res.Failed, plural(res.Failed, "row", "rows")))
		case res.Failed > 0:
			notes = append(notes, fmt.Sprintf("%d %s with errors %s left out; fix them and import the file again: rows already imported are updated, not duplicated",
				res.Failed, plural(res.Failed, "row", "rows"), plural(res.Failed, "was", "were")))
		}
	}
	if job.DryRun {
		notes = append(notes, "dry run: nothing was written")
	}
	if res.TotalRows == 0 && err == nil {
		notes = append(notes, "the file has no rows under its header")
	}
	if len(res.UnknownColumns) > 0 {
		quoted := make([]string, len(res.UnknownColumns))
		for i, c := range res.UnknownColumns {
			quoted[i] = strconv.Quote(c)
		}
		notes = append(notes, "columns Vincula does not know were ignored: "+strings.Join(quoted, ", "))
	}
	if len(res.Errors) >= importMaxErrors {
		notes = append(notes, fmt.Sprintf("only the first %d errors are listed (the counts are exact)", importMaxErrors))
	}
	job.Message = strings.Join(notes, "; ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// importBatchSize is how many rows commit together. Bigger batches than the importer's
// 1,000 measured 10-15% faster on both engines (fewer commits and round trips); a crash
// loses at most the batch being written, which the re-run writes again.
const importBatchSize = 2500

// importMaxErrors caps the errors a job lists, so that a wrong column on 50,000 rows
// does not make a 50,000-line report.
const importMaxErrors = 1000

// leaseRenewal is how often a process renews the lease of an import job it holds: a
// quarter of the lease, so that three renewals may fail before the job looks abandoned.
// (A variable so that a test can watch renewals without waiting a quarter of a minute.)
var leaseRenewal = store.ImportLease / 4

// leaseRenewed, when set (by tests), is called after each renewal of a lease.
var leaseRenewed atomic.Pointer[func(id string)]

// sweepEvery is how often the server looks for import jobs whose lease has run out.
const sweepEvery = 30 * time.Second

// keepImportLease renews the lease of job id every leaseRenewal until the returned
// function is called or ctx ends.
func keepImportLease(ctx context.Context, st *store.Store, id string, log *slog.Logger) (stop func()) {
	return renewEvery(ctx, st, id, log, leaseRenewal)
}

func renewEvery(ctx context.Context, st *store.Store, id string, log *slog.Logger, every time.Duration) (stop func()) {
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := st.RenewImportLease(ctx, id); err != nil {
					if ctx.Err() == nil {
						log.Warn("renew an import's lease", slog.String("import", id), slog.Any("err", err))
					}
				} else if fn := leaseRenewed.Load(); fn != nil {
					(*fn)(id)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// importQueue runs background imports, a few at a time, under a context that Close
// cancels. It holds the lease of each job it has accepted, queued or running, and
// marks failed the jobs of other processes (or of an earlier run of this one) whose
// lease has run out.
type importQueue struct {
	ctx    context.Context
	cancel context.CancelFunc
	store  *store.Store
	log    *slog.Logger
	// dir is the upload directory: the files of finished jobs in it are removed.
	dir    string
	slots  chan struct{}
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func newImportQueue(st *store.Store, dir string, workers int, log *slog.Logger) *importQueue {
	if workers <= 0 {
		workers = 2
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &importQueue{ctx: ctx, cancel: cancel, store: st, log: log, dir: dir, slots: make(chan struct{}, workers)}
	q.wg.Add(1)
	go q.sweep()
	return q
}

// sweep marks failed, every sweepEvery, the queued and running imports whose process
// stopped: their lease ran out. (The command's start-up does the same once, before the
// server listens.)
//
// It also removes the uploaded files of jobs that have an outcome, at once (the files
// of jobs a previous run left behind) and after each look.
func (q *importQueue) sweep() {
	defer q.wg.Done()
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	q.removeFinishedUploads()
	for {
		select {
		case <-q.ctx.Done():
			return
		case <-t.C:
			n, err := q.store.FailInterruptedImports(q.ctx, q.store.Now()())
			switch {
			case err != nil && q.ctx.Err() == nil:
				q.log.Warn("look for abandoned imports", slog.Any("err", err))
			case n > 0:
				q.log.Warn("imports whose process stopped were marked failed; re-run them", slog.Int64("count", n))
			}
			q.removeFinishedUploads()
		}
	}
}

// removeFinishedUploads removes the files, in the upload directory, of jobs that have
// an outcome and forgets them. Files elsewhere (those `vincula import` was given) are
// the user's and stay.
func (q *importQueue) removeFinishedUploads() {
	files, err := q.store.FinishedImportFiles(q.ctx)
	if err != nil {
		if q.ctx.Err() == nil {
			q.log.Warn("look for the files of finished imports", slog.Any("err", err))
		}
		return
	}
	dir := filepath.Clean(q.dir)
	for _, f := range files {
		if filepath.Dir(filepath.Clean(f.Path)) != dir {
			continue
		}
		if err := os.Remove(f.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			q.log.Warn("remove the file of a finished import", slog.String("import", f.JobID), slog.Any("err", err))
			continue
		}
		if err := q.store.ForgetImportFile(q.ctx, f.JobID); err != nil && q.ctx.Err() == nil {
			q.log.Warn("forget the file of a finished import", slog.String("import", f.JobID), slog.Any("err", err))
		}
	}
}

// start runs fn for job id in the background once a slot is free, holding the job's
// lease from now on; it reports false when the queue is closed.
func (q *importQueue) start(id string, fn func(ctx context.Context)) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		defer keepImportLease(q.ctx, q.store, id, q.log)()
		select {
		case q.slots <- struct{}{}:
		case <-q.ctx.Done():
			return
		}
		defer func() { <-q.slots }()
		fn(q.ctx)
	}()
	return true
}

// close cancels the running imports and waits for them to stop.
func (q *importQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cancel()
	q.wg.Wait()
}
