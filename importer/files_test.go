package importer

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vincula/vincula/models"
)

// rowSummary is what the file tests check of an imported row, written flat so that
// the expected values read as the spreadsheet does.
type rowSummary struct {
	Key, Employer, RFC, EmployerState  string
	Title, Description, Occupation     string
	Skills, Languages                  string
	Experience                         float64
	Education, State, Municipality     string
	SalaryMin, SalaryMax               string
	Positions                          int
	Start, End                         string
	Relocation                         bool
	Status, EmployerID, JobFair, ExtID string
}

func summarise(r models.ImportRow) rowSummary {
	v := r.Vacancy
	var skills, langs []string
	for _, s := range v.Skills {
		if s.Required {
			skills = append(skills, s.Name+"*")
		} else {
			skills = append(skills, s.Name)
		}
	}
	for _, l := range v.Languages {
		langs = append(langs, l.Code+":"+l.Level)
	}
	money := func(p *int) string {
		if p == nil {
			return "-"
		}
		return strconv.Itoa(*p)
	}
	return rowSummary{
		Key: r.Key, Employer: r.Employer.Name, RFC: r.Employer.RFC, EmployerState: r.Employer.State,
		Title: v.Title, Description: v.Description, Occupation: v.OccupationCode,
		Skills: strings.Join(skills, "; "), Languages: strings.Join(langs, "; "),
		Experience: v.MinExperienceYears, Education: v.EducationLevel, State: v.State,
		Municipality: v.Municipality, SalaryMin: money(v.SalaryMin), SalaryMax: money(v.SalaryMax),
		Positions: v.Positions, Start: v.StartDate.String(), End: v.EndDate.String(),
		Relocation: v.RelocationSupport, Status: string(v.Status), EmployerID: v.EmployerID,
		JobFair: v.JobFairID, ExtID: v.ExternalID,
	}
}

// recorder is a Target that keeps every row it is given, by line.
type recorder struct{ rows map[int]models.ImportRow }

func (r *recorder) ImportBatch(_ context.Context, _ string, rows []models.ImportRow) (int, int, error) {
	for _, row := range rows {
		r.rows[row.Line] = row
	}
	return len(rows), 0, nil
}

// The content key of row 2 of vacantes_cp1252.csv, computed outside Go with
//
//	printf 'v1\x1fCMZ030303DD3\x1fsenalero\x1fMX-ZAC\x1ffresnillo\x1f2026-02-01' | sha256sum
const senaleroKey = "442383e35df20abb0ea4ebf0bccb4c641f4c504d9c0fab213dfc0ccb7e353f6f"

