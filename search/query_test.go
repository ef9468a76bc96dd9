package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vincula/vincula/models"
)

func TestAccentAndCaseFolding(t *testing.T) {
	ix := newMemIndex(t)
	c1 := candidate("c1", "Albañil")
	c2 := candidate("c2", "Reparación de cámaras frigoríficas")
	c3 := candidate("c3", "Jardinería")
	apply(t, ix, CandidateDoc(&c1, allStates), CandidateDoc(&c2, allStates), CandidateDoc(&c3, allStates))

	tests := []struct {
		text string
		want []string
	}{
		{"albanil", []string{"c1"}},
		{"ALBAÑIL", []string{"c1"}},
		{"Albanil", []string{"c1"}},
		// Words that are in no vocabulary concept, so only the analyzer can match them.
		{"camaras frigorificas", []string{"c2"}},
		{"CÁMARAS", []string{"c2"}},
		{"reparacion", []string{"c2"}},
		{"jardineria", []string{"c3"}},
		{"carpintero", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := sorted(searchCandidates(t, ix, CandidateQuery{Text: tt.text}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Text %q: got %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestStopWordsDoNotMatch(t *testing.T) {
	ix := newMemIndex(t)
	c1 := candidate("c1", "Reparación de cámaras frigoríficas")
	c2 := candidate("c2", "Limpieza de la oficina")
	apply(t, ix, CandidateDoc(&c1, allStates), CandidateDoc(&c2, allStates))

	// "de", "la" and "the" are stop words in both documents and query: a vacancy's
	// whole description is a query, and they would otherwise match everyone.
	if got := searchCandidates(t, ix, CandidateQuery{Text: "de la the"}); len(got) != 0 {
		t.Errorf("stop words matched %v", got)
	}
	if got := sorted(searchCandidates(t, ix, CandidateQuery{Text: "limpieza de la planta"})); !slices.Equal(got, []string{"c2"}) {
		t.Errorf("got %v, want [c2]", got)
	}
}

func TestConceptsMeetAcrossLanguages(t *testing.T) {
	ix := newMemIndex(t)
	mason := candidate("mason", "Albañil")
	haitian := candidate("haitian", "bòs mason")
	carpenter := candidate("carpenter", "Carpintero")
	apply(t, ix, CandidateDoc(&mason, allStates), CandidateDoc(&haitian, allStates), CandidateDoc(&carpenter, allStates))

	tests := []struct {
		text string
		want []string
	}{
		{"mason", []string{"haitian", "mason"}},
		{"maçon", []string{"haitian", "mason"}},
		{"bos mason", []string{"haitian", "mason"}},
		{"albañil", []string{"haitian", "mason"}},
		{"Se busca bricklayer con experiencia", []string{"haitian", "mason"}},
		{"joiner", []string{"carpenter"}},
		{"menuisier", []string{"carpenter"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := sorted(searchCandidates(t, ix, CandidateQuery{Text: tt.text}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Text %q: got %v, want %v", tt.text, got, tt.want)
			}
		})
	}

	t.Run("extra concepts only", func(t *testing.T) {
		got := searchCandidates(t, ix, CandidateQuery{Concepts: []string{"carpenter"}})
		if !slices.Equal(got, []string{"carpenter"}) {
			t.Errorf("got %v, want [carpenter]", got)
		}
	})
}

func TestCandidateDocConcepts(t *testing.T) {
	c := candidate("c1", "Albañil", "peón de obra")
	c.Experience = []models.Experience{{Title: "Trabajos varios", OccupationCode: "7115", Years: 2}}
	c.DesiredOccupations = []string{"electricista"}
	d := CandidateDoc(&c, allStates)
	// ISCO 7115 names carpenter and formwork_carpenter today; the vocabulary is still
	// growing, so other concepts may join them, but these must be there.
	for _, id := range []string{"bricklayer", "carpenter", "construction_labourer", "electrician", "formwork_carpenter"} {
		if !slices.Contains(d.Concepts, id) {
			t.Errorf("Concepts = %v, missing %q", d.Concepts, id)
		}
	}
	if slices.Contains(d.Concepts, "painter") || !slices.IsSorted(d.Concepts) {
		t.Errorf("Concepts = %v, want sorted and without painter", d.Concepts)
	}
	wantText := []string{"Albañil", "peón de obra", "Trabajos varios", "electricista"}
	if !slices.Equal(d.Text, wantText) {
		t.Errorf("Text = %v, want %v", d.Text, wantText)
	}
}

func TestVacancyConceptsFromOccupationCode(t *testing.T) {
	ix := newMemIndex(t)
	v := vacancy("v1", "Personal para fraccionamiento", "MX-NLE")
	v.OccupationCode = "7112"
	other := vacancy("v2", "Cajero", "MX-NLE")
	apply(t, ix, VacancyDoc(&v), VacancyDoc(&other))

	if d := VacancyDoc(&v); !slices.Equal(d.Concepts, []string{"bricklayer"}) {
		t.Errorf("Concepts = %v, want [bricklayer]", d.Concepts)
	}
	for _, text := range []string{"mason", "albañil", "maçon"} {
		if got := searchVacancies(t, ix, VacancyQuery{Text: text}); !slices.Equal(got, []string{"v1"}) {
			t.Errorf("Text %q: got %v, want [v1]", text, got)
		}
	}
}

// filterFixture indexes candidates whose spans cover the cases of the filters; every
// one of them is a welder so that text and filters can be combined.
func filterFixture(t *testing.T, ix *Index) {
	t.Helper()
	all32 := make([]string, 0, len(models.States))
	for _, s := range models.States {
		all32 = append(all32, s.Code)
	}
	add := func(c models.Candidate, span WorkSpan) {
		apply(t, ix, CandidateDoc(&c, span))
	}
	add(candidate("all", "soldador"), WorkSpan{AllStates: true})
	add(candidate("nle", "soldador"), WorkSpan{States: []string{"MX-NLE"}, Until: models.MustDate("2026-06-30")})
	add(candidate("south", "soldador"), WorkSpan{States: []string{"MX-CHP", "MX-CAM", "MX-TAB", "MX-ROO"}, Until: models.MustDate("2026-12-31")})
	add(candidate("none", "soldador"), WorkSpan{})
	add(candidate("emp1", "soldador"), WorkSpan{AllStates: true, Until: models.MustDate("2026-03-31"), NeedsEmployer: "emp-1"})
	add(candidate("full32", "soldador"), WorkSpan{States: all32})
	add(candidate("midjune", "soldador"), WorkSpan{States: []string{"MX-NLE"}, Until: models.MustDate("2026-06-10")})

	inactive := candidate("inactive", "soldador")
	inactive.Status = models.CandidateInactive
	add(inactive, allStates)
	noConsent := candidate("noconsent", "soldador")
	noConsent.Consent.ShareProfile = false
	add(noConsent, allStates)

	speaksEN := candidate("english", "soldador")
	speaksEN.Languages = []models.LanguageSkill{{Code: "es", Level: "native"}, {Code: "EN", Level: "B1"}}
	add(speaksEN, WorkSpan{States: []string{"MX-BCN"}})
}

func TestCandidateFilters(t *testing.T) {
	// The memory index of the tests and the on-disk index of the servers are two
	// bleve index types with their own search code: both must filter alike.
	disk := openFilled(t, filepath.Join(t.TempDir(), "index"), Options{})
	t.Cleanup(func() { _ = disk.Close() })
	indexes := map[string]*Index{"memory": newMemIndex(t), "disk": disk}
	for _, ix := range indexes {
		filterFixture(t, ix)
	}
	tests := []struct {
		name string
		q    CandidateQuery
		want []string
	}{
		{"no filter: every searchable candidate", CandidateQuery{},
			[]string{"all", "emp1", "english", "full32", "midjune", "nle", "none", "south"}},
		{"state NLE", CandidateQuery{WorkState: "MX-NLE"},
			[]string{"all", "emp1", "full32", "midjune", "nle"}},
		{"state CHP", CandidateQuery{WorkState: "MX-CHP"},
			[]string{"all", "emp1", "full32", "south"}},
		{"state with no restricted candidate", CandidateQuery{WorkState: "MX-ZAC"},
			[]string{"all", "emp1", "full32"}},
		{"date after June 2026", CandidateQuery{OnDate: models.MustDate("2026-07-01")},
			[]string{"all", "english", "full32", "south"}},
		// Dates are bucketed by month: midjune (until 10 June) is kept on 20 June, a
		// superset the exact eligibility check removes.
		{"date in the month a span ends", CandidateQuery{OnDate: models.MustDate("2026-06-20")},
			[]string{"all", "english", "full32", "midjune", "nle", "south"}},
		{"state and date", CandidateQuery{WorkState: "MX-NLE", OnDate: models.MustDate("2027-01-01")},
			[]string{"all", "full32"}},
		{"the employer a permit names", CandidateQuery{EmployerID: "emp-1"},
			[]string{"all", "emp1", "english", "full32", "midjune", "nle", "south"}},
		{"another employer", CandidateQuery{EmployerID: "emp-2"},
			[]string{"all", "english", "full32", "midjune", "nle", "south"}},
		{"language", CandidateQuery{Languages: []string{"en"}}, []string{"english"}},
		{"two languages", CandidateQuery{Languages: []string{"en", "es"}}, []string{"english"}},
		{"language nobody speaks", CandidateQuery{Languages: []string{"fr"}}, []string{}},
	}
	for _, tt := range tests {
		for kind, ix := range indexes {
			t.Run(kind+"/"+tt.name, func(t *testing.T) {
				testCandidateFilter(t, ix, tt.q, tt.want)
			})
		}
	}
}

func testCandidateFilter(t *testing.T, ix *Index, q CandidateQuery, want []string) {
	t.Helper()
	q.Limit = 100
	if got := sorted(searchCandidates(t, ix, q)); !slices.Equal(got, want) {
		t.Errorf("without text: got %v, want %v", got, want)
	}
	q.Text = "soldador"
	if got := sorted(searchCandidates(t, ix, q)); !slices.Equal(got, want) {
		t.Errorf("with text: got %v, want %v", got, want)
	}
	q.Text = "carpintero"
	if got := searchCandidates(t, ix, q); len(got) != 0 {
		t.Errorf("non-matching text: got %v, want none", got)
	}
}

func TestVacancyFilters(t *testing.T) {
	ix := newMemIndex(t)
	v1 := vacancy("v1", "Soldador", "MX-NLE")
	v2 := vacancy("v2", "Soldador", "MX-COA")
	v2.EmployerID = "emp-2"
	v3 := vacancy("v3", "Soldador", "MX-NLE")
	v3.Status = models.VacancyPaused
	v4 := vacancy("v4", "Costurera", "MX-CHP")
	c := candidate("c1", "soldador")
	apply(t, ix, VacancyDoc(&v1), VacancyDoc(&v2), VacancyDoc(&v3), VacancyDoc(&v4), CandidateDoc(&c, allStates))

	tests := []struct {
		name string
		q    VacancyQuery
		want []string
	}{
		{"all vacancies and no candidate", VacancyQuery{}, []string{"v1", "v2", "v3", "v4"}},
		{"text", VacancyQuery{Text: "soldador"}, []string{"v1", "v2", "v3"}},
		{"one state", VacancyQuery{States: []string{"MX-NLE"}}, []string{"v1", "v3"}},
		{"two states", VacancyQuery{States: []string{"MX-NLE", "MX-CHP"}}, []string{"v1", "v3", "v4"}},
		{"open only", VacancyQuery{OnlyOpen: true}, []string{"v1", "v2", "v4"}},
		{"employer", VacancyQuery{EmployerID: "emp-2"}, []string{"v2"}},
		{"text, state, open", VacancyQuery{Text: "soldador", States: []string{"MX-NLE"}, OnlyOpen: true}, []string{"v1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sorted(searchVacancies(t, ix, tt.q)); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRankingAndStablePages(t *testing.T) {
	ix := newMemIndex(t)
	// "best" names the welding skill twice and nothing else; the others tie.
	best := candidate("m-best", "soldador", "soldador de arco")
	apply(t, ix, CandidateDoc(&best, allStates))
	for _, id := range []string{"e", "b", "d", "a", "c"} {
		c := candidate(id, "soldador", "pintor", "chofer")
		apply(t, ix, CandidateDoc(&c, allStates))
	}

	res, err := ix.SearchCandidates(context.Background(), CandidateQuery{Text: "soldador", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 6 {
		t.Errorf("Total = %d, want 6", res.Total)
	}
	if got := hitIDs(res); !slices.Equal(got, []string{"m-best", "a", "b"}) {
		t.Errorf("page 1 = %v, want [m-best a b]", got)
	}
	if res.Hits[0].Score <= res.Hits[1].Score {
		t.Errorf("best score %v not above %v", res.Hits[0].Score, res.Hits[1].Score)
	}
	page2 := searchCandidates(t, ix, CandidateQuery{Text: "soldador", Limit: 3, Offset: 3})
	if !slices.Equal(page2, []string{"c", "d", "e"}) {
		t.Errorf("page 2 = %v, want [c d e]", page2)
	}
	// Without text every hit scores the same, so the order is by ID.
	if got := searchCandidates(t, ix, CandidateQuery{Limit: 4}); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Errorf("no text = %v, want [a b c d]", got)
	}
}

// spanAllows is the rule the filters must never be stricter than: a span allows
// work in state on date when it covers the state and has not ended by then.
func spanAllows(s WorkSpan, state string, on models.Date) bool {
	if !s.AllStates && !slices.Contains(s.States, state) {
		return false
	}
	return s.Until.IsZero() || !s.Until.Before(on)
}

func TestFiltersAreASuperset(t *testing.T) {
	ix := newMemIndex(t)
	rng := rand.New(rand.NewPCG(7, 11))
	states := []string{"MX-CHP", "MX-NLE", "MX-COA", "MX-BCN", "MX-TAB", "MX-ROO"}
	base := models.MustDate("2026-01-01")
	randomDate := func() models.Date { return base.AddDays(rng.IntN(900)) }

	spans := map[string]WorkSpan{}
	var docs []Doc
	for i := range 600 {
		id := fmt.Sprintf("c%04d", i)
		var span WorkSpan
		switch rng.IntN(5) {
		case 0:
			span.AllStates = true
		case 1: // no states: allowed nowhere
		default:
			for _, s := range states {
				if rng.IntN(3) == 0 {
					span.States = append(span.States, s)
				}
			}
		}
		if rng.IntN(4) != 0 {
			span.Until = randomDate()
		}
		if rng.IntN(6) == 0 {
			span.NeedsEmployer = "emp-1"
		}
		spans[id] = span
		c := candidate(id, "soldador")
		docs = append(docs, CandidateDoc(&c, span))
	}
	apply(t, ix, docs...)

	for range 60 {
		state := states[rng.IntN(len(states))]
		on := randomDate()
		var want []string
		for id, s := range spans {
			if spanAllows(s, state, on) {
				want = append(want, id)
			}
		}
		// A title sends the query to the in-memory candidate set, which must be as
		// loose as bleve's filters.
		for _, tq := range []struct{ text, title string }{{"", ""}, {"soldador", ""}, {"soldador", "soldador"}} {
			text, title := tq.text, tq.title
			got := searchCandidates(t, ix, CandidateQuery{Text: text, Title: title, WorkState: state, OnDate: on, Limit: 1000})
			for _, id := range want {
				if !slices.Contains(got, id) {
					t.Fatalf("state %s, date %s, text %q: eligible %s (span %+v) was dropped", state, on, text, id, spans[id])
				}
			}
			// The superset is only as loose as the month buckets: the state is exact.
			for _, id := range got {
				s := spans[id]
				stateOK := s.AllStates || slices.Contains(s.States, state)
				monthOK := s.Until.IsZero() || s.Until.Time().Year()*12+int(s.Until.Time().Month()) >= on.Time().Year()*12+int(on.Time().Month())
				if !stateOK || !monthOK {
					t.Fatalf("state %s, date %s: %s (span %+v) should have been filtered out", state, on, id, s)
				}
			}
			// The employer a permit names must not drop anyone eligible either.
			got = searchCandidates(t, ix, CandidateQuery{Text: text, Title: title, WorkState: state, OnDate: on, EmployerID: "emp-1", Limit: 1000})
			for _, id := range want {
				if !slices.Contains(got, id) {
					t.Fatalf("state %s, date %s, employer emp-1: eligible %s was dropped", state, on, id)
				}
			}
		}
	}
}
