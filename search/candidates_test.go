package search

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/vincula/vincula/models"
)

// corpus generates candidates and vacancy-like queries from the shipped vocabulary,
// in its four languages, mixed with common words that are in no concept, repeated
// words, stop words, inactive or non-consenting profiles and every kind of work span.
type corpus struct {
	rng      *rand.Rand
	labels   []string
	concepts []models.Concept
	states   []string
	base     models.Date
}

var commonWords = []string{"manejo", "control", "operador", "limpieza", "general", "de", "la", "turno", "ayudante", "maquinaria"}

func newCorpus(seed uint64) *corpus {
	c := &corpus{rng: rand.New(rand.NewPCG(seed, 3)), states: []string{"MX-CHP", "MX-NLE", "MX-COA", "MX-BCN", "MX-TAB"},
		base: models.MustDate("2026-01-01")}
	c.concepts = models.DefaultVocabulary().Concepts()
	for _, k := range c.concepts {
		for _, lang := range []string{"es", "en", "fr", "ht"} {
			c.labels = append(c.labels, k.Labels[lang]...)
		}
	}
	return c
}

func (c *corpus) phrase() string {
	if c.rng.IntN(4) == 0 {
		return commonWords[c.rng.IntN(len(commonWords))] + " " + commonWords[c.rng.IntN(len(commonWords))]
	}
	p := c.labels[c.rng.IntN(len(c.labels))]
	if c.rng.IntN(3) == 0 {
		p += " " + commonWords[c.rng.IntN(len(commonWords))]
	}
	return p
}

func (c *corpus) span() WorkSpan {
	var s WorkSpan
	switch c.rng.IntN(5) {
	case 0:
		s.AllStates = true
	case 1: // allowed nowhere
	default:
		for _, st := range c.states {
			if c.rng.IntN(3) == 0 {
				s.States = append(s.States, st)
			}
		}
	}
	if c.rng.IntN(4) != 0 {
		s.Until = c.base.AddDays(c.rng.IntN(900))
	}
	if c.rng.IntN(6) == 0 {
		s.NeedsEmployer = fmt.Sprintf("emp-%d", c.rng.IntN(3))
	}
	return s
}

func (c *corpus) candidateDoc(id string) Doc {
	cand := models.Candidate{ID: id, CurrentState: c.states[c.rng.IntN(len(c.states))], Status: models.CandidateActive,
		Consent: models.Consent{ShareProfile: c.rng.IntN(8) != 0}}
	if c.rng.IntN(10) == 0 {
		cand.Status = models.CandidateInactive
	}
	for range 1 + c.rng.IntN(5) {
		cand.Skills = append(cand.Skills, models.CandidateSkill{Name: c.phrase()})
	}
	if c.rng.IntN(2) == 0 {
		k := c.concepts[c.rng.IntN(len(c.concepts))]
		cand.Experience = append(cand.Experience, models.Experience{Title: c.phrase(), OccupationCode: k.ISCO, Years: 2})
	}
	if c.rng.IntN(3) == 0 {
		cand.DesiredOccupations = []string{c.phrase()}
	}
	for _, l := range []string{"es", "en", "fr", "ht"} {
		if c.rng.IntN(3) == 0 {
			cand.Languages = append(cand.Languages, models.LanguageSkill{Code: l})
		}
	}
	return CandidateDoc(&cand, c.span())
}

// query is a vacancy's match query: a title, skills, and some of the filters.
func (c *corpus) query() CandidateQuery {
	title := c.phrase()
	text := title
	for range c.rng.IntN(4) {
		text += " " + c.phrase()
	}
	q := CandidateQuery{Text: text, Title: title, Limit: MaxLimit}
	if c.rng.IntN(3) == 0 {
		q.Concepts = []string{c.concepts[c.rng.IntN(len(c.concepts))].ID}
	}
	if c.rng.IntN(5) != 0 {
		q.WorkState = c.states[c.rng.IntN(len(c.states))]
		q.OnDate = c.base.AddDays(c.rng.IntN(900))
		if c.rng.IntN(2) == 0 {
			q.EmployerID = fmt.Sprintf("emp-%d", c.rng.IntN(3))
		}
	}
	if c.rng.IntN(6) == 0 {
		q.Languages = []string{"FR "}
	}
	return q
}

