package importer

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/xuri/excelize/v2"
)

// numberedRow is a row as a reader returns it.
type numberedRow struct {
	Line  int
	Cells []string
}

// readAll opens path and returns its header and every row, blank ones included.
func readAll(t *testing.T, path string, opts Options) ([]string, []numberedRow) {
	t.Helper()
	rr, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { rr.Close() })
	var rows []numberedRow
	for {
		line, cells, err := rr.Next()
		if err == io.EOF {
			return rr.Header(), rows
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, numberedRow{line, cells})
	}
}

func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCSVReader(t *testing.T) {
	cases := []struct {
		name   string
		input  string
		header []string
		rows   []numberedRow
	}{
		{
			name:   "comma",
			input:  "Puesto,Estado\nAlbañil,Nuevo León\n",
			header: []string{"Puesto", "Estado"},
			rows:   []numberedRow{{2, []string{"Albañil", "Nuevo León"}}},
		},
		{
			name:   "semicolon, with commas in the amounts",
			input:  "Puesto;Salario\r\nAlbañil;12,000.00\r\n",
			header: []string{"Puesto", "Salario"},
			rows:   []numberedRow{{2, []string{"Albañil", "12,000.00"}}},
		},
		{
			name:   "tab",
			input:  "Puesto\tSalario\nAlbañil\t12,000\n",
			header: []string{"Puesto", "Salario"},
			rows:   []numberedRow{{2, []string{"Albañil", "12,000"}}},
		},
		{
			name:   "semicolons outside quotes win over commas inside",
			input:  "\"Salario, MXN\";\"Puesto, nombre\";Estado\n1;2;3\n",
			header: []string{"Salario, MXN", "Puesto, nombre", "Estado"},
			rows:   []numberedRow{{2, []string{"1", "2", "3"}}},
		},
		{
			name:   "UTF-8 byte-order mark",
			input:  "\xef\xbb\xbfPuesto,Estado\nAlbañil,Querétaro\n",
			header: []string{"Puesto", "Estado"},
			rows:   []numberedRow{{2, []string{"Albañil", "Querétaro"}}},
		},
		{
			name:   "Windows-1252",
			input:  "Puesto;Descripci\xf3n\nAlba\xf1il;Construcci\xf3n \x96 obra negra \x80\n",
			header: []string{"Puesto", "Descripción"},
			rows:   []numberedRow{{2, []string{"Albañil", "Construcción – obra negra €"}}},
		},
		{
			name:   "rows count as a spreadsheet shows them",
			input:  "A,B\n1,\"two\nlines\"\n\n3,x\n,\n\"\"\"q\"\"\",5\n",
			header: []string{"A", "B"},
			rows: []numberedRow{
				{2, []string{"1", "two\nlines"}},
				{4, []string{"3", "x"}},
				{5, []string{"", ""}},
				{6, []string{`"q"`, "5"}},
			},
		},
		{
			name:   "empty lines before the header",
			input:  "\n\nA,B\n1,2\n",
			header: []string{"A", "B"},
			rows:   []numberedRow{{4, []string{"1", "2"}}},
		},
		{
			name:   "a stray quote is text",
			input:  "A,B\npantalla de 5\",2\n",
			header: []string{"A", "B"},
			rows:   []numberedRow{{2, []string{`pantalla de 5"`, "2"}}},
		},
		{
			name:   "short and long rows",
			input:  "A,B,C\n1\n1,2,3,4\n",
			header: []string{"A", "B", "C"},
			rows:   []numberedRow{{2, []string{"1"}}, {3, []string{"1", "2", "3", "4"}}},
		},
		{
			name:   "Excel's sep= line names the delimiter and is not a row",
			input:  "sep=;\r\nA,1;B\r\nx,2;y\r\n",
			header: []string{"A,1", "B"},
			rows:   []numberedRow{{2, []string{"x,2", "y"}}},
		},
		{
			name:   "header only",
			input:  "A,B\n",
			header: []string{"A", "B"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			header, rows := readAll(t, writeFile(t, "f.csv", []byte(tc.input)), Options{})
			if !reflect.DeepEqual(header, tc.header) {
				t.Errorf("header %q, want %q", header, tc.header)
			}
			if !reflect.DeepEqual(rows, tc.rows) {
				t.Errorf("rows %v, want %v", rows, tc.rows)
			}
		})
	}
}

