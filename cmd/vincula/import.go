package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vincula/vincula/fairs"
	"github.com/vincula/vincula/importer"
	"github.com/vincula/vincula/models"
)

const importUsage = `usage: vincula import --fair ID [--mode all_or_nothing|valid_rows] [--dry-run] [--sheet NAME] FILE

Imports the vacancies in FILE (CSV, XLSX or JSON) into the job fair ID, writing to the
database; running servers pick the vacancies up from the change feed. The import is
recorded as an import job like an upload through the API. Exit status: 0 when every row
was imported (or, with --dry-run, would be), 1 when rows failed or the file was refused,
2 for a wrong command line.
`

// importCmd is `vincula import`: a bulk import run in this process, against the
// database and never the search index.
func (m *Main) importCmd(cfg config, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(m.stderr)
	fs.Usage = func() { fmt.Fprint(m.stderr, importUsage); fs.PrintDefaults() }
	fairID := fs.String("fair", "", "the job fair's ID (required)")
	mode := fs.String("mode", string(models.ImportAllOrNothing), "all_or_nothing: nothing is written when a row fails; valid_rows: the good rows are")
	dryRun := fs.Bool("dry-run", false, "check every row and write nothing")
	sheet := fs.String("sheet", "", "the XLSX sheet to read (the first by default)")
	// Flags may come before or after the file, as people type them.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return exitError(2)
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(files) != 1:
		fmt.Fprintf(m.stderr, "vincula import: name one file to import\n\n")
		fs.Usage()
		return exitError(2)
	case *fairID == "":
		fmt.Fprintf(m.stderr, "vincula import: --fair is required\n\n")
		fs.Usage()
		return exitError(2)
	case *mode != string(models.ImportAllOrNothing) && *mode != string(models.ImportValidRows):
		fmt.Fprintf(m.stderr, "vincula import: --mode must be %s or %s\n", models.ImportAllOrNothing, models.ImportValidRows)
		return exitError(2)
	}
	path, err := filepath.Abs(files[0])
	if err != nil {
		return err
	}
	if info, err := os.Stat(path); err != nil {
		return fmt.Errorf("import: %w", err)
	} else if info.IsDir() {
		return fmt.Errorf("import: %s is a directory", files[0])
	}

	st, err := openStore(m, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	fair, err := st.JobFair(m.ctx, *fairID)
	if err != nil {
		if models.IsKind(err, models.ErrNotFound) {
			return fmt.Errorf("import: there is no job fair with ID %q (organisers create fairs with POST /api/v1/job-fairs)", *fairID)
		}
		return err
	}
	job := models.ImportJob{JobFairID: fair.ID, Status: models.ImportRunning, Mode: models.ImportMode(*mode), DryRun: *dryRun,
		FileName: filepath.Base(path), CreatedBy: "cli", Errors: []models.ImportError{}}
	if err := st.CreateImportJob(m.ctx, &job, path); err != nil {
		return err
	}
	m.log.Debug("import job recorded", "import", job.ID, "file", path)

	bar := newProgressBar(m.stderr, job.FileName, m.now)
	start := m.now()
	_, err = fairs.RunImportJob(m.ctx, st, &job, path, fair, importer.Options{Sheet: *sheet, Progress: bar.show}, m.log)
	bar.done()
	took := m.now().Sub(start)
	if err != nil && m.ctx.Err() != nil {
		// Stopped by Ctrl-C or SIGTERM: this process knows the job is over, so it need
		// not wait for a server start to be marked failed.
		t := m.now().UTC().Truncate(time.Microsecond)
		job.Status, job.FinishedAt = models.ImportFailed, &t
		job.Message = "interrupted; run the command again: rows already imported are updated, not duplicated"
		if serr := st.SaveImportProgress(context.WithoutCancel(m.ctx), &job); serr != nil {
			m.log.Warn("could not record the interruption", "import", job.ID, "err", serr)
		}
		fmt.Fprintf(m.stdout, "import of %s into fair %s interrupted after %d of %d rows (job %s); run the command again: rows already imported are updated, not duplicated\n",
			job.FileName, fair.ID, job.ProcessedRows, job.TotalRows, job.ID)
		return exitError(1)
	}
	if err != nil && job.Status != models.ImportFailed {
		return err // the outcome could not even be recorded
	}
	printImportSummary(m.stdout, job, fair, took)
	if job.Status == models.ImportFailed || job.Failed > 0 {
		return exitError(1)
	}
	return nil
}

