package importer

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vincula/vincula/models"
	"github.com/xuri/excelize/v2"
)

// maxZipEntries bounds the number of parts a workbook may hold; a real one has a few
// dozen, and a zip of millions of empty entries is another way to exhaust a server.
const maxZipEntries = 10000

// xmlInMemory is the largest worksheet or shared-strings part excelize keeps in memory;
// larger ones go to a temporary file and are streamed from there, which keeps memory
// flat however many rows the sheet has.
const xmlInMemory = 4 << 20

// xlsxReader streams one worksheet through excelize's row iterator. Cells are read raw,
// not formatted: a date cell comes back as its serial number (46054) rather than as text
// in whatever locale format the cell carries, which could be ambiguous ("01-02-26").
type xlsxReader struct {
	f      *excelize.File
	rows   *excelize.Rows
	row    int
	header []string
	is1904 bool
}

// openXLSXFile checks the declared sizes of the zip's parts before handing the file to
// excelize, so that a zip bomb is refused before anything is inflated.
func openXLSXFile(path, sheet string, limit int64) (*xlsxReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	err = checkZip(f, st.Size(), limit)
	f.Close()
	if err != nil {
		return nil, err
	}
	return openXLSX(sheet, func(o excelize.Options) (*excelize.File, error) {
		return excelize.OpenFile(path, o)
	}, limit)
}

// newXLSXReader reads a workbook held in memory; the fuzz tests use it.
func newXLSXReader(ra io.ReaderAt, size int64, sheet string, limit int64) (*xlsxReader, error) {
	if err := checkZip(ra, size, limit); err != nil {
		return nil, err
	}
	return openXLSX(sheet, func(o excelize.Options) (*excelize.File, error) {
		return excelize.OpenReader(io.NewSectionReader(ra, 0, size), o)
	}, limit)
}

// checkZip refuses a workbook whose parts claim to unzip to more than limit bytes, then
// inflates every part once, into nothing, to prove the claims: archive/zip fails a part
// that inflates past its declared size or to the wrong checksum, so this costs at most
// limit bytes of work and no memory. Without that proof a lying part would not be a
// bomb (excelize, too, stops at the declared size) but a silently cut-off sheet, and
// the organiser would get half an import without a word.
func checkZip(ra io.ReaderAt, size, limit int64) error {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return fileError("the file is not a readable XLSX workbook (%v); save it again from Excel as .xlsx, or export it as CSV", zipProblem(err))
	}
	if len(zr.File) > maxZipEntries {
		return fileError("the workbook holds %d parts, more than the %d a spreadsheet needs; it is refused as a possible zip bomb", len(zr.File), maxZipEntries)
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if zf.UncompressedSize64 > uint64(limit) || total > uint64(limit) {
			return fileError("the workbook would unzip to more than %s (the limit); it is refused as a possible zip bomb. Split the sheet into smaller files or export it as CSV", byteSize(limit))
		}
	}
	for _, zf := range zr.File {
		if err := inflate(zf); err != nil {
			return fileError("the workbook is damaged (its part %s does not unzip as its header says: %v); save it again from Excel as .xlsx, or export it as CSV", zf.Name, err)
		}
	}
	return nil
}

func inflate(zf *zip.File) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

func zipProblem(err error) string {
	switch {
	case errors.Is(err, zip.ErrFormat):
		return "it is not a zip archive"
	case errors.Is(err, zip.ErrAlgorithm):
		return "it uses an unsupported compression method"
	}
	return err.Error()
}

func openXLSX(sheet string, open func(excelize.Options) (*excelize.File, error), limit int64) (r *xlsxReader, err error) {
	// excelize is not hardened against every malformed workbook; a panic deep inside it
	// must end this import, not the server.
	defer func() {
		if p := recover(); p != nil {
			if r != nil && r.f != nil {
				r.f.Close()
			}
			r, err = nil, fileError("the file is not a readable XLSX workbook; save it again from Excel as .xlsx, or export it as CSV")
		}
	}()
	f, err := open(excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    limit,
		UnzipXMLSizeLimit: min(limit, xmlInMemory),
	})
	if err != nil {
		if f != nil {
			f.Close()
		}
		if strings.Contains(err.Error(), "unzip size") {
			return nil, fileError("the workbook would unzip to more than %s (the limit); it is refused as a possible zip bomb", byteSize(limit))
		}
		return nil, fileError("the file is not a readable XLSX workbook (%v); save it again from Excel as .xlsx, or export it as CSV", err)
	}
	r = &xlsxReader{f: f}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		r.is1904 = *props.Date1904
	}
	name, err := pickSheet(f.GetSheetList(), sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	rows, err := f.Rows(name)
	if err != nil {
		f.Close()
		return nil, fileError("the sheet %q cannot be read (%v)", name, err)
	}
	r.rows = rows
	for {
		_, cells, err := r.Next()
		if err == io.EOF {
			r.Close()
			return nil, fileError("the sheet %q is empty: its first row must name the columns", name)
		}
		if err != nil {
			r.Close()
			return nil, err
		}
		if !blankRow(cells) {
			r.header = cells
			return r, nil
		}
	}
}

// pickSheet returns the sheet to read: the named one (compared exactly, then ignoring
// case and accents) or, when none is named, the first.
func pickSheet(sheets []string, want string) (string, error) {
	if len(sheets) == 0 {
		return "", fileError("the workbook has no sheets")
	}
	if want == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == want {
			return s, nil
		}
	}
	for _, s := range sheets {
		if models.Fold(s) == models.Fold(want) {
			return s, nil
		}
	}
	quoted := make([]string, len(sheets))
	for i, s := range sheets {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "", fileError("the workbook has no sheet %q (its sheets are %s)", want, strings.Join(quoted, ", "))
}

// Header returns the header cells.
func (r *xlsxReader) Header() []string { return r.header }

// date1904 reports whether the workbook counts serial dates from 1904.
func (r *xlsxReader) date1904() bool { return r.is1904 }

// Next returns the next row. excelize reports rows missing from the sheet's XML (rows
// never typed in) as empty, so counting calls gives the spreadsheet row number.
func (r *xlsxReader) Next() (line int, cells []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			line, cells, err = 0, nil, readerError(r.row, "the sheet cannot be read past this row; save it again from Excel as .xlsx, or export it as CSV")
		}
	}()
	if !r.rows.Next() {
		if err := r.rows.Error(); err != nil {
			return 0, nil, readerError(r.row+1, "the sheet cannot be read (%v)", err)
		}
		return 0, nil, io.EOF
	}
	r.row++
	cells, err = r.rows.Columns()
	if err != nil {
		return 0, nil, readerError(r.row, "the sheet cannot be read (%v)", err)
	}
	return r.row, cells, nil
}

// Close closes the row iterator and the workbook, removing excelize's temporary files.
func (r *xlsxReader) Close() error {
	var errs []error
	if r.rows != nil {
		errs = append(errs, r.rows.Close())
		r.rows = nil
	}
	if r.f != nil {
		errs = append(errs, r.f.Close())
		r.f = nil
	}
	return errors.Join(errs...)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
