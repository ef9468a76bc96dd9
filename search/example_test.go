package search_test

import (
	"context"
	"fmt"

	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/search"
)

// A Haitian mason who wrote her trade in Creole is found by an employer in Nuevo León
// searching in Spanish: both words name the vocabulary's bricklayer concept.
func Example() {
	ctx := context.Background()
	ix, err := search.OpenMem()
	if err != nil {
		panic(err)
	}
	defer ix.Close()

	c := models.Candidate{
		ID:      "cand-1",
		Status:  models.CandidateActive,
		Consent: models.Consent{ShareProfile: true},
		Skills:  []models.CandidateSkill{{Name: "bòs mason"}},
	}
	span := search.WorkSpan{AllStates: true} // from the eligibility engine
	if err := ix.Apply(ctx, []search.Doc{search.CandidateDoc(&c, span)}, nil, 1); err != nil {
		panic(err)
	}

	res, err := ix.SearchCandidates(ctx, search.CandidateQuery{Text: "Albañil", WorkState: "MX-NLE", OnDate: models.MustDate("2026-09-01")})
	if err != nil {
		panic(err)
	}
	for _, h := range res.Hits {
		fmt.Println(h.ID)
	}
	// Output: cand-1
}
