package api_test

import (
	"context"
	"sort"
	"testing"

	"github.com/vincula/vincula/api"
	"github.com/vincula/vincula/matching"
	"github.com/vincula/vincula/models"
	"github.com/vincula/vincula/scripts/datagen"
	"github.com/vincula/vincula/search"
	"github.com/vincula/vincula/store"
	"github.com/vincula/vincula/store/storetest"
)

// TestMatchingIsExact checks, on generated data with the hubs' mix of documents, that
// the ranked list of a vacancy (every page of it) is exactly the set of active,
// consenting candidates who match its text and may legally work at its state on its
// start date and are within its reach (matching.Scorer excludes the far who will not
// move): no ineligible one shown, no eligible one lost to the index's pre-filters
// or to the ranking windows.
func TestMatchingIsExact(t *testing.T) {
	if testing.Short() {
		t.Skip("large generated data; runs in the full pass of make test")
	}
	const people, vacancies = 2500, 40
	today := models.DateOf(fixedNow)
	g := datagen.New(datagen.Config{Seed: 11, Today: today, Candidates: people})
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ix, err := search.OpenMem()
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if err := st.BulkCreateEmployers(ctx, g.Employers()); err != nil {
			t.Fatal(err)
		}
		var cs []models.Candidate
		for i := 0; i < people; i++ {
			cs = append(cs, g.Candidate(i))
		}
		if err := st.BulkCreateCandidates(ctx, cs); err != nil {
			t.Fatal(err)
		}
		var vs []models.Vacancy
		for i := 0; i < vacancies; i++ {
			vs = append(vs, g.Vacancy(i))
		}
		if err := st.BulkCreateVacancies(ctx, vs); err != nil {
			t.Fatal(err)
		}
		if _, err := search.NewFollower(ix, st, workSpan, nil).CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		m := api.NewMatcher(st, ix, nil, nil)
		byID := map[string]models.Candidate{}
		for _, c := range cs {
			byID[c.ID] = c
		}

		checked, multiWindow := 0, 0
		for _, v := range vs {
			if v.Status != models.VacancyOpen {
				continue
			}
			// The ranked list, page by page.
			var got []string
			cursor := ""
			for pages := 0; ; pages++ {
				items, next, err := m.CandidatesFor(ctx, v, today, cursor, 100)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					got = append(got, it.Candidate.ID)
				}
				if next == nil {
					break
				}
				cursor = *next
				if pages > 100 {
					t.Fatal("paging does not end")
				}
			}
			// Brute force: who matches the text at all (the index with no filter), then
			// the eligibility engine, consent and status on every one of them. A query
			// with a Title is answered from the index's in-memory candidate set; the
			// search package checks that it matches exactly what the bleve query does
			// (TestCandidateSetMatchesBleve), so this oracle cannot drift from it.
			all, err := ix.SearchCandidates(ctx, search.CandidateQuery{Text: v.Title + " " + skillsOf(v), Title: v.Title, Limit: search.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			if all.Total > 200 {
				// More than two of Matcher.CandidatesFor's ranking windows.
				multiWindow++
			}
			date := v.StartDate
			if date.Before(today) {
				date = today
			}
			var want []string
			sc := matching.NewScorer(&v, nil, nil)
			for _, h := range all.Hits {
				c := byID[h.ID]
				if c.Status == models.CandidateActive && c.Consent.ShareProfile &&
					matching.Eligibility(&c, matching.VacancyQuery(&v, date), nil).Eligible && !sc.Score(&c, 0).Excluded {
					want = append(want, c.ID)
				}
			}
			sort.Strings(want)
			gotSorted := append([]string(nil), got...)
			sort.Strings(gotSorted)
			if len(gotSorted) != len(want) {
				t.Errorf("vacancy %s (%s, %s): matched %d, brute force finds %d", v.ID, v.Title, v.State, len(gotSorted), len(want))
			}
			for i := 0; i < len(want) && i < len(gotSorted); i++ {
				if gotSorted[i] != want[i] {
					t.Errorf("vacancy %s: the sets differ at %d: %s vs %s", v.ID, i, gotSorted[i], want[i])
					break
				}
			}
			seen := map[string]bool{}
			for _, id := range got {
				if seen[id] {
					t.Errorf("vacancy %s: %s listed twice", v.ID, id)
				}
				seen[id] = true
			}
			checked++
		}
		if checked < 20 || multiWindow < 3 {
			t.Fatalf("checked %d open vacancies, %d with more text hits than one ranking window; the data should exercise both", checked, multiWindow)
		}
	})
}

func skillsOf(v models.Vacancy) string {
	s := ""
	for _, sk := range v.Skills {
		s += " " + sk.Name
	}
	return s
}
