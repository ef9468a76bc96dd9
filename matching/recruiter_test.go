package matching

import (
	"slices"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
)

// The patterns of issue 20, each as a table: what an experienced SNE recruiter would do
// with the person, and what the score says.

func years(y float64) *float64 { return &y }

// TestUnwillingToMove: someone neither in the vacancy's state nor willing to move there
// is no candidate for it, nor someone in the state but outside the vacancy's commuting
// zone who will not move when the vacancy offers no relocation support; the match says
// why. Nothing unknown excludes anyone.
func TestUnwillingToMove(t *testing.T) {
	apodaca := models.Vacancy{Title: "Operador de montacargas", OccupationCode: "8344", State: "MX-NLE", Municipality: "Apodaca"}
	supported := apodaca
	supported.RelocationSupport = true
	torreon := models.Vacancy{Title: "Costurera", State: "MX-COA", Municipality: "Torreón"}
	driver := func(state, municipality string, relocate bool, preferred ...string) models.Candidate {
		return models.Candidate{CurrentState: state, Municipality: municipality, WillingToRelocate: relocate, PreferredStates: preferred,
			Skills: skills("manejo de montacargas"), Experience: []models.Experience{{Title: "montacarguista", Years: 7}}}
	}
	tests := []struct {
		name string
		v    models.Vacancy
		c    models.Candidate
		why  string // "" when a candidate
	}{
		{"Chiapas, will not move", apodaca, driver("MX-CHP", "Tapachula", false), "lives in Chiapas and is not willing to move to Nuevo León"},
		{"Chiapas, will not move, even with support", supported, driver("MX-CHP", "Tapachula", false), "lives in Chiapas and is not willing to move to Nuevo León"},
		{"Chiapas, will move anywhere", apodaca, driver("MX-CHP", "Tapachula", true), ""},
		{"Chiapas, will move to Nuevo León", apodaca, driver("MX-CHP", "Tapachula", true, "MX-COA", "MX-NLE"), ""},
		{"Chiapas, will move only to Coahuila", apodaca, driver("MX-CHP", "Tapachula", true, "MX-COA"),
			"lives in Chiapas and is willing to move only to Coahuila, not to Nuevo León"},
		{"the same municipality", apodaca, driver("MX-NLE", "Apodaca", false), ""},
		{"the same metropolitan zone", apodaca, driver("MX-NLE", "General Escobedo", false), ""},
		{"another zone of the state, no support", torreon, driver("MX-COA", "Saltillo", false),
			"lives in Saltillo, outside the commuting area of Torreón, is not willing to move, and the vacancy offers no relocation support"},
		{"another zone of the state, willing to move", torreon, driver("MX-COA", "Saltillo", true), ""},
		{"another zone of the state, with support", models.Vacancy{Title: "Costurera", State: "MX-COA", Municipality: "Torreón", RelocationSupport: true},
			driver("MX-COA", "Saltillo", false), ""},
		{"a municipality in no zone is never called far", torreon, driver("MX-COA", "Sierra Mojada", false), ""},
		{"no municipality on file", torreon, driver("MX-COA", "", false), ""},
		{"no state on file", apodaca, driver("", "", false), ""},
		{"a vacancy without a state", models.Vacancy{Title: "Montacarguista"}, driver("MX-CHP", "Tapachula", false), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := Score(&tc.v, &tc.c, 0.5, nil, nil)
			if m.Excluded != (tc.why != "") {
				t.Fatalf("excluded = %v, want %v (%+v)", m.Excluded, tc.why != "", m)
			}
			if tc.why != "" && !slices.Contains(m.Notes, tc.why) {
				t.Errorf("notes %q, want %q", m.Notes, tc.why)
			}
			s := NewScorer(&tc.v, nil, nil)
			if got := s.Unreachable(NewProfile(&tc.c, nil)); got != tc.why {
				t.Errorf("Unreachable = %q, want %q", got, tc.why)
			}
		})
	}
}

