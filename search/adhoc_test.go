package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/vincula/vincula/models"
)

// Words no profile of the corpus holds, and words the text analyzer drops.
var (
	unknownWords = []string{"zzyzx", "xilofonista", "quokka", "astronauta"}
	stopOnly     = []string{"de", "la", "the", "and", "con", "para"}
)

// vary writes a word as people type it: in capitals, capitalised, or without its
// accents, which the analyzer and the vocabulary both fold away.
func (c *corpus) vary(w string) string {
	switch c.rng.IntN(8) {
	case 0:
		return strings.ToUpper(w)
	case 1:
		return strings.ToUpper(w[:1]) + w[1:]
	case 2:
		return strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n", "ç", "c", "è", "e", "ò", "o").Replace(w)
	}
	return w
}

// adhocText is what a recruiter types: one to four words, a vocabulary label (any of
// its four languages) among them or not, with words no one holds, stop words, and
// sometimes a word said twice.
func (c *corpus) adhocText() string {
	var words []string
	if c.rng.IntN(3) == 0 {
		label := strings.Fields(c.labels[c.rng.IntN(len(c.labels))])
		words = label[:min(len(label), 4)]
	}
	for n := 1 + c.rng.IntN(4); len(words) < n; {
		switch r := c.rng.IntN(10); {
		case r == 0:
			words = append(words, unknownWords[c.rng.IntN(len(unknownWords))])
		case r == 1:
			words = append(words, stopOnly[c.rng.IntN(len(stopOnly))])
		case r < 4:
			words = append(words, commonWords[c.rng.IntN(len(commonWords))])
		default:
			label := strings.Fields(c.labels[c.rng.IntN(len(c.labels))])
			words = append(words, label[c.rng.IntN(len(label))])
		}
	}
	if c.rng.IntN(5) == 0 {
		words = append(words, words[c.rng.IntN(len(words))])
	}
	for i, w := range words {
		words[i] = c.vary(w)
	}
	return strings.Join(words, " ")
}

// adhocQuery is an ad-hoc candidate search (no title): a text, sometimes concepts as
// well or instead, and some of the filters.
func (c *corpus) adhocQuery() CandidateQuery {
	q := CandidateQuery{Limit: MaxLimit}
	switch c.rng.IntN(10) {
	case 0: // concepts alone
		q.Concepts = []string{c.concepts[c.rng.IntN(len(c.concepts))].ID}
	case 1: // stop words alone, with a concept or not
		q.Text = stopOnly[c.rng.IntN(len(stopOnly))] + " " + stopOnly[c.rng.IntN(len(stopOnly))]
		if c.rng.IntN(2) == 0 {
			q.Concepts = []string{c.concepts[c.rng.IntN(len(c.concepts))].ID}
		}
	default:
		q.Text = c.adhocText()
		if c.rng.IntN(5) == 0 {
			q.Concepts = []string{c.concepts[c.rng.IntN(len(c.concepts))].ID}
		}
	}
	if c.rng.IntN(2) == 0 {
		q.WorkState = c.states[c.rng.IntN(len(c.states))]
	}
	if c.rng.IntN(2) == 0 {
		q.OnDate = c.base.AddDays(c.rng.IntN(900))
	}
	if c.rng.IntN(3) == 0 {
		q.EmployerID = fmt.Sprintf("emp-%d", c.rng.IntN(3))
	}
	switch c.rng.IntN(6) {
	case 0:
		q.Languages = []string{"FR "}
	case 1:
		q.Languages = []string{"es", "ht"}
	}
	return q
}

