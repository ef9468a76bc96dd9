package importer

import (
	"reflect"
	"testing"

	"github.com/vincula/vincula/models"
)

func TestParseDate(t *testing.T) {
	cases := []struct {
		in, want, err string
	}{
		{in: "2026-02-01", want: "2026-02-01"},
		{in: "2026/2/1", want: "2026-02-01"},
		{in: "2026-02-01 00:00:00", want: "2026-02-01"},
		{in: "2026-02-01T00:00:00Z", want: "2026-02-01"},
		{in: "01/02/2026", want: "2026-02-01"}, // day first, as in Mexico
		{in: "1/2/2026", want: "2026-02-01"},
		{in: "31/12/2026", want: "2026-12-31"},
		{in: "01-02-2026", want: "2026-02-01"},
		{in: "01.02.2026", want: "2026-02-01"},
		{in: "29/02/2028", want: "2028-02-29"},
		{in: "46054", want: "2026-02-01"},
		{in: "46054.75", want: "2026-02-01"}, // a time of day in the serial
		{in: "45658", want: "2025-01-01"},
		{in: "61", want: "1900-03-01"},
		{in: "59", want: "1900-02-28"},
		{in: "1", want: "1900-01-01"},
		{in: "2958465", want: "9999-12-31"},
		{in: "60", err: `"60" is Excel's 29 February 1900, a day that does not exist; type the date as YYYY-MM-DD`},
		{in: "0", err: `"0" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
		{in: "2958466", err: `"2958466" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
		{in: "31/02/2026", err: `"31/02/2026" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
		{in: "29/02/2026", err: `"29/02/2026" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
		{in: "2026-13-01", err: `"2026-13-01" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
		{in: "01/02/26", err: `"01/02/26" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
		{in: "1 de febrero", err: `"1 de febrero" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
		{in: "-5", err: `"-5" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			d, err := parseDate(tc.in, false)
			checkParse(t, d.String(), tc.want, err, tc.err)
		})
	}
}

func TestParseDate1904(t *testing.T) {
	cases := []struct{ in, want, err string }{
		{in: "0", want: "1904-01-01"},
		{in: "60", want: "1904-03-01"},
		{in: "44592", want: "2026-02-01"},
		{in: "01/02/2026", want: "2026-02-01"},
		{in: "-1", err: `"-1" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			d, err := parseDate(tc.in, true)
			checkParse(t, d.String(), tc.want, err, tc.err)
		})
	}
}

func TestParseMoney(t *testing.T) {
	cases := []struct {
		in   string
		want int
		err  string
	}{
		{in: "12000", want: 12000},
		{in: "12,000", want: 12000},
		{in: "$12,000.00", want: 12000},
		{in: "$ 12,000.50", want: 12001},
		{in: "12 000", want: 12000},
		{in: "12\u00a0000", want: 12000},
		{in: "1,234,567", want: 1234567},
		{in: "12000 MXN", want: 12000},
		{in: "9500.4", want: 9500},
		{in: "1.2E+4", want: 12000},
		{in: "-100", want: -100}, // left for the API's rule to refuse, with its words
		{in: "12,00", err: `"12,00" is not an amount of pesos (write it like 12000 or 12,000.00)`},
		{in: "doce mil", err: `"doce mil" is not an amount of pesos (write it like 12000 or 12,000.00)`},
		{in: "0x10", err: `"0x10" is not an amount of pesos (write it like 12000 or 12,000.00)`},
		{in: "1e300", err: `"1e300" is not an amount of pesos (write it like 12000 or 12,000.00)`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			n, err := parseMoney(tc.in)
			checkParse(t, n, tc.want, err, tc.err)
		})
	}
}

func TestParseCount(t *testing.T) {
	cases := []struct {
		in   string
		want int
		err  string
	}{
		{in: "25", want: 25},
		{in: "3.0", want: 3},
		{in: "1,200", want: 1200},
		{in: "0", want: 0},
		{in: "2.5", err: `"2.5" is not a whole number`},
		{in: "diez", err: `"diez" is not a whole number`},
		{in: "NaN", err: `"NaN" is not a whole number`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			n, err := parseCount(tc.in)
			checkParse(t, n, tc.want, err, tc.err)
		})
	}
}

func TestParseYears(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		err  string
	}{
		{in: "2", want: 2},
		{in: "1.5", want: 1.5},
		{in: "1,5", want: 1.5},
		{in: "2 años", want: 2},
		{in: "1 año", want: 1},
		{in: "3 years", want: 3},
		{in: "dos", err: `"dos" is not a number of years (write it like 2 or 1.5)`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			y, err := parseYears(tc.in)
			checkParse(t, y, tc.want, err, tc.err)
		})
	}
}

func TestParseBool(t *testing.T) {
	for _, in := range []string{"sí", "Sí", "si", "SI", "yes", "true", "TRUE", "1", "x", "X", "verdadero"} {
		t.Run(in, func(t *testing.T) {
			b, err := parseBool(in)
			checkParse(t, b, true, err, "")
		})
	}
	for _, in := range []string{"no", "No", "false", "FALSE", "0", "falso"} {
		t.Run(in, func(t *testing.T) {
			b, err := parseBool(in)
			checkParse(t, b, false, err, "")
		})
	}
	_, err := parseBool("tal vez")
	checkParse(t, false, false, err, `"tal vez" is not yes or no (use sí or no)`)
}

func TestParseEducation(t *testing.T) {
	cases := []struct{ in, want, err string }{
		{in: "ninguna", want: "none"},
		{in: "Primaria", want: "primary"},
		{in: "SECUNDARIA", want: "secondary"},
		{in: "Preparatoria", want: "upper_secondary"},
		{in: "bachillerato", want: "upper_secondary"},
		{in: "Técnico", want: "technical"},
		{in: "carrera técnica", want: "technical"},
		{in: "Licenciatura", want: "university"},
		{in: "universidad", want: "university"},
		{in: "profesional", want: "university"},
		{in: "upper_secondary", want: "upper_secondary"},
		{in: "none", want: "none"},
		{in: "kínder", err: `"kínder" is not an education level (use ninguna, primaria, secundaria, preparatoria, técnico or licenciatura)`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseEducation(tc.in)
			checkParse(t, got, tc.want, err, tc.err)
		})
	}
}

func TestParseState(t *testing.T) {
	cases := []struct{ in, want, err string }{
		{in: "MX-NLE", want: "MX-NLE"},
		{in: "mx-nle", want: "MX-NLE"},
		{in: "NLE", want: "MX-NLE"},
		{in: "Nuevo León", want: "MX-NLE"},
		{in: "nuevo leon", want: "MX-NLE"},
		{in: "NUEVO LEÓN", want: "MX-NLE"},
		{in: "Edo. de México", want: "MX-MEX"},
		{in: "Estado de México", want: "MX-MEX"},
		{in: "México", want: "MX-MEX"},
		{in: "CDMX", want: "MX-CMX"},
		{in: "Ciudad de México", want: "MX-CMX"},
		{in: "San Luis Potosí", want: "MX-SLP"},
		{in: "Querétaro", want: "MX-QUE"},
		{in: "Yucatan", want: "MX-YUC"},
		{in: "Chiapas", want: "MX-CHP"},
		{in: "Baja California Sur", want: "MX-BCS"},
		{in: "Coahuila de Zaragoza", want: "MX-COA"},
		{in: "Texas", err: `"Texas" is not a Mexican state (write its name, like Nuevo León, or its code, like MX-NLE)`},
		{in: "MX-XXX", err: `"MX-XXX" is not a Mexican state (write its name, like Nuevo León, or its code, like MX-NLE)`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseState(tc.in)
			checkParse(t, got, tc.want, err, tc.err)
		})
	}
}

func TestParseStatus(t *testing.T) {
	cases := []struct {
		in   string
		want models.VacancyStatus
		err  string
	}{
		{in: "open", want: models.VacancyOpen},
		{in: "Abierta", want: models.VacancyOpen},
		{in: "pausada", want: models.VacancyPaused},
		{in: "cubierta", want: models.VacancyFilled},
		{in: "CERRADA", want: models.VacancyClosed},
		{in: "borrador", err: `"borrador" is not a vacancy status (use abierta, pausada, cubierta or cerrada)`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseStatus(tc.in)
			checkParse(t, got, tc.want, err, tc.err)
		})
	}
}

func TestParseSkills(t *testing.T) {
	cases := []struct {
		in       string
		required bool
		want     []models.VacancySkill
	}{
		{in: "soldadura; torno", want: []models.VacancySkill{sk("soldadura", false), sk("torno", false)}},
		{in: "soldadura*, torno | pintura", want: []models.VacancySkill{sk("soldadura", true), sk("torno", false), sk("pintura", false)}},
		{in: "soldadura (requerida); torno (Required); grúa (obligatorio)", want: []models.VacancySkill{sk("soldadura", true), sk("torno", true), sk("grúa", true)}},
		{in: "soldadura *\ntorno", want: []models.VacancySkill{sk("soldadura", true), sk("torno", false)}},
		{in: "soldadura; torno", required: true, want: []models.VacancySkill{sk("soldadura", true), sk("torno", true)}},
		{in: " ; ,, ", want: nil},
		{in: "*", want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := parseSkills(tc.in, tc.required); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	merged := mergeSkills([]models.VacancySkill{sk("Soldadura", false), sk("torno", false), sk("soldadura", true)})
	if want := []models.VacancySkill{sk("Soldadura", true), sk("torno", false)}; !reflect.DeepEqual(merged, want) {
		t.Errorf("mergeSkills: got %+v, want %+v", merged, want)
	}
}

func TestParseLanguages(t *testing.T) {
	cases := []struct {
		in   string
		want []models.LanguageSkill
		err  string
	}{
		{in: "es:native; en:B1", want: []models.LanguageSkill{lang("es", "native"), lang("en", "B1")}},
		{in: "inglés B1", want: []models.LanguageSkill{lang("en", "B1")}},
		{in: "Inglés (B2), francés básico", want: []models.LanguageSkill{lang("en", "B2"), lang("fr", "A2")}},
		{in: "español lengua materna", want: []models.LanguageSkill{lang("es", "native")}},
		{in: "English C1 | Haitian Creole native", want: []models.LanguageSkill{lang("en", "C1"), lang("ht", "native")}},
		{in: "kreyòl nativo", want: []models.LanguageSkill{lang("ht", "native")}},
		{in: "K'iche' nativo", want: []models.LanguageSkill{lang("quc", "native")}},
		{in: "eng-b1", want: []models.LanguageSkill{lang("en", "B1")}},
		{in: "quc: native", want: []models.LanguageSkill{lang("quc", "native")}},
		{in: "inglés", err: `"inglés": "inglés" has no level (add A1 to C2 or nativo, like "inglés B1")`},
		{in: "klingon B1", err: `"klingon B1": "klingon B1" is not a language we know (write a name like inglés or a code like en)`},
		{in: "en:B1; inglés C1", err: `"en:B1; inglés C1": "inglés C1" repeats a language listed before it; give each language once, at its best level`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseLanguages(tc.in)
			checkParse(t, got, tc.want, err, tc.err)
		})
	}
}

// checkParse compares a parser's result with the expected value or error message.
func checkParse[T any](t *testing.T, got, want T, err error, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil || err.Error() != wantErr {
			t.Errorf("error %v, want %q", err, wantErr)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func sk(name string, required bool) models.VacancySkill {
	return models.VacancySkill{Name: name, Required: required}
}

func lang(code, level string) models.LanguageSkill {
	return models.LanguageSkill{Code: code, Level: level}
}