func TestTestFiles(t *testing.T) {
	const notDate = " is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
	const notState = " is not a Mexican state (write its name, like Nuevo León, or its code, like MX-NLE)"
	cases := []struct {
		file        string
		total       int
		unknown     []string
		errors      []models.ImportError
		rows        map[int]rowSummary // some good rows, by line
		writtenRows []int
	}{
		{
			file:    "vacantes_feria.xlsx",
			total:   11,
			unknown: []string{"Observaciones"},
			errors: []models.ImportError{
				{Row: 5, Column: "Fecha de inicio", Message: `"31/02/2026"` + notDate},
				{Row: 6, Column: "Salario máximo (MXN)", Message: `12000 is less than "Salario mínimo (MXN)" (15000)`},
				{Row: 7, Column: "Estado", Message: `"Texas"` + notState},
				{Row: 8, Column: "Vacantes", Message: `"0": must be at least 1`},
				{Row: 9, Column: "Puesto", Message: "is empty; every vacancy needs it"},
				{Row: 10, Column: "RFC", Message: `"ABC123": has 6 characters; an RFC has 12 (a company) or 13 (a person)`},
			},
			writtenRows: []int{2, 3, 4, 11, 13},
			rows: map[int]rowSummary{
				// A real date cell, stored as serial 46054.
				2: {Key: "F-001", Employer: "Maquiladora del Norte S.A. de C.V.", RFC: "MNO120315AB1", EmployerState: "MX-NLE",
					Title: "Operador de producción", Description: "Operación de máquinas de ensamble", Occupation: "8189",
					Skills: "ensamble*; lectura de planos; montacargas", Languages: "es:native; en:A2", Experience: 1,
					Education: "secondary", State: "MX-NLE", Municipality: "Apodaca", SalaryMin: "9500", SalaryMax: "12000",
					Positions: 25, Start: "2026-02-01", Relocation: true, Status: "open",
					EmployerID: "rfc:MNO120315AB1", JobFair: "fair-mty", ExtID: "F-001"},
				// Text dates in DD/MM/YYYY, a lower-case RFC, amounts typed with $ and commas.
				3: {Key: "F-002", Employer: "Construcciones Pacífico", RFC: "CPA050607RT3", EmployerState: "MX-NLE",
					Title: "Albañil", Description: "Obra negra y acabados", Occupation: "7112",
					Skills: "albañilería*; acabados", Experience: 2, Education: "primary", State: "MX-NLE",
					Municipality: "Monterrey", SalaryMin: "12000", SalaryMax: "15000", Positions: 10,
					Start: "2026-03-15", End: "2026-06-30", Status: "open",
					EmployerID: "rfc:CPA050607RT3", JobFair: "fair-mty", ExtID: "F-002"},
				4: {Key: "F-003", Employer: "Hotel Riviera Maya", RFC: "HRI990101XY2", EmployerState: "MX-ROO",
					Title: "Recamarista", Description: "Limpieza de habitaciones", Occupation: "9112",
					Skills: "limpieza*", Languages: "en:B1", Education: "upper_secondary", State: "MX-ROO",
					Municipality: "Benito Juárez", SalaryMin: "8000", SalaryMax: "9000", Positions: 5,
					Start: "2026-04-01", Relocation: true, Status: "open",
					EmployerID: "rfc:HRI990101XY2", JobFair: "fair-mty", ExtID: "F-003"},
				// "Edo. de México", and two date cells (46100 and 46387).
				11: {Key: "F-010", Employer: "Alimentos del Centro", RFC: "ACE020202BB2", EmployerState: "MX-MEX",
					Title: "Ayudante de cocina", Description: "Preparación de alimentos", Occupation: "9412",
					Education: "none", State: "MX-MEX", Municipality: "Toluca", SalaryMin: "7800", SalaryMax: "9000",
					Positions: 8, Start: "2026-03-19", End: "2026-12-31", Status: "open",
					EmployerID: "rfc:ACE020202BB2", JobFair: "fair-mty", ExtID: "F-010"},
				// After an empty spreadsheet row: the serial typed as a plain number
				// (46113), "CDMX", and relocation written as 1.
				13: {Key: "F-011", Employer: "Servicios Urbanos", RFC: "SUR111111CC1", EmployerState: "MX-CMX",
					Title: "Guardia de seguridad", Description: "Vigilancia", Occupation: "5414", Experience: 1,
					Education: "secondary", State: "MX-CMX", Municipality: "Iztapalapa", SalaryMin: "9000", SalaryMax: "10500",
					Positions: 12, Start: "2026-04-01", Relocation: true, Status: "open",
					EmployerID: "rfc:SUR111111CC1", JobFair: "fair-mty", ExtID: "F-011"},
			},
		},
		{
			file:  "vacantes_cp1252.csv",
			total: 10,
			errors: []models.ImportError{
				{Row: 5, Column: "Fecha de inicio", Message: `"32/03/2026"` + notDate},
				{Row: 6, Column: "Sueldo máximo", Message: `9000 is less than "Sueldo mínimo" (10000)`},
				{Row: 7, Column: "Entidad", Message: `"Potosí"` + notState},
				{Row: 8, Column: "Número de vacantes", Message: `"0": must be at least 1`},
				{Row: 9, Column: "Nombre del puesto", Message: "is empty; every vacancy needs it"},
				{Row: 10, Column: "RFC", Message: `"PLE": has 3 characters; an RFC has 12 (a company) or 13 (a person)`},
				// Row 11 writes row 2's date as 2026-02-01 instead of 01/02/2026: the
				// same vacancy.
				{Row: 11, Message: `duplicates row 2: both have the same "RFC", "Nombre del puesto", "Entidad", "Ciudad" and "Fecha de inicio"; if they are different vacancies, add an "ID externo" column and give each its own`},
			},
			writtenRows: []int{2, 3, 4},
			rows: map[int]rowSummary{
				2: {Key: senaleroKey, Employer: "Compañía Minera de Zacatecas", RFC: "CMZ030303DD3", EmployerState: "MX-ZAC",
					Title: "Señalero", Description: "Señalización en mina a cielo abierto",
					Skills: "seguridad industrial*; primeros auxilios; radio", Languages: "es:native", Experience: 1,
					Education: "secondary", State: "MX-ZAC", Municipality: "Fresnillo", SalaryMin: "12000", SalaryMax: "14500",
					Positions: 6, Start: "2026-02-01", Relocation: true, Status: "open",
					EmployerID: "rfc:CMZ030303DD3", JobFair: "fair-mty", ExtID: senaleroKey},
				// D/M/YYYY and DD-MM-YYYY dates, amounts with a space as thousands
				// separator, a quoted cell holding the delimiter.
				3: {Key: "d260f5328469a89ba520bcbc04310de67fb3e36a01d8d512e6c141a6a15c137f", Employer: "Compañía Minera de Zacatecas",
					RFC: "CMZ030303DD3", EmployerState: "MX-ZAC", Title: "Mecánico diésel",
					Description: "Mantenimiento de camiones; motores", Skills: "mecánica diésel*", Languages: "en:A2",
					Experience: 3, Education: "technical", State: "MX-ZAC", Municipality: "Fresnillo",
					SalaryMin: "15000", SalaryMax: "18000", Positions: 3, Start: "2026-03-01", End: "2026-12-31",
					Relocation: true, Status: "open", EmployerID: "rfc:CMZ030303DD3", JobFair: "fair-mty",
					ExtID: "d260f5328469a89ba520bcbc04310de67fb3e36a01d8d512e6c141a6a15c137f"},
			},
		},
		{
			file:    "vacancies_utf8_bom.csv",
			total:   10,
			unknown: []string{"notes"},
			errors: []models.ImportError{
				{Row: 4, Column: "start_date", Message: `"2026-13-01"` + notDate},
				{Row: 5, Column: "salary_max", Message: `15000 is less than "salary_min" (20000)`},
				{Row: 6, Column: "state", Message: `"Baja Californa"` + notState},
				{Row: 7, Column: "positions", Message: `"0": must be at least 1`},
				{Row: 8, Column: "title", Message: "is empty; every vacancy needs it"},
				{Row: 9, Column: "rfc", Message: `"CCG151305KK7": the date 151305 (characters 4 to 9) is not a real date`},
				{Row: 10, Column: "external_id", Message: `duplicates row 3: "E-101" is already its "external_id"; give each vacancy its own, or delete the repeated row`},
			},
			writtenRows: []int{2, 3, 12},
			rows: map[int]rowSummary{
				// The description spans two lines of the file but is one row.
				2: {Key: "E-100", Employer: "Electrónica Fronteriza, S.A. de C.V.", RFC: "EFR150505GG5", EmployerState: "MX-BCN",
					Title: "Ensamblador", Description: "Ensamble de tarjetas.\nTurno mixto.",
					Skills: "soldadura de estaño*; inspección visual", Languages: "es:native; en:B1", Experience: 1,
					Education: "upper_secondary", State: "MX-BCN", Municipality: "Tijuana", SalaryMin: "10500", SalaryMax: "12500",
					Positions: 40, Start: "2026-02-09", End: "2026-08-09", Relocation: true, Status: "open",
					EmployerID: "rfc:EFR150505GG5", JobFair: "fair-mty", ExtID: "E-100"},
				3: {Key: "E-101", Employer: "Electrónica Fronteriza, S.A. de C.V.", RFC: "EFR150505GG5", EmployerState: "MX-BCN",
					Title: "Técnico de calidad", Description: "Inspección de producto terminado",
					Skills: "metrología*; control de calidad", Languages: "en:B2", Experience: 2.5,
					Education: "technical", State: "MX-BCN", Municipality: "Tijuana", SalaryMin: "14000", SalaryMax: "17000",
					Positions: 3, Start: "2026-02-16", Relocation: true, Status: "paused",
					EmployerID: "rfc:EFR150505GG5", JobFair: "fair-mty", ExtID: "E-101"},
				// After an empty line: the employer's own state differs from the job's.
				12: {Key: "E-108", Employer: "Call Center Global", RFC: "CCG150505KK7", EmployerState: "MX-BCS",
					Title: "Supervisor de turno", Description: "Supervisión de agentes", Skills: "liderazgo",
					Languages: "en:C1; fr:B2", Experience: 3, Education: "university", State: "MX-BCS",
					Municipality: "La Paz", SalaryMin: "18000", SalaryMax: "22000", Positions: 1, Start: "2026-03-16",
					Status: "closed", EmployerID: "rfc:CCG150505KK7", JobFair: "fair-mty", ExtID: "E-108"},
			},
		},
		{
			file:    "vacantes.json",
			total:   9,
			unknown: []string{"comentario"},
			errors: []models.ImportError{
				{Row: 3, Column: "fecha de inicio", Message: `"2026-02-30"` + notDate},
				{Row: 4, Column: "salario máximo", Message: `10000 is less than "salario_minimo" (12000)`},
				{Row: 5, Column: "estado", Message: `"Sinaloa del Norte"` + notState},
				{Row: 6, Column: "vacantes", Message: `"0": must be at least 1`},
				{Row: 7, Column: "puesto", Message: "is empty; every vacancy needs it"},
				{Row: 8, Column: "rfc", Message: `"GPA13131": has 8 characters; an RFC has 12 (a company) or 13 (a person)`},
			},
			writtenRows: []int{1, 2, 9},
			rows: map[int]rowSummary{
				// Numbers, a boolean, arrays of skills and of API-shaped languages.
				1: {Key: "J-1", Employer: "Hortalizas de Sinaloa", RFC: "HSI121212HH2", EmployerState: "MX-SIN",
					Title: "Cortador de tomate", Skills: "cosecha*; empaque", Languages: "es:native",
					Education: "primary", State: "MX-SIN", Municipality: "Culiacán", SalaryMin: "8000", SalaryMax: "9000",
					Positions: 50, Start: "2026-03-02", Relocation: true, Status: "open",
					EmployerID: "rfc:HSI121212HH2", JobFair: "fair-mty", ExtID: "J-1"},
				// The same fields as strings, a numeric folio and an Excel serial end
				// date (46295).
				2: {Key: "2", Employer: "Hortalizas de Sinaloa", RFC: "HSI121212HH2", EmployerState: "MX-SIN",
					Title: "Tractorista", Skills: "manejo de tractor*; mecánica básica", Languages: "es:native",
					Experience: 2, Education: "secondary", State: "MX-SIN", Municipality: "Navolato",
					SalaryMin: "11000", SalaryMax: "13500", Positions: 4, Start: "2026-03-16", End: "2026-09-30",
					Status: "open", EmployerID: "rfc:HSI121212HH2", JobFair: "fair-mty", ExtID: "2"},
				9: {Key: "J-9", Employer: "Granjas del Pacífico", RFC: "GPA130313LL3", EmployerState: "MX-SIN",
					Title: "Velador", Education: "secondary", State: "MX-SIN", SalaryMin: "-", SalaryMax: "-",
					Positions: 1, Start: "2026-03-09", Status: "open",
					EmployerID: "rfc:GPA130313LL3", JobFair: "fair-mty", ExtID: "J-9"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			rec := &recorder{rows: map[int]models.ImportRow{}}
			fair := models.JobFair{ID: "fair-mty"}
			res, err := Run(context.Background(), "testdata/"+tc.file, fair, Options{Mode: models.ImportValidRows}, rec)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if res.TotalRows != tc.total || res.Failed != len(tc.errors) || res.ProcessedRows != tc.total {
				t.Errorf("total %d, failed %d, processed %d; want %d, %d, %d", res.TotalRows, res.Failed, res.ProcessedRows, tc.total, len(tc.errors), tc.total)
			}
			if !reflect.DeepEqual(res.UnknownColumns, tc.unknown) {
				t.Errorf("unknown columns %q, want %q", res.UnknownColumns, tc.unknown)
			}
			if !reflect.DeepEqual(res.Errors, tc.errors) {
				t.Errorf("errors:\n%s\nwant:\n%s", formatErrors(res.Errors), formatErrors(tc.errors))
			}
			var written []int
			for line := range rec.rows {
				written = append(written, line)
			}
			if !sameInts(written, tc.writtenRows) {
				t.Errorf("written rows %v, want %v", written, tc.writtenRows)
			}
			if res.Created != len(tc.writtenRows) {
				t.Errorf("created %d, want %d", res.Created, len(tc.writtenRows))
			}
			for line, want := range tc.rows {
				got, ok := rec.rows[line]
				if !ok {
					t.Errorf("row %d was not written", line)
					continue
				}
				if s := summarise(got); s != want {
					t.Errorf("row %d:\n got %+v\nwant %+v", line, s, want)
				}
			}
		})
	}
}

// The test files are encoded as their names say: the Windows-1252 one is not UTF-8
// and holds that code page's single bytes for ñ (F1), ó (F3), é (E9) and á (E1).
func TestCP1252FileBytes(t *testing.T) {
	b, err := os.ReadFile("testdata/vacantes_cp1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(b) {
		t.Error("the file is valid UTF-8")
	}
	for _, want := range [][]byte{[]byte("Se\xf1alero"), []byte("Raz\xf3n social"), []byte("Quer\xe9taro"), []byte("Mec\xe1nico")} {
		if !bytes.Contains(b, want) {
			t.Errorf("the file lacks %q", want)
		}
	}
	bom, err := os.ReadFile("testdata/vacancies_utf8_bom.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}) || !utf8.Valid(bom) {
		t.Error("vacancies_utf8_bom.csv should be UTF-8 starting with a byte-order mark")
	}
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[int]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func formatErrors(errs []models.ImportError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("  " + FormatError(e) + "\n")
	}
	return b.String()
}
