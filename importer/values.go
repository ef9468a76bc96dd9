package importer

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vincula/vincula/models"
)

// The value parsers below read what organisers type into a cell. Their errors are
// complete sentences about the cell's value, ready to follow `row 7, column "X": `.

var (
	isoDate   = regexp.MustCompile(`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T].*)?$`)
	localDate = regexp.MustCompile(`^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$`)
	serial    = regexp.MustCompile(`^\d+(?:\.\d+)?$`)
)

// excelEpoch is day 0 of Excel's 1900 date system for serials from 61 (1900-03-01)
// on. Excel counts a 29 February 1900 that never was (serial 60, a bug kept from
// Lotus 1-2-3), so serials 1 to 59 are one day later than this epoch suggests.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excel1904Epoch is day 0 of the 1904 date system, which has no phantom leap day.
var excel1904Epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)

// maxSerial is 9999-12-31, the last day Excel knows (in the 1900 system).
const maxSerial = 2958465

// parseDate reads YYYY-MM-DD (or YYYY/MM/DD, with any time of day after it), DD/MM/YYYY,
// D/M/YYYY, DD-MM-YYYY, DD.MM.YYYY and Excel serial numbers, counted in the 1904 date
// system when date1904 is set (workbooks made by old Mac Excel) and in the 1900 system
// otherwise. Day-first is the only order accepted for the slashed form because that is
// how dates are written in Mexico; "02/01/2026" is the 2nd of January.
func parseDate(s string, date1904 bool) (models.Date, error) {
	bad := fmt.Errorf("%q is not a date (use YYYY-MM-DD or DD/MM/YYYY)", s)
	if m := isoDate.FindStringSubmatch(s); m != nil {
		return ymd(m[1], m[2], m[3], bad)
	}
	if m := localDate.FindStringSubmatch(s); m != nil {
		return ymd(m[3], m[2], m[1], bad)
	}
	if serial.MatchString(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || (f < 1 && !date1904) || f >= maxSerial+1 {
			return models.Date{}, bad
		}
		if date1904 {
			return models.DateOf(excel1904Epoch.AddDate(0, 0, int(f))), nil
		}
		return excelSerialDate(int(f))
	}
	return models.Date{}, bad
}

// excelSerialDate converts a whole Excel serial day number.
func excelSerialDate(n int) (models.Date, error) {
	switch {
	case n == 60:
		return models.Date{}, errors.New(`"60" is Excel's 29 February 1900, a day that does not exist; type the date as YYYY-MM-DD`)
	case n < 60:
		n++
	}
	return models.DateOf(excelEpoch.AddDate(0, 0, n)), nil
}

func ymd(y, m, d string, bad error) (models.Date, error) {
	year, _ := strconv.Atoi(y)
	month, _ := strconv.Atoi(m)
	day, _ := strconv.Atoi(d)
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	// time.Date normalises 31 February into March; a date that comes back changed was
	// not a real day.
	if t.Year() != year || int(t.Month()) != month || t.Day() != day {
		return models.Date{}, bad
	}
	return models.DateOf(t), nil
}

var (
	groupedNumber  = regexp.MustCompile(`^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$`)
	plainNumber    = regexp.MustCompile(`^-?\d+(?:\.\d+)?$`)
	exponentNumber = regexp.MustCompile(`^-?\d+(?:\.\d+)?[eE][-+]?\d+$`)
)

// parseMoney reads a monthly amount in pesos: "12000", "12,000", "$12,000.00",
// "12 000", "12000 MXN". Centavos are rounded to the nearest peso, as salaries are
// stored in whole pesos.
func parseMoney(s string) (int, error) {
	t := strings.ToLower(s)
	for _, drop := range []string{"$", "mxn", "m.n.", "pesos", " ", "\u00a0", "\u202f"} {
		t = strings.ReplaceAll(t, drop, "")
	}
	var f float64
	var err error
	switch {
	case groupedNumber.MatchString(t):
		f, err = strconv.ParseFloat(strings.ReplaceAll(t, ",", ""), 64)
	// A workbook may store a raw number in exponent form (1.2E+4).
	case plainNumber.MatchString(t), exponentNumber.MatchString(t):
		f, err = strconv.ParseFloat(t, 64)
	default:
		err = strconv.ErrSyntax
	}
	if err != nil || math.Abs(f) > 1e9 {
		return 0, fmt.Errorf("%q is not an amount of pesos (write it like 12000 or 12,000.00)", s)
	}
	return int(math.Round(f)), nil
}

