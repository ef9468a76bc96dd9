package datagen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vincula/vincula/models"
)

var testToday = models.NewDate(2026, 3, 10)

func newTestGenerator(seed uint64) *Generator {
	return New(Config{Seed: seed, Today: testToday, Candidates: 5000})
}

func TestConfigDefaults(t *testing.T) {
	tests := []struct {
		name          string
		cfg           Config
		wantEmployers int
		wantToday     string
	}{
		{"nothing given", Config{}, 5, "2026-01-15"},
		{"sized by candidates", Config{Candidates: 100_000}, 205, "2026-01-15"},
		{"a million candidates", Config{Candidates: 1_000_000}, 2005, "2026-01-15"},
		{"explicit employers win", Config{Candidates: 100_000, Employers: 12}, 12, "2026-01-15"},
		{"explicit today", Config{Today: testToday}, 5, "2026-03-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(tt.cfg)
			if got := len(g.Employers()); got != tt.wantEmployers {
				t.Errorf("employers = %d, want %d", got, tt.wantEmployers)
			}
			if got := g.Today().String(); got != tt.wantToday {
				t.Errorf("today = %s, want %s", got, tt.wantToday)
			}
		})
	}
}

func TestIDs(t *testing.T) {
	g := newTestGenerator(1)
	tests := []struct{ got, want string }{
		{g.Candidate(0).ID, "cand-00000000"},
		{g.Candidate(42).ID, "cand-00000042"},
		{g.Candidate(999_999).ID, "cand-00999999"},
		{g.Vacancy(7).ID, "vac-0000007"},
		{g.Vacancy(123_456).ID, "vac-0123456"},
		{g.Employers()[0].ID, "emp-000000"},
		{g.Employers()[14].ID, "emp-000014"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("ID = %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestDeterminism(t *testing.T) {
	indexes := []int{0, 1, 2, 17, 499, 4_999, 123_456, 999_999}
	a, b := newTestGenerator(7), newTestGenerator(7)

	t.Run("employers", func(t *testing.T) {
		if !reflect.DeepEqual(a.Employers(), b.Employers()) {
			t.Fatal("two generators with the same seed drew different employers")
		}
	})
	t.Run("candidates in any order", func(t *testing.T) {
		// b draws in reverse order: a record must not depend on what was drawn before.
		want := make([]models.Candidate, len(indexes))
		for k, i := range indexes {
			want[k] = a.Candidate(i)
		}
		for k := len(indexes) - 1; k >= 0; k-- {
			if got := b.Candidate(indexes[k]); !reflect.DeepEqual(got, want[k]) {
				t.Errorf("candidate %d differs between generators:\n%+v\n%+v", indexes[k], got, want[k])
			}
		}
	})
	t.Run("vacancies in any order", func(t *testing.T) {
		want := make([]models.Vacancy, len(indexes))
		for k, i := range indexes {
			want[k] = a.Vacancy(i)
		}
		for k := len(indexes) - 1; k >= 0; k-- {
			if got := b.Vacancy(indexes[k]); !reflect.DeepEqual(got, want[k]) {
				t.Errorf("vacancy %d differs between generators", indexes[k])
			}
		}
	})
	t.Run("byte-identical JSON", func(t *testing.T) {
		for _, i := range indexes {
			ja, _ := json.Marshal(a.Candidate(i))
			jb, _ := json.Marshal(b.Candidate(i))
			if string(ja) != string(jb) {
				t.Errorf("candidate %d encodes differently", i)
			}
		}
	})
	t.Run("different seeds differ", func(t *testing.T) {
		other := newTestGenerator(8)
		same := 0
		for i := range 20 {
			ja, _ := json.Marshal(a.Candidate(i))
			jo, _ := json.Marshal(other.Candidate(i))
			if string(ja) == string(jo) {
				same++
			}
		}
		if same > 0 {
			t.Errorf("%d of 20 candidates are equal under seeds 7 and 8", same)
		}
		if reflect.DeepEqual(a.Employers(), other.Employers()) {
			t.Error("seeds 7 and 8 drew the same employers")
		}
		if reflect.DeepEqual(a.Vacancy(3), other.Vacancy(3)) {
			t.Error("seeds 7 and 8 drew the same vacancy 3")
		}
	})
	t.Run("candidate and vacancy streams are apart", func(t *testing.T) {
		// With a shared stream, candidate i and vacancy i would draw the same first
		// numbers; the start dates and places would then line up suspiciously often.
		if a.Candidate(0).CreatedAt.Equal(a.Vacancy(0).CreatedAt) {
			t.Error("candidate 0 and vacancy 0 were created at the same instant")
		}
	})
}

func TestEmployersAreValid(t *testing.T) {
	g := New(Config{Seed: 3, Today: testToday, Employers: 300})
	northAndSouthEast := []string{"MX-NLE", "MX-COA", "MX-BCN", "MX-SLP", "MX-SON", "MX-CHH", "MX-TAM",
		"MX-CHP", "MX-TAB", "MX-YUC", "MX-ROO", "MX-CAM", "MX-QUE", "MX-GUA", "MX-JAL"}
	rfcs, names := map[string]bool{}, map[string]bool{}
	for _, e := range g.Employers() {
		normalized := e
		normalized.Normalize()
		if !reflect.DeepEqual(normalized, e) {
			t.Errorf("%s changes under Normalize: %+v", e.ID, normalized)
		}
		if err := e.Validate(); err != nil {
			t.Errorf("%s (%s, %s): %v", e.ID, e.Name, e.RFC, err)
		}
		if len(e.RFC) != 12 || models.ValidRFC(e.RFC) != nil {
			t.Errorf("%s: RFC %q is not a valid company RFC", e.ID, e.RFC)
		}
		if rfcs[e.RFC] {
			t.Errorf("%s: RFC %s is used twice", e.ID, e.RFC)
		}
		if names[e.Name] {
			t.Errorf("%s: name %q is used twice", e.ID, e.Name)
		}
		rfcs[e.RFC], names[e.Name] = true, true
		if !slices.Contains(northAndSouthEast, e.State) {
			t.Errorf("%s is in %s, outside the industrial north and the south-east", e.ID, e.State)
		}
		if !slices.Contains(models.Sectors, e.Sector) {
			t.Errorf("%s: sector %q is not a vocabulary sector", e.ID, e.Sector)
		}
	}
}

func TestCandidatesAreValid(t *testing.T) {
	g := newTestGenerator(11)
	employers := map[string]bool{}
	for _, e := range g.Employers() {
		employers[e.ID] = true
	}
	numbers := map[string]string{}
	oldest, youngest := testToday.AddYears(-60), testToday.AddYears(-18)
	minors := 0
	for i := range 5000 {
		c := g.Candidate(i)
		normalized := c
		normalized.Normalize()
		if !reflect.DeepEqual(normalized, c) {
			t.Fatalf("%s changes under Normalize", c.ID)
		}
		if err := c.ValidateAt(testToday); err != nil {
			t.Fatalf("%s: %v\n%+v", c.ID, err, c)
		}
		if _, minor := minorAge(i); minor {
			minors++
			if !c.BirthDate.After(testToday.AddYears(-18)) || c.BirthDate.After(testToday.AddYears(-13)) {
				t.Errorf("%s: born %s, not 13 to 17 years before %s", c.ID, c.BirthDate, testToday)
			}
		} else if !c.BirthDate.After(oldest) || c.BirthDate.After(youngest) {
			t.Errorf("%s: born %s, not 18 to 60 years before %s", c.ID, c.BirthDate, testToday)
		}
		if c.Phone != "" && (!strings.HasPrefix(c.Phone, "+52") || len(c.Phone) != 13) {
			t.Errorf("%s: phone %q is not +52 and ten digits", c.ID, c.Phone)
		}
		if d := testToday.DaysUntil(c.AvailableFrom); d < -30 || d > 30 {
			t.Errorf("%s: available from %s, %d days from today", c.ID, c.AvailableFrom, d)
		}
		if n := len(c.Skills); n < 2 || n > 6 {
			t.Errorf("%s: %d skills, want 2 to 6", c.ID, n)
		}
		if n := len(c.Experience); n < 1 || n > 3 {
			t.Errorf("%s: %d experience entries, want 1 to 3", c.ID, n)
		}
		if n := len(c.DesiredOccupations); n > 2 {
			t.Errorf("%s: %d desired occupations, want at most 2", c.ID, n)
		}
		if len(c.PreferredStates) > 3 || !c.WillingToRelocate && len(c.PreferredStates) > 0 {
			t.Errorf("%s: preferred states %v with willing_to_relocate %v", c.ID, c.PreferredStates, c.WillingToRelocate)
		}
		immigration := 0
		for _, d := range c.Documents {
			if !d.Type.ForMinors() {
				immigration++
			} else if _, minor := minorAge(i); !minor {
				t.Errorf("%s: an adult with a %s", c.ID, d.Type)
			}
		}
		if immigration > 2 {
			t.Errorf("%s: %d immigration documents, want at most 2", c.ID, immigration)
		}
		hasCOMAR := false
		for _, d := range c.Documents {
			if prev, dup := numbers[d.Number]; dup {
				t.Errorf("%s: document number %s is also %s's", c.ID, d.Number, prev)
			}
			numbers[d.Number] = c.ID
			if d.IssuedOn.After(testToday) {
				t.Errorf("%s: %s issued on %s, after today", c.ID, d.Type, d.IssuedOn)
			}
			days := d.IssuedOn.DaysUntil(d.ExpiresOn)
			checkLength := func(lo, hi int) {
				if days < lo || days > hi {
					t.Errorf("%s: %s valid for %d days, want %d to %d", c.ID, d.Type, days, lo, hi)
				}
			}
			switch d.Type {
			case models.DocResidentePermanente:
				if !d.ExpiresOn.IsZero() {
					t.Errorf("%s: a residente permanente card expires on %s", c.ID, d.ExpiresOn)
				}
			case models.DocVisitanteRazonesHumanitarias:
				checkLength(365, 366)
			case models.DocConstanciaCOMAR:
				hasCOMAR = true
				checkLength(30, 120)
			case models.DocVisitanteTrabajadorFronterizo:
				checkLength(180, 366)
			case models.DocResidenteTemporal:
				checkLength(365, 4*366)
			case models.DocVisitanteActividadesRemuneradas:
				checkLength(30, 180)
				if !employers[d.EmployerID] {
					t.Errorf("%s: permit names employer %q, which is not generated", c.ID, d.EmployerID)
				}
			}
			if d.Verified != (d.VerifiedBy != "") || d.Verified != (d.VerifiedAt != nil) {
				t.Errorf("%s: verified %v by %q at %v", c.ID, d.Verified, d.VerifiedBy, d.VerifiedAt)
			}
			if d.VerifiedAt != nil && (d.VerifiedAt.Before(c.CreatedAt) || d.VerifiedAt.After(testToday.Time().AddDate(0, 0, 1))) {
				t.Errorf("%s: verified at %s, before registration (%s) or after today", c.ID, d.VerifiedAt, c.CreatedAt)
			}
		}
		if c.CURP != "" && !hasCOMAR && !hasResidence(c) {
			t.Errorf("%s has a CURP but neither a COMAR constancia nor a residence card", c.ID)
		}
	}
	if minors != 125 {
		t.Errorf("%d minors among 5,000 profiles, want one in 40", minors)
	}
}

func hasResidence(c models.Candidate) bool {
	return slices.ContainsFunc(c.Documents, func(d models.Document) bool {
		return d.Type == models.DocResidenteTemporal || d.Type == models.DocResidentePermanente
	})
}

func TestVacanciesAreValid(t *testing.T) {
	g := newTestGenerator(5)
	employers := map[string]models.Employer{}
	for _, e := range g.Employers() {
		employers[e.ID] = e
	}
	for i := range 1000 {
		v := g.Vacancy(i)
		normalized := v
		normalized.Normalize()
		if !reflect.DeepEqual(normalized, v) {
			t.Fatalf("%s changes under Normalize", v.ID)
		}
		if err := v.Validate(); err != nil {
			t.Fatalf("%s: %v\n%+v", v.ID, err, v)
		}
		if _, ok := employers[v.EmployerID]; !ok {
			t.Errorf("%s: employer %q is not generated", v.ID, v.EmployerID)
		}
		if v.SalaryMin != nil && (*v.SalaryMin < 7500 || *v.SalaryMin > 25000) ||
			v.SalaryMax != nil && (*v.SalaryMax < 7500 || *v.SalaryMax > 25000) {
			t.Errorf("%s: salary %v–%v outside 7,500–25,000", v.ID, v.SalaryMin, v.SalaryMax)
		}
		if v.Positions < 1 || v.Positions > 40 {
			t.Errorf("%s: %d positions, want 1 to 40", v.ID, v.Positions)
		}
		if d := testToday.DaysUntil(v.StartDate); d < 0 || d > 60 {
			t.Errorf("%s: starts %d days from today, want 0 to 60", v.ID, d)
		}
		if v.MinExperienceYears < 0 || v.MinExperienceYears > 3 {
			t.Errorf("%s: %g years of experience required", v.ID, v.MinExperienceYears)
		}
		if v.OccupationCode != "" && len(v.OccupationCode) != 4 {
			t.Errorf("%s: occupation code %q is not a 4-digit unit group", v.ID, v.OccupationCode)
		}
		if len(v.Skills) < 2 || !v.Skills[0].Required {
			t.Errorf("%s: skills %+v, want at least two with the first required", v.ID, v.Skills)
		}
		if v.Status == models.VacancyFilled && v.PositionsFilled != v.Positions {
			t.Errorf("%s: filled with %d of %d positions", v.ID, v.PositionsFilled, v.Positions)
		}
	}
}

func TestDistribution(t *testing.T) {
	g := newTestGenerator(2)
	vocab := models.DefaultVocabulary()
	// labelLangs says in which languages each folded label of the vocabulary is written.
	labelLangs := map[string][]string{}
	for _, c := range vocab.Concepts() {
		for _, lang := range []string{"es", "en", "fr", "ht"} {
			for _, l := range c.Labels[lang] {
				labelLangs[strings.ToLower(l)] = append(labelLangs[strings.ToLower(l)], lang)
			}
		}
	}

	const n = 5000
	var chiapas, docs, tvrhCOMAR, expired, unverified, withCURP, comar, comarCURP, comarCHP,
		tvtf, tvtfBorder, active, sharing, relocating, noDocs int
	langs := map[string]int{}
	nationalities := map[string]int{}
	for i := range n {
		c := g.Candidate(i)
		if c.CurrentState == "MX-CHP" {
			chiapas++
		}
		if c.Status == models.CandidateActive {
			active++
		}
		if c.Consent.ShareProfile {
			sharing++
		}
		if c.WillingToRelocate {
			relocating++
		}
		if c.CURP != "" {
			withCURP++
		}
		nationalities[c.Nationality]++
		if len(c.Documents) == 0 {
			noDocs++
		}
		hasExpired := false
		for _, d := range c.Documents {
			docs++
			switch d.Type {
			case models.DocVisitanteRazonesHumanitarias:
				tvrhCOMAR++
			case models.DocConstanciaCOMAR:
				tvrhCOMAR++
				comar++
				if c.CURP != "" {
					comarCURP++
				}
				if d.State == "MX-CHP" {
					comarCHP++
				}
			case models.DocVisitanteTrabajadorFronterizo:
				tvtf++
				if c.Nationality == "GT" || c.Nationality == "HN" {
					tvtfBorder++
				}
			}
			if !d.ExpiresOn.IsZero() && d.ExpiresOn.Before(testToday) {
				hasExpired = true
			}
			if !d.Verified {
				unverified++
			}
		}
		if hasExpired {
			expired++
		}
		for _, s := range c.Skills {
			for _, l := range labelLangs[strings.ToLower(s.Name)] {
				langs[l]++
			}
		}
	}

	share := func(part, whole int) float64 { return 100 * float64(part) / float64(whole) }
	tests := []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"candidates in Chiapas (%)", share(chiapas, n), 45, 65},
		{"TVRH and COMAR among documents (%)", share(tvrhCOMAR, docs), 40, 80},
		{"candidates with an expired document (%)", share(expired, n), 8, 16},
		{"unverified documents (%)", share(unverified, docs), 10, 20},
		{"candidates without documents (%)", share(noDocs, n), 4, 12},
		{"COMAR holders with a CURP (%)", share(comarCURP, comar), 78, 95},
		{"COMAR claims filed in Chiapas (%)", share(comarCHP, comar), 55, 90},
		{"TVTF holders from Guatemala or Honduras (%)", share(tvtfBorder, tvtf), 90, 100},
		{"candidates with a CURP (%)", share(withCURP, n), 20, 60},
		{"active candidates (%)", share(active, n), 89, 95},
		{"candidates sharing their profile (%)", share(sharing, n), 87, 93},
		{"candidates willing to relocate (%)", share(relocating, n), 55, 65},
		{"Hondurans (%)", share(nationalities["HN"], n), 19, 27},
		{"Haitians (%)", share(nationalities["HT"], n), 11, 17},
		{"skill names in Spanish", float64(langs["es"]), 1000, n * 6},
		{"skill names in English", float64(langs["en"]), 50, n * 6},
		{"skill names in French", float64(langs["fr"]), 50, n * 6},
		{"skill names in Haitian Creole", float64(langs["ht"]), 50, n * 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Logf("%.1f", tt.got)
			if tt.got < tt.lo || tt.got > tt.hi {
				t.Errorf("%s = %.1f, want %g to %g", tt.name, tt.got, tt.lo, tt.hi)
			}
		})
	}

	t.Run("vacancies", func(t *testing.T) {
		const m = 2000
		var open, north, spanishTitles int
		northern := []string{"MX-NLE", "MX-COA", "MX-BCN", "MX-SLP", "MX-SON", "MX-CHH", "MX-TAM"}
		for i := range m {
			v := g.Vacancy(i)
			if v.Status == models.VacancyOpen {
				open++
			}
			if slices.Contains(northern, v.State) {
				north++
			}
			if slices.Contains(labelLangs[strings.ToLower(v.Title)], "es") {
				spanishTitles++
			}
		}
		if got := share(open, m); got < 80 || got > 90 {
			t.Errorf("open vacancies = %.1f%%, want 80 to 90", got)
		}
		if got := share(north, m); got < 45 || got > 75 {
			t.Errorf("vacancies in the northern industrial states = %.1f%%, want 45 to 75", got)
		}
		if got := share(spanishTitles, m); got < 50 {
			t.Errorf("vacancy titles that are a Spanish vocabulary label = %.1f%%, want at least 50", got)
		}
	})
}

