package importer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
)

// fakeStore is a Target that keeps vacancies by fair and key, as the store does:
// a key it has seen is an update, a new one a create.
type fakeStore struct {
	vacancies map[string]models.Vacancy
	employers map[string]models.Employer
	batches   []int
	// failAt makes the nth call of ImportBatch (1-based) fail.
	failAt int
}

func newFakeStore() *fakeStore {
	return &fakeStore{vacancies: map[string]models.Vacancy{}, employers: map[string]models.Employer{}}
}

func (f *fakeStore) ImportBatch(_ context.Context, fairID string, rows []models.ImportRow) (created, updated int, err error) {
	f.batches = append(f.batches, len(rows))
	if len(f.batches) == f.failAt {
		return 0, 0, errors.New("database is down")
	}
	for _, r := range rows {
		k := fairID + "|" + r.Key
		if _, ok := f.vacancies[k]; ok {
			updated++
		} else {
			created++
		}
		f.vacancies[k] = r.Vacancy
		f.employers[r.Employer.RFC] = r.Employer
	}
	return created, updated, nil
}

func (f *fakeStore) keys() []string {
	var out []string
	for k := range f.vacancies {
		out = append(out, k)
	}
	return sortedStrings(out)
}

func sortedStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

var fair = models.JobFair{ID: "fair-1", Name: "Feria del Empleo Monterrey"}

// csvHeader is the header of the CSVs written by the tests below.
const csvHeader = "Folio,Empresa,RFC,Puesto,Estado,Municipio,Salario mínimo,Salario máximo,Vacantes,Fecha de inicio\n"

func goodRow(folio, title, salaryMin string) string {
	return folio + ",Maquiladora del Norte,MNO120315AB1," + title + ",Nuevo León,Apodaca," + salaryMin + ",20000,3,01/02/2026\n"
}

func TestRunModes(t *testing.T) {
	const xlsx = "testdata/vacantes_feria.xlsx" // 11 rows, 6 of them bad
	cases := []struct {
		name     string
		opts     Options
		created  int
		failed   int
		nErrors  int
		stored   int
		batches  []int
		nilStore bool
	}{
		{name: "all_or_nothing by default writes nothing when a row is bad", opts: Options{}, failed: 6, nErrors: 6},
		{name: "all_or_nothing", opts: Options{Mode: models.ImportAllOrNothing}, failed: 6, nErrors: 6},
		{name: "valid_rows writes the good rows", opts: Options{Mode: models.ImportValidRows}, created: 5, failed: 6, nErrors: 6, stored: 5, batches: []int{5}},
		{name: "valid_rows in batches", opts: Options{Mode: models.ImportValidRows, BatchSize: 2}, created: 5, failed: 6, nErrors: 6, stored: 5, batches: []int{2, 2, 1}},
		{name: "dry run writes nothing", opts: Options{Mode: models.ImportValidRows, DryRun: true}, failed: 6, nErrors: 6},
		{name: "dry run needs no target", opts: Options{DryRun: true}, failed: 6, nErrors: 6, nilStore: true},
		{name: "errors listed up to MaxErrors, counted in full", opts: Options{MaxErrors: 2}, failed: 6, nErrors: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := newFakeStore()
			var target Target = store
			if tc.nilStore {
				target = nil
			}
			res, err := Run(context.Background(), xlsx, fair, tc.opts, target)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if res.TotalRows != 11 || res.ProcessedRows != 11 || res.Created != tc.created || res.Updated != 0 || res.Failed != tc.failed || len(res.Errors) != tc.nErrors {
				t.Errorf("result %+v", res)
			}
			if len(store.vacancies) != tc.stored {
				t.Errorf("stored %d vacancies, want %d", len(store.vacancies), tc.stored)
			}
			if !reflect.DeepEqual(store.batches, tc.batches) {
				t.Errorf("batches %v, want %v", store.batches, tc.batches)
			}
			if res.Written() != (tc.created > 0) {
				t.Errorf("Written() = %v", res.Written())
			}
		})
	}
}