// TestLateStarter: someone free more than late_start_days after the start date ranks
// below everyone free in time, however well they fit, and the match says what held them
// back; among the late, the better fit still comes first. The bound stays above the score.
func TestLateStarter(t *testing.T) {
	start := models.MustDate("2027-03-01")
	v := models.Vacancy{Title: "Operador de montacargas", OccupationCode: "8344", Skills: required("manejo de montacargas"),
		MinExperienceYears: 1, State: "MX-NLE", Municipality: "Apodaca", StartDate: start}
	person := func(from string, title string, y float64) models.Candidate {
		return models.Candidate{CurrentState: "MX-NLE", Municipality: "Apodaca", AvailableFrom: models.MustDate(from),
			Skills: skills("manejo de montacargas"), Experience: []models.Experience{{Title: title, Years: y}}}
	}
	// The forklift driver of six years, free five months late; a warehouse worker free
	// now, a second choice for the trade; a driver free 20 days late (in time).
	late := person("2027-08-01", "montacarguista", 6)
	lateWeak := person("2027-08-01", "mozo de almacén", 1)
	now := models.Candidate{CurrentState: "MX-NLE", Municipality: "Monterrey", AvailableFrom: start,
		Experience: []models.Experience{{Title: "mozo de almacén", Years: 1}}}
	soon := person("2027-03-21", "montacarguista", 2)
	sc := NewScorer(&v, nil, nil)
	mLate, mNow, mSoon, mWeak := sc.Score(&late, 1), sc.Score(&now, 0), sc.Score(&soon, 1), sc.Score(&lateWeak, 1)
	if !mLate.HeldBack || mNow.HeldBack || mSoon.HeldBack {
		t.Fatalf("held back: late %v, now %v, 20 days late %v", mLate.HeldBack, mNow.HeldBack, mSoon.HeldBack)
	}
	if mLate.Score >= mNow.Score {
		t.Errorf("the late driver (%v %v) ranks with the warehouse worker free now (%v %v)", mLate.Score, mLate.Breakdown, mNow.Score, mNow.Breakdown)
	}
	if mSoon.Score <= mNow.Score {
		t.Errorf("a driver free 20 days late (%v) should still come before the warehouse worker (%v)", mSoon.Score, mNow.Score)
	}
	if mWeak.Score >= mLate.Score {
		t.Errorf("among the late, the driver (%v) should come before the warehouse worker (%v)", mLate.Score, mWeak.Score)
	}
	want := "available 153 days after the start date (2027-03-01), more than the 30 allowed: listed after the people available in time"
	if !slices.Contains(mLate.Notes, want) {
		t.Errorf("notes %q, want %q", mLate.Notes, want)
	}
	for _, c := range []*models.Candidate{&late, &now, &soon, &lateWeak} {
		p := NewProfile(c, nil)
		if b, s := sc.Bound(p, 1), sc.ScoreOf(p, 1); b < s {
			t.Errorf("bound %v below score %v", b, s)
		}
	}
}