// The encoding is decided from the whole file, not its start: a Windows-1252 export is
// often plain ASCII until a name with an accent far down the sheet, and a UTF-8 file
// must not be mistaken for Windows-1252 because a two-byte letter straddles the end of
// a read buffer.
func TestCSVEncodingFromWholeFile(t *testing.T) {
	filler := func(n int) string {
		var b strings.Builder
		b.WriteString("A,B\n")
		for b.Len() < n {
			b.WriteString("aaaaaaaaaa,bbbbbbbbbb\n")
		}
		return b.String()
	}
	t.Run("late Windows-1252 byte", func(t *testing.T) {
		in := filler(200_000) + "Se\xf1alero,x\n"
		_, rows := readAll(t, writeFile(t, "f.csv", []byte(in)), Options{})
		if got := rows[len(rows)-1].Cells[0]; got != "Señalero" {
			t.Errorf("last cell %q, want Señalero", got)
		}
	})
	t.Run("UTF-8 letter across every buffer boundary", func(t *testing.T) {
		// Slide the two bytes of ñ across the 64 KiB mark, one offset at a time,
		// wherever the reads happen to split the file.
		for at := 64<<10 - 8; at < 64<<10+8; at++ {
			base := filler(0)
			in := base + strings.Repeat("a", at-len(base)-3) + ",x\nñ,y\n"
			if i := strings.Index(in, "ñ"); i != at {
				t.Fatalf("ñ at %d, want %d", i, at)
			}
			_, rows := readAll(t, writeFile(t, "f.csv", []byte(in)), Options{})
			if got := rows[len(rows)-1].Cells[0]; got != "ñ" {
				t.Errorf("ñ at %d: last cell %q, want ñ", at, got)
			}
		}
	})
}

