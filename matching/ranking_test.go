package matching

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vincula/vincula/models"
)

// TestEmbeddedWeights guards DefaultWeights, which panics if the shipped file is broken.
func TestEmbeddedWeights(t *testing.T) {
	w, err := LoadWeights(defaultWeightsJSON)
	if err != nil {
		t.Fatalf("the embedded weights file is refused: %v", err)
	}
	want := Weights{Version: "2026-12-08", Text: 0.05, Skills: 0.15, Occupation: 0.2, Experience: 0.2,
		Languages: 0.1, Location: 0.2, Availability: 0.1}
	if !reflect.DeepEqual(w.values(), want.values()) || w.Version != want.Version {
		t.Errorf("embedded weights = %+v, want %+v", *w, want)
	}
	d := DefaultWeights()
	if !reflect.DeepEqual(*d, *w) {
		t.Errorf("DefaultWeights() = %+v, want %+v", *d, *w)
	}
	r := d.Rules
	if r.LateStartDays != 30 || r.HeldBackFactor != 0.5 || !slices.Contains(r.GenericTitles, "ayudante general") ||
		!slices.Contains(r.GenericTitles, "mil usos") || len(r.CommuteZones) == 0 {
		t.Errorf("embedded rules = %+v", r)
	}
	d.Skills = 99
	d.Rules.GenericTitles[0] = "changed"
	d.Rules.CommuteZones[0].Municipalities[0] = "changed"
	if e := DefaultWeights(); e.Skills != 0.15 || e.Rules.GenericTitles[0] == "changed" || e.Rules.CommuteZones[0].Municipalities[0] == "changed" {
		t.Error("changing the weights DefaultWeights returned changed the defaults of every caller")
	}
}

func TestLoadWeightsRefusesBrokenFiles(t *testing.T) {
	const allWeights = `"text": 0.15, "skills": 0.25, "occupation": 0.15, "experience": 0.15, "languages": 0.1, "location": 0.1, "availability": 0.1`
	tests := []struct {
		name string
		data string
		want string
	}{
		{"empty file", ``, "ranking weights: the file is empty or cut short"},
		{"not JSON", `weights: 1`, "ranking weights: not valid JSON (at byte 1): invalid character 'w' looking for beginning of value"},
		{"unknown top-level field", `{"version": "x", "weights": {` + allWeights + `}, "weight": {}}`,
			`ranking weights: the file has an unknown field "weight"`},
		{"unknown part", `{"version": "x", "weights": {` + allWeights + `, "salary": 0.1}}`,
			`ranking weights: the file has an unknown field "salary"`},
		{"a weight that is not a number", `{"version": "x", "weights": {"text": "high"}}`,
			"ranking weights: weights.text must be a JSON number, not string"},
		{"data after the object", `{"version": "x", "weights": {` + allWeights + `}} {}`,
			"ranking weights: unexpected data after the JSON object"},
		{"missing version", `{"weights": {` + allWeights + `}}`,
			`ranking weights are invalid: version is missing: the file must say which version of the weights it is (for example "2026-11-01")`},
		{"blank version", `{"version": "  ", "weights": {` + allWeights + `}}`,
			`ranking weights are invalid: version is missing: the file must say which version of the weights it is (for example "2026-11-01")`},
		{"no weights", `{"version": "x"}`,
			"ranking weights are invalid: weights is missing: the file must give a weight for each of text, skills, occupation, experience, languages, location, availability"},
		{"a missing weight", `{"version": "x", "weights": {"text": 0.15, "skills": 0.25, "occupation": 0.15, "experience": 0.15, "languages": 0.1, "location": 0.1}}`,
			"ranking weights are invalid: weights.availability is missing: write 0 to leave the part out of the score"},
		{"negative weights, each named", `{"version": "x", "weights": {"text": 0.15, "skills": 0.25, "occupation": -0.5, "experience": 0.15, "languages": 0.1, "location": -1, "availability": 0.1}}`,
			"ranking weights are invalid: weights.occupation must be 0 or more, got -0.5; weights.location must be 0 or more, got -1"},
		{"all zero", `{"version": "x", "weights": {"text": 0, "skills": 0, "occupation": 0, "experience": 0, "languages": 0, "location": 0, "availability": 0}}`,
			"ranking weights are invalid: weights are all zero: at least one part must count"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := LoadWeights([]byte(tc.data))
			if err == nil {
				t.Fatalf("accepted, got %+v", *w)
			}
			if !errors.Is(err, models.ErrInvalid) {
				t.Errorf("error %v is not a models.ErrInvalid", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got  %s\n want %s", err, tc.want)
			}
		})
	}
}