// TestCandidateSetMatchesBleve: on random profiles and vacancies, the candidate set
// answers a vacancy's match query with exactly the candidates (and total) of the
// bleve query it replaces, filters or not, and its relevance is bleve's TF-IDF score
// up to bleve's query norm (a constant per query) while the index holds candidates
// only; vacancies, which bleve's idf counts too, move scores only a little.
func TestCandidateSetMatchesBleve(t *testing.T) {
	ctx := context.Background()
	ix := newMemIndex(t)
	gen := newCorpus(1)
	var docs []Doc
	for i := range 1500 {
		docs = append(docs, gen.candidateDoc(fmt.Sprintf("c%05d", i)))
	}
	apply(t, ix, docs...)

	nonEmpty, agreeing, compared := 0, 0, 0
	for i := range 300 {
		if i == 150 {
			// Vacancies share the text field; they must never come back as
			// candidates.
			for j := range 30 {
				v := vacancy(fmt.Sprintf("v%02d", j), gen.phrase(), "MX-NLE")
				apply(t, ix, VacancyDoc(&v))
			}
		}
		q := gen.query()
		if i%4 == 0 {
			// The exactness oracle's query: no filter at all.
			q.WorkState, q.OnDate, q.EmployerID, q.Languages = "", models.Date{}, "", nil
		}
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
		if got.Total > 0 {
			nonEmpty++
		}
		if i < 150 {
			bleveScore := map[string]float64{}
			for _, h := range want.Hits {
				bleveScore[h.ID] = h.Score
			}
			var norm float64
			for _, h := range got.Hits {
				ratio := bleveScore[h.ID] / h.Score
				if norm == 0 {
					norm = ratio
				}
				if math.Abs(ratio/norm-1) > 1e-4 {
					t.Fatalf("query %+v: %s scores %v, bleve %v: not in the ratio %v of the first hit", q, h.ID, h.Score, bleveScore[h.ID], norm)
				}
			}
		} else if len(got.Hits) >= 5 {
			compared++
			if slices.Contains(hitIDs(got)[:5], want.Hits[0].ID) && slices.Contains(hitIDs(want)[:5], got.Hits[0].ID) {
				agreeing++
			}
		}
	}
	if nonEmpty < 150 {
		t.Fatalf("only %d of 300 queries matched anyone; the data should exercise the set", nonEmpty)
	}
	if agreeing < compared*9/10 {
		t.Errorf("with vacancies in the index, the best hits agree with bleve's in %d of %d queries, want 90%%", agreeing, compared)
	}
}

// TestCandidateSetPagesAndOrders: hits come by relevance, ties by ID, pages join into
// the whole list, and Total counts every match.
func TestCandidateSetPagesAndOrders(t *testing.T) {
	ix := newMemIndex(t)
	// A bricklayer in Spanish (the concept, boost 2, and the title's word), three
	// helpers (a related concept, boost 0.5, and the title's word: tied, so in ID
	// order), one bricklayer in Haitian Creole (the concept alone), and a cook, who
	// does not match.
	docs := []Doc{}
	for _, c := range []models.Candidate{
		candidate("d-helper", "ayudante de albañil"),
		candidate("a-mason", "albañil"),
		candidate("c-helper", "ayudante de albañil"),
		candidate("b-mason", "bòs mason"),
		candidate("e-helper", "ayudante de albañil"),
		candidate("f-cook", "cocinero"),
	} {
		docs = append(docs, CandidateDoc(&c, allStates))
	}
	apply(t, ix, docs...)
	q := CandidateQuery{Text: "albañil", Title: "albañil", Limit: 2}
	var all []string
	for page := 0; page < 4; page++ {
		q.Offset = page * 2
		res, err := ix.SearchCandidates(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 5 {
			t.Fatalf("Total = %d, want 5", res.Total)
		}
		all = append(all, hitIDs(res)...)
	}
	want := []string{"a-mason", "c-helper", "d-helper", "e-helper", "b-mason"}
	if !slices.Equal(all, want) {
		t.Errorf("pages = %v, want %v", all, want)
	}
}

// candidatesDump is the candidate set of ix, read under its lock.
func candidatesDump(ix *Index) map[string]string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.cands.dump()
}