// TestExperienceFromSkills: years on a skill the vacancy asks for count even when the
// job title is unknown; years in the same occupation count fully, in a related one
// (same ISCO minor group, or linked in the vocabulary) partly.
func TestExperienceFromSkills(t *testing.T) {
	welder := models.Vacancy{Title: "Soldador MIG", OccupationCode: "7212", Skills: required("soldadura MIG"), MinExperienceYears: 4}
	checkPart(t, "experience", []partCase{
		{"an unknown title, four years on the skill asked", welder,
			models.Candidate{Skills: []models.CandidateSkill{{Name: "soldadura MIG", Years: years(4)}},
				Experience: []models.Experience{{Title: "trabajos en taller de Honduras", Years: 4}}}, 1},
		{"the same, without the skill's years", welder,
			models.Candidate{Skills: skills("soldadura MIG"), Experience: []models.Experience{{Title: "trabajos en taller de Honduras", Years: 4}}}, 0},
		{"three years on the skill in Haitian Creole", welder,
			models.Candidate{Skills: []models.CandidateSkill{{Name: "soudaj", Years: years(3)}}}, 0.75},
		{"years on a skill not asked do not count", welder,
			models.Candidate{Skills: []models.CandidateSkill{{Name: "costura industrial", Years: years(6)}}}, 0},
		{"skills and jobs describing the same years are not added up", welder,
			models.Candidate{Skills: []models.CandidateSkill{{Name: "soldadura MIG", Years: years(2)}},
				Experience: []models.Experience{{Title: "soldador", Years: 2}}}, 0.5},
		{"the same occupation counts fully", welder, models.Candidate{Experience: []models.Experience{{Title: "welder", Years: 4}}}, 1},
		{"a related occupation (sheet metal worker, same minor group 721) half", welder,
			models.Candidate{Experience: []models.Experience{{Title: "hojalatero", Years: 4}}}, 0.5},
		{"a trade of another minor group does not count", welder,
			models.Candidate{Experience: []models.Experience{{Title: "electricista", Years: 6}}}, 0},
	})
}

// TestGenericTitle: "ayudante general", "mil usos", "obrero", "helper" or "general
// labourer" never give full occupation or skill credit on their own, and a mason of
// nine years comes before the kitchen helper whose title is "ayudante general".
func TestGenericTitle(t *testing.T) {
	v := models.Vacancy{Title: "Ayudante de construcción", OccupationCode: "9313", Skills: []models.VacancySkill{
		{Name: "carga de materiales", Required: true}, {Name: "albañilería"}}, State: "MX-NLE", Municipality: "General Escobedo"}
	limit := DefaultWeights().Rules.GenericTitleCredit
	for _, title := range []string{"ayudante general", "Ayudante General", "mil usos", "obrero", "helper", "general labourer", "peón"} {
		t.Run(title, func(t *testing.T) {
			c := models.Candidate{CurrentState: "MX-NLE", Municipality: "General Escobedo", Experience: []models.Experience{{Title: title, Years: 3}},
				DesiredOccupations: []string{title}}
			m := Score(&v, &c, 1, nil, nil)
			if m.Breakdown["occupation"] > limit || m.Breakdown["skills"] > limit {
				t.Errorf("a generic title earns occupation %v, skills %v (at most %v)", m.Breakdown["occupation"], m.Breakdown["skills"], limit)
			}
		})
	}
	kitchen := models.Candidate{CurrentState: "MX-NLE", Municipality: "General Escobedo",
		Skills: skills("lavado de trastes"), Experience: []models.Experience{{Title: "ayudante general", Years: 2}}}
	mason := models.Candidate{CurrentState: "MX-NLE", Municipality: "General Escobedo",
		Skills:     []models.CandidateSkill{{Name: "albañilería", Years: years(9)}},
		Experience: []models.Experience{{Title: "albañil", Years: 9}}}
	sc := NewScorer(&v, nil, nil)
	k, m := sc.Score(&kitchen, 0.8), sc.Score(&mason, 0.8)
	if m.Score <= k.Score {
		t.Errorf("the mason of nine years (%v %v) should come before the generic title (%v %v)", m.Score, m.Breakdown, k.Score, k.Breakdown)
	}
	// Backed by something specific, the same title no longer holds the person down.
	backed := kitchen
	backed.Skills = skills("carga de materiales")
	if b := sc.Score(&backed, 1); b.Breakdown["skills"] < 0.9 {
		t.Errorf("a generic title backed by the skill asked earns skills %v", b.Breakdown["skills"])
	}
}