// parseCount reads a whole number such as a number of positions. A workbook may store
// it as "3.0"; "2.5" positions is refused.
func parseCount(s string) (int, error) {
	t := strings.ReplaceAll(s, ",", "")
	if !plainNumber.MatchString(t) {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e6 {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return int(f), nil
}

var yearsPattern = regexp.MustCompile(`^(\d+(?:[.,]\d+)?)\s*(?:años?|anos?|years?|yrs?|a)?\.?$`)

// parseYears reads years of experience: "2", "1.5", "1,5" (decimal comma), "2 años".
func parseYears(s string) (float64, error) {
	m := yearsPattern.FindStringSubmatch(strings.ToLower(s))
	if m == nil {
		return 0, fmt.Errorf("%q is not a number of years (write it like 2 or 1.5)", s)
	}
	f, err := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number of years (write it like 2 or 1.5)", s)
	}
	return f, nil
}

// parseBool reads yes/no in Spanish or English, 1/0, an "x" mark or Excel's TRUE/FALSE.
func parseBool(s string) (bool, error) {
	switch models.Fold(s) {
	case "si", "s", "yes", "y", "true", "verdadero", "1", "x":
		return true, nil
	case "no", "n", "false", "falso", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no (use sí or no)", s)
}

// educationWords maps folded words to education levels: the API's values (folded, so
// "upper_secondary" is "upper secondary") and the Spanish words for them.
var educationWords = map[string]string{
	"none": "none", "primary": "primary", "secondary": "secondary",
	"upper secondary": "upper_secondary", "technical": "technical", "university": "university",
	"ninguna": "none", "ninguno": "none", "sin estudios": "none", "sin escolaridad": "none",
	"primaria": "primary", "secundaria": "secondary",
	"preparatoria": "upper_secondary", "bachillerato": "upper_secondary", "prepa": "upper_secondary",
	"media superior": "upper_secondary", "educacion media superior": "upper_secondary",
	"high school": "upper_secondary",
	"tecnico":     "technical", "tecnica": "technical", "carrera tecnica": "technical",
	"tecnico superior": "technical", "tsu": "technical",
	"licenciatura": "university", "universidad": "university", "profesional": "university",
	"ingenieria": "university", "universitaria": "university", "posgrado": "university",
	"maestria": "university", "doctorado": "university",
}

// parseEducation reads an education level as an API value ("upper_secondary") or the
// Spanish word for it ("bachillerato").
func parseEducation(s string) (string, error) {
	if level, ok := educationWords[models.Fold(s)]; ok {
		return level, nil
	}
	return "", fmt.Errorf("%q is not an education level (use ninguna, primaria, secundaria, preparatoria, técnico or licenciatura)", s)
}

// stateAliases are the short and long names people write for states besides the
// official name and the ISO code.
var stateAliases = map[string]string{
	"cdmx": "MX-CMX", "df": "MX-CMX", "d f": "MX-CMX", "distrito federal": "MX-CMX",
	"ciudad de mexico": "MX-CMX", "mexico city": "MX-CMX",
	"edomex": "MX-MEX", "edo mex": "MX-MEX", "edo de mexico": "MX-MEX", "estado de mexico": "MX-MEX",
	"nl": "MX-NLE", "n l": "MX-NLE",
	"bc": "MX-BCN", "baja california norte": "MX-BCN",
	"bcs":  "MX-BCS",
	"slp":  "MX-SLP",
	"qroo": "MX-ROO", "q roo": "MX-ROO",
	"coahuila de zaragoza":            "MX-COA",
	"michoacan de ocampo":             "MX-MIC",
	"veracruz de ignacio de la llave": "MX-VER",
}

var stateByName = func() map[string]string {
	m := map[string]string{}
	for _, s := range models.States {
		m[models.Fold(s.Name)] = s.Code
		m[models.Fold(s.Code)] = s.Code
		m[models.Fold(strings.TrimPrefix(s.Code, "MX-"))] = s.Code
	}
	for alias, code := range stateAliases {
		m[alias] = code
	}
	return m
}()

// parseState reads a Mexican state as an ISO code (MX-NLE), its last three letters
// (NLE), its name in any case with or without accents (nuevo leon) or a common short
// form (CDMX, Edo. de México).
func parseState(s string) (string, error) {
	if code, ok := stateByName[models.Fold(s)]; ok {
		return code, nil
	}
	return "", fmt.Errorf("%q is not a Mexican state (write its name, like Nuevo León, or its code, like MX-NLE)", s)
}

var statusWords = map[string]models.VacancyStatus{
	"open": models.VacancyOpen, "abierta": models.VacancyOpen, "abierto": models.VacancyOpen,
	"activa": models.VacancyOpen, "activo": models.VacancyOpen, "vigente": models.VacancyOpen,
	"paused": models.VacancyPaused, "pausada": models.VacancyPaused, "en pausa": models.VacancyPaused,
	"filled": models.VacancyFilled, "cubierta": models.VacancyFilled, "ocupada": models.VacancyFilled,
	"closed": models.VacancyClosed, "cerrada": models.VacancyClosed, "cancelada": models.VacancyClosed,
}

// parseStatus reads a vacancy status in English or Spanish.
func parseStatus(s string) (models.VacancyStatus, error) {
	if st, ok := statusWords[models.Fold(s)]; ok {
		return st, nil
	}
	return "", fmt.Errorf("%q is not a vacancy status (use abierta, pausada, cubierta or cerrada)", s)
}

// splitList splits a cell holding a list; organisers separate items with semicolons,
// commas or bars, and sometimes with line breaks inside the cell.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == ',' || r == '|' || r == '\n'
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var requiredMark = regexp.MustCompile(`(?i)\s*(?:\*|\((?:requerida|requerido|required|obligatoria|obligatorio)\))\s*$`)

// parseSkills reads a list of skills. A trailing "*" or "(requerida)"/"(required)"
// marks a required skill; otherwise a skill is required when required is true (the
// "habilidades requeridas" column).
func parseSkills(s string, required bool) []models.VacancySkill {
	var out []models.VacancySkill
	for _, item := range splitList(s) {
		req := required
		// Most skills carry no mark; the suffix test spares them the regular expression.
		if strings.HasSuffix(item, "*") || strings.HasSuffix(item, ")") {
			if loc := requiredMark.FindStringIndex(item); loc != nil {
				item, req = strings.TrimSpace(item[:loc[0]]), true
			}
		}
		if item != "" {
			out = append(out, models.VacancySkill{Name: item, Required: req})
		}
	}
	return out
}

// mergeSkills drops repeated skills (compared folded), keeping a skill required when
// any mention of it says so.
func mergeSkills(skills []models.VacancySkill) []models.VacancySkill {
	seen := map[string]int{}
	var out []models.VacancySkill
	for _, sk := range skills {
		k := models.Fold(sk.Name)
		if i, ok := seen[k]; ok {
			out[i].Required = out[i].Required || sk.Required
			continue
		}
		seen[k] = len(out)
		out = append(out, sk)
	}
	return out
}

// languageNames maps language names in Spanish and English (folded) to codes, for the
// languages organisers actually list; codes themselves are accepted too.
var languageNames = map[string]string{
	"espanol": "es", "castellano": "es", "spanish": "es",
	"ingles": "en", "english": "en",
	"frances": "fr", "french": "fr",
	"creole": "ht", "criollo": "ht", "criollo haitiano": "ht", "creole haitiano": "ht",
	"kreyol": "ht", "haitian creole": "ht", "haitiano": "ht",
	"portugues": "pt", "portuguese": "pt",
	"aleman": "de", "german": "de",
	"italiano": "it", "italian": "it",
	"chino": "zh", "mandarin": "zh", "chinese": "zh",
	"japones": "ja", "japanese": "ja",
	"coreano": "ko", "korean": "ko",
	"arabe": "ar", "arabic": "ar",
	"ruso": "ru", "russian": "ru",
	"k iche": "quc", "kiche": "quc", "quiche": "quc",
	"mam":        "mam",
	"q anjob al": "kjb", "qanjobal": "kjb", "kanjobal": "kjb",
	"kaqchikel": "cak", "q eqchi": "kek", "qeqchi": "kek",
	"garifuna": "cab",
	"maya":     "yua", "maya yucateco": "yua",
	"nahuatl": "nah",
	"tsotsil": "tzo", "tzotzil": "tzo", "tseltal": "tzh", "tzeltal": "tzh",
	"zapoteco": "zap", "mixteco": "mix", "otomi": "oto", "mazahua": "maz",
}

// levelWords maps level words to the API's levels. "Básico", "intermedio" and
// "avanzado" are what sheets say when nobody took a CEFR test; they are read as the
// level an employer usually means by them.
var levelWords = map[string]string{
	"a1": "A1", "a2": "A2", "b1": "B1", "b2": "B2", "c1": "C1", "c2": "C2",
	"native": "native", "nativo": "native", "nativa": "native", "materna": "native",
	"lengua materna": "native", "materno": "native",
	"basico": "A2", "basic": "A2", "intermedio": "B1", "intermediate": "B1",
	"avanzado": "C1", "advanced": "C1",
}

// parseLanguages reads a list like "es:native; en:B1" or "inglés B1, francés básico".
// Each item is a language (an ISO code or a name) followed by a level.
func parseLanguages(s string) ([]models.LanguageSkill, error) {
	var out []models.LanguageSkill
	for _, item := range splitList(s) {
		words := strings.Fields(models.Fold(item))
		if len(words) == 0 {
			continue
		}
		// The level is the longest tail of words that is a level; the rest is the
		// language.
		level, cut := "", len(words)
		for i := 1; i < len(words); i++ {
			if l, ok := levelWords[strings.Join(words[i:], " ")]; ok {
				level, cut = l, i
				break
			}
		}
		lang := strings.Join(words[:cut], " ")
		code, ok := languageNames[lang]
		if !ok {
			c := models.CanonicalLanguageCode(lang)
			if !models.ValidLanguageCode(c) {
				return nil, fmt.Errorf("%q: %q is not a language we know (write a name like inglés or a code like en)", s, strings.TrimSpace(item))
			}
			code = c
		}
		if level == "" {
			return nil, fmt.Errorf("%q: %q has no level (add A1 to C2 or nativo, like \"inglés B1\")", s, strings.TrimSpace(item))
		}
		for _, prev := range out {
			if prev.Code == code {
				return nil, fmt.Errorf("%q: %q repeats a language listed before it; give each language once, at its best level", s, strings.TrimSpace(item))
			}
		}
		out = append(out, models.LanguageSkill{Code: code, Level: level})
	}
	return out, nil
}
