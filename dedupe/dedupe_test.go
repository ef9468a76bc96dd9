package dedupe_test

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/vincula/vincula/dedupe"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/scripts/datagen"
)

func person(id, name, nat, born, phone, curp string) dedupe.Person {
	return dedupe.Person{ID: id, FullName: name, Nationality: nat, BirthDate: models.MustDate(born), Phone: phone, CURP: curp}
}

// TestCompareCases: the variants people produce at a second hub are suspects; family
// members sharing a phone, a surname or even a birth date are not.
func TestCompareCases(t *testing.T) {
	a := person("a", "José Luis Hernández Pérez", "HN", "1994-03-02", "+529621110001", "")
	for _, c := range []struct {
		b        dedupe.Person
		strength dedupe.Strength
	}{
		{person("b", "jose luis hernandez perez", "HN", "1994-03-02", "", ""), dedupe.Suspect},
		{person("b", "José Luis Pérez Hernández", "HN", "1994-03-02", "", ""), dedupe.Suspect},
		{person("b", "Jose Luis Hernandes Peres", "HN", "1994-03-02", "", ""), dedupe.Suspect},
		{person("b", "José Luis Hernádez", "HN", "1994-03-02", "", ""), dedupe.Suspect},
		{person("b", "JOSE LUIS HERNANDEZ PEREZ", "GT", "1994-03-02", "", ""), dedupe.Hint},
		{person("b", "María Hernández Pérez", "HN", "1994-03-02", "+52 962 111 0001", ""), dedupe.Hint}, // twin sister
		{person("b", "José Luis Hernández Pérez", "HN", "1995-03-02", "9621110001", ""), dedupe.Hint},   // another birth date
		{person("b", "Kevin Hernández Pérez", "HN", "2012-06-01", "", ""), ""},                          // a son
	} {
		m, ok := dedupe.Compare(a, c.b)
		if m.Strength != c.strength || ok != (c.strength != "") {
			t.Errorf("%s (%s, %s): %v %v, want %q", c.b.FullName, c.b.Nationality, c.b.BirthDate, m, ok, c.strength)
		}
	}
	curp := "HEPJ940302HNEXRS09"
	m, _ := dedupe.Compare(person("a", "Jean Pierre", "HT", "1994-03-02", "", curp), person("b", "Pierre Jean-Baptiste", "HT", "1994-03-02", "", curp))
	if m.Strength != dedupe.Suspect || m.Reasons[0] != "same CURP" {
		t.Errorf("same CURP: %v", m)
	}
}

// TestPlantedDuplicates measures detection on generated data with planted second
// registrations (typos, swapped or missing surnames, no accents, capitals, shared or
// new phones) and relatives sharing the family phone and surnames (twins too): the
// pairs found as suspects against the planted ones. DEDUPE_CANDIDATES sets the size
// (20,000 by default); one in 20 is registered twice and one in 20 has a relative.
func TestPlantedDuplicates(t *testing.T) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("DEDUPE_CANDIDATES")); err == nil && v > 0 {
		n = v
	}
	g := datagen.New(datagen.Config{Seed: 18, Candidates: n})
	type rec struct {
		p     dedupe.Person
		owner int // the person: the candidate's index, or -1-j for the j-th relative
	}
	var all []rec
	for i := 0; i < n; i++ {
		all = append(all, rec{dedupe.PersonOf(g.Candidate(i)), i})
	}
	for j := 0; j < n/20; j++ {
		c, of := g.Duplicate(j, n)
		all = append(all, rec{dedupe.PersonOf(c), of})
		r, _ := g.Relative(j, n)
		all = append(all, rec{dedupe.PersonOf(r), -1 - j})
	}
	// Detection looks only at people born the same day (a CURP holds the birth date, so
	// same-CURP pairs are among them), as the store does.
	blocks := map[models.Date][]int{}
	for i, r := range all {
		blocks[r.p.BirthDate] = append(blocks[r.p.BirthDate], i)
	}
	owners := map[int]int{}
	for _, r := range all {
		owners[r.owner]++
	}
	planted := 0
	for _, k := range owners {
		planted += k * (k - 1) / 2
	}
	tp, fp, hints := 0, 0, 0
	var misses, falses []string
	for _, ids := range blocks {
		for x := 0; x < len(ids); x++ {
			for y := x + 1; y < len(ids); y++ {
				a, b := all[ids[x]], all[ids[y]]
				m, ok := dedupe.Compare(a.p, b.p)
				same := a.owner == b.owner
				switch {
				case ok && m.Strength == dedupe.Suspect && same:
					tp++
				case ok && m.Strength == dedupe.Suspect:
					fp++
					falses = append(falses, fmt.Sprintf("%s | %s (%v)", a.p.FullName, b.p.FullName, m.Reasons))
				case same:
					misses = append(misses, fmt.Sprintf("%s | %s", a.p.FullName, b.p.FullName))
				}
				if ok && m.Strength == dedupe.Hint {
					hints++
				}
			}
		}
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(max(planted, 1))
	t.Logf("%d candidates, %d second registrations, %d relatives: %d planted pairs, %d found, %d false, %d hints (same-day only); precision %.4f recall %.4f",
		n, n/20, n/20, planted, tp, fp, hints, precision, recall)
	for i, s := range misses {
		if i < 10 {
			t.Logf("missed: %s", s)
		}
	}
	for i, s := range falses {
		if i < 10 {
			t.Logf("false: %s", s)
		}
	}
	if precision < 0.95 || recall < 0.95 {
		t.Errorf("precision %.4f and recall %.4f: the goal is 0.95 for both", precision, recall)
	}
}
