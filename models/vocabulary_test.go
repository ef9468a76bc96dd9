package models

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestDefaultVocabularyLoads(t *testing.T) {
	// LoadVocabulary is called directly so that a broken file fails this test with the
	// list of problems instead of a panic in every test that uses DefaultVocabulary.
	v, err := LoadVocabulary(vocabularyJSON)
	if err != nil {
		t.Fatalf("the embedded vocabulary.json does not load: %v", err)
	}
	if v.Version() == "" {
		t.Error("the embedded vocabulary has no version")
	}
	if DefaultVocabulary() != DefaultVocabulary() {
		t.Error("DefaultVocabulary parsed the embedded file more than once")
	}
}

func TestVocabularyCounts(t *testing.T) {
	concepts := DefaultVocabulary().Concepts()
	if len(concepts) < 200 {
		t.Errorf("the vocabulary has %d concepts, want at least 200", len(concepts))
	}

	perSector := map[string]int{}
	occupations, multilingual := 0, 0
	for _, c := range concepts {
		perSector[c.Sector]++
		if len(c.Labels["es"]) == 0 || len(c.Labels["en"]) == 0 {
			t.Errorf("%s lacks an es or en label", c.ID)
		}
		if c.Kind == ConceptOccupation {
			occupations++
			if len(c.Labels["fr"]) > 0 && len(c.Labels["ht"]) > 0 {
				multilingual++
			}
		}
	}
	for _, s := range Sectors {
		if perSector[s] == 0 {
			t.Errorf("sector %q has no concept", s)
		}
	}
	if occupations == 0 || multilingual*5 < occupations*4 {
		t.Errorf("%d of %d occupations have fr and ht labels, want at least 80%%", multilingual, occupations)
	}
}

// TestVocabularyLabelsAreUnambiguous holds the shipped data to a stricter rule than
// LoadVocabulary: a folded label names one concept across all languages, so Match never
// depends on file order, and every label, written alone, matches its own concept.
func TestVocabularyLabelsAreUnambiguous(t *testing.T) {
	v := DefaultVocabulary()
	owner := map[string]string{}
	for _, c := range v.Concepts() {
		for lang, labels := range c.Labels {
			for _, label := range labels {
				folded := Fold(label)
				if other, ok := owner[folded]; ok && other != c.ID {
					t.Errorf("%s label %q (%s) also names %s", c.ID, label, lang, other)
				}
				owner[folded] = c.ID
				if got := v.Match(label); !slices.Equal(got, []string{c.ID}) {
					t.Errorf("Match(%q) = %q, want [%s]", label, got, c.ID)
				}
			}
		}
	}
}

func TestVocabularyRelatedIsSymmetric(t *testing.T) {
	v := DefaultVocabulary()
	for _, c := range v.Concepts() {
		for _, rel := range c.Related {
			other, ok := v.Concept(rel)
			if !ok {
				t.Fatalf("%s is related to unknown %s", c.ID, rel)
			}
			if !slices.Contains(other.Related, c.ID) {
				t.Errorf("%s lists %s as related but not the other way round", c.ID, rel)
			}
		}
	}
}