// TestCandidateSetKeptInStep: after upserts, replacements and deletes, after a
// rebuild and after reopening from disk, the candidate set equals one built in one go
// from the documents the index holds, and answers like bleve.
func TestCandidateSetKeptInStep(t *testing.T) {
	ctx := context.Background()
	gen := newCorpus(2)
	dir := filepath.Join(t.TempDir(), "index")
	ix := openFilled(t, dir, Options{})

	current := map[string]Doc{}
	for round := range 6 {
		var ups []Doc
		var dels []DocRef
		for range 80 {
			id := fmt.Sprintf("c%03d", gen.rng.IntN(150))
			if gen.rng.IntN(4) == 0 {
				dels = append(dels, DocRef{Entity: models.ChangeCandidate, ID: id})
				continue
			}
			ups = append(ups, gen.candidateDoc(id))
		}
		// A batch's deletes follow its upserts, as in bleve's batch.
		for _, d := range ups {
			current[d.Ref.ID] = d
		}
		for _, r := range dels {
			delete(current, r.ID)
		}
		if err := ix.Apply(ctx, ups, dels, int64(round+1)); err != nil {
			t.Fatal(err)
		}
	}

	fresh := newMemIndex(t)
	apply(t, fresh, slices.Collect(maps.Values(current))...)
	want := candidatesDump(fresh)
	if len(want) != len(current) || len(want) < 50 {
		t.Fatalf("the fresh set holds %d candidates, want %d (and some)", len(want), len(current))
	}
	check := func(t *testing.T, ix *Index) {
		t.Helper()
		if got := candidatesDump(ix); !maps.Equal(got, want) {
			t.Errorf("set of %d candidates differs from a fresh one of %d", len(got), len(want))
		}
		for range 30 {
			q := gen.query()
			got, err := ix.matchCandidates(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			bl, err := ix.searchCandidatesBleve(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sorted(hitIDs(got)), sorted(hitIDs(bl))) {
				t.Fatalf("query %+v: set %v, bleve %v", q, sorted(hitIDs(got)), sorted(hitIDs(bl)))
			}
			// The ad-hoc search reads the same set.
			sameAsBleve(t, ix, gen.adhocQuery(), false)
		}
	}
	t.Run("applied", func(t *testing.T) { check(t, ix) })

	t.Run("reopened", func(t *testing.T) {
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		reopened, info, err := Open(dir, Options{})
		if err != nil || info.Rebuilt {
			t.Fatalf("reopen: %v %+v", err, info)
		}
		t.Cleanup(func() { _ = reopened.Close() })
		check(t, reopened)
	})

	t.Run("rebuilt", func(t *testing.T) {
		src := newFakeSource()
		// The set of a rebuilt index holds what the source holds, and nothing of
		// what the index had before.
		rebuilt := newMemIndex(t)
		apply(t, rebuilt, gen.candidateDoc("stale"))
		for i := range 40 {
			src.putCandidate(candidate(fmt.Sprintf("r%02d", i), "soldador", "pintor de casas"))
		}
		if err := Rebuild(ctx, rebuilt, src, spanFromStates, nil); err != nil {
			t.Fatal(err)
		}
		followed := newMemIndex(t)
		if _, err := NewFollower(followed, src, spanFromStates, nil).CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		a, b := candidatesDump(rebuilt), candidatesDump(followed)
		if !maps.Equal(a, b) || len(a) != 40 || a["stale"] != "" {
			t.Errorf("rebuilt set (%d) differs from the followed one (%d), or kept a stale candidate", len(a), len(b))
		}
	})
}

// TestOpenRebuildsWithoutMatchEntries: an index whose candidates lack the stored
// entry of the set (written by a binary that had none) is rebuilt, not served half
// empty.
func TestOpenRebuildsWithoutMatchEntries(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix := openFilled(t, dir, Options{})
	c := candidate("c1", "soldador")
	d := CandidateDoc(&c, allStates)
	fields, _ := d.fields("")
	if err := ix.bi.Index(d.Ref.Key(), fields); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	reopened, info, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = reopened.Close() })
	if !info.Rebuilt || info.Reason != "document candidate/c1 has no readable match entry" {
		t.Errorf("OpenInfo = %+v, want a rebuild for the missing entry", info)
	}
}