// sameAsBleve fails the test unless the set's answer to q has bleve's matches and
// total and, when scores is set (an index of candidates only), bleve's relevance up
// to a constant factor. It returns the set's answer.
func sameAsBleve(t *testing.T, ix *Index, q CandidateQuery, scores bool) Result {
	t.Helper()
	ctx := context.Background()
	got, err := ix.matchCandidates(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ix.searchCandidatesBleve(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != want.Total || !slices.Equal(sorted(hitIDs(got)), sorted(hitIDs(want))) {
		t.Fatalf("query %+v:\nset   %d %v\nbleve %d %v", q, got.Total, sorted(hitIDs(got)), want.Total, sorted(hitIDs(want)))
	}
	if scores {
		proportional(t, q, got, want)
	}
	return got
}

// proportional fails the test unless every hit of got scores bleve's score of it (in
// want) over one constant, the ratio of the first hit.
func proportional(t *testing.T, q CandidateQuery, got, want Result) {
	t.Helper()
	bleveScore := map[string]float64{}
	for _, h := range want.Hits {
		bleveScore[h.ID] = h.Score
	}
	var norm float64
	for _, h := range got.Hits {
		if h.Score <= 0 || bleveScore[h.ID] <= 0 {
			t.Fatalf("query %+v: %s scores %v, bleve %v", q, h.ID, h.Score, bleveScore[h.ID])
		}
		ratio := bleveScore[h.ID] / h.Score
		if norm == 0 {
			norm = ratio
		}
		if math.Abs(ratio/norm-1) > 1e-4 {
			t.Fatalf("query %+v: %s scores %v, bleve %v: not in the ratio %v of the first hit", q, h.ID, h.Score, bleveScore[h.ID], norm)
		}
	}
}

// inOrder fails the test unless hits come by score, ties by ID.
func inOrder(t *testing.T, q CandidateQuery, hits []Hit) {
	t.Helper()
	for i := 1; i < len(hits); i++ {
		a, b := hits[i-1], hits[i]
		if a.Score < b.Score || a.Score == b.Score && a.ID >= b.ID {
			t.Fatalf("query %+v: hit %d (%s %v) after %s %v", q, i, b.ID, b.Score, a.ID, a.Score)
		}
	}
}

// TestAdhocMatchesBleve: on random profiles and random ad-hoc texts (vocabulary terms
// in four languages, common words, words no one holds, stop words, repeated words,
// capitals and missing accents; concepts with or without a text; filters or none),
// SearchCandidates answers from the candidate set with exactly bleve's matches and
// total, and bleve's relevance up to its query norm while the index holds candidates
// only; its pages, in score and then ID order, join into the whole list.
func TestAdhocMatchesBleve(t *testing.T) {
	ctx := context.Background()
	ix := newMemIndex(t)
	gen := newCorpus(4)
	var docs []Doc
	for i := range 1500 {
		docs = append(docs, gen.candidateDoc(fmt.Sprintf("c%05d", i)))
	}
	apply(t, ix, docs...)

	nonEmpty, withConcepts, wordsOnly, paged := 0, 0, 0, 0
	for i := range 400 {
		if i == 300 {
			// Vacancies share the text field: they never come back as candidates, and
			// their share of bleve's idf moves the scores, not the matches.
			for j := range 30 {
				v := vacancy(fmt.Sprintf("v%02d", j), gen.phrase(), "MX-NLE")
				apply(t, ix, VacancyDoc(&v))
			}
		}
		q := gen.adhocQuery()
		if i%5 == 0 {
			q.WorkState, q.OnDate, q.EmployerID, q.Languages = "", models.Date{}, "", nil
		}
		got := sameAsBleve(t, ix, q, i < 300)
		inOrder(t, q, got.Hits)
		if got.Total > 0 {
			nonEmpty++
			if len(append(ix.vocab.Match(q.Text), q.Concepts...)) > 0 {
				withConcepts++
			} else {
				wordsOnly++
			}
		}

		// SearchCandidates takes the set's path: the set's scores exactly, not bleve's.
		via, err := ix.SearchCandidates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if via.Total != got.Total || !slices.Equal(via.Hits, got.Hits) {
			t.Fatalf("query %+v: SearchCandidates does not answer from the set", q)
		}

		// Pages of 7 join into the whole list, with the same total on each.
		if i%10 == 0 && got.Total > 7 {
			paged++
			var all []Hit
			for off := 0; off < len(got.Hits)+7; off += 7 {
				p := q
				p.Offset, p.Limit = off, 7
				res, err := ix.SearchCandidates(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != got.Total {
					t.Fatalf("query %+v offset %d: Total %d, want %d", q, off, res.Total, got.Total)
				}
				all = append(all, res.Hits...)
			}
			if !slices.Equal(all, got.Hits) {
				t.Fatalf("query %+v: pages of 7 give %v\nwant %v", q, hitIDs(Result{Hits: all}), hitIDs(got))
			}
		}
	}
	if nonEmpty < 200 || withConcepts < 50 || wordsOnly < 30 || paged < 15 {
		t.Fatalf("of 400 queries %d matched anyone (%d with concepts, %d by words alone), %d were paged; the data should exercise the set",
			nonEmpty, withConcepts, wordsOnly, paged)
	}
}

// TestAdhocEdgeCases: texts that analyse to nothing, words no one holds, repeated
// words, concepts without a text, and queries with nothing to score, each answered as
// bleve answers it.
func TestAdhocEdgeCases(t *testing.T) {
	ctx := context.Background()
	ix := newMemIndex(t)
	var docs []Doc
	for _, c := range []models.Candidate{
		candidate("a-mason", "albañil"),
		candidate("b-mason", "bòs mason", "soldador"),
		candidate("c-helper", "ayudante de albañil"),
		candidate("d-welder", "soldador", "soldador de arco", "soldadura"),
		candidate("e-welder", "soldador"),
		candidate("f-cook", "cocinero"),
		candidate("g-cook", "cook", "turno nocturno"),
		candidate("h-driver", "chofer de tráiler", "licencia federal"),
		candidate("j-bikes", "reparación de bicicletas", "bicicletas"),
	} {
		docs = append(docs, CandidateDoc(&c, allStates))
	}
	hidden := candidate("i-hidden", "soldador")
	hidden.Consent.ShareProfile = false
	docs = append(docs, CandidateDoc(&hidden, allStates))
	apply(t, ix, docs...)

	mason := ix.vocab.Match("albañil")
	if len(mason) != 1 {
		t.Fatalf("the vocabulary does not know albañil: %v", mason)
	}
	tests := []struct {
		name string
		q    CandidateQuery
		want []string // the matches, in any order
	}{
		{"one word", CandidateQuery{Text: "soldador"}, []string{"b-mason", "d-welder", "e-welder"}},
		{"capitals and accents", CandidateQuery{Text: "SOLDADÓR"}, []string{"b-mason", "d-welder", "e-welder"}},
		{"repeated word", CandidateQuery{Text: "soldador Soldador"}, []string{"b-mason", "d-welder", "e-welder"}},
		{"word nobody holds", CandidateQuery{Text: "zzyzx"}, nil},
		{"word nobody holds, and one held", CandidateQuery{Text: "zzyzx bicicletas"}, []string{"j-bikes"}},
		{"word nobody holds, and a term", CandidateQuery{Text: "zzyzx cocinero"}, []string{"f-cook", "g-cook"}},
		{"only stop words", CandidateQuery{Text: "de la the"}, nil},
		{"stop words and a concept", CandidateQuery{Text: "de la", Concepts: mason},
			[]string{"a-mason", "b-mason", "c-helper"}},
		{"a concept, no text", CandidateQuery{Concepts: mason}, []string{"a-mason", "b-mason", "c-helper"}},
		{"a concept, blank text", CandidateQuery{Text: "  ", Concepts: mason}, []string{"a-mason", "b-mason", "c-helper"}},
		{"a vocabulary term in Creole", CandidateQuery{Text: "bos mason"}, []string{"a-mason", "b-mason", "c-helper"}},
		{"a term and a word", CandidateQuery{Text: "albañil turno"}, []string{"a-mason", "b-mason", "c-helper", "g-cook"}},
		{"a concept nobody holds", CandidateQuery{Text: "soldador", Concepts: []string{"no_such_concept"}},
			[]string{"b-mason", "d-welder", "e-welder"}},
		{"a filter nobody passes", CandidateQuery{Text: "soldador", Languages: []string{"fr"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Limit = 50
			got := sameAsBleve(t, ix, tt.q, true)
			if !slices.Equal(sorted(hitIDs(got)), sorted(tt.want)) || got.Total != uint64(len(tt.want)) {
				t.Errorf("matches %d %v, want %v", got.Total, sorted(hitIDs(got)), sorted(tt.want))
			}
			inOrder(t, tt.q, got.Hits)
		})
	}

	// A word said twice counts twice, as two term queries of bleve's match query: a
	// holder holds both clauses (coord 2/2), so the sum, and the score, double.
	if c := ix.vocab.Match("bicicletas zzyzx"); len(c) > 0 {
		t.Fatalf("the vocabulary knows %v: the words below should score alone", c)
	}
	once := sameAsBleve(t, ix, CandidateQuery{Text: "bicicletas", Limit: 50}, true)
	twice := sameAsBleve(t, ix, CandidateQuery{Text: "bicicletas Bicicletas", Limit: 50}, true)
	if r := twice.Hits[0].Score / once.Hits[0].Score; math.Abs(r-2) > 1e-6 {
		t.Errorf("a repeated word scores %v times the single one, want 2", r)
	}
	// A word nobody holds is still a clause of the match query: coord 1/2.
	half := sameAsBleve(t, ix, CandidateQuery{Text: "bicicletas zzyzx", Limit: 50}, true)
	whole := once
	if r := half.Hits[0].Score / whole.Hits[0].Score; math.Abs(r-0.5) > 1e-6 {
		t.Errorf("with a word nobody holds the score is %v of the single word's, want 0.5", r)
	}

	// Nothing to score: the filters alone, in ID order, bleve's answer exactly.
	for _, q := range []CandidateQuery{{}, {Text: "   "}, {Concepts: []string{""}}, {WorkState: "MX-CHP", Limit: 3, Offset: 2}} {
		got, err := ix.SearchCandidates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ix.searchCandidatesBleve(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != want.Total || !slices.Equal(got.Hits, want.Hits) || got.Total != 9 {
			t.Errorf("filter-only query %+v: %d %v, bleve %d %v, want 9", q, got.Total, got.Hits, want.Total, want.Hits)
		}
	}
}

// TestAdhocOnTwoCores: an ad-hoc query summed in two halves of the ordinals answers
// exactly what it answers in one pass.
func TestAdhocOnTwoCores(t *testing.T) {
	ctx := context.Background()
	ix := newMemIndex(t)
	gen := newCorpus(5)
	for i := range 70000 {
		d := gen.candidateDoc(fmt.Sprintf("c%06d", i))
		e := entryOf(&d, ix.analyzer)
		ix.cands.put(&e)
	}
	split := 0
	for range 40 {
		q := gen.adhocQuery()
		q.Limit, q.Offset = 50, gen.rng.IntN(3)*50
		ix.parallelFrom = math.MaxInt
		one, err := ix.matchCandidates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		ix.parallelFrom = 1
		two, err := ix.matchCandidates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if one.Total != two.Total || !slices.Equal(one.Hits, two.Hits) {
			t.Fatalf("query %+v: one pass %d %v\ntwo halves %d %v", q, one.Total, one.Hits, two.Total, two.Hits)
		}
		if one.Total > 100 {
			split++ // matches on both sides of ordinal 65,536
		}
	}
	if split < 20 {
		t.Fatalf("only %d of 40 queries matched enough to be split in two", split)
	}
}
