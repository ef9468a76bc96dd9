package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/vincula/vincula/models"
	"github.com/xuri/excelize/v2"
)

// fuzzHeader is a header with every column, used to push fuzzed cells through the
// value parsers and the API's validation whatever header the fuzzed file has.
var fuzzHeader = func() []string {
	h := make([]string, numColumns)
	for i, spec := range columnSpecs {
		h[i] = spec.name
	}
	return h
}()

// fuzzRows reads every row of rr (at most limit), checking what must hold for any
// input: rows are numbered upwards, cells are valid UTF-8, errors are domain errors,
// and parsing a row never panics.
func fuzzRows(t *testing.T, rr RowReader, limit int) {
	t.Helper()
	l, _, err := newLayout(fuzzHeader)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range rr.Header() {
		if !utf8.ValidString(h) {
			t.Fatalf("header cell %q is not UTF-8", h)
		}
	}
	_, _, _ = newLayout(rr.Header())
	last := 0
	for range limit {
		line, cells, err := rr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if !errors.Is(err, models.ErrInvalid) {
				t.Fatalf("Next: %v is not ErrInvalid", err)
			}
			return
		}
		if line <= last {
			t.Fatalf("row %d after row %d", line, last)
		}
		last = line
		for _, c := range cells {
			if !utf8.ValidString(c) {
				t.Fatalf("row %d: cell %q is not UTF-8", line, c)
			}
		}
		if !blankRow(cells) {
			l.parseRow(line, cells, "fair")
		}
	}
}

func FuzzCSVReader(f *testing.F) {
	for _, seed := range []string{
		"Puesto,Estado\nAlbañil,Nuevo León\n",
		"Puesto;Salario\r\nAlba\xf1il;12,000.00\r\n",
		"\xef\xbb\xbfA,B\n1,\"two\nlines\"\n\n3,x\n",
		"A\tB\n\"\"\"q\"\"\",5\n",
		"title,rfc,employer_name,state,start_date,positions,salary_min,salary_max,languages,skills\n" +
			"Soldador,MNO120315AB1,Maquiladora,NLE,46054,3,\"$12,000\",9000,\"inglés B1; es:native\",torno*|soldadura (requerida)\n",
		"\"unterminated,quote\n",
	} {
		f.Add([]byte(seed))
	}
	for _, name := range []string{"testdata/vacantes_cp1252.csv", "testdata/vacancies_utf8_bom.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := newCSVReader(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, models.ErrInvalid) {
				t.Fatalf("newCSVReader: %v is not ErrInvalid", err)
			}
			return
		}
		defer r.Close()
		fuzzRows(t, r, len(data)+1)
	})
}

// fuzzXLSXLimit keeps each fuzzed workbook small to inflate, so the fuzzer spends its
// time on the parser and not on a valid bomb.
const fuzzXLSXLimit = 8 << 20

func FuzzXLSXReader(f *testing.F) {
	small := func(rows [][]any) []byte {
		x := excelize.NewFile()
		defer x.Close()
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := x.SetSheetRow("Sheet1", cell, &row); err != nil {
				f.Fatal(err)
			}
		}
		buf, err := x.WriteToBuffer()
		if err != nil {
			f.Fatal(err)
		}
		return buf.Bytes()
	}
	f.Add(small([][]any{{"Puesto", "Estado"}, {"Albañil", "Nuevo León"}}))
	f.Add(small([][]any{{"title", "start_date", "positions"}, {"Soldador", 46054, 3}, {}, {"Pintor", "01/02/2026", true}}))
	f.Add(small(nil))
	b, err := os.ReadFile("testdata/vacantes_feria.xlsx")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := newXLSXReader(bytes.NewReader(data), int64(len(data)), "", fuzzXLSXLimit)
		if err != nil {
			if !errors.Is(err, models.ErrInvalid) {
				t.Fatalf("newXLSXReader: %v is not ErrInvalid", err)
			}
			return
		}
		defer r.Close()
		// A sheet may number a row 1,048,576 with nothing before it; reading the empty
		// rows in between is correct but slow for a fuzzer.
		fuzzRows(t, r, 1<<14)
	})
}

// FuzzXLSXSheet fuzzes what FuzzXLSXReader cannot reach: a mutated zip almost always
// fails its checksums and is refused before excelize parses any XML. Here the fuzzer
// writes the worksheet and shared-strings XML, and the test wraps them in a workbook
// whose zip is sound, so the row parser itself meets malformed XML, absurd row numbers
// and dangling shared-string references.
func FuzzXLSXSheet(f *testing.F) {
	base := workbookParts(f, testWorkbook(f))
	f.Add(base["xl/worksheets/sheet1.xml"], base["xl/sharedStrings.xml"])
	f.Add([]byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Puesto</t></is></c><c r="B1" t="s"><v>0</v></c></row>`+
		`<row r="1048576"><c r="XFD1048576" t="b"><v>1</v></c></row></sheetData></worksheet>`),
		[]byte(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Fecha de inicio</t></si></sst>`))
	f.Add([]byte(`<worksheet><sheetData><row><c t="s"><v>99</v></c><c t="d"><v>2026-02-01T00:00:00</v></c><c t="e"><v>#N/A</v></c></row></sheetData></worksheet>`), []byte(`<sst/>`))
	f.Fuzz(func(t *testing.T, sheet, sst []byte) {
		parts := map[string][]byte{}
		for name, data := range base {
			parts[name] = data
		}
		parts["xl/worksheets/sheet1.xml"] = sheet
		parts["xl/sharedStrings.xml"] = sst
		data := storedZip(t, parts)
		r, err := newXLSXReader(bytes.NewReader(data), int64(len(data)), "", fuzzXLSXLimit)
		if err != nil {
			if !errors.Is(err, models.ErrInvalid) {
				t.Fatalf("newXLSXReader: %v is not ErrInvalid", err)
			}
			return
		}
		defer r.Close()
		fuzzRows(t, r, 1<<14)
	})
}

// testWorkbook is a small workbook with shared strings, numbers and a date.
func testWorkbook(f *testing.F) []byte {
	x := excelize.NewFile()
	defer x.Close()
	for i, row := range [][]any{{"Puesto", "Fecha de inicio", "Vacantes"}, {"Albañil", 46054, 3}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &row); err != nil {
			f.Fatal(err)
		}
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

// workbookParts unzips a workbook into its parts.
func workbookParts(f *testing.F, data []byte) map[string][]byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		f.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			f.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			f.Fatal(err)
		}
		parts[zf.Name] = b
	}
	return parts
}

// storedZip zips parts without compression, which is quick and keeps sizes honest.
func storedZip(t *testing.T, parts map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