func TestRunTwiceUpdates(t *testing.T) {
	for _, file := range []string{"vacantes_feria.xlsx", "vacantes_cp1252.csv", "vacancies_utf8_bom.csv", "vacantes.json"} {
		t.Run(file, func(t *testing.T) {
			store := newFakeStore()
			opts := Options{Mode: models.ImportValidRows}
			first, err := Run(context.Background(), "testdata/"+file, fair, opts, store)
			if err != nil {
				t.Fatal(err)
			}
			keys := store.keys()
			second, err := Run(context.Background(), "testdata/"+file, fair, opts, store)
			if err != nil {
				t.Fatal(err)
			}
			if first.Created == 0 || first.Updated != 0 {
				t.Errorf("first run created %d, updated %d", first.Created, first.Updated)
			}
			if second.Created != 0 || second.Updated != first.Created {
				t.Errorf("second run created %d, updated %d; want 0, %d", second.Created, second.Updated, first.Created)
			}
			if got := store.keys(); !reflect.DeepEqual(got, keys) {
				t.Errorf("keys changed: %q, then %q", keys, got)
			}
		})
	}
}

// A corrected sheet updates the vacancies of the first upload, whether rows carry an
// external ID or are keyed by their content; it does not add new ones.
func TestRunCorrectedFileUpdates(t *testing.T) {
	store := newFakeStore()
	v1 := csvHeader + goodRow("A-1", "Soldador", "12000") + goodRow("", "Pintor", "9000")
	v2 := csvHeader + goodRow("A-1", "Soldador", "12500") + goodRow("", "Pintor", "9800")
	res, err := Run(context.Background(), writeFile(t, "v1.csv", []byte(v1)), fair, Options{}, store)
	if err != nil || res.Created != 2 || res.Updated != 0 {
		t.Fatalf("first upload: %+v, %v", res, err)
	}
	res, err = Run(context.Background(), writeFile(t, "v2.csv", []byte(v2)), fair, Options{}, store)
	if err != nil || res.Created != 0 || res.Updated != 2 {
		t.Fatalf("corrected upload: %+v, %v", res, err)
	}
	if len(store.vacancies) != 2 {
		t.Fatalf("%d vacancies, want 2", len(store.vacancies))
	}
	if got := *store.vacancies["fair-1|A-1"].SalaryMin; got != 12500 {
		t.Errorf("A-1 salary_min %d, want 12500", got)
	}
	// The content key of the Pintor row, computed outside Go with
	//   printf 'v1\x1fMNO120315AB1\x1fpintor\x1fMX-NLE\x1fapodaca\x1f2026-02-01' | sha256sum
	const pintor = "fair-1|488821a5014e0076f703d189066a01b4ad3e71f914924c3c9832c28b29c08b74"
	if v, ok := store.vacancies[pintor]; !ok || *v.SalaryMin != 9800 {
		t.Errorf("Pintor row: %v, found %v; keys %q", v.SalaryMin, ok, store.keys())
	}
	// The same sheet for another fair is a different set of vacancies.
	res, err = Run(context.Background(), writeFile(t, "v2.csv", []byte(v2)), models.JobFair{ID: "fair-2"}, Options{}, store)
	if err != nil || res.Created != 2 {
		t.Fatalf("other fair: %+v, %v", res, err)
	}
}

func TestRunDuplicateKeysInFile(t *testing.T) {
	in := csvHeader + goodRow("A-1", "Soldador", "12000") + goodRow("A-2", "Pintor", "9000") + goodRow("A-1", "Tornero", "11000")
	store := newFakeStore()
	res, err := Run(context.Background(), writeFile(t, "f.csv", []byte(in)), fair, Options{Mode: models.ImportValidRows}, store)
	if err != nil {
		t.Fatal(err)
	}
	want := []models.ImportError{{Row: 4, Column: "Folio", Message: `duplicates row 2: "A-1" is already its "Folio"; give each vacancy its own, or delete the repeated row`}}
	if !reflect.DeepEqual(res.Errors, want) || res.Created != 2 || res.Failed != 1 {
		t.Errorf("result %+v", res)
	}
	if got := store.vacancies["fair-1|A-1"].Title; got != "Soldador" {
		t.Errorf("A-1 is %q, want the first row's Soldador", got)
	}
}

