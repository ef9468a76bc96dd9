package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vincula/vincula/models"
)

// RowReader streams the rows of one sheet. Memory does not grow with the number of
// rows: CSV and JSON keep only the current row, and an XLSX sheet is streamed from a
// temporary file once its XML passes a few megabytes.
type RowReader interface {
	// Header returns the cells of the header row, as written in the file.
	Header() []string
	// Next returns the next data row with its number as the organiser sees it: the
	// spreadsheet row for CSV and XLSX (the header is row 1), the 1-based position of the
	// object for JSON. It returns io.EOF after the last row. Cells line up with Header;
	// a row may be shorter than the header when its last cells are empty.
	Next() (line int, cells []string, err error)
	// Close releases the file and any temporary files.
	Close() error
}

// The formats Open reads.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
	FormatJSON = "json"
)

// DefaultMaxUnzippedBytes is how far an XLSX workbook may expand when unzipped unless
// Options says otherwise. A workbook of 100,000 vacancies is around 150 MB unzipped;
// a zip bomb is gigabytes.
const DefaultMaxUnzippedBytes = 512 << 20

// Open opens the file at path for reading rows. The format is opts.Format when set;
// else xlsx when the file starts as a zip archive does, whatever its name (people
// rename workbooks); else the file's extension (.csv, .txt, .tsv, .xlsx, .json); else
// json when the content starts with "[", and csv otherwise. Problems with the file as a whole (not a spreadsheet, no header row, a
// workbook that unzips to more than the limit) are *models.Error of kind
// models.ErrInvalid, with a message meant for the organiser.
func Open(path string, opts Options) (RowReader, error) {
	format, err := detectFormat(path, opts.Format)
	if err != nil {
		return nil, err
	}
	switch format {
	case FormatCSV:
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		r, err := newCSVReader(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		r.closer = f
		return r, nil
	case FormatXLSX:
		return openXLSXFile(path, opts.Sheet, opts.maxUnzipped())
	case FormatJSON:
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		r, err := newJSONReader(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		r.closer = f
		return r, nil
	}
	return nil, models.Errorf(models.ErrInvalid, "unknown file format %q (use csv, xlsx or json)", format)
}

// zipMagic starts every XLSX workbook (a zip archive).
var zipMagic = []byte("PK\x03\x04")

// oleMagic starts the old binary .xls format and password-protected workbooks, neither
// of which can be read; saying so beats a confusing parse error.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func detectFormat(path, format string) (string, error) {
	switch f := strings.ToLower(strings.TrimPrefix(format, ".")); f {
	case FormatCSV, FormatXLSX, FormatJSON:
		return f, nil
	case "":
	default:
		return "", models.Errorf(models.ErrInvalid, "unknown file format %q (use csv, xlsx or json)", format)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", err
	}
	head = head[:n]
	// A workbook renamed to .csv is still a workbook; its first bytes say so.
	if bytes.HasPrefix(head, zipMagic) || bytes.HasPrefix(head, oleMagic) {
		return sniffFormat(head)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt", ".tsv":
		return FormatCSV, nil
	case ".xlsx", ".xlsm":
		return FormatXLSX, nil
	case ".json":
		return FormatJSON, nil
	case ".xls":
		return "", models.Errorf(models.ErrInvalid, "old Excel .xls files cannot be read: save the sheet as .xlsx or CSV and upload it again")
	}
	return sniffFormat(head)
}

func sniffFormat(head []byte) (string, error) {
	switch {
	case bytes.HasPrefix(head, zipMagic):
		return FormatXLSX, nil
	case bytes.HasPrefix(head, oleMagic):
		return "", models.Errorf(models.ErrInvalid, "this looks like an old Excel .xls file or a password-protected workbook, which cannot be read: save the sheet as .xlsx (without a password) or CSV and upload it again")
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return FormatJSON, nil
	}
	return FormatCSV, nil
}

// fileError builds the error for a file that cannot be read as a whole.
func fileError(format string, args ...any) error {
	return models.Errorf(models.ErrInvalid, format, args...)
}

// readerError is how a reader reports trouble it met at a given row; it keeps the row so
// the organiser knows where to look.
func readerError(row int, format string, args ...any) error {
	return models.Errorf(models.ErrInvalid, "row %d: %s", row, fmt.Sprintf(format, args...))
}
