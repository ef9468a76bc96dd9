package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// rawFF and loneSurrogate stand, in a value given to hostileJSON, for the invalid UTF-8
// byte 0xff and for the escape \ud800, which encoding/json would not write.
const (
	rawFF         = "RAW-FF-MARK"
	loneSurrogate = "LONE-SURROGATE-MARK"
)

// hostileJSON encodes v, then puts the raw byte 0xff and the escape \ud800 where the
// placeholders stand.
func hostileJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.ReplaceAll(b, []byte(rawFF), []byte{'x', 0xff, 'y'})
	return bytes.ReplaceAll(b, []byte(loneSurrogate), []byte(`x\ud800y`))
}

// TestBadTextIsRefused: NUL characters and invalid UTF-8, in any string of a JSON body
// (nested ones too, and keys), in a path ID or in a query parameter, are a 422 naming
// the field, and nothing is stored (issue 12: PostgreSQL answered 500 with SQLSTATE
// 22021, SQLite stored them, invalid UTF-8 was rewritten silently).
func TestBadTextIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		count := func() int {
			p := e.must(http.StatusOK, e.do("GET", "/api/v1/candidates?limit=100", e.as(A), nil))
			return len(p["items"].([]any))
		}
		before := count()
		for _, tc := range []struct {
			field string
			set   func(b map[string]any)
		}{
			{"full_name", func(b map[string]any) { b["full_name"] = "Jean\x00Pierre" }},
			{"full_name", func(b map[string]any) { b["full_name"] = "Jean" + rawFF }},
			{"municipality", func(b map[string]any) { b["municipality"] = loneSurrogate }},
			{"documents[0].number", func(b map[string]any) { b["documents"].([]map[string]any)[0]["number"] = "TVRH\x00" }},
			{"skills[0].name", func(b map[string]any) { b["skills"].([]map[string]any)[0]["name"] = rawFF }},
			{"preferred_states[1]", func(b map[string]any) { b["preferred_states"] = []string{"MX-NLE", "MX\x00"} }},
		} {
			body := candidateBody()
			tc.set(body)
			p := e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/candidates", e.as(A), hostileJSON(t, body)))
			if fields := fieldNames(p); len(fields) != 1 || fields[0] != tc.field {
				t.Errorf("%s: errors %v, want %s blamed", tc.field, p, tc.field)
			}
		}
		// A key with a NUL is an unknown field, named as such.
		e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/employers", e.as(A), `{"na\u0000me": "x"}`))
		// The same text, escaped properly, is fine: a backslash and a u are only text.
		ok := candidateBody()
		ok["municipality"] = `Tapachula \u0000 \ud800`
		e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(A), ok))
		if got := count(); got != before+1 {
			t.Fatalf("%d candidates, want %d: a refused body was stored", got, before+1)
		}
		for _, tc := range []struct{ path, field string }{
			{"/api/v1/candidates/%00", "id"},
			{"/api/v1/candidates/abc%ff", "id"},
			{"/api/v1/vacancies/%ed%a0%80/matches", "id"},
			{"/api/v1/employers/" + strings.Repeat("9", 1025), "id"},
			{"/api/v1/candidates?state=%00", "state"},
			{"/api/v1/vacancies?employer_id=%ff", "employer_id"},
			{"/api/v1/referrals?vacancy_id=a%00", "vacancy_id"},
		} {
			p := e.must(http.StatusUnprocessableEntity, e.do("GET", tc.path, e.as(A), nil))
			if fields := fieldNames(p); len(fields) != 1 || fields[0] != tc.field {
				t.Errorf("%s: errors %v, want %s blamed", tc.path, p, tc.field)
			}
		}
	})
}