// printImportSummary tells what the import did, in one line, then each row error and
// the job's notes.
func printImportSummary(w io.Writer, job models.ImportJob, fair models.JobFair, took time.Duration) {
	counts := fmt.Sprintf("%d rows, %d created, %d updated, %d failed", job.TotalRows, job.Created, job.Updated, job.Failed)
	rate := ""
	// The pace is news only for files big enough to make someone wait.
	if secs := took.Seconds(); secs >= 1 && job.TotalRows > 0 {
		rate = fmt.Sprintf(" in %.1f s (%.0f rows/s)", secs, float64(job.TotalRows)/secs)
	}
	switch {
	case job.Status == models.ImportFailed && job.TotalRows == 0 && job.Failed == 0:
		fmt.Fprintf(w, "could not import %s into fair %s\n", job.FileName, fair.ID)
	case job.DryRun:
		fmt.Fprintf(w, "checked %s for fair %s (dry run, nothing written): %s%s\n", job.FileName, fair.ID, counts, rate)
	case job.Status == models.ImportFailed && job.Created+job.Updated == 0:
		fmt.Fprintf(w, "nothing imported from %s into fair %s: %s%s\n", job.FileName, fair.ID, counts, rate)
	default:
		fmt.Fprintf(w, "imported %s into fair %s: %s%s\n", job.FileName, fair.ID, counts, rate)
	}
	for _, e := range job.Errors {
		fmt.Fprintln(w, importer.FormatError(e))
	}
	if job.Message != "" {
		fmt.Fprintln(w, job.Message)
	}
}

// progressBar draws the import's progress on a terminal, and nothing elsewhere (a log
// file or a pipe gets only the summary).
type progressBar struct {
	w     io.Writer
	on    bool
	name  string
	drawn time.Time
	last  importer.Progress
	now   func() time.Time
}

func newProgressBar(w io.Writer, name string, now func() time.Time) *progressBar {
	b := &progressBar{w: w, name: name, now: now, on: isTerminal(w)}
	if b.on {
		fmt.Fprintf(w, "checking %s...", name)
	}
	return b
}

// isTerminal reports whether w is a terminal, where progress bars are drawn.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// show is the importer's progress callback; it redraws at most ten times a second.
func (b *progressBar) show(p importer.Progress) {
	b.last = p
	if !b.on || b.now().Sub(b.drawn) < 100*time.Millisecond {
		return
	}
	b.draw()
}

func (b *progressBar) draw() {
	const width = 30
	p := b.last
	frac := 1.0
	if p.TotalRows > 0 {
		frac = float64(p.ProcessedRows) / float64(p.TotalRows)
	}
	filled := int(frac * width)
	fmt.Fprintf(b.w, "\r\033[Kimporting %s [%s%s] %3.0f%% %d/%d rows, %d created, %d updated, %d failed",
		b.name, strings.Repeat("#", filled), strings.Repeat(".", width-filled), frac*100,
		p.ProcessedRows, p.TotalRows, p.Created, p.Updated, p.Failed)
	b.drawn = b.now()
}

// done draws the last state and ends the line, so the summary starts on its own.
func (b *progressBar) done() {
	if !b.on {
		return
	}
	if b.last != (importer.Progress{}) {
		b.draw()
	}
	fmt.Fprintln(b.w)
}
