package fairs

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/vincula/vincula/importer"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
)

// Service runs the import use cases: who may import into a fair, recording and
// starting an upload's job, and reading its progress and row errors.
type Service struct {
	store *store.Store
	queue *Queue
	log   *slog.Logger
	// finished, when set, is told each background import's outcome (for metrics).
	finished func(models.ImportJob)
}

// OnFinished has fn told the outcome of each background import that ends (succeeded or
// failed; not one cut off by shutdown). Call it before the first Start.
func (s *Service) OnFinished(fn func(models.ImportJob)) { s.finished = fn }

// New returns the import use cases over a store, running imports workers at a time
// (2 when workers <= 0). Close stops them.
func New(st *store.Store, uploadDir string, workers int, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: st, queue: NewQueue(st, uploadDir, workers, log), log: log}
}

// Close stops the background imports and waits for them (see Queue.Close).
func (s *Service) Close() { s.queue.Close() }

// ImportInto returns the fair u may import into: its organiser's own, any for an
// admin. Call it before receiving an upload, so that nobody else's file is read.
func (s *Service) ImportInto(ctx context.Context, u models.User, fairID string) (models.JobFair, error) {
	fair, err := s.store.JobFair(ctx, fairID)
	if err != nil {
		return fair, err
	}
	switch u.Role {
	case models.RoleAdmin:
	case models.RoleOrganiser:
		if fair.OrganiserID != u.ID {
			return models.JobFair{}, models.Errorf(models.ErrForbidden, "job fair %s belongs to another organiser", fair.ID)
		}
	default:
		return models.JobFair{}, models.Errorf(models.ErrForbidden, "the %s role may not import into job fairs", u.Role)
	}
	return fair, nil
}

// Upload is an uploaded file saved at Path (owned by the import from Start on), with
// the name the person gave it and how to import it.
type Upload struct {
	Path, Name string
	Mode       models.ImportMode
	DryRun     bool
	Sheet      string
	// Keep keeps a dry run's file after it has run, so that Confirm can import the
	// same file (the console's "import the good rows"); the file goes when confirmed.
	Keep bool
}

// NewJobID returns the id of the next import job, for naming its upload's file
// before Start records it.
func NewJobID() string { return models.NewID() }

// ErrShuttingDown is returned by Start when the server is stopping: the job stays
// queued and is marked failed once its lease has run out.
var ErrShuttingDown = errors.New("the server is shutting down; upload the file again in a moment")

// Start records an import job (id from NewJobID) of the file up into fair for u and
// runs it in the background. A dry run validates every row and writes nothing. The
// job is followed with Job.
func (s *Service) Start(ctx context.Context, u models.User, fair models.JobFair, id string, up Upload) (models.ImportJob, error) {
	if _, err := s.ImportInto(ctx, u, fair.ID); err != nil {
		os.Remove(up.Path)
		return models.ImportJob{}, err
	}
	if up.Mode == "" {
		up.Mode = models.ImportAllOrNothing
	}
	job := models.ImportJob{ID: id, JobFairID: fair.ID, Status: models.ImportQueued, CreatedBy: u.ID,
		Errors: []models.ImportError{}, FileName: up.Name, Mode: up.Mode, DryRun: up.DryRun}
	if err := s.store.CreateImportJob(ctx, &job, up.Path); err != nil {
		os.Remove(up.Path)
		return job, err
	}
	keep := up.Keep && up.DryRun
	if !s.queue.Start(job.ID, func(ctx context.Context) { s.run(ctx, job, up.Path, fair, up.Sheet, keep) }) {
		return job, ErrShuttingDown
	}
	return job, nil
}

// Job reads an import u may follow: its status, progress, counts and row errors.
// Another organiser's import does not exist for them.
func (s *Service) Job(ctx context.Context, u models.User, id string) (models.ImportJob, error) {
	job, _, err := s.store.ImportJob(ctx, id)
	if err != nil {
		return job, err
	}
	switch u.Role {
	case models.RoleAdmin:
	case models.RoleOrganiser:
		if f, err := s.store.JobFair(ctx, job.JobFairID); err != nil || f.OrganiserID != u.ID {
			return models.ImportJob{}, models.Errorf(models.ErrNotFound, "import %s not found", job.ID)
		}
	default:
		return models.ImportJob{}, models.Errorf(models.ErrForbidden, "the %s role may not read imports", u.Role)
	}
	return job, nil
}

// run is the background half of an upload. The file is removed once the job has an
// outcome; an import cut off by shutdown keeps it, and its job stays running until the
// next start marks it failed.
func (s *Service) run(ctx context.Context, job models.ImportJob, path string, fair models.JobFair, sheet string, keep bool) {
	defer func() {
		if rec := recover(); rec != nil {
			s.log.Error("panic in an import", slog.String("import", job.ID), slog.Any("panic", rec))
			job.Status, job.Message = models.ImportFailed, "the import stopped at an internal error; re-run it: rows already imported are updated, not duplicated"
			t := s.store.Now()().UTC()
			job.FinishedAt = &t
			s.saveFinal(ctx, &job)
		}
	}()
	_, err := RunImportJob(ctx, s.store, &job, path, fair, importer.Options{Sheet: sheet}, s.log)
	if err != nil && ctx.Err() != nil {
		s.log.Warn("import cut off by shutdown; it will be marked failed at the next start", slog.String("import", job.ID))
		return
	}
	if s.finished != nil {
		s.finished(job)
	}
	if keep {
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
func (s *Service) saveFinal(ctx context.Context, job *models.ImportJob) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.store.SaveImportProgress(ctx, job); err != nil {
		s.log.Error("save an import's outcome", slog.String("import", job.ID), slog.Any("err", err))
	}
}

// Fairs lists a page of the job fairs u may see: an organiser their own, others all.
func (s *Service) Fairs(ctx context.Context, u models.User, p store.Page) ([]models.JobFair, bool, error) {
	organiser := ""
	if u.Role == models.RoleOrganiser {
		organiser = u.ID
	}
	return s.store.ListJobFairs(ctx, organiser, p)
}

// Confirm imports, for u, the file of the finished dry run dryRunID (started with
// Keep) in the given mode, as a new job; the dry run's file is handed to it.
func (s *Service) Confirm(ctx context.Context, u models.User, dryRunID string, mode models.ImportMode) (models.ImportJob, error) {
	dry, err := s.Job(ctx, u, dryRunID)
	if err != nil {
		return dry, err
	}
	_, path, err := s.store.ImportJob(ctx, dry.ID)
	if err != nil {
		return dry, err
	}
	if !dry.DryRun || (dry.Status != models.ImportSucceeded && dry.Status != models.ImportFailed) {
		return dry, models.Errorf(models.ErrConflict, "import %s is not a finished dry run", dry.ID)
	}
	if _, err := os.Stat(path); path == "" || err != nil {
		return dry, models.Errorf(models.ErrConflict, "the file of this dry run is no longer kept: upload it again")
	}
	fair, err := s.ImportInto(ctx, u, dry.JobFairID)
	if err != nil {
		return dry, err
	}
	id := NewJobID()
	moved := filepath.Join(filepath.Dir(path), id+filepath.Ext(path))
	if err := os.Rename(path, moved); err != nil {
		return dry, models.Errorf(models.ErrConflict, "the file of this dry run is no longer kept: upload it again")
	}
	return s.Start(ctx, u, fair, id, Upload{Path: moved, Name: dry.FileName, Mode: mode})
}