// TestBoundsAreEnforcedAndDeclared: every string, list, number and date a client sends
// has an upper bound, the same on both engines, named in the 422 and declared in the
// OpenAPI document; values at the bound are accepted.
func TestBoundsAreEnforcedAndDeclared(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		for _, tc := range []struct {
			path, field string
			body        func() map[string]any
			set         func(b map[string]any)
		}{
			{"/api/v1/vacancies", "positions", func() map[string]any { return vacancyBody(e.empA.ID) },
				func(b map[string]any) { b["positions"] = int64(1) << 62 }},
			{"/api/v1/vacancies", "positions", func() map[string]any { return vacancyBody(e.empA.ID) },
				func(b map[string]any) { b["positions"] = 10_001 }},
			{"/api/v1/vacancies", "title", func() map[string]any { return vacancyBody(e.empA.ID) },
				func(b map[string]any) { b["title"] = strings.Repeat("ñ", 201) }},
			{"/api/v1/vacancies", "description", func() map[string]any { return vacancyBody(e.empA.ID) },
				func(b map[string]any) { b["description"] = strings.Repeat("a", 500_000) }},
			{"/api/v1/vacancies", "skills", func() map[string]any { return vacancyBody(e.empA.ID) },
				func(b map[string]any) { b["skills"] = repeat(map[string]any{"name": "soldadura"}, 5000) }},
			{"/api/v1/vacancies", "salary_max", func() map[string]any { return vacancyBody(e.empA.ID) },
				func(b map[string]any) { b["salary_max"] = 1 << 40 }},
			{"/api/v1/vacancies", "start_date", func() map[string]any { return vacancyBody(e.empA.ID) },
				func(b map[string]any) { b["start_date"] = "9999-12-31" }},
			{"/api/v1/candidates", "experience[0].years", candidateBody,
				func(b map[string]any) { b["experience"].([]map[string]any)[0]["years"] = 1e308 }},
			{"/api/v1/candidates", "skills[0].years", candidateBody,
				func(b map[string]any) { b["skills"].([]map[string]any)[0]["years"] = 81 }},
			{"/api/v1/candidates", "full_name", candidateBody,
				func(b map[string]any) { b["full_name"] = strings.Repeat("x", 500_000) }},
			{"/api/v1/candidates", "languages", candidateBody,
				func(b map[string]any) { b["languages"] = repeat(map[string]any{"code": "es", "level": "B1"}, 21) }},
			{"/api/v1/candidates", "documents[0].expires_on", candidateBody,
				func(b map[string]any) { b["documents"].([]map[string]any)[0]["expires_on"] = "2101-01-01" }},
			{"/api/v1/candidates", "documents[0].issued_on", candidateBody,
				func(b map[string]any) { b["documents"].([]map[string]any)[0]["issued_on"] = "1899-12-31" }},
			{"/api/v1/candidates", "consent.given_at", candidateBody,
				func(b map[string]any) {
					b["consent"] = map[string]any{"share_profile": true, "given_at": "9999-12-31T00:00:00Z"}
				}},
			{"/api/v1/job-fairs", "ends_on", func() map[string]any {
				return map[string]any{"name": "Feria", "state": "MX-NLE", "starts_on": "2027-01-01"}
			}, func(b map[string]any) { b["ends_on"] = "9999-12-31" }},
		} {
			body := tc.body()
			tc.set(body)
			p := e.must(http.StatusUnprocessableEntity, e.do("POST", tc.path, e.as(A), body))
			if fields := fieldNames(p); len(fields) != 1 || fields[0] != tc.field {
				t.Errorf("%s %s: errors %v, want %s blamed", tc.path, tc.field, p, tc.field)
			}
		}
		// At the bounds, the same bodies are accepted and stored as sent.
		v := vacancyBody(e.empA.ID)
		v["positions"], v["title"], v["salary_max"] = 10_000, strings.Repeat("ñ", 200), 10_000_000
		v["skills"], v["start_date"] = repeat(map[string]any{"name": "soldadura"}, 100), "2100-12-31"
		got := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(A), v))
		if got["title"] != v["title"] || got["positions"] != float64(10_000) || len(got["skills"].([]any)) != 100 {
			t.Fatalf("vacancy at the bounds: %v", got)
		}
		c := candidateBody()
		c["experience"].([]map[string]any)[0]["years"] = 80
		e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(A), c))

		// The document declares what the server enforces.
		doc := e.must(http.StatusOK, e.do("GET", "/api/v1/openapi.json", "", nil))
		props := func(path, method string) map[string]any {
			op := doc["paths"].(map[string]any)[path].(map[string]any)[method].(map[string]any)
			return op["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)["properties"].(map[string]any)
		}
		vac, cand := props("/api/v1/vacancies", "post"), props("/api/v1/candidates", "post")
		for _, tc := range []struct {
			schema any
			key    string
			want   float64
		}{
			{vac["title"], "maxLength", 200},
			{vac["description"], "maxLength", 5000},
			{vac["skills"], "maxItems", 100},
			{vac["positions"], "maximum", 10_000},
			{vac["positions"], "minimum", 1},
			{vac["salary_max"], "maximum", 10_000_000},
			{cand["documents"], "maxItems", 20},
			{cand["documents"].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)["number"], "maxLength", 64},
			{cand["experience"].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)["years"], "maximum", 80},
			{cand["preferred_states"].(map[string]any)["items"], "maxLength", 200},
		} {
			if got, _ := tc.schema.(map[string]any)[tc.key].(float64); got != tc.want {
				t.Errorf("OpenAPI declares %s %v in %v, want %v", tc.key, got, tc.schema, tc.want)
			}
		}
		if d := vac["start_date"].(map[string]any); d["x-latest"] != "2100-12-31" || d["x-earliest"] != "1900-01-01" {
			t.Errorf("OpenAPI start_date: %v", d)
		}

		// Query parameters are bounded too.
		candID := e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(A), candidateBody()))["id"].(string)
		skills := strings.TrimSuffix(strings.Repeat("soldadura,", 17), ",")
		for _, tc := range []struct{ path, field string }{
			{"/api/v1/candidates/search?state=MX-NLE&date=9999-12-31", "date"},
			{"/api/v1/candidates/" + candID + "/eligibility?state=MX-NLE&date=1899-12-31", "date"},
			{"/api/v1/candidates/search?state=MX-NLE&min_experience_years=1e308", "min_experience_years"},
			{"/api/v1/candidates/search?state=MX-NLE&min_experience_years=NaN", "min_experience_years"},
			{"/api/v1/candidates/search?state=MX-NLE&skills=" + skills, "skills"},
			{"/api/v1/vacancies?q=" + strings.Repeat("a", 2000), "q"},
		} {
			p := e.must(http.StatusUnprocessableEntity, e.do("GET", tc.path, e.as(A), nil))
			if fields := fieldNames(p); len(fields) != 1 || fields[0] != tc.field {
				t.Errorf("%.80s: errors %v, want %s blamed", tc.path, p, tc.field)
			}
		}
		e.must(http.StatusOK, e.do("GET", "/api/v1/candidates/search?state=MX-NLE&date=2100-12-31&min_experience_years=80&skills="+
			strings.TrimSuffix(strings.Repeat("soldadura,", 16), ","), e.as(A), nil))
	})
}