func TestRunProgressAndCancel(t *testing.T) {
	var in strings.Builder
	in.WriteString(csvHeader)
	for _, f := range []string{"1", "2", "3", "4"} {
		in.WriteString(goodRow("A-"+f, "Puesto "+f, "10000"))
	}
	in.WriteString(goodRow("A-5", "Puesto 5", "diez mil")) // row 6
	in.WriteString(goodRow("A-6", "Puesto 6", "10000"))
	path := writeFile(t, "f.csv", []byte(in.String()))

	t.Run("progress after the check and after each batch", func(t *testing.T) {
		var got []Progress
		opts := Options{Mode: models.ImportValidRows, BatchSize: 2, Progress: func(p Progress) { got = append(got, p) }}
		if _, err := Run(context.Background(), path, fair, opts, newFakeStore()); err != nil {
			t.Fatal(err)
		}
		want := []Progress{
			{TotalRows: 6, Failed: 1},
			{TotalRows: 6, ProcessedRows: 2, Created: 2, Failed: 1},
			{TotalRows: 6, ProcessedRows: 4, Created: 4, Failed: 1},
			{TotalRows: 6, ProcessedRows: 6, Created: 5, Failed: 1},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("progress %+v, want %+v", got, want)
		}
	})
	t.Run("no repeated progress when the last batch ends the file", func(t *testing.T) {
		var got []Progress
		opts := Options{Mode: models.ImportValidRows, BatchSize: 5, Progress: func(p Progress) { got = append(got, p) }}
		if _, err := Run(context.Background(), path, fair, opts, newFakeStore()); err != nil {
			t.Fatal(err)
		}
		want := []Progress{
			{TotalRows: 6, Failed: 1},
			{TotalRows: 6, ProcessedRows: 6, Created: 5, Failed: 1},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("progress %+v, want %+v", got, want)
		}
	})
	t.Run("cancelling stops between batches", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		store := newFakeStore()
		opts := Options{Mode: models.ImportValidRows, BatchSize: 2, Progress: func(p Progress) {
			if p.Created > 0 {
				cancel()
			}
		}}
		res, err := Run(ctx, path, fair, opts, store)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		if !reflect.DeepEqual(store.batches, []int{2}) || res.Created != 2 || res.ProcessedRows != 2 {
			t.Errorf("batches %v, result %+v", store.batches, res)
		}
	})
	t.Run("a failing target stops the import", func(t *testing.T) {
		store := newFakeStore()
		store.failAt = 2
		res, err := Run(context.Background(), path, fair, Options{Mode: models.ImportValidRows, BatchSize: 2}, store)
		if err == nil || err.Error() != "importing rows 4 to 5: database is down" {
			t.Fatalf("error %v", err)
		}
		if res.Created != 2 || res.ProcessedRows != 2 {
			t.Errorf("result %+v", res)
		}
	})
}

func TestRunRefusesFile(t *testing.T) {
	cases := []struct {
		name, file, content string
		opts                Options
		err                 string
	}{
		{
			name: "missing required columns", file: "f.csv",
			content: "Puesto,Empresa\nSoldador,Maquiladora\n",
			err:     `the header row has no column for "RFC" (rfc), "Estado" (state), "Fecha de inicio" (start_date) and "Vacantes" (positions); add the missing columns (Spanish or English names are both fine) and upload the file again`,
		},
		{
			name: "unknown mode", file: "f.csv", content: csvHeader, opts: Options{Mode: "some_rows"},
			err: `unknown import mode "some_rows" (use all_or_nothing or valid_rows)`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := newFakeStore()
			_, err := Run(context.Background(), writeFile(t, tc.file, []byte(tc.content)), fair, tc.opts, store)
			if err == nil || err.Error() != tc.err || !errors.Is(err, models.ErrInvalid) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
			if len(store.batches) != 0 {
				t.Errorf("the target was called")
			}
		})
	}
}