func TestJSONReader(t *testing.T) {
	cases := []struct {
		name   string
		input  string
		header []string
		rows   []numberedRow
	}{
		{
			name:   "keys of every object, in order of first appearance",
			input:  `[{"a": "1", "b": 2}, {"c": true, "a": null}, {}]`,
			header: []string{"a", "b", "c"},
			rows: []numberedRow{
				{1, []string{"1", "2", ""}},
				{2, []string{"", "", "true"}},
				{3, []string{"", "", ""}},
			},
		},
		{
			name:   "numbers keep their text",
			input:  "\xef\xbb\xbf" + `[{"salario": 12000.50, "serie": 46054, "grande": 1e3}]`,
			header: []string{"salario", "serie", "grande"},
			rows:   []numberedRow{{1, []string{"12000.50", "46054", "1e3"}}},
		},
		{
			name:   "lists",
			input:  `[{"skills": ["torno", {"name": "soldadura", "required": true}, {"name": "pintura", "required": false}], "languages": [{"code": "en", "level": "B1"}], "odd": {"x": 1}, "mixed": [1, [2]]}]`,
			header: []string{"skills", "languages", "odd", "mixed"},
			rows:   []numberedRow{{1, []string{"torno; soldadura*; pintura", "en:B1", `{"x": 1}`, "[1, [2]]"}}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			header, rows := readAll(t, writeFile(t, "f.json", []byte(tc.input)), Options{})
			if !reflect.DeepEqual(header, tc.header) {
				t.Errorf("header %q, want %q", header, tc.header)
			}
			if !reflect.DeepEqual(rows, tc.rows) {
				t.Errorf("rows %v, want %v", rows, tc.rows)
			}
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	cases := []struct {
		name, file, content string
		opts                Options
		err                 string
	}{
		{name: "empty CSV", file: "f.csv", content: "", err: "the file is empty: the first row must name the columns"},
		{name: "blank CSV", file: "f.csv", content: "\n ,  \n", err: "the file is empty: the first row must name the columns"},
		{name: "JSON object", file: "f.json", content: `{"a": 1}`, err: "the JSON file must be an array of objects, one per vacancy, and it does not start with ["},
		{name: "JSON item not an object", file: "f.json", content: `[{"a": 1}, 5]`, err: `row 2: item 2 of the array is not an object; each vacancy must be an object such as {"title": "..."}`},
		{name: "JSON cut short", file: "f.json", content: `[{"a": 1}, {"a": `, err: "row 2: the JSON cannot be read (it ends too early)"},
		{name: "JSON empty array", file: "f.json", content: `[]`, err: "the JSON file holds no objects with fields: it must be an array of objects, one per vacancy"},
		{name: "not JSON", file: "f.json", content: `hola`, err: "the file is not valid JSON (invalid character 'h' looking for beginning of value, at byte 1): it must be an array of objects, one per vacancy"},
		{name: "old xls", file: "f.xls", content: "whatever", err: "old Excel .xls files cannot be read: save the sheet as .xlsx or CSV and upload it again"},
		{name: "OLE content", file: "upload", content: string(oleMagic) + "rest", err: "this looks like an old Excel .xls file or a password-protected workbook, which cannot be read: save the sheet as .xlsx (without a password) or CSV and upload it again"},
		{name: "not a zip", file: "f.xlsx", content: "Puesto,Estado\n", err: "the file is not a readable XLSX workbook (it is not a zip archive); save it again from Excel as .xlsx, or export it as CSV"},
		{name: "unknown format", file: "f.csv", opts: Options{Format: "ods"}, content: "a", err: `unknown file format "ods" (use csv, xlsx or json)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rr, err := Open(writeFile(t, tc.file, []byte(tc.content)), tc.opts)
			if err == nil {
				// Some problems only show when the rows are read.
				for err == nil {
					_, _, err = rr.Next()
				}
				rr.Close()
				if err == io.EOF {
					t.Fatalf("no error, want %q", tc.err)
				}
			}
			if err.Error() != tc.err {
				t.Errorf("error %q, want %q", err, tc.err)
			}
			if !errors.Is(err, models.ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
		})
	}
}

func TestSniffFormat(t *testing.T) {
	cases := []struct{ head, want string }{
		{"PK\x03\x04rest", FormatXLSX},
		{"  \n[{\"a\":1}]", FormatJSON},
		{"\xef\xbb\xbf[", FormatJSON},
		{"Puesto,Estado", FormatCSV},
		{"", FormatCSV},
	}
	for _, tc := range cases {
		t.Run(tc.want+" "+tc.head, func(t *testing.T) {
			got, err := sniffFormat([]byte(tc.head))
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	// A workbook renamed to .csv is read as a workbook.
	wb, err := os.ReadFile("testdata/vacantes_feria.xlsx")
	must(t, err)
	header, _ := readAll(t, writeFile(t, "vacantes.csv", wb), Options{})
	if len(header) != 19 || header[0] != "ID externo" {
		t.Errorf("renamed workbook: header %q", header)
	}
	// Without an extension the content decides.
	path := writeFile(t, "upload", []byte(`[{"Puesto": "Albañil"}]`))
	header, rows := readAll(t, path, Options{})
	if !reflect.DeepEqual(header, []string{"Puesto"}) || len(rows) != 1 {
		t.Errorf("header %v, rows %v", header, rows)
	}
}

func TestXLSXReader(t *testing.T) {
	t.Run("raw values and spreadsheet row numbers", func(t *testing.T) {
		header, rows := readAll(t, "testdata/vacantes_feria.xlsx", Options{})
		if header[0] != "ID externo" || header[15] != "Fecha de inicio" || len(header) != 19 {
			t.Errorf("header %q", header)
		}
		var lines []int
		for _, r := range rows {
			lines = append(lines, r.Line)
		}
		if want := []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}; !reflect.DeepEqual(lines, want) {
			t.Errorf("lines %v, want %v", lines, want)
		}
		// A date cell is read as its serial number, a number cell as the number.
		if got := rows[0].Cells[15]; got != "46054" {
			t.Errorf("date cell %q, want 46054", got)
		}
		if got := rows[0].Cells[12]; got != "9500" {
			t.Errorf("number cell %q, want 9500", got)
		}
		if len(rows[10].Cells) != 0 {
			t.Errorf("row 12 is %q, want empty", rows[10].Cells)
		}
	})
	t.Run("named sheet, ignoring case and accents", func(t *testing.T) {
		header, rows := readAll(t, "testdata/vacantes_feria.xlsx", Options{Sheet: "NOTAS"})
		if !reflect.DeepEqual(header, []string{"Llenar una fila por vacante."}) || len(rows) != 0 {
			t.Errorf("header %v, rows %v", header, rows)
		}
	})
	t.Run("missing sheet", func(t *testing.T) {
		_, err := Open("testdata/vacantes_feria.xlsx", Options{Sheet: "Hoja1"})
		want := `the workbook has no sheet "Hoja1" (its sheets are "Vacantes", "Notas")`
		if err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
	})
	t.Run("1904 date system", func(t *testing.T) {
		f := excelize.NewFile()
		defer f.Close()
		yes := true
		must(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}))
		must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"Puesto", "RFC", "Empresa", "Estado", "Fecha de inicio", "Vacantes"}))
		must(t, f.SetSheetRow("Sheet1", "A2", &[]any{"Soldador", "MNO120315AB1", "Maquiladora", "NLE", 44592, 2}))
		path := filepath.Join(t.TempDir(), "mac.xlsx")
		must(t, f.SaveAs(path))
		rec := &recorder{rows: map[int]models.ImportRow{}}
		if _, err := Run(context.Background(), path, fair, Options{}, rec); err != nil {
			t.Fatal(err)
		}
		if got := rec.rows[2].Vacancy.StartDate.String(); got != "2026-02-01" {
			t.Errorf("start date %s, want 2026-02-01", got)
		}
	})
	t.Run("leading empty rows", func(t *testing.T) {
		f := excelize.NewFile()
		defer f.Close()
		must(t, f.SetCellValue("Sheet1", "B3", "Puesto"))
		must(t, f.SetCellValue("Sheet1", "B4", "Albañil"))
		must(t, f.SetCellValue("Sheet1", "A6", true))
		path := filepath.Join(t.TempDir(), "f.xlsx")
		must(t, f.SaveAs(path))
		header, rows := readAll(t, path, Options{})
		want := []numberedRow{{4, []string{"", "Albañil"}}, {5, nil}, {6, []string{"1"}}}
		if !reflect.DeepEqual(header, []string{"", "Puesto"}) || !reflect.DeepEqual(rows, want) {
			t.Errorf("header %v, rows %v; want rows %v", header, rows, want)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFormatError(t *testing.T) {
	cases := []struct {
		in   models.ImportError
		want string
	}{
		{models.ImportError{Row: 7, Column: "Fecha de inicio", Message: `"31/02/2026" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
			`row 7, column "Fecha de inicio": "31/02/2026" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
		{models.ImportError{Row: 9, Message: "duplicates row 2"}, "row 9: duplicates row 2"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			if got := FormatError(tc.in); got != tc.want {
				t.Errorf("got %q", got)
			}
		})
	}
}