func TestBuildCURP(t *testing.T) {
	// The first 16 characters are worked out by hand from RENAPO's rules; the
	// differentiator is drawn, so only its kind is checked, and the check digit is
	// checked by ValidCURP.
	tests := []struct {
		name                      string
		given, surname1, surname2 string
		birth                     string
		gender                    string
		want16                    string
		letterDifferentiator      bool
	}{
		{"two surnames, leading María skipped", "María José", "Hernández", "López", "1994-03-02", "F", "HELJ940302MNERPS", false},
		{"one surname gets X", "Jean", "Joseph", "", "1988-11-30", "M", "JOXJ881130HNESXN", false},
		{"born in 2000 or later", "Kevin", "Mejía", "Zelaya", "2003-07-04", "M", "MEZK030704HNEJLV", true},
		{"Ñ is written X", "Rosa", "Muñoz", "Peña", "1979-01-15", "F", "MUPR790115MNEXXS", false},
		{"a rude word loses its vowel", "Alejandra", "Castillo", "Castro", "1990-05-20", "F", "CXCA900520MNESSL", false},
		{"hyphenated Haitian surname", "Marie-Ange", "Jean-Baptiste", "", "2001-12-01", "X", "JEXM011201XNENXR", true},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := buildCURP(r, tt.given, tt.surname1, tt.surname2, models.MustDate(tt.birth), tt.gender)
			if err := models.ValidCURP(got); err != nil {
				t.Fatalf("%s: %v", got, err)
			}
			if got[:16] != tt.want16 {
				t.Errorf("CURP %s, want it to start %s", got, tt.want16)
			}
			d := got[16]
			if isLetter := d >= 'A' && d <= 'Z'; isLetter != tt.letterDifferentiator {
				t.Errorf("differentiator %c: letter = %v, want %v", d, isLetter, tt.letterDifferentiator)
			}
		})
	}
}

