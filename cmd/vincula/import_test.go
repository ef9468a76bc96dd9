package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// importEnv returns a fresh database of dialect d, the environment that points the
// binary at it, and a job fair in it.
func importEnv(t *testing.T, d store.Dialect) (*store.Store, map[string]string, models.JobFair) {
	t.Helper()
	env := map[string]string{"VINCULA_SECRET_KEY": hex.EncodeToString(storetest.Key)}
	var st *store.Store
	if d == store.SQLite {
		st = storetest.Open(t, d)
		env["VINCULA_DATA_DIR"] = filepath.Dir(st.SQLitePath())
	} else {
		env["VINCULA_DATA_DIR"] = t.TempDir()
		env["VINCULA_DATABASE_URL"] = ownPostgres(t)
		var err error
		st, err = store.Open(context.Background(), store.Config{DatabaseURL: env["VINCULA_DATABASE_URL"], Key: storetest.Key,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
	}
	fair := models.JobFair{Name: "Feria del Empleo Zacatecas", State: "MX-ZAC", StartsOn: models.MustDate("2026-12-01"),
		EndsOn: models.MustDate("2026-12-02"), OrganiserID: "organiser-1"}
	if err := st.CreateJobFair(context.Background(), &fair); err != nil {
		t.Fatal(err)
	}
	return st, env, fair
}

// ownPostgres creates a PostgreSQL database for one test and drops it afterwards. The
// package's shared database (storetest.PostgresURL) is left unmigrated for the test of
// `vincula migrate`, which must find it empty whatever ran before.
func ownPostgres(t *testing.T) string {
	t.Helper()
	storetest.PostgresURL(t) // skips, or fails in CI, when the server is unreachable
	server := os.Getenv("VINCULA_TEST_DATABASE_URL")
	if server == "" {
		server = storetest.DefaultServerURL
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "vincula_test_import_" + strings.ToLower(models.NewID())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// countFair counts the fair's vacancies and their distinct keys.
func countFair(t *testing.T, st *store.Store, fairID string) (vacancies, keys int) {
	t.Helper()
	// The ID is one the store made, safe to write into the query.
	err := st.SQL().QueryRow("SELECT COUNT(*), COUNT(DISTINCT external_key) FROM vacancies WHERE job_fair_id = '"+fairID+"'").Scan(&vacancies, &keys)
	if err != nil {
		t.Fatal(err)
	}
	return vacancies, keys
}

// importJobs returns the fair's import jobs, oldest first, as "status created_by".
func importJobs(t *testing.T, st *store.Store, fairID string) []string {
	t.Helper()
	rows, err := st.SQL().Query("SELECT status, created_by FROM import_jobs WHERE job_fair_id = '" + fairID + "' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var status, by string
		if err := rows.Scan(&status, &by); err != nil {
			t.Fatal(err)
		}
		out = append(out, status+" "+by)
	}
	return out
}

func testdata(name string) string { return filepath.Join("..", "..", "importer", "testdata", name) }

// pace is the timing a long import adds to its summary line.
var pace = regexp.MustCompile(` in [0-9.]+ s \([0-9]+ rows/s\)`)

const cp1252Errors = `row 5, column "Fecha de inicio": "32/03/2026" is not a date (use YYYY-MM-DD or DD/MM/YYYY)
row 6, column "Sueldo máximo": 9000 is less than "Sueldo mínimo" (10000)
row 7, column "Entidad": "Potosí" is not a Mexican state (write its name, like Nuevo León, or its code, like MX-NLE)
row 8, column "Número de vacantes": "0": must be at least 1
row 9, column "Nombre del puesto": is empty; every vacancy needs it
row 10, column "RFC": "PLE": has 3 characters; an RFC has 12 (a company) or 13 (a person)
row 11: duplicates row 2: both have the same "RFC", "Nombre del puesto", "Entidad", "Ciudad" and "Fecha de inicio"; if they are different vacancies, add an "ID externo" column and give each its own
`

func TestImportCommand(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			st, env, fair := importEnv(t, d)
			good := filepath.Join(t.TempDir(), "buenas.csv")
			if err := os.WriteFile(good, []byte("Folio,Empresa,RFC,Puesto,Estado,Municipio,Vacantes,Fecha de inicio\n"+
				"B-1,Minera del Centro,MCE101010AA1,Perforista,Zacatecas,Fresnillo,4,01/02/2027\n"+
				"B-2,Minera del Centro,MCE101010AA1,Soldador,Zacatecas,Fresnillo,2,01/02/2027\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			cases := []struct {
				name      string
				args      []string
				exit      int // 0: success
				stdout    string
				vacancies int
			}{
				{"all or nothing refuses the file", []string{"--fair", fair.ID, testdata("vacantes_cp1252.csv")}, 1,
					"nothing imported from vacantes_cp1252.csv into fair " + fair.ID + ": 10 rows, 0 created, 0 updated, 7 failed\n" + cp1252Errors +
						"7 of 10 rows have errors, so nothing was imported (mode all_or_nothing): fix the rows listed and import the file again, or import it with mode valid_rows to take the good rows now\n", 0},
				{"a dry run writes nothing", []string{"--dry-run", "--mode", "valid_rows", "--fair", fair.ID, testdata("vacantes_cp1252.csv")}, 1,
					"checked vacantes_cp1252.csv for fair " + fair.ID + " (dry run, nothing written): 10 rows, 0 created, 0 updated, 7 failed\n" + cp1252Errors +
						"7 rows with errors would be left out; dry run: nothing was written\n", 0},
				{"valid rows imports the good rows", []string{"--fair", fair.ID, "--mode", "valid_rows", testdata("vacantes_cp1252.csv")}, 1,
					"imported vacantes_cp1252.csv into fair " + fair.ID + ": 10 rows, 3 created, 0 updated, 7 failed\n" + cp1252Errors +
						"7 rows with errors were left out; fix them and import the file again: rows already imported are updated, not duplicated\n", 3},
				{"the same file again updates them", []string{testdata("vacantes_cp1252.csv"), "--mode=valid_rows", "--fair", fair.ID}, 1,
					"imported vacantes_cp1252.csv into fair " + fair.ID + ": 10 rows, 0 created, 3 updated, 7 failed\n" + cp1252Errors +
						"7 rows with errors were left out; fix them and import the file again: rows already imported are updated, not duplicated\n", 3},
				{"a file without errors", []string{"--fair", fair.ID, good}, 0,
					"imported buenas.csv into fair " + fair.ID + ": 2 rows, 2 created, 0 updated, 0 failed\n", 5},
				{"a sheet that is not in the workbook", []string{"--fair", fair.ID, "--sheet", "Hoja 9", testdata("vacantes_feria.xlsx")}, 1,
					"could not import vacantes_feria.xlsx into fair " + fair.ID + "\n" +
						`the file could not be imported: the workbook has no sheet "Hoja 9" (its sheets are "Vacantes", "Notas")` + "\n", 5},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					m, out, errOut := newMain(t, context.Background(), env)
					err := m.Run(append([]string{"import"}, tc.args...))
					var exit exitError
					switch {
					case tc.exit == 0 && err != nil:
						t.Fatalf("import: %v\n%s", err, errOut)
					case tc.exit != 0 && (!errors.As(err, &exit) || int(exit) != tc.exit):
						t.Fatalf("import returned %v, want exit status %d\n%s", err, tc.exit, errOut)
					}
					if got := pace.ReplaceAllString(out.String(), ""); got != tc.stdout {
						t.Fatalf("stdout:\n%s\nwant:\n%s", got, tc.stdout)
					}
					if n, _ := countFair(t, st, fair.ID); n != tc.vacancies {
						t.Fatalf("the fair has %d vacancies, want %d", n, tc.vacancies)
					}
				})
			}
			want := []string{"failed cli", "succeeded cli", "succeeded cli", "succeeded cli", "succeeded cli", "failed cli"}
			if got := importJobs(t, st, fair.ID); strings.Join(got, ", ") != strings.Join(want, ", ") {
				t.Fatalf("import jobs %q, want %q", got, want)
			}
		})
	}
}