// TestRelatedTrade: loaders, construction helpers, forklift operators and warehouse
// workers (and stock clerks) are each other's second choices, and fruit packers and farm
// workers likewise, through the ISCO-08 structure and the vocabulary: some credit, never
// the trade's own. (A loader and a warehouse worker share ISCO unit group 9333, freight
// handlers: for the occupation part they are the same trade.)
func TestRelatedTrade(t *testing.T) {
	vacancies := map[string]models.Vacancy{
		"loader":       {Title: "Cargador de camiones", OccupationCode: "9333"},
		"construction": {Title: "Ayudante de construcción", OccupationCode: "9313"},
		"forklift":     {Title: "Operador de montacargas", OccupationCode: "8344"},
		"warehouse":    {Title: "Mozo de almacén", OccupationCode: "9333"},
		"storekeeper":  {Title: "Almacenista", OccupationCode: "4321"},
		"packer":       {Title: "Empacador de fruta", OccupationCode: "9321"},
		"farm":         {Title: "Jornalero agrícola", OccupationCode: "9211"},
	}
	titles := map[string]string{"loader": "cargador", "construction": "peón de construcción", "forklift": "montacarguista",
		"warehouse": "mozo de almacén", "storekeeper": "almacenista", "packer": "empacadora de fruta", "farm": "jornalero"}
	pairs := [][2]string{
		{"loader", "construction"}, {"construction", "loader"}, {"loader", "forklift"}, {"forklift", "loader"},
		{"forklift", "warehouse"}, {"warehouse", "forklift"}, {"construction", "warehouse"},
		{"loader", "storekeeper"}, {"storekeeper", "loader"}, {"forklift", "storekeeper"}, {"storekeeper", "forklift"},
		{"packer", "farm"}, {"farm", "packer"},
	}
	for _, p := range pairs {
		t.Run(p[0]+" vacancy ← "+p[1], func(t *testing.T) {
			v := vacancies[p[0]]
			other := models.Candidate{Experience: []models.Experience{{Title: titles[p[1]], Years: 3}}}
			own := models.Candidate{Experience: []models.Experience{{Title: titles[p[0]], Years: 3}}}
			unrelated := models.Candidate{Experience: []models.Experience{{Title: "mesero", Years: 3}}}
			o, m, u := Score(&v, &other, 0, nil, nil), Score(&v, &own, 0, nil, nil), Score(&v, &unrelated, 0, nil, nil)
			if o.Breakdown["occupation"] <= 0 || o.Breakdown["occupation"] >= 1 {
				t.Errorf("occupation %v for the related trade, want some credit but not the trade's own", o.Breakdown["occupation"])
			}
			if !(m.Score > o.Score && o.Score > u.Score) {
				t.Errorf("scores: own trade %v, related trade %v, unrelated %v; want them in that order (%v / %v / %v)",
					m.Score, o.Score, u.Score, m.Breakdown, o.Breakdown, u.Breakdown)
			}
		})
	}
}

// TestRankingRulesAreChecked: a weights file's rules section is checked as strictly as
// its weights, and a file without one keeps the embedded rules.
func TestRankingRulesAreChecked(t *testing.T) {
	const weights = `"weights": {"text": 0.1, "skills": 0.15, "occupation": 0.15, "experience": 0.2, "languages": 0.1, "location": 0.2, "availability": 0.1}`
	_, err := LoadWeights([]byte(`{"version": "x", ` + weights + `, "rules": {"late_start_days": -1, "held_back_factor": 0, "related_experience": 2,
		"second_choice_credit": 0.3, "generic_title_credit": 0.4, "generic_titles": [" "], "commute_zones": [{"name": "z", "state": "MX-XXX", "municipalities": ["a"]}]}}`))
	if err == nil {
		t.Fatal("a broken rules section is accepted")
	}
	for _, want := range []string{"rules.late_start_days must be 0 or more", "rules.held_back_factor must be more than 0",
		"rules.related_experience must be between 0 and 1", "rules.generic_titles[0] is blank", `rules.commute_zones[0].state "MX-XXX"`,
		"rules.commute_zones[0].municipalities must name at least two"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if _, err := LoadWeights([]byte(`{"version": "x", ` + weights + `, "rules": {"late_start_days": 30}}`)); err == nil ||
		!strings.Contains(err.Error(), "rules.held_back_factor is missing") {
		t.Errorf("a rules section without every rule: %v", err)
	}
}