func repeat(v any, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestCursorsBelongToTheirList: a cursor given out by one list is refused, naming
// cursor, by every other list; on its own list it pages on.
func TestCursorsBelongToTheirList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		var vs []models.Vacancy
		for i := range 3 {
			v := forkliftVacancy(e.empA.ID)
			v.ID = fmt.Sprintf("%s-%d", v.ID, i)
			vs = append(vs, v)
		}
		if err := st.BulkCreateVacancies(ctx, vs); err != nil {
			t.Fatal(err)
		}
		e.sync()
		page := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies?limit=1", e.as(A), nil))
		cur, _ := page["next_cursor"].(string)
		if cur == "" {
			t.Fatalf("no next cursor: %v", page)
		}
		next := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies?limit=1&cursor="+cur, e.as(A), nil))
		if a, b := page["items"].([]any)[0].(map[string]any)["id"], next["items"].([]any)[0].(map[string]any)["id"]; a == b {
			t.Fatalf("the cursor did not move on: %v then %v", a, b)
		}
		for _, path := range []string{
			"/api/v1/employers?cursor=" + cur,
			"/api/v1/candidates?cursor=" + cur,
			"/api/v1/candidates/search?state=MX-NLE&cursor=" + cur,
			"/api/v1/vacancies/" + vs[0].ID + "/matches?cursor=" + cur,
			"/api/v1/job-fairs?cursor=" + cur,
			"/api/v1/referrals?cursor=" + cur,
			"/api/v1/counsellors?cursor=" + cur,
			"/api/v1/vacancies?q=montacargas&cursor=" + api.TagCursor("/api/v1/candidates", "q1"),
			"/api/v1/vacancies?cursor=" + api.TagCursor("/api/v1/vacancies/:id/matches", "w0.0"),
		} {
			p := e.must(http.StatusUnprocessableEntity, e.do("GET", path, e.as(A), nil))
			if fields := fieldNames(p); len(fields) != 1 || fields[0] != "cursor" {
				t.Errorf("%s: errors %v, want cursor blamed", path, p)
			}
		}
		// Every list route has a tag of its own.
		tags := map[string]string{}
		for _, r := range e.server.RouteSpecs() {
			tag := api.TagCursor(r.Path, "x")
			if other, dup := tags[tag]; dup && other != r.Path {
				t.Errorf("%s and %s tag their cursors alike", r.Path, other)
			}
			tags[tag] = r.Path
		}
	})
}