// zipPart is one part of a workbook rebuilt by rezip.
type zipPart struct {
	data []byte
	// claim, when not zero, is the uncompressed size written in the zip's headers
	// instead of the real one.
	claim uint64
}

// rezip copies the test workbook, replacing the parts given.
func rezip(t *testing.T, replace map[string]zipPart) []byte {
	t.Helper()
	zr, err := zip.OpenReader("testdata/vacantes_feria.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		part, ok := replace[f.Name]
		if !ok {
			must(t, zw.Copy(f))
			continue
		}
		var deflated bytes.Buffer
		fw, _ := flate.NewWriter(&deflated, flate.BestSpeed)
		_, err := fw.Write(part.data)
		must(t, err)
		must(t, fw.Close())
		size := uint64(len(part.data))
		if part.claim != 0 {
			size = part.claim
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: f.Name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(part.data),
			CompressedSize64: uint64(deflated.Len()), UncompressedSize64: size,
		})
		must(t, err)
		_, err = w.Write(deflated.Bytes())
		must(t, err)
	}
	must(t, zw.Close())
	return out.Bytes()
}

// sheetWithPadding returns the test workbook's sheet XML with n spaces before its
// closing tag: still a valid sheet, and it deflates to almost nothing.
func sheetWithPadding(t *testing.T, n int) []byte {
	t.Helper()
	zr, err := zip.OpenReader("testdata/vacantes_feria.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	sheet, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(sheet, []byte("</worksheet>"))
	return append(append(append([]byte{}, sheet[:i]...), bytes.Repeat([]byte(" "), n)...), sheet[i:]...)
}

func TestZipBombRefused(t *testing.T) {
	const sheet = "xl/worksheets/sheet1.xml"
	cases := []struct {
		name  string
		parts map[string]zipPart
		limit int64
		err   string
	}{
		{
			name:  "a part claims to unzip to a terabyte",
			parts: map[string]zipPart{sheet: {data: sheetWithPadding(t, 0), claim: 1 << 40}},
			err:   "the workbook would unzip to more than 512 MiB (the limit); it is refused as a possible zip bomb. Split the sheet into smaller files or export it as CSV",
		},
		{
			name:  "a sheet really unzips past the limit",
			parts: map[string]zipPart{sheet: {data: sheetWithPadding(t, 3<<20)}},
			limit: 2 << 20,
			err:   "the workbook would unzip to more than 2 MiB (the limit); it is refused as a possible zip bomb. Split the sheet into smaller files or export it as CSV",
		},
		{
			name:  "a sheet unzips past the size it claims",
			parts: map[string]zipPart{sheet: {data: sheetWithPadding(t, 3<<20), claim: 1 << 10}},
			limit: 2 << 20,
			err:   "the workbook is damaged (its part xl/worksheets/sheet1.xml does not unzip as its header says: zip: not a valid zip file); save it again from Excel as .xlsx, or export it as CSV",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "bomb.xlsx", rezip(t, tc.parts))
			if st, _ := os.Stat(path); st.Size() > 200<<10 {
				t.Fatalf("the test bomb is %d bytes, too big to be a bomb", st.Size())
			}
			store := newFakeStore()
			_, err := Run(context.Background(), path, fair, Options{Mode: models.ImportValidRows, MaxUnzippedBytes: tc.limit}, store)
			if err == nil || err.Error() != tc.err || !errors.Is(err, models.ErrInvalid) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
			if len(store.batches) != 0 {
				t.Error("rows were written")
			}
		})
	}
	// Below the limit the rebuilt workbook reads as the original: the refusals above
	// are about size, not about how the test built the zip.
	path := writeFile(t, "padded.xlsx", rezip(t, map[string]zipPart{sheet: {data: sheetWithPadding(t, 1<<20)}}))
	res, err := Run(context.Background(), path, fair, Options{Mode: models.ImportValidRows, MaxUnzippedBytes: 2 << 20}, newFakeStore())
	if err != nil || res.TotalRows != 11 || res.Created != 5 {
		t.Errorf("padded workbook: %+v, %v", res, err)
	}
}