func TestVocabularyMatch(t *testing.T) {
	v := DefaultVocabulary()
	cases := []struct {
		name string
		text string
		want []string
	}{
		// One trade, four languages, any case or accents.
		{"spanish sentence", "Busco trabajo de albañil", []string{"bricklayer"}},
		{"english", "mason", []string{"bricklayer"}},
		{"french", "maçon", []string{"bricklayer"}},
		{"creole without accent", "bos mason", []string{"bricklayer"}},
		{"creole in capitals", "BÒS MASON", []string{"bricklayer"}},
		{"spanish without accent", "ALBANIL", []string{"bricklayer"}},
		{"one concept named thrice", "albañil, mason y bòs mason", []string{"bricklayer"}},

		// Order of first appearance, longest label first.
		{"forklift then welding", "operador de montacargas con experiencia en soldadura", []string{"forklift_operator", "welding"}},
		{"first appearance order", "Cajera y costurera; antes fui cajera", []string{"cashier", "seamstress"}},
		{"longest label wins", "ayudante de albañil", []string{"construction_labourer"}},
		{"shorter label alone", "montacargas", []string{"forklift_operation"}},
		{"multi-word skill", "licencia de conducir tipo federal", []string{"commercial_driving_licence"}},
		{"its shorter prefix", "licencia de conducir vigente", []string{"driving_licence"}},
		{"apostrophe", "Commercial driver's licence", []string{"commercial_driving_licence"}},
		{"punctuation between words", "soldadura MIG/TIG", []string{"welding"}},
		{"heavy machinery", "operador de maquinaria pesada", []string{"heavy_equipment_operator"}},
		{"truck before generic driver", "chofer de tráiler, antes chofer", []string{"truck_driver", "car_driver"}},
		{"harvests", "corte de café y corte de fresa", []string{"coffee_picker", "strawberry_picker"}},
		{"tomato harvest", "cosecha de tomate", []string{"tomato_picker"}},
		{"banana plantation", "banana plantation", []string{"banana_worker"}},
		{"ligature typed as oe", "manoeuvre du bâtiment", []string{"construction_labourer"}},
		{"ligature", "Manœuvre du bâtiment", []string{"construction_labourer"}},

		// Plurals.
		{"spanish -es plural", "albañiles", []string{"bricklayer"}},
		{"english -s plural", "welders", []string{"welder"}},
		{"two plurals", "Soldadores y electricistas", []string{"welder", "electrician"}},
		{"plural inside a multi-word label", "operadores de montacargas", []string{"forklift_operator"}},
		{"plural of every word", "jornaleros agrícolas", []string{"field_worker"}},
		{"feminine plural", "cajeras", []string{"cashier"}},

		// Haitian Creole and French.
		{"ht carpenter", "chapant", []string{"carpenter"}},
		{"ht welder", "soudè", []string{"welder"}},
		{"ht plumber", "plonbye", []string{"plumber"}},
		{"ht electrician", "elektrisyen", []string{"electrician"}},
		{"ht cook", "kwizinye", []string{"cook"}},
		{"ht truck driver", "chofè kamyon", []string{"truck_driver"}},
		{"ht guard", "gadyen", []string{"security_guard"}},
		{"ht tailor", "kouturyè", []string{"seamstress"}},
		{"ht farm worker", "travayè agrikòl", []string{"field_worker"}},
		{"ht vendor", "machann", []string{"street_vendor"}},
		{"fr forklift", "cariste", []string{"forklift_operator"}},
		{"fr domestic worker", "femme de ménage", []string{"domestic_worker"}},

		// Skills named in the brief.
		{"first aid", "Primeros auxilios", []string{"first_aid"}},
		{"customer service", "atención al cliente", []string{"customer_service"}},
		{"basic computing", "computación básica", []string{"basic_computing"}},
		{"english", "inglés", []string{"english_language"}},
		{"food hygiene", "manejo higiénico de alimentos", []string{"food_hygiene"}},
		{"blueprints", "lectura de planos", []string{"blueprint_reading"}},

		// Whole words only.
		{"longer word", "masonry", nil},
		{"longer word in a sentence", "masonry work", nil},
		{"word inside a name", "Tomasa", nil},
		{"guardian is not guard", "guardian", nil},
		{"nothing", "hola mundo", nil},
		{"empty", "", nil},
		{"blank", "  ¡!  ", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := v.Match(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("Match(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestVocabularyConceptAndLabel(t *testing.T) {
	v := DefaultVocabulary()
	c, ok := v.Concept("bricklayer")
	if !ok {
		t.Fatal("no bricklayer concept")
	}
	if c.ISCO != "7112" || c.Kind != ConceptOccupation || c.Sector != "construction" {
		t.Errorf("bricklayer = %s/%s/%s, want 7112/occupation/construction", c.ISCO, c.Kind, c.Sector)
	}
	if _, ok := v.Concept("astronaut"); ok {
		t.Error("Concept(astronaut) found a concept")
	}

	// Changing a returned concept must not change the shared vocabulary.
	c.Labels["es"][0] = "cambiado"
	c.Related[0] = "cambiado"
	all := v.Concepts()
	all[0].Labels["en"][0] = "changed"
	if got := v.Label("bricklayer", "es"); got != "albañil" {
		t.Errorf("after changing a copy, Label(bricklayer, es) = %q", got)
	}
	if got := v.Label("bricklayer", "en"); got != "bricklayer" {
		t.Errorf("after changing a copy, Label(bricklayer, en) = %q", got)
	}
	if again, _ := v.Concept("bricklayer"); again.Related[0] != "construction_labourer" {
		t.Errorf("after changing a copy, Related[0] = %q", again.Related[0])
	}

	small, err := LoadVocabulary([]byte(`{"version": "t", "concepts": [
		{"id": "cook", "isco": "5120", "kind": "occupation", "sector": "hospitality",
		 "labels": {"es": ["cocinero", "cocinera"], "en": ["cook"], "ht": ["kwizinye"]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	labels := []struct{ id, lang, want string }{
		{"cook", "ht", "kwizinye"},
		{"cook", "es", "cocinero"},
		{"cook", "en", "cook"},
		{"cook", "fr", "cocinero"}, // no French label: Spanish
		{"cook", "", "cocinero"},
		{"astronaut", "es", ""},
	}
	for _, tc := range labels {
		t.Run(tc.id+"/"+tc.lang, func(t *testing.T) {
			if got := small.Label(tc.id, tc.lang); got != tc.want {
				t.Errorf("Label(%q, %q) = %q, want %q", tc.id, tc.lang, got, tc.want)
			}
		})
	}
}

// vocabularyDoc wraps concept objects written in JSON into a vocabulary file.
func vocabularyDoc(concepts ...string) []byte {
	return []byte(`{"version": "test", "concepts": [` + strings.Join(concepts, ",") + `]}`)
}

// conceptJSON returns a valid concept object; extra is spliced in as further fields and
// labels replaces the default labels when not empty.
func conceptJSON(id, labels, extra string) string {
	if labels == "" {
		labels = fmt.Sprintf(`{"es": [%q], "en": [%q]}`, id+" es", id+" en")
	}
	if extra == "" {
		extra = `"isco": "9329", "kind": "occupation", "sector": "manufacturing"`
	}
	return fmt.Sprintf(`{"id": %q, %s, "labels": %s}`, id, extra, labels)
}

func TestLoadVocabularyErrors(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want []string // every one must appear in the error text
	}{
		{"not json", []byte(`{"concepts": [`), []string{"invalid vocabulary: unexpected EOF"}},
		{"data after the object", append(vocabularyDoc(conceptJSON("a", "", "")), " {}"...), []string{"invalid vocabulary: data after the top-level object"}},
		{"no concepts", vocabularyDoc(), []string{"invalid vocabulary: no concepts"}},
		{"unknown top-level field", []byte(`{"version": "t", "concept": []}`), []string{`unknown field "concept"`}},
		{"unknown concept field", vocabularyDoc(`{"id": "a", "isco": "1", "kind": "skill", "sector": "other", "labels": {"es": ["a"], "en": ["a"]}, "colour": "red"}`),
			[]string{`unknown field "colour"`}},
		{"empty id", vocabularyDoc(conceptJSON("", "", "")), []string{"concepts[0].id is empty"}},
		{"id not a slug", vocabularyDoc(conceptJSON("a", "", ""), conceptJSON("Brick Layer", "", "")),
			[]string{`concepts[1].id "Brick Layer" must be lower-case letters, digits and underscores`}},
		{"duplicate id", vocabularyDoc(conceptJSON("a", "", ""), conceptJSON("a", `{"es": ["otro"], "en": ["other"]}`, "")),
			[]string{"invalid vocabulary: a.id is a duplicate ID"}},
		{"isco too long", vocabularyDoc(conceptJSON("a", "", `"isco": "71123", "kind": "skill", "sector": "other"`)),
			[]string{`a.isco must be 1 to 4 digits, got "71123"`}},
		{"isco not digits", vocabularyDoc(conceptJSON("a", "", `"isco": "71a2", "kind": "skill", "sector": "other"`)),
			[]string{`a.isco must be 1 to 4 digits, got "71a2"`}},
		{"isco missing", vocabularyDoc(conceptJSON("a", "", `"kind": "skill", "sector": "other"`)),
			[]string{`a.isco must be 1 to 4 digits, got ""`}},
		{"unknown kind", vocabularyDoc(conceptJSON("a", "", `"isco": "7112", "kind": "trade", "sector": "construction"`)),
			[]string{`a.kind must be "occupation" or "skill", got "trade"`}},
		{"unknown sector", vocabularyDoc(conceptJSON("a", "", `"isco": "8111", "kind": "occupation", "sector": "mining"`)),
			[]string{`a.sector unknown sector "mining"`}},
		{"no english", vocabularyDoc(conceptJSON("a", `{"es": ["albañil"]}`, "")),
			[]string{"a.labels.en is missing: every concept needs es and en labels"}},
		{"empty label list", vocabularyDoc(conceptJSON("a", `{"es": ["albañil"], "en": ["mason"], "fr": []}`, "")),
			[]string{"a.labels.fr has no labels"}},
		{"empty label", vocabularyDoc(conceptJSON("a", `{"es": ["albañil", ""], "en": ["mason"]}`, "")),
			[]string{"a.labels.es has an empty label"}},
		{"label of punctuation only", vocabularyDoc(conceptJSON("a", `{"es": ["albañil"], "en": ["¡!"]}`, "")),
			[]string{"a.labels.en has an empty label"}},
		{"bad language code", vocabularyDoc(conceptJSON("a", `{"es": ["albañil"], "en": ["mason"], "español": ["x"]}`, "")),
			[]string{`a.labels.español "español" is not an ISO 639 language code`}},
		{"label naming two concepts", vocabularyDoc(
			conceptJSON("a", `{"es": ["albañil"], "en": ["mason"]}`, ""),
			conceptJSON("b", `{"es": ["Albanil"], "en": ["bricklayer"]}`, "")),
			[]string{`b.labels.es label "Albanil" also names "a"`}},
		{"dangling related", vocabularyDoc(conceptJSON("a", "", `"isco": "7112", "kind": "occupation", "sector": "construction", "related": ["ghost"]`)),
			[]string{`a.related names "ghost", which is not a concept`}},
		{"related to itself", vocabularyDoc(conceptJSON("a", "", `"isco": "7112", "kind": "occupation", "sector": "construction", "related": ["a"]`)),
			[]string{"a.related names the concept itself"}},
		{"every problem at once", vocabularyDoc(
			conceptJSON("a", `{"es": ["albañil"]}`, `"isco": "x", "kind": "occupation", "sector": "construction"`),
			conceptJSON("b", "", `"isco": "7112", "kind": "job", "sector": "construction", "related": ["c"]`)),
			[]string{`a.isco must be 1 to 4 digits, got "x"`, "a.labels.en is missing", `b.kind must be "occupation" or "skill", got "job"`, `b.related names "c"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := LoadVocabulary(tc.data)
			if err == nil {
				t.Fatalf("LoadVocabulary accepted the file (%d concepts)", len(v.Concepts()))
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

func TestLoadVocabularySameLabelInTwoLanguages(t *testing.T) {
	// "chef" is an English label of one concept and a French label of another: allowed,
	// because the rule is per language; Match then follows file order.
	v, err := LoadVocabulary(vocabularyDoc(
		conceptJSON("head_chef", `{"es": ["jefe de cocina"], "en": ["chef"]}`, ""),
		conceptJSON("boss", `{"es": ["jefe"], "en": ["boss"], "fr": ["chef"]}`, "")))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Match("chef"); !slices.Equal(got, []string{"head_chef"}) {
		t.Errorf("Match(chef) = %q, want [head_chef]", got)
	}
	if got := v.Match("jefe de cocina y jefe"); !slices.Equal(got, []string{"head_chef", "boss"}) {
		t.Errorf("Match = %q, want [head_chef boss]", got)
	}
}

func TestISCOCloseness(t *testing.T) {
	cases := []struct {
		a, b string
		want float64
	}{
		{"7112", "7112", 1},
		{"7112", "7115", 0.75},
		{"7112", "7126", 0.5},
		{"7112", "7411", 0.25},
		{"7112", "9313", 0},
		{"9313", "9312", 0.75},
		{"711", "7112", 0.75},
		{"71", "7112", 0.5},
		{"7", "7112", 0.25},
		{"711", "711", 0.75},
		{"", "7112", 0},
		{"7112", "", 0},
		{"", "", 0},
		{"71123", "7112", 0},
		{"x112", "7112", 0},
		{"7112 ", "7112", 0},
	}
	for _, tc := range cases {
		t.Run(tc.a+"|"+tc.b, func(t *testing.T) {
			if got := ISCOCloseness(tc.a, tc.b); got != tc.want {
				t.Errorf("ISCOCloseness(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
			if got := ISCOCloseness(tc.b, tc.a); got != tc.want {
				t.Errorf("ISCOCloseness(%q, %q) = %v, want %v (not symmetric)", tc.b, tc.a, got, tc.want)
			}
		})
	}
}

func BenchmarkVocabularyMatch(b *testing.B) {
	v := DefaultVocabulary()
	text := "Tengo cinco años de experiencia como operador de montacargas y almacenista, " +
		"con licencia de conducir tipo federal, soldadura MIG/TIG, primeros auxilios e inglés básico."
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU()
	for b.Loop() {
		v.Match(text)
	}
	b.ReportMetric(float64(threadCPU()-start)/float64(b.N), "cpu-ns/op")
}

// threadCPU is the CPU time of the calling OS thread (the benchmark locks its goroutine
// to it), which other processes on a busy machine do not inflate as they do wall time.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
