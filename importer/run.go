// Package importer reads the vacancies of a job fair from the CSV, XLSX and JSON files
// organisers upload, checks every row with the same rules as the API, and hands the
// good rows to a store in batches.
//
// The files come from employers' spreadsheets: Spanish or English headers, accents
// saved as Windows-1252, dates typed three ways, amounts with thousands separators, a
// few rows wrong. Every row is read and checked before anything is written, so the
// organiser gets the full list of bad cells at once (row, column as the file names it,
// what is wrong), and nothing when the import is all-or-nothing and any row is bad.
// Each row has a key, its external ID or a hash of what identifies it, so uploading a
// corrected sheet updates the vacancies of the first upload instead of duplicating
// them.
package importer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/vincula/vincula/models"
)

// Target receives validated rows; the store implements it. ImportBatch creates or
// updates the vacancy of each row by (fairID, row.Key), finding or creating its
// employer by RFC, and says how many vacancies it created and how many it updated.
// Each row's Vacancy.EmployerID is a placeholder ("rfc:" and the RFC) for the target
// to replace with the employer's ID. Batches are independent: if the target fails
// part-way, the batches before stay written, and running the import again completes
// it without duplicates, because the keys are the same.
type Target interface {
	ImportBatch(ctx context.Context, fairID string, rows []models.ImportRow) (created, updated int, err error)
}

// Options says how to read a file and what to do with its rows.
type Options struct {
	// Format is csv, xlsx or json; empty means by the file's extension or content.
	Format string
	// Sheet names the XLSX sheet to read; empty means the first.
	Sheet string
	// Mode is what happens to the good rows when some are bad; empty means
	// all_or_nothing.
	Mode models.ImportMode
	// DryRun checks every row and writes nothing.
	DryRun bool
	// BatchSize is how many rows go to the target at a time; 0 means 1000.
	BatchSize int
	// Progress, when set, is called once the file has been checked and after each
	// batch written.
	Progress func(Progress)
	// MaxErrors caps the errors listed in the Result (the counts stay exact), so a
	// sheet with a wrong column on 50,000 rows does not make a 50,000-line report; 0
	// means 1000.
	MaxErrors int
	// MaxUnzippedBytes refuses an XLSX workbook whose parts would unzip to more than
	// this; 0 means DefaultMaxUnzippedBytes.
	MaxUnzippedBytes int64
}

func (o Options) maxUnzipped() int64 {
	if o.MaxUnzippedBytes > 0 {
		return o.MaxUnzippedBytes
	}
	return DefaultMaxUnzippedBytes
}

// Progress is how far an import has got. TotalRows is known once the file has been
// checked; ProcessedRows counts the rows written or set aside as bad so far.
type Progress struct {
	TotalRows, ProcessedRows, Created, Updated, Failed int
}

// Result is the outcome of an import. Failed counts rows with at least one error;
// Errors lists them (at most Options.MaxErrors) in file order. UnknownColumns lists,
// once each, the headers that match no known column; their cells were ignored.
type Result struct {
	TotalRows, ProcessedRows, Created, Updated, Failed int
	Errors                                             []models.ImportError
	UnknownColumns                                     []string
}

// Written reports whether any row reached the target.
func (r Result) Written() bool { return r.Created+r.Updated > 0 }

