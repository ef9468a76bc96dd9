package importer

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/vincula/vincula/models"
)

// TestFormulaCellsAreText: cells beginning with =, +, - or @, which a spreadsheet would
// run as formulas, are read as the text they are, from CSV and from XLSX; a real
// formula in a workbook is never evaluated (only the value Excel saved is read, and a
// workbook saved without one gives an empty cell).
func TestFormulaCellsAreText(t *testing.T) {
	fair := models.JobFair{ID: "fair-1", State: "MX-NLE"}
	titles := []string{`=HYPERLINK("http://evil.example","x")`, "+1 800 EVIL", "-2+3", "@SUM(A1:A2)"}
	header := []any{"Puesto", "RFC", "Empresa", "Estado", "Fecha de inicio", "Vacantes", "Descripción"}

	x := excelize.NewFile()
	defer x.Close()
	must(t, x.SetSheetRow("Sheet1", "A1", &header))
	for i, title := range titles {
		row := []any{title, "MNO120315AB1", "Maquiladora", "NLE", "2027-02-01", 2, "texto"}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		must(t, x.SetSheetRow("Sheet1", cell, &row))
		must(t, x.SetCellStr("Sheet1", cell, title)) // a text cell, as Excel saves a typed '=...
	}
	formulaCell, _ := excelize.CoordinatesToCellName(7, 2)
	must(t, x.SetCellFormula("Sheet1", formulaCell, "1+1"))
	xlsx := filepath.Join(t.TempDir(), "f.xlsx")
	must(t, x.SaveAs(xlsx))

	csv := "Puesto,RFC,Empresa,Estado,Fecha de inicio,Vacantes,Descripción\n"
	for _, title := range titles {
		csv += `"` + strings.ReplaceAll(title, `"`, `""`) + `",MNO120315AB1,Maquiladora,NLE,2027-02-01,2,"=1+1"` + "\n"
	}
	csvPath := writeFile(t, "f.csv", []byte(csv))

	for _, path := range []string{csvPath, xlsx} {
		rec := &recorder{rows: map[int]models.ImportRow{}}
		if _, err := Run(context.Background(), path, fair, Options{}, rec); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for i, title := range titles {
			v := rec.rows[i+2].Vacancy
			if v.Title != title {
				t.Errorf("%s row %d: title %q, want the text %q", filepath.Ext(path), i+2, v.Title, title)
			}
			if v.Description == "2" {
				t.Errorf("%s row %d: a formula was evaluated", filepath.Ext(path), i+2)
			}
		}
		if filepath.Ext(path) == ".csv" && rec.rows[2].Vacancy.Description != "=1+1" {
			t.Errorf("csv: description %q, want the text =1+1", rec.rows[2].Vacancy.Description)
		}
	}
}

// TestImportedRowsAreBounded: the API's bounds hold for imported rows, and a cell the
// domain rules already blame (hours_per_week beyond a week) gets one message, not two.
func TestImportedRowsAreBounded(t *testing.T) {
	fair := models.JobFair{ID: "fair-1", State: "MX-NLE"}
	csv := "Puesto,RFC,Empresa,Estado,Fecha de inicio,Vacantes,Horas por semana\n" +
		strings.Repeat("t", 201) + ",MNO120315AB1,Maquiladora,NLE,2027-02-01,2,40\n" +
		"Soldador A,MNO120315AB1,Maquiladora,NLE,2027-02-01,20000,40\n" +
		"Soldador B,MNO120315AB1,Maquiladora,NLE,2101-02-01,2,40\n" +
		"Soldador C,MNO120315AB1,Maquiladora,NLE,2027-02-01,2,200\n" +
		"Soldador D,MNO120315AB1,Maquiladora,NLE,2027-02-01,10000,168\n"
	rec := &recorder{rows: map[int]models.ImportRow{}}
	res, err := Run(context.Background(), writeFile(t, "b.csv", []byte(csv)), fair, Options{Mode: models.ImportValidRows}, rec)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{2: "Puesto", 3: "Vacantes", 4: "Fecha de inicio", 5: "Horas por semana"}
	got := map[int]string{}
	for _, e := range res.Errors {
		if _, dup := got[e.Row]; dup {
			t.Errorf("row %d blamed twice: %+v", e.Row, res.Errors)
		}
		got[e.Row] = e.Column
	}
	if len(got) != len(want) || res.Failed != len(want) {
		t.Fatalf("errors %+v, want rows %v", res.Errors, want)
	}
	for row, col := range want {
		if got[row] != col {
			t.Errorf("row %d: column %q blamed, want %q (%+v)", row, got[row], col, res.Errors)
		}
	}
	if _, ok := rec.rows[6]; !ok {
		t.Errorf("the row at the bounds was not imported: %+v", res.Errors)
	}
}
