package eval

import (
	"math"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestJudge(t *testing.T) {
	grades := map[string]int{"a": 3, "b": 2, "c": 1}
	perfect := Judge("v", []string{"a", "b", "c"}, grades)
	if !near(perfect.NDCG10, 1) || !near(perfect.Precision5, 1) || !near(perfect.Recall, 1) || perfect.Noise != 0 {
		t.Fatalf("the ideal list: %+v", perfect)
	}
	reversed := Judge("v", []string{"c", "b", "a"}, grades)
	// DCG = 1/1 + 3/log2(3) + 7/2; IDCG = 7 + 3/log2(3) + 1/2.
	want := (1 + 3/math.Log2(3) + 3.5) / (7 + 3/math.Log2(3) + 0.5)
	if !near(reversed.NDCG10, want) {
		t.Fatalf("reversed: nDCG %v, want %v", reversed.NDCG10, want)
	}
	noisy := Judge("v", []string{"x", "a", "y"}, grades)
	if !near(noisy.Noise, 2.0/3) || !near(noisy.Recall, 1.0/3) || !near(noisy.Precision5, 1.0/3) ||
		strings.Join(noisy.Missing, " ") != "b c" || strings.Join(noisy.Noisy, " ") != "x y" {
		t.Fatalf("noisy: %+v", noisy)
	}
	if empty := Judge("v", nil, grades); empty.NDCG10 != 0 || empty.Recall != 0 || empty.Noise != 0 {
		t.Fatalf("empty list: %+v", empty)
	}
}

// TestJudgedSetIsWellFormed: the committed set has what issue 20 asks (at least 15
// vacancies and 150 people, several languages), every vacancy has people worth sending,
// and the regional and foreign words are there.
func TestJudgedSetIsWellFormed(t *testing.T) {
	s, err := Load("testdata/judged.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Vacancies) < 15 || len(s.Candidates) < 150 {
		t.Fatalf("%d vacancies and %d candidates", len(s.Vacancies), len(s.Candidates))
	}
	for _, v := range s.Vacancies {
		g := s.Grades(v.ID)
		threes := 0
		for _, x := range g {
			if x == 3 {
				threes++
			}
		}
		if threes < 3 {
			t.Errorf("%s has %d people graded 3", v.ID, threes)
		}
	}
	langs := map[string]bool{}
	var titles []string
	for _, c := range s.Candidates {
		for _, l := range c.Languages {
			if l.Level == "native" {
				langs[l.Code] = true
			}
		}
		for _, x := range c.Experience {
			titles = append(titles, x.Title)
		}
	}
	for _, l := range []string{"es", "ht", "fr", "en"} {
		if !langs[l] {
			t.Errorf("nobody's native language is %s", l)
		}
	}
	all := strings.Join(titles, "|")
	for _, w := range []string{"carretillero", "camarera de pisos", "pladurista", "mozo de almacén", "manutentionnaire", "tablaroquero", "velador", "mil usos", "ayudante general"} {
		if !strings.Contains(all, w) {
			t.Errorf("no experience titled %q", w)
		}
	}
}
