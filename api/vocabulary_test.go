package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

func init() {
	allowed["GET /api/v1/vocabulary/occupations"] = []models.Role{M, E, C, H, O, A}
	allowed["GET /api/v1/vocabulary/skills"] = []models.Role{M, E, C, H, O, A}
}

// TestVocabularyLookup: the autocomplete finds occupations and skills by the words people
// use in each language, folded (case and accents do not matter), ranked, each with its
// ESCO URI, ISCO-08 group and SINCO 2019 codes.
func TestVocabularyLookup(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	type item = map[string]any
	get := func(path string) []item {
		t.Helper()
		body := e.must(http.StatusOK, e.do("GET", path, e.as(C), nil))
		raw, _ := body["items"].([]any)
		out := make([]item, len(raw))
		for i, r := range raw {
			out[i] = r.(item)
		}
		return out
	}
	cases := []struct {
		kind, q, lang string
		wantID        string // the first result
		wantISCO      string
	}{
		{"occupations", "carretillero", "es", "forklift_operator", "8344"},
		{"occupations", "MONTACARGUISTA", "es", "forklift_operator", "8344"},
		{"occupations", "cariste", "fr", "forklift_operator", "8344"},
		{"occupations", "forklift driver", "en", "forklift_operator", "8344"},
		{"occupations", "pladurista", "es", "drywall_installer", "7123"},
		{"occupations", "tablaroq", "es", "drywall_installer", "7123"}, // a prefix
		{"occupations", "plombye", "ht", "", ""},                       // no such word: no result
		{"occupations", "plonbye", "ht", "plumber", "7126"},
		{"occupations", "fontanero", "es", "plumber", "7126"},
		{"occupations", "grabador de datos", "es", "data_entry_clerk", "4132"},
		{"occupations", "empleada de hogar", "", "domestic_worker", "9111"},
		{"occupations", "soldador de tuberias", "es", "esco_o_7212_3_3", "7212"}, // ESCO alone, accent-less
		{"occupations", "manèv", "ht", "manufacturing_labourer", "9329"},
		{"skills", "soldadura", "es", "welding", "7212"},
		{"skills", "operate forklift", "en", "forklift_operation", "8344"},
		{"skills", "soudage", "fr", "welding", "7212"},
	}
	for _, tc := range cases {
		t.Run(tc.kind+"/"+tc.q, func(t *testing.T) {
			path := "/api/v1/vocabulary/" + tc.kind + "?q=" + url.QueryEscape(tc.q)
			if tc.lang != "" {
				path += "&lang=" + tc.lang
			}
			items := get(path)
			if tc.wantID == "" {
				if len(items) != 0 {
					t.Fatalf("got %v, want nothing", items)
				}
				return
			}
			if len(items) == 0 {
				t.Fatal("no result")
			}
			first := items[0]
			if first["id"] != tc.wantID || first["isco08"] != tc.wantISCO {
				t.Fatalf("first result %v %v, want %s %s (all: %v)", first["id"], first["isco08"], tc.wantID, tc.wantISCO, ids(items))
			}
			wantKind := strings.TrimSuffix(tc.kind, "s")
			for _, it := range items {
				if it["kind"] != wantKind {
					t.Errorf("%v is a %v, want only %s", it["id"], it["kind"], wantKind)
				}
			}
		})
	}

	// The result carries the codes and labels: ESCO URI, ISCO-08 group and label, SINCO.
	first := get("/api/v1/vocabulary/occupations?q=montacarguista&lang=es")[0]
	if uri, _ := first["esco_uri"].(string); !strings.HasPrefix(uri, "http://data.europa.eu/esco/occupation/") {
		t.Errorf("esco_uri %q", uri)
	}
	if first["isco08_label"] == "" || first["origin"] != "vincula" || first["label"] != "montacarguista" {
		t.Errorf("labels: %v", first)
	}
	sinco, _ := first["sinco2019"].([]any)
	if len(sinco) == 0 || sinco[0].(map[string]any)["code"] == "" {
		t.Errorf("sinco2019 %v, want INEGI's groups of 8344", first["sinco2019"])
	}
	labels, _ := first["labels"].(map[string]any)
	for _, l := range []string{"es", "en", "fr", "ht"} {
		if labels[l] == "" || labels[l] == nil {
			t.Errorf("labels lack %s: %v", l, labels)
		}
	}

	// Ranked: an exact label comes before labels that only start with the query.
	items := get("/api/v1/vocabulary/occupations?q=soldador&lang=es&limit=5")
	if len(items) != 5 || items[0]["id"] != "welder" {
		t.Errorf("soldador: %v, want welder first and 5 results", ids(items))
	}

	// Bounded and checked input: each mistake is a 422 naming the parameter.
	for _, tc := range []struct{ query, field string }{
		{"", "q"},
		{"q=%20%20", "q"},
		{"q=" + strings.Repeat("a", 101), "q"},
		{"q=" + strings.Repeat("ab+", 20), "q"},
		{"q=sold&lang=de", "lang"},
		{"q=sold&limit=0", "limit"},
		{"q=sold&limit=51", "limit"},
		{"q=sold&limit=x", "limit"},
	} {
		p := e.must(http.StatusUnprocessableEntity, e.do("GET", "/api/v1/vocabulary/skills?"+tc.query, e.as(M), nil))
		if got := fieldNames(p); !slices.Contains(got, tc.field) {
			t.Errorf("%s: errors blame %v, want %s", tc.query, got, tc.field)
		}
	}
}

func ids(items []map[string]any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it["id"]
	}
	return out
}

// TestOccupationCodeSchemes: occupation_code on vacancies and experience takes ISCO-08
// ("7212", "isco08:7212") or SINCO 2019 ("sinco2019:7212"), kept as written; an unknown
// scheme or code is a 422 naming the field.
func TestOccupationCodeSchemes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		for _, code := range []string{"8344", "isco08:8344", "sinco2019:8352"} {
			body := vacancyBody("")
			body["occupation_code"] = code
			v := e.must(http.StatusCreated, e.do("POST", "/api/v1/vacancies", e.as(E), body))
			if v["occupation_code"] != code {
				t.Errorf("occupation_code %q came back as %v", code, v["occupation_code"])
			}
			got := e.must(http.StatusOK, e.do("GET", "/api/v1/vacancies/"+v["id"].(string), e.as(E), nil))
			if got["occupation_code"] != code {
				t.Errorf("occupation_code %q read back as %v", code, got["occupation_code"])
			}
		}
		for _, code := range []string{"sinco2019:0000", "7999", "ciuo08:8344", "sinco2019:"} {
			body := vacancyBody("")
			body["occupation_code"] = code
			p := e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/vacancies", e.as(E), body))
			if got := fieldNames(p); !slices.Contains(got, "occupation_code") {
				t.Errorf("%q: errors blame %v, want occupation_code", code, got)
			}
		}
		cand := candidateBody()
		cand["experience"] = []map[string]any{{"title": "soldador", "occupation_code": "sinco2019:7212", "years": 3}}
		e.must(http.StatusCreated, e.do("POST", "/api/v1/candidates", e.as(C), cand))
		cand["experience"] = []map[string]any{{"title": "soldador", "occupation_code": "sinco2019:72121", "years": 3}}
		p := e.must(http.StatusUnprocessableEntity, e.do("POST", "/api/v1/candidates", e.as(C), cand))
		if got := fieldNames(p); !slices.Contains(got, "experience[0].occupation_code") {
			t.Errorf("errors blame %v, want experience[0].occupation_code", got)
		}
	})
}
