package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// csvReader reads a CSV exported by Excel, LibreOffice or Google Sheets: UTF-8 with or
// without a byte-order mark, or Windows-1252 (what Excel on a Spanish Windows writes by
// default), separated by commas, semicolons (Excel where the decimal mark is a comma) or
// tabs.
type csvReader struct {
	cr      *csv.Reader
	header  []string
	row     int // spreadsheet row of the last record returned
	endLine int // physical line on which the last record ended
	closer  io.Closer
}

// newCSVReader reads the whole input once to learn its encoding (a Windows-1252 file
// may be plain ASCII for thousands of rows before its first "ñ"), seeks back and reads
// the header.
func newCSVReader(rs io.ReadSeeker) (*csvReader, error) {
	bom, valid, err := scanUTF8(rs)
	if err != nil {
		return nil, err
	}
	start := int64(0)
	if bom {
		start = int64(len(utf8BOM))
	}
	if _, err := rs.Seek(start, io.SeekStart); err != nil {
		return nil, err
	}
	var text io.Reader = rs
	if !valid {
		text = charmap.Windows1252.NewDecoder().Reader(rs)
	}
	br := bufio.NewReaderSize(text, 64<<10)
	cr := csv.NewReader(br)
	if sep, ok := sepLine(br); ok {
		cr.Comma = sep
	} else {
		cr.Comma = detectDelimiter(br)
	}
	// Hand-made CSVs often hold a stray quote (`pantalla de 5"`); reading it as text is
	// what the organiser meant.
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	r := &csvReader{cr: cr}
	for {
		_, cells, err := r.record()
		if err == io.EOF {
			return nil, fileError("the file is empty: the first row must name the columns")
		}
		if err != nil {
			return nil, err
		}
		if !blankRow(cells) {
			r.header = cells
			return r, nil
		}
	}
}

// Header returns the header cells.
func (r *csvReader) Header() []string { return r.header }

// Next returns the next record and its spreadsheet row.
func (r *csvReader) Next() (int, []string, error) { return r.record() }

// Close closes the underlying file, if the reader owns one.
func (r *csvReader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// record reads one record. The row number is counted the way a spreadsheet shows the
// file: a record whose quoted cell spans several lines is one row, and an empty line
// (which encoding/csv skips) is still a row.
func (r *csvReader) record() (int, []string, error) {
	rec, err := r.cr.Read()
	if err != nil {
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return 0, nil, readerError(r.row+1, "the CSV cannot be read (%v)", pe.Err)
		}
		return 0, nil, err
	}
	start, _ := r.cr.FieldPos(0)
	last := len(rec) - 1
	lastLine, _ := r.cr.FieldPos(last)
	end := lastLine + strings.Count(rec[last], "\n")
	r.row += 1 + max(0, start-r.endLine-1)
	r.endLine = end
	return r.row, rec, nil
}

// scanUTF8 reports whether the input starts with a UTF-8 byte-order mark and whether
// all of it is valid UTF-8, reading it in chunks so memory stays flat.
func scanUTF8(r io.Reader) (bom, valid bool, err error) {
	head := make([]byte, len(utf8BOM))
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return false, false, err
	}
	bom = bytes.Equal(head[:n], utf8BOM)
	r = io.MultiReader(bytes.NewReader(head[:n]), r)
	buf := make([]byte, 64<<10)
	carry := 0
	for {
		n, err := r.Read(buf[carry:])
		chunk := buf[:carry+n]
		if err == io.EOF {
			return bom, utf8.Valid(chunk), nil
		}
		if err != nil {
			return false, false, err
		}
		// Keep a rune cut by the end of the chunk for the next round.
		cut := len(chunk)
		for i := len(chunk) - 1; i >= 0 && i >= len(chunk)-utf8.UTFMax; i-- {
			if utf8.RuneStart(chunk[i]) {
				if !utf8.FullRune(chunk[i:]) {
					cut = i
				}
				break
			}
		}
		if !utf8.Valid(chunk[:cut]) {
			return bom, false, nil
		}
		carry = copy(buf, chunk[cut:])
	}
}

// sepLine reads the "sep=;" line Excel writes, and reads, at the top of a CSV to name
// its delimiter; Excel hides it, so the header still counts as row 1.
func sepLine(br *bufio.Reader) (rune, bool) {
	head, _ := br.Peek(7)
	if len(head) < 6 || !bytes.EqualFold(head[:4], []byte("sep=")) {
		return 0, false
	}
	n := 6
	switch {
	case head[5] == '\n':
	case head[5] == '\r' && len(head) == 7 && head[6] == '\n':
		n = 7
	default:
		return 0, false
	}
	sep := rune(head[4])
	if sep == '"' || sep == '\r' || sep == '\n' || sep >= utf8.RuneSelf {
		return 0, false
	}
	br.Discard(n)
	return sep, true
}

// detectDelimiter picks the separator that occurs most often, outside quotes, in the
// header line: a Spanish-locale Excel writes semicolons, others commas.
func detectDelimiter(br *bufio.Reader) rune {
	head, _ := br.Peek(br.Size())
	counts := map[byte]int{}
	quoted := false
	for _, c := range head {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		if c == ',' || c == ';' || c == '\t' {
			counts[c]++
		}
	}
	best, n := byte(','), counts[',']
	for _, c := range []byte{';', '\t'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best)
}

// blankRow reports whether every cell is empty or white space, as in the empty rows a
// spreadsheet often leaves at the end.
func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
