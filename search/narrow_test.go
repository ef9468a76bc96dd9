package search

import (
	"slices"
	"testing"
)

// TestNarrowCandidateQuery: with a Title, a candidate matches by a shared concept, a
// related one (same ISCO unit group), or every word of the title, but not by a common
// word alone; without it any word matches.
func TestNarrowCandidateQuery(t *testing.T) {
	ix := newMemIndex(t)
	c1 := candidate("c1", "bòs mason")                   // the bricklayer concept, in Haitian Creole
	c2 := candidate("c2", "manejo de ganado")            // shares only the word "manejo"
	c3 := candidate("c3", "ayudante de albañil")         // a related concept
	c4 := candidate("c4", "pegado de block y ladrillos") // outside the vocabulary, no title word
	c5 := candidate("c5", "maestro de obra negra")       // every word of the title, no concept
	apply(t, ix, CandidateDoc(&c1, allStates), CandidateDoc(&c2, allStates), CandidateDoc(&c3, allStates),
		CandidateDoc(&c4, allStates), CandidateDoc(&c5, allStates))

	text := "albañil manejo de cemento"
	narrow := searchCandidates(t, ix, CandidateQuery{Text: text, Title: "albañil", Limit: 10})
	slices.Sort(narrow)
	if !slices.Equal(narrow, []string{"c1", "c3"}) {
		t.Errorf("narrow query matched %v, want [c1 c3]", narrow)
	}
	titled := searchCandidates(t, ix, CandidateQuery{Text: "maestro de obra negra", Title: "maestro de obra negra", Limit: 10})
	if !slices.Contains(titled, "c5") || slices.Contains(titled, "c2") {
		t.Errorf("title words: %v, want c5 and not c2", titled)
	}
	wide := searchCandidates(t, ix, CandidateQuery{Text: text, Limit: 10})
	if !slices.Contains(wide, "c2") {
		t.Errorf("without a title a shared word matches: %v", wide)
	}
}