func TestLoadWeightsAcceptsAZeroPart(t *testing.T) {
	w, err := LoadWeights([]byte(`{"version": " 2027-01 ", "weights": {"text": 0, "skills": 2, "occupation": 1, "experience": 1, "languages": 1, "location": 0.5, "availability": 0.5}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Weights{Version: "2027-01", Text: 0, Skills: 2, Occupation: 1, Experience: 1, Languages: 1, Location: 0.5, Availability: 0.5,
		Rules: DefaultWeights().Rules}
	if !reflect.DeepEqual(*w, want) {
		t.Errorf("got %+v, want %+v (a file without rules keeps the embedded ones)", *w, want)
	}
}

// partCase is one row of a part's table: a vacancy and a candidate, and the value of the
// part written by hand.
type partCase struct {
	name string
	v    models.Vacancy
	c    models.Candidate
	want float64
}

// checkPart scores each case with the default weights and compares one part of the
// breakdown with the hand-written value.
func checkPart(t *testing.T, part string, cases []partCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := Score(&tc.v, &tc.c, 0, DefaultWeights(), models.DefaultVocabulary())
			got, ok := m.Breakdown[part]
			if !ok {
				t.Fatalf("breakdown %v has no %q", m.Breakdown, part)
			}
			if got != tc.want {
				t.Errorf("%s = %v, want %v (breakdown %v)", part, got, tc.want, m.Breakdown)
			}
		})
	}
}

func skills(names ...string) []models.CandidateSkill {
	out := make([]models.CandidateSkill, len(names))
	for i, n := range names {
		out[i] = models.CandidateSkill{Name: n}
	}
	return out
}

func required(names ...string) []models.VacancySkill {
	out := make([]models.VacancySkill, len(names))
	for i, n := range names {
		out[i] = models.VacancySkill{Name: n, Required: true}
	}
	return out
}

func TestScoreSkills(t *testing.T) {
	albanil := models.Vacancy{Title: "Albañil", Skills: required("albañil")}
	withOptional := models.Vacancy{Title: "Albañil", Skills: []models.VacancySkill{
		{Name: "albañil", Required: true}, {Name: "lectura de planos", Required: false}}}
	checkPart(t, "skills", []partCase{
		{"the same concept across languages", albanil, models.Candidate{Skills: skills("bòs mason")}, 1},
		{"the same concept without accents", albanil, models.Candidate{Skills: skills("ALBANIL")}, 1},
		{"a related concept is a partial match", albanil, models.Candidate{Skills: skills("ayudante de albañil")}, 0.5},
		{"an unrelated concept", albanil, models.Candidate{Skills: skills("soldador")}, 0},
		{"no skills at all", albanil, models.Candidate{}, 0},
		{"an experience title counts", albanil, models.Candidate{Experience: []models.Experience{{Title: "maçon", Years: 1}}}, 1},
		{"a desired occupation counts", albanil, models.Candidate{DesiredOccupations: []string{"mason"}}, 1},
		{"half of the required skills",
			models.Vacancy{Skills: required("soldadura", "manejo de montacargas")},
			models.Candidate{Skills: skills("welding")}, 0.5},
		{"a skill line naming two concepts is met by either",
			models.Vacancy{Skills: required("soldadura o montacargas")},
			models.Candidate{Skills: skills("chariot élévateur")}, 1},
		{"an occupation implies its own skill",
			models.Vacancy{Skills: required("soldadura")},
			models.Candidate{Experience: []models.Experience{{Title: "soldador", Years: 3}}}, 1},
		{"a skill meets the occupation asked as a skill",
			models.Vacancy{Skills: required("costurera")}, models.Candidate{Skills: skills("couture")}, 1},
		{"related occupations of one unit group are still a partial match",
			models.Vacancy{Skills: required("corte de café")}, models.Candidate{Skills: skills("pizcador")}, 0.5},
		{"a skill outside the vocabulary, same words without accents",
			models.Vacancy{Skills: required("cocina económica")}, models.Candidate{Skills: skills("COCINA ECONOMICA")}, 1},
		{"a skill outside the vocabulary, inside the candidate's wording",
			models.Vacancy{Skills: required("cocina caliente")}, models.Candidate{Skills: skills("cocina caliente y fría")}, 1},
		{"a skill outside the vocabulary, the candidate's wording inside it",
			models.Vacancy{Skills: required("cocina caliente")}, models.Candidate{Skills: skills("cocina")}, 0.5},
		{"text matches whole words only",
			models.Vacancy{Skills: required("pan")}, models.Candidate{Skills: skills("panadería")}, 0},
		{"required and optional skills all covered", withOptional,
			models.Candidate{Skills: skills("albanil", "lectura de planos")}, 1},
		{"only the required skill", withOptional, models.Candidate{Skills: skills("albanil")}, 0.9},
		{"only the optional skill", withOptional, models.Candidate{Skills: skills("lectura de planos")}, 0.1},
		{"no skill required: every listed skill counts alike",
			models.Vacancy{Skills: []models.VacancySkill{{Name: "albañil"}, {Name: "lectura de planos"}}},
			models.Candidate{Skills: skills("mason")}, 0.5},
		{"no skill listed: the title is what is asked",
			models.Vacancy{Title: "Cocinero de línea"},
			models.Candidate{Experience: []models.Experience{{Title: "kwizinye", Years: 4}}}, 1},
		{"no skill listed and another trade",
			models.Vacancy{Title: "Cocinero de línea"}, models.Candidate{Skills: skills("welder")}, 0},
		{"nothing asked at all", models.Vacancy{}, models.Candidate{}, 1},
		{"blank skill names are ignored",
			models.Vacancy{Skills: required(" ", "albañil", "¿?")}, models.Candidate{Skills: skills("maçon")}, 1},
	})
}

func TestScoreOccupation(t *testing.T) {
	checkPart(t, "occupation", []partCase{
		{"the same code on both sides",
			models.Vacancy{OccupationCode: "7112"},
			models.Candidate{Experience: []models.Experience{{Title: "obra", OccupationCode: "7112", Years: 1}}}, 1},
		{"the vacancy code against an experience title (carpenter 7115)",
			models.Vacancy{OccupationCode: "7112"},
			models.Candidate{Experience: []models.Experience{{Title: "carpintero", Years: 3}}}, 0.75},
		{"the title's concept when the vacancy has no code",
			models.Vacancy{Title: "Albañil"}, models.Candidate{DesiredOccupations: []string{"maçon"}}, 1},
		{"only the major group in common (welder 7212)",
			models.Vacancy{Title: "Albañil"},
			models.Candidate{Experience: []models.Experience{{Title: "soldador", Years: 3}}}, 0.25},
		{"the best of several jobs",
			models.Vacancy{Title: "Albañil"},
			models.Candidate{Experience: []models.Experience{{Title: "carpintero", Years: 3}, {Title: "bòs mason", Years: 1}}}, 1},
		{"the vacancy code wins over its title",
			models.Vacancy{Title: "Albañil", OccupationCode: "9211"},
			models.Candidate{Experience: []models.Experience{{Title: "albañil", Years: 3}}}, 0},
		{"declared skills are not occupations",
			models.Vacancy{OccupationCode: "7212"}, models.Candidate{Skills: skills("soldadura")}, 0},
		{"nothing known about the vacancy",
			models.Vacancy{Title: "Vacante urgente"},
			models.Candidate{Experience: []models.Experience{{Title: "albañil", Years: 3}}}, 0},
		{"nothing known about the candidate",
			models.Vacancy{OccupationCode: "7112"},
			models.Candidate{Experience: []models.Experience{{Title: "de todo un poco", Years: 3}}}, 0},
	})
}

func TestScoreExperience(t *testing.T) {
	checkPart(t, "experience", []partCase{
		{"no years asked", models.Vacancy{OccupationCode: "7112"}, models.Candidate{}, 1},
		{"half the years asked",
			models.Vacancy{OccupationCode: "7112", MinExperienceYears: 4},
			models.Candidate{Experience: []models.Experience{{Title: "albañil", Years: 2}}}, 0.5},
		{"more than asked",
			models.Vacancy{OccupationCode: "7112", MinExperienceYears: 2},
			models.Candidate{Experience: []models.Experience{{Title: "bòs mason", Years: 8}}}, 1},
		{"the same occupation counts fully, a related one (same minor group) half",
			models.Vacancy{OccupationCode: "7112", MinExperienceYears: 4},
			models.Candidate{Experience: []models.Experience{
				{Title: "albañil", Years: 1},
				{Title: "carpintero", Years: 1}, // 7115: same minor group, half
				{Title: "soldador", Years: 3},   // 7212: major group only, does not count
				{Title: "cocinero", Years: 5},
			}}, 0.375},
		{"an experience occupation code counts",
			models.Vacancy{OccupationCode: "8344", MinExperienceYears: 2},
			models.Candidate{Experience: []models.Experience{{Title: "bodega", OccupationCode: "8344", Years: 1}}}, 0.5},
		{"an uncoded job does not pass for relevant experience",
			models.Vacancy{OccupationCode: "7112", MinExperienceYears: 2},
			models.Candidate{Experience: []models.Experience{{Title: "de todo un poco", Years: 5}}}, 0},
		{"an uncoded job whose title contains the vacancy's",
			models.Vacancy{Title: "Cocina económica", OccupationCode: "5120", MinExperienceYears: 2},
			models.Candidate{Experience: []models.Experience{{Title: "cocina economica familiar", Years: 3}}}, 1},
		{"an uncoded job unlike the vacancy's title",
			models.Vacancy{Title: "Cocina económica", OccupationCode: "5120", MinExperienceYears: 2},
			models.Candidate{Experience: []models.Experience{{Title: "de todo un poco", Years: 3}}}, 0},
		{"every year counts when the vacancy's occupation is unknown, a generic title's only in part",
			models.Vacancy{Title: "Vacante urgente", MinExperienceYears: 2},
			models.Candidate{Experience: []models.Experience{{Title: "cocinero", Years: 1}, {Title: "lo que sea", Years: 0.5}}}, 0.6},
		{"negative years are ignored",
			models.Vacancy{OccupationCode: "7112", MinExperienceYears: 2},
			models.Candidate{Experience: []models.Experience{{Title: "albañil", Years: -3}, {Title: "albañil", Years: 1}}}, 0.5},
	})
}

func TestScoreLanguages(t *testing.T) {
	lang := func(pairs ...string) []models.LanguageSkill {
		var out []models.LanguageSkill
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, models.LanguageSkill{Code: pairs[i], Level: pairs[i+1]})
		}
		return out
	}
	checkPart(t, "languages", []partCase{
		{"none asked", models.Vacancy{}, models.Candidate{}, 1},
		{"native meets B1", models.Vacancy{Languages: lang("es", "B1")}, models.Candidate{Languages: lang("es", "native")}, 1},
		{"the level asked exactly", models.Vacancy{Languages: lang("es", "B1")}, models.Candidate{Languages: lang("es", "B1")}, 1},
		{"below the level asked", models.Vacancy{Languages: lang("es", "B1")}, models.Candidate{Languages: lang("es", "A2")}, 0},
		{"spa meets es", models.Vacancy{Languages: lang("spa", "B1")}, models.Candidate{Languages: lang("es", "B2")}, 1},
		{"codes and levels in any case", models.Vacancy{Languages: lang("ES", "b1")}, models.Candidate{Languages: lang("SPA", "c1")}, 1},
		{"a region subtag is dropped", models.Vacancy{Languages: lang("es-MX", "A2")}, models.Candidate{Languages: lang("es", "Native")}, 1},
		{"one of two languages", models.Vacancy{Languages: lang("es", "B1", "en", "A2")}, models.Candidate{Languages: lang("es", "native", "fr", "C2")}, 0.5},
		{"no level asked: any level will do", models.Vacancy{Languages: lang("ht", "")}, models.Candidate{Languages: lang("ht", "A1")}, 1},
		{"an unknown candidate level meets no level", models.Vacancy{Languages: lang("es", "A1")}, models.Candidate{Languages: lang("es", "fluent")}, 0},
		{"the best of a language listed twice", models.Vacancy{Languages: lang("es", "B1")}, models.Candidate{Languages: lang("es", "A1", "spa", "B2")}, 1},
		{"no languages on file", models.Vacancy{Languages: lang("es", "A1")}, models.Candidate{}, 0},
	})
}

func TestScoreLocation(t *testing.T) {
	merida := models.Vacancy{State: "MX-YUC", Municipality: "Mérida"}
	supported := models.Vacancy{State: "MX-YUC", Municipality: "Mérida", RelocationSupport: true}
	checkPart(t, "location", []partCase{
		{"same municipality, folded", merida, models.Candidate{CurrentState: "mx-yuc", Municipality: "MERIDA"}, 1},
		{"same state, another municipality", merida, models.Candidate{CurrentState: "MX-YUC", Municipality: "Valladolid"}, 0.8},
		{"same state, municipality unknown", merida, models.Candidate{CurrentState: "MX-YUC"}, 0.8},
		{"same state, no bonus for support", supported, models.Candidate{CurrentState: "MX-YUC", WillingToRelocate: true}, 0.8},
		{"another state, not willing", supported, models.Candidate{CurrentState: "MX-ROO"}, 0},
		{"another state, willing anywhere", merida, models.Candidate{CurrentState: "MX-ROO", WillingToRelocate: true}, 0.6},
		{"another state, willing and preferred", merida,
			models.Candidate{CurrentState: "MX-ROO", WillingToRelocate: true, PreferredStates: []string{"MX-CAM", "mx-yuc"}}, 0.6},
		{"another state, willing, preferred, supported", supported,
			models.Candidate{CurrentState: "MX-ROO", WillingToRelocate: true, PreferredStates: []string{"MX-YUC"}}, 0.7},
		{"another state, willing but prefers others", merida,
			models.Candidate{CurrentState: "MX-ROO", WillingToRelocate: true, PreferredStates: []string{"MX-NLE"}}, 0.3},
		{"another state, prefers others, supported", supported,
			models.Candidate{CurrentState: "MX-ROO", WillingToRelocate: true, PreferredStates: []string{"MX-NLE"}}, 0.4},
		{"no current state, not willing", merida, models.Candidate{}, 0},
	})
}

func TestScoreAvailability(t *testing.T) {
	start := models.MustDate("2027-02-01")
	on := func(d string) models.Candidate { return models.Candidate{AvailableFrom: models.MustDate(d)} }
	v := models.Vacancy{StartDate: start}
	checkPart(t, "availability", []partCase{
		{"no date given", v, models.Candidate{}, 1},
		{"before the start", v, on("2026-12-01"), 1},
		{"on the start date", v, on("2027-02-01"), 1},
		{"15 days late", v, on("2027-02-16"), 0.75},
		{"30 days late", v, on("2027-03-03"), 0.5},
		{"59 days late", v, on("2027-04-01"), 0.0167},
		{"60 days late", v, on("2027-04-02"), 0},
		{"half a year late", v, on("2027-08-01"), 0},
		{"the vacancy has no start date", models.Vacancy{}, on("2030-01-01"), 1},
	})
}

func TestScoreText(t *testing.T) {
	tests := []struct {
		in, want float64
	}{{0.73456, 0.7346}, {1, 1}, {1.5, 1}, {-0.2, 0}, {math.NaN(), 0}}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.in), func(t *testing.T) {
			m := Score(&models.Vacancy{}, &models.Candidate{}, tc.in, nil, nil)
			if got := m.Breakdown["text"]; got != tc.want {
				t.Errorf("text = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestScoreFormula checks the weighted mean on a pair whose parts are known by hand:
// text 0.5, skills 1, occupation 0.75, experience 0.25 (two years as a carpenter, a
// related occupation, count as one of the four asked), languages 0.5, location 0.6,
// availability 0.75 (15 days late: in time by the rules' 30 days, not held back).
func TestScoreFormula(t *testing.T) {
	v := &models.Vacancy{
		Title: "Albañil", Skills: required("albañil"), MinExperienceYears: 4,
		Languages: []models.LanguageSkill{{Code: "es", Level: "B1"}, {Code: "en", Level: "A2"}},
		State:     "MX-CHP", Municipality: "Palenque", StartDate: models.MustDate("2027-02-01"),
	}
	c := &models.Candidate{
		Skills:            skills("bòs mason"),
		Experience:        []models.Experience{{Title: "carpintero", Years: 2}},
		Languages:         []models.LanguageSkill{{Code: "es", Level: "B2"}},
		CurrentState:      "MX-TAB",
		WillingToRelocate: true,
		AvailableFrom:     models.MustDate("2027-02-16"),
	}
	wantBreakdown := map[string]float64{"text": 0.5, "skills": 1, "occupation": 0.75, "experience": 0.25,
		"languages": 0.5, "location": 0.6, "availability": 0.75}
	tests := []struct {
		name string
		w    *Weights
		want float64
	}{
		// 0.05·0.5 + 0.15·1 + 0.2·0.75 + 0.2·0.25 + 0.1·0.5 + 0.2·0.6 + 0.1·0.75 = 0.62
		{"default weights", DefaultWeights(), 0.62},
		{"nil means the default weights", nil, 0.62},
		// (0.5 + 1 + 0.75 + 0.25 + 0.5 + 0.6 + 0.75) / 7 = 4.35 / 7 = 0.621428…
		{"equal weights, rounded to 4 decimals", &Weights{Version: "t", Text: 1, Skills: 1, Occupation: 1, Experience: 1, Languages: 1, Location: 1, Availability: 1, Rules: DefaultWeights().Rules}, 0.6214},
		// (2·1 + 1·0.6) / 3 = 0.866…
		{"only some parts count", &Weights{Version: "t", Skills: 2, Location: 1, Rules: DefaultWeights().Rules}, 0.8667},
		{"weights that sum to zero give 0", &Weights{Version: "t", Rules: DefaultWeights().Rules}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := Score(v, c, 0.5, tc.w, nil)
			if m.Score != tc.want {
				t.Errorf("score = %v, want %v", m.Score, tc.want)
			}
			if !reflect.DeepEqual(m.Breakdown, wantBreakdown) {
				t.Errorf("breakdown = %v, want %v", m.Breakdown, wantBreakdown)
			}
		})
	}
	b, err := json.Marshal(Score(v, c, 0.5, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"score":0.62,"breakdown":{"availability":0.75,"experience":0.25,"languages":0.5,"location":0.6,"occupation":0.75,"skills":1,"text":0.5}}`
	if string(b) != wantJSON {
		t.Errorf("JSON\n got  %s\n want %s", b, wantJSON)
	}
}

// rankingFixture is testdata/ranking/fixture.json.
type rankingFixture struct {
	About      string             `json:"about"`
	Vacancies  []models.Vacancy   `json:"vacancies"`
	Candidates []models.Candidate `json:"candidates"`
	Expected   []struct {
		Vacancy string   `json:"vacancy"`
		Top3    []string `json:"top3"`
		Why     string   `json:"why"`
	} `json:"expected"`
}

func loadFixture(t *testing.T) rankingFixture {
	t.Helper()
	data, err := os.ReadFile("testdata/ranking/fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	var f rankingFixture
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return f
}

func (f rankingFixture) vacancy(t *testing.T, id string) *models.Vacancy {
	t.Helper()
	for i := range f.Vacancies {
		if f.Vacancies[i].ID == id {
			return &f.Vacancies[i]
		}
	}
	t.Fatalf("the fixture has no vacancy %q", id)
	return nil
}

type ranked struct {
	id    string
	match Match
}

// rank scores every candidate for v with text relevance 0, best first; equal scores go
// by ID so the order is stable, and the test checks separately that the top of the
// order does not rest on that tie-break.
func rank(v *models.Vacancy, candidates []models.Candidate, w *Weights) []ranked {
	out := make([]ranked, len(candidates))
	for i := range candidates {
		out[i] = ranked{candidates[i].ID, Score(v, &candidates[i], 0, w, models.DefaultVocabulary())}
	}
	slices.SortStableFunc(out, func(a, b ranked) int {
		switch {
		case a.match.Score > b.match.Score:
			return -1
		case a.match.Score < b.match.Score:
			return 1
		}
		return strings.Compare(a.id, b.id)
	})
	return out
}

func describe(r []ranked) string {
	var b strings.Builder
	for i, x := range r {
		fmt.Fprintf(&b, "\n  %2d. %s %.4f %v", i+1, x.id, x.match.Score, x.match.Breakdown)
	}
	return b.String()
}

// checkTop3 asserts the first three of the ranking, and that each is strictly ahead of
// the next, so the order comes from the rules and not from the ID tie-break.
func checkTop3(t *testing.T, r []ranked, want []string) {
	t.Helper()
	got := []string{r[0].id, r[1].id, r[2].id}
	if !slices.Equal(got, want) {
		t.Errorf("top 3 = %v, want %v; ranking:%s", got, want, describe(r))
		return
	}
	for i := range 3 {
		if r[i].match.Score <= r[i+1].match.Score {
			t.Errorf("%s (%.4f) is not strictly ahead of %s (%.4f): the order rests on the tie-break; ranking:%s",
				r[i].id, r[i].match.Score, r[i+1].id, r[i+1].match.Score, describe(r))
		}
	}
}

// TestRankingFixture ranks the hand-written fixture's candidates for each vacancy and
// checks the first three against the order a counsellor would propose (the fixture says
// why for each).
func TestRankingFixture(t *testing.T) {
	f := loadFixture(t)
	if len(f.Expected) != len(f.Vacancies) {
		t.Fatalf("the fixture has %d vacancies but %d expectations", len(f.Vacancies), len(f.Expected))
	}
	for _, e := range f.Expected {
		t.Run(e.Vacancy, func(t *testing.T) {
			checkTop3(t, rank(f.vacancy(t, e.Vacancy), f.Candidates, DefaultWeights()), e.Top3)
		})
	}
}

// TestRankingDeploymentWeights shows that a deployment's weights file changes the
// ranking: a deployment that funds every move leaves location out, and the maçon from
// Balancán, free on time, moves ahead of the bòs mason in Palenque who is free 9 days
// after the start.
func TestRankingDeploymentWeights(t *testing.T) {
	f := loadFixture(t)
	data, err := os.ReadFile("testdata/ranking/no_location.json")
	if err != nil {
		t.Fatal(err)
	}
	w, err := LoadWeights(data)
	if err != nil {
		t.Fatal(err)
	}
	if w.Version != "deployment-no-location" || w.Location != 0 {
		t.Fatalf("weights = %+v, want version deployment-no-location with location 0", *w)
	}
	v := f.vacancy(t, "v-albanil-palenque")
	t.Run("default weights", func(t *testing.T) {
		checkTop3(t, rank(v, f.Candidates, DefaultWeights()), []string{"c01", "c02", "c03"})
	})
	t.Run("no location", func(t *testing.T) {
		checkTop3(t, rank(v, f.Candidates, w), []string{"c01", "c03", "c02"})
	})
}

// TestScoreIgnoresProtectedTraits proves that nationality, gender, birth date (age), the
// CURP that encodes them, the documents (types and numbers) and the person's name and
// contacts never change a score: for several candidates and every fixture vacancy, a
// twin who differs only in those gets a deep-equal Match.
func TestScoreIgnoresProtectedTraits(t *testing.T) {
	f := loadFixture(t)
	twin := func(c models.Candidate) models.Candidate {
		c.FullName = "Otra Persona"
		c.Nationality = "VE"
		c.Gender = "X"
		c.BirthDate = models.MustDate("1960-01-01")
		c.CURP = "OIPP600101MNEXXX09"
		c.Phone = "+529611234567"
		c.Email = "otra@example.org"
		c.Documents = []models.Document{
			{ID: "d-twin-1", Type: models.DocVisitanteRegional, Number: "TVR-000001"},
			{ID: "d-twin-2", Type: models.DocConstanciaCOMAR, Number: "COMAR/2026/999", State: "MX-CHP",
				ExpiresOn: models.MustDate("2027-06-30"), Verified: true},
		}
		return c
	}
	for _, id := range []string{"c01", "c02", "c05", "c10", "c14", "c18", "c23"} {
		i := slices.IndexFunc(f.Candidates, func(c models.Candidate) bool { return c.ID == id })
		if i < 0 {
			t.Fatalf("the fixture has no candidate %q", id)
		}
		base := f.Candidates[i]
		base.Documents = []models.Document{{ID: "d-1", Type: models.DocResidentePermanente, Number: "RP-123456", Verified: true}}
		other := twin(base)
		for _, v := range f.Vacancies {
			t.Run(id+"/"+v.ID, func(t *testing.T) {
				for _, text := range []float64{0, 0.42} {
					a := Score(&v, &base, text, DefaultWeights(), models.DefaultVocabulary())
					b := Score(&v, &other, text, DefaultWeights(), models.DefaultVocabulary())
					if !reflect.DeepEqual(a, b) {
						t.Errorf("text %v: %+v for the candidate, %+v for the twin", text, a, b)
					}
				}
			})
		}
	}
}

// BenchmarkScorer is the ranking's cost per candidate once the vacancy side is prepared:
// go test ./matching -run '^$' -bench Scorer -benchmem
func BenchmarkScorer(b *testing.B) {
	v := &models.Vacancy{Title: "Soldador MIG", OccupationCode: "7212", State: "MX-COA", Municipality: "Ramos Arizpe",
		Skills:    []models.VacancySkill{{Name: "soldadura MIG", Required: true}, {Name: "lectura de planos"}},
		Languages: []models.LanguageSkill{{Code: "es", Level: "B1"}}, MinExperienceYears: 2, StartDate: models.MustDate("2027-01-15")}
	c := &models.Candidate{CurrentState: "MX-CHP", WillingToRelocate: true,
		Skills:             []models.CandidateSkill{{Name: "soudè"}, {Name: "lectura de planos"}, {Name: "cimbra"}},
		Experience:         []models.Experience{{Title: "soldador de estructuras", Years: 5}, {Title: "ayudante de albañil", Years: 2}},
		DesiredOccupations: []string{"soldador"}, Languages: []models.LanguageSkill{{Code: "es", Level: "B2"}, {Code: "ht", Level: "native"}}}
	s := NewScorer(v, nil, nil)
	b.ReportAllocs()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU()
	for i := 0; i < b.N; i++ {
		s.Score(c, 0.5)
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