// Run imports the vacancies in the file at path into fair. It reads the file twice,
// streaming: the first pass checks every row (and finds keys repeated within the file,
// reported on the later row so nothing is silently lost); then, unless this is a dry
// run, or the mode is all_or_nothing and a row failed, the second pass sends the good
// rows to target in batches. Cancelling ctx stops the import between batches.
//
// Bad rows are not an error of Run: they are in the Result, and the caller decides the
// job's status from it (failed when Failed > 0 in all_or_nothing mode). Run returns an
// error when the file as a whole cannot be imported (unreadable, a required column
// missing: a *models.Error of kind models.ErrInvalid whose message is meant for the
// organiser), when the target fails, or when ctx is cancelled; the Result then says
// how far the import got.
func Run(ctx context.Context, path string, fair models.JobFair, opts Options, target Target) (Result, error) {
	switch opts.Mode {
	case "":
		opts.Mode = models.ImportAllOrNothing
	case models.ImportAllOrNothing, models.ImportValidRows:
	default:
		return Result{}, models.Errorf(models.ErrInvalid, "unknown import mode %q (use %s or %s)", opts.Mode, models.ImportAllOrNothing, models.ImportValidRows)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if opts.MaxErrors <= 0 {
		opts.MaxErrors = 1000
	}
	if target == nil && !opts.DryRun {
		return Result{}, errors.New("importer: Run needs a target unless it is a dry run")
	}
	var reported *Progress
	progress := func(r Result) {
		p := Progress{r.TotalRows, r.ProcessedRows, r.Created, r.Updated, r.Failed}
		if opts.Progress != nil && (reported == nil || *reported != p) {
			opts.Progress(p)
			reported = &p
		}
	}

	var res Result
	failed := map[int]bool{}
	unknown, err := eachRow(ctx, path, opts, fair.ID, newDuplicates(), func(p parsed) error {
		res.TotalRows++
		if len(p.errs) == 0 {
			return nil
		}
		res.Failed++
		failed[p.row.Line] = true
		for _, e := range p.errs {
			if len(res.Errors) < opts.MaxErrors {
				res.Errors = append(res.Errors, e)
			}
		}
		return nil
	})
	res.UnknownColumns = unknown
	if err != nil {
		return res, err
	}
	progress(res)
	if opts.DryRun || (opts.Mode == models.ImportAllOrNothing && res.Failed > 0) {
		res.ProcessedRows = res.TotalRows
		return res, nil
	}

	// One batch is written while the next is read and checked, so the file and the
	// database work at the same time; the batches still reach the target one at a
	// time and in file order, and a batch is only sent once the one before it has
	// committed, so a failure leaves the same batches written as a plain loop would.
	type written struct {
		created, updated, processed int
		err                         error
	}
	var inflight chan written
	wait := func() error {
		if inflight == nil {
			return nil
		}
		w := <-inflight
		inflight = nil
		if w.err != nil {
			return w.err
		}
		res.Created += w.created
		res.Updated += w.updated
		res.ProcessedRows = w.processed
		progress(res)
		return nil
	}
	batch := make([]models.ImportRow, 0, opts.BatchSize)
	spare := make([]models.ImportRow, 0, opts.BatchSize)
	seen := 0
	send := func() error {
		if err := wait(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// The batch just written frees its buffer for the next one.
		rows, processed := batch, seen
		batch, spare = spare[:0], batch
		done := make(chan written, 1)
		inflight = done
		go func() {
			created, updated, err := target.ImportBatch(ctx, fair.ID, rows)
			if err != nil {
				err = fmt.Errorf("importing rows %d to %d: %w", rows[0].Line, rows[len(rows)-1].Line, err)
			}
			done <- written{created, updated, processed, err}
		}()
		return nil
	}
	_, err = eachRow(ctx, path, opts, fair.ID, nil, func(p parsed) error {
		seen++
		if failed[p.row.Line] {
			return nil
		}
		if len(p.errs) > 0 {
			return fmt.Errorf("importer: row %d passed the check but fails now; was the file changed during the import?", p.row.Line)
		}
		batch = append(batch, p.row)
		if len(batch) == opts.BatchSize {
			return send()
		}
		return nil
	})
	if err == nil && seen != res.TotalRows {
		err = fmt.Errorf("importer: the file had %d rows when checked and %d when imported; was it changed during the import?", res.TotalRows, seen)
	}
	if err == nil {
		err = send()
	}
	// Never leave a batch being written behind: the caller may close the target.
	if werr := wait(); err == nil {
		err = werr
	}
	if err != nil {
		return res, err
	}
	res.ProcessedRows = seen
	progress(res)
	return res, nil
}

// eachRow opens the file, matches its header and calls fn with every non-blank row,
// parsed and checked; dups, when not nil, adds an error to each row whose key an
// earlier row already has. It checks ctx every thousand rows.
func eachRow(ctx context.Context, path string, opts Options, fairID string, dups *duplicates, fn func(parsed) error) (unknown []string, err error) {
	rr, err := Open(path, opts)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := rr.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	l, unknown, err := newLayout(rr.Header())
	if err != nil {
		return nil, err
	}
	if d, ok := rr.(interface{ date1904() bool }); ok {
		l.date1904 = d.date1904()
	}
	for n := 1; ; n++ {
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return unknown, err
			}
		}
		line, cells, err := rr.Next()
		if err == io.EOF {
			return unknown, nil
		}
		if err != nil {
			return unknown, err
		}
		if blankRow(cells) {
			continue
		}
		p := l.parseRow(line, cells, fairID)
		if dups != nil {
			dups.check(l, &p)
		}
		if err := fn(p); err != nil {
			return unknown, err
		}
	}
}

// duplicates remembers the first row of each key, as a fixed-size digest so that a
// file of a hundred thousand rows costs a few megabytes.
type duplicates struct{ first map[[sha256.Size]byte]int }

func newDuplicates() *duplicates { return &duplicates{first: map[[sha256.Size]byte]int{}} }

// check adds an error to p when an earlier row has its key. A content key is only
// compared when the values it is made of were all read, lest two rows whose state or
// date failed to parse be called duplicates of each other.
func (d *duplicates) check(l *layout, p *parsed) {
	if !p.byExternalID && !p.keyComplete {
		return
	}
	id := sha256.Sum256([]byte(p.row.Key))
	first, dup := d.first[id]
	if !dup {
		d.first[id] = p.row.Line
		return
	}
	var e models.ImportError
	if p.byExternalID {
		col := l.name(colExternalID)
		e = models.ImportError{Row: p.row.Line, Column: col, Message: fmt.Sprintf("duplicates row %d: %q is already its %s; give each vacancy its own, or delete the repeated row", first, p.row.Key, quote(col))}
	} else {
		names := make([]string, len(keyColumns))
		for i, c := range keyColumns {
			names[i] = quote(l.name(c))
		}
		e = models.ImportError{Row: p.row.Line, Message: fmt.Sprintf("duplicates row %d: both have the same %s; if they are different vacancies, add an %s column and give each its own", first, joinAnd(names), quote(columnSpecs[colExternalID].spanish))}
	}
	p.errs = append(p.errs, e)
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
