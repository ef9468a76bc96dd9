package search

import (
	"slices"
	"testing"

	"github.com/vincula/vincula/models"
)

// TestESCOStructureFindsCandidates: a vacancy naming an occupation that comes from ESCO
// alone finds the people who list a skill ESCO says it needs, and those whose experience
// carries a SINCO 2019 code of the same trade.
func TestESCOStructureFindsCandidates(t *testing.T) {
	ix := newMemIndex(t)
	mig := candidate("mig", "soldadura MIG")
	sinco := candidate("sinco")
	sinco.Experience = []models.Experience{{Title: "Trabajos varios", OccupationCode: "sinco2019:7212", Years: 2}}
	cook := candidate("cook", "cocinero")
	apply(t, ix, CandidateDoc(&mig, allStates), CandidateDoc(&sinco, allStates), CandidateDoc(&cook, allStates))

	if d := CandidateDoc(&sinco, allStates); !slices.Contains(d.Concepts, "welder") {
		t.Errorf("a SINCO 7212 experience gives concepts %v, want the welder among them", d.Concepts)
	}
	got := sorted(searchCandidates(t, ix, CandidateQuery{Text: "Soldador de tuberías"}))
	if !slices.Equal(got, []string{"mig", "sinco"}) {
		t.Errorf("Soldador de tuberías: got %v, want [mig sinco]", got)
	}
}