func TestImportCommandLine(t *testing.T) {
	env := map[string]string{"VINCULA_DATA_DIR": t.TempDir(), "VINCULA_SECRET_KEY": hex.EncodeToString(storetest.Key)}
	cases := []struct {
		args   []string
		exit   int
		stderr string
		err    string
	}{
		{[]string{"--fair", "x"}, 2, "vincula import: name one file to import", ""},
		{[]string{testdata("vacantes.json")}, 2, "vincula import: --fair is required", ""},
		{[]string{"--fair", "x", "--mode", "some", testdata("vacantes.json")}, 2, "vincula import: --mode must be all_or_nothing or valid_rows", ""},
		{[]string{"--fair", "x", "nowhere.csv"}, 0, "", "no such file or directory"},
		{[]string{"--fair", "feria-que-no-existe", testdata("vacantes.json")}, 0, "",
			`import: there is no job fair with ID "feria-que-no-existe" (organisers create fairs with POST /api/v1/job-fairs)`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			m, _, errOut := newMain(t, context.Background(), env)
			err := m.Run(append([]string{"import"}, tc.args...))
			var exit exitError
			if tc.exit != 0 {
				if !errors.As(err, &exit) || int(exit) != tc.exit || !strings.Contains(errOut.String(), tc.stderr) {
					t.Fatalf("got %v and %q; want exit %d and %q", err, errOut, tc.exit, tc.stderr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("got %v, want an error with %q", err, tc.err)
			}
		})
	}
}

// writeBigCSV writes n good rows with an external ID each, in the Spanish headers and
// DD/MM/YYYY dates organisers use, and returns the file's path.
func writeBigCSV(t testing.TB, dir string, n int) string {
	t.Helper()
	path := filepath.Join(dir, fmt.Sprintf("feria-%d.csv", n))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "ID externo;Razón social;RFC;Puesto;Descripción;Habilidades;Escolaridad;Estado;Municipio;Salario mínimo;Salario máximo;Vacantes;Fecha de inicio;Reubicación")
	states := []string{"Nuevo León", "Coahuila", "Baja California", "San Luis Potosí", "Sonora", "Zacatecas"}
	for i := range n {
		// 200 employers, each with its own RFC: the date part tells them apart.
		k := i % 200
		fmt.Fprintf(w, "V-%06d;Empresa %d S.A. de C.V.;EMP%02d%02d%02dAB1;Operador de producción %d;\"Operación de máquinas; turno %d\";ensamble*, montacargas;secundaria;%s;Municipio %d;%d;%d;%d;%02d/03/2027;sí\n",
			i, k, k%100, 1+k/100, 1+k%28, i, i%3, states[i%len(states)], i%40, 9000+i%5*500, 14000+i%5*500, 1+i%20, 1+i%28)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
