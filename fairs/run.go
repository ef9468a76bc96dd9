// Package fairs holds the use cases of job fairs' bulk imports: checking who may
// import into a fair, recording an upload as an import job (a dry run or the real
// thing), running it in the background with its lease renewed, and reading its
// progress and row errors. Each call takes the acting user and decides itself what
// that user may see and do, so the JSON API, the web console and the command line
// obey the same rules. It knows no HTTP.
package fairs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vincula/vincula/importer"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

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
	defer keepLease(ctx, st, job.ID, log)()
	job.Status = models.ImportRunning
	if err := st.SaveImportProgress(ctx, job); err != nil {
		return importer.Result{}, err
	}
	opts.Mode, opts.DryRun, opts.MaxErrors = job.Mode, job.DryRun, MaxErrors
	if opts.BatchSize == 0 {
		opts.BatchSize = BatchSize
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
	if len(res.Errors) >= MaxErrors {
		notes = append(notes, fmt.Sprintf("only the first %d errors are listed (the counts are exact)", MaxErrors))
	}
	job.Message = strings.Join(notes, "; ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// BatchSize is how many rows commit together. Bigger batches than the importer's
// 1,000 measured 10-15% faster on both engines (fewer commits and round trips); a crash
// loses at most the batch being written, which the re-run writes again.
const BatchSize = 2500

// MaxErrors caps the errors a job lists, so that a wrong column on 50,000 rows
// does not make a 50,000-line report.
const MaxErrors = 1000

// leaseRenewal is how often a process renews the lease of an import job it holds: a
// quarter of the lease, so that three renewals may fail before the job looks abandoned.
// (A variable so that a test can watch renewals without waiting a quarter of a minute.)
var leaseRenewal = store.ImportLease / 4

// leaseRenewed, when set (by tests), is called after each renewal of a lease.
var leaseRenewed atomic.Pointer[func(id string)]

// sweepEvery is how often the server looks for import jobs whose lease has run out.
const sweepEvery = 30 * time.Second

// keepLease renews the lease of job id every leaseRenewal until the returned
// function is called or ctx ends.
func keepLease(ctx context.Context, st *store.Store, id string, log *slog.Logger) (stop func()) {
	return RenewEvery(ctx, st, id, log, leaseRenewal)
}

// RenewEvery renews the lease of import job id every period until the returned
// function is called or ctx ends.
func RenewEvery(ctx context.Context, st *store.Store, id string, log *slog.Logger, every time.Duration) (stop func()) {
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

// Queue runs background imports, a few at a time, under a context that Close
// cancels. It holds the lease of each job it has accepted, queued or running, and
// marks failed the jobs of other processes (or of an earlier run of this one) whose
// lease has run out.
type Queue struct {
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

// NewQueue starts a queue running workers imports at once (2 when workers <= 0).
func NewQueue(st *store.Store, dir string, workers int, log *slog.Logger) *Queue {
	if workers <= 0 {
		workers = 2
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &Queue{ctx: ctx, cancel: cancel, store: st, log: log, dir: dir, slots: make(chan struct{}, workers)}
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
func (q *Queue) sweep() {
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
func (q *Queue) removeFinishedUploads() {
	if q.dir == "" {
		return
	}
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

// Start runs fn for job id in the background once a slot is free, holding the job's
// lease from now on; it reports false when the queue is closed.
func (q *Queue) Start(id string, fn func(ctx context.Context)) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		defer keepLease(q.ctx, q.store, id, q.log)()
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

// Close cancels the running imports and waits for them to stop.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cancel()
	q.wg.Wait()
}

// SetLeaseRenewal sets how often import leases are renewed, until the test ends. Call
// it before the imports under test start. (For tests of this and other packages.)
func SetLeaseRenewal(t interface{ Cleanup(func()) }, d time.Duration) {
	old := leaseRenewal
	leaseRenewal = d
	t.Cleanup(func() { leaseRenewal = old })
}

// OnLeaseRenewed calls fn after every renewal of an import's lease until the test ends,
// so a test moves its clock and then waits for a renewal instead of sleeping.
func OnLeaseRenewed(t interface{ Cleanup(func()) }, fn func(id string)) {
	leaseRenewed.Store(&fn)
	t.Cleanup(func() { leaseRenewed.Store(nil) })
}
