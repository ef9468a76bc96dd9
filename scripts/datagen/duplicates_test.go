package datagen

import (
	"strings"
	"testing"
)

// TestPlantedRecordsAreValid: second registrations and relatives are profiles the API
// would accept, the same from run to run, and a second registration keeps the person's
// birth date and nationality (what detection's rule relies on).
func TestPlantedRecordsAreValid(t *testing.T) {
	g := newTestGenerator(18)
	changed := 0
	for j := range 2000 {
		d, of := g.Duplicate(j, 5000)
		r, rof := g.Relative(j, 5000)
		orig := g.Candidate(of)
		for _, c := range []struct {
			name string
			err  error
		}{{d.ID, d.ValidateAt(testToday)}, {r.ID, r.ValidateAt(testToday)}} {
			if c.err != nil {
				t.Fatalf("%s: %v", c.name, c.err)
			}
		}
		if d.BirthDate != orig.BirthDate || d.Nationality != orig.Nationality || !strings.HasPrefix(d.ID, "dup-") {
			t.Fatalf("%s is not a second registration of %s", d.ID, orig.ID)
		}
		if d.FullName != orig.FullName {
			changed++
		}
		if r.Nationality != g.Candidate(rof).Nationality || r.Phone == "" {
			t.Fatalf("%s does not share the family's nationality and phone", r.ID)
		}
		if d2, _ := g.Duplicate(j, 5000); d2.FullName != d.FullName || d2.Phone != d.Phone {
			t.Fatalf("Duplicate(%d) is not deterministic", j)
		}
	}
	if changed < 1000 {
		t.Errorf("only %d of 2000 second registrations write the name differently", changed)
	}
}