func TestEntryEncoding(t *testing.T) {
	tests := []struct {
		name string
		e    candidateEntry
	}{
		{"works nowhere", candidateEntry{id: "a", searchable: true, until: noWork, concepts: []string{"cook"},
			words: []wordFreq{{"cocinero", 1}}, textLen: 1}},
		{"everything", candidateEntry{id: "b", works: true, until: 24300, states: []string{"MX-CHP", "MX-TAB"}, employer: "emp-1",
			languages: []string{"es", "ht"}, concepts: []string{"bricklayer", "construction_labourer"},
			words: []wordFreq{{"albanil", 2}, {"ayudante", 1}}, textLen: 3}},
		{"empty", candidateEntry{id: "c", until: noWork}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := decodeEntry(tt.e.id, tt.e.encode())
			if !ok {
				t.Fatalf("decode(%q) failed", tt.e.encode())
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.e) {
				t.Errorf("decode(encode) = %+v, want %+v", got, tt.e)
			}
		})
	}
	for _, bad := range []string{"", "yes", "yes\x1ex\x1e\x1e\x1e\x1e\x1e\x1e0", "yes\x1e\x1e\x1e\x1e\x1e\x1ew\x1d0\x1e0"} {
		if _, ok := decodeEntry("x", bad); ok {
			t.Errorf("decode(%q) accepted", bad)
		}
	}
}