// TestMetricsLabelsAreClosed: 5,000 requests with random method names (and unknown
// paths) do not grow /metrics, whose labels come from closed sets.
func TestMetricsLabelsAreClosed(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	rnd := rand.New(rand.NewPCG(1, 2))
	method := func() string {
		b := make([]byte, 8)
		for i := range b {
			b[i] = byte('A' + rnd.IntN(26))
		}
		return string(b)
	}
	metricLines := func() []string {
		r := e.do("GET", "/metrics", "", nil)
		var out []string
		for _, l := range strings.Split(string(r.body), "\n") {
			if strings.HasPrefix(l, "vincula_http_") {
				name, _, _ := strings.Cut(l, "} ")
				out = append(out, name)
			}
		}
		sort.Strings(out)
		return out
	}
	for range 2 {
		e.do(method(), "/api/v1/vacancies", "", nil)
		e.do(method(), "/no/such/"+method(), "", nil)
		metricLines()
	}
	before := metricLines()
	for range 5000 {
		e.do(method(), "/api/v1/vacancies", "", nil)
		e.do(method(), "/no/such/"+method(), "", nil)
	}
	after := metricLines()
	if strings.Join(before, "\n") != strings.Join(after, "\n") {
		t.Fatalf("/metrics grew from %d to %d series:\n%s", len(before), len(after), strings.Join(after, "\n"))
	}
	if !strings.Contains(strings.Join(after, "\n"), `method="other"`) {
		t.Fatalf("no method=\"other\" series:\n%s", strings.Join(after, "\n"))
	}
}

// TestImportedFormulaCellsStayText: cells that a spreadsheet would run as formulas
// (=, +, -, @ first) are stored as the text they are, never evaluated, and an imported
// row beyond the API's bounds is refused naming its column.
func TestImportedFormulaCellsStayText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st)
		formulas := []string{`=HYPERLINK("http://evil.example";"x")`, "+52 962 111", "-2+3", "@SUM(A1:A9)"}
		var b strings.Builder
		b.WriteString("Folio;Razón social;RFC;Puesto;Descripción;Estado;Municipio;Vacantes;Fecha de inicio\n")
		for i, f := range formulas {
			fmt.Fprintf(&b, "F-%d;Maquiladora del Norte;MNO120315AB1;\"%s\";\"%s\";Nuevo León;Apodaca;1;01/02/2027\n",
				i, strings.ReplaceAll(f, `"`, `""`), strings.ReplaceAll(f, `"`, `""`))
		}
		fmt.Fprintf(&b, "F-9;Maquiladora del Norte;MNO120315AB1;%s;x;Nuevo León;Apodaca;1;01/02/2027\n", strings.Repeat("t", 201))
		fmt.Fprintf(&b, "F-10;Maquiladora del Norte;MNO120315AB1;Soldador;x;Nuevo León;Apodaca;99999;01/02/2027\n")
		fmt.Fprintf(&b, "F-11;Maquiladora del Norte;MNO120315AB1;Sol\x00dador;x;Nuevo León;Apodaca;1;01/02/2027\n")
		job := e.importFile("vacantes.csv", []byte(b.String()), map[string]string{"mode": "valid_rows"})
		if job.Status != models.ImportSucceeded || job.Created != len(formulas) || job.Failed != 3 {
			t.Fatalf("import: %+v", job)
		}
		cols := map[string]bool{}
		for _, ie := range job.Errors {
			cols[ie.Column] = true
		}
		if !cols["Puesto"] || !cols["Vacantes"] {
			t.Fatalf("errors %+v, want Puesto and Vacantes blamed", job.Errors)
		}
		got := map[string]string{}
		for _, v := range e.fairVacancies(e.fair.ID) {
			got[v.Title] = v.Description
		}
		for _, f := range formulas {
			if d, ok := got[f]; !ok || d != f {
				t.Errorf("formula cell %q stored as %q (all: %q)", f, d, got)
			}
		}
	})
}

