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