// TestCandidateSetUnderConcurrentUse: queries run while batches are applied (run it
// with -race); every answer is the set of one moment, never a half-applied batch.
func TestCandidateSetUnderConcurrentUse(t *testing.T) {
	ctx := context.Background()
	ix := newMemIndex(t)
	// Each batch replaces all ten welders with ten new ones: a query sees ten.
	batch := func(round int) []Doc {
		var docs []Doc
		for i := range 10 {
			c := candidate(fmt.Sprintf("r%d-%d", round, i), "soldador")
			docs = append(docs, CandidateDoc(&c, allStates))
		}
		return docs
	}
	apply(t, ix, batch(0)...)
	done := make(chan error)
	go func() {
		defer close(done)
		for round := 1; round <= 20; round++ {
			var dels []DocRef
			for i := range 10 {
				dels = append(dels, DocRef{Entity: models.ChangeCandidate, ID: fmt.Sprintf("r%d-%d", round-1, i)})
			}
			if err := ix.Apply(ctx, batch(round), dels, int64(round)); err != nil {
				done <- err
				return
			}
		}
	}()
	// Two queries at a time, as two cores serve them, while the batches go in.
	// A vacancy's matches, and an ad-hoc search.
	query := func() error {
		for _, q := range []CandidateQuery{{Text: "soldador", Title: "soldador", Limit: 50}, {Text: "soldador", Limit: 50}} {
			res, err := ix.SearchCandidates(ctx, q)
			if err != nil {
				return err
			}
			if res.Total != 10 || len(res.Hits) != 10 {
				return fmt.Errorf("a query %+v during the batches found %d (%d hits), want 10", q, res.Total, len(res.Hits))
			}
		}
		return nil
	}
	for running := true; running; {
		select {
		case err, ok := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = ok
		default:
		}
		var other error
		var wg sync.WaitGroup
		wg.Go(func() { other = query() })
		err := query()
		wg.Wait()
		if err = errors.Join(err, other); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCandidateSetBookkeeping covers what random data hardly reaches: two IDs whose
// hashes clash, and the compaction of the per-ordinal lists after many replacements.
func TestCandidateSetBookkeeping(t *testing.T) {
	ix := newMemIndex(t)
	entry := func(id string, skills ...string) *candidateEntry {
		c := candidate(id, skills...)
		d := CandidateDoc(&c, allStates)
		e := entryOf(&d, ix.analyzer)
		return &e
	}
	t.Run("ID hash clash", func(t *testing.T) {
		s := newCandidateSet()
		s.put(entry("a", "soldador"))
		// Pretend that "b" hashes like "a" does: its hash already leads to a.
		s.byID[maphash.String(s.seed, "b")] = s.byID[maphash.String(s.seed, "a")]
		s.put(entry("b", "pintor"))
		if len(s.clash) != 1 {
			t.Fatalf("clash map holds %d IDs, want 1", len(s.clash))
		}
		for _, id := range []string{"a", "b"} {
			if ord, ok := s.ordinal(id); !ok || s.id(ord) != id {
				t.Errorf("ordinal(%q) = %d, %v", id, ord, ok)
			}
		}
		s.remove("b")
		if _, ok := s.ordinal("b"); ok || s.size() != 1 {
			t.Errorf("after removing b: found %v, size %d", ok, s.size())
		}
	})
	t.Run("arena compaction", func(t *testing.T) {
		s, fresh := newCandidateSet(), newCandidateSet()
		skills := []string{"soldador", "pintor de casas", "albañil", "cocinero", "chofer de tráiler"}
		appended := 0
		for round := range 120 {
			for i := range 100 {
				e := entry(fmt.Sprintf("c%02d", i), skills[(i+round)%5], skills[(i+2*round)%5], "manejo de montacargas")
				appended += len(e.keys())
				s.put(e)
			}
		}
		live := 0
		for ord := range s.ordinals() {
			live += len(s.termsOf.get(uint32(ord)))
		}
		if len(s.termsOf.data) >= appended || len(s.termsOf.data)-s.termsOf.garbage != live {
			t.Errorf("term lists: %d values (%d garbage, %d live) after %d were appended, want them compacted",
				len(s.termsOf.data), s.termsOf.garbage, live, appended)
		}
		for i := range 100 {
			fresh.put(entry(fmt.Sprintf("c%02d", i), skills[(i+119)%5], skills[(i+2*119)%5], "manejo de montacargas"))
		}
		if !maps.Equal(s.dump(), fresh.dump()) {
			t.Error("after compaction the set differs from a fresh one")
		}
	})
}

// TestMatchOnTwoCores: a query summed in two halves of the ordinals (as large match
// sets are) answers exactly what it answers in one pass: the same hits, in the same
// order, with the same scores, and the same total.
func TestMatchOnTwoCores(t *testing.T) {
	ctx := context.Background()
	ix := newMemIndex(t)
	gen := newCorpus(3)
	// Beyond one roaring container (65,536 ordinals), filled without bleve: the query
	// reads the set only.
	for i := range 70000 {
		d := gen.candidateDoc(fmt.Sprintf("c%06d", i))
		e := entryOf(&d, ix.analyzer)
		ix.cands.put(&e)
	}
	split := 0
	for range 40 {
		q := gen.query()
		q.Limit = 50
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
		if _, _, ok := halves(matchedOf(t, ix, q), 1); ok {
			split++
		}
	}
	if split < 20 {
		t.Fatalf("only %d of 40 queries were split in two", split)
	}
}

// matchedOf is the set of candidates q matches before the month filter, to tell
// whether halves splits it.
func matchedOf(t *testing.T, ix *Index, q CandidateQuery) *roaring.Bitmap {
	t.Helper()
	res, err := ix.matchCandidates(context.Background(), CandidateQuery{Text: q.Text, Title: q.Title, Concepts: q.Concepts, Limit: MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	b := roaring.New()
	for _, h := range res.Hits {
		if ord, ok := ix.cands.ordinal(h.ID); ok {
			b.Add(ord)
		}
	}
	return b
}