// TestUploadNamesAreChecked: an upload's file name (kept by its import job) and sheet
// name are clean text of bounded length, and a malformed multipart header is the
// client's 400, not a 500.
func TestUploadNamesAreChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _ := importEnv(t, st)
		path := "/api/v1/job-fairs/" + e.fair.ID + "/imports"
		csv := bigCSV(1)
		for _, tc := range []struct {
			fields map[string]string
			name   string
			field  string
		}{
			{nil, "a\xffb.csv", "file"},
			{nil, "\xed\xa0\x80.csv", "file"},
			{nil, strings.Repeat("n", 252) + ".csv", "file"},
			{map[string]string{"sheet": "a\xff"}, "vacantes.xlsx", "sheet"},
			{map[string]string{"sheet": strings.Repeat("s", 32)}, "vacantes.xlsx", "sheet"},
		} {
			p := e.must(http.StatusUnprocessableEntity, e.upload(path, e.as(O), tc.fields, tc.name, csv))
			if fields := fieldNames(p); len(fields) != 1 || fields[0] != tc.field {
				t.Errorf("%q %v: errors %v, want %s blamed", tc.name, tc.fields, p, tc.field)
			}
		}
		e.must(http.StatusBadRequest, e.upload(path, e.as(O), nil, "a\x00b.csv", csv))
		e.must(http.StatusBadRequest, e.upload(path, e.as(O), map[string]string{"\x00": "x"}, "vacantes.csv", csv))
		job := e.importFile(strings.Repeat("n", 251)+".csv", csv, nil)
		if job.Status != models.ImportSucceeded || len(job.FileName) != 255 {
			t.Fatalf("a name at the bound: %+v", job)
		}
	})
}

// TestMigrantRefusalsOfBadText: on the /me routes the same refusals come in the
// migrant's language.
func TestMigrantRefusalsOfBadText(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	reg := candidateBody()
	reg["phone"], reg["pin"] = "+529621118888", "482913"
	delete(reg, "documents")
	tok := e.must(http.StatusCreated, e.do("POST", "/api/v1/migrants/register", "", reg))["token"].(string)
	for _, tc := range []struct {
		method, path string
		body         any
		field        string
	}{
		{"PATCH", "/api/v1/me", `{"full_name": "Jean\u0000"}`, "full_name"},
		{"GET", "/api/v1/me/eligibility?state=MX-NLE&date=%00", nil, "date"},
		{"GET", "/api/v1/me/matches?cursor=" + api.TagCursor("/api/v1/vacancies", "w0.0"), nil, "cursor"},
	} {
		p := e.must(http.StatusUnprocessableEntity, e.do(tc.method, tc.path, tok, tc.body))
		errs, _ := p["errors"].([]any)
		if len(errs) != 1 || errs[0].(map[string]any)["field"] != tc.field {
			t.Fatalf("%s %s: %v, want %s blamed", tc.method, tc.path, p, tc.field)
		}
		if msg := errs[0].(map[string]any)["message"].(string); !strings.HasPrefix(msg, "debe") && !strings.HasPrefix(msg, "no es") {
			t.Errorf("%s %s: message %q is not in Spanish", tc.method, tc.path, msg)
		}
	}
}