func TestCompanyRFC(t *testing.T) {
	tests := []struct{ name, want3 string }{
		{"Autopartes de Saltillo", "ASA"},
		{"Transportes del Grijalva", "TGR"},
		{"Logística Maya", "LMA"},
		{"Componentes Industriales de Occidente", "CIO"},
		{"Cafetalera del Soconusco Planta 9", "CSP"},
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := companyRFC(r, tt.name, testToday)
			if err := models.ValidRFC(got); err != nil || len(got) != 12 {
				t.Fatalf("%s: %v", got, err)
			}
			if got[:3] != tt.want3 {
				t.Errorf("RFC %s, want it to start %s", got, tt.want3)
			}
		})
	}
}

func BenchmarkCandidate(b *testing.B) {
	g := New(Config{Seed: 1, Today: testToday, Candidates: 1_000_000})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = g.Candidate(i)
	}
}

func BenchmarkVacancy(b *testing.B) {
	g := New(Config{Seed: 1, Today: testToday, Candidates: 1_000_000})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = g.Vacancy(i)
	}
}

func ExampleGenerator_Candidate() {
	g := New(Config{Seed: 42, Today: models.NewDate(2026, 1, 15), Candidates: 1000})
	c := g.Candidate(12)
	fmt.Println(c.ID, c.ValidateAt(g.Today()) == nil)
	// Output: cand-00000012 true
}

func TestConcurrentUse(t *testing.T) {
	g := newTestGenerator(9)
	const n = 400
	want := make([]models.Candidate, n)
	for i := range n {
		want[i] = g.Candidate(i)
	}
	got := make([]models.Candidate, n)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < n; i += 4 {
				got[i] = g.Candidate(i)
				_ = g.Vacancy(i)
			}
		})
	}
	wg.Wait()
	if !reflect.DeepEqual(got, want) {
		t.Error("candidates drawn from four goroutines differ from those drawn in sequence")
	}
}
